import { createElement } from 'lwc';
import DemoCalendar from 'c/demoCalendar';
import { graphql, byOperation, refresh } from 'lightning/graphql';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';
import { publish, resetSubscriptions } from 'lightning/empApi';

const mockTypes = require('./data/types.json');
const mockTypesEmpty = require('./data/typesEmpty.json');
const mockTypesErrors = require('./data/typesErrors.json');
const mockLeads = require('./data/leads.json');
const mockAnswered = require('./data/requestAnswered.json');
const mockWaiting = require('./data/requestWaiting.json');
const mockFailed = require('./data/requestFailed.json');
const mockAnswer = require('./data/answer.json');
const mockDuplicate = require('./data/duplicateValue.json');
const mockDenied = require('./data/createDenied.json');

const TYPES = byOperation('demoCalendarTypes');
const LEADS = byOperation('demoCalendarLeads');
const REQUEST = byOperation('demoCalendarRequest');
const REQUEST_ID = 'a0R000000000001AAA';
const SIGNALS = '/event/Engine_Signal__e';

async function flushPromises() {
    for (let i = 0; i < 8; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);

function typeInto(element, field, value) {
    const input = $(element, `[data-field="${field}"]`);
    input.value = value;
    input.dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

async function createConsole() {
    const element = createElement('c-demo-calendar', { is: DemoCalendar });
    document.body.appendChild(element);
    await flushPromises();
    // The demo types and the leads waiting at the coordination station arrive from GraphQL.
    graphql.emit(mockTypes, TYPES);
    graphql.emit(mockLeads, LEADS);
    await flushPromises();
    return element;
}

/** Asks for slots and delivers the engine's answer to the request wire. */
async function findSlots(element, answered = mockAnswered) {
    createRecord.mockResolvedValueOnce({ id: REQUEST_ID });
    $(element, '[data-id="find"]').click();
    await flushPromises();
    graphql.emit(answered, REQUEST);
    await flushPromises();
}

function bookButton(element, key) {
    return $(element, 'c-slot-list').shadowRoot.querySelector(
        `button[data-action="book"][data-key="${key}"]`
    );
}

describe('c-demo-calendar', () => {
    beforeEach(() => {
        updateRecord.mockResolvedValue({ id: REQUEST_ID });
    });

    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
        jest.useRealTimers();
        resetSubscriptions();
    });

    it('asks the engine for slots with the demo type, days, city, customer zone and lead', async () => {
        const element = await createConsole();
        typeInto(element, 'days', '21');
        typeInto(element, 'city', ' Chicago ');
        typeInto(element, 'zone', 'America/Chicago');
        typeInto(element, 'leadId', '00Q000000000001AAA');
        await flushPromises();
        createRecord.mockResolvedValueOnce({ id: REQUEST_ID });
        $(element, '[data-id="find"]').click();
        await flushPromises();

        expect(createRecord).toHaveBeenCalledWith({
            apiName: 'Demo_Request__c',
            fields: {
                Demo_Type__c: 'a0T000000000001AAA',
                Days__c: 21,
                Status__c: 'Requested',
                City__c: 'Chicago',
                Customer_Time_Zone__c: 'America/Chicago',
                Lead__c: '00Q000000000001AAA'
            }
        });
        // The console reads that request until the engine has answered.
        expect(graphql.lastConfigFor('demoCalendarRequest').variables).toEqual({
            requestId: REQUEST_ID
        });
        expect($(element, '[data-id="waiting"]')).not.toBeNull();
        graphql.emit(mockWaiting, REQUEST);
        await flushPromises();
        expect($(element, '[data-id="waiting"]')).not.toBeNull();
        expect($(element, 'c-slot-list')).toBeNull();
    });

    it('offers the leads waiting at the coordination station, and no lead', async () => {
        const element = await createConsole();
        expect(graphql.lastConfigFor('demoCalendarLeads').query).toContain(
            'Station__r: { Role__c: { eq: "Coordinator" } }'
        );
        expect($(element, '[data-field="leadId"]').options.map((o) => o.value)).toEqual([
            '',
            '00Q000000000001AAA'
        ]);
        expect($(element, '[data-field="typeId"]').value).toBe('a0T000000000001AAA');
    });

    it("shows the engine's slots in its order, and why the first AE is first", async () => {
        const element = await createConsole();
        await findSlots(element);

        expect($(element, '[data-id="waiting"]')).toBeNull();
        const list = $(element, 'c-slot-list');
        expect(list.slots.map((slot) => [slot.rank, slot.key, slot.ae])).toEqual(
            mockAnswer.slots.map((slot) => [slot.rank, slot.key, mockAnswer.people[slot.aeId]])
        );
        expect(list.totalText).toBe('c.ASL_DC_Total');
        const standings = $(element, 'c-demo-standings');
        expect(standings.standings.map((row) => [row.order, row.name, row.booked])).toEqual([
            [1, 'Ben Okafor', 2],
            [2, 'Ana Lopez', 2],
            [3, 'Chen Wu', 6]
        ]);
        expect(standings.seed).toBe('a0R000000000001AAA');
        // Records the engine could not use are named, with the fix.
        expect($(element, '[data-id="problems"]').textContent).toContain(
            'Time_Zone__c: got "Central"'
        );
    });

    it('reads the request again when the engine signals SLOTS for it, and on a timer', async () => {
        jest.useFakeTimers();
        const element = await createConsole();
        createRecord.mockResolvedValueOnce({ id: REQUEST_ID });
        $(element, '[data-id="find"]').click();
        await flushPromises();
        refresh.mockClear();
        publish(SIGNALS, { Kind__c: 'SLOTS', Record_Id__c: 'a0R000000000999AAA' });
        expect(refresh).not.toHaveBeenCalled();
        publish(SIGNALS, { Kind__c: 'SLOTS', Record_Id__c: REQUEST_ID });
        expect(refresh).toHaveBeenCalledTimes(1);
        // Without streaming the console still reads the answer.
        jest.advanceTimersByTime(2000);
        expect(refresh).toHaveBeenCalledTimes(2);
        graphql.emit(mockAnswered, REQUEST);
        await flushPromises();
        jest.advanceTimersByTime(10000);
        expect(refresh).toHaveBeenCalledTimes(2);
    });

    it("books a slot by inserting the answer's Demo_Slot__c as given, then asks for a fresh listing", async () => {
        const element = await createConsole();
        await findSlots(element);
        const first = mockAnswer.slots[0];
        createRecord.mockResolvedValueOnce({ id: 'a0S000000000001AAA' });
        bookButton(element, first.key).click();
        await flushPromises();

        expect(createRecord).toHaveBeenLastCalledWith({
            apiName: 'Demo_Slot__c',
            fields: first.record
        });
        expect($(element, '[data-id="booked"]').textContent).toBe('c.ASL_DC_Booked');
        expect(updateRecord).toHaveBeenCalledWith({
            fields: { Id: REQUEST_ID, Status__c: 'Requested' }
        });
        expect($(element, '[data-id="waiting"]')).not.toBeNull();
    });

    it('says a slot was just taken (DUPLICATE_VALUE) and books the next best slot the engine named', async () => {
        const element = await createConsole();
        await findSlots(element);
        const [first, second] = mockAnswer.slots;
        createRecord.mockRejectedValueOnce(mockDuplicate);
        bookButton(element, first.key).click();
        await flushPromises();

        const conflict = $(element, '[data-id="conflict"]');
        expect(conflict.textContent).toBe('c.ASL_DC_Conflict');
        expect($(element, '[data-id="booked"]')).toBeNull();
        expect($(element, '[data-id="book-error"]')).toBeNull();
        // The fresh answer arrives meanwhile; the offer stays the one the engine named.
        graphql.emit(mockAnswered, REQUEST);
        await flushPromises();

        createRecord.mockResolvedValueOnce({ id: 'a0S000000000002AAA' });
        $(element, '[data-id="book-next"]').click();
        await flushPromises();
        expect(first.next).toBe(second.key);
        expect(createRecord).toHaveBeenLastCalledWith({
            apiName: 'Demo_Slot__c',
            fields: second.record
        });
        expect($(element, '[data-id="conflict"]')).toBeNull();
        expect($(element, '[data-id="booked"]')).not.toBeNull();
    });

    it('shows other booking failures with their reason', async () => {
        const element = await createConsole();
        await findSlots(element);
        createRecord.mockRejectedValueOnce(mockDenied);
        bookButton(element, mockAnswer.slots[2].key).click();
        await flushPromises();
        expect($(element, '[data-id="book-error"]').textContent).toBe('c.ASL_DC_Book_Failed');
        expect($(element, '[data-id="conflict"]')).toBeNull();
    });

    it('says so when the engine cancelled the booking for an overlap (SLOT_CONFLICT)', async () => {
        const element = await createConsole();
        await findSlots(element);
        createRecord.mockResolvedValueOnce({ id: 'a0S000000000003AAA' });
        bookButton(element, mockAnswer.slots[2].key).click();
        await flushPromises();
        publish(SIGNALS, { Kind__c: 'SLOT_CONFLICT', Record_Id__c: 'a0S000000000003AAA' });
        await flushPromises();
        expect($(element, '[data-id="conflict"]').textContent).toBe('c.ASL_DC_Overlap');
        expect($(element, '[data-id="book-next"]')).not.toBeNull();
    });

    it("shows the engine's reason when it cannot search", async () => {
        const element = await createConsole();
        await findSlots(element, mockFailed);
        expect($(element, '[data-id="request-error"]').textContent).toBe('c.ASL_DC_Engine_Failed');
        expect($(element, 'c-slot-list')).toBeNull();
        expect($(element, '[data-id="waiting"]')).toBeNull();
    });

    it('says when the answer is not one it can read, rather than guessing', async () => {
        const element = await createConsole();
        const unreadable = JSON.parse(JSON.stringify(mockAnswered));
        const node = unreadable.uiapi.query.Demo_Request__c.edges[0].node;
        node.Result__c.value = JSON.stringify({ ...mockAnswer, version: 2 });
        await findSlots(element, unreadable);
        expect($(element, '[data-id="request-error"]').textContent).toBe('c.ASL_DC_Unreadable');
        expect($(element, 'c-slot-list')).toBeNull();
    });

    it('asks for a city for a field meeting and a whole number of days', async () => {
        const element = await createConsole();
        typeInto(element, 'typeId', 'a0T000000000002AAA');
        await flushPromises();
        expect($(element, '[data-field="city"]').required).toBe(true);
        $(element, '[data-id="find"]').click();
        await flushPromises();
        expect($(element, '[data-id="form-error"]').textContent).toBe('c.ASL_DC_City_Required');
        typeInto(element, 'city', 'Chicago');
        typeInto(element, 'days', '2.5');
        await flushPromises();
        $(element, '[data-id="find"]').click();
        await flushPromises();
        expect($(element, '[data-id="form-error"]').textContent).toBe('c.ASL_DC_Days_Invalid');
        expect(createRecord).not.toHaveBeenCalled();
    });

    it('shows the error when the request cannot be created', async () => {
        const element = await createConsole();
        createRecord.mockRejectedValueOnce(mockDenied);
        $(element, '[data-id="find"]').click();
        await flushPromises();
        expect($(element, '[data-id="request-error"]').textContent).toBe('c.ASL_DC_Request_Failed');
        expect($(element, '[data-id="waiting"]')).toBeNull();
    });

    it('says when there are no demo types, and when they cannot be read', async () => {
        const element = createElement('c-demo-calendar', { is: DemoCalendar });
        document.body.appendChild(element);
        await flushPromises();
        graphql.emit(mockTypesEmpty, TYPES);
        await flushPromises();
        expect($(element, 'c-load-status').empty).toBe(true);
        expect($(element, '[data-id="find"]').disabled).toBe(true);
        graphql.emitErrors(mockTypesErrors, TYPES);
        await flushPromises();
        expect($(element, 'c-load-status').error).toBe(
            'Insufficient privileges: Demo_Type__c is not accessible'
        );
    });

    it('is accessible with slots and standings on screen', async () => {
        const element = await createConsole();
        await findSlots(element);
        await expect(element).toBeAccessible();
    });
});
