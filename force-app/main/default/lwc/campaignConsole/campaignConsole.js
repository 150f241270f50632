import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { updateRecord } from 'lightning/uiRecordApi';
import {
    connectionNodes,
    createRefresher,
    fieldDisplay,
    fieldValue,
    formatLabel,
    listenToSignals,
    onSignalKinds,
    parseJsonObject,
    reduceErrors,
    refreshWired
} from 'c/aslUtils';
import LABEL_TITLE from '@salesforce/label/c.ASL_CA_Title';
import LABEL_REFRESH from '@salesforce/label/c.ASL_Common_Refresh';
import LABEL_TESTS_TITLE from '@salesforce/label/c.ASL_CA_Tests_Title';
import LABEL_TESTS_EMPTY from '@salesforce/label/c.ASL_CA_Tests_Empty';
import LABEL_COL_CAMPAIGN from '@salesforce/label/c.ASL_CA_Col_Campaign';
import LABEL_COL_STATUS from '@salesforce/label/c.ASL_CA_Col_Status';
import LABEL_COL_METRIC from '@salesforce/label/c.ASL_CA_Col_Metric';
import LABEL_COL_VARIANTS from '@salesforce/label/c.ASL_CA_Col_Variants';
import LABEL_COL_WINNER from '@salesforce/label/c.ASL_CA_Col_Winner';
import LABEL_SHOW_TEST from '@salesforce/label/c.ASL_CA_Show_Test';
import LABEL_RESULT_UNREADABLE from '@salesforce/label/c.ASL_CA_Result_Unreadable';
import LABEL_REPORTS_TITLE from '@salesforce/label/c.ASL_CA_Reports_Title';
import LABEL_REPORTS_COMPUTED from '@salesforce/label/c.ASL_CA_Reports_Computed';
import LABEL_REPORTS_NONE from '@salesforce/label/c.ASL_CA_Reports_None';
import LABEL_REPORTS_UNREADABLE from '@salesforce/label/c.ASL_CA_Reports_Unreadable';
import LABEL_NO_JOB from '@salesforce/label/c.ASL_CA_No_Job';
import LABEL_COSTS from '@salesforce/label/c.ASL_CA_Costs';
import LABEL_COSTS_HINT from '@salesforce/label/c.ASL_CA_Costs_Hint';
import LABEL_COSTS_INVALID from '@salesforce/label/c.ASL_CA_Costs_Invalid';
import LABEL_RUN from '@salesforce/label/c.ASL_CA_Run';
import LABEL_RUN_REQUESTED from '@salesforce/label/c.ASL_CA_Run_Requested';
import LABEL_RUN_QUEUED from '@salesforce/label/c.ASL_CA_Run_Queued';
import LABEL_RUN_FAILED from '@salesforce/label/c.ASL_CA_Run_Failed';
import LABEL_JOB_ERROR from '@salesforce/label/c.ASL_CA_Job_Error';

const TESTS_QUERY = gql`
    query campaignTests($pageSize: Int) {
        uiapi {
            query {
                Campaign_Test__c(orderBy: { CreatedDate: { order: DESC } }, first: $pageSize) {
                    edges {
                        node {
                            Id
                            Name {
                                value
                            }
                            Campaign__c {
                                value
                            }
                            Campaign__r {
                                Name {
                                    value
                                }
                            }
                            Status__c {
                                value
                                displayValue
                            }
                            Metric__c {
                                value
                                displayValue
                            }
                            Variants__c {
                                value
                            }
                            Winner__c {
                                value
                            }
                            P_Value__c {
                                value
                            }
                            Result__c {
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
 * The engine's Campaign Reports job writes list quality and ROI by source as JSON into
 * Job_Run__c.Result__c (services/engine/features/campaigns/jobs.ts, campaignReports) and then
 * signals JOB_RUN, before the run's outcome is logged: the newest run holding a report is the
 * report, whatever its outcome says yet (a run that fails writes no report).
 */
const REPORTS_QUERY = gql`
    query campaignReportsRun {
        uiapi {
            query {
                Job_Run__c(
                    where: { Job_Type__c: { eq: "Campaign Reports" } }
                    orderBy: { Started_At__c: { order: DESC } }
                    first: 5
                ) {
                    edges {
                        node {
                            Id
                            Started_At__c {
                                value
                                displayValue
                            }
                            Result__c {
                                value
                            }
                        }
                    }
                }
            }
        }
    }
