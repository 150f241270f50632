import { createElement } from 'lwc';
import WorkQueue from 'c/workQueue';
import { graphql, refresh, byOperation } from 'lightning/graphql';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';
import { publish, resetSubscriptions, subscribe } from 'lightning/empApi';

const mockEntries = require('./data/workQueueEntries.json');
const mockEntriesEmpty = require('./data/workQueueEntriesEmpty.json');
const mockErrors = require('./data/workQueueErrors.json');
const mockCreateError = require('./data/createRecordError.json');

// The running user in sfdx-lwc-jest (@salesforce/user/Id).
const USER_ID = '005000000000000000';
const QUEUE = byOperation('workQueueEntries');

async function flushPromises() {
    for (let i = 0; i < 5; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

// The wire receives its config after connecting, so emits filtered by query wait for it.
async function createQueue() {
    const element = createElement('c-work-queue', { is: WorkQueue });
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const panelOf = (element) => $(element, 'c-disposition-panel');
const outcomeButton = (element, outcome) =>
    panelOf(element).shadowRoot.querySelector(`button[data-outcome="${outcome}"]`);

// The loading, error and empty states live in the shared c-load-status child.
const status = (element, id) =>
    element.shadowRoot.querySelector('c-load-status').shadowRoot.querySelector(`[data-id="${id}"]`);

describe('c-work-queue', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
        jest.useRealTimers();
        resetSubscriptions();
    });

    it('shows a spinner until the queue arrives', async () => {
        const element = await createQueue();
        expect(status(element, 'loading')).not.toBeNull();
        expect($(element, '[data-id="entry"]')).toBeNull();
    });

    it('asks for the open entries of the running user, best rank first', async () => {
        await createQueue();
        await flushPromises();
        expect(graphql.getLastConfig().variables).toEqual({ userId: USER_ID, pageSize: 20 });
        expect(graphql.getLastConfig().query).toContain('Status__c: { eq: "Open" }');
        expect(graphql.getLastConfig().query).toContain('orderBy: { Rank__c: { order: ASC } }');
    });

    it('shows the top-ranked entry: lead, company, purpose, guidance and the count', async () => {
        const element = await createQueue();
        // The GraphQL wire returns the SDR's ranked entries.
        graphql.emit(mockEntries, QUEUE);
        await flushPromises();

        expect(status(element, 'loading')).toBeNull();
        expect($(element, '[data-id="entry"]').dataset.entryId).toBe('a0Q000000000001AAA');
        expect($(element, '[data-id="entry-name"]').textContent).toBe('Ada Lovelace');
        expect($(element, '[data-id="entry-name"]').getAttribute('href')).toBe(
            '/lightning/r/Lead/00Q000000000001AAA/view'
        );
        expect($(element, '[data-id="company"]').textContent).toBe('Analytical Engines Ltd');
        expect($(element, '[data-id="purpose"]').textContent).toBe('First Touch');
        expect($(element, '[data-id="attempt"]').textContent).toBe('1');
        expect($(element, '[data-id="due"]').textContent).toBe('11/23/2026, 2:05 PM');
        expect($(element, '[data-id="time-zone"]').textContent).toBe('c.ASL_WQ_Local_Time');
        expect($(element, '[data-id="guidance"]').textContent).toBe('c.ASL_Guidance_First_Touch');
        expect($(element, '[data-id="count"]').textContent).toBe('c.ASL_WQ_In_Queue');
    });

    it('passes the asset to the timeline of earlier touches', async () => {
        const element = await createQueue();
        graphql.emit(mockEntries, QUEUE);
        await flushPromises();
        expect($(element, 'c-touch-timeline').assetId).toBe('00Q000000000001AAA');
    });

    it('offers a tel: link that dials the lead and starts the call timer', async () => {
        jest.useFakeTimers();
        const element = await createQueue();
        graphql.emit(mockEntries, QUEUE);
        await flushPromises();

        const dial = $(element, '[data-id="dial"]');
        expect(dial.getAttribute('href')).toBe('tel:+13125550101');
        dial.addEventListener('click', (event) => event.preventDefault());
        dial.click();
        jest.advanceTimersByTime(65000);
        await flushPromises();

        const timer = $(element, 'c-call-timer');
        expect(timer.elapsedSeconds).toBe(65);
        expect(timer.shadowRoot.querySelector('[data-id="display"]').textContent).toBe('01:05');
    });

    it('offers only the outcomes the entry allows', async () => {
        const element = await createQueue();
        graphql.emit(mockEntries, QUEUE);
        await flushPromises();

        const offered = [
            ...panelOf(element).shadowRoot.querySelectorAll('button[data-outcome]')
        ].map((button) => button.dataset.outcome);
        expect(offered).toEqual([
            'No Answer',
            'Left Voicemail',
            'Bad Number',
            'Not Interested',
            'Call Back Requested',
            'Meeting Booked'
        ]);
    });

    it('records a no-answer disposition and advances to the next entry', async () => {
        const element = await createQueue();
        graphql.emit(mockEntries, QUEUE);
        await flushPromises();

        outcomeButton(element, 'No Answer').click();
        await flushPromises();

        expect(createRecord).toHaveBeenCalledTimes(1);
        expect(createRecord).toHaveBeenCalledWith({
            apiName: 'Disposition__c',
            fields: {
                Outcome__c: 'No Answer',
                Queue_Entry__c: 'a0Q000000000001AAA',
                Asset_Id__c: '00Q000000000001AAA',
                Rep__c: USER_ID,
                Purpose__c: 'First Touch',
                Lead__c: '00Q000000000001AAA',
                Station__c: 'a0S000000000001AAA',
                Attempt_Number__c: 1
            }
        });
        expect(updateRecord).toHaveBeenCalledWith({
            fields: { Id: 'a0Q000000000001AAA', Status__c: 'Done' }
        });
        expect(refresh).toHaveBeenCalled();

        // The next entry shows without a reload, and the focus moves to it.
        expect($(element, '[data-id="entry"]').dataset.entryId).toBe('a0Q000000000002AAA');
        expect(element.shadowRoot.activeElement).toBe($(element, '[data-id="entry-heading"]'));
        expect($(element, '[data-id="status"]').textContent).toBe('c.ASL_WQ_Saved');
    });

    it('writes the disposition before closing the entry', async () => {
        const order = [];
        createRecord.mockImplementationOnce(() => {
            order.push('create');
            return Promise.resolve({ id: 'a0D000000000001AAA' });
        });
        updateRecord.mockImplementationOnce(() => {
            order.push('update');
            return Promise.resolve({});
        });
        const element = await createQueue();
        graphql.emit(mockEntries, QUEUE);
        await flushPromises();

        outcomeButton(element, 'Left Voicemail').click();
        await flushPromises();
        expect(order).toEqual(['create', 'update']);
    });

    it('records the call length measured by the timer', async () => {
        jest.useFakeTimers();
        const element = await createQueue();
        graphql.emit(mockEntries, QUEUE);
        await flushPromises();

        $(element, 'c-call-timer').start();
        jest.advanceTimersByTime(42000);
        outcomeButton(element, 'Left Voicemail').click();
        await flushPromises();

        expect(createRecord.mock.calls[0][0].fields.Duration_Seconds__c).toBe(42);
        // The timer starts from zero for the next call.
        expect($(element, 'c-call-timer').elapsedSeconds).toBe(0);
    });

    it('records a call back with its next action date', async () => {
        const element = await createQueue();
        graphql.emit(mockEntries, QUEUE);
        await flushPromises();

        outcomeButton(element, 'Call Back Requested').click();
        await flushPromises();
        expect(createRecord).not.toHaveBeenCalled();

        const panel = panelOf(element).shadowRoot;
        const when = panel.querySelector('[data-field="nextActionAt"]');
        when.dispatchEvent(
            new CustomEvent('change', { detail: { value: '2099-01-05T15:30:00.000Z' } })
        );
        await flushPromises();
        panel.querySelector('[data-id="save"]').click();
        await flushPromises();

        expect(createRecord).toHaveBeenCalledWith({
            apiName: 'Disposition__c',
            fields: expect.objectContaining({
                Outcome__c: 'Call Back Requested',
                Next_Action_At__c: '2099-01-05T15:30:00.000Z'
            })
        });
        expect(createRecord.mock.calls[0][0].fields).not.toHaveProperty('Reason_Code__c');
    });

    it('records a not-interested disposition with its reason code', async () => {
        const element = await createQueue();
        graphql.emit(mockEntries, QUEUE);
        await flushPromises();

        outcomeButton(element, 'Not Interested').click();
        await flushPromises();
        const panel = panelOf(element).shadowRoot;
        panel
            .querySelector('[data-field="reasonCode"]')
            .dispatchEvent(new CustomEvent('change', { detail: { value: 'Timing' } }));
        await flushPromises();
        panel.querySelector('[data-id="save"]').click();
        await flushPromises();

        expect(createRecord.mock.calls[0][0].fields).toEqual(
            expect.objectContaining({ Outcome__c: 'Not Interested', Reason_Code__c: 'Timing' })
        );
        expect(createRecord.mock.calls[0][0].fields).not.toHaveProperty('Next_Action_At__c');
    });

    it('records the disposition chosen with a keyboard shortcut', async () => {
        const element = await createQueue();
        graphql.emit(mockEntries, QUEUE);
        await flushPromises();

        $(element, '[data-id="entry-heading"]').dispatchEvent(
            new KeyboardEvent('keydown', { key: 'v', bubbles: true, composed: true })
        );
        await flushPromises();

        expect(createRecord.mock.calls[0][0].fields.Outcome__c).toBe('Left Voicemail');
    });

    it('ignores shortcuts for outcomes the entry does not allow, and modified keys', async () => {
        const element = await createQueue();
        graphql.emit(mockEntries, QUEUE);
        await flushPromises();

        const heading = $(element, '[data-id="entry-heading"]');
        heading.dispatchEvent(
            new KeyboardEvent('keydown', { key: 'd', bubbles: true, composed: true })
        );
        heading.dispatchEvent(
            new KeyboardEvent('keydown', { key: 'n', ctrlKey: true, bubbles: true, composed: true })
        );
        await flushPromises();

        expect(createRecord).not.toHaveBeenCalled();
    });

    it('brings the entry back and says why when the disposition cannot be saved', async () => {
        createRecord.mockRejectedValueOnce(mockCreateError);
        const element = await createQueue();
        graphql.emit(mockEntries, QUEUE);
        await flushPromises();

        outcomeButton(element, 'No Answer').click();
        await flushPromises();

        expect(updateRecord).not.toHaveBeenCalled();
        expect($(element, '[data-id="entry"]').dataset.entryId).toBe('a0Q000000000001AAA');
        expect($(element, '[data-id="save-error"]').textContent).toBe('c.ASL_WQ_Save_Failed');
    });

    it('keeps the entry closed when the disposition is saved but closing the entry is not', async () => {
        updateRecord.mockRejectedValueOnce({
            body: [
                {
                    errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
                    message: 'insufficient access rights on object id'
                }
            ],
            status: 403
        });
        const element = await createQueue();
        graphql.emit(mockEntries, QUEUE);
        await flushPromises();

        outcomeButton(element, 'No Answer').click();
        await flushPromises();
        expect(createRecord).toHaveBeenCalledTimes(1);
        expect($(element, '[data-id="save-error"]')).toBeNull();
        expect($(element, '[data-id="status"]').textContent).toBe('c.ASL_WQ_Close_Pending');

        // The engine has not processed the call yet: the re-read queue still lists the entry.
        graphql.emit(mockEntries, QUEUE);
        await flushPromises();
        expect($(element, '[data-id="entry"]').dataset.entryId).toBe('a0Q000000000002AAA');
    });

    it('offers the SDR call outcomes when the entry names none', async () => {
        const element = await createQueue();
        graphql.emit(mockEntries, QUEUE);
        await flushPromises();
        outcomeButton(element, 'No Answer').click();
        await flushPromises();

        // Grace Hopper's entry has no phone and no allowed outcomes.
        expect($(element, '[data-id="no-phone"]')).not.toBeNull();
        expect($(element, '[data-id="guidance"]').textContent).toBe('c.ASL_Guidance_Call_Back');
        const offered = [
            ...panelOf(element).shadowRoot.querySelectorAll('button[data-outcome]')
        ].map((button) => button.dataset.outcome);
        expect(offered).toContain('Do Not Call');
        expect(offered).toHaveLength(9);
    });

    it('shows an account entry with the account phone and a courtesy-call guidance', async () => {
        const element = await createQueue();
        graphql.emit(mockEntries, QUEUE);
        await flushPromises();
        outcomeButton(element, 'No Answer').click();
        await flushPromises();
        outcomeButton(element, 'No Answer').click();
        await flushPromises();

        expect($(element, '[data-id="entry-name"]').textContent).toBe('Babbage and Sons');
        expect($(element, '[data-id="account"]').textContent).toBe('Babbage and Sons');
        expect($(element, '[data-id="dial"]').getAttribute('href')).toBe('tel:+442079460001');
        expect(createRecord.mock.calls[1][0].fields.Lead__c).toBe('00Q000000000002AAA');
        outcomeButton(element, 'Service Resolved').click();
        await flushPromises();
        expect(createRecord.mock.calls[2][0].fields).toEqual(
            expect.objectContaining({
                Account__c: '001000000000003AAA',
                Asset_Id__c: '001000000000003AAA',
                Station__c: 'a0S000000000006AAA',
                Outcome__c: 'Service Resolved'
            })
        );
        expect(createRecord.mock.calls[2][0].fields).not.toHaveProperty('Lead__c');
    });

    it('shows the empty state when nothing is queued', async () => {
        const element = await createQueue();
        graphql.emit(mockEntriesEmpty, QUEUE);
        await flushPromises();
        expect($(element, '[data-id="empty"]')).not.toBeNull();
        expect($(element, '[data-id="entry"]')).toBeNull();
    });

    it('shows the error when the queue cannot be read', async () => {
        const element = await createQueue();
        graphql.emitErrors(mockErrors, QUEUE);
        await flushPromises();
        expect(status(element, 'load-error').textContent).toContain(
            "Field 'Queue_Entry__c' in type 'RecordQuery' is undefined"
        );
        expect($(element, '[data-id="empty"]')).toBeNull();
    });

    it('reads the queue again when the engine re-ranks it', async () => {
        await createQueue();
        graphql.emit(mockEntries, QUEUE);
        await flushPromises();
        expect(subscribe).toHaveBeenCalledWith('/event/Engine_Signal__e', -1, expect.any(Function));

        publish('/event/Engine_Signal__e', { Kind__c: 'RERANKED', Record_Id__c: USER_ID });
        await flushPromises();
        expect(refresh).toHaveBeenCalledTimes(1);
    });

    it('ignores signals about other SDRs and unrelated kinds', async () => {
        await createQueue();
        graphql.emit(mockEntries, QUEUE);
        await flushPromises();

        publish('/event/Engine_Signal__e', {
            Kind__c: 'RERANKED',
            Record_Id__c: '005000000000999AAA'
        });
        publish('/event/Engine_Signal__e', { Kind__c: 'JOB_RUN', Record_Id__c: '' });
        await flushPromises();
        expect(refresh).not.toHaveBeenCalled();
    });

    it('is accessible with an entry on screen', async () => {
        const element = await createQueue();
        graphql.emit(mockEntries, QUEUE);
        await flushPromises();
        await expect(element).toBeAccessible();
    });

    it('refreshes on demand', async () => {
        const element = await createQueue();
        graphql.emit(mockEntries, QUEUE);
        await flushPromises();
        $(element, '[data-id="refresh"]').click();
        await flushPromises();
        expect(refresh).toHaveBeenCalledTimes(1);
    });
});
