import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';
import {
    connectionNodes,
    createRefresher,
    fieldDisplay,
    fieldValue,
    formatLabel,
    isTruncated,
    listenToSignals,
    onSignalKinds,
    reduceErrors,
    refreshWired
} from 'c/aslUtils';
import LABEL_TITLE from '@salesforce/label/c.ASL_EJ_Title';
import LABEL_REFRESH from '@salesforce/label/c.ASL_Common_Refresh';
import LABEL_EMPTY from '@salesforce/label/c.ASL_EJ_Empty';
import LABEL_TRUNCATED from '@salesforce/label/c.ASL_EJ_Truncated';
import LABEL_NEW from '@salesforce/label/c.ASL_EJ_New';
import LABEL_CREATE from '@salesforce/label/c.ASL_EJ_Create';
import LABEL_CANCEL from '@salesforce/label/c.ASL_EJ_Cancel';
import LABEL_SAVE from '@salesforce/label/c.ASL_EJ_Save';
import LABEL_NAME from '@salesforce/label/c.ASL_EJ_Name';
import LABEL_TYPE from '@salesforce/label/c.ASL_EJ_Type';
import LABEL_CRON from '@salesforce/label/c.ASL_EJ_Cron';
import LABEL_CRON_HINT from '@salesforce/label/c.ASL_EJ_Cron_Hint';
import LABEL_SCOPE from '@salesforce/label/c.ASL_EJ_Scope';
import LABEL_SCOPE_HINT from '@salesforce/label/c.ASL_EJ_Scope_Hint';
import LABEL_ENABLED from '@salesforce/label/c.ASL_EJ_Enabled';
import LABEL_STATUS from '@salesforce/label/c.ASL_EJ_Status';
import LABEL_LAST_RUN from '@salesforce/label/c.ASL_EJ_Last_Run';
import LABEL_NEXT_RUN from '@salesforce/label/c.ASL_EJ_Next_Run';
import LABEL_ACTIONS from '@salesforce/label/c.ASL_EJ_Actions';
import LABEL_ENABLE from '@salesforce/label/c.ASL_EJ_Enable';
import LABEL_DISABLE from '@salesforce/label/c.ASL_EJ_Disable';
import LABEL_EDIT_SCHEDULE from '@salesforce/label/c.ASL_EJ_Edit_Schedule';
import LABEL_RUN_NOW from '@salesforce/label/c.ASL_EJ_Run_Now';
import LABEL_RUN_REQUESTED from '@salesforce/label/c.ASL_EJ_Run_Requested';
import LABEL_YES from '@salesforce/label/c.ASL_EJ_Yes';
import LABEL_NO from '@salesforce/label/c.ASL_EJ_No';
import LABEL_SHOW_RUNS from '@salesforce/label/c.ASL_EJ_Show_Runs';
import LABEL_NAME_REQUIRED from '@salesforce/label/c.ASL_EJ_Name_Required';
import LABEL_TYPE_REQUIRED from '@salesforce/label/c.ASL_EJ_Type_Required';
import LABEL_CRON_INVALID from '@salesforce/label/c.ASL_EJ_Cron_Invalid';
import LABEL_SCOPE_INVALID from '@salesforce/label/c.ASL_EJ_Scope_Invalid';
import LABEL_SAVE_FAILED from '@salesforce/label/c.ASL_EJ_Save_Failed';
import LABEL_CREATED from '@salesforce/label/c.ASL_EJ_Created';
import LABEL_ENABLED_DONE from '@salesforce/label/c.ASL_EJ_Enabled_Done';
import LABEL_DISABLED_DONE from '@salesforce/label/c.ASL_EJ_Disabled_Done';
import LABEL_SCHEDULED from '@salesforce/label/c.ASL_EJ_Scheduled';
import LABEL_RUN_QUEUED from '@salesforce/label/c.ASL_EJ_Run_Queued';
import LABEL_ENABLE_JOB from '@salesforce/label/c.ASL_EJ_Enable_Job';
import LABEL_DISABLE_JOB from '@salesforce/label/c.ASL_EJ_Disable_Job';
import LABEL_RUN_NOW_JOB from '@salesforce/label/c.ASL_EJ_Run_Now_Job';
import LABEL_RUN_REQUESTED_JOB from '@salesforce/label/c.ASL_EJ_Run_Requested_Job';
import LABEL_EDIT_SCHEDULE_JOB from '@salesforce/label/c.ASL_EJ_Edit_Schedule_Job';
import LABEL_CRON_JOB from '@salesforce/label/c.ASL_EJ_Cron_Job';

