import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';
import TIME_ZONE from '@salesforce/i18n/timeZone';
import {
    connectionNodes,
    fieldValue,
    formatLabel,
    listenToSignals,
    reduceErrors
} from 'c/aslUtils';
import { isDuplicateValue, parseAnswer, personName, slotByKey } from './answer';
import LABEL_TITLE from '@salesforce/label/c.ASL_DC_Title';
import LABEL_TYPE from '@salesforce/label/c.ASL_DC_Type';
import LABEL_DAYS from '@salesforce/label/c.ASL_DC_Days';
import LABEL_CITY from '@salesforce/label/c.ASL_DC_City';
import LABEL_CITY_HINT from '@salesforce/label/c.ASL_DC_City_Hint';
import LABEL_ZONE from '@salesforce/label/c.ASL_DC_Customer_Zone';
import LABEL_ZONE_HINT from '@salesforce/label/c.ASL_DC_Customer_Zone_Hint';
import LABEL_LEAD from '@salesforce/label/c.ASL_DC_Lead';
import LABEL_NO_LEAD from '@salesforce/label/c.ASL_DC_No_Lead';
import LABEL_FIND from '@salesforce/label/c.ASL_DC_Find';
import LABEL_SEARCH_AGAIN from '@salesforce/label/c.ASL_DC_Search_Again';
import LABEL_WAITING from '@salesforce/label/c.ASL_DC_Waiting';
import LABEL_SLOW from '@salesforce/label/c.ASL_DC_Slow';
import LABEL_TYPE_REQUIRED from '@salesforce/label/c.ASL_DC_Type_Required';
import LABEL_DAYS_INVALID from '@salesforce/label/c.ASL_DC_Days_Invalid';
import LABEL_CITY_REQUIRED from '@salesforce/label/c.ASL_DC_City_Required';
import LABEL_REQUEST_FAILED from '@salesforce/label/c.ASL_DC_Request_Failed';
import LABEL_ENGINE_FAILED from '@salesforce/label/c.ASL_DC_Engine_Failed';
import LABEL_UNREADABLE from '@salesforce/label/c.ASL_DC_Unreadable';
import LABEL_BOOKED from '@salesforce/label/c.ASL_DC_Booked';
import LABEL_BOOK_FAILED from '@salesforce/label/c.ASL_DC_Book_Failed';
import LABEL_CONFLICT from '@salesforce/label/c.ASL_DC_Conflict';
import LABEL_CONFLICT_NONE from '@salesforce/label/c.ASL_DC_Conflict_None';
import LABEL_OVERLAP from '@salesforce/label/c.ASL_DC_Overlap';
import LABEL_BOOK_NEXT from '@salesforce/label/c.ASL_DC_Book_Next';
import LABEL_TYPES_EMPTY from '@salesforce/label/c.ASL_DC_Types_Empty';
import LABEL_TOTAL from '@salesforce/label/c.ASL_DC_Total';
import LABEL_PROBLEMS from '@salesforce/label/c.ASL_DC_Problems';

const TYPES_QUERY = gql`
    query demoCalendarTypes {
        uiapi {
            query {
                Demo_Type__c(
                    where: { Active__c: { eq: true } }
                    orderBy: { Name: { order: ASC } }
                    first: 50
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
                            Duration_Minutes__c {
                                value
                            }
                            Field_Meeting__c {
                                value
                            }
                        }
                    }
                }
            }
        }
    }
`;

const LEADS_QUERY = gql`
    query demoCalendarLeads($pageSize: Int) {
        uiapi {
            query {
                Lead(
                    where: {
                        and: [
                            { IsConverted: { eq: false } }
                            { Station__r: { Role__c: { eq: "Coordinator" } } }
                        ]
                    }
                    orderBy: { Station_Entered_At__c: { order: ASC } }
                    first: $pageSize
                ) {
                    edges {
                        node {
                            Id
                            Name {
                                value
                            }
                            Company {
                                value
                            }
                        }
                    }
                }
            }
        }
    }
`;

const REQUEST_QUERY = gql`
    query demoCalendarRequest($requestId: ID) {
        uiapi {
            query {
                Demo_Request__c(where: { Id: { eq: $requestId } }, first: 1) {
                    edges {
                        node {
                            Id
                            Status__c {
                                value
                            }
                            Result__c {
                                value
                            }
                            Message__c {
                                value
                            }
                            Answered_At__c {
                                value
                            }
                        }
                    }
                }
            }
        }
    }
`;

/** Without a streaming signal the request is read again this often, this many times. */
const POLL_MS = 2000;
const POLL_TIMES = 30;

