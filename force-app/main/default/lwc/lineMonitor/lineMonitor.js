import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import {
    connectionNodes,
    fieldValue,
    formatLabel,
    formatNumber,
    isTruncated,
    listenToSignals,
    onSignalKinds,
    reduceErrors,
    toMillis
} from 'c/aslUtils';
import { stationMetrics } from 'c/lineMetrics';
import LABEL_TITLE from '@salesforce/label/c.ASL_LM_Title';
import LABEL_REFRESH from '@salesforce/label/c.ASL_Common_Refresh';
import LABEL_WINDOW from '@salesforce/label/c.ASL_LM_Window';
import LABEL_FLOW from '@salesforce/label/c.ASL_LM_Flow';
import LABEL_BOTTLENECK_AT from '@salesforce/label/c.ASL_LM_Bottleneck_At';
import LABEL_BOTTLENECK_STUCK from '@salesforce/label/c.ASL_LM_Bottleneck_Stuck';
import LABEL_NO_BOTTLENECK from '@salesforce/label/c.ASL_LM_No_Bottleneck';
import LABEL_NO_STATIONS from '@salesforce/label/c.ASL_LM_No_Stations';
import LABEL_TRUNCATED from '@salesforce/label/c.ASL_LM_Truncated';

const FLOW_QUERY = gql`
    query lineMonitorFlow($since: DateTime, $pageSize: Int) {
        uiapi {
            query {
                Station__c(
                    where: { Active__c: { eq: true } }
                    orderBy: { Order__c: { order: ASC } }
                    first: 200
                ) {
                    edges {
                        node {
                            Id
                            Name {
                                value
                            }
                            Key__c {
                                value
                            }
                            SLA_Hours__c {
                                value
                            }
                            Target_WIP__c {
                                value
                            }
                        }
                    }
                }
                Lead(
                    where: { and: [{ Station__c: { ne: null } }, { IsConverted: { eq: false } }] }
                    orderBy: { Station_Entered_At__c: { order: ASC } }
                    first: $pageSize
                ) {
                    pageInfo {
                        hasNextPage
                    }
                    edges {
                        node {
                            Id
                            Station__c {
                                value
                            }
                            Station_Entered_At__c {
                                value
                            }
                        }
                    }
                }
                Account(
                    where: { Station__c: { ne: null } }
                    orderBy: { Station_Entered_At__c: { order: ASC } }
                    first: $pageSize
                ) {
                    pageInfo {
                        hasNextPage
                    }
                    edges {
                        node {
                            Id
                            Station__c {
                                value
                            }
                            Station_Entered_At__c {
                                value
                            }
                        }
                    }
                }
                Opportunity(
                    where: { and: [{ Station__c: { ne: null } }, { IsClosed: { eq: false } }] }
                    orderBy: { Station_Entered_At__c: { order: ASC } }
                    first: $pageSize
                ) {
                    pageInfo {
                        hasNextPage
                    }
                    edges {
                        node {
                            Id
                            Station__c {
                                value
                            }
                            Station_Entered_At__c {
                                value
                            }
                        }
                    }
                }
                Stage_Event__c(
                    where: {
                        and: [
                            { Kind__c: { eq: "Station" } }
                            { Exited_At__c: { gte: { value: $since } } }
                        ]
                    }
                    orderBy: { Exited_At__c: { order: DESC } }
                    first: $pageSize
                ) {
                    pageInfo {
                        hasNextPage
                    }
                    edges {
                        node {
                            Id
                            To_Value__c {
                                value
                            }
                            Entered_At__c {
                                value
                            }
                            Exited_At__c {
                                value
                            }
                            Duration_Minutes__c {
                                value
                            }
                        }
                    }
                }
            }
        }
    }
`;

const DAY_MS = 24 * 60 * 60 * 1000;
/** A burst of engine signals (a job writing thousands of records) costs one read. */
const SIGNAL_DEBOUNCE_MS = 2000;
const REFRESH_SIGNALS = new Set(['ASSIGNED', 'MOVED', 'REBALANCED', 'JOB_RUN']);

/**
 * Line Monitor for managers: per station WIP, throughput, cycle time and SLA breaches over a
 * window, the bottleneck highlighted, and the equality report of the assignment ledger.
 */
