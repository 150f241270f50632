import { createElement } from 'lwc';
import PlanningConsole, { periodDays, periodEnd } from 'c/planningConsole';
import { graphql, byOperation, refresh } from 'lightning/graphql';
import { updateRecord } from 'lightning/uiRecordApi';
import { publish, resetSubscriptions } from 'lightning/empApi';

const mockJob = require('./data/planningJob.json');
const mockJobEmpty = require('./data/planningJobEmpty.json');
const mockRuns = require('./data/planningRuns.json');
const mockRunsFailed = require('./data/planningRunsFailed.json');
const mockRunsEmpty = require('./data/planningRunsEmpty.json');
const mockErrors = require('./data/planningErrors.json');
const mockUpdateError = require('./data/updateRecordError.json');

const JOB = byOperation('planningJob');
const RUNS = byOperation('planningRuns');
const JOB_ID = 'a0J8d0000000008AAA';
const SCOPE = JSON.parse(mockJob.uiapi.query.Engine_Job__c.edges[0].node.Scope__c.value);

async function flushPromises() {
    for (let i = 0; i < 8; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

async function createConsole({ job = mockJob, runs = mockRuns } = {}) {
    const element = createElement('c-planning-console', { is: PlanningConsole });
    document.body.appendChild(element);
    await flushPromises();
    // The job the console writes the target to, and the latest runs of that job type.
    if (job) graphql.emit(job, JOB);
    if (runs) graphql.emit(runs, RUNS);
    await flushPromises();
    return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const loadStatus = (element) => {
    const child = $(element, 'c-load-status');
    return {
        loading: child.loading,
        error: child.error,
        empty: child.empty,
        emptyMessage: child.emptyMessage
    };
};

function type(element, field, value) {
    const input = $(element, `[data-field="${field}"]`);
    input.value = value;
    input.dispatchEvent(new CustomEvent('change'));
}

async function submit(element) {
    $(element, '[data-id="plan-form"]').dispatchEvent(
        new CustomEvent('submit', { cancelable: true })
    );
    await flushPromises();
}

describe('c-planning-console', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
        resetSubscriptions();
    });

    it('shows the latest plan with when it was computed', async () => {
        const element = await createConsole();
        expect(graphql.lastConfigFor('planningRuns').query).toContain(
            'Job_Type__c: { eq: "Capacity Plan" }'
        );
        const result = $(element, 'c-planning-result');
        const plan = JSON.parse(mockRuns.uiapi.query.Job_Run__c.edges[0].node.Result__c.value);
        expect(result.result).toEqual(plan);
        expect(result.computedAt).toBe('11/22/2026, 6:00 AM');
        expect(result.currencyCode).toBe('USD');
        expect(loadStatus(element)).toEqual({
            loading: false,
            error: null,
            empty: false,
            emptyMessage: 'c.ASL_PL_Empty'
        });
    });

    it('fills the form with the target and period the job was last asked for', async () => {
        const element = await createConsole();
        expect($(element, '[data-field="target"]').value).toBe(1200000);
        expect($(element, '[data-field="start"]').value).toBe('2027-01-01');
        expect($(element, '[data-field="end"]').value).toBe('2027-04-01');
    });

    it('writes the new target and period into the job scope, keeping RevOps\u2019 settings, and asks the engine to run it', async () => {
        const element = await createConsole();
        type(element, 'target', '2400000');
        type(element, 'start', '2027-04-01');
        type(element, 'end', '2027-06-30');
        await submit(element);
        expect(updateRecord).toHaveBeenCalledTimes(1);
        const { fields } = updateRecord.mock.calls[0][0];
        expect(fields.Id).toBe(JOB_ID);
        expect(fields.Run_Now__c).toBe(true);
        expect(JSON.parse(fields.Scope__c)).toEqual({
            ...SCOPE,
            targetBookings: 2400000,
            periodStart: '2027-04-01',
            periodDays: 91
        });
        expect($(element, '[data-id="status"]').textContent.trim()).toBe('c.ASL_PL_Requested');
        expect(refresh).toHaveBeenCalled();
    });

    it('refuses a missing target or a period that ends before it starts, and writes nothing', async () => {
        const element = await createConsole();
        type(element, 'target', '0');
        await submit(element);
        expect($(element, '[data-id="form-error"]').textContent).toBe('c.ASL_PL_Target_Invalid');
        type(element, 'target', '500000');
        type(element, 'end', '2026-12-01');
        await submit(element);
        expect($(element, '[data-id="form-error"]').textContent).toBe('c.ASL_PL_Period_Invalid');
        expect(updateRecord).not.toHaveBeenCalled();
    });

    it('says why a request was refused', async () => {
        updateRecord.mockRejectedValueOnce(mockUpdateError);
        const element = await createConsole();
        await submit(element);
        expect($(element, '[data-id="form-error"]').textContent).toBe('c.ASL_PL_Save_Failed');
    });

    it('shows Computing while the run is requested', async () => {
        const requested = JSON.parse(JSON.stringify(mockJob));
        requested.uiapi.query.Engine_Job__c.edges[0].node.Run_Now__c.value = true;
        const element = await createConsole({ job: requested });
        const button = $(element, '[data-id="compute"]');
        expect(button.disabled).toBe(true);
        expect(button.textContent.trim()).toBe('c.ASL_PL_Computing');
        await submit(element);
        expect(updateRecord).not.toHaveBeenCalled();
    });

    it('keeps the last good plan and says when the newest request failed', async () => {
        const element = await createConsole({ runs: mockRunsFailed });
        expect($(element, '[data-id="last-failure"]').textContent).toBe('c.ASL_PL_Last_Failed');
        expect($(element, 'c-planning-result').result.kind).toBe('capacity-plan');
    });

    it('says what is missing when there is no plan and no job', async () => {
        const element = await createConsole({ job: mockJobEmpty, runs: mockRunsEmpty });
        expect($(element, '[data-id="no-job"]')).not.toBeNull();
        expect($(element, '[data-id="plan-form"]')).toBeNull();
        expect(loadStatus(element).empty).toBe(true);
        expect($(element, 'c-planning-result')).toBeNull();
    });

    it('shows the reason when the runs cannot be read', async () => {
        const element = await createConsole({ runs: null });
        graphql.emitErrors(mockErrors, RUNS);
        await flushPromises();
        expect(loadStatus(element).error).toBe(
            "Field 'Result__c' is not accessible for the current user"
        );
    });

    it('reads the job and the runs again when the engine signals JOB_RUN', async () => {
        await createConsole();
        publish('/event/Engine_Signal__e', { Kind__c: 'JOB_RUN', Record_Id__c: JOB_ID });
        await flushPromises();
        expect(refresh).toHaveBeenCalledTimes(2);
    });

    it('is accessible', async () => {
        const element = await createConsole();
        await expect(element).toBeAccessible();
    });
});

describe('period days', () => {
    it('counts both the first and the last day', () => {
        expect(periodDays('2027-01-01', '2027-03-31')).toBe(90);
        expect(periodDays('2027-01-01', '2027-01-01')).toBe(1);
        expect(periodDays('2027-01-02', '2027-01-01')).toBeNull();
        expect(periodDays('', '2027-01-01')).toBeNull();
    });

    it('gives back the last day of a period', () => {
        expect(periodEnd('2027-01-01', 90)).toBe('2027-03-31');
        expect(periodEnd('2027-01-01', periodDays('2027-01-01', '2027-12-31'))).toBe('2027-12-31');
        expect(periodEnd('', 10)).toBe('');
    });
});
