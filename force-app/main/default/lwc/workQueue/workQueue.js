import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';
import USER_ID from '@salesforce/user/Id';
import {
    connectionNodes,
    createRefresher,
    fieldDisplay,
    fieldValue,
    formatLabel,
    isTypingTarget,
    listenToSignals,
    reduceErrors
} from 'c/aslUtils';
import LABEL_TITLE from '@salesforce/label/c.ASL_WQ_Title';
import LABEL_REFRESH from '@salesforce/label/c.ASL_Common_Refresh';
import LABEL_EMPTY from '@salesforce/label/c.ASL_WQ_Empty';
import LABEL_EMPTY_HINT from '@salesforce/label/c.ASL_WQ_Empty_Hint';
import LABEL_IN_QUEUE from '@salesforce/label/c.ASL_WQ_In_Queue';
import LABEL_PURPOSE from '@salesforce/label/c.ASL_WQ_Purpose';
import LABEL_ATTEMPT from '@salesforce/label/c.ASL_WQ_Attempt';
import LABEL_DUE from '@salesforce/label/c.ASL_WQ_Due';
import LABEL_ACCOUNT from '@salesforce/label/c.ASL_WQ_Account';
import LABEL_COMPANY from '@salesforce/label/c.ASL_WQ_Company';
import LABEL_LOCAL_TIME_ZONE from '@salesforce/label/c.ASL_WQ_Time_Zone';
import LABEL_LOCAL_TIME from '@salesforce/label/c.ASL_WQ_Local_Time';
import LABEL_GUIDANCE from '@salesforce/label/c.ASL_WQ_Guidance';
import LABEL_CALL from '@salesforce/label/c.ASL_WQ_Call';
import LABEL_NO_PHONE from '@salesforce/label/c.ASL_WQ_No_Phone';
import LABEL_SAVED from '@salesforce/label/c.ASL_WQ_Saved';
import LABEL_SAVE_FAILED from '@salesforce/label/c.ASL_WQ_Save_Failed';
import LABEL_CLOSE_PENDING from '@salesforce/label/c.ASL_WQ_Close_Pending';
import LABEL_SHORTCUT_SCOPE from '@salesforce/label/c.ASL_WQ_Shortcut_Scope';
import LABEL_GUIDANCE_FIRST_TOUCH from '@salesforce/label/c.ASL_Guidance_First_Touch';
import LABEL_GUIDANCE_FOLLOW_UP from '@salesforce/label/c.ASL_Guidance_Follow_Up';
import LABEL_GUIDANCE_CALL_BACK from '@salesforce/label/c.ASL_Guidance_Call_Back';
import LABEL_GUIDANCE_NURTURE from '@salesforce/label/c.ASL_Guidance_Nurture_Check_Back';
import LABEL_GUIDANCE_REBOOK from '@salesforce/label/c.ASL_Guidance_Rebook_No_Show';
import LABEL_GUIDANCE_CONFIRM from '@salesforce/label/c.ASL_Guidance_Confirm_Demo';
import LABEL_GUIDANCE_COURTESY from '@salesforce/label/c.ASL_Guidance_Courtesy_Call';

const QUEUE_QUERY = gql`
    query workQueueEntries($userId: ID, $pageSize: Int) {
        uiapi {
            query {
                Queue_Entry__c(
                    where: { and: [{ SDR__c: { eq: $userId } }, { Status__c: { eq: "Open" } }] }
                    orderBy: { Rank__c: { order: ASC } }
                    first: $pageSize
                ) {
                    totalCount
                    edges {
                        node {
                            Id
                            Rank__c {
                                value
                            }
                            Purpose__c {
                                value
                                displayValue
                            }
                            Due_At__c {
                                value
                                displayValue
                            }
                            Guidance_Key__c {
                                value
                            }
                            Allowed_Outcomes__c {
                                value
                            }
                            Attempt_Number__c {
                                value
                            }
                            Asset_Id__c {
                                value
                            }
                            Lead__c {
                                value
                            }
                            Account__c {
                                value
                            }
                            Lead__r {
                                Name {
                                    value
                                }
                                Company {
                                    value
                                }
                                Title {
                                    value
                                }
                                Phone {
                                    value
                                }
                                Time_Zone__c {
                                    value
                                }
                                Station__c {
                                    value
                                }
                            }
                            Account__r {
                                Name {
                                    value
                                }
                                Phone {
                                    value
                                }
                                Time_Zone__c {
                                    value
                                }
                                Station__c {
                                    value
                                }
                            }
                        }
                    }
                }
            }
        }
    }
`;

/**
 * Handling guidance by Queue_Entry__c.Guidance_Key__c, falling back to the purpose: the
 * engine writes the key, the words live in custom labels so they can be translated.
 */
