import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { connectionNodes, fieldValue, formatLabel, isTruncated, reduceErrors } from 'c/aslUtils';
import { equalityReport } from 'c/lineMetrics';
import LABEL_TITLE from '@salesforce/label/c.ASL_EQ_Title';
import LABEL_LOADING from '@salesforce/label/c.ASL_Common_Loading';
import LABEL_ERROR from '@salesforce/label/c.ASL_Common_Error';
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

/**
 * The equality report: how many assets each rep received in each stratum, from the
 * assignment ledger (randomized assignments only).
 */
export default class EqualityReport extends LightningElement {
    /** Start of the window (ISO date-time); assignments from then on are counted. */
    @api since;
    /** Most ledger rows read; at most 2000, the GraphQL page limit. */
    @api pageSize = 2000;

    labels = {
        title: LABEL_TITLE,
        loading: LABEL_LOADING,
        error: LABEL_ERROR,
        empty: LABEL_EMPTY,
        pValueHint: LABEL_P_VALUE_HINT,
        scope: LABEL_SCOPE,
        colStratum: LABEL_COL_STRATUM,
        colTotal: LABEL_COL_TOTAL,
        colFewest: LABEL_COL_FEWEST,
        colMost: LABEL_COL_MOST,
        colGap: LABEL_COL_GAP,
        colRep: LABEL_COL_REP,
        colCount: LABEL_COL_COUNT
    };

    report = { strata: [], reps: [] };
    total = 0;
    truncated = false;
    loaded = false;
    loadError = null;
    selectedStratum = null;

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