`;

const JOB_QUERY = gql`
    query campaignReportsJob {
        uiapi {
            query {
                Engine_Job__c(
                    where: { Type__c: { eq: "Campaign Reports" } }
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
                            Status_Message__c {
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

/** Reads a JSON field; returns the object, or null when it is empty or not JSON. */
function isReport(value) {
    return !!(value && value.kind === 'campaign-reports' && value.lists && value.roi);
}

/** "Web=12000, Purchased List=3000" <-> { Web: 12000, 'Purchased List': 3000 }. */
export function parseCosts(text) {
    const costs = {};
    for (const part of String(text || '')
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)) {
        const at = part.lastIndexOf('=');
        const source = at > 0 ? part.slice(0, at).trim() : '';
        const raw = at > 0 ? part.slice(at + 1).trim() : '';
        const amount = Number(raw);
        if (!source || raw === '' || !Number.isFinite(amount) || amount < 0) {
            return { error: formatLabel(LABEL_COSTS_INVALID, part) };
        }
        costs[source] = amount;
    }
    return { costs };
}

export function formatCosts(costs) {
    return Object.entries(costs || {})
        .map(([source, amount]) => `${source}=${amount}`)
        .join(', ');
}

/**
 * Campaigns console for marketers: each A/B/n campaign test with its conversion per variant,
 * intervals and verdict under the stopping rule (written by the engine's Campaign Results job
 * to Campaign_Test__c), and the lead-list quality and ROI by lead source of the latest
 * Campaign Reports run, which the marketer can ask the engine to recompute (Run_Now__c).
 */
export default class CampaignConsole extends LightningElement {
    /** Campaign tests read, newest first. */
    @api testsShown = 50;
    /** ISO code of the org's corporate currency, used to format revenue and spend. */
    @api currencyCode = 'USD';

    labels = {
        title: LABEL_TITLE,
        refresh: LABEL_REFRESH,
        testsTitle: LABEL_TESTS_TITLE,
        testsEmpty: LABEL_TESTS_EMPTY,
        colCampaign: LABEL_COL_CAMPAIGN,
        colStatus: LABEL_COL_STATUS,
        colMetric: LABEL_COL_METRIC,
        colVariants: LABEL_COL_VARIANTS,
        colWinner: LABEL_COL_WINNER,
        reportsTitle: LABEL_REPORTS_TITLE,
        reportsNone: LABEL_REPORTS_NONE,
        noJob: LABEL_NO_JOB,
        costs: LABEL_COSTS,
        costsHint: LABEL_COSTS_HINT
    };

    tests = [];
    testsLoaded = false;
    testsError = null;
    selectedId = null;
    reports = null;
    reportsFinishedAt = '';
    reportsLoaded = false;
    reportsError = null;
    job = null;
    jobLoaded = false;
    costsDraft = null;
    actionError = '';
    status = '';
    busy = false;
    wired = {};
    signals = null;

    requestRefresh = createRefresher(() => this.refreshAll());

    get testsVariables() {
        return { pageSize: Math.min(200, Math.max(1, Number(this.testsShown) || 50)) };
    }

    @wire(graphql, { query: TESTS_QUERY, variables: '$testsVariables' })
    wiredTests(result) {
        this.wired.tests = result;
        if (result.errors) {
            this.testsError = reduceErrors(result.errors).join(' ');
            this.testsLoaded = true;
        } else if (result.data) {
            this.tests = connectionNodes(result.data.uiapi.query.Campaign_Test__c).map((node) => {
                const text = fieldValue(node, 'Result__c');
                const parsed = parseJsonObject(text);
                const readable = parsed && Array.isArray(parsed.looks) ? parsed : null;
                return {
                    id: node.Id,
                    name: fieldValue(node, 'Name'),
                    campaignName: fieldValue(node, 'Campaign__r.Name') || fieldValue(node, 'Name'),
                    status: fieldValue(node, 'Status__c'),
                    statusLabel: fieldDisplay(node, 'Status__c'),
                    metric: fieldDisplay(node, 'Metric__c'),
                    variants: fieldValue(node, 'Variants__c'),
                    winner: fieldValue(node, 'Winner__c'),
                    pValue: fieldValue(node, 'P_Value__c'),
                    result: readable,
                    resultError: text && !readable ? LABEL_RESULT_UNREADABLE : ''
                };
            });
            this.testsError = null;
            this.testsLoaded = true;
            if (!this.tests.some((test) => test.id === this.selectedId)) {
                this.selectedId = this.tests.length ? this.tests[0].id : null;
            }
        }
    }

    @wire(graphql, { query: REPORTS_QUERY })
    wiredReports(result) {
        this.wired.reports = result;
        if (result.errors) {
            this.reportsError = reduceErrors(result.errors).join(' ');
            this.reportsLoaded = true;
        } else if (result.data) {
            const nodes = connectionNodes(result.data.uiapi.query.Job_Run__c);
            const texts = nodes.map((node) => fieldValue(node, 'Result__c'));
            const at = nodes.findIndex((node, index) => isReport(parseJsonObject(texts[index])));
            this.reportsError = null;
            this.reports = null;
            if (at >= 0) {
                this.reports = parseJsonObject(texts[at]);
                this.reportsFinishedAt =
                    fieldDisplay(nodes[at], 'Started_At__c') || this.reports.computedAt;
            } else if (texts.some((text) => !!text)) {
                this.reportsError = LABEL_REPORTS_UNREADABLE;
            }
            this.reportsLoaded = true;
        }
    }

    @wire(graphql, { query: JOB_QUERY })
    wiredJob(result) {
        this.wired.job = result;
        if (result.errors) {
            this.actionError = reduceErrors(result.errors).join(' ');
            this.jobLoaded = true;
        } else if (result.data) {
            const [node] = connectionNodes(result.data.uiapi.query.Engine_Job__c);
            this.job = node
                ? {
                      id: node.Id,
                      name: fieldValue(node, 'Name'),
                      scope: parseJsonObject(fieldValue(node, 'Scope__c')) || {},
                      runNow: fieldValue(node, 'Run_Now__c') === true,
                      status: fieldValue(node, 'Status__c'),
                      statusMessage: fieldValue(node, 'Status_Message__c')
                  }
                : null;
            this.jobLoaded = true;
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

    get testsLoading() {
        return !this.testsLoaded;
    }

    get testsEmpty() {
        return this.testsLoaded && !this.testsError && this.tests.length === 0;
    }

    get hasTests() {
        return this.tests.length > 0;
    }

    get testRows() {
        return this.tests.map((test) => {
            const selected = test.id === this.selectedId;
            return {
                ...test,
                pressed: selected ? 'true' : 'false',
                rowClass: selected ? 'slds-is-selected' : '',
                buttonLabel: formatLabel(LABEL_SHOW_TEST, test.campaignName),
                winnerText: test.winner || '\u2014'
            };
        });
    }

    get selectedTest() {
        return this.tests.find((test) => test.id === this.selectedId) || null;
    }

    get reportsLoading() {
        return !this.reportsLoaded;
    }

    get showReportsNone() {
        return this.reportsLoaded && !this.reportsError && !this.reports;
    }

    get reportsComputedText() {
        return this.reports ? formatLabel(LABEL_REPORTS_COMPUTED, this.reportsFinishedAt) : '';
    }

    get showNoJob() {
        return this.jobLoaded && !this.job;
    }

    get hasJob() {
        return !!this.job;
    }

    get costsValue() {
        if (this.costsDraft !== null) {
            return this.costsDraft;
        }
        return formatCosts(this.job && this.job.scope.costs);
    }

    get runText() {
        return this.job && this.job.runNow ? LABEL_RUN_REQUESTED : LABEL_RUN;
    }

    get runDisabled() {
        return this.busy || !this.job || this.job.runNow;
    }

    get jobErrorText() {
        return this.job && this.job.status === 'Error'
            ? formatLabel(LABEL_JOB_ERROR, this.job.statusMessage || '')
            : '';
    }

    get lists() {
        return this.reports ? this.reports.lists : null;
    }

    get roi() {
        return this.reports ? this.reports.roi : null;
    }

    handleSelect(event) {
        this.selectedId = event.currentTarget.dataset.testId;
    }

    handleRefresh() {
        this.requestRefresh();
    }

    handleCostsChange(event) {
        this.costsDraft = event.target.value;
    }

    /** Writes the spend into the job's scope and asks the engine to run it now. */
    async handleRun() {
        if (!this.job || this.job.runNow) {
            return;
        }
        const parsed = parseCosts(this.costsValue);
        if (parsed.error) {
            this.actionError = parsed.error;
            return;
        }
        const scope = { ...this.job.scope, costs: parsed.costs };
        this.busy = true;
        this.actionError = '';
        try {
            // The engine reads Scope__c and Run_Now__c together at its next re-read of the jobs.
            await updateRecord({
                fields: { Id: this.job.id, Scope__c: JSON.stringify(scope), Run_Now__c: true }
            });
            this.costsDraft = null;
            this.status = LABEL_RUN_QUEUED;
        } catch (error) {
            this.actionError = formatLabel(LABEL_RUN_FAILED, reduceErrors(error).join(' '));
            return;
        } finally {
            this.busy = false;
        }
        try {
            await this.requestRefresh();
        } catch {
            // Saved; the view catches up on the next refresh or engine signal.
        }
    }
}