/*
 * Engine_Job__c.Type__c values, the same list as the field's restricted picklist and the
 * engine's JOB_TYPES (services/engine/jobs/types.ts); a test keeps the three in step.
 */
export const JOB_TYPES = [
    'Rebalance',
    'Rerank',
    'Forecast Refresh',
    'Report',
    'Catch Up Sweep',
    'Re-entry',
    'Audit',
    'Campaign Results',
    'Campaign Reports',
    'Capacity Plan'
];

const JOBS_QUERY = gql`
    query engineJobs($pageSize: Int) {
        uiapi {
            query {
                Engine_Job__c(orderBy: { Name: { order: ASC } }, first: $pageSize) {
                    pageInfo {
                        hasNextPage
                    }
                    edges {
                        node {
                            Id
                            Name {
                                value
                            }
                            Type__c {
                                value
                                displayValue
                            }
                            Cron__c {
                                value
                            }
                            Enabled__c {
                                value
                            }
                            Run_Now__c {
                                value
                            }
                            Status__c {
                                value
                                displayValue
                            }
                            Status_Message__c {
                                value
                            }
                            Last_Run_At__c {
                                value
                            }
                            Next_Run_At__c {
                                value
                            }
                        }
                    }
                }
            }
        }
    }
`;

const REFRESH_SIGNALS = new Set(['JOB_RUN']);

/**
 * A first check of a cron expression: five fields (minute first) or six (seconds first). The
 * engine validates it fully and writes a bad one back as Status__c = Invalid Schedule.
 */
export function isCronShaped(text) {
    const fields = String(text || '')
        .trim()
        .split(/\s+/)
        .filter(Boolean);
    return fields.length === 5 || fields.length === 6;
}

/** Scope__c is a JSON object or empty; returns { value } or { error }. */
function parseScope(text) {
    const trimmed = String(text || '').trim();
    if (!trimmed) {
        return { value: null };
    }
    try {
        const parsed = JSON.parse(trimmed);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
            return { value: JSON.stringify(parsed) };
        }
    } catch {
        // reported below
    }
    return { error: LABEL_SCOPE_INVALID };
}

const EMPTY_DRAFT = Object.freeze({ name: '', type: '', cron: '', scope: '', enabled: true });

/**
 * Engine Jobs console for RevOps: the jobs the engine runs (Engine_Job__c), their state and
 * run history, and the actions RevOps takes on them: create, enable or disable, reschedule,
 * run now. Every write goes through Lightning Data Service; the engine picks it up at its next
 * re-read of the jobs and answers with an Engine_Signal__e JOB_RUN when a run ends.
 */
export default class EngineJobs extends LightningElement {
    /** Runs shown for the selected job. */
    @api runsShown = 20;

    labels = {
        title: LABEL_TITLE,
        refresh: LABEL_REFRESH,
        empty: LABEL_EMPTY,
        newJob: LABEL_NEW,
        create: LABEL_CREATE,
        cancel: LABEL_CANCEL,
        save: LABEL_SAVE,
        name: LABEL_NAME,
        type: LABEL_TYPE,
        cron: LABEL_CRON,
        cronHint: LABEL_CRON_HINT,
        scope: LABEL_SCOPE,
        scopeHint: LABEL_SCOPE_HINT,
        enabled: LABEL_ENABLED,
        status: LABEL_STATUS,
        lastRun: LABEL_LAST_RUN,
        nextRun: LABEL_NEXT_RUN,
        actions: LABEL_ACTIONS,
        editSchedule: LABEL_EDIT_SCHEDULE
    };

