import { fixedClock } from '../clock';
import type { Rng } from '../random';
import type { QueueDefaults, QueueRules } from '../queue/config';
import type { Outcome, Purpose } from '../queue/guidance';
import { estimateOdds, type CallObservation } from '../queue/odds';
import { emptyState, nextCall, rerankAfterDisposition, setOdds, upsertLead, type QueueState } from '../queue/state';
import type { LeadRecordInput, RepCapacityRecordInput } from '../queue/records';
import type { Floor, SimLead, SimSdr } from './arrivals';

/**
 * A way of choosing the next call. The floor tells it what happened; it picks among the SDR's
 * open leads. Baselines read the lead as a person at a CRM would (including how famous the
 * company is); the queue policy sees only org records and its own call history.
 */
export interface SimPolicy {
  readonly name: string;
  /** Minutes the SDR spends choosing before each call (0 when the queue hands the call over). */
  readonly choosingMinutes?: number;
  onArrival(lead: SimLead, now: number): void;
  next(sdr: SimSdr, now: number): SimLead | null;
  /** After the floor has recorded the call; true when the policy calls the lead out (moves it to nurture). */
  onOutcome(lead: SimLead, outcome: Outcome, now: number, requestedAt: number | null, minutes: number): boolean;
  onNoShow(lead: SimLead, now: number): void;
  onNight?(now: number): void;
}

export interface PolicyContext {
  floor: Floor;
  /** Open leads per SDR, kept by the floor. */
  open: ReadonlyArray<ReadonlySet<SimLead>>;
  defaults: QueueDefaults;
  handlingMinutes: number;
  /** Scenario assumption for self-selection (default 0: choosing costs no time, which flatters that baseline). */
  selfSelectionChoosingMinutes: number;
  rng: Rng;
}

export type PolicyFactory = (ctx: PolicyContext) => SimPolicy;

const UNANSWERED: ReadonlySet<Outcome> = new Set<Outcome>(['No Answer', 'Left Voicemail', 'Wrong Person']);

function maxAttempts(rules: QueueRules, lead: SimLead): number {
  return lead.rebook ? (rules.maxAttemptsByPurpose['Rebook No Show'] ?? rules.maxAttempts) : rules.maxAttempts;
}

/** When a CRM cadence (the engine's default spacing) says the lead is next due. */
export function cadenceDue(rules: QueueRules, lead: SimLead): number {
  if (lead.callBackAt !== null) return lead.callBackAt;
  if (lead.attempts === 0 || lead.lastCallAt === null) return lead.cycleStartAt;
  const list = lead.inbound ? rules.spacingMinutes.inbound : rules.spacingMinutes.outbound;
  const spacing = list[Math.min(lead.attempts, list.length) - 1] ?? 1440;
  return lead.lastCallAt + spacing * 60_000;
}

/** The shared skeleton of the CRM baselines: same cadence and attempt limit as the engine, no local-hour check, their own order. */
function cadenceBaseline(name: string, ctx: PolicyContext, better: (a: SimLead, b: SimLead, dueA: number, dueB: number) => boolean): SimPolicy {
  const rules = ctx.defaults.rules;
  return {
    name,
    onArrival: () => undefined,
    next(sdr, now) {
      let best: SimLead | null = null;
      let bestDue = 0;
      for (const lead of ctx.open[sdr.index] ?? []) {
        const due = cadenceDue(rules, lead);
        if (due > now) continue;
        if (best === null || better(lead, best, due, bestDue)) {
          best = lead;
          bestDue = due;
        }
      }
      return best;
    },
    onOutcome: (lead, outcome) => UNANSWERED.has(outcome) && lead.attempts >= maxAttempts(rules, lead),
    onNoShow: () => undefined
  };
}

export const fifo: PolicyFactory = (ctx) =>
  cadenceBaseline('FIFO', ctx, (a, b) => a.arrivedAt < b.arrivedAt || (a.arrivedAt === b.arrivedAt && a.index < b.index));

export const newestFirst: PolicyFactory = (ctx) =>
  cadenceBaseline('Newest first', ctx, (a, b) => a.arrivedAt > b.arrivedAt || (a.arrivedAt === b.arrivedAt && a.index < b.index));

export const cadenceOrder: PolicyFactory = (ctx) =>
  cadenceBaseline('Cadence due date', ctx, (a, b, dueA, dueB) => dueA < dueB || (dueA === dueB && a.index < b.index));

export const randomOrder: PolicyFactory = (ctx) => {
  const rules = ctx.defaults.rules;
  return {
    name: 'Random',
    onArrival: () => undefined,
    next(sdr, now) {
      // Reservoir sampling: one uniform pick among the due leads in a single pass.
      let chosen: SimLead | null = null;
      let seen = 0;
      for (const lead of ctx.open[sdr.index] ?? []) {
        if (cadenceDue(rules, lead) > now) continue;
        seen += 1;
        if (ctx.rng.int(1, seen) === 1) chosen = lead;
      }
      return chosen;
    },
    onOutcome: (lead, outcome) => UNANSWERED.has(outcome) && lead.attempts >= maxAttempts(rules, lead),
    onNoShow: () => undefined
  };
};

/**
 * A person choosing from the list: drawn to well-known company names, to fresh inbound leads
 * and to call-backs that are due; redials famous names after 4 hours and others after a day;
 * never formally calls a lead out. The weights are a modelling assumption (docs/call-queue.md).
 */
