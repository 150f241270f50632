import type { QueueRules } from './config';
import { attemptIndex, speedIndex, type OddsModel } from './odds';
import { isOpen, localParts, nextOpen, WEEKDAY_NAMES, type LocalParts, type WeeklyWindow } from './localTime';
import { purposeOf, type Task } from './tasks';

/**
 * Tiers are the hard rules; the score orders calls within the last tier.
 * 0: inbound first touch inside its 5-minute clock, earliest deadline first;
 * 1: appointments (requested call-backs, demo confirmations) that are due, earliest first;
 * 2: anything overdue by more than staleGuardHours of weekday time, oldest first (no starvation,
 *    so no leak while the floor has the capacity);
 * 3: the rest, by expected meetings per SDR hour.
 */
export type Tier = 0 | 1 | 2 | 3;

export interface Score {
  tier: Tier;
  /** Higher first within the tier. */
  order: number;
  contact: number;
  /** Expected meetings booked by this call (meeting-equivalents for confirm and courtesy calls). */
  expectedMeetings: number;
  expectedMinutes: number;
  /** Expected meetings per SDR hour, with the inbound urgency term. */
  rate: number;
}

export interface ScoreContext {
  rules: QueueRules;
  odds: OddsModel;
  oddsVersion: number;
  /** Hour (0..23) and weekday (0 = Sunday) multipliers as arrays: scoring runs per task per call. */
  hourMultiplier: Float64Array;
  weekdayMultiplier: Float64Array;
  /** Local parts per zone at one instant: one Intl lookup per zone, not per lead. */
  parts: Map<string, { at: number; parts: LocalParts }>;
  open: Map<WeeklyWindow, { at: number; open: boolean }>;
  next: Map<WeeklyWindow, { at: number; next: number }>;
}

export function scoreContext(rules: QueueRules, odds: OddsModel, oddsVersion: number): ScoreContext {
  const hourMultiplier = Float64Array.from({ length: 24 }, (_, h) => odds.contact.hour[String(h)] ?? 1);
  const weekdayMultiplier = Float64Array.from(WEEKDAY_NAMES, (d) => odds.contact.weekday[d] ?? 1);
  return { rules, odds, oddsVersion, hourMultiplier, weekdayMultiplier, parts: new Map(), open: new Map(), next: new Map() };
}

function partsAt(ctx: ScoreContext, zone: string, at: number): LocalParts {
  const cached = ctx.parts.get(zone);
  if (cached && cached.at === at) return cached.parts;
  const parts = localParts(zone, at);
  ctx.parts.set(zone, { at, parts });
  return parts;
}

/** Is the window open at `at`? Memoised per window object for the last instant asked. */
export function openAt(ctx: ScoreContext, window: WeeklyWindow, at: number): boolean {
  const cached = ctx.open.get(window);
  if (cached && cached.at === at) return cached.open;
  const open = isOpen(window, at);
  ctx.open.set(window, { at, open });
  return open;
}

/** nextOpen, memoised per window object for the last instant asked. */
export function nextOpenAt(ctx: ScoreContext, window: WeeklyWindow, at: number): number {
  const cached = ctx.next.get(window);
  if (cached && cached.at === at) return cached.next;
  const next = nextOpen(window, at);
  ctx.next.set(window, { at, next });
  return next;
}

const BOOKING_CYCLES = new Set(['Pursuit', 'Nurture', 'Rebook']);

function mult(map: Record<string, number>, key: string | null): number {
  return key === null ? 1 : (map[key] ?? 1);
}

/** The parts of the odds that do not depend on the clock, cached on the task per odds version. */
function refresh(task: Task, ctx: ScoreContext): void {
  if (task.cache.oddsVersion === ctx.oddsVersion) return;
  const { contact: c, meeting: m } = ctx.odds;
  const purpose = purposeOf(task);
  const staticContact = c.base * mult(c.source, task.source) * (c.attempt[attemptIndex(c.attempt, task.attempts + 1)] ?? 1) * mult(c.purpose, purpose);
  const meeting = BOOKING_CYCLES.has(task.cycle)
    ? Math.min(ctx.odds.maxProbability, m.base * mult(m.source, task.source) * mult(m.segment, task.segment) * (task.inbound ? m.inbound : 1) * mult(m.purpose, purpose))
    : 0;
  task.cache.oddsVersion = ctx.oddsVersion;
  task.cache.staticContact = staticContact;
  task.cache.meeting = meeting;
}