    jobs = [];
    loaded = false;
    loadError = null;
    truncated = false;
    selectedId = null;
    creating = false;
    draft = { ...EMPTY_DRAFT };
    formError = '';
    /** The job whose schedule is being edited, and the new expression. */
    editingId = null;
    cronDraft = '';
    actionError = '';
    status = '';
    busy = false;
    wiredResult;
    signals = null;

    typeOptions = JOB_TYPES.map((value) => ({ label: value, value }));

    @wire(graphql, { query: JOBS_QUERY, variables: { pageSize: 200 } })
    wiredJobs(result) {
        this.wiredResult = result;
        if (result.errors) {
            this.loadError = reduceErrors(result.errors).join(' ');
            this.loaded = true;
        } else if (result.data) {
            const connection = result.data.uiapi.query.Engine_Job__c;
            this.jobs = connectionNodes(connection).map((node) => ({
                id: node.Id,
                name: fieldValue(node, 'Name'),
                type: fieldDisplay(node, 'Type__c'),
                cron: fieldValue(node, 'Cron__c'),
                enabled: fieldValue(node, 'Enabled__c') === true,
                runNow: fieldValue(node, 'Run_Now__c') === true,
                status: fieldDisplay(node, 'Status__c'),
                statusMessage: fieldValue(node, 'Status_Message__c'),
                lastRunAt: fieldValue(node, 'Last_Run_At__c'),
                nextRunAt: fieldValue(node, 'Next_Run_At__c')
            }));
            this.truncated = isTruncated(connection);
            this.loadError = null;
            this.loaded = true;
            if (!this.jobs.some((job) => job.id === this.selectedId)) {
                this.selectedId = this.jobs.length ? this.jobs[0].id : null;
            }
        }
    }

    requestRefresh = createRefresher(() => this.refreshAll());

    connectedCallback() {
        this.signals = listenToSignals(onSignalKinds(REFRESH_SIGNALS, () => this.requestRefresh()));
    }

    disconnectedCallback() {
        this.signals.stop();
    }

    refreshAll() {
        return refreshWired([this.wiredResult, this.template.querySelector('c-job-run-history')]);
    }

    get isLoading() {
        return !this.loaded;
    }

    get isEmpty() {
        return this.loaded && !this.loadError && this.jobs.length === 0;
    }

    get hasJobs() {
        return !this.loadError && this.jobs.length > 0;
    }

    get truncatedText() {
        return this.truncated ? LABEL_TRUNCATED : '';
    }

    get rows() {
        return this.jobs.map((job) => {
            const selected = job.id === this.selectedId;
            return {
                ...job,
                enabledText: job.enabled ? LABEL_YES : LABEL_NO,
                toggleText: job.enabled ? LABEL_DISABLE : LABEL_ENABLE,
                toggleLabel: formatLabel(
                    job.enabled ? LABEL_DISABLE_JOB : LABEL_ENABLE_JOB,
                    job.name
                ),
                runNowText: job.runNow ? LABEL_RUN_REQUESTED : LABEL_RUN_NOW,
                runNowLabel: formatLabel(
                    job.runNow ? LABEL_RUN_REQUESTED_JOB : LABEL_RUN_NOW_JOB,
                    job.name
                ),
                editLabel: formatLabel(LABEL_EDIT_SCHEDULE_JOB, job.name),
                showRunsLabel: formatLabel(LABEL_SHOW_RUNS, job.name),
                cronInputLabel: formatLabel(LABEL_CRON_JOB, job.name),
                selected: selected ? 'true' : 'false',
                rowClass: selected ? 'slds-is-selected' : '',
                editing: job.id === this.editingId
            };
        });
    }

    get selectedJob() {
        return this.jobs.find((job) => job.id === this.selectedId) || null;
    }

    get actionsDisabled() {
        return this.busy;
    }

    handleSelect(event) {
        this.selectedId = event.currentTarget.dataset.id;
    }

    handleRefresh() {
        this.requestRefresh();
    }

    // Create --------------------------------------------------------------------------------

    handleNew() {
        this.creating = true;
        this.draft = { ...EMPTY_DRAFT };
        this.formError = '';
    }

    handleCancelNew() {
        this.creating = false;
        this.formError = '';
    }