/**
 * Demo Calendar console for the sales coordinator. The coordinator asks for slots (a
 * Demo_Request__c through Lightning Data Service); the engine answers in that record with the
 * ranked slots and the standings of the AEs (Result__c) and signals SLOTS; booking inserts the
 * answer's Demo_Slot__c as given. A slot taken a moment earlier answers DUPLICATE_VALUE (the
 * unique Slot_Key__c): the console says so and offers the answer's next best slot. Booked
 * demos can be marked No Show or Cancelled (c-demo-bookings); the engine sends the lead back
 * to the SDR who booked it.
 */
export default class DemoCalendar extends LightningElement {
    /** Days ahead asked for when the console opens. */
    @api defaultDays = 14;
    /** Booked demos listed, soonest first. */
    @api bookingsShown = 50;
    /** Leads waiting at the coordination station offered in the lead list. */
    @api leadsShown = 200;

    labels = {
        title: LABEL_TITLE,
        type: LABEL_TYPE,
        days: LABEL_DAYS,
        city: LABEL_CITY,
        cityHint: LABEL_CITY_HINT,
        zone: LABEL_ZONE,
        zoneHint: LABEL_ZONE_HINT,
        lead: LABEL_LEAD,
        find: LABEL_FIND,
        searchAgain: LABEL_SEARCH_AGAIN,
        waiting: LABEL_WAITING,
        bookNext: LABEL_BOOK_NEXT,
        typesEmpty: LABEL_TYPES_EMPTY,
        problems: LABEL_PROBLEMS
    };

    types = [];
    typesLoaded = false;
    typesError = null;
    leads = [];
    draft = { typeId: '', days: null, city: '', zone: '', leadId: '' };
    formError = '';
    requestId;
    waiting = false;
    slow = false;
    requestError = '';
    answer = null;
    busy = false;
    status = '';
    bookError = '';
    conflict = null;
    requestResult;
    signals = null;
    pollsLeft = 0;
    pollTimer = null;
    /** The booking just made: the engine may still cancel it for an overlap (SLOT_CONFLICT). */
    lastBooking = null;

    @wire(graphql, { query: TYPES_QUERY })
    wiredTypes(result) {
        if (result.errors) {
            this.typesError = reduceErrors(result.errors).join(' ');
            this.typesLoaded = true;
        } else if (result.data) {
            this.types = connectionNodes(result.data.uiapi.query.Demo_Type__c).map((node) => ({
                id: node.Id,
                name: fieldValue(node, 'Name'),
                key: fieldValue(node, 'Key__c'),
                minutes: fieldValue(node, 'Duration_Minutes__c'),
                field: fieldValue(node, 'Field_Meeting__c') === true
            }));
            this.typesError = null;
            this.typesLoaded = true;
            if (!this.draft.typeId && this.types.length) {
                this.draft = { ...this.draft, typeId: this.types[0].id };
            }
        }
    }

    @wire(graphql, { query: LEADS_QUERY, variables: '$leadVariables' })
    wiredLeads(result) {
        if (result.data) {
            this.leads = connectionNodes(result.data.uiapi.query.Lead).map((node) => ({
                id: node.Id,
                name: fieldValue(node, 'Name'),
                company: fieldValue(node, 'Company')
            }));
        }
    }

    @wire(graphql, { query: REQUEST_QUERY, variables: '$requestVariables' })
    wiredRequest(result) {
        this.requestResult = result;
        if (result.errors) {
            this.requestError = reduceErrors(result.errors).join(' ');
            this.stopWaiting();
            return;
        }
        const node = result.data
            ? connectionNodes(result.data.uiapi.query.Demo_Request__c)[0]
            : null;
        if (!node) {
            return;
        }
        const status = fieldValue(node, 'Status__c');
        if (status === 'Requested') {
            return;
        }
        this.stopWaiting();
        if (status === 'Failed') {
            this.requestError = formatLabel(LABEL_ENGINE_FAILED, fieldValue(node, 'Message__c'));
            this.answer = null;
            return;
        }
        const parsed = parseAnswer(fieldValue(node, 'Result__c'));
        this.requestError = parsed.error ? LABEL_UNREADABLE : '';
        this.answer = parsed.answer || null;
    }

    get leadVariables() {
        return { pageSize: Number(this.leadsShown) || 200 };
    }

    get requestVariables() {
        return this.requestId ? { requestId: this.requestId } : undefined;
    }

    connectedCallback() {
        if (this.draft.days === null) {
            this.draft = { ...this.draft, days: Number(this.defaultDays) || 14 };
        }
        this.signals = listenToSignals((signal) => this.handleSignal(signal));
    }

