import { LightningElement, api } from 'lwc';
import { formatLabel, splitList } from 'c/aslUtils';
import LABEL_TITLE from '@salesforce/label/c.ASL_Disposition_Title';
import LABEL_SHORTCUTS from '@salesforce/label/c.ASL_Disposition_Shortcuts';
import LABEL_REASON from '@salesforce/label/c.ASL_Disposition_Reason';
import LABEL_NEXT_ACTION from '@salesforce/label/c.ASL_Disposition_Next_Action';
import LABEL_NEXT_ACTION_PAST from '@salesforce/label/c.ASL_Disposition_Next_Action_Past';
import LABEL_SAVE from '@salesforce/label/c.ASL_Disposition_Save';
import LABEL_CANCEL from '@salesforce/label/c.ASL_Disposition_Cancel';
import LABEL_DETAILS_FOR from '@salesforce/label/c.ASL_Disposition_Details_For';
import LABEL_NO_ANSWER from '@salesforce/label/c.ASL_Outcome_No_Answer';
import LABEL_LEFT_VOICEMAIL from '@salesforce/label/c.ASL_Outcome_Left_Voicemail';
import LABEL_BAD_NUMBER from '@salesforce/label/c.ASL_Outcome_Bad_Number';
import LABEL_WRONG_PERSON from '@salesforce/label/c.ASL_Outcome_Wrong_Person';
import LABEL_NOT_INTERESTED from '@salesforce/label/c.ASL_Outcome_Not_Interested';
import LABEL_CALL_BACK from '@salesforce/label/c.ASL_Outcome_Call_Back_Requested';
import LABEL_MEETING_BOOKED from '@salesforce/label/c.ASL_Outcome_Meeting_Booked';
import LABEL_NURTURE from '@salesforce/label/c.ASL_Outcome_Nurture';
import LABEL_DO_NOT_CALL from '@salesforce/label/c.ASL_Outcome_Do_Not_Call';
import LABEL_BAD_FIT from '@salesforce/label/c.ASL_Outcome_Bad_Fit';
import LABEL_DUPLICATE from '@salesforce/label/c.ASL_Outcome_Duplicate';
import LABEL_CURRENT_CLIENT from '@salesforce/label/c.ASL_Outcome_Current_Client';
import LABEL_CONFIRMED from '@salesforce/label/c.ASL_Outcome_Confirmed';
import LABEL_DEMO_HELD from '@salesforce/label/c.ASL_Outcome_Demo_Held';
import LABEL_NO_SHOW from '@salesforce/label/c.ASL_Outcome_No_Show';
import LABEL_CANCELLED from '@salesforce/label/c.ASL_Outcome_Cancelled';
import LABEL_CLOSED_WON from '@salesforce/label/c.ASL_Outcome_Closed_Won';
import LABEL_CLOSED_LOST from '@salesforce/label/c.ASL_Outcome_Closed_Lost';
import LABEL_SERVICE_RESOLVED from '@salesforce/label/c.ASL_Outcome_Service_Resolved';
import LABEL_REASON_PRICE from '@salesforce/label/c.ASL_Reason_Price';
import LABEL_REASON_TIMING from '@salesforce/label/c.ASL_Reason_Timing';
import LABEL_REASON_AUTHORITY from '@salesforce/label/c.ASL_Reason_Authority';
import LABEL_REASON_NEED from '@salesforce/label/c.ASL_Reason_Need';
import LABEL_REASON_COMPETITOR from '@salesforce/label/c.ASL_Reason_Competitor';
import LABEL_REASON_WRONG_CONTACT from '@salesforce/label/c.ASL_Reason_Wrong_Contact';
import LABEL_REASON_NO_BUDGET from '@salesforce/label/c.ASL_Reason_No_Budget';
import LABEL_REASON_OTHER from '@salesforce/label/c.ASL_Reason_Other';

/**
 * Every Disposition__c.Outcome__c value (global value set ASL_Disposition_Outcome) with its
 * label, its keyboard shortcut (common call outcomes only) and what it needs besides the
 * outcome: a reason code (a "no" that marketing wants to count) or a next action date (a
 * promised call back or the booked meeting).
 */