    handleDraftChange(event) {
        const field = event.target.dataset.field;
        const value = field === 'enabled' ? event.target.checked : event.target.value;
        this.draft = { ...this.draft, [field]: value };
    }

    draftProblem() {
        if (!this.draft.name.trim()) {
            return LABEL_NAME_REQUIRED;
        }
        if (!JOB_TYPES.includes(this.draft.type)) {
            return LABEL_TYPE_REQUIRED;
        }
        if (!isCronShaped(this.draft.cron)) {
            return formatLabel(LABEL_CRON_INVALID, this.draft.cron);
        }
        return parseScope(this.draft.scope).error || '';
    }

    async handleCreate() {
        const problem = this.draftProblem();
        if (problem) {
            this.formError = problem;
            return;
        }
        const fields = {
            Name: this.draft.name.trim(),
            Type__c: this.draft.type,
            Cron__c: this.draft.cron.trim(),
            Enabled__c: this.draft.enabled
        };
        const scope = parseScope(this.draft.scope).value;
        if (scope) {
            fields.Scope__c = scope;
        }
        const saved = await this.save(
            () => createRecord({ apiName: 'Engine_Job__c', fields }),
            fields.Name
        );
        if (saved) {
            this.creating = false;
            this.selectedId = saved.id || this.selectedId;
            this.status = formatLabel(LABEL_CREATED, fields.Name);
        }
    }

    // Enable / disable, schedule, run now --------------------------------------------------

    async handleToggle(event) {
        const job = this.jobById(event.currentTarget.dataset.id);
        if (!job) {
            return;
        }
        const enabled = !job.enabled;
        const saved = await this.save(
            () => updateRecord({ fields: { Id: job.id, Enabled__c: enabled } }),
            job.name
        );
        if (saved) {
            this.status = formatLabel(enabled ? LABEL_ENABLED_DONE : LABEL_DISABLED_DONE, job.name);
        }
    }

    handleEditSchedule(event) {
        const job = this.jobById(event.currentTarget.dataset.id);
        if (job) {
            this.editingId = job.id;
            this.cronDraft = job.cron || '';
            this.actionError = '';
        }
    }

    handleCronChange(event) {
        this.cronDraft = event.target.value;
    }

    handleCancelSchedule() {
        this.editingId = null;
    }

    async handleSaveSchedule() {
        const job = this.jobById(this.editingId);
        if (!job) {
            return;
        }
        if (!isCronShaped(this.cronDraft)) {
            this.actionError = formatLabel(LABEL_CRON_INVALID, this.cronDraft);
            return;
        }
        const cron = this.cronDraft.trim();
        const saved = await this.save(
            () => updateRecord({ fields: { Id: job.id, Cron__c: cron } }),
            job.name
        );
        if (saved) {
            this.editingId = null;
            this.status = formatLabel(LABEL_SCHEDULED, job.name, cron);
        }
    }

    async handleRunNow(event) {
        const job = this.jobById(event.currentTarget.dataset.id);
        if (!job || job.runNow) {
            return;
        }
        // The engine starts the run at its next re-read of the jobs and clears the flag.
        const saved = await this.save(
            () => updateRecord({ fields: { Id: job.id, Run_Now__c: true } }),
            job.name
        );
        if (saved) {
            this.status = formatLabel(LABEL_RUN_QUEUED, job.name);
        }
    }

    jobById(id) {
        return this.jobs.find((job) => job.id === id) || null;
    }

    /** Runs one LDS write; on failure says why and returns null, else the saved record. */
    async save(write, jobName) {
        this.busy = true;
        this.actionError = '';
        this.formError = '';
        let record;
        try {
            record = (await write()) || {};
        } catch (error) {
            const message = formatLabel(LABEL_SAVE_FAILED, jobName, reduceErrors(error).join(' '));
            if (this.creating) {
                this.formError = message;
            } else {
                this.actionError = message;
            }
            return null;
        } finally {
            this.busy = false;
        }
        try {
            await this.requestRefresh();
        } catch {
            // The write is saved; the list catches up on the next refresh or engine signal.
        }
        return record;
    }
}
