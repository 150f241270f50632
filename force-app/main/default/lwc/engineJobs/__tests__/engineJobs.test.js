import { createElement } from 'lwc';
import EngineJobs, { JOB_TYPES, isCronShaped } from 'c/engineJobs';
import { graphql, byOperation, refresh } from 'lightning/graphql';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';
import { publish, resetSubscriptions } from 'lightning/empApi';

const fs = require('fs');
const path = require('path');

const mockJobs = require('./data/engineJobs.json');
const mockJobsEmpty = require('./data/engineJobsEmpty.json');
const mockErrors = require('./data/engineJobsErrors.json');
const mockUpdateError = require('./data/updateRecordError.json');

const JOBS = byOperation('engineJobs');
const SWEEP = 'a05000000000001AAA';
const AUDIT = 'a05000000000002AAA';
const REBALANCE = 'a05000000000003AAA';

async function flushPromises() {
    for (let i = 0; i < 8; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

async function createConsole(jobs = mockJobs) {
    const element = createElement('c-engine-jobs', { is: EngineJobs });
    document.body.appendChild(element);
    await flushPromises();
    if (jobs) {
        graphql.emit(jobs, JOBS);
        await flushPromises();
    }
    return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const action = (element, name, jobId) =>
    $(element, `button[data-action="${name}"][data-id="${jobId}"]`);
const rowOf = (element, jobId) => $(element, `tr[data-job="${jobId}"]`);
const cell = (row, name) => row.querySelector(`[data-cell="${name}"]`).textContent.trim();

function typeInto(element, selector, value, property = 'value') {
    const input = $(element, selector);
    input[property] = value;
    input.dispatchEvent(new CustomEvent('change'));
}

async function fillNewJob(element, { name, type, cron, scope, enabled }) {
    $(element, '[data-id="new"]').click();
    await flushPromises();
    if (name !== undefined) typeInto(element, '[data-field="name"]', name);
    if (type !== undefined) typeInto(element, '[data-field="type"]', type);
    if (cron !== undefined) typeInto(element, '[data-field="cron"]', cron);
    if (scope !== undefined) typeInto(element, '[data-field="scope"]', scope);
    if (enabled !== undefined) typeInto(element, '[data-field="enabled"]', enabled, 'checked');
    await flushPromises();
}

// The loading, error and empty states live in the shared c-load-status child.
const status = (element, id) =>
    element.shadowRoot.querySelector('c-load-status').shadowRoot.querySelector(`[data-id="${id}"]`);

describe('c-engine-jobs', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
        resetSubscriptions();
    });

    it('lists every job with type, schedule, enabled, status and run times', async () => {
        const element = await createConsole();
        const config = graphql.lastConfigFor('engineJobs');
        expect(config.variables).toEqual({ pageSize: 200 });
        expect(config.query).toContain('orderBy: { Name: { order: ASC } }');

        const rows = [...element.shadowRoot.querySelectorAll('[data-id="job-row"]')];
        expect(rows.map((row) => row.querySelector('th').textContent.trim())).toEqual([
            'Catch-up sweep',
            'Nightly audit',
            'Rebalance SDR'
        ]);
        const sweep = rowOf(element, SWEEP);
        expect(['type', 'cron', 'enabled'].map((name) => cell(sweep, name))).toEqual([
            'Catch Up Sweep',
            '*/15 * * * *',
            'c.ASL_EJ_Yes'
        ]);
        expect(sweep.querySelector('[data-cell="last-run"]').value).toBe(
            '2026-11-22T21:30:00.000Z'
        );
        expect(sweep.querySelector('[data-cell="next-run"]').value).toBe(
            '2026-11-22T21:45:00.000Z'
        );
        expect(cell(rowOf(element, AUDIT), 'enabled')).toBe('c.ASL_EJ_No');
        // A bad schedule is shown with the engine's reason.
        expect(cell(rowOf(element, REBALANCE), 'status')).toContain('Invalid Schedule');
        expect(cell(rowOf(element, REBALANCE), 'status')).toContain('is not a valid cron');
        // A run already requested cannot be requested twice.
        expect(action(element, 'run-now', REBALANCE).disabled).toBe(true);
        expect(action(element, 'run-now', SWEEP).disabled).toBe(false);
    });

    it('shows the run history of the first job, then of the job chosen', async () => {
        const element = await createConsole();
        const history = $(element, 'c-job-run-history');
        expect(history.jobId).toBe(SWEEP);
        expect(history.jobName).toBe('Catch-up sweep');
        expect(graphql.lastConfigFor('engineJobRuns').variables).toEqual({
            jobId: SWEEP,
            pageSize: 20
        });

        action(element, 'select', AUDIT).click();
        await flushPromises();
        expect($(element, 'c-job-run-history').jobId).toBe(AUDIT);
        expect(action(element, 'select', AUDIT).getAttribute('aria-pressed')).toBe('true');
        expect(graphql.lastConfigFor('engineJobRuns').variables.jobId).toBe(AUDIT);
    });

    it('is accessible with the jobs and the create form on screen', async () => {
        const element = await createConsole();
        $(element, '[data-id="new"]').click();
        await flushPromises();
        await expect(element).toBeAccessible();
    });

    it('says when there are no jobs yet', async () => {
        const element = await createConsole(mockJobsEmpty);
        expect(status(element, 'empty')).not.toBeNull();
        expect(element.shadowRoot.querySelectorAll('[data-id="job-row"]')).toHaveLength(0);
        expect($(element, 'c-job-run-history')).toBeNull();
    });

    it('shows the error when the jobs cannot be read', async () => {
        const element = await createConsole(null);
        graphql.emitErrors(mockErrors, JOBS);
        await flushPromises();
        expect(status(element, 'load-error').textContent).toBe(
            'Insufficient privileges: Engine_Job__c is not accessible'
        );
        expect(element.shadowRoot.querySelectorAll('[data-id="job-row"]')).toHaveLength(0);
    });

    it('creates a job with name, type, schedule, scope and enabled', async () => {
        createRecord.mockResolvedValueOnce({ id: 'a05000000000004AAA' });
        const element = await createConsole();
        await fillNewJob(element, {
            name: '  Hourly rebalance ',
            type: 'Rebalance',
            cron: ' 0 * * * * ',
            scope: '{ "stations": ["SDR_CALL"] }',
            enabled: false
        });
        $(element, '[data-id="create"]').click();
        await flushPromises();

        expect(createRecord).toHaveBeenCalledTimes(1);
        expect(createRecord).toHaveBeenCalledWith({
            apiName: 'Engine_Job__c',
            fields: {
                Name: 'Hourly rebalance',
                Type__c: 'Rebalance',
                Cron__c: '0 * * * *',
                Enabled__c: false,
                Scope__c: '{"stations":["SDR_CALL"]}'
            }
        });
        expect($(element, '[data-id="create-form"]')).toBeNull();
        expect($(element, '[data-id="status"]').textContent).toBe('c.ASL_EJ_Created');
        expect(refresh).toHaveBeenCalled();
    });

    it('creates an enabled job without a scope by default', async () => {
        const element = await createConsole();
        await fillNewJob(element, { name: 'Sweep', type: 'Catch Up Sweep', cron: '*/5 * * * *' });
        $(element, '[data-id="create"]').click();
        await flushPromises();
        expect(createRecord).toHaveBeenCalledWith({
            apiName: 'Engine_Job__c',
            fields: {
                Name: 'Sweep',
                Type__c: 'Catch Up Sweep',
                Cron__c: '*/5 * * * *',
                Enabled__c: true
            }
        });
    });

    it.each([
        [{ type: 'Audit', cron: '0 3 * * *' }, 'c.ASL_EJ_Name_Required'],
        [{ name: 'A', cron: '0 3 * * *' }, 'c.ASL_EJ_Type_Required'],
        [{ name: 'A', type: 'Audit', cron: 'every hour' }, 'c.ASL_EJ_Cron_Invalid'],
        [{ name: 'A', type: 'Audit', cron: '0 3 * * *', scope: '["x"]' }, 'c.ASL_EJ_Scope_Invalid'],
        [{ name: 'A', type: 'Audit', cron: '0 3 * * *', scope: '{oops' }, 'c.ASL_EJ_Scope_Invalid']
    ])('does not create a job from %j: %s', async (draft, message) => {
        const element = await createConsole();
        await fillNewJob(element, draft);
        $(element, '[data-id="create"]').click();
        await flushPromises();
        expect(createRecord).not.toHaveBeenCalled();
        expect($(element, '[data-id="form-error"]').textContent.trim()).toBe(message);
    });

    it('keeps the form open with the reason when the job cannot be created', async () => {
        createRecord.mockRejectedValueOnce(mockUpdateError);
        const element = await createConsole();
        await fillNewJob(element, { name: 'Sweep', type: 'Catch Up Sweep', cron: '*/5 * * * *' });
        $(element, '[data-id="create"]').click();
        await flushPromises();
        expect($(element, '[data-id="create-form"]')).not.toBeNull();
        expect($(element, '[data-id="form-error"]').textContent.trim()).toBe(
            'c.ASL_EJ_Save_Failed'
        );
    });

    it('enables a disabled job and disables an enabled one', async () => {
        const element = await createConsole();
        action(element, 'toggle', AUDIT).click();
        await flushPromises();
        expect(updateRecord).toHaveBeenLastCalledWith({
            fields: { Id: AUDIT, Enabled__c: true }
        });
        expect($(element, '[data-id="status"]').textContent).toBe('c.ASL_EJ_Enabled_Done');

        action(element, 'toggle', SWEEP).click();
        await flushPromises();
        expect(updateRecord).toHaveBeenLastCalledWith({
            fields: { Id: SWEEP, Enabled__c: false }
        });
        expect(updateRecord).toHaveBeenCalledTimes(2);
        expect($(element, '[data-id="status"]').textContent).toBe('c.ASL_EJ_Disabled_Done');
    });

    it('edits the schedule of a job', async () => {
        const element = await createConsole();
        action(element, 'edit-schedule', REBALANCE).click();
        await flushPromises();
        const input = $(element, '[data-id="cron-input"]');
        expect(input.value).toBe('every hour');
        typeInto(element, '[data-id="cron-input"]', '0 */2 * * *');
        $(element, 'button[data-action="save-schedule"]').click();
        await flushPromises();

        expect(updateRecord).toHaveBeenCalledTimes(1);
        expect(updateRecord).toHaveBeenCalledWith({
            fields: { Id: REBALANCE, Cron__c: '0 */2 * * *' }
        });
        expect($(element, '[data-id="cron-input"]')).toBeNull();
        expect($(element, '[data-id="status"]').textContent).toBe('c.ASL_EJ_Scheduled');
    });

    it('does not save a schedule that is not five or six fields', async () => {
        const element = await createConsole();
        action(element, 'edit-schedule', SWEEP).click();
        await flushPromises();
        typeInto(element, '[data-id="cron-input"]', '0 3 * *');
        $(element, 'button[data-action="save-schedule"]').click();
        await flushPromises();
        expect(updateRecord).not.toHaveBeenCalled();
        expect($(element, '[data-id="action-error"]').textContent.trim()).toBe(
            'c.ASL_EJ_Cron_Invalid'
        );

        $(element, 'button[data-action="cancel-schedule"]').click();
        await flushPromises();
        expect($(element, '[data-id="cron-input"]')).toBeNull();
    });

    it('shows why a schedule was not saved', async () => {
        updateRecord.mockRejectedValueOnce(mockUpdateError);
        const element = await createConsole();
        action(element, 'edit-schedule', SWEEP).click();
        await flushPromises();
        typeInto(element, '[data-id="cron-input"]', '0 4 * * *');
        $(element, 'button[data-action="save-schedule"]').click();
        await flushPromises();
        expect($(element, '[data-id="action-error"]').textContent.trim()).toBe(
            'c.ASL_EJ_Save_Failed'
        );
        // The editor stays open with the expression typed.
        expect($(element, '[data-id="cron-input"]').value).toBe('0 4 * * *');
    });

    it('asks the engine to run a job now', async () => {
        const element = await createConsole();
        action(element, 'run-now', SWEEP).click();
        await flushPromises();
        expect(updateRecord).toHaveBeenCalledTimes(1);
        expect(updateRecord).toHaveBeenCalledWith({ fields: { Id: SWEEP, Run_Now__c: true } });
        expect($(element, '[data-id="status"]').textContent).toBe('c.ASL_EJ_Run_Queued');
        expect(refresh).toHaveBeenCalled();
    });

    it('reads jobs and runs again when the engine signals JOB_RUN, not on other signals', async () => {
        const element = await createConsole();
        expect($(element, 'c-job-run-history')).not.toBeNull();
        publish('/event/Engine_Signal__e', { Kind__c: 'ASSIGNED' });
        await flushPromises();
        expect(refresh).not.toHaveBeenCalled();

        publish('/event/Engine_Signal__e', { Kind__c: 'JOB_RUN' });
        await flushPromises();
        // One refresh for the jobs, one for the run history of the selected job.
        expect(refresh).toHaveBeenCalledTimes(2);
    });

    it('reads again on Refresh', async () => {
        const element = await createConsole();
        $(element, '[data-id="refresh"]').click();
        await flushPromises();
        expect(refresh).toHaveBeenCalledTimes(2);
    });

    it('offers the job types of Engine_Job__c.Type__c and of the engine', () => {
        const root = path.resolve(__dirname, '../../../../../..');
        const field = fs.readFileSync(
            path.join(
                root,
                'force-app/main/default/objects/Engine_Job__c/fields/Type__c.field-meta.xml'
            ),
            'utf8'
        );
        const picklist = [...field.matchAll(/<fullName>([^<]+)<\/fullName>\s*<default>/g)].map(
            (match) => match[1]
        );
        expect(JOB_TYPES).toEqual(picklist);
        const engine = fs.readFileSync(path.join(root, 'services/engine/jobs/types.ts'), 'utf8');
        const list = engine.match(/JOB_TYPES = \[([^\]]+)\]/)[1];
        expect(JOB_TYPES).toEqual([...list.matchAll(/'([^']+)'/g)].map((match) => match[1]));
    });

    it('accepts cron expressions of five or six fields only', () => {
        expect(isCronShaped('0 */2 * * *')).toBe(true);
        expect(isCronShaped('*/30 0 */2 * * *')).toBe(true);
        expect(isCronShaped('0 3 * *')).toBe(false);
        expect(isCronShaped('')).toBe(false);
        expect(isCronShaped(null)).toBe(false);
    });
});