const GUIDANCE = {
    FIRST_TOUCH: LABEL_GUIDANCE_FIRST_TOUCH,
    FOLLOW_UP: LABEL_GUIDANCE_FOLLOW_UP,
    CALL_BACK: LABEL_GUIDANCE_CALL_BACK,
    NURTURE_CHECK_BACK: LABEL_GUIDANCE_NURTURE,
    REBOOK_NO_SHOW: LABEL_GUIDANCE_REBOOK,
    CONFIRM_DEMO: LABEL_GUIDANCE_CONFIRM,
    COURTESY_CALL: LABEL_GUIDANCE_COURTESY
};

/** Engine signals after which the queue is read again. */
const REFRESH_SIGNALS = new Set(['RERANKED', 'ASSIGNED', 'MOVED']);

/**
 * The SDR's Work Queue: the engine's top-ranked entry, why and how to call, click to dial, a
 * call timer, one-click dispositions and the next entry without a reload.
 */
export default class WorkQueue extends LightningElement {
    /** How many ranked entries to load at once (the next ones appear without a reload). */
    @api pageSize = 20;
    /** How many earlier touches the timeline shows. */
    @api timelineSize = 20;

    labels = {
        title: LABEL_TITLE,
        refresh: LABEL_REFRESH,
        empty: LABEL_EMPTY,
        emptyHint: LABEL_EMPTY_HINT,
        purpose: LABEL_PURPOSE,
        attempt: LABEL_ATTEMPT,
        due: LABEL_DUE,
        account: LABEL_ACCOUNT,
        company: LABEL_COMPANY,
        timeZone: LABEL_LOCAL_TIME_ZONE,
        guidance: LABEL_GUIDANCE,
        noPhone: LABEL_NO_PHONE,
        shortcutScope: LABEL_SHORTCUT_SCOPE
    };

    entries = [];
    totalCount = 0;
    loaded = false;
    loadError = null;
    saveError = null;
    status = '';
    /** The refresh function of the last wire result (lightning/graphql hands it out). */
    refreshWire = null;
    signals = null;
    /** Entries disposed in this session: hidden at once, before the server confirms. */
    disposedIds = new Set();
    focusHeading = false;

    requestRefresh = createRefresher(() => this.refreshQueue());

    get variables() {
        return { userId: USER_ID, pageSize: Number(this.pageSize) || 20 };
    }

    @wire(graphql, { query: QUEUE_QUERY, variables: '$variables' })
    wiredQueue(result) {
        this.refreshWire = typeof result.refresh === 'function' ? result.refresh : null;
        const { data, errors } = result;
        if (errors) {
            this.loadError = reduceErrors(errors).join(' ');
            this.loaded = true;
        } else if (data) {
            const connection = data.uiapi.query.Queue_Entry__c;
            this.entries = connectionNodes(connection).map(toEntry);
            this.totalCount = connection.totalCount || this.entries.length;
            this.loadError = null;
            this.loaded = true;
        }
    }

    connectedCallback() {
        this.signals = listenToSignals((signal) => this.handleSignal(signal));
    }

    disconnectedCallback() {
        this.signals.stop();
    }

    renderedCallback() {
        if (this.focusHeading) {
            this.focusHeading = false;
            const heading = this.template.querySelector('[data-id="entry-heading"]');
            if (heading) {
                heading.focus();
            }
        }
    }

    get isLoading() {
        return !this.loaded;
    }

    get openEntries() {
        return this.entries.filter((entry) => !this.disposedIds.has(entry.id));
    }

    get current() {
        return this.openEntries[0] || null;
    }

    get isEmpty() {
        return this.loaded && !this.loadError && !this.current;
    }

    get queueCountText() {
        const remaining = Math.max(0, this.totalCount - this.disposedIds.size);
        return formatLabel(LABEL_IN_QUEUE, Math.max(remaining, this.openEntries.length));
    }

    get callLabel() {
        return this.current ? formatLabel(LABEL_CALL, this.current.name, this.current.phone) : '';
    }

    /** The lead's local time now, so the SDR can open the call right ("Good morning"). */
    get localTime() {
        const zone = this.current && this.current.timeZone;
        if (!zone) {
            return '';
        }
        try {
            const time = new Intl.DateTimeFormat(undefined, {
                timeZone: zone,
                hour: 'numeric',
                minute: '2-digit'
            }).format(new Date());
            return formatLabel(LABEL_LOCAL_TIME, zone, time);
        } catch {
            // An unknown zone name is shown as it is rather than hidden.
            return zone;
        }
    }

    get guidance() {
        const entry = this.current;
        if (!entry) {
            return '';
        }
        return GUIDANCE[entry.guidanceKey] || GUIDANCE[purposeKey(entry.purpose)] || '';
    }

    handleSignal(signal) {
        if (!REFRESH_SIGNALS.has(signal.kind)) {
            return;
        }
        if (
            signal.recordId &&
            signal.recordId !== USER_ID &&
            signal.recordId.slice(0, 15) !== USER_ID.slice(0, 15)
        ) {
            return;
        }
        this.requestRefresh();
    }

    handleRefresh() {
        this.requestRefresh();
    }

    handleDial() {
        // The tel: link opens the softphone or phone app; timing starts with the dial.
        const timer = this.template.querySelector('c-call-timer');
        if (timer) {
            timer.start();
        }
    }

