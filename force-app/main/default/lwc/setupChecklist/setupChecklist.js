import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { NavigationMixin } from 'lightning/navigation';
import {
    connectionNodes,
    fieldValue,
    formatLabel,
    isTruncated,
    reduceErrors,
    toMillis
} from 'c/aslUtils';
import LABEL_TITLE from '@salesforce/label/c.ASL_SC_Title';
import LABEL_REFRESH from '@salesforce/label/c.ASL_Common_Refresh';
import LABEL_DONE from '@salesforce/label/c.ASL_SC_Done';
import LABEL_TODO from '@salesforce/label/c.ASL_SC_Todo';
import LABEL_FIX from '@salesforce/label/c.ASL_SC_Fix';
import LABEL_PERMSETS from '@salesforce/label/c.ASL_SC_Permission_Sets';
import LABEL_PERMSETS_DETAIL from '@salesforce/label/c.ASL_SC_Permission_Sets_Detail';
import LABEL_STATIONS from '@salesforce/label/c.ASL_SC_Stations';
import LABEL_STATIONS_DETAIL from '@salesforce/label/c.ASL_SC_Stations_Detail';
import LABEL_RULES from '@salesforce/label/c.ASL_SC_Rules';
import LABEL_RULES_DETAIL from '@salesforce/label/c.ASL_SC_Rules_Detail';
import LABEL_REPS from '@salesforce/label/c.ASL_SC_Reps';
import LABEL_REPS_DETAIL from '@salesforce/label/c.ASL_SC_Reps_Detail';
import LABEL_JOBS from '@salesforce/label/c.ASL_SC_Jobs';
import LABEL_JOBS_DETAIL from '@salesforce/label/c.ASL_SC_Jobs_Detail';
import LABEL_HEARTBEAT from '@salesforce/label/c.ASL_SC_Heartbeat';
import LABEL_HEARTBEAT_DETAIL from '@salesforce/label/c.ASL_SC_Heartbeat_Detail';
import LABEL_HEARTBEAT_NONE from '@salesforce/label/c.ASL_SC_Heartbeat_None';
import LABEL_SYNC from '@salesforce/label/c.ASL_SC_Sync';
import LABEL_SYNC_DETAIL from '@salesforce/label/c.ASL_SC_Sync_Detail';
import LABEL_SYNC_NONE from '@salesforce/label/c.ASL_SC_Sync_None';
import LABEL_SUMMARY from '@salesforce/label/c.ASL_SC_Summary';

/*
 * The engine writes no "heartbeat" record of its own: the latest Job_Run__c it finished
 * (Finished_At__c) is its heartbeat, and the latest Assignment__c (Assigned_At__c) is its last
 * sync with the org. Permission set assignments are not readable through the UI API GraphQL
 * adapter, so that item links to Setup and to `asl doctor` instead of showing a live status.
 */
const CHECKLIST_QUERY = gql`
    query setupChecklist {
        uiapi {
            query {
                Station__c(where: { Active__c: { eq: true } }, first: 200) {
                    pageInfo {
                        hasNextPage
                    }
                    edges {
                        node {
                            Id
                        }
                    }
                }
                Station_Rule__c(first: 200) {
                    pageInfo {
                        hasNextPage
                    }
                    edges {
                        node {
                            Id
                        }
                    }
                }
                Rep_Capacity__c(where: { Active__c: { eq: true } }, first: 200) {
                    pageInfo {
                        hasNextPage
                    }
                    edges {
                        node {
                            Id
                        }
                    }
                }
                Engine_Job__c(where: { Enabled__c: { eq: true } }, first: 200) {
                    pageInfo {
                        hasNextPage
                    }
                    edges {
                        node {
                            Id
                            Status__c {
                                value
                            }
                        }
                    }
                }
                Job_Run__c(
                    where: { Finished_At__c: { ne: null } }
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
                        }
                    }
                }
                Assignment__c(orderBy: { Assigned_At__c: { order: DESC } }, first: 1) {
                    edges {
                        node {
                            Id
                            Assigned_At__c {
                                value
                            }
                        }
                    }
                }
            }
        }
    }
`;

const MINUTE = 60 * 1000;

function countOf(connection) {
    const count = connectionNodes(connection).length;
    return isTruncated(connection) ? `${count}+` : String(count);
}

