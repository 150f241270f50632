import type { Rng } from '../random';
import { chiSquareSf } from './gamma';

/**
 * Pearson's chi-square test of independence for a rows x columns table (here: rep x lead
 * quality category). When expected counts are small (any below 1, or more than a fifth
 * below 5: Cochran's rule), the asymptotic p-value is not trusted and a Monte Carlo
 * permutation p-value is the one reported: column labels are permuted among observations,
 * within each stratum when strata are given, which keeps every stratum's mix and every
 * rep's count per stratum as the randomization fixed them. p = (1 + #{X2_b >= X2}) / (B + 1).
 */
export interface Observation {
  row: string;
  col: string;
  stratum?: string;
}

/** The same observations as parallel columns (no object per observation: for a million rows). */
export interface ObservationColumns {
  row: readonly string[];
  col: readonly string[];
  stratum?: readonly string[];
}

export function toColumns(observations: readonly Observation[]): ObservationColumns {
  return {
    row: observations.map((o) => o.row),
    col: observations.map((o) => o.col),
    stratum: observations.map((o) => o.stratum ?? '')
  };
}

export type PValueMethod = 'asymptotic' | 'monte-carlo';

export interface IndependenceTest {
  n: number;
  rowLabels: string[];
  colLabels: string[];
  /** Observed counts, table[row][col]. */
  table: number[][];
  statistic: number;
  df: number;
  pAsymptotic: number;
  pMonteCarlo: number | null;
  permutations: number;
  /** The p-value to read, by `method`. */
  pValue: number;
  method: PValueMethod;
  minExpected: number;
  shareExpectedBelow5: number;
}

export interface IndependenceOptions {
  rng: Rng;
  monteCarlo?: 'auto' | 'always' | 'never';
  /** Permutations B; lowered for very large n to bound work at about 2e7 cell updates. */
  permutations?: number;
}

function statistic(counts: Float64Array, rowTotals: Float64Array, colTotals: Float64Array, n: number): number {
  const c = colTotals.length;
  let x2 = 0;
  for (let i = 0; i < rowTotals.length; i += 1) {
    const ri = rowTotals[i] as number;
    if (ri === 0) continue;
    for (let j = 0; j < c; j += 1) {
      const cj = colTotals[j] as number;
      if (cj === 0) continue;
      const expected = (ri * cj) / n;
      const diff = (counts[i * c + j] as number) - expected;
      x2 += (diff * diff) / expected;
    }
  }
  return x2;
}

function indexOf(map: Map<string, number>, label: string): number {
  const found = map.get(label);
  if (found !== undefined) return found;
  map.set(label, map.size);
  return map.size - 1;
}

