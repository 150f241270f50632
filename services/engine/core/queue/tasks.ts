import type { QueueRules } from './config';
import type { Outcome, Purpose } from './guidance';
import { isValidTimeZone, type WeeklyWindow } from './localTime';

/**
 * A task is the one call the queue owes an asset right now: every open lead or account has at
 * most one. Its cycle says which cadence it is in; the purpose shown to the SDR follows from
 * the cycle and from a requested call-back time.
 */
export type Cycle = 'Pursuit' | 'Nurture' | 'Rebook' | 'Confirm' | 'Courtesy';
export type AssetType = 'Lead' | 'Account';

export interface Task {
  /** 'L:<leadId>', 'A:<accountId>' or 'S:<demoSlotId>' (a confirm call for a booked demo). */
  key: string;
  assetId: string;
  assetType: AssetType;
  sdrId: string;
  cycle: Cycle;
  /** Unanswered attempts completed in this cycle. */
  attempts: number;
  /** Requested call-back time (Lead.Next_Action_At__c), when the prospect asked for one. */
  callBackAt: number | null;
  /** Earliest time the next call may be made, before the calling window is applied. */
  dueAt: number;
  /** Confirm calls only make sense before the demo. */
  deadlineAt: number | null;
  lastAttemptAt: number | null;
  inbound: boolean;
  arrivedAt: number;
  source: string | null;
  segment: string | null;
  timeZone: string | null;
  /** The lead's calling window (its zone, or all fallback zones when the zone is unknown). */
  window: WeeklyWindow;
  /** Inbound first touch: when the 5-minute clock starts (lead in calling hours and SDR on shift). */
  slaStartAt: number | null;
  /** Demo slot of a confirm call. */
  slotId: string | null;
  /** Cached odds parts (refreshed when the odds change, see score.ts) and the next open time for dueAt. */
  cache: { oddsVersion: number; staticContact: number; meeting: number; readyFor: number; readyAt: number };
}

export function purposeOf(task: Pick<Task, 'cycle' | 'attempts' | 'callBackAt'>): Purpose {
  if (task.callBackAt !== null && (task.cycle === 'Pursuit' || task.cycle === 'Nurture' || task.cycle === 'Rebook')) return 'Call Back';
  switch (task.cycle) {
    case 'Pursuit':
      return task.attempts === 0 ? 'First Touch' : 'Follow Up';
    case 'Nurture':
      return 'Nurture Check Back';
    case 'Rebook':
      return 'Rebook No Show';
    case 'Confirm':
      return 'Confirm Demo';
    case 'Courtesy':
      return 'Courtesy Call';
  }
}

const CYCLE_PURPOSE: Record<Cycle, Purpose> = {
  Pursuit: 'Follow Up',
  Nurture: 'Nurture Check Back',
  Rebook: 'Rebook No Show',
  Confirm: 'Confirm Demo',
  Courtesy: 'Courtesy Call'
};

export function maxAttemptsFor(rules: QueueRules, cycle: Cycle): number {
  if (cycle === 'Pursuit') return rules.maxAttempts;
  if (cycle === 'Confirm') return rules.maxAttemptsByPurpose['Confirm Demo'] ?? 3;
  return rules.maxAttemptsByPurpose[CYCLE_PURPOSE[cycle]] ?? rules.maxAttempts;
}

/** Minutes to wait after the n-th unanswered attempt of a cycle (growing; the last value repeats). */
export function spacingAfter(rules: QueueRules, task: Pick<Task, 'cycle' | 'inbound'>, attempts: number): number {
  if (task.cycle === 'Confirm') return rules.confirmDemo.retryMinutes;
  const list = task.inbound && (task.cycle === 'Pursuit' || task.cycle === 'Rebook') ? rules.spacingMinutes.inbound : rules.spacingMinutes.outbound;
  return list[Math.min(Math.max(attempts, 1), list.length) - 1] ?? list[list.length - 1] ?? 1440;
}

const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The lead's calling window, shared between leads of one zone. */
export function callingWindow(rules: QueueRules, timeZone: string | null, cache: Map<string, WeeklyWindow>): WeeklyWindow {
  const zoneKey = isValidTimeZone(timeZone) ? timeZone : '(fallback)';
  let window = cache.get(zoneKey);
  if (!window) {
    window = {
      zones: zoneKey === '(fallback)' ? rules.fallbackTimeZones : [zoneKey],
      startMinute: rules.callingHours.startHour * 60,
      endMinute: rules.callingHours.endHour * 60,
      days: new Set(rules.callingHours.days.map((d) => WEEKDAY_INDEX[d] ?? -1))
    };
    cache.set(zoneKey, window);
  }
  return window;
}

export function parseWorkingDays(value: string): Set<number> {
  const days = new Set<number>();
  for (const part of value.split(';')) {
    const index = WEEKDAY_INDEX[part.trim().slice(0, 3)];
    if (index !== undefined) days.add(index);
  }
  return days;
}

/** What a disposition did to the queue: the task that replaces the old one, or why it left. */
export interface Transition {
  task: Task | null;
  /** The asset must move (the org applies the station rule for this outcome). */
  move: AssetMove | null;
  /** Field values the org should write on the lead so that a full re-rank agrees with this one. */
  fields: Record<string, string | number | null> | null;
}

