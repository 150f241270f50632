import type { StageVisit } from './records';
import type { LineFlow, StationFlow } from './metrics';

/**
 * Release control (drum-buffer-rope with a CONWIP option). Releasing an asset into station s
 * sends, on average, reach(s, d) assets on to each later station d, estimated from the
 * transitions measured in the window (a cautious prior where a station has too little history). A later station's free WIP (target - WIP) is the
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
  /** Estimated assets reaching `to` per asset released at `from`; prior when any edge on the way had too little history. */
  reach: Array<{ from: string; to: string; expected: number; source: 'measured' | 'prior' }>;
}

/** What release control needs of a station's flow (a LineFlow station, or one built from WIP counts). */
export type ReleaseStation = Pick<StationFlow, 'key' | 'order' | 'wip' | 'wipTarget' | 'headcount'>;

export interface ReleaseInput {
  flow: { stations: readonly ReleaseStation[] } | LineFlow;
  /** Possible moves between stations (from the station rules). */
  edges: readonly FlowEdge[];
  /** Station visits of the window, for the measured transition rates (the Line Monitor). */
  visits?: readonly StageVisit[];
  /** Transitions already counted (an assignment run reads them as one aggregate); wins over `visits`. */
  transitions?: TransitionCounts;
  now: Date;
  windowHours: number;
  /** Fewer exits than this from a station in the window: its edges get the cautious prior. */
  minExits?: number;
  /** CONWIP: most assets in the whole line at once (optional). */
  lineWipCap?: number;
}

/** Station-to-station moves over a window, by station key. */
export interface TransitionCounts {
  /** Visits of each station that ended in the window: the assets that left it. */
  exits: ReadonlyMap<string, number>;
  /** Visits entered from `from` into `to` in the window, keyed by transitionKey(from, to). */
  moves: ReadonlyMap<string, number>;
  windowHours: number;
}

/** The share of a station's leavers that entered the next station, and where it came from. */
export interface EdgeRate {
  from: string;
  to: string;
  share: number;
  /** measured: moves / exits of the window; prior: 1 / (forward rules + 1), too little history. */
  source: 'measured' | 'prior';
  exits: number;
  moves: number;
}

export const NO_LIMIT = 1_000_000_000;
/** Below this many exits a measured share is too noisy to throttle a station by. */
export const MIN_EXITS = 30;

export function transitionKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

/** Counts exits and moves of the window from station visits (bin visits are not moves between stations). */
export function countTransitions(visits: readonly StageVisit[], now: Date, windowHours: number): TransitionCounts {
  const from = now.getTime() - windowHours * 3_600_000;
  const exits = new Map<string, number>();
  const moves = new Map<string, number>();
  for (const v of visits) {
    if (v.kind !== 'Station') continue;
    if (v.exitedAt !== null && v.exitedAt >= from && v.exitedAt <= now.getTime()) exits.set(v.value, (exits.get(v.value) ?? 0) + 1);
    if (v.from && v.enteredAt >= from && v.enteredAt <= now.getTime()) moves.set(transitionKey(v.from, v.value), (moves.get(transitionKey(v.from, v.value)) ?? 0) + 1);
  }
  return { exits, moves, windowHours };
}

/**
 * P(next = to | left from): of the assets that left `from` in the window, the share that
 * entered `to` (capped at 1). A station with fewer than `minExits` exits has too little
 * history: each of its edges gets the cautious prior 1 / (outs + 1), outs being its forward
 * rules and the +1 "left the line", never zero.
 */
