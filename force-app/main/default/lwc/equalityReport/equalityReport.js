import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { connectionNodes, fieldValue, formatLabel, isTruncated, reduceErrors } from 'c/aslUtils';
import { equalityReport } from 'c/lineMetrics';
import LABEL_TITLE from '@salesforce/label/c.ASL_EQ_Title';
import LABEL_SUMMARY from '@salesforce/label/c.ASL_EQ_Summary';
import LABEL_EMPTY from '@salesforce/label/c.ASL_EQ_Empty';
import LABEL_P_VALUE_HINT from '@salesforce/label/c.ASL_EQ_P_Value_Hint';
import LABEL_SCOPE from '@salesforce/label/c.ASL_EQ_Scope';
import LABEL_TRUNCATED from '@salesforce/label/c.ASL_EQ_Truncated';
import LABEL_COL_STRATUM from '@salesforce/label/c.ASL_EQ_Col_Stratum';
import LABEL_COL_TOTAL from '@salesforce/label/c.ASL_EQ_Col_Total';
import LABEL_COL_FEWEST from '@salesforce/label/c.ASL_EQ_Col_Fewest';
import LABEL_COL_MOST from '@salesforce/label/c.ASL_EQ_Col_Most';
import LABEL_COL_GAP from '@salesforce/label/c.ASL_EQ_Col_Gap';
import LABEL_COL_REP from '@salesforce/label/c.ASL_EQ_Col_Rep';
import LABEL_COL_COUNT from '@salesforce/label/c.ASL_EQ_Col_Count';
import LABEL_SHOW_REPS from '@salesforce/label/c.ASL_EQ_Show_Reps';
import LABEL_REPS_IN from '@salesforce/label/c.ASL_EQ_Reps_In';
import LABEL_NO_STRATUM from '@salesforce/label/c.ASL_EQ_No_Stratum';
import LABEL_AUDIT_TITLE from '@salesforce/label/c.ASL_EQ_Audit_Title';
import LABEL_AUDIT_RUN from '@salesforce/label/c.ASL_EQ_Audit_Run';
import LABEL_AUDIT_EQUAL from '@salesforce/label/c.ASL_EQ_Audit_Equal';
import LABEL_AUDIT_UNEQUAL from '@salesforce/label/c.ASL_EQ_Audit_Unequal';
import LABEL_AUDIT_NOT_REPRODUCED from '@salesforce/label/c.ASL_EQ_Audit_Not_Reproduced';
import LABEL_AUDIT_NO_TESTS from '@salesforce/label/c.ASL_EQ_Audit_No_Tests';
import LABEL_AUDIT_UNREADABLE from '@salesforce/label/c.ASL_EQ_Audit_Unreadable';
import LABEL_COL_DIMENSION from '@salesforce/label/c.ASL_EQ_Col_Dimension';
import LABEL_COL_P_VALUE from '@salesforce/label/c.ASL_EQ_Col_P_Value';
import LABEL_COL_P_HOLM from '@salesforce/label/c.ASL_EQ_Col_P_Holm';
import LABEL_COL_METHOD from '@salesforce/label/c.ASL_EQ_Col_Method';
import LABEL_COL_N from '@salesforce/label/c.ASL_EQ_Col_N';

