import type { Rng } from '../random';
import { CoreInputError } from './errors';

/**
 * How weights become slots in a block.
 *
 * Weights are read in hundredths (Weight__c is Number(4,2)). Each rep's share relative to
 * the largest weight, w / w_max, is scaled by the smallest s in 1..maxUnitsPerRep that makes
 * every share an integer: weights 1, 1, 0.5 give units 2, 2, 1. A block with multiple k then
 * holds exactly k x units slots per rep: shares are exact in every completed block, hence
 * also in expectation.
 *
 * When no such s exists (1 and 0.33 would need 100 and 33), the block would be too long to
 * balance anything, so each rep's target k x w / w_max is rounded by systematic sampling
 * with one seeded uniform offset: every count is the floor or the ceiling of its target,
 * with the ceiling taken with probability equal to the fraction, so shares are exact in
 * expectation and within one slot of exact in every block.
 */
export interface UnitPlan {
  exact: boolean;
  /** Weights in hundredths, in roster order. */
  hundredths: number[];
  /** Integer units per rep when exact (else empty). */
  units: number[];
  maxHundredths: number;
}

export function planUnits(weights: readonly number[], maxUnitsPerRep: number): UnitPlan {
  const hundredths = weights.map((w, i) => {
    const h = Math.round(w * 100);
    if (!(h >= 1)) throw new CoreInputError(`roster[${i}].weight`, w, 'a positive weight of at least 0.01');
    return h;
  });
  const maxHundredths = Math.max(...hundredths);
  for (let s = 1; s <= maxUnitsPerRep; s += 1) {
    if (hundredths.every((h) => (h * s) % maxHundredths === 0)) {
      return { exact: true, hundredths, units: hundredths.map((h) => (h * s) / maxHundredths), maxHundredths };
    }
  }
  return { exact: false, hundredths, units: [], maxHundredths };
}

/** Slots per rep in a block of multiple k (consumes one draw from rng only when not exact). */
export function blockQuotas(plan: UnitPlan, multiple: number, rng: Rng): number[] {
  if (plan.exact) return plan.units.map((u) => u * multiple);
  const offset = rng.next() * plan.maxHundredths;
  const quotas: number[] = [];
  let cumulative = 0;
  for (const h of plan.hundredths) {
    const low = cumulative;
    cumulative += multiple * h;
    // Points offset + j*max (j integer) falling in [low, cumulative): systematic sampling.
    quotas.push(Math.ceil((cumulative - offset) / plan.maxHundredths) - Math.ceil((low - offset) / plan.maxHundredths));
  }
  return quotas;
}