    disconnectedCallback() {
        this.signals.stop();
        this.clearPoll();
    }

    handleSignal(signal) {
        if (signal.kind === 'SLOTS' && signal.recordId === this.requestId) {
            this.readRequest();
        } else if (
            signal.kind === 'SLOT_CONFLICT' &&
            this.lastBooking &&
            signal.recordId === this.lastBooking.id
        ) {
            this.showConflict(this.lastBooking.slot, LABEL_OVERLAP);
            this.lastBooking = null;
            this.refreshBookings();
        } else if (signal.kind === 'DEMO_UPDATED' || signal.kind === 'MOVED') {
            this.refreshBookings();
        }
    }

    // Form ---------------------------------------------------------------------------------

    get typeOptions() {
        return this.types.map((type) => ({
            label: type.minutes ? `${type.name} (${type.minutes} min)` : type.name,
            value: type.id
        }));
    }

    get leadOptions() {
        return [
            { label: LABEL_NO_LEAD, value: '' },
            ...this.leads.map((lead) => ({
                label: lead.company ? `${lead.name} · ${lead.company}` : lead.name,
                value: lead.id
            }))
        ];
    }

    get selectedType() {
        return this.types.find((type) => type.id === this.draft.typeId) || null;
    }

    get cityRequired() {
        return !!(this.selectedType && this.selectedType.field);
    }

    get noTypes() {
        return this.typesLoaded && !this.typesError && this.types.length === 0;
    }

    get findDisabled() {
        return this.busy || this.waiting || !this.types.length;
    }

    handleDraftChange(event) {
        const field = event.target.dataset.field;
        this.draft = { ...this.draft, [field]: event.detail.value ?? event.target.value };
    }

    draftProblem() {
        if (!this.selectedType) {
            return LABEL_TYPE_REQUIRED;
        }
        const days = Number(this.draft.days);
        if (!Number.isInteger(days) || days < 1 || days > 62) {
            return formatLabel(LABEL_DAYS_INVALID, this.draft.days);
        }
        if (this.cityRequired && !String(this.draft.city || '').trim()) {
            return formatLabel(LABEL_CITY_REQUIRED, this.selectedType.name);
        }
        return '';
    }

    get isTypesLoading() {
        return !this.typesLoaded;
    }

    handleSubmit(event) {
        event.preventDefault();
        this.handleFind();
    }

    async handleFind() {
        const problem = this.draftProblem();
        this.formError = problem;
        if (problem) {
            return;
        }
        const fields = {
            Demo_Type__c: this.draft.typeId,
            Days__c: Number(this.draft.days),
            Status__c: 'Requested'
        };
        const city = String(this.draft.city || '').trim();
        const zone = String(this.draft.zone || '').trim();
        if (city) {
            fields.City__c = city;
        }
        if (zone) {
            fields.Customer_Time_Zone__c = zone;
        }
        if (this.draft.leadId) {
            fields.Lead__c = this.draft.leadId;
        }
        this.busy = true;
        this.clearMessages();
        this.answer = null;
        try {
            const record = await createRecord({ apiName: 'Demo_Request__c', fields });
            this.requestId = record.id;
            this.startWaiting();
        } catch (error) {
            this.requestError = formatLabel(LABEL_REQUEST_FAILED, reduceErrors(error).join(' '));
        } finally {
            this.busy = false;
        }
    }

    /** Asks the engine for a fresh answer to the same request (after a booking or a conflict). */
    async askAgain() {
        if (!this.requestId) {
            return;
        }
        try {
            await updateRecord({ fields: { Id: this.requestId, Status__c: 'Requested' } });
            this.startWaiting();
        } catch (error) {
            this.requestError = formatLabel(LABEL_REQUEST_FAILED, reduceErrors(error).join(' '));
        }
    }

    handleSearchAgain() {
        this.clearMessages();
        this.askAgain();
    }

    // Waiting for the engine -----------------------------------------------------------------

    startWaiting() {
        this.waiting = true;
        this.slow = false;
        this.pollsLeft = POLL_TIMES;
        this.schedulePoll();
    }

    stopWaiting() {
        this.waiting = false;
        this.slow = false;
        this.clearPoll();
    }

    schedulePoll() {
        this.clearPoll();
        // The engine signals SLOTS when it has answered; reading on a timer as well keeps the
        // console working where streaming is unavailable.
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.pollTimer = setTimeout(() => {
            this.pollTimer = null;
            if (!this.waiting) {
                return;
            }
            this.pollsLeft -= 1;
            if (this.pollsLeft < POLL_TIMES - 5) {
                this.slow = true;
            }
            this.readRequest();
            if (this.pollsLeft > 0) {
                this.schedulePoll();
            }
        }, POLL_MS);
    }

