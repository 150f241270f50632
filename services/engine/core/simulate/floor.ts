import { createRng } from '../random';
import { QUEUE_DEFAULTS, type QueueDefaults } from '../queue/config';
import type { Outcome } from '../queue/guidance';
import { Heap } from '../queue/heap';
import { isOpen, nextOpen, openUntil, type WeeklyWindow } from '../queue/localTime';
import { nextOpenAll } from '../queue/state';
import { callingWindow } from '../queue/tasks';
import { businessDaysLater, DAY, generateFloor, MINUTE, type SimLead, type SimSdr } from './arrivals';
import type { BehaviourModel } from './behaviourModel';
import type { PolicyFactory, SimPolicy } from './policies';
import type { Scenario } from './scenario';
import { sampleCall } from './truth';

/** What one policy achieved on one seeded run. */
export interface RunMetrics {
  policy: string;
  seed: number;
  sdrHours: number;
  busyMinutes: number;
  dials: number;
  connects: number;
  meetings: number;
  meetingsHeld: number;
  noShows: number;
  leads: number;
  inboundLeads: number;
  /** Minutes from arrival to first call of each inbound lead callable a day or more before the end (Infinity: never called). */
  speedToLead: number[];
  /** The same, counted from the first moment the lead was in calling hours and its SDR on shift. */
  speedToLeadOnShift: number[];
  inboundWithin5: number;
  calledOut: number;
  dispositioned: number;
  openAtEnd: number;
  /** Leads that arrived at least staleDays before the end. */
  leakEligible: number;
  leaked: number;
  offHoursCalls: number;
}

const CLOSING: ReadonlySet<Outcome> = new Set<Outcome>(['Not Interested', 'Nurture', 'Bad Fit', 'Do Not Call', 'Current Client', 'Duplicate', 'Bad Number']);
const UNANSWERED: ReadonlySet<Outcome> = new Set<Outcome>(['No Answer', 'Left Voicemail', 'Wrong Person']);

type Event =
  | { t: number; seq: number; kind: 'arrive'; lead: SimLead }
  | { t: number; seq: number; kind: 'free'; sdr: SimSdr; version: number }
  | { t: number; seq: number; kind: 'demo'; lead: SimLead; noShow: boolean }
  | { t: number; seq: number; kind: 'night' };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface RunOptions {
  defaults?: QueueDefaults;
}

/**
 * One seeded discrete-event run of the floor under one policy. Deterministic: the same model,
 * scenario, policy and seed give the same metrics.
 */