const ASSIGNMENTS_QUERY = gql`
    query equalityAssignments($since: DateTime, $pageSize: Int) {
        uiapi {
            query {
                Assignment__c(
                    where: {
                        and: [
                            { Assigned_At__c: { gte: { value: $since } } }
                            { Method__c: { in: ["Permuted Block", "Rebalance"] } }
                        ]
                    }
                    orderBy: { Assigned_At__c: { order: DESC } }
                    first: $pageSize
                ) {
                    totalCount
                    pageInfo {
                        hasNextPage
                    }
                    edges {
                        node {
                            Id
                            Rep__c {
                                value
                            }
                            Rep__r {
                                Name {
                                    value
                                }
                            }
                            Stratum__c {
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
 * The engine's Audit job writes its report as JSON into Job_Run__c.Result__c
 * (services/engine/features/assignment/audit.ts, auditResultJson); Partial runs are audits whose
 * ledger did not reproduce, and they still carry the tests.
 */
const AUDIT_QUERY = gql`
    query equalityAudit {
        uiapi {
            query {
                Job_Run__c(
                    where: {
                        and: [
                            { Job_Type__c: { eq: "Audit" } }
                            { Outcome__c: { in: ["Succeeded", "Partial"] } }
                        ]
                    }
                    orderBy: { Finished_At__c: { order: DESC } }
                    first: 1
                ) {
                    edges {
                        node {
                            Id
                            Finished_At__c {
                                value
                            }
                            Outcome__c {
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

/** p-values below this show as "< 0.001": more digits suggest a precision the test lacks. */
const P_FLOOR = 0.001;

function formatP(value) {
    if (value === null || value === undefined || !Number.isFinite(Number(value))) {
        return '';
    }
    return Number(value) < P_FLOOR ? `< ${P_FLOOR}` : Number(value).toFixed(3);
}

/** Reads the audit of one Job_Run__c; a result that is not the audit's JSON is an error. */
function parseAudit(node) {
    const text = fieldValue(node, 'Result__c');
    let result;
    try {
        result = JSON.parse(text);
    } catch (e) {
        return { error: formatLabel(LABEL_AUDIT_UNREADABLE, e.message) };
    }
    if (!result || result.kind !== 'audit' || !Array.isArray(result.tests)) {
        return { error: formatLabel(LABEL_AUDIT_UNREADABLE, 'kind is not "audit"') };
    }
    return { result };
}

/**
 * The equality report: how many assets each rep received in each stratum, from the
 * assignment ledger (randomized assignments only).
 */
export default class EqualityReport extends LightningElement {
    /**
     * Start of the window (ISO date-time); assignments from then on are counted. The Line
     * Monitor moves it on Refresh and engine signals, which is when the audit is read again too.
     */
    @api
    get since() {
        return this.sinceValue;
    }
    set since(value) {
        const moved = this.sinceValue !== undefined && value !== this.sinceValue;
        this.sinceValue = value;
        if (moved && this.auditWire && this.auditWire.refresh) {
            this.auditWire.refresh();
        }
    }
    /** Most ledger rows read; at most 2000, the GraphQL page limit. */
    @api pageSize = 2000;

    labels = {
        title: LABEL_TITLE,
        empty: LABEL_EMPTY,
        pValueHint: LABEL_P_VALUE_HINT,
        scope: LABEL_SCOPE,
        colStratum: LABEL_COL_STRATUM,
        colTotal: LABEL_COL_TOTAL,
        colFewest: LABEL_COL_FEWEST,
        colMost: LABEL_COL_MOST,
        colGap: LABEL_COL_GAP,
        colRep: LABEL_COL_REP,
        colCount: LABEL_COL_COUNT,
        auditTitle: LABEL_AUDIT_TITLE,
        colDimension: LABEL_COL_DIMENSION,
        colPValue: LABEL_COL_P_VALUE,
        colPHolm: LABEL_COL_P_HOLM,
        colMethod: LABEL_COL_METHOD,
        colN: LABEL_COL_N
    };

    report = { strata: [], reps: [] };
    total = 0;
    truncated = false;
    loaded = false;
    loadError = null;
    selectedStratum = null;
    /** The latest audit run: { finishedAt, outcome, result } or { error }; null when none. */
    audit = null;
    auditWire;
    sinceValue;
    auditLoaded = false;
    auditError = null;

    get variables() {
        return this.since
            ? {
                  since: this.since,
                  pageSize: Math.min(2000, Math.max(1, Number(this.pageSize) || 2000))
              }
            : undefined;
    }

    @wire(graphql, { query: ASSIGNMENTS_QUERY, variables: '$variables' })
    wiredAssignments({ data, errors }) {
        if (errors) {
            this.loadError = reduceErrors(errors).join(' ');
            this.loaded = true;
        } else if (data) {
            const connection = data.uiapi.query.Assignment__c;
            const assignments = connectionNodes(connection).map((node) => ({
                repId: fieldValue(node, 'Rep__c'),
                repName: fieldValue(node, 'Rep__r.Name'),
                stratum: fieldValue(node, 'Stratum__c')
            }));
            this.report = equalityReport(assignments);
            this.total = assignments.length;
            this.truncated = isTruncated(connection);
            this.loadError = null;
            this.loaded = true;
            if (!this.report.strata.some((stratum) => stratum.stratum === this.selectedStratum)) {
                this.selectedStratum = null;
            }
        }
    }

    @wire(graphql, { query: AUDIT_QUERY })
    wiredAudit(result) {
        this.auditWire = result;
        const { data, errors } = result;
        if (errors) {
            this.auditError = reduceErrors(errors).join(' ');
            this.auditLoaded = true;
        } else if (data) {
            const [node] = connectionNodes(data.uiapi.query.Job_Run__c);
            this.audit = node
                ? {
                      finishedAt: fieldValue(node, 'Finished_At__c'),
                      outcome: fieldValue(node, 'Outcome__c'),
                      ...parseAudit(node)
                  }
                : null;
            this.auditError = this.audit && this.audit.error ? this.audit.error : null;
            this.auditLoaded = true;
        }
    }

    /** The "run asl audit" hint is for orgs where no audit has run yet. */
    get showPValueHint() {
        return this.auditLoaded && !this.auditError && !this.audit;
    }

    get hasAudit() {
        return !!(this.audit && this.audit.result);
    }

    get auditRunText() {
        const { result } = this.audit;
        const period = result.period || {};
        return formatLabel(
            LABEL_AUDIT_RUN,
            String(period.from || '').slice(0, 10),
            String(period.to || '').slice(0, 10),
            result.rows,
            result.station || '-'
        );
    }

    get auditFinishedAt() {
        return this.audit.finishedAt;
    }

    get auditVerdict() {
        const { result } = this.audit;
        if (!result.tests.length) {
            return LABEL_AUDIT_NO_TESTS;
        }
        return formatLabel(result.equal ? LABEL_AUDIT_EQUAL : LABEL_AUDIT_UNEQUAL, result.alpha);
    }

    get auditNotReproduced() {
        const replay = this.audit.result.replay;
        return replay && replay.reproduced === false ? LABEL_AUDIT_NOT_REPRODUCED : '';
    }

    get auditTests() {
        return this.audit.result.tests.map((test, index) => ({
            key: `${test.station}:${test.dimension}:${index}`,
            dimension: test.dimension,
            pValue: formatP(test.pValue),
            pHolm: formatP(test.pHolm),
            method: test.method,
            n: test.n
        }));
    }

    get isLoading() {
        return !this.loaded;
    }

    get isEmpty() {
        return this.loaded && !this.loadError && this.total === 0;
    }

    get hasStrata() {
        return this.report.strata.length > 0;
    }

    get summary() {
        return formatLabel(
            LABEL_SUMMARY,
            this.total,
            this.report.reps.length,
            this.report.strata.length
        );
    }

    get truncatedText() {
        return this.truncated ? formatLabel(LABEL_TRUNCATED, this.total) : '';
    }

    get strata() {
        return this.report.strata.map((stratum) => {
            const counts = stratum.reps.map((rep) => rep.count);
            const name = stratum.stratum || LABEL_NO_STRATUM;
            const expanded = stratum.stratum === this.selectedStratum;
            return {
                key: stratum.stratum,
                name,
                total: stratum.total,
                fewest: counts.length ? Math.min(...counts) : 0,
                most: counts.length ? Math.max(...counts) : 0,
                gap: stratum.maxGap,
                expanded: expanded ? 'true' : 'false',
                toggleLabel: formatLabel(LABEL_SHOW_REPS, name)
            };
        });
    }

    get selected() {
        const stratum = this.report.strata.find(
            (candidate) => candidate.stratum === this.selectedStratum
        );
        if (!stratum) {
            return null;
        }
        return {
            title: formatLabel(LABEL_REPS_IN, stratum.stratum || LABEL_NO_STRATUM),
            reps: stratum.reps.map((rep) => ({
                key: rep.repId,
                name: rep.repName,
                count: rep.count
            }))
        };
    }

    handleToggle(event) {
        const key = event.currentTarget.dataset.stratum;
        this.selectedStratum = this.selectedStratum === key ? null : key;
    }
}
