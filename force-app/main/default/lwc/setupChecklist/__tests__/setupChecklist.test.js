import { createElement } from 'lwc';
import SetupChecklist from 'c/setupChecklist';
import { graphql, refresh } from 'lightning/graphql';

// lightning/navigation's stub navigates nowhere; this one records where the component went.
const mockNavigate = jest.fn();
jest.mock('lightning/navigation', () => {
    const Navigate = Symbol('Navigate');
    const NavigationMixin = (Base) =>
        class extends Base {
            [Navigate](pageReference) {
                mockNavigate(pageReference);
            }
        };
    NavigationMixin.Navigate = Navigate;
    return { NavigationMixin };
});

const mockReady = require('./data/setupChecklistReady.json');
const mockEmpty = require('./data/setupChecklistEmpty.json');
const mockErrors = require('./data/setupChecklistErrors.json');

const NOW = new Date('2026-11-23T12:00:00.000Z');

async function flushPromises() {
    for (let i = 0; i < 5; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

async function createChecklist(props = {}) {
    const element = createElement('c-setup-checklist', { is: SetupChecklist });
    Object.assign(element, props);
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

const item = (element, key) => element.shadowRoot.querySelector(`[data-item="${key}"]`);
const statusOf = (element, key) =>
    item(element, key).querySelector('[data-id="status"]').textContent;
const detailOf = (element, key) =>
    item(element, key).querySelector('[data-id="detail"]').textContent;

// The loading, error and empty states live in the shared c-load-status child.
const status = (element, id) =>
    element.shadowRoot.querySelector('c-load-status').shadowRoot.querySelector(`[data-id="${id}"]`);

describe('c-setup-checklist', () => {
    beforeEach(() => {
        jest.useFakeTimers();
        jest.setSystemTime(NOW);
    });

    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
        jest.useRealTimers();
    });

    it('shows a spinner until the checklist is read', async () => {
        const element = await createChecklist();
        expect(status(element, 'loading')).not.toBeNull();
    });

    it('marks every check done on a set-up org, with counts from the records', async () => {
        const element = await createChecklist();
        // The GraphQL wire answers with a line, reps, jobs and the engine's latest writes.
        graphql.emit(mockReady);
        await flushPromises();
        for (const key of ['stations', 'rules', 'reps', 'jobs', 'heartbeat', 'sync']) {
            expect(statusOf(element, key)).toBe('c.ASL_SC_Done');
        }
        const countOf = (key) =>
            item(element, key).querySelector('[data-id="detail"]').dataset.count;
        expect(countOf('stations')).toBe('6');
        expect(countOf('reps')).toBe('12');
        expect(countOf('jobs')).toBe('3');
        // A capped connection (hasNextPage) is shown as "at least".
        expect(countOf('rules')).toBe('200+');
        expect(element.shadowRoot.querySelector('[data-id="summary"]').textContent).toBe(
            'c.ASL_SC_Summary'
        );
        jest.useRealTimers();
        await expect(element).toBeAccessible();
    });

    it('reports a silent engine when the last job run is older than the heartbeat window', async () => {
        const element = await createChecklist({ heartbeatMinutes: 10 });
        graphql.emit(mockReady);
        await flushPromises();
        expect(statusOf(element, 'heartbeat')).toBe('c.ASL_SC_Todo');
        expect(statusOf(element, 'stations')).toBe('c.ASL_SC_Done');
    });

    it('marks everything to do on an empty org', async () => {
        const element = await createChecklist();
        graphql.emit(mockEmpty);
        await flushPromises();
        for (const key of ['stations', 'rules', 'reps', 'jobs', 'heartbeat', 'sync']) {
            expect(statusOf(element, key)).toBe('c.ASL_SC_Todo');
        }
        expect(detailOf(element, 'heartbeat')).toBe('c.ASL_SC_Heartbeat_None');
        // Permission sets are not readable through GraphQL: no status, only the link.
        expect(statusOf(element, 'permsets')).toBe('');
    });

    it('opens the object tab where a missing piece is fixed', async () => {
        const element = await createChecklist();
        graphql.emit(mockEmpty);
        await flushPromises();
        item(element, 'stations').querySelector('lightning-button').click();
        expect(mockNavigate).toHaveBeenCalledWith({
            type: 'standard__objectPage',
            attributes: { objectApiName: 'Station__c', actionName: 'list' },
            state: { filterName: 'Recent' }
        });
    });

    it('opens Setup for permission sets', async () => {
        const element = await createChecklist();
        graphql.emit(mockReady);
        await flushPromises();
        item(element, 'permsets').querySelector('lightning-button').click();
        expect(mockNavigate).toHaveBeenCalledWith({
            type: 'standard__webPage',
            attributes: { url: '/lightning/setup/PermSets/home' }
        });
    });

    it('shows the GraphQL error', async () => {
        const element = await createChecklist();
        graphql.emitErrors(mockErrors);
        await flushPromises();
        expect(status(element, 'load-error').textContent).toContain('Finished_At__c');
    });

    it('reads the checklist again on refresh', async () => {
        const element = await createChecklist();
        graphql.emit(mockReady);
        await flushPromises();
        element.shadowRoot.querySelector('[data-id="refresh"]').click();
        expect(refresh).toHaveBeenCalled();
    });
});