    clearPoll() {
        if (this.pollTimer) {
            clearTimeout(this.pollTimer);
            this.pollTimer = null;
        }
    }

    readRequest() {
        if (this.requestResult && this.requestResult.refresh) {
            this.requestResult.refresh();
        }
    }

    get waitingText() {
        return this.slow ? LABEL_SLOW : LABEL_WAITING;
    }

    // The answer -----------------------------------------------------------------------------

    get hasAnswer() {
        return !!this.answer;
    }

    /** The slots for c-slot-list: plain rows with the people's names. */
    get slotRows() {
        if (!this.answer) {
            return [];
        }
        return this.answer.slots.map((slot) => ({
            key: slot.key,
            rank: slot.rank,
            start: slot.start,
            end: slot.end,
            ae: personName(this.answer, slot.aeId),
            engineer: personName(this.answer, slot.engineerId),
            city: slot.city || '',
            tier: slot.tier
        }));
    }

    /** The standings for c-demo-standings: plain rows with names. */
    get standingRows() {
        if (!this.answer) {
            return [];
        }
        return this.answer.owners.map((owner) => ({
            userId: owner.userId,
            name: personName(this.answer, owner.userId),
            order: owner.order,
            booked: owner.booked,
            target: owner.target,
            effectiveTarget: owner.effectiveTarget,
            attainment: owner.attainment
        }));
    }

    get answerSeed() {
        return this.answer ? String(this.answer.seed) : '';
    }

    get periodStart() {
        return this.answer ? this.answer.period.start : null;
    }

    get periodEnd() {
        return this.answer ? this.answer.period.end : null;
    }

    get fieldMeeting() {
        return !!(this.answer && this.answer.demoType.fieldMeeting);
    }

    get problems() {
        return this.answer && this.answer.problems ? this.answer.problems : [];
    }

    get hasProblems() {
        return this.problems.length > 0;
    }

    get totalText() {
        return this.answer
            ? formatLabel(LABEL_TOTAL, this.answer.slots.length, this.answer.total)
            : '';
    }

    // Booking --------------------------------------------------------------------------------

    handleBook(event) {
        this.book(slotByKey(this.answer, event.detail.key));
    }

    handleBookNext() {
        const next = this.conflict && this.conflict.next;
        this.book(next);
    }

    async book(slot) {
        if (!slot || this.busy) {
            return;
        }
        this.busy = true;
        this.clearMessages();
        try {
            const record = await createRecord({ apiName: 'Demo_Slot__c', fields: slot.record });
            this.lastBooking = { id: record.id, slot };
            this.status = formatLabel(
                LABEL_BOOKED,
                this.when(slot.start),
                personName(this.answer, slot.aeId)
            );
        } catch (error) {
            if (isDuplicateValue(error)) {
                this.showConflict(slot, LABEL_CONFLICT);
            } else {
                this.bookError = formatLabel(LABEL_BOOK_FAILED, reduceErrors(error).join(' '));
            }
        } finally {
            this.busy = false;
        }
        this.refreshBookings();
        // The listing changes with every booking (the slot is gone, the standings move).
        this.askAgain();
    }

    /** Says the slot was taken and offers the next best slot the engine named for it. */
    showConflict(slot, label) {
        const next = slot.nextSlot || null;
        this.status = '';
        this.conflict = {
            next,
            message: next
                ? formatLabel(
                      label,
                      this.when(slot.start),
                      personName(this.answer, slot.aeId),
                      this.when(next.start),
                      personName(this.answer, next.aeId)
                  )
                : formatLabel(
                      LABEL_CONFLICT_NONE,
                      this.when(slot.start),
                      personName(this.answer, slot.aeId)
                  )
        };
    }

    get hasNext() {
        return !!(this.conflict && this.conflict.next);
    }

    clearMessages() {
        this.formError = '';
        this.requestError = '';
        this.bookError = '';
        this.status = '';
        this.conflict = null;
    }

    refreshBookings() {
        const bookings = this.template.querySelector('c-demo-bookings');
        if (bookings) {
            bookings.refresh();
        }
    }

    when(iso) {
        if (!iso) {
            return '';
        }
        return new Intl.DateTimeFormat(undefined, {
            weekday: 'short',
            month: 'short',
            day: 'numeric',
            hour: 'numeric',
            minute: '2-digit',
            timeZone: TIME_ZONE,
            timeZoneName: 'short'
        }).format(new Date(iso));
    }
}