export interface AssetMove {
  assetId: string;
  assetType: AssetType;
  /** The disposition outcome whose Station_Rule__c the org applies (Nurture or Do Not Call). */
  outcome: Outcome;
  reason: 'Max Attempts' | 'Bad Number' | 'Do Not Call';
  /** Suggested field values (bin, re-entry time, reset attempt counter). */
  fields: Record<string, string | number | null>;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function nurtureMove(rules: QueueRules, task: Task, at: number, reason: AssetMove['reason']): AssetMove {
  return {
    assetId: task.assetId,
    assetType: task.assetType,
    outcome: 'Nurture',
    reason,
    fields: {
      Bin__c: rules.nurtureBin,
      ...(task.assetType === 'Lead' ? { Next_Action_At__c: iso(at + rules.nurtureReentryDays * 86_400_000), Attempt_Count__c: 0 } : {}),
      ...(task.assetType === 'Lead' ? { Last_Attempt_At__c: iso(at) } : {})
    }
  };
}

const CLOSING: ReadonlySet<Outcome> = new Set<Outcome>([
  'Meeting Booked',
  'Not Interested',
  'Nurture',
  'Do Not Call',
  'Bad Fit',
  'Duplicate',
  'Current Client'
]);
const UNANSWERED: ReadonlySet<Outcome> = new Set<Outcome>(['No Answer', 'Left Voicemail', 'Wrong Person']);

/**
 * The queue's reaction to one disposition on a task, as a pure function. `at` is when the
 * call was made (Disposition__c.CreatedDate).
 */
export function transition(
  rules: QueueRules,
  task: Task,
  outcome: Outcome,
  at: number,
  requestedAt: number | null
): Transition {
  const leadFields = task.assetType === 'Lead' && task.cycle !== 'Confirm';
  if (outcome === 'Call Back Requested') {
    const when = requestedAt ?? at + rules.callBackDefaultMinutes * 60_000;
    const next: Task = { ...task, callBackAt: task.cycle === 'Courtesy' || task.cycle === 'Confirm' ? null : when, dueAt: when, lastAttemptAt: at };
    return { task: next, move: null, fields: leadFields ? { Next_Action_At__c: iso(when), Last_Attempt_At__c: iso(at) } : null };
  }
  if (task.cycle === 'Confirm') {
    if (UNANSWERED.has(outcome)) {
      const attempts = task.attempts + 1;
      if (attempts >= maxAttemptsFor(rules, 'Confirm')) return { task: null, move: null, fields: null };
      return { task: { ...task, attempts, lastAttemptAt: at, dueAt: at + spacingAfter(rules, task, attempts) * 60_000 }, move: null, fields: null };
    }
    if (outcome === 'Cancelled') return { task: rebookFrom(rules, task, at), move: null, fields: { Attempt_Count__c: 0, Next_Action_At__c: null } };
    return { task: null, move: null, fields: null };
  }
  if (task.cycle === 'Courtesy') {
    if (UNANSWERED.has(outcome) || outcome === 'Bad Number') {
      const attempts = task.attempts + 1;
      if (attempts >= maxAttemptsFor(rules, 'Courtesy') || outcome === 'Bad Number') {
        return { task: { ...task, attempts: 0, lastAttemptAt: at, dueAt: at + rules.courtesyIntervalDays * 86_400_000 }, move: null, fields: null };
      }
      return { task: { ...task, attempts, lastAttemptAt: at, dueAt: at + spacingAfter(rules, task, attempts) * 60_000 }, move: null, fields: null };
    }
    return { task: { ...task, attempts: 0, lastAttemptAt: at, dueAt: at + rules.courtesyIntervalDays * 86_400_000 }, move: null, fields: null };
  }
  if (outcome === 'No Show' || outcome === 'Cancelled') {
    return { task: rebookFrom(rules, task, at), move: null, fields: { Attempt_Count__c: 0, Next_Action_At__c: null } };
  }
  if (CLOSING.has(outcome)) {
    return { task: null, move: null, fields: leadFields ? { Last_Attempt_At__c: iso(at), Next_Action_At__c: null } : null };
  }
  if (outcome === 'Bad Number') {
    const move = nurtureMove(rules, task, at, 'Bad Number');
    return { task: null, move, fields: move.fields };
  }
  if (UNANSWERED.has(outcome)) {
    const attempts = task.attempts + 1;
    if (attempts >= maxAttemptsFor(rules, task.cycle)) {
      const move = nurtureMove(rules, task, at, 'Max Attempts');
      return { task: null, move, fields: move.fields };
    }
    const next: Task = {
      ...task,
      attempts,
      callBackAt: null,
      lastAttemptAt: at,
      dueAt: at + spacingAfter(rules, task, attempts) * 60_000
    };
    return {
      task: next,
      move: null,
      fields: leadFields ? { Attempt_Count__c: attempts, Last_Attempt_At__c: iso(at), Next_Action_At__c: null } : null
    };
  }
  // Outcomes of later stations (Demo Held, Closed Won, ...) do not change an SDR call.
  return { task, move: null, fields: null };
}

function rebookFrom(rules: QueueRules, task: Task, at: number): Task {
  return {
    ...task,
    key: `L:${task.assetId}`,
    cycle: 'Rebook',
    attempts: 0,
    callBackAt: null,
    deadlineAt: null,
    slotId: null,
    lastAttemptAt: null,
    dueAt: at + rules.rebookDelayMinutes * 60_000,
    slaStartAt: null,
    cache: { oddsVersion: -1, staticContact: 0, meeting: 0, readyFor: NaN, readyAt: NaN }
  };
}