    handleKeyDown(event) {
        if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event)) {
            return;
        }
        const panel = this.template.querySelector('c-disposition-panel');
        if (panel && this.current && panel.handleShortcut(event.key)) {
            event.preventDefault();
        }
    }

    async handleDispose(event) {
        const entry = this.current;
        if (!entry) {
            return;
        }
        const { outcome, reasonCode, nextActionAt } = event.detail;
        const timer = this.template.querySelector('c-call-timer');
        const seconds = timer ? timer.elapsedSeconds : 0;
        if (timer) {
            timer.reset();
        }

        // Optimistic advance: the SDR sees the next entry at once; a failed save brings it back.
        this.disposedIds = new Set([...this.disposedIds, entry.id]);
        this.saveError = null;
        this.focusHeading = true;

        try {
            await createRecord({
                apiName: 'Disposition__c',
                fields: dispositionFields(entry, { outcome, reasonCode, nextActionAt, seconds })
            });
        } catch (error) {
            const remaining = new Set(this.disposedIds);
            remaining.delete(entry.id);
            this.disposedIds = remaining;
            this.saveError = formatLabel(
                LABEL_SAVE_FAILED,
                entry.name,
                reduceErrors(error).join(' ')
            );
            this.status = '';
            this.focusHeading = true;
            return;
        }
        // The disposition is the record of the call. Closing the entry here only saves the
        // engine a step: if it fails (e.g. the entry is shared read-only), the engine closes it
        // when it processes the disposition, and the entry must not come back to be called twice.
        try {
            await updateRecord({ fields: { Id: entry.id, Status__c: 'Done' } });
            this.status = formatLabel(LABEL_SAVED, outcome, entry.name);
        } catch {
            this.status = formatLabel(LABEL_CLOSE_PENDING, outcome, entry.name);
        }
        await this.requestRefresh();
    }

    async refreshQueue() {
        if (!this.refreshWire) {
            return;
        }
        try {
            await this.refreshWire();
        } catch (error) {
            this.loadError = reduceErrors(error).join(' ');
        }
    }
}

function purposeKey(purpose) {
    return String(purpose || '')
        .toUpperCase()
        .replace(/[^A-Z]+/g, '_');
}

function toEntry(node) {
    const isLead = !!fieldValue(node, 'Lead__c');
    const base = isLead ? 'Lead__r' : 'Account__r';
    const phone = fieldValue(node, `${base}.Phone`);
    return {
        id: node.Id,
        rank: fieldValue(node, 'Rank__c'),
        purpose: fieldValue(node, 'Purpose__c'),
        purposeLabel: fieldDisplay(node, 'Purpose__c'),
        due: fieldDisplay(node, 'Due_At__c'),
        guidanceKey: fieldValue(node, 'Guidance_Key__c'),
        allowedOutcomes: fieldValue(node, 'Allowed_Outcomes__c') || '',
        attemptNumber: fieldValue(node, 'Attempt_Number__c'),
        leadId: fieldValue(node, 'Lead__c'),
        accountId: fieldValue(node, 'Account__c'),
        assetId:
            fieldValue(node, 'Asset_Id__c') ||
            fieldValue(node, 'Lead__c') ||
            fieldValue(node, 'Account__c'),
        name: fieldValue(node, `${base}.Name`) || '',
        title: isLead ? fieldValue(node, 'Lead__r.Title') : null,
        company: isLead ? fieldValue(node, 'Lead__r.Company') : null,
        accountName: fieldValue(node, 'Account__r.Name'),
        phone,
        telHref: phone ? `tel:${String(phone).replace(/[^0-9+*#,;]/g, '')}` : null,
        timeZone: fieldValue(node, `${base}.Time_Zone__c`),
        stationId: fieldValue(node, `${base}.Station__c`),
        recordUrl: `/lightning/r/${isLead ? 'Lead' : 'Account'}/${
            isLead ? fieldValue(node, 'Lead__c') : fieldValue(node, 'Account__c')
        }/view`,
        accountUrl: fieldValue(node, 'Account__c')
            ? `/lightning/r/Account/${fieldValue(node, 'Account__c')}/view`
            : null
    };
}

/** The Disposition__c fields for one outcome; blanks are left out rather than sent empty. */
function dispositionFields(entry, { outcome, reasonCode, nextActionAt, seconds }) {
    const fields = {
        Outcome__c: outcome,
        Queue_Entry__c: entry.id,
        Asset_Id__c: entry.assetId,
        Rep__c: USER_ID
    };
    const optional = {
        Purpose__c: entry.purpose,
        Lead__c: entry.leadId,
        Account__c: entry.accountId,
        Station__c: entry.stationId,
        Attempt_Number__c: entry.attemptNumber,
        Reason_Code__c: reasonCode,
        Next_Action_At__c: nextActionAt,
        Duration_Seconds__c: seconds > 0 ? seconds : null
    };
    for (const [name, value] of Object.entries(optional)) {
        if (value !== null && value !== undefined && value !== '') {
            fields[name] = value;
        }
    }
    return fields;
}
