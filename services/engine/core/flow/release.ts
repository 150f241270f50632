import type { StageVisit } from './records';
import type { LineFlow, StationFlow } from './metrics';

/**
 * Release control (drum-buffer-rope with a CONWIP option). Releasing an asset into station s
 * sends, on average, reach(s, d) assets on to each later station d, estimated from the
 * transitions measured in the window. A later station's free WIP (target - WIP) is the
 * rope: s may release at most floor(free_d / reach(s, d)) now, so a downstream station over
 * its target holds back everything upstream of it instead of piling work up in front of it.
 * A station also never releases beyond its own WIP target, and with a line WIP cap (CONWIP)
 * the entry stations release no more than the cap leaves.
 */
export interface FlowEdge {
  from: string;
  to: string;
}

export interface ReleaseDecision {
  station: string;
  /** New assets the station may take in now (Infinity-free: a large number means no limit). */
  mayRelease: number;
  /** The station that sets the limit (itself, a downstream station, or the line cap). */
  limitedBy: string | null;
  reason: string;
}

export interface ReleasePlan {
  stations: ReleaseDecision[];
  /** Estimated assets reaching `to` per asset released at `from`. */
  reach: Array<{ from: string; to: string; expected: number }>;
}

/** What release control needs of a station's flow (a LineFlow station, or one built from WIP counts). */
export type ReleaseStation = Pick<StationFlow, 'key' | 'order' | 'wip' | 'wipTarget' | 'headcount'>;

export interface ReleaseInput {
  flow: { stations: readonly ReleaseStation[] } | LineFlow;
  /** Possible moves between stations (from the station rules). */
  edges: readonly FlowEdge[];
  /** Station visits of the window, for the measured transition rates. */
  visits: readonly StageVisit[];
  now: Date;
  windowHours: number;
  /** CONWIP: most assets in the whole line at once (optional). */
  lineWipCap?: number;
}

export const NO_LIMIT = 1_000_000_000;

/**
 * P(next = to | left from), smoothed: (moves + 1) / (exits + outs + 1), where outs is the
 * number of rule edges out of `from` (the +1 being "left the line"). Without data every
 * edge gets 1 / (outs + 1): cautious, never zero.
 */
export function transitionRates(input: Pick<ReleaseInput, 'edges' | 'visits' | 'now' | 'windowHours'>): Map<string, Map<string, number>> {
  const from = input.now.getTime() - input.windowHours * 3_600_000;
  const exits = new Map<string, number>();
  const moves = new Map<string, number>();
  for (const v of input.visits) {
    if (v.kind !== 'Station') continue;
    if (v.exitedAt !== null && v.exitedAt >= from && v.exitedAt <= input.now.getTime()) exits.set(v.value, (exits.get(v.value) ?? 0) + 1);
    if (v.from && v.enteredAt >= from && v.enteredAt <= input.now.getTime()) moves.set(`${v.from}\u0000${v.value}`, (moves.get(`${v.from}\u0000${v.value}`) ?? 0) + 1);
  }
  const outs = new Map<string, number>();
  for (const e of input.edges) outs.set(e.from, (outs.get(e.from) ?? 0) + 1);
  const rates = new Map<string, Map<string, number>>();
  for (const e of input.edges) {
    const p = ((moves.get(`${e.from}\u0000${e.to}`) ?? 0) + 1) / ((exits.get(e.from) ?? 0) + (outs.get(e.from) ?? 0) + 1);
    const row = rates.get(e.from) ?? new Map<string, number>();
    row.set(e.to, Math.min(1, p));
    rates.set(e.from, row);
  }
  return rates;
}

function ownHeadroom(s: ReleaseStation): number {
  if (s.wipTarget <= 0) return s.headcount > 0 ? NO_LIMIT : 0;
  return Math.max(0, s.wipTarget - s.wip);
}

export function releasePlan(input: ReleaseInput): ReleasePlan {
  const stations = [...input.flow.stations].sort((a, b) => a.order - b.order);
  const orderOf = new Map(stations.map((s) => [s.key, s.order] as const));
  const forward = input.edges.filter((e) => (orderOf.get(e.to) ?? -Infinity) > (orderOf.get(e.from) ?? Infinity));
  const rates = transitionRates({ ...input, edges: forward });
  const reach: ReleasePlan['reach'] = [];
  const hasUpstream = new Set(forward.map((e) => e.to));
  const totalWip = stations.reduce((sum, s) => sum + s.wip, 0);
  const decisions = stations.map((s): ReleaseDecision => {
    // Expected arrivals downstream per release at s, in line order (forward edges only).
    const expected = new Map<string, number>([[s.key, 1]]);
    for (const u of stations) {
      const here = expected.get(u.key) ?? 0;
      if (here === 0) continue;
      for (const [to, p] of rates.get(u.key) ?? []) expected.set(to, (expected.get(to) ?? 0) + here * p);
    }
    let may = ownHeadroom(s);
    let limitedBy: string | null = s.key;
    let reason = s.wipTarget > 0 ? `own WIP ${s.wip} of target ${s.wipTarget}` : s.headcount > 0 ? 'no WIP target' : 'nobody works this station';
    for (const d of stations) {
      const e = expected.get(d.key) ?? 0;
      if (d.key === s.key || e === 0) continue;
      reach.push({ from: s.key, to: d.key, expected: e });
      if (d.wipTarget <= 0) continue;
      const rope = Math.floor(Math.max(0, d.wipTarget - d.wip) / e);
      if (rope < may) {
        may = rope;
        limitedBy = d.key;
        reason = `${d.key} WIP ${d.wip} of target ${d.wipTarget}; ${e.toFixed(3)} reach it per release`;
      }
    }
    if (input.lineWipCap !== undefined && !hasUpstream.has(s.key)) {
      const left = Math.max(0, input.lineWipCap - totalWip);
      if (left < may) {
        may = left;
        limitedBy = 'line';
        reason = `line WIP ${totalWip} of cap ${input.lineWipCap}`;
      }
    }
    if (may >= NO_LIMIT) limitedBy = null;
    return { station: s.key, mayRelease: may, limitedBy, reason };
  });
  return { stations: decisions, reach };
}