export function runFloor(model: BehaviourModel, scenario: Scenario, makePolicy: PolicyFactory, seed: number, options: RunOptions = {}): RunMetrics {
  const floor = generateFloor(model, scenario, seed);
  const defaults = options.defaults ?? QUEUE_DEFAULTS;
  const open = floor.sdrs.map(() => new Set<SimLead>());
  const policy: SimPolicy = makePolicy({
    floor,
    open,
    defaults,
    handlingMinutes: scenario.handlingMinutes,
    selfSelectionChoosingMinutes: scenario.selfSelectionChoosingMinutes,
    rng: createRng(`policy:${seed}`)
  });
  const slotMinutes = scenario.handlingMinutes;
  const events = new Heap<Event>((a, b) => a.t < b.t || (a.t === b.t && a.seq < b.seq));
  let seq = 0;
  const push = (e: DistributiveOmit<Event, 'seq'>) => events.push({ ...e, seq: seq++ } as Event);
  const version = floor.sdrs.map(() => 0);
  const idle = floor.sdrs.map(() => false);
  const metrics: RunMetrics = {
    policy: policy.name,
    seed,
    sdrHours: 0,
    busyMinutes: 0,
    dials: 0,
    connects: 0,
    meetings: 0,
    meetingsHeld: 0,
    noShows: 0,
    leads: floor.leads.length,
    inboundLeads: 0,
    speedToLead: [],
    speedToLeadOnShift: [],
    inboundWithin5: 0,
    calledOut: 0,
    dispositioned: 0,
    openAtEnd: 0,
    leakEligible: 0,
    leaked: 0,
    offHoursCalls: 0
  };
  for (const lead of floor.leads) push({ t: lead.arrivedAt, kind: 'arrive', lead });
  for (const sdr of floor.sdrs) {
    push({ t: nextOpen(sdr.shift, floor.start), kind: 'free', sdr, version: 0 });
    metrics.sdrHours += shiftHours(sdr, floor.start, floor.end);
  }
  if (policy.onNight) for (let d = scenario.refitDays; d < scenario.weeks * 7; d += scenario.refitDays) push({ t: floor.start + d * DAY + 5 * 60 * MINUTE, kind: 'night' });

  const wake = (sdr: SimSdr, t: number) => {
    if (!idle[sdr.index] || !isOpen(sdr.shift, t)) return;
    idle[sdr.index] = false;
    version[sdr.index] = (version[sdr.index] ?? 0) + 1;
    push({ t, kind: 'free', sdr, version: version[sdr.index] ?? 0 });
  };
  const close = (lead: SimLead, status: SimLead['status']) => {
    lead.status = status;
    open[lead.owner]?.delete(lead);
  };

  const call = (lead: SimLead, t: number): number => {
    const u: [number, number, number] = [lead.luck.next(), lead.luck.next(), lead.luck.next()];
    const delayDays = lead.luck.next();
    const delayMinute = lead.luck.next();
    const noShowDraw = lead.luck.next();
    const result = sampleCall(model, lead, t, u);
    metrics.dials += 1;
    if (result.connected) metrics.connects += 1;
    if (result.offHours) metrics.offHoursCalls += 1;
    if (lead.inbound && lead.firstCallAt === null && t - lead.arrivedAt <= 5 * MINUTE) metrics.inboundWithin5 += 1;
    lead.dials += 1;
    lead.firstCallAt ??= t;
    lead.lastCallAt = t;
    let requestedAt: number | null = null;
    if (result.outcome === 'Meeting Booked') {
      metrics.meetings += 1;
      lead.callBackAt = null;
      close(lead, 'meeting');
      const demoAt = businessDaysLater(lead.zone, t, 1 + Math.floor(delayDays * scenario.demoMaxDays), 10 * 60 + Math.floor(delayMinute * 6 * 60));
      push({ t: demoAt, kind: 'demo', lead, noShow: noShowDraw < model.noShowRate });
    } else if (CLOSING.has(result.outcome)) {
      lead.callBackAt = null;
      close(lead, 'closed');
    } else if (result.outcome === 'Call Back Requested') {
      requestedAt = businessDaysLater(lead.zone, t, 1 + Math.floor(delayDays * scenario.callBackMaxDays), 9 * 60 + Math.floor(delayMinute * 7 * 60));
      lead.callBackAt = requestedAt;
    } else if (UNANSWERED.has(result.outcome)) {
      lead.callBackAt = null;
      lead.attempts += 1;
    }
    const calledOut = policy.onOutcome(lead, result.outcome, t, requestedAt, result.minutes);
    if (calledOut && lead.status === 'open') close(lead, 'calledOut');
    const occupied = Math.max(result.minutes, slotMinutes) + (policy.choosingMinutes ?? 0);
    metrics.busyMinutes += occupied;
    return occupied;
  };

  for (let e = events.pop(); e !== undefined && e.t < floor.end; e = events.pop()) {
    if (e.kind === 'arrive') {
      e.lead.status = 'open';
      open[e.lead.owner]?.add(e.lead);
      policy.onArrival(e.lead, e.t);
      const sdr = floor.sdrs[e.lead.owner];
      if (sdr) wake(sdr, e.t);
    } else if (e.kind === 'free') {
      if (e.version !== version[e.sdr.index]) continue;
      if (!isOpen(e.sdr.shift, e.t)) {
        idle[e.sdr.index] = false;
        push({ t: nextOpen(e.sdr.shift, e.t), kind: 'free', sdr: e.sdr, version: version[e.sdr.index] ?? 0 });
        continue;
      }
      const lead = policy.next(e.sdr, e.t);
      if (lead === null || lead.status !== 'open' || lead.owner !== e.sdr.index) {
        idle[e.sdr.index] = true;
        push({ t: e.t + scenario.idlePollMinutes * MINUTE, kind: 'free', sdr: e.sdr, version: version[e.sdr.index] ?? 0 });
        continue;
      }
      idle[e.sdr.index] = false;
      const minutes = call(lead, e.t);
      push({ t: e.t + minutes * MINUTE, kind: 'free', sdr: e.sdr, version: version[e.sdr.index] ?? 0 });
    } else if (e.kind === 'demo') {
      if (!e.noShow) {
        metrics.meetingsHeld += 1;
        continue;
      }
      metrics.noShows += 1;
      const lead = e.lead;
      lead.status = 'open';
      lead.rebook = true;
      lead.attempts = 0;
      lead.callBackAt = null;
      lead.cycleStartAt = e.t;
      open[lead.owner]?.add(lead);
      policy.onNoShow(lead, e.t);
      const sdr = floor.sdrs[lead.owner];
      if (sdr) wake(sdr, e.t);
    } else {
      policy.onNight?.(e.t);
    }
  }
  const windows = new Map<string, WeeklyWindow>();
  const callableFrom = (lead: SimLead): number => {
    const sdr = floor.sdrs[lead.owner];
    const window = callingWindow(defaults.rules, lead.zone, windows);
    return sdr ? nextOpenAll([window, sdr.shift], lead.arrivedAt) : lead.arrivedAt;
  };
  summarise(metrics, floor.leads, floor.end, scenario.staleDays, callableFrom);
  return metrics;
}

function shiftHours(sdr: SimSdr, from: number, to: number): number {
  let minutes = 0;
  let t = nextOpen(sdr.shift, from);
  while (t < to) {
    const until = Math.min(openUntil(sdr.shift, t), to);
    minutes += (until - t) / MINUTE;
    t = nextOpen(sdr.shift, until);
  }
  return minutes / 60;
}

function summarise(metrics: RunMetrics, leads: readonly SimLead[], end: number, staleDays: number, callableFrom: (lead: SimLead) => number): void {
  for (const lead of leads) {
    if (lead.status === 'pending') continue;
    if (lead.status === 'calledOut') metrics.calledOut += 1;
    if (lead.status === 'closed' || lead.status === 'meeting') metrics.dispositioned += 1;
    if (lead.inbound) {
      metrics.inboundLeads += 1;
      const from = callableFrom(lead);
      // Only leads that could be called for a full day before the end: the same cut for every policy.
      if (from <= end - DAY) {
        metrics.speedToLead.push(lead.firstCallAt === null ? Infinity : (lead.firstCallAt - lead.arrivedAt) / MINUTE);
        metrics.speedToLeadOnShift.push(lead.firstCallAt === null ? Infinity : Math.max(0, lead.firstCallAt - from) / MINUTE);
      }
    }
    if (lead.arrivedAt <= end - staleDays * DAY) metrics.leakEligible += 1;
    if (lead.status !== 'open') continue;
    metrics.openAtEnd += 1;
    const lastTouch = Math.max(lead.cycleStartAt, lead.lastCallAt ?? -Infinity, lead.callBackAt ?? -Infinity);
    if (end - lastTouch > staleDays * DAY) metrics.leaked += 1;
  }
  metrics.speedToLead.sort((a, b) => a - b);
  metrics.speedToLeadOnShift.sort((a, b) => a - b);
}
