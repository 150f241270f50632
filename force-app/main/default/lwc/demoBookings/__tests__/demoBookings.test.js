import { createElement } from 'lwc';
import DemoBookings from 'c/demoBookings';
import { graphql, byOperation, refresh } from 'lightning/graphql';
import { updateRecord } from 'lightning/uiRecordApi';

const mockBookings = require('./data/bookings.json');
const mockEmpty = require('./data/bookingsEmpty.json');
const mockErrors = require('./data/bookingsErrors.json');
const mockUpdateError = require('./data/updateError.json');

const BOOKINGS = byOperation('demoCalendarBookings');
const PAST = 'a0S000000000001AAA';
const FUTURE = 'a0S000000000002AAA';

async function flushPromises() {
    for (let i = 0; i < 8; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

async function render(data = mockBookings) {
    const element = createElement('c-demo-bookings', { is: DemoBookings });
    element.pageSize = 25;
    document.body.appendChild(element);
    await flushPromises();
    if (data) {
        graphql.emit(data, BOOKINGS);
        await flushPromises();
    }
    return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const action = (element, name, id) => $(element, `button[data-action="${name}"][data-id="${id}"]`);

describe('c-demo-bookings', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('lists booked demos from yesterday on, soonest first', async () => {
        const before = Date.now();
        const element = await render();
        const config = graphql.lastConfigFor('demoCalendarBookings');
        expect(config.variables.pageSize).toBe(25);
        const since = Date.parse(config.variables.since);
        expect(before - since).toBeGreaterThanOrEqual(24 * 3600 * 1000 - 1000);
        expect(before - since).toBeLessThan(24 * 3600 * 1000 + 60 * 1000);
        expect(config.query).toContain('Status__c: { in: ["Booked", "Confirmed"] }');
        const rows = [...element.shadowRoot.querySelectorAll('[data-id="booking"]')];
        expect(rows.map((row) => row.dataset.booking)).toEqual([PAST, FUTURE]);
        expect(rows[1].querySelector('[data-cell="status"]').textContent).toBe('Confirmed');
        expect(rows[0].querySelector('[data-cell="lead"]').textContent).toBe('Kenji Ibrahim');
    });

    it('offers No Show once a demo has started and Cancel before it starts', async () => {
        const element = await render();
        expect(action(element, 'no-show', PAST).disabled).toBe(false);
        expect(action(element, 'cancel', PAST).disabled).toBe(true);
        expect(action(element, 'no-show', FUTURE).disabled).toBe(true);
        expect(action(element, 'cancel', FUTURE).disabled).toBe(false);
    });

    it('marks a no-show and a cancellation through Status__c, then reads the list again', async () => {
        updateRecord.mockResolvedValue({});
        const element = await render();
        action(element, 'no-show', PAST).click();
        await flushPromises();
        expect(updateRecord).toHaveBeenLastCalledWith({
            fields: { Id: PAST, Status__c: 'No Show' }
        });
        expect($(element, '[data-id="status"]').textContent).toBe('c.ASL_DC_Marked');
        action(element, 'cancel', FUTURE).click();
        await flushPromises();
        expect(updateRecord).toHaveBeenLastCalledWith({
            fields: { Id: FUTURE, Status__c: 'Cancelled' }
        });
        expect(refresh).toHaveBeenCalledTimes(2);
    });

    it('shows why a change was refused', async () => {
        updateRecord.mockRejectedValueOnce(mockUpdateError);
        const element = await render();
        action(element, 'cancel', FUTURE).click();
        await flushPromises();
        expect($(element, '[data-id="action-error"]').textContent).toBe('c.ASL_DC_Mark_Failed');
    });

    it('says when there are none, and when they cannot be read', async () => {
        const element = await render(mockEmpty);
        expect($(element, 'c-load-status').empty).toBe(true);
        const failing = await render(null);
        graphql.emitErrors(mockErrors, BOOKINGS);
        await flushPromises();
        expect($(failing, 'c-load-status').error).toBe(
            'Insufficient privileges: Demo_Slot__c is not accessible'
        );
    });

    it('is accessible', async () => {
        const element = await render();
        await expect(element).toBeAccessible();
    });
});
