import type { Rng } from '../random';

/**
 * Monte Carlo over deals and model uncertainty, at the scale of a large org (100,000 open
 * deals x 10,000 draws) without simulating every deal in every draw:
 *   - shared model uncertainty is drawn per draw: the level of all close hazards and the
 *     arrival rate of new deals (lognormal, mean 1, the posterior variance of each);
 *   - the uncertainty of each win-rate bucket (depth-1 node of the win tree) is independent
 *     between buckets, so within a series its effect sum_g (w_g - 1) A_g is added to the
 *     series' variance rather than drawn;
 *   - given the shared factors, a series (a rep's month, the total's quarter) is a sum of
 *     many independent deal outcomes, drawn from its mean and variance (central limit
 *     theorem) and floored at zero. Per series we keep A = sum p v (open deals and new ones
 *     apart), B = sum p (v^2 + tau^2) and C = sum p^2 v^2 (open deals; new deals arrive as a
 *     Poisson stream, which has no p^2 term).
 */
export interface FactorModel {
  /** Variance of each win-rate bucket's multiplier. */
  bucketVariance: Float64Array;
  hazardVariance: number;
  arrivalVariance: number;
}

/** Accumulator of one series while deals are added, per bucket. */
export interface SeriesAccumulator {
  aOpen: Float64Array;
  aNew: Float64Array;
  b: number;
  c: number;
}

export function emptyAccumulator(buckets: number): SeriesAccumulator {
  return { aOpen: new Float64Array(buckets), aNew: new Float64Array(buckets), b: 0, c: 0 };
}

/** What a draw needs of a series. */
export interface SeriesMoments {
  aOpen: number;
  aNew: number;
  /** Deal-outcome variance plus independent bucket-rate variance. */
  variance: number;
}

export function finishSeries(acc: SeriesAccumulator, f: FactorModel): SeriesMoments {
  let aOpen = 0;
  let aNew = 0;
  let bucketVar = 0;
  for (let g = 0; g < acc.aOpen.length; g += 1) {
    const a = (acc.aOpen[g] as number) + (acc.aNew[g] as number);
    aOpen += acc.aOpen[g] as number;
    aNew += acc.aNew[g] as number;
    bucketVar += (f.bucketVariance[g] as number) * a * a;
  }
  return { aOpen, aNew, variance: Math.max(0, acc.b - acc.c) + bucketVar };
}

/** Exact mean and variance of a series under the factor model (no sampling). */
export function analyticMoments(
  m: SeriesMoments,
  f: FactorModel
): { mean: number; variance: number } {
  const mean = m.aOpen + m.aNew;
  const second =
    (1 + f.hazardVariance) *
    (m.aOpen * m.aOpen + 2 * m.aOpen * m.aNew + (1 + f.arrivalVariance) * m.aNew * m.aNew);
  return { mean, variance: m.variance + Math.max(0, second - mean * mean) };
}

/** sfc32 (Chris Doty-Humphrey's small fast counter), seeded from the core Rng. */
export interface FastRandom {
  uniform(): number;
  normal(): number;
  /** Fills `out` with standard normals (the hot loop, without a call per draw). */
  fillNormal(out: Float64Array): void;
}

const TABLE_BITS = 14;
const TABLE_SIZE = 1 << TABLE_BITS;
let normalTable: Float64Array | null = null;

/** Acklam's inverse normal CDF (relative error < 1.2e-9). */
export function inverseNormal(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return (
      -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}

/**
 * Normal draws by inversion: a table of the inverse CDF at 2^14 + 1 points, linearly
 * interpolated with the remaining bits of a 32-bit uniform (tails beyond the table's last
 * cell use the exact inverse). Several times faster than Box-Muller, which matters at
 * tens of millions of draws.
 */
function table(): Float64Array {
  if (!normalTable) {
    normalTable = new Float64Array(TABLE_SIZE + 1);
    for (let i = 0; i <= TABLE_SIZE; i += 1)
      normalTable[i] = inverseNormal(Math.min(1 - 1e-12, Math.max(1e-12, i / TABLE_SIZE)));
  }
  return normalTable;
}

export function fastRandom(rng: Rng): FastRandom {
  let a = rng.int(0, 0x7fffffff) | 0;
  let b = rng.int(0, 0x7fffffff) | 0;
  let c = rng.int(0, 0x7fffffff) | 0;
  let d = 1;
  const next32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 15; i += 1) next32();
  const inv = table();
  const shift = 32 - TABLE_BITS;
  const scale = 1 / (1 << shift);
  const mask = (1 << shift) - 1;
  const normalOf = (u: number): number => {
    const i = u >>> shift;
    if (i === 0 || i === TABLE_SIZE - 1) return inverseNormal((u + 0.5) / 4294967296);
    const lo = inv[i] as number;
    return lo + (u & mask) * scale * ((inv[i + 1] as number) - lo);
  };
  return {
    uniform: () => next32() / 4294967296,
    normal: () => normalOf(next32()),
    fillNormal: (out) => {
      // The generator state is copied to locals: closure variables mutated in a hot loop are
      // read and written through the context object on every step.
      let sa = a;
      let sb = b;
      let sc = c;
      let sd = d;
      for (let x = 0; x < out.length; x += 1) {
        const t = (((sa + sb) | 0) + sd) | 0;
        sd = (sd + 1) | 0;
        sa = sb ^ (sb >>> 9);
        sb = (sc + (sc << 3)) | 0;
        sc = (sc << 21) | (sc >>> 11);
        sc = (sc + t) | 0;
        const u = t >>> 0;
        const i = u >>> shift;
        if (i === 0 || i === TABLE_SIZE - 1) {
          out[x] = inverseNormal((u + 0.5) / 4294967296);
        } else {
          const lo = inv[i] as number;
          out[x] = lo + (u & mask) * scale * ((inv[i + 1] as number) - lo);
        }
      }
      a = sa;
      b = sb;
      c = sc;
      d = sd;
    }
  };
}