export default class LineMonitor extends LightningElement {
    /** Days of history that throughput, cycle time and the equality report cover. */
    @api windowDays = 7;
    /** Most records read per object; at most 2000, the GraphQL page limit. */
    @api pageSize = 2000;

    labels = {
        title: LABEL_TITLE,
        refresh: LABEL_REFRESH,
        flow: LABEL_FLOW,
        noStations: LABEL_NO_STATIONS
    };

    rows = [];
    loaded = false;
    loadError = null;
    truncated = false;
    /** The window ends here; moving it (Refresh, engine signals) makes both wires read again. */
    windowEnd = Date.now();
    computedAt;
    signals = null;
    debounceId = null;

    get days() {
        return Math.max(1, Number(this.windowDays) || 7);
    }

    get since() {
        return new Date(this.windowEnd - this.days * DAY_MS).toISOString();
    }

    get variables() {
        return {
            since: this.since,
            pageSize: Math.min(2000, Math.max(1, Number(this.pageSize) || 2000))
        };
    }

    @wire(graphql, { query: FLOW_QUERY, variables: '$variables' })
    wiredFlow({ data, errors }) {
        if (errors) {
            this.loadError = reduceErrors(errors).join(' ');
            this.loaded = true;
        } else if (data) {
            this.loadError = null;
            this.rows = this.compute(data.uiapi.query);
            this.loaded = true;
        }
    }

    connectedCallback() {
        this.signals = listenToSignals(
            onSignalKinds(REFRESH_SIGNALS, () => this.scheduleRefresh())
        );
    }

    disconnectedCallback() {
        this.signals.stop();
        clearTimeout(this.debounceId);
    }

    get isLoading() {
        return !this.loaded;
    }

    get windowText() {
        return formatLabel(LABEL_WINDOW, this.days);
    }

    get hasRows() {
        return this.rows.length > 0;
    }

    get noStations() {
        return this.loaded && !this.loadError && this.rows.length === 0;
    }

    get bottleneckText() {
        const row = this.rows.find((candidate) => candidate.isBottleneck);
        if (!row) {
            return LABEL_NO_BOTTLENECK;
        }
        if (row.exits === 0) {
            return formatLabel(LABEL_BOTTLENECK_STUCK, row.name, row.wip, this.days);
        }
        return formatLabel(LABEL_BOTTLENECK_AT, row.name, formatNumber(row.pressure, 1));
    }

    get truncatedText() {
        return this.truncated ? LABEL_TRUNCATED : '';
    }

    handleRefresh() {
        clearTimeout(this.debounceId);
        this.windowEnd = Date.now();
    }

    scheduleRefresh() {
        clearTimeout(this.debounceId);
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.debounceId = setTimeout(() => {
            this.windowEnd = Date.now();
        }, SIGNAL_DEBOUNCE_MS);
    }

    compute(query) {
        const stations = connectionNodes(query.Station__c).map((node) => ({
            id: node.Id,
            key: fieldValue(node, 'Key__c'),
            name: fieldValue(node, 'Name'),
            slaHours: fieldValue(node, 'SLA_Hours__c'),
            targetWip: fieldValue(node, 'Target_WIP__c')
        }));
        const assetConnections = [query.Lead, query.Account, query.Opportunity];
        const assets = assetConnections.flatMap((connection) =>
            connectionNodes(connection).map((node) => ({
                id: node.Id,
                stationId: fieldValue(node, 'Station__c'),
                enteredAt: toMillis(fieldValue(node, 'Station_Entered_At__c'))
            }))
        );
        const stays = connectionNodes(query.Stage_Event__c).map((node) => ({
            station: fieldValue(node, 'To_Value__c'),
            enteredAt: toMillis(fieldValue(node, 'Entered_At__c')),
            exitedAt: toMillis(fieldValue(node, 'Exited_At__c')),
            durationMinutes: fieldValue(node, 'Duration_Minutes__c')
        }));
        this.truncated = [...assetConnections, query.Stage_Event__c].some(isTruncated);
        this.computedAt = Date.now();
        return stationMetrics({
            stations,
            assets,
            stays,
            now: this.computedAt,
            windowDays: this.days
        });
    }
}