export const selfSelection: PolicyFactory = (ctx) => {
  const fameWeight = { Unknown: 1, Known: 3, Famous: 8 };
  return {
    name: 'Self-selection',
    choosingMinutes: ctx.selfSelectionChoosingMinutes,
    onArrival: () => undefined,
    next(sdr, now) {
      let chosen: SimLead | null = null;
      let total = 0;
      for (const lead of ctx.open[sdr.index] ?? []) {
        if (lead.callBackAt !== null && lead.callBackAt > now) continue;
        const gap = lead.fame === 'Famous' ? 4 * 60 : 24 * 60;
        if (lead.lastCallAt !== null && lead.callBackAt === null && now - lead.lastCallAt < gap * 60_000) continue;
        let weight = fameWeight[lead.fame] / (1 + lead.attempts);
        if (lead.inbound && lead.dials === 0) weight *= 3;
        if (lead.callBackAt !== null) weight *= 3;
        total += weight;
        if (ctx.rng.next() * total < weight) chosen = lead;
      }
      return chosen;
    },
    onOutcome: () => false,
    onNoShow: () => undefined
  };
};

/** The engine's queue (core/queue), fed with org-shaped records and its own dispositions. */
export const queuePolicy: PolicyFactory = (ctx) => {
  const reps: RepCapacityRecordInput[] = ctx.floor.sdrs.map((s) => ({
    User__c: s.id,
    Time_Zone__c: s.zone,
    Shift_Start_Hour__c: s.shift.startMinute / 60,
    Shift_End_Hour__c: s.shift.endMinute / 60,
    Working_Days__c: 'Mon;Tue;Wed;Thu;Fri'
  }));
  const state: QueueState = emptyState(
    { station: { Id: null, Handling_Minutes__c: ctx.handlingMinutes, Hourly_Cap_Override__c: null }, reps: reps.map(toRep) },
    { defaults: ctx.defaults }
  );
  const byId = new Map(ctx.floor.leads.map((l) => [l.id, l]));
  const pending = new Map<string, { purpose: Purpose; attempt: number }>();
  const history: CallObservation[] = [];
  const iso = (ms: number) => new Date(ms).toISOString();
  const record = (lead: SimLead): LeadRecordInput => ({
    Id: lead.id,
    OwnerId: ctx.floor.sdrs[lead.owner]?.id ?? null,
    CreatedDate: iso(lead.arrivedAt),
    LeadSource: lead.source,
    Inbound__c: lead.inbound,
    Time_Zone__c: lead.zone,
    Segment__c: lead.segment,
    Bin__c: 'Working',
    Attempt_Count__c: 0
  });
  return {
    name: 'Queue (ours)',
    onArrival(lead, now) {
      upsertLead(state, record(lead), fixedClock(new Date(now)), { limit: 0 });
    },
    next(sdr, now) {
      const entry = nextCall(state, sdr.id, fixedClock(new Date(now)));
      if (entry === null) return null;
      pending.set(entry.assetId, { purpose: entry.purpose, attempt: entry.attemptNumber });
      return byId.get(entry.assetId) ?? null;
    },
    onOutcome(lead, outcome, now, requestedAt, minutes) {
      const call = pending.get(lead.id) ?? { purpose: 'Follow Up' as Purpose, attempt: 1 };
      pending.delete(lead.id);
      history.push({
        calledAt: now,
        attemptNumber: call.attempt,
        purpose: call.purpose,
        source: lead.source,
        inbound: lead.inbound,
        segment: lead.segment,
        timeZone: lead.zone,
        arrivedAt: lead.arrivedAt,
        outcome,
        durationSeconds: Math.round(minutes * 60)
      });
      const result = rerankAfterDisposition(
        state,
        {
          Lead__c: lead.id,
          Purpose__c: call.purpose,
          Outcome__c: outcome,
          Attempt_Number__c: call.attempt,
          Next_Action_At__c: requestedAt === null ? null : iso(requestedAt),
          Duration_Seconds__c: Math.round(minutes * 60),
          CreatedDate: iso(now)
        },
        fixedClock(new Date(now)),
        { limit: 0 }
      );
      return result.moves.some((m) => m.reason === 'Max Attempts');
    },
    onNoShow(lead, now) {
      rerankAfterDisposition(state, { Lead__c: lead.id, Outcome__c: 'No Show', CreatedDate: iso(now) }, fixedClock(new Date(now)), {
        limit: 0,
        lead: { ...record(lead), Booked_By__c: ctx.floor.sdrs[lead.owner]?.id ?? null }
      });
    },
    onNight() {
      // The nightly refit job: the same empirical-Bayes fit the engine runs on an org's history.
      if (history.length > 0) setOdds(state, estimateOdds(history, ctx.defaults.priors));
    }
  };
};

function toRep(input: RepCapacityRecordInput) {
  return {
    User__c: input.User__c,
    Time_Zone__c: input.Time_Zone__c,
    Shift_Start_Hour__c: input.Shift_Start_Hour__c,
    Shift_End_Hour__c: input.Shift_End_Hour__c,
    Working_Days__c: input.Working_Days__c ?? 'Mon;Tue;Wed;Thu;Fri',
    Leave_Start__c: null,
    Leave_End__c: null,
    Hourly_Cap_Override__c: null,
    Active__c: true
  };
}

export const POLICIES: Record<string, PolicyFactory> = {
  ours: queuePolicy,
  fifo,
  newest: newestFirst,
  random: randomOrder,
  self: selfSelection,
  cadence: cadenceOrder
};