/** Per draw, the shared factors: [draw] hazard level and arrival rate. */
export function drawFactors(
  f: FactorModel,
  draws: number,
  random: FastRandom
): { hazard: Float64Array; arrival: Float64Array } {
  const lognormal = (variance: number): number => {
    if (variance <= 0) return 1;
    const s2 = Math.log(1 + variance);
    return Math.exp(-s2 / 2 + Math.sqrt(s2) * random.normal());
  };
  const hazard = new Float64Array(draws);
  const arrival = new Float64Array(draws);
  for (let d = 0; d < draws; d += 1) {
    hazard[d] = lognormal(f.hazardVariance);
    arrival[d] = lognormal(f.arrivalVariance);
  }
  return { hazard, arrival };
}

/**
 * Draws of one series' value (before the closed-to-date and calibration are applied), from
 * the shared factors and `normals`, one standard normal per draw. The normals may be shared
 * by every series: each series' own distribution is then exact, only the series are no longer
 * independent of each other, which no figure of the forecast reads (each line's quantiles are
 * taken alone). Sharing them saves drawing tens of millions of normals in a large org.
 */
export function simulateSeries(
  m: SeriesMoments,
  factors: { hazard: Float64Array; arrival: Float64Array },
  normals: Float64Array,
  out: Float64Array
): void {
  const sd = Math.sqrt(m.variance);
  const { hazard, arrival } = factors;
  const aOpen = m.aOpen;
  const aNew = m.aNew;
  for (let d = 0; d < out.length; d += 1) {
    const x =
      (hazard[d] as number) * (aOpen + (arrival[d] as number) * aNew) + sd * (normals[d] as number);
    out[d] = x > 0 ? x : 0;
  }
}

/**
 * Quantiles by nearest rank (index round((n - 1) q)); with 10,000 draws the difference from
 * interpolated definitions is far below the Monte Carlo error. A histogram pass finds the
 * bucket holding each rank, one more pass gathers the draws of those buckets, and only they
 * are searched: three passes over the draws instead of sorting them, for thousands of series.
 */
const BUCKETS = 1024;
const counts = new Int32Array(BUCKETS + 1);
const wanted = new Int32Array(BUCKETS + 1);
let bucketOf = new Uint16Array(0);
let scratch = new Float64Array(1024);

export function quantiles(values: Float64Array, probs: readonly number[]): number[] {
  const n = values.length;
  if (n === 0) return probs.map(() => 0);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i += 1) {
    const x = values[i] as number;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (!(max > min)) return probs.map(() => min);
  if (bucketOf.length < n) bucketOf = new Uint16Array(n);
  const scale = BUCKETS / (max - min);
  counts.fill(0);
  for (let i = 0; i < n; i += 1) {
    const b = ((values[i] as number) - min) * scale;
    const bucket = b >= BUCKETS ? BUCKETS : b | 0;
    bucketOf[i] = bucket;
    counts[bucket] = (counts[bucket] as number) + 1;
  }
  // The bucket of each rank, then one pass gathers the draws of all those buckets.
  const ranks = probs.map((q) => Math.min(n - 1, Math.max(0, Math.round((n - 1) * q))));
  wanted.fill(-1);
  const starts: number[] = [];
  const befores: number[] = [];
  const slotBuckets: number[] = [];
  const rankBucket = ranks.map((rank) => {
    let bucket = 0;
    let before = 0;
    while (before + (counts[bucket] as number) <= rank) {
      before += counts[bucket] as number;
      bucket += 1;
    }
    if (wanted[bucket] === -1) {
      wanted[bucket] = starts.length;
      starts.push(0);
      befores.push(before);
      slotBuckets.push(bucket);
    }
    return bucket;
  });
  let total = 0;
  for (let w = 0; w < starts.length; w += 1) {
    starts[w] = total;
    total += counts[slotBuckets[w] as number] as number;
  }
  if (scratch.length < total) scratch = new Float64Array(total * 2);
  const fill = starts.slice();
  for (let i = 0; i < n; i += 1) {
    const w = wanted[bucketOf[i] as number] as number;
    if (w >= 0) {
      scratch[fill[w] as number] = values[i] as number;
      fill[w] = (fill[w] as number) + 1;
    }
  }
  // Ranks sharing a bucket select in the same slice: quickselect only reorders around its
  // k-th element, so a later selection in that slice stays correct.
  return ranks.map((rank, r) => {
    const w = wanted[rankBucket[r] as number] as number;
    const start = starts[w] as number;
    const end = fill[w] as number;
    return select(scratch, start + rank - (befores[w] as number), start, end - 1);
  });
}

/** Hoare quickselect in [left, right]: afterwards values[k] is the k-th smallest of the range. */
function select(values: Float64Array, k: number, left: number, right: number): number {
  while (right > left) {
    const pivot = values[(left + right) >> 1] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((values[i] as number) < pivot) i += 1;
      while ((values[j] as number) > pivot) j -= 1;
      if (i <= j) {
        const t = values[i] as number;
        values[i] = values[j] as number;
        values[j] = t;
        i += 1;
        j -= 1;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return values[k] as number;
}