function latest(connection, field) {
    const [node] = connectionNodes(connection);
    return node ? fieldValue(node, field) : null;
}

export default class SetupChecklist extends NavigationMixin(LightningElement) {
    /** Minutes after the last finished job run before the engine counts as silent. */
    @api heartbeatMinutes = 180;

    labels = {
        title: LABEL_TITLE,
        refresh: LABEL_REFRESH,
        fix: LABEL_FIX
    };

    data;
    loadError;
    wiredResult;

    @wire(graphql, { query: CHECKLIST_QUERY })
    wiredChecklist(result) {
        this.wiredResult = result;
        if (result.errors) {
            this.loadError = reduceErrors(result.errors).join(', ');
            this.data = undefined;
        } else if (result.data) {
            this.loadError = undefined;
            this.data = result.data.uiapi.query;
        }
    }

    get isLoading() {
        return !this.data && !this.loadError;
    }

    get items() {
        if (!this.data) {
            return [];
        }
        const q = this.data;
        const heartbeatAt = latest(q.Job_Run__c, 'Finished_At__c');
        const syncAt = latest(q.Assignment__c, 'Assigned_At__c');
        const fresh =
            heartbeatAt !== null &&
            Date.now() - toMillis(heartbeatAt) <= Number(this.heartbeatMinutes) * MINUTE;
        const items = [
            {
                key: 'permsets',
                label: LABEL_PERMSETS,
                detail: LABEL_PERMSETS_DETAIL,
                done: null,
                target: {
                    type: 'standard__webPage',
                    attributes: { url: '/lightning/setup/PermSets/home' }
                }
            },
            this.countItem(
                'stations',
                LABEL_STATIONS,
                LABEL_STATIONS_DETAIL,
                q.Station__c,
                'Station__c'
            ),
            this.countItem(
                'rules',
                LABEL_RULES,
                LABEL_RULES_DETAIL,
                q.Station_Rule__c,
                'Station_Rule__c'
            ),
            this.countItem(
                'reps',
                LABEL_REPS,
                LABEL_REPS_DETAIL,
                q.Rep_Capacity__c,
                'Rep_Capacity__c'
            ),
            this.countItem('jobs', LABEL_JOBS, LABEL_JOBS_DETAIL, q.Engine_Job__c, 'Engine_Job__c'),
            {
                key: 'heartbeat',
                label: LABEL_HEARTBEAT,
                detail: heartbeatAt
                    ? formatLabel(LABEL_HEARTBEAT_DETAIL, heartbeatAt)
                    : LABEL_HEARTBEAT_NONE,
                done: fresh,
                target: objectList('Job_Run__c')
            },
            {
                key: 'sync',
                label: LABEL_SYNC,
                detail: syncAt ? formatLabel(LABEL_SYNC_DETAIL, syncAt) : LABEL_SYNC_NONE,
                done: syncAt !== null,
                target: objectList('Assignment__c')
            }
        ];
        return items.map((item) => ({
            ...item,
            statusText: item.done === null ? '' : item.done ? LABEL_DONE : LABEL_TODO,
            iconName:
                item.done === null
                    ? 'utility:info'
                    : item.done
                      ? 'utility:success'
                      : 'utility:warning',
            iconVariant: item.done === null ? '' : item.done ? 'success' : 'warning'
        }));
    }

    get summaryText() {
        const checked = this.items.filter((item) => item.done !== null);
        const done = checked.filter((item) => item.done).length;
        return formatLabel(LABEL_SUMMARY, done, checked.length);
    }

    countItem(key, label, detail, connection, objectApiName) {
        const count = countOf(connection);
        return {
            key,
            label,
            count,
            detail: formatLabel(detail, count),
            done: connectionNodes(connection).length > 0,
            target: objectList(objectApiName)
        };
    }

    handleFix(event) {
        const key = event.currentTarget.dataset.key;
        const item = this.items.find((candidate) => candidate.key === key);
        if (item) {
            this[NavigationMixin.Navigate](item.target);
        }
    }

    handleRefresh() {
        if (this.wiredResult && this.wiredResult.refresh) {
            this.wiredResult.refresh();
        }
    }
}

function objectList(objectApiName) {
    return {
        type: 'standard__objectPage',
        attributes: { objectApiName, actionName: 'list' },
        state: { filterName: 'Recent' }
    };
}
