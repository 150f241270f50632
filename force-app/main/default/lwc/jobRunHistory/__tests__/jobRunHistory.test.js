import { createElement } from 'lwc';
import JobRunHistory from 'c/jobRunHistory';
import { graphql, refresh } from 'lightning/graphql';

const mockRuns = require('./data/jobRuns.json');
const mockRunsEmpty = require('./data/jobRunsEmpty.json');
const mockErrors = require('./data/jobRunsErrors.json');

const JOB_ID = 'a05000000000001AAA';

async function flushPromises() {
    for (let i = 0; i < 5; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

async function createHistory(props = {}) {
    const element = createElement('c-job-run-history', { is: JobRunHistory });
    Object.assign(element, { jobId: JOB_ID, jobName: 'Catch-up sweep' }, props);
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);

// The loading, error and empty states live in the shared c-load-status child.
const status = (element, id) =>
    element.shadowRoot.querySelector('c-load-status').shadowRoot.querySelector(`[data-id="${id}"]`);

describe('c-job-run-history', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('reads the runs of the job, newest first', async () => {
        await createHistory({ pageSize: 5 });
        const config = graphql.lastConfigFor('engineJobRuns');
        expect(config.variables).toEqual({ jobId: JOB_ID, pageSize: 5 });
        expect(config.query).toContain('where: { Engine_Job__c: { eq: $jobId } }');
        expect(config.query).toContain('orderBy: { Started_At__c: { order: DESC } }');
    });

    it('shows start, end, outcome, records touched, API calls and the summary', async () => {
        const element = await createHistory();
        graphql.emit(mockRuns);
        await flushPromises();

        const rows = [...element.shadowRoot.querySelectorAll('[data-id="run-row"]')];
        expect(rows).toHaveLength(2);
        const first = rows[0];
        expect(first.querySelector('[data-id="started"]').value).toBe('2026-11-22T21:30:00.000Z');
        expect(first.querySelector('[data-id="finished"]').value).toBe('2026-11-22T21:30:04.000Z');
        expect(
            ['outcome', 'records', 'api-calls', 'summary'].map((id) =>
                first.querySelector(`[data-id="${id}"]`).textContent.trim()
            )
        ).toEqual(['Succeeded', '12', '3', '12 dispositions processed, 0 leads assigned']);
        expect(rows[1].querySelector('[data-id="summary"]').textContent).toBe(
            'INVALID_SESSION_ID: Session expired or invalid'
        );
        expect($(element, 'h3').textContent.trim()).toBe('c.ASL_EJ_Runs_Title');
    });

    it('is accessible with runs on screen', async () => {
        const element = await createHistory();
        graphql.emit(mockRuns);
        await flushPromises();
        await expect(element).toBeAccessible();
    });

    it('says when the job has not run yet', async () => {
        const element = await createHistory();
        graphql.emit(mockRunsEmpty);
        await flushPromises();
        expect(status(element, 'empty')).not.toBeNull();
        expect(element.shadowRoot.querySelectorAll('[data-id="run-row"]')).toHaveLength(0);
    });

    it('shows the error when the runs cannot be read', async () => {
        const element = await createHistory();
        graphql.emitErrors(mockErrors);
        await flushPromises();
        expect(status(element, 'load-error').textContent).toBe(
            'Insufficient privileges: Job_Run__c is not accessible'
        );
    });

    it('reads the runs again on refresh()', async () => {
        const element = await createHistory();
        graphql.emit(mockRuns);
        await flushPromises();
        await element.refresh();
        expect(refresh).toHaveBeenCalledTimes(1);
    });
});
