import { InputError } from '../calendar/orgRecord';
import { normCdf, normInv, normPdf, normSf } from './normal';

/**
 * Group-sequential two-sided test with Lan-DeMets alpha spending (Lan & DeMets 1983).
 *
 * Why this rule: marketing looks at A/B results as they come in. Testing at 5 % at every look
 * inflates the false-positive rate far above 5 % (the A/A simulation shows it). An alpha-
 * spending function fixes in advance how much of the 5 % may be used up by each fraction t of
 * the planned sample; the boundary at each look is the |Z| that spends exactly that much,
 * given the looks before it. Looks need not be equally spaced or planned in number: each
 * boundary is computed for the information actually reached. The default O'Brien-Fleming-
 * type function spends almost nothing early (|Z| about 4.9 at t = 0.2), so an early stop needs
 * overwhelming evidence and the final look is close to the fixed-sample 1.96; Pocock-type
 * spends evenly (about 2.4 at every look of five).
 *
 * Boundaries come from the joint distribution of the cumulative statistics (independent
 * increments: S_k = Z_k * sqrt(t_k) is Brownian motion in t), integrated numerically over a
 * grid as in Jennison & Turnbull, "Group Sequential Methods" (2000), chapter 19.
 */
export const SPENDING_FUNCTIONS = ['obrien-fleming', 'pocock'] as const;
export type SpendingFunction = (typeof SPENDING_FUNCTIONS)[number];

/**
 * Cumulative two-sided alpha spent by information fraction t. As in gsDesign (sfLDOF, sfLDPocock)
 * and ldbounds, each side spends alpha/2: O'Brien-Fleming-type 2 - 2 Phi(z_{alpha/4} / sqrt(t))
 * per side, Pocock-type (alpha/2) ln(1 + (e - 1) t) per side.
 */
export function alphaSpent(t: number, alpha: number, fn: SpendingFunction): number {
  if (t <= 0) return 0;
  if (t >= 1) return alpha;
  if (fn === 'pocock') return alpha * Math.log(1 + (Math.E - 1) * t);
  return 4 * normSf(normInv(1 - alpha / 4) / Math.sqrt(t));
}

/** Bounds beyond which crossing is treated as impossible (P(|Z| > 12) is about 4e-33). */
const MAX_Z = 12;
/** The continuation density is kept on |Z| <= 8.5 only: the mass beyond is below 1e-16. */
const GRID_Z = 8.5;
/** Kernel contributions beyond 8.5 standard deviations are below 1e-16 of the peak. */
const KERNEL_SD = 8.5;

interface Grid {
  /** Points of S = Z sqrt(t) inside the continuation region. */
  s: Float64Array;
  /** Simpson weight times sub-density at each point: sums over it are integrals. */
  mass: Float64Array;
}

function simpsonWeights(n: number, h: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i += 1) w[i] = ((i === 0 || i === n - 1 ? 1 : i % 2 === 1 ? 4 : 2) * h) / 3;
  return w;
}

function gridPoints(b: number, step: number): { s: Float64Array; w: Float64Array } {
  // An odd number of points for Simpson's rule, at least 101.
  let n = Math.max(101, Math.ceil((2 * b) / step) + 1);
  if (n % 2 === 0) n += 1;
  n = Math.min(n, 8001);
  const h = (2 * b) / (n - 1);
  const s = new Float64Array(n);
  for (let i = 0; i < n; i += 1) s[i] = -b + i * h;
  return { s, w: simpsonWeights(n, h) };
}

/** P(|Z_k| >= c and no earlier crossing), given the grid after look k-1. */
function crossing(prev: Grid | null, t: number, tPrev: number, c: number, drift: number): number {
  const bound = c * Math.sqrt(t);
  if (!prev) {
    const sd = Math.sqrt(t);
    return normCdf((-bound - drift * t) / sd) + normSf((bound - drift * t) / sd);
  }
  const sd = Math.sqrt(t - tPrev);
  const shift = drift * (t - tPrev);
  let p = 0;
  for (let i = 0; i < prev.s.length; i += 1) {
    const mean = (prev.s[i] as number) + shift;
    p += (prev.mass[i] as number) * (normCdf((-bound - mean) / sd) + normSf((bound - mean) / sd));
  }
  return p;
}

/** The sub-density of S_k on the continuation region of look k. */
function nextGrid(prev: Grid | null, t: number, tPrev: number, c: number, drift: number, step: number): Grid {
  const b = Math.min(c, GRID_Z) * Math.sqrt(t);
  const { s, w } = gridPoints(b, step);
  const mass = new Float64Array(s.length);
  if (!prev) {
    const sd = Math.sqrt(t);
    for (let j = 0; j < s.length; j += 1) mass[j] = ((w[j] as number) * normPdf(((s[j] as number) - drift * t) / sd)) / sd;
    return { s, mass };
  }
  const sd = Math.sqrt(t - tPrev);
  const shift = drift * (t - tPrev);
  // The previous grid is uniform: only its points within KERNEL_SD of y - shift contribute.
  const first = prev.s[0] as number;
  const h = prev.s.length > 1 ? (prev.s[1] as number) - first : 1;
  const last = prev.s.length - 1;
  for (let j = 0; j < s.length; j += 1) {
    const centre = (s[j] as number) - shift;
    const lo = Math.max(0, Math.floor((centre - KERNEL_SD * sd - first) / h));
    const hi = Math.min(last, Math.ceil((centre + KERNEL_SD * sd - first) / h));
    let f = 0;
    for (let i = lo; i <= hi; i += 1) f += (prev.mass[i] as number) * normPdf((centre - (prev.s[i] as number)) / sd);
    mass[j] = ((w[j] as number) * f) / sd;
  }
  return { s, mass };
}

