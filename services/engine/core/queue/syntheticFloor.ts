import type { Rng } from '../random';
import type { QueueInputRaw } from './records';

/**
 * A seeded synthetic floor in org-record shape, for tests and the queue benchmark: SDRs in
 * four US zones, leads in every state the queue handles (new inbound, follow-ups, call-backs,
 * nurture, no-shows, do-not-call, other bins), a few accounts with cases and invoices, and
 * booked demos. Company and Fame_Band__c are set so fairness tests can permute them.
 */
export interface SyntheticFloorOptions {
  sdrs: number;
  leads: number;
  accounts?: number;
  demoSlots?: number;
  history?: number;
  /** Every lead open and owned by an SDR (the benchmark's "100,000 open leads"). */
  openOnly?: boolean;
  now: number;
}

const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'];
const SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Trade Show', 'Purchased List', 'Other'];
const SEGMENTS = ['SMB', 'Mid-Market', 'Enterprise'];
const FAME = ['Unknown', 'Known', 'Famous'];
const BINS = ['Cold', 'Working', 'Working', 'Working', 'Nurture - Check Back Quarterly', 'Nurture - Dead Opportunity', 'Avoid - Bad Fit'];
const HISTORY_OUTCOMES = ['No Answer', 'No Answer', 'Left Voicemail', 'Not Interested', 'Call Back Requested', 'Meeting Booked', 'No Show'] as const;

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(0, items.length - 1)] as T;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const MINUTE = 60_000;

export function sdrId(i: number): string {
  return `005SDR${String(i).padStart(12, '0')}`;
}

export function syntheticFloor(rng: Rng, options: SyntheticFloorOptions): QueueInputRaw {
  const { now } = options;
  const reps = Array.from({ length: options.sdrs }, (_, i) => ({
    User__c: sdrId(i),
    Time_Zone__c: ZONES[i % ZONES.length] as string,
    Shift_Start_Hour__c: 8,
    Shift_End_Hour__c: 17,
    Working_Days__c: 'Mon;Tue;Wed;Thu;Fri',
    Active__c: true
  }));
  const leads = Array.from({ length: options.leads }, (_, i) => {
    const inbound = rng.next() < 0.3;
    const open = options.openOnly === true;
    const attempts = rng.next() < 0.4 ? 0 : rng.int(0, open ? 5 : 7);
    const created = now - (inbound && rng.next() < 0.3 ? rng.int(0, 30) : rng.int(0, 60 * 24 * 30)) * MINUTE;
    const last = attempts > 0 ? Math.max(created, now - rng.int(0, 60 * 24 * 7) * MINUTE) : null;
    return {
      Id: `00Q${String(i).padStart(15, '0')}`,
      OwnerId: open || rng.next() < 0.98 ? sdrId(rng.int(0, options.sdrs - 1)) : null,
      CreatedDate: iso(created),
      LeadSource: inbound ? pick(rng, SOURCES.slice(0, 3)) : pick(rng, SOURCES.slice(3)),
      Inbound__c: inbound,
      Time_Zone__c: rng.next() < 0.95 ? pick(rng, ZONES) : null,
      Segment__c: pick(rng, SEGMENTS),
      Bin__c: open ? pick(rng, ['Cold', 'Working', 'Working']) : pick(rng, BINS),
      Station__c: null,
      Attempt_Count__c: attempts,
      Last_Attempt_At__c: last === null ? null : iso(last),
      Next_Action_At__c: rng.next() < 0.1 ? iso(now + rng.int(-120, 60 * 24 * 3) * MINUTE) : null,
      Booked_By__c: !open && rng.next() < 0.05 ? sdrId(rng.int(0, options.sdrs - 1)) : null,
      DoNotCall: !open && rng.next() < 0.02,
      IsConverted: !open && rng.next() < 0.01,
      Company: `Company ${i}`,
      Fame_Band__c: pick(rng, FAME)
    };
  });
  const accounts = Array.from({ length: options.accounts ?? 0 }, (_, i) => ({
    Id: `001${String(i).padStart(15, '0')}`,
    OwnerId: sdrId(rng.int(0, options.sdrs - 1)),
    Time_Zone__c: pick(rng, ZONES),
    Segment__c: pick(rng, SEGMENTS),
    Bin__c: 'Working',
    Station__c: null,
    Bin_Entered_At__c: iso(now - rng.int(0, 60 * 24 * 20) * MINUTE),
    Has_Overdue_Invoice__c: rng.next() < 0.2
  }));
  const cases = accounts
    .filter(() => rng.next() < 0.2)
    .map((a, i) => ({ Id: `500${String(i).padStart(15, '0')}`, AccountId: a.Id, Priority: pick(rng, ['High', 'Medium', 'Critical']), IsClosed: rng.next() < 0.3 }));
  const demoSlots = Array.from({ length: options.demoSlots ?? 0 }, (_, i) => ({
    Id: `a0D${String(i).padStart(15, '0')}`,
    Lead__c: leads[rng.int(0, Math.max(0, leads.length - 1))]?.Id ?? null,
    Booked_By__c: sdrId(rng.int(0, options.sdrs - 1)),
    Start__c: iso(now + rng.int(60, 60 * 24 * 3) * MINUTE),
    Status__c: pick(rng, ['Booked', 'Booked', 'Confirmed'])
  }));
  const history = Array.from({ length: options.history ?? 0 }, () => {
    const lead = leads[rng.int(0, Math.max(0, leads.length - 1))];
    return {
      Lead__c: lead?.Id ?? null,
      Rep__c: lead?.OwnerId ?? null,
      Purpose__c: 'Follow Up' as const,
      // With openOnly no lead may have a no-show behind it (a rebook has fewer attempts and would be moved out).
      Outcome__c: pick(rng, options.openOnly === true ? HISTORY_OUTCOMES.slice(0, 5) : HISTORY_OUTCOMES),
      Attempt_Number__c: rng.int(1, 6),
      Duration_Seconds__c: rng.int(10, 600),
      CreatedDate: iso(now - rng.int(60, 60 * 24 * 30) * MINUTE)
    };
  });
  return { station: { Id: null, Handling_Minutes__c: 2 }, reps, leads, accounts, cases, demoSlots, history };
}