function contactAt(task: Task, ctx: ScoreContext, at: number): number {
  const c = ctx.odds.contact;
  let p = task.cache.staticContact;
  if (task.timeZone !== null) {
    const parts = partsAt(ctx, task.timeZone, at);
    p *= (ctx.hourMultiplier[parts.hour] ?? 1) * (ctx.weekdayMultiplier[parts.weekday] ?? 1);
  }
  if (task.inbound) p *= c.speed[speedIndex(c.speed, Math.max(0, (at - task.arrivedAt) / 60_000))]?.multiplier ?? 1;
  return Math.min(ctx.odds.maxProbability, p);
}

function valueOf(task: Task, ctx: ScoreContext, contact: number): number {
  if (BOOKING_CYCLES.has(task.cycle)) return contact * task.cache.meeting;
  if (task.cycle === 'Confirm') return contact * ctx.odds.confirmShowUplift;
  return contact * ctx.odds.courtesyMeetingEquivalent;
}

const DAY = 86_400_000;

/** Saturdays and Sundays (UTC days) before day index n; day 0 (1970-01-01) was a Thursday. */
function weekendDaysBefore(n: number): number {
  const weeks = Math.floor(n / 7);
  let count = weeks * 2;
  for (let d = weeks * 7; d < n; d += 1) {
    const weekday = (((d + 4) % 7) + 7) % 7;
    if (weekday === 0 || weekday === 6) count += 1;
  }
  return count;
}

/** Minutes from `from` to `to` without weekends (approximate: whole UTC weekend days). */
export function weekdayMinutesBetween(from: number, to: number): number {
  if (to <= from) return 0;
  const weekend = weekendDaysBefore(Math.floor(to / DAY)) - weekendDaysBefore(Math.floor(from / DAY));
  return Math.max(0, (to - from) / 60_000 - weekend * 1440);
}

/**
 * Inside the 5-minute clock: the lead arrived while it could be called (its calling hours,
 * its SDR on shift, give or take the SLA itself) and fewer than 5 callable minutes have
 * passed. A lead that arrived at night is not: its value no longer decays by the minute, so it
 * competes on its score instead of pushing the morning's fresh arrivals past their 5 minutes.
 */
export function isFreshInbound(task: Task, rules: QueueRules, at: number): boolean {
  const sla = rules.inboundSlaMinutes * 60_000;
  return (
    task.cycle === 'Pursuit' &&
    task.attempts === 0 &&
    task.inbound &&
    task.callBackAt === null &&
    task.slaStartAt !== null &&
    task.slaStartAt - task.arrivedAt <= sla &&
    at >= task.slaStartAt &&
    at - task.slaStartAt <= sla
  );
}

/** Scores a task for a call at `at` (which must be a time the task is callable). */
export function scoreTask(task: Task, ctx: ScoreContext, at: number): Score {
  refresh(task, ctx);
  const rules = ctx.rules;
  const cm = ctx.odds.callMinutes;
  const contact = contactAt(task, ctx, at);
  const meeting = BOOKING_CYCLES.has(task.cycle) ? task.cache.meeting : 0;
  const expectedMeetings = valueOf(task, ctx, contact);
  const vm = ctx.odds.voicemailShare;
  const expectedMinutes =
    contact * (meeting * cm.meeting + (1 - meeting) * cm.contact) + (1 - contact) * (vm * cm.voicemail + (1 - vm) * cm.noAnswer) + cm.wrapUp;
  let urgency = 0;
  if (task.inbound && BOOKING_CYCLES.has(task.cycle)) {
    // One-step look-ahead: the meetings lost if this call waits one horizon.
    const later = valueOf(task, ctx, contactAt(task, ctx, at + rules.urgency.horizonMinutes * 60_000));
    urgency = rules.urgency.weight * Math.max(0, expectedMeetings - later);
  }
  const rate = (60 * (expectedMeetings + urgency)) / Math.max(expectedMinutes, 0.05);
  let tier: Tier = 3;
  let order = rate;
  if (isFreshInbound(task, rules, at)) {
    tier = 0;
    order = -(task.slaStartAt ?? at);
  } else if ((task.callBackAt !== null || task.cycle === 'Confirm') && task.dueAt <= at) {
    tier = 1;
    order = -task.dueAt;
  } else if (task.dueAt <= at && weekdayMinutesBetween(task.dueAt, at) > rules.staleGuardHours * 60) {
    tier = 2;
    order = -task.dueAt;
  }
  return { tier, order, contact, expectedMeetings, expectedMinutes, rate };
}

/** True when a must be called before b (ties broken by key, so the order is deterministic). */
export function before(a: { score: Score; task: Task }, b: { score: Score; task: Task }): boolean {
  if (a.score.tier !== b.score.tier) return a.score.tier < b.score.tier;
  if (a.score.order !== b.score.order) return a.score.order > b.score.order;
  return a.task.key < b.task.key;
}
