import type { Rng } from '../random';
import { createRng } from '../random';
import { fromLocal, isOpen, localParts, type WeeklyWindow } from '../queue/localTime';
import type { BehaviourModel } from './behaviourModel';
import type { Scenario } from './scenario';

export type FameBand = 'Unknown' | 'Known' | 'Famous';
export type LeadStatus = 'pending' | 'open' | 'meeting' | 'closed' | 'calledOut';

export interface SimSdr {
  index: number;
  id: string;
  zone: string;
  shift: WeeklyWindow;
}

/** A simulated lead: what the org records (and the policies may see) plus the floor's bookkeeping. */
export interface SimLead {
  index: number;
  id: string;
  arrivedAt: number;
  inbound: boolean;
  source: string;
  segment: string;
  zone: string;
  /** Truth known to the simulator and to a human self-selecting SDR; never given to the queue policy. */
  fame: FameBand;
  company: string;
  owner: number;
  status: LeadStatus;
  /** Unanswered attempts in the current cycle (a no-show starts a new cycle). */
  attempts: number;
  /** Dials made to the lead so far (the behaviour model's attempt number minus one). */
  dials: number;
  firstCallAt: number | null;
  lastCallAt: number | null;
  callBackAt: number | null;
  /** Start of the current cycle: arrival, or the no-show that brought the lead back. */
  cycleStartAt: number;
  rebook: boolean;
  /** Uniform draws for this lead's calls, so every policy faces the same luck on its n-th dial. */
  luck: Rng;
}

export const DAY = 86_400_000;
export const MINUTE = 60_000;

function pickShare(rng: Rng, shares: Record<string, number>): string {
  const entries = Object.entries(shares);
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let u = rng.next() * total;
  for (const [key, weight] of entries) {
    u -= weight;
    if (u < 0) return key;
  }
  return entries[entries.length - 1]?.[0] ?? '';
}

function pickIndex(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let u = rng.next() * total;
  for (let i = 0; i < weights.length; i += 1) {
    u -= weights[i] ?? 0;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

/** Poisson count by multiplying uniforms (Knuth), split for large means to stay in range. */
function poisson(rng: Rng, mean: number): number {
  let remaining = mean;
  let count = 0;
  while (remaining > 0) {
    const part = Math.min(remaining, 30);
    remaining -= part;
    const limit = Math.exp(-part);
    let product = rng.next();
    while (product > limit) {
      count += 1;
      product *= rng.next();
    }
  }
  return count;
}

export interface Floor {
  start: number;
  end: number;
  sdrs: SimSdr[];
  leads: SimLead[];
}

export function sdrsOf(scenario: Scenario): SimSdr[] {
  return Array.from({ length: scenario.sdrs }, (_, i) => ({
    index: i,
    id: `005SIM${String(i).padStart(12, '0')}`,
    zone: scenario.sdrZones[i % scenario.sdrZones.length] as string,
    shift: {
      zones: [scenario.sdrZones[i % scenario.sdrZones.length] as string],
      startMinute: scenario.shiftStartHour * 60,
      endMinute: scenario.shiftEndHour * 60,
      days: new Set([1, 2, 3, 4, 5])
    }
  }));
}

/**
 * The leads of one seeded run: the same for every policy (common random numbers), so the
 * policies are compared on identical arrivals and identical luck per dial.
 */
export function generateFloor(model: BehaviourModel, scenario: Scenario, seed: number): Floor {
  const rng = createRng(`floor:${seed}`);
  const start = Date.parse(scenario.start);
  const end = start + scenario.weeks * 7 * DAY;
  const sdrs = sdrsOf(scenario);
  const drafts: Array<Omit<SimLead, 'index' | 'id' | 'owner' | 'luck' | 'company'>> = [];
  const fresh = (arrivedAt: number, inbound: boolean, zone: string) => ({
    arrivedAt,
    inbound,
    source: pickShare(rng, inbound ? scenario.inboundSources : scenario.listSources),
    segment: pickShare(rng, scenario.segments),
    zone,
    fame: pickShare(rng, model.fame.shares) as FameBand,
    status: 'pending' as const,
    attempts: 0,
    dials: 0,
    firstCallAt: null,
    lastCallAt: null,
    callBackAt: null,
    cycleStartAt: arrivedAt,
    rebook: false
  });
  const firstDay = Math.floor(start / DAY);
  for (let d = 0; d < scenario.weeks * 7; d += 1) {
    const weekday = (((firstDay + d + 4) % 7) + 7) % 7;
    const weekend = weekday === 0 || weekday === 6;
    const count = poisson(rng, scenario.inboundPerSdrWeekday * scenario.sdrs * (weekend ? scenario.weekendInboundShare : 1));
    for (let i = 0; i < count; i += 1) {
      const zone = pickShare(rng, scenario.leadZones);
      const minute = pickIndex(rng, scenario.inboundHourWeights) * 60 + rng.next() * 60;
      const at = fromLocal(zone, firstDay + d, minute);
      if (at >= start && at < end) drafts.push(fresh(at, true, zone));
    }
    if (weekday === 1) {
      const listAt = start + d * DAY + 6 * 60 * MINUTE;
      for (let i = 0; i < Math.round(scenario.listLeadsPerSdrWeek * scenario.sdrs); i += 1) drafts.push(fresh(listAt, false, pickShare(rng, scenario.leadZones)));
    }
  }
  drafts.sort((a, b) => a.arrivedAt - b.arrivedAt);
  const inboundLoad = new Array<number>(sdrs.length).fill(0);
  const listLoad = new Array<number>(sdrs.length).fill(0);
  const leads = drafts.map((draft, index) => {
    const owner = assign(rng, sdrs, draft.inbound ? inboundLoad : listLoad, draft.inbound ? draft.arrivedAt : null);
    return {
      ...draft,
      index,
      id: `00QSIM${String(index).padStart(12, '0')}`,
      company: `Company ${index}`,
      owner,
      luck: createRng(`luck:${seed}:${index}`)
    };
  });
  return { start, end, sdrs, leads };
}

/**
 * Equal allocation within eligibility: an inbound lead goes to an SDR on shift at its arrival
 * (any SDR when none is), and among those to the one with the fewest leads of its kind so far.
 */
function assign(rng: Rng, sdrs: readonly SimSdr[], load: number[], at: number | null): number {
  let eligible = at === null ? sdrs : sdrs.filter((s) => isOpen(s.shift, at));
  if (eligible.length === 0) eligible = sdrs;
  let best: SimSdr[] = [];
  let min = Infinity;
  for (const sdr of eligible) {
    const l = load[sdr.index] ?? 0;
    if (l < min) {
      min = l;
      best = [sdr];
    } else if (l === min) best.push(sdr);
  }
  const chosen = best[rng.int(0, best.length - 1)] as SimSdr;
  load[chosen.index] = (load[chosen.index] ?? 0) + 1;
  return chosen.index;
}

/** Business day `days` after `at` in the lead's zone, at local minute `minute` (Mon-Fri only). */
export function businessDaysLater(zone: string, at: number, days: number, minute: number): number {
  let day = localParts(zone, at).dayIndex;
  let left = days;
  while (left > 0) {
    day += 1;
    const weekday = (((day + 4) % 7) + 7) % 7;
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return fromLocal(zone, day, minute);
}