const OUTCOMES = [
    { value: 'No Answer', label: LABEL_NO_ANSWER, key: 'n' },
    { value: 'Left Voicemail', label: LABEL_LEFT_VOICEMAIL, key: 'v' },
    { value: 'Bad Number', label: LABEL_BAD_NUMBER, key: 'b' },
    { value: 'Wrong Person', label: LABEL_WRONG_PERSON, key: 'w' },
    { value: 'Not Interested', label: LABEL_NOT_INTERESTED, key: 'i', needsReason: true },
    { value: 'Call Back Requested', label: LABEL_CALL_BACK, key: 'c', needsDate: true },
    { value: 'Meeting Booked', label: LABEL_MEETING_BOOKED, key: 'm', needsDate: true },
    { value: 'Nurture', label: LABEL_NURTURE, key: 'u' },
    { value: 'Do Not Call', label: LABEL_DO_NOT_CALL, key: 'd' },
    { value: 'Bad Fit', label: LABEL_BAD_FIT, needsReason: true },
    { value: 'Duplicate', label: LABEL_DUPLICATE },
    { value: 'Current Client', label: LABEL_CURRENT_CLIENT },
    { value: 'Confirmed', label: LABEL_CONFIRMED },
    { value: 'Demo Held', label: LABEL_DEMO_HELD },
    { value: 'No Show', label: LABEL_NO_SHOW },
    { value: 'Cancelled', label: LABEL_CANCELLED, needsReason: true },
    { value: 'Closed Won', label: LABEL_CLOSED_WON },
    { value: 'Closed Lost', label: LABEL_CLOSED_LOST, needsReason: true },
    { value: 'Service Resolved', label: LABEL_SERVICE_RESOLVED }
];
const OUTCOME_BY_VALUE = new Map(OUTCOMES.map((outcome) => [outcome.value, outcome]));

/** Offered when an entry names no allowed outcomes: the SDR call outcomes. */
export const DEFAULT_OUTCOMES = [
    'No Answer',
    'Left Voicemail',
    'Bad Number',
    'Wrong Person',
    'Not Interested',
    'Call Back Requested',
    'Meeting Booked',
    'Nurture',
    'Do Not Call'
];

const REASON_OPTIONS = [
    { value: 'Price', label: LABEL_REASON_PRICE },
    { value: 'Timing', label: LABEL_REASON_TIMING },
    { value: 'Authority', label: LABEL_REASON_AUTHORITY },
    { value: 'Need', label: LABEL_REASON_NEED },
    { value: 'Competitor', label: LABEL_REASON_COMPETITOR },
    { value: 'Wrong Contact', label: LABEL_REASON_WRONG_CONTACT },
    { value: 'No Budget', label: LABEL_REASON_NO_BUDGET },
    { value: 'Other', label: LABEL_REASON_OTHER }
];

/**
 * One-click structured dispositions for one queue entry. Fires `dispose` with
 * { outcome, reasonCode, nextActionAt }; outcomes that need a reason or a date first open a
 * short form. No free text: every answer can be counted.
 */
export default class DispositionPanel extends LightningElement {
    /** Allowed outcomes: an array of Outcome__c values or a semicolon list (Allowed_Outcomes__c). */
    @api allowedOutcomes;
    /** Disables every button, e.g. while there is no entry to dispose. */
    @api disabled = false;

    labels = {
        title: LABEL_TITLE,
        shortcuts: LABEL_SHORTCUTS,
        reason: LABEL_REASON,
        nextAction: LABEL_NEXT_ACTION,
        save: LABEL_SAVE,
        cancel: LABEL_CANCEL
    };
    reasonOptions = REASON_OPTIONS;

    pending = null;
    reasonCode = null;
    nextActionAt = null;
    focusAfterRender = null;

    get outcomes() {
        const values = Array.isArray(this.allowedOutcomes)
            ? this.allowedOutcomes
            : splitList(this.allowedOutcomes);
        const chosen = values.length ? values : DEFAULT_OUTCOMES;
        return chosen.map((value) => {
            const known = OUTCOME_BY_VALUE.get(value) || { value, label: value };
            return {
                ...known,
                shortcut: known.key ? known.key.toUpperCase() : null,
                ariaShortcut: known.key || null,
                buttonClass:
                    value === 'Meeting Booked'
                        ? 'slds-button slds-button_brand'
                        : 'slds-button slds-button_neutral'
            };
        });
    }

