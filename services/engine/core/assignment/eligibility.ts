import type { Rep, Station } from './model';
import { isOnLeave, shiftStatus } from './shift';

/**
 * Eligibility: who may receive a new asset at this station now. Skills are not checked here:
 * assets needing different skills are never in the same stratum (strata.ts), so the roster
 * of a stratum already holds only reps with the skills.
 */
export type IneligibleReason = 'inactive' | 'on-leave' | 'not-working-day' | 'off-shift' | 'wip-cap' | 'hourly-cap';

export interface RateCap {
  /** Most new assets in any rolling window of `windowMinutes`. */
  limit: number;
  windowMinutes: number;
}

/**
 * The hourly cap follows from timing: floor(60 / handling minutes), 30 an hour at 2 minutes
 * a call. A task longer than an hour gives one new asset per handling time instead of a cap
 * of zero. An override (rep first, then station) replaces the computed cap.
 */
export function rateCap(station: Pick<Station, 'handlingMinutes' | 'hourlyCapOverride'>, rep?: Pick<Rep, 'hourlyCapOverride'>): RateCap {
  const override = rep?.hourlyCapOverride ?? station.hourlyCapOverride ?? null;
  if (override !== null) return { limit: override, windowMinutes: 60 };
  if (station.handlingMinutes <= 60) return { limit: Math.floor(60 / station.handlingMinutes), windowMinutes: 60 };
  return { limit: 1, windowMinutes: Math.ceil(station.handlingMinutes) };
}

/** The rep's own WIP cap, else the station's target WIP per person; 0 or empty: no cap. */
export function wipCap(station: Pick<Station, 'targetWip'>, rep: Pick<Rep, 'wipCap'>): number {
  if (rep.wipCap !== null) return rep.wipCap;
  return station.targetWip > 0 ? station.targetWip : Number.POSITIVE_INFINITY;
}

/** The reasons that depend only on the rep and the time (not on load). */
export function timeIneligibility(rep: Rep, now: Date): IneligibleReason | null {
  if (!rep.active) return 'inactive';
  if (isOnLeave(rep, now)) return 'on-leave';
  const shift = shiftStatus(rep, now);
  if (shift === 'not-working-day') return 'not-working-day';
  if (shift === 'off-shift') return 'off-shift';
  return null;
}

export interface RepStatus {
  repId: string;
  weight: number;
  eligible: boolean;
  reason: IneligibleReason | null;
  wip: number;
  wipCap: number | null;
  recentCount: number;
  rateLimit: number;
  rateWindowMinutes: number;
}

/** Draws of the rep inside the rolling window ending at `nowMs` (window is (now - w, now]). */
export function countInWindow(drawsMs: readonly number[] | undefined, nowMs: number, windowMinutes: number): number {
  if (!drawsMs) return 0;
  const from = nowMs - windowMinutes * 60_000;
  let n = 0;
  for (const t of drawsMs) if (t > from && t <= nowMs) n += 1;
  return n;
}

export function repStatus(
  station: Station,
  rep: Rep,
  now: Date,
  wip: number,
  recentDrawsMs: readonly number[] | undefined
): RepStatus {
  const cap = rateCap(station, rep);
  const wCap = wipCap(station, rep);
  const recentCount = countInWindow(recentDrawsMs, now.getTime(), cap.windowMinutes);
  let reason = timeIneligibility(rep, now);
  if (reason === null && wip >= wCap) reason = 'wip-cap';
  if (reason === null && recentCount >= cap.limit) reason = 'hourly-cap';
  return {
    repId: rep.id,
    weight: rep.weight,
    eligible: reason === null,
    reason,
    wip,
    wipCap: Number.isFinite(wCap) ? wCap : null,
    recentCount,
    rateLimit: cap.limit,
    rateWindowMinutes: cap.windowMinutes
  };
}

const REASON_TEXT: Record<IneligibleReason, string> = {
  inactive: 'inactive',
  'on-leave': 'on leave',
  'not-working-day': 'not a working day',
  'off-shift': 'off shift',
  'wip-cap': 'at WIP cap',
  'hourly-cap': 'at hourly cap'
};

/** "12 reps, none eligible: 5 off shift, 4 at hourly cap, 3 on leave". */
export function describeIneligible(reasons: readonly (IneligibleReason | null)[]): string {
  const counts = new Map<IneligibleReason, number>();
  for (const r of reasons) if (r) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${n} ${REASON_TEXT[r]}`);
  return `${reasons.length} rep${reasons.length === 1 ? '' : 's'}, none eligible: ${parts.join(', ')}`;
}
