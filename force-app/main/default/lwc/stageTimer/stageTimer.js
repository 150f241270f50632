import { LightningElement, api, wire } from 'lwc';
import { getRecord, getFieldValue } from 'lightning/uiRecordApi';
import { gql, graphql } from 'lightning/graphql';
import {
    connectionNodes,
    fieldDisplay,
    fieldValue,
    formatDuration,
    formatLabel,
    reduceErrors,
    toMillis
} from 'c/aslUtils';
import LABEL_TITLE from '@salesforce/label/c.ASL_ST_Title';
import LABEL_LOADING from '@salesforce/label/c.ASL_Common_Loading';
import LABEL_ERROR from '@salesforce/label/c.ASL_Common_Error';
import LABEL_STATION from '@salesforce/label/c.ASL_ST_Station';
import LABEL_BIN from '@salesforce/label/c.ASL_ST_Bin';
import LABEL_NO_STATION from '@salesforce/label/c.ASL_ST_No_Station';
import LABEL_IN_FOR from '@salesforce/label/c.ASL_ST_In_For';
import LABEL_SLA from '@salesforce/label/c.ASL_ST_Sla';
import LABEL_NO_SLA from '@salesforce/label/c.ASL_ST_No_Sla';
import LABEL_OVER_SLA from '@salesforce/label/c.ASL_ST_Over_Sla';
import LABEL_WITHIN_SLA from '@salesforce/label/c.ASL_ST_Within_Sla';
import LABEL_SLA_USED from '@salesforce/label/c.ASL_ST_Sla_Used';
import LABEL_NEXT_ACTION from '@salesforce/label/c.ASL_ST_Next_Action';
import LABEL_HISTORY from '@salesforce/label/c.ASL_ST_History';
import LABEL_HISTORY_EMPTY from '@salesforce/label/c.ASL_ST_History_Empty';
import LABEL_COL_KIND from '@salesforce/label/c.ASL_ST_Col_Kind';
import LABEL_COL_FROM from '@salesforce/label/c.ASL_ST_Col_From';
import LABEL_COL_TO from '@salesforce/label/c.ASL_ST_Col_To';
import LABEL_COL_ENTERED from '@salesforce/label/c.ASL_ST_Col_Entered';
import LABEL_COL_EXITED from '@salesforce/label/c.ASL_ST_Col_Exited';
import LABEL_COL_DURATION from '@salesforce/label/c.ASL_ST_Col_Duration';
import LABEL_COL_BY from '@salesforce/label/c.ASL_ST_Col_By';
import LABEL_ONGOING from '@salesforce/label/c.ASL_ST_Ongoing';

const HISTORY_QUERY = gql`
    query stageTimerHistory($assetId: String, $recordRef: ID, $pageSize: Int) {
        uiapi {
            query {
                Stage_Event__c(
                    where: {
                        or: [
                            { Asset_Id__c: { eq: $assetId } }
                            { Lead__c: { eq: $recordRef } }
                            { Account__c: { eq: $recordRef } }
                            { Opportunity__c: { eq: $recordRef } }
                        ]
                    }
                    orderBy: { Entered_At__c: { order: DESC } }
                    first: $pageSize
                ) {
                    edges {
                        node {
                            Id
                            Kind__c {
                                value
                                displayValue
                            }
                            From_Value__c {
                                value
                            }
                            To_Value__c {
                                value
                            }
                            Entered_At__c {
                                value
                                displayValue
                            }
                            Exited_At__c {
                                value
                                displayValue
                            }
                            Duration_Minutes__c {
                                value
                            }
                            Changed_By__r {
                                Name {
                                    value
                                }
                            }
                        }
                    }
                }
                Station__c(first: 200, orderBy: { Order__c: { order: ASC } }) {
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
                        }
                    }
                }
            }
        }
    }
`;

/** Objects that carry a bin besides a station (data-model.md). */
const OBJECTS_WITH_BIN = new Set(['Lead', 'Account']);
const OBJECTS_WITH_NEXT_ACTION = new Set(['Lead']);
const TICK_MS = 60 * 1000;
const MS_PER_HOUR = 60 * 60 * 1000;

/**
 * Stage Timer for Lead, Account and Opportunity record pages: how long the record has been in
 * its station (against the station's SLA) and in its bin, and every earlier stay.
 */
