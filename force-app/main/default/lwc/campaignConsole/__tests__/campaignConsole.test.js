import { createElement } from 'lwc';
import CampaignConsole, { parseCosts, formatCosts } from 'c/campaignConsole';
import { graphql, byOperation, refresh } from 'lightning/graphql';
import { updateRecord } from 'lightning/uiRecordApi';
import { publish, resetSubscriptions } from 'lightning/empApi';

const mockTests = require('./data/campaignTests.json');
const mockTestsEmpty = require('./data/campaignTestsEmpty.json');
const mockErrors = require('./data/campaignErrors.json');
const mockReports = require('./data/campaignReportsRun.json');
const mockReportsEmpty = require('./data/campaignReportsRunEmpty.json');
const mockJob = require('./data/campaignReportsJob.json');
const mockJobEmpty = require('./data/campaignReportsJobEmpty.json');
const mockUpdateError = require('./data/updateRecordError.json');

const TESTS = byOperation('campaignTests');
const REPORTS = byOperation('campaignReportsRun');
const JOB = byOperation('campaignReportsJob');
const JOB_ID = 'a0J8d0000000007AAA';

async function flushPromises() {
    for (let i = 0; i < 8; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

async function createConsole({ tests = mockTests, reports = mockReports, job = mockJob } = {}) {
    const element = createElement('c-campaign-console', { is: CampaignConsole });
    document.body.appendChild(element);
    await flushPromises();
    // Each wire answers with its recorded payload: the tests, the latest report run, the job.
    if (tests) graphql.emit(tests, TESTS);
    if (reports) graphql.emit(reports, REPORTS);
    if (job) graphql.emit(job, JOB);
    await flushPromises();
    return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
const statuses = (element) =>
    $$(element, 'c-load-status').map((child) => ({
        loading: child.loading,
        error: child.error,
        empty: child.empty,
        emptyMessage: child.emptyMessage
    }));

describe('c-campaign-console', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
        resetSubscriptions();
    });

    it('lists every campaign test with status, metric, variants and winner, newest first', async () => {
        const element = await createConsole();
        expect(graphql.lastConfigFor('campaignTests').variables).toEqual({ pageSize: 50 });
        expect(graphql.lastConfigFor('campaignTests').query).toContain(
            'orderBy: { CreatedDate: { order: DESC } }'
        );
        const rows = $$(element, '[data-id="test-row"]').map((row) => ({
            campaign: row.querySelector('button').textContent.trim(),
            status: row.querySelector('[data-id="test-status"]').textContent,
            metric: row.querySelector('[data-id="test-metric"]').textContent,
            variants: row.querySelector('[data-id="test-variants"]').textContent,
            winner: row.querySelector('[data-id="test-winner"]').textContent
        }));
        expect(rows).toEqual([
            {
                campaign: 'Spring webinar',
                status: 'Decided',
                metric: 'Meeting',
                variants: 'A;B;C',
                winner: 'B'
            },
            {
                campaign: 'Web demo requests Q4',
                status: 'Running',
                metric: 'Meeting',
                variants: 'A;B',
                winner: '\u2014'
            },
            {
                campaign: 'Trade show follow-up',
                status: 'Stopped',
                metric: 'Contact',
                variants: 'A;B',
                winner: '\u2014'
            },
            {
                campaign: 'Partner newsletter',
                status: 'Draft',
                metric: 'Meeting',
                variants: 'A;B',
                winner: '\u2014'
            },
            {
                campaign: 'Broken result',
                status: 'Running',
                metric: 'Meeting',
                variants: 'A;B',
                winner: '\u2014'
            }
        ]);
    });

    it('opens on the newest test and shows another when its name is chosen', async () => {
        const element = await createConsole();
        const detail = () => $(element, 'c-campaign-test-result');
        expect(detail().test.campaignName).toBe('Spring webinar');
        expect(detail().test.result.winner).toBe('B');
        expect(
            $(element, 'button[data-test-id="a0T8d0000000003AAA"]').getAttribute('aria-pressed')
        ).toBe('true');

        $(element, 'button[data-test-id="a0T8d0000000002AAA"]').click();
        await flushPromises();
        expect(detail().test.campaignName).toBe('Web demo requests Q4');
        expect(detail().test.result.looks).toHaveLength(2);
        expect(detail().test.resultError).toBe('');
    });

    it('says when a stored result is not the engine\u2019s JSON', async () => {
        const element = await createConsole();
        $(element, 'button[data-test-id="a0T8d0000000005AAA"]').click();
        await flushPromises();
        const test = $(element, 'c-campaign-test-result').test;
        expect(test.result).toBeNull();
        expect(test.resultError).toBe('c.ASL_CA_Result_Unreadable');
    });

    it('hands the latest Campaign Reports run to the list-quality and ROI tables, with when it was computed', async () => {
        const element = await createConsole();
        expect(graphql.lastConfigFor('campaignReportsRun').query).toContain(
            'Job_Type__c: { eq: "Campaign Reports" }'
        );
        expect($(element, '[data-id="reports-computed"]').textContent.trim()).toBe(
            'c.ASL_CA_Reports_Computed'
        );
        // The newest run is still computing (no report yet): the one before it is shown.
        const report = JSON.parse(mockReports.uiapi.query.Job_Run__c.edges[1].node.Result__c.value);
        expect($(element, 'c-campaign-list-quality').report).toEqual(report.lists);
        expect($(element, 'c-campaign-roi').rows).toEqual(report.roi);
        expect($(element, 'c-campaign-roi').currencyCode).toBe('USD');
    });

    it('says what is missing when there are no tests, no report and no job', async () => {
        const element = await createConsole({
            tests: mockTestsEmpty,
            reports: mockReportsEmpty,
            job: mockJobEmpty
        });
        expect(statuses(element)).toEqual([
            { loading: false, error: null, empty: true, emptyMessage: 'c.ASL_CA_Tests_Empty' },
            { loading: false, error: null, empty: true, emptyMessage: 'c.ASL_CA_Reports_None' }
        ]);
        expect($(element, '[data-id="no-job"]')).not.toBeNull();
        expect($(element, '[data-id="run"]')).toBeNull();
        expect($(element, 'c-campaign-test-result')).toBeNull();
    });

    it('shows the reason when the tests cannot be read', async () => {
        const element = await createConsole({ tests: null });
        graphql.emitErrors(mockErrors, TESTS);
        await flushPromises();
        expect(statuses(element)[0].error).toBe(
            "Field 'Result__c' is not accessible for the current user"
        );
    });

    it('writes the spend into the job scope and asks the engine to recompute', async () => {
        const element = await createConsole();
        const costs = $(element, '[data-id="costs"]');
        expect(costs.value).toBe('Web=12000, Purchased List=3000');
        costs.value = 'Web=15000, Trade Show=8000';
        costs.dispatchEvent(new CustomEvent('change'));
        $(element, '[data-id="run"]').click();
        await flushPromises();
        expect(updateRecord).toHaveBeenCalledWith({
            fields: {
                Id: JOB_ID,
                Scope__c: JSON.stringify({ costs: { Web: 15000, 'Trade Show': 8000 }, seed: '1' }),
                Run_Now__c: true
            }
        });
        expect($(element, '[data-id="status"]').textContent).toBe('c.ASL_CA_Run_Queued');
        expect(refresh).toHaveBeenCalled();
    });

    it('refuses spend that is not Source=amount, and writes nothing', async () => {
        const element = await createConsole();
        const costs = $(element, '[data-id="costs"]');
        costs.value = 'Web=lots';
        costs.dispatchEvent(new CustomEvent('change'));
        $(element, '[data-id="run"]').click();
        await flushPromises();
        expect(updateRecord).not.toHaveBeenCalled();
        expect($(element, '[data-id="action-error"]').textContent).toBe('c.ASL_CA_Costs_Invalid');
    });

    it('says why a request was refused', async () => {
        updateRecord.mockRejectedValueOnce(mockUpdateError);
        const element = await createConsole();
        $(element, '[data-id="run"]').click();
        await flushPromises();
        expect($(element, '[data-id="action-error"]').textContent).toBe('c.ASL_CA_Run_Failed');
    });

    it('disables Recompute while a run is requested', async () => {
        const requested = JSON.parse(JSON.stringify(mockJob));
        requested.uiapi.query.Engine_Job__c.edges[0].node.Run_Now__c.value = true;
        const element = await createConsole({ job: requested });
        const button = $(element, '[data-id="run"]');
        expect(button.disabled).toBe(true);
        expect(button.textContent.trim()).toBe('c.ASL_CA_Run_Requested');
    });

    it('reads everything again when the engine signals JOB_RUN', async () => {
        await createConsole();
        publish('/event/Engine_Signal__e', { Kind__c: 'JOB_RUN', Record_Id__c: JOB_ID });
        await flushPromises();
        // One refresh per wire: the tests, the report run and the job.
        expect(refresh).toHaveBeenCalledTimes(3);
    });

    it('is accessible', async () => {
        const element = await createConsole();
        await expect(element).toBeAccessible();
    });
});

describe('spend per source', () => {
    it('reads Source=amount pairs, spaces and a trailing comma allowed', () => {
        expect(parseCosts(' Web=12000 , Purchased List = 3000,')).toEqual({
            costs: { Web: 12000, 'Purchased List': 3000 }
        });
        expect(parseCosts('')).toEqual({ costs: {} });
        expect(parseCosts('Web=-1').error).toBe('c.ASL_CA_Costs_Invalid');
        expect(parseCosts('=5').error).toBe('c.ASL_CA_Costs_Invalid');
    });

    it('writes them back the way they are typed', () => {
        expect(formatCosts({ Web: 12000, 'Purchased List': 3000 })).toBe(
            'Web=12000, Purchased List=3000'
        );
        expect(parseCosts(formatCosts({ Web: 1, 'Trade Show': 0 })).costs).toEqual({
            Web: 1,
            'Trade Show': 0
        });
        expect(formatCosts(undefined)).toBe('');
    });
});
