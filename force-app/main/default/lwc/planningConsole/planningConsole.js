import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { updateRecord } from 'lightning/uiRecordApi';
import {
    connectionNodes,
    createRefresher,
    fieldDisplay,
    fieldValue,
    formatLabel,
    formatMoney,
    listenToSignals,
    onSignalKinds,
    parseJsonObject,
    reduceErrors,
    refreshWired
} from 'c/aslUtils';
import LABEL_TITLE from '@salesforce/label/c.ASL_PL_Title';
import LABEL_REFRESH from '@salesforce/label/c.ASL_Common_Refresh';
import LABEL_INTRO from '@salesforce/label/c.ASL_PL_Intro';
import LABEL_TARGET from '@salesforce/label/c.ASL_PL_Target';
import LABEL_PERIOD_START from '@salesforce/label/c.ASL_PL_Period_Start';
import LABEL_PERIOD_END from '@salesforce/label/c.ASL_PL_Period_End';
import LABEL_COMPUTE from '@salesforce/label/c.ASL_PL_Compute';
import LABEL_COMPUTING from '@salesforce/label/c.ASL_PL_Computing';
import LABEL_REQUESTED from '@salesforce/label/c.ASL_PL_Requested';
import LABEL_SAVE_FAILED from '@salesforce/label/c.ASL_PL_Save_Failed';
import LABEL_TARGET_INVALID from '@salesforce/label/c.ASL_PL_Target_Invalid';
import LABEL_PERIOD_INVALID from '@salesforce/label/c.ASL_PL_Period_Invalid';
import LABEL_NO_JOB from '@salesforce/label/c.ASL_PL_No_Job';
import LABEL_EMPTY from '@salesforce/label/c.ASL_PL_Empty';
import LABEL_UNREADABLE from '@salesforce/label/c.ASL_PL_Unreadable';
import LABEL_LAST_FAILED from '@salesforce/label/c.ASL_PL_Last_Failed';

const JOB_QUERY = gql`
    query planningJob {
        uiapi {
            query {
                Engine_Job__c(
                    where: { Type__c: { eq: "Capacity Plan" } }
                    orderBy: { Name: { order: ASC } }
                    first: 1
                ) {
                    edges {
                        node {
                            Id
                            Name {
                                value
                            }
                            Scope__c {
                                value
                            }
                            Run_Now__c {
                                value
                            }
                            Status__c {
                                value
                            }
                        }
                    }
                }
            }
        }
    }
`;

/*
 * The engine's Capacity Plan job writes the plan as JSON into Job_Run__c.Result__c
 * (services/engine/features/planning/job.ts, CapacityPlanResult) and signals JOB_RUN before the
 * run's outcome is logged, so the newest run holding a plan is the plan (a failed run writes
 * none). The newest runs are read so that a failed request after it is shown with its reason.
 */
