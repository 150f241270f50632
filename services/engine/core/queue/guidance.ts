import { z } from 'zod';
import { OUTCOMES, QUEUE_PURPOSES } from '../../schema';

/** Purposes and outcomes come from services/engine/schema (checked against force-app). */
export const PURPOSES = QUEUE_PURPOSES;
export const PurposeSchema = z.enum(QUEUE_PURPOSES);
export type Purpose = z.infer<typeof PurposeSchema>;

export { OUTCOMES };
export const OutcomeSchema = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof OutcomeSchema>;

/**
 * A call "connects" when someone answers: the contact rate the odds model learns. Wrong Person
 * connects too (the behaviour research counts connects, not right-party conversations).
 */
export const CONNECT_OUTCOMES: ReadonlySet<Outcome> = new Set<Outcome>([
  'Wrong Person',
  'Not Interested',
  'Call Back Requested',
  'Meeting Booked',
  'Nurture',
  'Do Not Call',
  'Bad Fit',
  'Duplicate',
  'Current Client',
  'Confirmed',
  'Cancelled',
  'Service Resolved'
]);

/** Outcomes of a call that did not reach anyone. */
export const NO_CONNECT_OUTCOMES: ReadonlySet<Outcome> = new Set<Outcome>(['No Answer', 'Left Voicemail', 'Bad Number']);

export interface Guidance {
  /** Stable key the Work Queue console resolves to custom labels (Guidance_Key__c). */
  key: string;
  purpose: Purpose;
  title: string;
  /** What to say, in order. */
  steps: readonly string[];
  /** The dispositions the SDR may record for this purpose (Allowed_Outcomes__c). */
  allowedOutcomes: readonly Outcome[];
}

const PROSPECTING_OUTCOMES: readonly Outcome[] = [
  'No Answer',
  'Left Voicemail',
  'Bad Number',
  'Wrong Person',
  'Not Interested',
  'Call Back Requested',
  'Meeting Booked',
  'Nurture',
  'Do Not Call',
  'Bad Fit',
  'Duplicate',
  'Current Client'
];

/**
 * The guidance catalogue: one entry per purpose (First Touch has an inbound and an outbound
 * variant because the opening differs: the inbound lead asked for the call).
 */
export const GUIDANCE = {
  firstTouchInbound: {
    key: 'guidance.first-touch.inbound',
    purpose: 'First Touch',
    title: 'Inbound lead: call now',
    steps: [
      'Say who you are and that you are calling about the request they just sent.',
      'Ask what prompted the request and what they hope to solve.',
      'Qualify: role, team size, timing, current tool.',
      'If there is a fit, book the demo in the slot the calendar proposes; otherwise agree the next step.'
    ],
    allowedOutcomes: PROSPECTING_OUTCOMES
  },
  firstTouchOutbound: {
    key: 'guidance.first-touch.outbound',
    purpose: 'First Touch',
    title: 'List lead: first call',
    steps: [
      'Say who you are and why you are calling this company in one sentence.',
      'Ask permission for thirty seconds; if refused, ask when to call back.',
      'Ask one problem question tied to their segment.',
      'If there is interest, book the demo; if not now, record Nurture or Not Interested with the reason.'
    ],
    allowedOutcomes: PROSPECTING_OUTCOMES
  },
  followUp: {
    key: 'guidance.follow-up',
    purpose: 'Follow Up',
    title: 'Follow-up attempt',
    steps: [
      'Refer to the earlier attempt or voicemail in one sentence.',
      'Leave a voicemail only on the first two follow-ups; keep it under 20 seconds.',
      'If reached, continue as on a first call.'
    ],
    allowedOutcomes: PROSPECTING_OUTCOMES
  },
  callBack: {
    key: 'guidance.call-back',
    purpose: 'Call Back',
    title: 'Requested call back: call at the agreed time',
    steps: [
      'Thank them for the time they set and recall what they asked about.',
      'Pick up where the last conversation stopped; read the last disposition notes first.',
      'Book the demo or agree the next step.'
    ],
    allowedOutcomes: PROSPECTING_OUTCOMES
  },
  nurtureCheckBack: {
    key: 'guidance.nurture-check-back',
    purpose: 'Nurture Check Back',
    title: 'Quarterly check back',
    steps: [
      'Recall the reason they were not ready (the reason code of the last disposition).',
      'Ask whether that has changed.',
      'Book the demo if it has; otherwise record Nurture again.'
    ],
    allowedOutcomes: PROSPECTING_OUTCOMES
  },
  rebookNoShow: {
    key: 'guidance.rebook-no-show',
    purpose: 'Rebook No Show',
    title: 'Missed demo: rebook',
    steps: [
      'Say you missed them at the demo and that it happens.',
      'Offer two concrete slots from the calendar.',
      'Confirm the attendees and the email for the invite.'
    ],
    allowedOutcomes: [
      'No Answer',
      'Left Voicemail',
      'Bad Number',
      'Wrong Person',
      'Meeting Booked',
      'Call Back Requested',
      'Not Interested',
      'Nurture',
      'Do Not Call'
    ]
  },
  confirmDemo: {
    key: 'guidance.confirm-demo',
    purpose: 'Confirm Demo',
    title: 'Confirm tomorrow\u2019s demo',
    steps: [
      'Confirm the date, time and attendees of the demo.',
      'Ask what they most want to see, and note it for the account executive.',
      'If the time no longer works, record Cancelled so that it is rebooked.'
    ],
    allowedOutcomes: ['Confirmed', 'No Answer', 'Left Voicemail', 'Wrong Person', 'Cancelled', 'Do Not Call']
  },
  courtesyCall: {
    key: 'guidance.courtesy-call',
    purpose: 'Courtesy Call',
    title: 'Courtesy call (no selling)',
    steps: [
      'The account has an open high-priority case or an overdue invoice: do not pitch.',
      'Ask how things are going and whether the open issue is being handled.',
      'Record what you learn; hand service problems to the case owner.'
    ],
    allowedOutcomes: ['Service Resolved', 'No Answer', 'Left Voicemail', 'Wrong Person', 'Call Back Requested']
  }
} as const satisfies Record<string, Guidance>;

export type GuidanceName = keyof typeof GUIDANCE;

export function guidanceFor(purpose: Purpose, inbound: boolean): Guidance {
  switch (purpose) {
    case 'First Touch':
      return inbound ? GUIDANCE.firstTouchInbound : GUIDANCE.firstTouchOutbound;
    case 'Follow Up':
      return GUIDANCE.followUp;
    case 'Call Back':
      return GUIDANCE.callBack;
    case 'Nurture Check Back':
      return GUIDANCE.nurtureCheckBack;
    case 'Rebook No Show':
      return GUIDANCE.rebookNoShow;
    case 'Confirm Demo':
      return GUIDANCE.confirmDemo;
    case 'Courtesy Call':
      return GUIDANCE.courtesyCall;
  }
}