export function independenceTest(observations: readonly Observation[] | ObservationColumns, options: IndependenceOptions): IndependenceTest {
  const columns = Array.isArray(observations) ? toColumns(observations) : (observations as ObservationColumns);
  const rowIndex = new Map<string, number>();
  const colIndex = new Map<string, number>();
  const strataIndex = new Map<string, number>();
  const n = columns.row.length;
  const rowOf = new Int32Array(n);
  const colOf = new Int32Array(n);
  const stratumOf = new Int32Array(n);
  for (let k = 0; k < n; k += 1) {
    rowOf[k] = indexOf(rowIndex, columns.row[k] as string);
    colOf[k] = indexOf(colIndex, columns.col[k] as string);
    stratumOf[k] = indexOf(strataIndex, columns.stratum?.[k] ?? '');
  }
  const r = rowIndex.size;
  const c = colIndex.size;
  const counts = new Float64Array(r * c);
  const rowTotals = new Float64Array(r);
  const colTotals = new Float64Array(c);
  for (let k = 0; k < n; k += 1) {
    const cell = (rowOf[k] as number) * c + (colOf[k] as number);
    counts[cell] = (counts[cell] as number) + 1;
    rowTotals[rowOf[k] as number] = (rowTotals[rowOf[k] as number] as number) + 1;
    colTotals[colOf[k] as number] = (colTotals[colOf[k] as number] as number) + 1;
  }
  const observed = n === 0 ? 0 : statistic(counts, rowTotals, colTotals, n);
  const df = Math.max(0, (r - 1) * (c - 1));
  const pAsymptotic = df === 0 ? 1 : chiSquareSf(observed, df);
  let minExpected = Number.POSITIVE_INFINITY;
  let below5 = 0;
  for (let i = 0; i < r; i += 1) {
    for (let j = 0; j < c; j += 1) {
      const e = n === 0 ? 0 : ((rowTotals[i] as number) * (colTotals[j] as number)) / n;
      minExpected = Math.min(minExpected, e);
      if (e < 5) below5 += 1;
    }
  }
  const shareExpectedBelow5 = r * c === 0 ? 0 : below5 / (r * c);
  const small = minExpected < 1 || shareExpectedBelow5 > 0.2;
  const mode = options.monteCarlo ?? 'auto';
  const runMonteCarlo = df > 0 && (mode === 'always' || (mode === 'auto' && small));
  let pMonteCarlo: number | null = null;
  let permutations = 0;
  if (runMonteCarlo) {
    const requested = options.permutations ?? 2000;
    permutations = Math.max(200, Math.min(requested, Math.floor(2e7 / Math.max(1, n))));
    pMonteCarlo = permutationPValue(observed, rowOf, colOf, stratumOf, strataIndex.size, r, c, rowTotals, colTotals, permutations, options.rng);
  }
  const table: number[][] = [];
  for (let i = 0; i < r; i += 1) table.push(Array.from(counts.subarray(i * c, (i + 1) * c)));
  return {
    n,
    rowLabels: [...rowIndex.keys()],
    colLabels: [...colIndex.keys()],
    table,
    statistic: observed,
    df,
    pAsymptotic,
    pMonteCarlo,
    permutations,
    pValue: pMonteCarlo ?? pAsymptotic,
    method: pMonteCarlo === null ? 'asymptotic' : 'monte-carlo',
    minExpected: Number.isFinite(minExpected) ? minExpected : 0,
    shareExpectedBelow5
  };
}

function permutationPValue(
  observed: number,
  rowOf: Int32Array,
  colOf: Int32Array,
  stratumOf: Int32Array,
  strataCount: number,
  r: number,
  c: number,
  rowTotals: Float64Array,
  colTotals: Float64Array,
  permutations: number,
  rng: Rng
): number {
  const n = rowOf.length;
  // Observations grouped by stratum; the column labels of each group are shuffled.
  const start = new Int32Array(strataCount + 1);
  for (let k = 0; k < n; k += 1) {
    const s = (stratumOf[k] as number) + 1;
    start[s] = (start[s] as number) + 1;
  }
  for (let s = 0; s < strataCount; s += 1) start[s + 1] = (start[s + 1] as number) + (start[s] as number);
  const fill = start.slice(0, strataCount);
  const rows = new Int32Array(n);
  const cols = new Int32Array(n);
  for (let k = 0; k < n; k += 1) {
    const at = fill[stratumOf[k] as number] as number;
    rows[at] = rowOf[k] as number;
    cols[at] = colOf[k] as number;
    fill[stratumOf[k] as number] = at + 1;
  }
  const counts = new Float64Array(r * c);
  const tolerance = 1e-9 * Math.max(1, observed);
  let atLeast = 0;
  for (let b = 0; b < permutations; b += 1) {
    for (let s = 0; s < strataCount; s += 1) {
      const lo = start[s] as number;
      for (let i = (start[s + 1] as number) - 1; i > lo; i -= 1) {
        const j = rng.int(lo, i);
        const t = cols[i] as number;
        cols[i] = cols[j] as number;
        cols[j] = t;
      }
    }
    counts.fill(0);
    for (let k = 0; k < n; k += 1) {
      const cell = (rows[k] as number) * c + (cols[k] as number);
      counts[cell] = (counts[cell] as number) + 1;
    }
    if (statistic(counts, rowTotals, colTotals, n) >= observed - tolerance) atLeast += 1;
  }
  return (1 + atLeast) / (permutations + 1);
}
