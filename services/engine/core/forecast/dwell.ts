import type { Day } from './dates';
import { gammaPoissonSpread, shrinkHazard, type PoissonChild } from './shrinkage';
import type { AgeBands } from './survival';

/**
 * The stage clock: how long a deal has been in its current stage (its dwell), next to its age.
 *
 * The stage chain of survival.ts is memoryless within a stage: a deal that entered Negotiation
 * yesterday and one that entered it three weeks ago close at the same daily rate. Where the
 * time in a stage is not random (a deal enters the last stage a set number of days before it
 * closes), that spreads the closes of the deals that reach the stage late in a quarter into
 * the next one. Here every close and every stage move is also counted by dwell band, and each
 * stage gets a multiplier per dwell band on its close and move rates: the closes seen in the
 * band over the closes the stage x age band x phase rates expect of its exposure (observed
 * over expected, shrunk toward 1 as far as bands really differ: gamma-Poisson). The chain
 * then carries each stage's mass by days in the stage, so a deal's odds of closing tomorrow
 * depend on how long it has already waited.
 */
export interface DwellGrid {
  bands: AgeBands;
  /** Days in the stage tracked one by one; from here on the deal is in the open-ended last band. */
  slots: number;
  /** Deals at risk [stage][age band][dwell band][day - from] (row stride days + 1), prefix-summed once built. */
  exposure: Int32Array;
  /** Closes [stage][dwell band][day - from]. */
  closes: Int32Array;
  /** Dwell band of each stage move of Lexis.moves, on the last day spent in the old stage. */
  moveBand: Int32Array;
}

export interface DwellFit {
  bands: AgeBands;
  slots: number;
  /** Dwell band of each slot of the chain's dwell axis (derived once per fit: the chain reads it daily). */
  bandOfSlot: Int32Array;
  /** Hazard multipliers [stage][dwell band] of the close and of the move on (1: no effect). */
  close: Float64Array;
  leave: Float64Array | null;
}

export function dwellSlots(bands: AgeBands): number {
  return (bands.edges[bands.edges.length - 1] ?? 0) + 1;
}

/** Adds one at-risk segment [a, b] of one stage x age band cell, split by days since `entered`. */
export function addDwellExposure(
  diff: Int32Array,
  bands: AgeBands,
  cell: number,
  stride: number,
  from: Day,
  a: Day,
  b: Day,
  entered: Day
): void {
  const D = bands.count;
  const edges = bands.edges;
  for (
    let band = bands.bandOfAge(a - entered), last = bands.bandOfAge(b - entered);
    band <= last;
    band += 1
  ) {
    const lo = band === 0 ? a : Math.max(a, entered + (edges[band - 1] as number));
    const hi = band < D - 1 ? Math.min(b, entered + (edges[band] as number) - 1) : b;
    if (lo > hi) continue;
    const row = (cell * D + band) * stride - from;
    diff[row + lo] = (diff[row + lo] as number) + 1;
    diff[row + hi + 1] = (diff[row + hi + 1] as number) - 1;
  }
}

interface Rates {
  stages: number;
  ageBands: number;
  phases: number;
  /** Daily probabilities [stage][age band][phase]. */
  prob: Float64Array;
}

/** Daily rate of a daily probability (capped where the probability is 1). */
const rateOf = (q: number): number => (q >= 1 ? 50 : -Math.log(1 - q));

/**
 * Observed over expected events per stage x dwell band, decay-weighted (`observed`, and the
 * sums of squared weights `observed2`). The expected: exposure x the fitted daily rate of its
 * cell and phase.
 */