const RUNS_QUERY = gql`
    query planningRuns {
        uiapi {
            query {
                Job_Run__c(
                    where: { Job_Type__c: { eq: "Capacity Plan" } }
                    orderBy: { Started_At__c: { order: DESC } }
                    first: 10
                ) {
                    edges {
                        node {
                            Id
                            Outcome__c {
                                value
                            }
                            Started_At__c {
                                value
                                displayValue
                            }
                            Finished_At__c {
                                value
                                displayValue
                            }
                            Result__c {
                                value
                            }
                            Error_Summary__c {
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
const DAY_MS = 86_400_000;

/** Calendar days from start to end, both included ("2027-01-01".."2027-03-31" is 90). */
export function periodDays(start, end) {
    const from = Date.parse(`${start}T00:00:00Z`);
    const to = Date.parse(`${end}T00:00:00Z`);
    if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) {
        return null;
    }
    return Math.round((to - from) / DAY_MS) + 1;
}

/** The last day of a period that starts on `start` and lasts `days` days. */
export function periodEnd(start, days) {
    const from = Date.parse(`${start}T00:00:00Z`);
    if (!Number.isFinite(from) || !(days > 0)) {
        return '';
    }
    return new Date(from + (days - 1) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Planning console for managers and RevOps: the bookings target and period go into the
 * Capacity Plan job's Scope__c with Run_Now__c (Lightning Data Service); the engine measures the
 * line in the org, computes leads per day and heads per role, and writes the plan to the run's
 * Result__c, which this console shows with the time it was computed.
 */
export default class PlanningConsole extends LightningElement {
    /** ISO code of the org's corporate currency, used for the target, payroll and deal size. */
    @api currencyCode = 'USD';

    labels = {
        title: LABEL_TITLE,
        refresh: LABEL_REFRESH,
        intro: LABEL_INTRO,
        target: LABEL_TARGET,
        periodStart: LABEL_PERIOD_START,
        periodEnd: LABEL_PERIOD_END,
        noJob: LABEL_NO_JOB,
        empty: LABEL_EMPTY
    };

    job = null;
    jobLoaded = false;
    jobError = null;
    runs = [];
    runsLoaded = false;
    runsError = null;
    /** What the manager typed; null fields fall back to the job's current scope. */
    draft = { target: null, start: null, end: null };
    formError = '';
    status = '';
    busy = false;
    wired = {};
    signals = null;

    requestRefresh = createRefresher(() => this.refreshAll());

    @wire(graphql, { query: JOB_QUERY })
    wiredJob(result) {
        this.wired.job = result;
        if (result.errors) {
            this.jobError = reduceErrors(result.errors).join(' ');
            this.jobLoaded = true;
        } else if (result.data) {
            const [node] = connectionNodes(result.data.uiapi.query.Engine_Job__c);
            this.job = node
                ? {
                      id: node.Id,
                      name: fieldValue(node, 'Name'),
                      scope: parseJsonObject(fieldValue(node, 'Scope__c')) || {},
                      runNow: fieldValue(node, 'Run_Now__c') === true
                  }
                : null;
            this.jobError = null;
            this.jobLoaded = true;
        }
    }

    @wire(graphql, { query: RUNS_QUERY })
    wiredRuns(result) {
        this.wired.runs = result;
        if (result.errors) {
            this.runsError = reduceErrors(result.errors).join(' ');
            this.runsLoaded = true;
        } else if (result.data) {
            this.runs = connectionNodes(result.data.uiapi.query.Job_Run__c).map((node) => ({
                id: node.Id,
                outcome: fieldValue(node, 'Outcome__c'),
                startedAt: fieldDisplay(node, 'Started_At__c'),
                finishedAt: fieldDisplay(node, 'Finished_At__c'),
                result: parseJsonObject(fieldValue(node, 'Result__c')),
                error: fieldValue(node, 'Error_Summary__c')
            }));
            this.runsError = null;
            this.runsLoaded = true;
        }
    }

    connectedCallback() {
        this.signals = listenToSignals(onSignalKinds(REFRESH_SIGNALS, () => this.requestRefresh()));
    }

    disconnectedCallback() {
        this.signals.stop();
    }

    refreshAll() {
        return refreshWired(this.wired);
    }

    /** The newest run that holds a plan. */
    get latest() {
        return this.runs.find((run) => run.result && run.result.kind === 'capacity-plan') || null;
    }

    get plan() {
        return this.latest ? this.latest.result : null;
    }

    get computedAt() {
        return this.latest ? this.latest.startedAt || this.latest.result.computedAt : '';
    }

    /** A failed run newer than the shown plan: the last request did not produce one. */
    get lastFailure() {
        for (const run of this.runs) {
            if (run === this.latest) {
                return '';
            }
            if (run.outcome === 'Failed') {
                return formatLabel(LABEL_LAST_FAILED, run.finishedAt || '', run.error || '');
            }
        }
        return '';
    }

    get unreadable() {
        return !this.latest && this.runs.some((run) => run.result) ? LABEL_UNREADABLE : '';
    }

    get loading() {
        return !this.jobLoaded || !this.runsLoaded;
    }

    get loadError() {
        return this.jobError || this.runsError || this.unreadable || null;
    }

    get showEmpty() {
        return this.runsLoaded && !this.loadError && !this.plan;
    }

    get showNoJob() {
        return this.jobLoaded && !this.jobError && !this.job;
    }

    get hasJob() {
        return !!this.job;
    }

    get scope() {
        return (this.job && this.job.scope) || {};
    }

    get targetValue() {
        return this.draft.target !== null ? this.draft.target : (this.scope.targetBookings ?? '');
    }

    get startValue() {
        return this.draft.start !== null ? this.draft.start : this.scope.periodStart || '';
    }

    get endValue() {
        if (this.draft.end !== null) {
            return this.draft.end;
        }
        return this.scope.periodStart
            ? periodEnd(this.scope.periodStart, this.scope.periodDays)
            : '';
    }

    get computeText() {
        return this.job && this.job.runNow ? LABEL_COMPUTING : LABEL_COMPUTE;
    }

    get computeDisabled() {
        return this.busy || !this.job || this.job.runNow;
    }

    handleRefresh() {
        this.requestRefresh();
    }

    handleDraftChange(event) {
        this.draft = { ...this.draft, [event.target.dataset.field]: event.target.value };
        this.formError = '';
    }

    /** Validates the form; returns { targetBookings, periodStart, periodDays } or { error }. */
    request() {
        const target = Number(this.targetValue);
        if (this.targetValue === '' || !Number.isFinite(target) || target <= 0) {
            return { error: LABEL_TARGET_INVALID };
        }
        const days = periodDays(this.startValue, this.endValue);
        if (days === null) {
            return { error: LABEL_PERIOD_INVALID };
        }
        return { targetBookings: target, periodStart: this.startValue, periodDays: days };
    }

    async handleCompute(event) {
        if (event) {
            event.preventDefault();
        }
        if (!this.job || this.job.runNow) {
            return;
        }
        const asked = this.request();
        if (asked.error) {
            this.formError = asked.error;
            return;
        }
        // Keep what RevOps set in the scope (costs, engineers, inbound); change only the target.
        const scope = { ...this.scope, ...asked };
        this.busy = true;
        this.formError = '';
        try {
            await updateRecord({
                fields: { Id: this.job.id, Scope__c: JSON.stringify(scope), Run_Now__c: true }
            });
        } catch (error) {
            this.formError = formatLabel(LABEL_SAVE_FAILED, reduceErrors(error).join(' '));
            return;
        } finally {
            this.busy = false;
        }
        this.draft = { target: null, start: null, end: null };
        this.status = formatLabel(
            LABEL_REQUESTED,
            formatMoney(asked.targetBookings, this.currencyCode),
            asked.periodStart,
            periodEnd(asked.periodStart, asked.periodDays)
        );
        try {
            await this.requestRefresh();
        } catch {
            // Saved; the view catches up on the next refresh or engine signal.
        }
    }
}
