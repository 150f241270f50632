// Tests drive the getRecord test adapter directly (emit, getLastConfig), as lwc-recipes do.
/* eslint-disable @lwc/lwc/no-unexpected-wire-adapter-usages */
import { createElement } from 'lwc';
import StageTimer from 'c/stageTimer';
import { getRecord } from 'lightning/uiRecordApi';
import { graphql, refresh } from 'lightning/graphql';

const mockLead = require('./data/getRecordLead.json');
const mockOpportunity = require('./data/getRecordOpportunity.json');
const mockNoStation = require('./data/getRecordNoStation.json');
const mockHistory = require('./data/stageHistory.json');
const mockHistoryEmpty = require('./data/stageHistoryEmpty.json');
const mockHistoryErrors = require('./data/stageHistoryErrors.json');

const NOW = new Date('2026-11-23T12:00:00.000Z');

async function flushPromises() {
    for (let i = 0; i < 5; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

async function createTimer(objectApiName = 'Lead', recordId = '00Q000000000001AAA') {
    const element = createElement('c-stage-timer', { is: StageTimer });
    element.recordId = recordId;
    element.objectApiName = objectApiName;
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

const text = (element, id) => {
    const node = element.shadowRoot.querySelector(`[data-id="${id}"]`);
    return node ? node.textContent : null;
};

describe('c-stage-timer', () => {
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

    it('reads the station and bin fields of the record page object', async () => {
        await createTimer('Lead');
        expect(getRecord.getLastConfig()).toEqual({
            recordId: '00Q000000000001AAA',
            optionalFields: [
                'Lead.Station__c',
                'Lead.Station__r.Name',
                'Lead.Station_Entered_At__c',
                'Lead.Bin__c',
                'Lead.Bin_Entered_At__c',
                'Lead.Next_Action_At__c'
            ]
        });
        expect(graphql.getLastConfig().variables).toEqual({
            assetId: '00Q000000000001AAA',
            recordRef: '00Q000000000001AAA',
            pageSize: 20
        });
    });

    it('shows the time in station against the SLA, and a breach', async () => {
        const element = await createTimer();
        // getRecord returns the lead; the GraphQL wire returns its stays and the stations.
        getRecord.emit(mockLead);
        graphql.emit(mockHistory);
        await flushPromises();

        expect(text(element, 'station-name')).toBe('SDR Calling');
        expect(text(element, 'station-sla')).toBe('c.ASL_ST_Sla');
        expect(text(element, 'sla-status')).toBe('c.ASL_ST_Over_Sla');
        expect(element.shadowRoot.querySelector('[data-id="sla-status"]').className).toContain(
            'slds-theme_error'
        );
        expect(element.shadowRoot.querySelector('lightning-progress-bar').value).toBe(100);
        expect(text(element, 'bin-name')).toBe('Working');
        expect(text(element, 'bin-next')).toBe('c.ASL_ST_Next_Action');
    });

    it('shows the time left within the SLA', async () => {
        const element = await createTimer('Opportunity', '006000000000001AAA');
        getRecord.emit(mockOpportunity);
        graphql.emit(mockHistory);
        await flushPromises();

        // 24 hours of a 120-hour SLA.
        expect(text(element, 'station-name')).toBe('Demo');
        expect(text(element, 'sla-status')).toBe('c.ASL_ST_Within_Sla');
        expect(element.shadowRoot.querySelector('lightning-progress-bar').value).toBe(20);
        // Opportunities have no bin.
        expect(element.shadowRoot.querySelector('[data-id="bin"]')).toBeNull();
        expect(getRecord.getLastConfig().optionalFields).toEqual([
            'Opportunity.Station__c',
            'Opportunity.Station__r.Name',
            'Opportunity.Station_Entered_At__c'
        ]);
    });

    it('lists earlier stations and bins with names and durations, newest first', async () => {
        const element = await createTimer();
        getRecord.emit(mockLead);
        graphql.emit(mockHistory);
        await flushPromises();

        const rows = [...element.shadowRoot.querySelectorAll('[data-id="history-row"]')].map(
            (row) => [...row.children].map((cell) => cell.textContent)
        );
        expect(rows).toEqual([
            // Stations are named by Key__c or Id in the events; the table shows their names.
            [
                'Station',
                'Demo Coordination',
                'SDR Calling',
                '11/21/2026, 2:00 AM',
                'c.ASL_ST_Ongoing',
                '2d 4h (c.ASL_ST_Ongoing)',
                'Engine Integration'
            ],
            [
                'Station',
                'SDR Calling',
                'Demo Coordination',
                '11/19/2026, 4:00 AM',
                '11/21/2026, 2:00 AM',
                '1d 22h',
                'Sam Rivera'
            ],
            [
                'Bin',
                'Cold',
                'Working',
                '11/16/2026, 6:00 AM',
                'c.ASL_ST_Ongoing',
                '7d 0h (c.ASL_ST_Ongoing)',
                ''
            ]
        ]);
    });

    it('shows a record outside every station, in an Avoid bin', async () => {
        const element = await createTimer('Account', '001000000000001AAA');
        getRecord.emit(mockNoStation);
        graphql.emit(mockHistoryEmpty);
        await flushPromises();

        expect(element.shadowRoot.querySelector('[data-id="no-station"]')).not.toBeNull();
        expect(text(element, 'bin-name')).toBe('Avoid - Current Client');
        expect(element.shadowRoot.querySelector('[data-id="history-empty"]')).not.toBeNull();
    });

    it('shows the error when the record cannot be read', async () => {
        const element = await createTimer();
        getRecord.emitError({
            body: { message: 'You do not have access to this record.' },
            status: 403
        });
        await flushPromises();
        expect(text(element, 'record-error')).toBe('You do not have access to this record.');
    });

    it('shows the error when the history cannot be read', async () => {
        const element = await createTimer();
        getRecord.emit(mockLead);
        graphql.emitErrors(mockHistoryErrors);
        await flushPromises();
        expect(text(element, 'history-error')).toBe(
            "Field 'Stage_Event__c' in type 'RecordQuery' is undefined"
        );
        expect(text(element, 'station-name')).toBe('SDR Calling');
    });

    it('reads the history again when the record moves to another station', async () => {
        await createTimer();
        getRecord.emit(mockLead);
        graphql.emit(mockHistory);
        await flushPromises();
        expect(refresh).not.toHaveBeenCalled();

        const moved = JSON.parse(JSON.stringify(mockLead));
        moved.fields.Station__c.value = 'a0S000000000002AAA';
        getRecord.emit(moved);
        await flushPromises();
        expect(refresh).toHaveBeenCalledTimes(1);
    });

    it('is accessible with a breach and a history', async () => {
        const element = await createTimer();
        getRecord.emit(mockLead);
        graphql.emit(mockHistory);
        await flushPromises();
        jest.useRealTimers();
        await expect(element).toBeAccessible();
    });

    it('keeps counting while the page stays open', async () => {
        const element = await createTimer('Opportunity', '006000000000001AAA');
        getRecord.emit(mockOpportunity);
        graphql.emit(mockHistory);
        await flushPromises();
        expect(element.shadowRoot.querySelector('lightning-progress-bar').value).toBe(20);

        // 12 more hours: 36 of 120 hours used.
        jest.advanceTimersByTime(12 * 60 * 60 * 1000);
        await flushPromises();
        expect(element.shadowRoot.querySelector('lightning-progress-bar').value).toBe(30);
    });
});