export function transitionRates(input: { edges: readonly FlowEdge[]; transitions: TransitionCounts; minExits?: number }): Map<string, Map<string, EdgeRate>> {
  const minExits = input.minExits ?? MIN_EXITS;
  const outs = new Map<string, number>();
  for (const e of input.edges) outs.set(e.from, (outs.get(e.from) ?? 0) + 1);
  const rates = new Map<string, Map<string, EdgeRate>>();
  for (const e of input.edges) {
    const exits = input.transitions.exits.get(e.from) ?? 0;
    const moves = input.transitions.moves.get(transitionKey(e.from, e.to)) ?? 0;
    const measured = exits >= minExits && exits > 0;
    const share = measured ? Math.min(1, moves / exits) : 1 / ((outs.get(e.from) ?? 0) + 1);
    const row = rates.get(e.from) ?? new Map<string, EdgeRate>();
    row.set(e.to, { from: e.from, to: e.to, share, source: measured ? 'measured' : 'prior', exits, moves });
    rates.set(e.from, row);
  }
  return rates;
}

/** "measured over 90 days" or the prior with its reason, for the gate's reason text. */
export function describeRates(rates: readonly EdgeRate[], windowHours: number): string {
  const window = windowHours % 24 === 0 ? `${windowHours / 24} days` : `${windowHours} h`;
  const prior = rates.filter((r) => r.source === 'prior');
  if (prior.length === 0) return `measured over ${window}`;
  const why = prior.map((r) => `${r.from}->${r.to}: ${r.exits} exits from ${r.from} in ${window}, fewer than needed`).join('; ');
  return `cautious prior for ${why}`;
}

function ownHeadroom(s: ReleaseStation): number {
  if (s.wipTarget <= 0) return s.headcount > 0 ? NO_LIMIT : 0;
  return Math.max(0, s.wipTarget - s.wip);
}

export function releasePlan(input: ReleaseInput): ReleasePlan {
  const stations = [...input.flow.stations].sort((a, b) => a.order - b.order);
  const orderOf = new Map(stations.map((s) => [s.key, s.order] as const));
  const forward = input.edges.filter((e) => (orderOf.get(e.to) ?? -Infinity) > (orderOf.get(e.from) ?? Infinity));
  const transitions = input.transitions ?? countTransitions(input.visits ?? [], input.now, input.windowHours);
  const rates = transitionRates({ edges: forward, transitions, ...(input.minExits !== undefined ? { minExits: input.minExits } : {}) });
  const reach: ReleasePlan['reach'] = [];
  const hasUpstream = new Set(forward.map((e) => e.to));
  const totalWip = stations.reduce((sum, s) => sum + s.wip, 0);
  const decisions = stations.map((s): ReleaseDecision => {
    // Expected arrivals downstream per release at s, in line order (forward edges only),
    // and the edges on the way (so the reason can say whether they were measured).
    const expected = new Map<string, number>([[s.key, 1]]);
    const via = new Map<string, EdgeRate[]>([[s.key, []]]);
    for (const u of stations) {
      const here = expected.get(u.key) ?? 0;
      if (here === 0) continue;
      for (const [to, rate] of rates.get(u.key) ?? []) {
        expected.set(to, (expected.get(to) ?? 0) + here * rate.share);
        via.set(to, [...new Set([...(via.get(to) ?? []), ...(via.get(u.key) ?? []), rate])]);
      }
    }
    let may = ownHeadroom(s);
    let limitedBy: string | null = s.key;
    let reason = s.wipTarget > 0 ? `own WIP ${s.wip} of target ${s.wipTarget}` : s.headcount > 0 ? 'no WIP target' : 'nobody works this station';
    for (const d of stations) {
      const e = expected.get(d.key) ?? 0;
      if (d.key === s.key || e === 0) continue;
      const edges = via.get(d.key) ?? [];
      reach.push({ from: s.key, to: d.key, expected: e, source: edges.every((r) => r.source === 'measured') ? 'measured' : 'prior' });
      if (d.wipTarget <= 0) continue;
      const rope = Math.floor(Math.max(0, d.wipTarget - d.wip) / e);
      if (rope < may) {
        may = rope;
        limitedBy = d.key;
        reason = `${d.key} WIP ${d.wip} of target ${d.wipTarget}; ${e.toFixed(3)} reach it per release (${describeRates(edges, transitions.windowHours)})`;
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
