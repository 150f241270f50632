import type { Station } from '../assignment/model';
import type { StageVisit } from './records';

/**
 * Flow numbers per station for the Line Monitor, measured from stage events (never typed):
 * WIP now and on average, arrivals and throughput, cycle time both measured and by Little's
 * law (L = lambda x W, so W = average WIP / throughput), SLA breaches and utilization.
 */
export interface FlowInput {
  stations: readonly Station[];
  /** Station visits that overlap the window or are still open. Bin visits are ignored. */
  visits: readonly StageVisit[];
  now: Date;
  windowHours: number;
  /** Who works each station, by station key (see Staffing). */
  staffing: Readonly<Record<string, Staffing>>;
  /** Assets waiting for an owner per station (assignBatch's waiting queue). */
  waiting?: Readonly<Record<string, number>>;
  /** Utilization at or above this marks a station as constrained. */
  constrainedAt?: number;
}

/**
 * Headcount sets the WIP target (Target_WIP__c is per person) and, with the average shift
 * hours a day, the capacity over the window; onShift is shown as who is working now.
 */
export interface Staffing {
  headcount: number;
  onShift: number;
  /** Average hours a day a rep of the station is on shift (7 x 8h / 7 days = 8; 5 x 8h = 5.7). */
  hoursPerDay: number;
}

export interface CycleTime {
  n: number;
  meanHours: number | null;
  p50Hours: number | null;
  p90Hours: number | null;
}

export interface StationFlow {
  key: string;
  name: string;
  order: number;
  wip: number;
  wipTarget: number;
  /** WIP / target (null without a target). */
  wipRatio: number | null;
  waiting: number;
  averageWip: number;
  arrivalsPerHour: number;
  throughputPerHour: number;
  throughputPerDay: number;
  cycleTimeLittleHours: number | null;
  cycleTime: CycleTime;
  slaHours: number | null;
  slaBreachesOpen: number;
  slaBreachesClosed: number;
  oldestOpenHours: number | null;
  headcount: number;
  onShift: number;
  /** New assets an hour the station can take on average: headcount x 60 / handling x hours a day / 24. */
  capacityPerHour: number;
  /** Arrivals / capacity; null when nobody works the station. */
  utilization: number | null;
  constrained: boolean;
  isBottleneck: boolean;
}

export interface LineFlow {
  at: string;
  windowHours: number;
  stations: StationFlow[];
  /** The station with the highest utilization (or unstaffed with arrivals): the drum. */
  bottleneck: string | null;
}

const HOUR = 3_600_000;

function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

function stationFlow(station: Station, visits: readonly StageVisit[], input: FlowInput): StationFlow {
  const now = input.now.getTime();
  const windowMs = input.windowHours * HOUR;
  const from = now - windowMs;
  let wip = 0;
  let occupied = 0;
  let arrivals = 0;
  let breachesOpen = 0;
  let breachesClosed = 0;
  let oldest: number | null = null;
  const durations: number[] = [];
  // A station without an SLA (assets stay for good) has no breaches.
  const slaMs = station.slaHours === null ? Infinity : station.slaHours * HOUR;
  for (const v of visits) {
    if (v.enteredAt > now) continue;
    const end = v.exitedAt === null || v.exitedAt > now ? now : v.exitedAt;
    const open = v.exitedAt === null || v.exitedAt > now;
    occupied += Math.max(0, end - Math.max(v.enteredAt, from));
    if (v.enteredAt >= from) arrivals += 1;
    if (open) {
      wip += 1;
      const age = now - v.enteredAt;
      if (age > slaMs) breachesOpen += 1;
      oldest = Math.max(oldest ?? 0, age);
    } else if ((v.exitedAt as number) >= from) {
      const d = (v.exitedAt as number) - v.enteredAt;
      durations.push(d / HOUR);
      if (d > slaMs) breachesClosed += 1;
    }
  }
  durations.sort((a, b) => a - b);
  const staffing = input.staffing[station.key] ?? { headcount: 0, onShift: 0, hoursPerDay: 0 };
  const throughputPerHour = durations.length / input.windowHours;
  const averageWip = occupied / windowMs;
  const arrivalsPerHour = arrivals / input.windowHours;
  const capacityPerHour = ((staffing.headcount * 60) / station.handlingMinutes) * (staffing.hoursPerDay / 24);
  const wipTarget = station.targetWip * staffing.headcount;
  const utilization = capacityPerHour > 0 ? arrivalsPerHour / capacityPerHour : arrivalsPerHour > 0 ? null : 0;
  const wipRatio = wipTarget > 0 ? wip / wipTarget : null;
  const constrainedAt = input.constrainedAt ?? 0.85;
  return {
    key: station.key,
    name: station.name,
    order: station.order,
    wip,
    wipTarget,
    wipRatio,
    waiting: input.waiting?.[station.key] ?? 0,
    averageWip,
    arrivalsPerHour,
    throughputPerHour,
    throughputPerDay: throughputPerHour * 24,
    cycleTimeLittleHours: throughputPerHour > 0 ? averageWip / throughputPerHour : null,
    cycleTime: {
      n: durations.length,
      meanHours: durations.length ? durations.reduce((s, d) => s + d, 0) / durations.length : null,
      p50Hours: quantile(durations, 0.5),
      p90Hours: quantile(durations, 0.9)
    },
    slaHours: station.slaHours,
    slaBreachesOpen: breachesOpen,
    slaBreachesClosed: breachesClosed,
    oldestOpenHours: oldest === null ? null : oldest / HOUR,
    headcount: staffing.headcount,
    onShift: staffing.onShift,
    capacityPerHour,
    utilization,
    constrained: utilization === null || utilization >= constrainedAt || (wipRatio !== null && wipRatio > 1),
    isBottleneck: false
  };
}

export function lineFlow(input: FlowInput): LineFlow {
  const byStation = new Map<string, StageVisit[]>();
  for (const v of input.visits) {
    if (v.kind !== 'Station') continue;
    const list = byStation.get(v.value) ?? [];
    list.push(v);
    byStation.set(v.value, list);
  }
  const stations = [...input.stations]
    .filter((s) => s.active)
    .sort((a, b) => a.order - b.order)
    .map((s) => stationFlow(s, byStation.get(s.key) ?? [], input));
  // Unstaffed with arrivals beats any finite utilization; then utilization, then WIP ratio.
  const score = (s: StationFlow): number => (s.utilization === null ? Number.POSITIVE_INFINITY : s.utilization);
  let bottleneck: StationFlow | null = null;
  for (const s of stations) {
    if (s.arrivalsPerHour === 0 && s.wip === 0) continue;
    if (!bottleneck || score(s) > score(bottleneck) || (score(s) === score(bottleneck) && (s.wipRatio ?? 0) > (bottleneck.wipRatio ?? 0))) bottleneck = s;
  }
  if (bottleneck) bottleneck.isBottleneck = true;
  return { at: input.now.toISOString(), windowHours: input.windowHours, stations, bottleneck: bottleneck?.key ?? null };
}