export default class StageTimer extends LightningElement {
    /** Id of the record whose page shows the timer (set by the record page). */
    @api recordId;
    /** API name of that record's object: Lead, Account or Opportunity (set by the record page). */
    @api objectApiName;
    /** How many station and bin changes the history lists, newest first. */
    @api historySize = 20;

    labels = {
        title: LABEL_TITLE,
        loading: LABEL_LOADING,
        error: LABEL_ERROR,
        station: LABEL_STATION,
        bin: LABEL_BIN,
        noStation: LABEL_NO_STATION,
        history: LABEL_HISTORY,
        historyEmpty: LABEL_HISTORY_EMPTY,
        colKind: LABEL_COL_KIND,
        colFrom: LABEL_COL_FROM,
        colTo: LABEL_COL_TO,
        colEntered: LABEL_COL_ENTERED,
        colExited: LABEL_COL_EXITED,
        colDuration: LABEL_COL_DURATION,
        colBy: LABEL_COL_BY
    };

    record;
    recordError = null;
    events = [];
    stations = [];
    historyError = null;
    historyLoaded = false;
    now = Date.now();
    intervalId = null;
    refreshHistory = null;
    lastPlace = null;

    get optionalFields() {
        const object = this.objectApiName;
        if (!object) {
            return undefined;
        }
        const fields = [
            `${object}.Station__c`,
            `${object}.Station__r.Name`,
            `${object}.Station_Entered_At__c`
        ];
        if (OBJECTS_WITH_BIN.has(object)) {
            fields.push(`${object}.Bin__c`, `${object}.Bin_Entered_At__c`);
        }
        if (OBJECTS_WITH_NEXT_ACTION.has(object)) {
            fields.push(`${object}.Next_Action_At__c`);
        }
        return fields;
    }

    @wire(getRecord, { recordId: '$recordId', optionalFields: '$optionalFields' })
    wiredRecord({ data, error }) {
        if (error) {
            this.recordError = reduceErrors(error).join(' ');
            this.record = undefined;
        } else if (data) {
            this.recordError = null;
            this.record = data;
            // A station or bin change is also a new Stage_Event__c: read the history again.
            const place = `${this.fieldOf('Station__c')}|${this.fieldOf('Bin__c')}`;
            if (this.lastPlace !== null && place !== this.lastPlace && this.refreshHistory) {
                this.refreshHistory();
            }
            this.lastPlace = place;
        }
    }

    get historyVariables() {
        return {
            assetId: this.recordId,
            recordRef: this.recordId,
            pageSize: Number(this.historySize) || 20
        };
    }

    @wire(graphql, { query: HISTORY_QUERY, variables: '$historyVariables' })
    wiredHistory(result) {
        this.refreshHistory = typeof result.refresh === 'function' ? result.refresh : null;
        const { data, errors } = result;
        if (errors) {
            this.historyError = reduceErrors(errors).join(' ');
            this.historyLoaded = true;
        } else if (data) {
            this.historyError = null;
            this.events = connectionNodes(data.uiapi.query.Stage_Event__c);
            this.stations = connectionNodes(data.uiapi.query.Station__c);
            this.historyLoaded = true;
        }
    }

    connectedCallback() {
        // Minutes matter, seconds do not: one re-render a minute keeps the timer honest.
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.intervalId = setInterval(() => {
            this.now = Date.now();
        }, TICK_MS);
    }

    disconnectedCallback() {
        clearInterval(this.intervalId);
        this.intervalId = null;
    }

    get isLoading() {
        return !this.record && !this.recordError;
    }

    get hasBin() {
        return OBJECTS_WITH_BIN.has(this.objectApiName);
    }

