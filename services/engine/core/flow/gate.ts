import type { Rep, Station } from '../assignment/model';
import type { StageVisit } from './records';
import { NO_LIMIT, countTransitions, releasePlan, transitionRates, type EdgeRate, type FlowEdge, type ReleaseDecision, type ReleasePlan, type ReleaseStation, type TransitionCounts } from './release';

/**
 * The release gate of one assignment run: release control (release.ts) fed from WIP counts
 * the run can read in one aggregate query, instead of the full stage-event history the Line
 * Monitor uses. The gate answers "how many assets may this station hand out now" and which
 * downstream station sets that number.
 *
 * WIP is counted differently for the releasing station and for the stations after it, on
 * purpose: the releasing station's own headroom counts only what its reps hold (its waiting
 * queue is what is being released), while a downstream station counts everything in it,
 * owned or still waiting for an owner there, since both are work piled up in front of it.
 */
export interface GateInput {
  /** The station about to release (assign) assets. */
  station: string;
  stations: readonly Station[];
  reps: readonly Rep[];
  /** Assets at each station now, owned or waiting (downstream WIP). */
  wipAt: Readonly<Record<string, number>>;
  /** Assets the releasing station's reps hold now (its own WIP). */
  ownWip: number;
  /** Possible moves, from the station rules (Station_Rule__c.Next_Station__c). */
  edges: readonly FlowEdge[];
  now: Date;
  /**
   * Moves measured over the history window (an assignment run reads them as one aggregate
   * over Stage_Event__c); without them, or where a station has too little history, an edge
   * gets the cautious prior 1 / (forward rules + 1).
   */
  transitions?: TransitionCounts;
  /** Station visits instead of counts (tests, the Line Monitor). */
  visits?: readonly StageVisit[];
  windowHours?: number;
  minExits?: number;
  lineWipCap?: number;
}

export interface GateStation {
  station: string;
  wip: number;
  wipTarget: number;
  headcount: number;
}

export interface Gate {
  station: string;
  /** New assets the station may take in now; NO_LIMIT (a billion) when nothing limits it. */
  mayRelease: number;
  /** The station (or 'line') that sets the limit; null without a limit. */
  limitedBy: string | null;
  reason: string;
  /** Every active station's WIP and target, as the gate saw them (for the Line Monitor and metrics). */
  stations: GateStation[];
  reach: ReleasePlan['reach'];
  /** The forward edges out of the station's reach, each with its share and whether it was measured. */
  rates: EdgeRate[];
}

/** Active reps per station: the headcount that turns Target_WIP__c (per person) into a station target. */
export function headcounts(stations: readonly Station[], reps: readonly Rep[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const station of stations) counts[station.key] = 0;
  for (const rep of reps) {
    if (!rep.active) continue;
    for (const key of rep.stations) if (key in counts) counts[key] = (counts[key] as number) + 1;
  }
  return counts;
}

export function releaseGate(input: GateInput): Gate {
  const heads = headcounts(input.stations, input.reps);
  const flowStations: ReleaseStation[] = input.stations
    .filter((s) => s.active)
    .map((s) => ({
      key: s.key,
      order: s.order,
      wip: s.key === input.station ? input.ownWip : (input.wipAt[s.key] ?? 0),
      wipTarget: s.targetWip * (heads[s.key] ?? 0),
      headcount: heads[s.key] ?? 0
    }));
  const plan = releasePlan({
    flow: { stations: flowStations },
    edges: input.edges,
    visits: input.visits ?? [],
    ...(input.transitions ? { transitions: input.transitions } : {}),
    ...(input.minExits !== undefined ? { minExits: input.minExits } : {}),
    now: input.now,
    windowHours: input.transitions?.windowHours ?? input.windowHours ?? 24,
    ...(input.lineWipCap !== undefined ? { lineWipCap: input.lineWipCap } : {})
  });
  const decision: ReleaseDecision = plan.stations.find((d) => d.station === input.station) ?? {
    station: input.station,
    mayRelease: NO_LIMIT,
    limitedBy: null,
    reason: `${input.station} is not an active station of the line`
  };
  return {
    station: input.station,
    mayRelease: decision.mayRelease,
    limitedBy: decision.limitedBy,
    reason: decision.reason,
    stations: flowStations.map((s) => ({ station: s.key, wip: s.wip, wipTarget: s.wipTarget, headcount: s.headcount })),
    reach: plan.reach.filter((r) => r.from === input.station),
    rates: edgeRates(input, flowStations)
  };
}

/** The forward edges' shares as release control used them (for the CLI, the signal and the Line Monitor). */
function edgeRates(input: GateInput, stations: readonly ReleaseStation[]): EdgeRate[] {
  const orderOf = new Map(stations.map((s) => [s.key, s.order] as const));
  const forward = input.edges.filter((e) => (orderOf.get(e.to) ?? -Infinity) > (orderOf.get(e.from) ?? Infinity));
  const transitions = input.transitions ?? countTransitions(input.visits ?? [], input.now, input.windowHours ?? 24);
  const rates = transitionRates({ edges: forward, transitions, ...(input.minExits !== undefined ? { minExits: input.minExits } : {}) });
  return [...rates.values()].flatMap((row) => [...row.values()]);
}