    get shortcutList() {
        return this.outcomes.filter((outcome) => outcome.shortcut);
    }

    get hasShortcuts() {
        return this.shortcutList.length > 0;
    }

    get isPending() {
        return this.pending !== null;
    }

    get pendingTitle() {
        return this.pending ? formatLabel(LABEL_DETAILS_FOR, this.pending.label) : '';
    }

    get needsReason() {
        return !!(this.pending && this.pending.needsReason);
    }

    get needsDate() {
        return !!(this.pending && this.pending.needsDate);
    }

    get buttonsDisabled() {
        return this.disabled || this.isPending;
    }

    /**
     * Acts on a shortcut key from the Work Queue (N, V, B, W, I, C, M, U, D; Escape closes the
     * form). Returns true when the key was used, so the caller can stop its default action.
     */
    @api
    handleShortcut(key) {
        const lower = String(key || '').toLowerCase();
        if (lower === 'escape' && this.isPending) {
            this.closeForm();
            return true;
        }
        if (this.disabled || this.isPending) {
            return false;
        }
        const outcome = this.outcomes.find((candidate) => candidate.key === lower);
        if (!outcome) {
            return false;
        }
        this.choose(outcome.value);
        return true;
    }

    handleOutcomeClick(event) {
        this.choose(event.currentTarget.dataset.outcome);
    }

    handleReasonChange(event) {
        this.reasonCode = event.detail.value;
    }

    handleNextActionChange(event) {
        this.nextActionAt = event.detail.value;
    }

    handleSave() {
        // Validity is decided here, from the chosen values; the inputs only display it.
        const reasonMissing = this.needsReason && !this.reasonCode;
        const dateMissing = this.needsDate && !this.nextActionAt;
        const dateInPast =
            this.needsDate && !!this.nextActionAt && Date.parse(this.nextActionAt) <= Date.now();
        const dateInput = this.template.querySelector('[data-field="nextActionAt"]');
        if (dateInput) {
            dateInput.setCustomValidity(dateInPast ? LABEL_NEXT_ACTION_PAST : '');
        }
        this.template.querySelectorAll('[data-field]').forEach((input) => input.reportValidity());
        if (reasonMissing || dateMissing || dateInPast) {
            const firstInvalid = this.template.querySelector(
                reasonMissing ? '[data-field="reasonCode"]' : '[data-field="nextActionAt"]'
            );
            if (firstInvalid) {
                firstInvalid.focus();
            }
            return;
        }
        this.fire(this.pending.value, this.reasonCode, this.nextActionAt);
    }

    handleCancel() {
        this.closeForm();
    }

    handleFormKeyDown(event) {
        if (event.key === 'Escape') {
            event.stopPropagation();
            this.closeForm();
        }
    }

    renderedCallback() {
        if (this.focusAfterRender) {
            const target = this.template.querySelector(this.focusAfterRender);
            this.focusAfterRender = null;
            if (target) {
                target.focus();
            }
        }
    }

    choose(value) {
        const outcome = this.outcomes.find((candidate) => candidate.value === value);
        if (!outcome) {
            return;
        }
        if (outcome.needsReason || outcome.needsDate) {
            this.pending = outcome;
            this.reasonCode = null;
            this.nextActionAt = null;
            this.focusAfterRender = '[data-field]';
            return;
        }
        this.fire(outcome.value, null, null);
    }

    closeForm() {
        const value = this.pending && this.pending.value;
        this.pending = null;
        this.reasonCode = null;
        this.nextActionAt = null;
        this.focusAfterRender = value ? `button[data-outcome="${value}"]` : null;
    }

    fire(outcome, reasonCode, nextActionAt) {
        this.pending = null;
        this.reasonCode = null;
        this.nextActionAt = null;
        this.dispatchEvent(
            new CustomEvent('dispose', {
                detail: {
                    outcome,
                    reasonCode: reasonCode || null,
                    nextActionAt: nextActionAt || null
                }
            })
        );
    }
}
