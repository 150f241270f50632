import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import {
    connectionNodes,
    fieldDisplay,
    fieldValue,
    formatLabel,
    reduceErrors,
    refreshWired
} from 'c/aslUtils';
import LABEL_TITLE from '@salesforce/label/c.ASL_EJ_Runs_Title';
import LABEL_EMPTY from '@salesforce/label/c.ASL_EJ_Runs_Empty';
import LABEL_COL_STARTED from '@salesforce/label/c.ASL_EJ_Col_Started';
import LABEL_COL_FINISHED from '@salesforce/label/c.ASL_EJ_Col_Finished';
import LABEL_COL_OUTCOME from '@salesforce/label/c.ASL_EJ_Col_Outcome';
import LABEL_COL_RECORDS from '@salesforce/label/c.ASL_EJ_Col_Records';
import LABEL_COL_API_CALLS from '@salesforce/label/c.ASL_EJ_Col_Api_Calls';
import LABEL_COL_SUMMARY from '@salesforce/label/c.ASL_EJ_Col_Summary';

const RUNS_QUERY = gql`
    query engineJobRuns($jobId: ID, $pageSize: Int) {
        uiapi {
            query {
                Job_Run__c(
                    where: { Engine_Job__c: { eq: $jobId } }
                    orderBy: { Started_At__c: { order: DESC } }
                    first: $pageSize
                ) {
                    edges {
                        node {
                            Id
                            Started_At__c {
                                value
                            }
                            Finished_At__c {
                                value
                            }
                            Outcome__c {
                                value
                                displayValue
                            }
                            Records_Touched__c {
                                value
                            }
                            API_Calls__c {
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

/** The run history (Job_Run__c) of one engine job, newest first. */
export default class JobRunHistory extends LightningElement {
    /** The Engine_Job__c whose runs are shown. */
    @api jobId;
    /** The job's name, for the heading. */
    @api jobName;
    /** Most runs shown (at most 2000, the GraphQL page limit). */
    @api pageSize = 20;

    labels = {
        empty: LABEL_EMPTY,
        colStarted: LABEL_COL_STARTED,
        colFinished: LABEL_COL_FINISHED,
        colOutcome: LABEL_COL_OUTCOME,
        colRecords: LABEL_COL_RECORDS,
        colApiCalls: LABEL_COL_API_CALLS,
        colSummary: LABEL_COL_SUMMARY
    };

    runs = [];
    loaded = false;
    loadError = null;
    wiredResult;

    get variables() {
        return this.jobId
            ? {
                  jobId: this.jobId,
                  pageSize: Math.min(2000, Math.max(1, Number(this.pageSize) || 20))
              }
            : undefined;
    }

    @wire(graphql, { query: RUNS_QUERY, variables: '$variables' })
    wiredRuns(result) {
        this.wiredResult = result;
        if (result.errors) {
            this.loadError = reduceErrors(result.errors).join(' ');
            this.loaded = true;
        } else if (result.data) {
            this.runs = connectionNodes(result.data.uiapi.query.Job_Run__c).map((node) => ({
                id: node.Id,
                startedAt: fieldValue(node, 'Started_At__c'),
                finishedAt: fieldValue(node, 'Finished_At__c'),
                outcome: fieldDisplay(node, 'Outcome__c'),
                records: fieldValue(node, 'Records_Touched__c'),
                apiCalls: fieldValue(node, 'API_Calls__c'),
                summary: fieldValue(node, 'Error_Summary__c')
            }));
            this.loadError = null;
            this.loaded = true;
        }
    }

    /** Reads the runs again (the console calls it when the engine signals JOB_RUN). */
    @api
    refresh() {
        return refreshWired([this.wiredResult]);
    }

    get title() {
        return formatLabel(LABEL_TITLE, this.jobName || '');
    }

    get isLoading() {
        return !this.loaded;
    }

    get isEmpty() {
        return this.loaded && !this.loadError && this.runs.length === 0;
    }

    get hasRuns() {
        return !this.loadError && this.runs.length > 0;
    }
}