    get station() {
        const stationId = this.fieldOf('Station__c');
        if (!this.record || !stationId) {
            return null;
        }
        const stationNode = this.stations.find((node) => node.Id === stationId);
        const slaHours = stationNode ? fieldValue(stationNode, 'SLA_Hours__c') : null;
        const enteredAt = toMillis(this.fieldOf('Station_Entered_At__c'));
        const elapsed = enteredAt === null ? null : this.now - enteredAt;
        const name =
            this.fieldOf('Station__r.Name') ||
            (stationNode && fieldValue(stationNode, 'Name')) ||
            stationId;
        const view = {
            name,
            timeIn: elapsed === null ? '' : formatLabel(LABEL_IN_FOR, formatDuration(elapsed)),
            hasSla: slaHours > 0,
            slaText: slaHours > 0 ? formatLabel(LABEL_SLA, slaHours) : LABEL_NO_SLA,
            percent: 0,
            breached: false,
            slaStatus: '',
            badgeClass: 'slds-badge',
            progressVariant: 'base'
        };
        if (slaHours > 0 && elapsed !== null) {
            const slaMs = slaHours * MS_PER_HOUR;
            const used = Math.round((elapsed / slaMs) * 100);
            view.percent = Math.min(100, used);
            view.percentText = formatLabel(LABEL_SLA_USED, used);
            view.breached = elapsed > slaMs;
            view.slaStatus = view.breached
                ? formatLabel(LABEL_OVER_SLA, formatDuration(elapsed - slaMs))
                : formatLabel(LABEL_WITHIN_SLA, formatDuration(slaMs - elapsed));
            view.badgeClass = view.breached
                ? 'slds-badge slds-theme_error'
                : 'slds-badge slds-theme_success';
        }
        return view;
    }

    get bin() {
        if (!this.record || !this.hasBin) {
            return null;
        }
        const value = this.fieldOf('Bin__c');
        if (!value) {
            return null;
        }
        const enteredAt = toMillis(this.fieldOf('Bin_Entered_At__c'));
        const nextActionAt = this.displayOf('Next_Action_At__c');
        return {
            name: this.displayOf('Bin__c') || value,
            timeIn:
                enteredAt === null
                    ? ''
                    : formatLabel(LABEL_IN_FOR, formatDuration(this.now - enteredAt)),
            nextAction: nextActionAt ? formatLabel(LABEL_NEXT_ACTION, nextActionAt) : ''
        };
    }

    get history() {
        const nameOf = this.stationNamer();
        return this.events.map((node) => {
            const kind = fieldValue(node, 'Kind__c');
            const isStation = kind === 'Station';
            const enteredAt = toMillis(fieldValue(node, 'Entered_At__c'));
            const exitedAt = toMillis(fieldValue(node, 'Exited_At__c'));
            const minutes = fieldValue(node, 'Duration_Minutes__c');
            let duration;
            if (minutes !== null && minutes !== undefined) {
                duration = formatDuration(minutes * 60 * 1000);
            } else if (enteredAt !== null) {
                const end = exitedAt === null ? this.now : exitedAt;
                duration =
                    formatDuration(end - enteredAt) +
                    (exitedAt === null ? ` (${LABEL_ONGOING})` : '');
            } else {
                duration = '';
            }
            const from = fieldValue(node, 'From_Value__c');
            const to = fieldValue(node, 'To_Value__c');
            return {
                id: node.Id,
                kind: fieldDisplay(node, 'Kind__c'),
                from: isStation ? nameOf(from) : from,
                to: isStation ? nameOf(to) : to,
                entered: fieldDisplay(node, 'Entered_At__c'),
                exited: exitedAt === null ? LABEL_ONGOING : fieldDisplay(node, 'Exited_At__c'),
                duration,
                by: fieldValue(node, 'Changed_By__r.Name') || ''
            };
        });
    }

    get hasHistory() {
        return this.events.length > 0;
    }

    get isHistoryEmpty() {
        return this.historyLoaded && !this.historyError && this.events.length === 0;
    }

    fieldOf(field) {
        return this.record ? getFieldValue(this.record, `${this.objectApiName}.${field}`) : null;
    }

    displayOf(field) {
        const parts = field.split('.');
        const leaf = this.record && this.record.fields && this.record.fields[parts[0]];
        return leaf ? leaf.displayValue || leaf.value : null;
    }

    /** Stage events name a station by Id, Key__c or Name; show its name in every case. */
    stationNamer() {
        const names = new Map();
        for (const node of this.stations) {
            const name = fieldValue(node, 'Name');
            names.set(node.Id, name);
            const key = fieldValue(node, 'Key__c');
            if (key) {
                names.set(key, name);
            }
        }
        return (value) => (value ? names.get(value) || value : '');
    }
}