function multipliers(
  grid: DwellGrid,
  rates: Rates,
  phase: Uint8Array,
  days: number,
  last: number,
  weights: Float64Array,
  observed: Float64Array,
  observed2: Float64Array
): Float64Array {
  const { stages, ageBands, phases, prob } = rates;
  const D = grid.bands.count;
  const expected = new Float64Array(stages * D);
  const expected2 = new Float64Array(stages * D);
  const rate = Float64Array.from(prob, rateOf);
  for (let s = 0; s < stages; s += 1)
    for (let b = 0; b < ageBands; b += 1) {
      const base = (s * ageBands + b) * phases;
      for (let db = 0; db < D; db += 1) {
        const row = ((s * ageBands + b) * D + db) * (days + 1);
        let e = 0;
        let e2 = 0;
        for (let d = 0; d < last; d += 1) {
          const x = grid.exposure[row + d] as number;
          if (x === 0) continue;
          const w = weights[last - 1 - d] as number;
          const r = x * (rate[base + (phase[d] as number)] as number);
          e += w * r;
          e2 += w * w * r;
        }
        expected[s * D + db] = (expected[s * D + db] as number) + e;
        expected2[s * D + db] = (expected2[s * D + db] as number) + e2;
      }
    }
  const children: PoissonChild[] = [];
  for (let x = 0; x < stages * D; x += 1) {
    const e = expected[x] as number;
    if (!(e > 0)) continue;
    const o = observed[x] as number;
    const o2 = observed2[x] as number;
    const scale = o > 0 && o2 > 0 ? o / o2 : e / Math.max(1e-12, expected2[x] as number);
    children.push({ events: o * scale, exposure: e * scale, parent: 1 });
  }
  const cv = gammaPoissonSpread(children);
  return Float64Array.from({ length: stages * D }, (_, x) =>
    (expected[x] as number) > 0
      ? shrinkHazard(observed[x] as number, expected[x] as number, 1, cv)
      : 1
  );
}

/** The dwell multipliers at one origin, from what happened before it. */
export function fitDwell(
  grid: DwellGrid,
  lexis: {
    stages: number;
    bands: number;
    phases: number;
    phase: Uint8Array;
    from: Day;
    to: Day;
    moves: { day: Int32Array; cell: Int32Array; count: number };
  },
  last: number,
  weights: Float64Array,
  closeProb: Float64Array,
  leave: Float64Array | null
): DwellFit {
  const { stages, bands: ageBands, phases } = lexis;
  const D = grid.bands.count;
  const days = lexis.to - lexis.from;
  const observed = new Float64Array(stages * D);
  const observed2 = new Float64Array(stages * D);
  for (let x = 0; x < stages * D; x += 1) {
    const row = x * days;
    for (let d = 0; d < last; d += 1) {
      const c = grid.closes[row + d] as number;
      if (c === 0) continue;
      const w = weights[last - 1 - d] as number;
      observed[x] = (observed[x] as number) + w * c;
      observed2[x] = (observed2[x] as number) + w * w * c;
    }
  }
  const rates = { stages, ageBands, phases };
  const close = multipliers(
    grid,
    { ...rates, prob: closeProb },
    lexis.phase,
    days,
    last,
    weights,
    observed,
    observed2
  );
  const bandOfSlot = Int32Array.from({ length: grid.slots }, (_, slot) =>
    grid.bands.bandOfAge(slot)
  );
  const fit = { bands: grid.bands, slots: grid.slots, bandOfSlot };
  if (!leave) return { ...fit, close, leave: null };
  const moved = new Float64Array(stages * D);
  const moved2 = new Float64Array(stages * D);
  for (let m = 0; m < lexis.moves.count; m += 1) {
    const d = lexis.moves.day[m] as number;
    if (d >= last) continue;
    const w = weights[last - 1 - d] as number;
    const x =
      Math.floor((lexis.moves.cell[m] as number) / ageBands) * D + (grid.moveBand[m] as number);
    moved[x] = (moved[x] as number) + w;
    moved2[x] = (moved2[x] as number) + w * w;
  }
  const leaveMultiplier = multipliers(
    grid,
    { ...rates, prob: leave },
    lexis.phase,
    days,
    last,
    weights,
    moved,
    moved2
  );
  return { ...fit, close, leave: leaveMultiplier };
}

/**
 * Daily probabilities [stage][age band][phase][dwell band] from the stage x age band x phase
 * ones (already scaled by a cohort's frailty) and the dwell multipliers.
 */
export function dwellTable(
  prob: Float64Array,
  multiplier: Float64Array,
  stages: number,
  ageBands: number,
  phases: number,
  D: number
): Float64Array {
  const out = new Float64Array(prob.length * D);
  for (let s = 0; s < stages; s += 1)
    for (let b = 0; b < ageBands; b += 1)
      for (let p = 0; p < phases; p += 1) {
        const x = (s * ageBands + b) * phases + p;
        const rate = rateOf(prob[x] as number);
        for (let db = 0; db < D; db += 1)
          out[x * D + db] = 1 - Math.exp(-rate * (multiplier[s * D + db] as number));
      }
  return out;
}

/** Days since `entered` as a slot of the chain's dwell axis. */
export function dwellSlotOf(fit: { slots: number }, origin: Day, entered: Day): number {
  return Math.min(Math.max(0, origin - entered), fit.slots - 1);
}
