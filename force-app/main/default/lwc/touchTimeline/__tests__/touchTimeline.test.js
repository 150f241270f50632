import { createElement } from 'lwc';
import TouchTimeline from 'c/touchTimeline';
import { graphql, refresh } from 'lightning/graphql';

const mockTouches = require('./data/touchTimeline.json');
const mockTouchesEmpty = require('./data/touchTimelineEmpty.json');
const mockErrors = require('./data/touchTimelineErrors.json');

async function flushPromises() {
    for (let i = 0; i < 5; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

async function createTimeline(assetId = '00Q000000000001AAA') {
    const element = createElement('c-touch-timeline', { is: TouchTimeline });
    element.assetId = assetId;
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

// The loading, error and empty states live in the shared c-load-status child.
const status = (element, id) =>
    element.shadowRoot.querySelector('c-load-status').shadowRoot.querySelector(`[data-id="${id}"]`);

describe('c-touch-timeline', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('asks for every touch of the asset, by any rep, newest first', async () => {
        await createTimeline();
        const config = graphql.getLastConfig();
        expect(config.variables).toEqual({
            assetId: '00Q000000000001AAA',
            assetRef: '00Q000000000001AAA',
            pageSize: 20
        });
        expect(config.query).toContain('orderBy: { CreatedDate: { order: DESC } }');
    });

    it('lists the touches with outcome, purpose, station, rep and details', async () => {
        const element = await createTimeline();
        // The GraphQL wire returns the asset's dispositions.
        graphql.emit(mockTouches);
        await flushPromises();

        const items = element.shadowRoot.querySelectorAll('[data-id="touch"]');
        expect(items).toHaveLength(2);
        expect(items[0].querySelector('[data-id="outcome"]').textContent).toBe(
            'Call Back Requested'
        );
        expect(items[0].textContent).toContain('SDR Calling');
        expect(items[0].textContent).toContain('c.ASL_Timeline_By');
        expect(items[0].querySelector('time').getAttribute('datetime')).toBe(
            '2026-11-20T16:02:00.000Z'
        );
        expect(items[1].querySelector('[data-id="outcome"]').textContent).toBe('Not Interested');
        expect(status(element, 'empty')).toBeNull();
    });

    it('says so when there is no earlier touch', async () => {
        const element = await createTimeline();
        graphql.emit(mockTouchesEmpty);
        await flushPromises();
        expect(status(element, 'empty')).not.toBeNull();
        expect(element.shadowRoot.querySelectorAll('[data-id="touch"]')).toHaveLength(0);
    });

    it('shows the error when the touches cannot be read', async () => {
        const element = await createTimeline();
        graphql.emitErrors(mockErrors);
        await flushPromises();
        expect(element.shadowRoot.querySelector('[data-id="error"]').textContent).toBe(
            'Insufficient privileges: Disposition__c is not accessible'
        );
    });

    it('is accessible with touches on screen', async () => {
        const element = await createTimeline();
        graphql.emit(mockTouches);
        await flushPromises();
        await expect(element).toBeAccessible();
    });

    it('reloads on request', async () => {
        const element = await createTimeline();
        graphql.emit(mockTouches);
        await flushPromises();
        await element.refresh();
        expect(refresh).toHaveBeenCalledTimes(1);
    });
});