export interface Boundary {
  look: number;
  fraction: number;
  /** Reject when |Z| reaches this. */
  z: number;
  /** The same boundary as a nominal two-sided p-value. */
  nominalP: number;
  /** Alpha spent by this look (cumulative) and at this look. */
  cumulativeAlpha: number;
  alphaAtLook: number;
}

function checkFractions(fractions: readonly number[]): void {
  fractions.forEach((t, k) => {
    if (!(t > 0 && t <= 1)) throw new InputError(`fractions[${k}]`, t, 'an information fraction in (0, 1]');
    if (k > 0 && !(t > (fractions[k - 1] as number))) throw new InputError(`fractions[${k}]`, t, `more than the previous look's ${fractions[k - 1]}`);
  });
}

function stepFor(fractions: readonly number[]): number {
  let smallest = fractions[0] as number;
  for (let k = 1; k < fractions.length; k += 1) smallest = Math.min(smallest, (fractions[k] as number) - (fractions[k - 1] as number));
  // Ten grid points per standard deviation of the smallest increment (the densest kernel): the
  // published boundaries agree to six decimals from eight points on.
  return Math.sqrt(smallest) / 10;
}

/** Boundaries for looks at increasing information fractions (the last may be 1). */
export function boundaries(fractions: readonly number[], alpha: number, fn: SpendingFunction): Boundary[] {
  if (!(alpha > 0 && alpha < 1)) throw new InputError('alpha', alpha, 'a level between 0 and 1, e.g. 0.05');
  checkFractions(fractions);
  const step = stepFor(fractions);
  const out: Boundary[] = [];
  let grid: Grid | null = null;
  let tPrev = 0;
  let spentBefore = 0;
  fractions.forEach((t, k) => {
    const target = alphaSpent(t, alpha, fn) - alphaSpent(tPrev, alpha, fn);
    let c: number;
    if (target <= 0) c = MAX_Z;
    else if (!grid) c = Math.min(MAX_Z, normInv(1 - target / 2));
    else {
      let lo = 0;
      let hi = MAX_Z;
      for (let i = 0; i < 60; i += 1) {
        const mid = (lo + hi) / 2;
        if (crossing(grid, t, tPrev, mid, 0) > target) lo = mid;
        else hi = mid;
      }
      c = (lo + hi) / 2;
    }
    const atLook = crossing(grid, t, tPrev, c, 0);
    out.push({ look: k + 1, fraction: t, z: c, nominalP: 2 * normSf(c), cumulativeAlpha: spentBefore + atLook, alphaAtLook: atLook });
    spentBefore += atLook;
    grid = nextGrid(grid, t, tPrev, c, 0, step);
    tPrev = t;
  });
  return out;
}

/**
 * Stage-wise ordering p-value (Armitage; Jennison & Turnbull section 8.4) for a test that
 * stops at look k = zs.length with |Z_k| = |zs[k-1]|, not having crossed before: the chance
 * under no difference of crossing earlier, or at look k with a |Z| at least as large. It is
 * at most alpha exactly when the test rejects, so it agrees with the decision.
 */
export function stagewisePValue(fractions: readonly number[], zs: readonly number[], alpha: number, fn: SpendingFunction): number {
  const bounds = boundaries(fractions, alpha, fn);
  checkFractions(fractions);
  const step = stepFor(fractions);
  let grid: Grid | null = null;
  let tPrev = 0;
  let p = 0;
  for (let k = 0; k < fractions.length; k += 1) {
    const t = fractions[k] as number;
    const bound = bounds[k] as Boundary;
    if (k === fractions.length - 1) return Math.min(1, p + crossing(grid, t, tPrev, Math.min(Math.abs(zs[k] as number), MAX_Z), 0));
    p += bound.alphaAtLook;
    grid = nextGrid(grid, t, tPrev, bound.z, 0, step);
    tPrev = t;
  }
  return 1;
}

/** Probability of rejecting at any look when the standardized drift is theta (Z_k ~ N(theta sqrt(t_k), 1)). */
export function rejectionProbability(fractions: readonly number[], alpha: number, fn: SpendingFunction, theta: number): number {
  return rejectionFor(boundaries(fractions, alpha, fn), theta);
}

function rejectionFor(bounds: readonly Boundary[], theta: number): number {
  const step = stepFor(bounds.map((b) => b.fraction));
  let grid: Grid | null = null;
  let tPrev = 0;
  let p = 0;
  for (const b of bounds) {
    p += crossing(grid, b.fraction, tPrev, b.z, theta);
    grid = nextGrid(grid, b.fraction, tPrev, b.z, theta, step);
    tPrev = b.fraction;
  }
  return p;
}

/**
 * How much larger the maximum sample must be than a fixed-sample test's for the same power:
 * (theta_gs / (z_{alpha/2} + z_beta))^2, theta_gs being the drift that gives that power.
 */
export function inflationFactor(fractions: readonly number[], alpha: number, power: number, fn: SpendingFunction): number {
  if (!(power > 0 && power < 1)) throw new InputError('power', power, 'a probability between 0 and 1, e.g. 0.8');
  const bounds = boundaries(fractions, alpha, fn);
  const fixed = normInv(1 - alpha / 2) + normInv(power);
  let lo = fixed * 0.9;
  let hi = fixed * 1.6;
  for (let i = 0; i < 30; i += 1) {
    const mid = (lo + hi) / 2;
    if (rejectionFor(bounds, mid) < power) lo = mid;
    else hi = mid;
  }
  return ((lo + hi) / 2 / fixed) ** 2;
}

/** Equally spaced fractions for k looks: [1/k, 2/k, ..., 1]. */
export function equalFractions(looks: number): number[] {
  return Array.from({ length: looks }, (_, i) => (i + 1) / looks);
}
