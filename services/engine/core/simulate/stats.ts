/** Small statistics for the comparison: means with Student-t intervals over seeds. */

// Two-sided 95% quantiles of Student's t by degrees of freedom (1..30), then 40, 60, 120.
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08,
  2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042
];

export function tQuantile975(df: number): number {
  if (df < 1) return NaN;
  if (df <= 30) return T975[df - 1] as number;
  if (df <= 40) return 2.021;
  if (df <= 60) return 2.0;
  if (df <= 120) return 1.98;
  return 1.96;
}

export interface Interval {
  mean: number;
  low: number;
  high: number;
  n: number;
}

/** Mean and 95% t-interval; a single value (or any infinite value) has no interval. */
export function meanInterval(values: readonly number[]): Interval {
  const n = values.length;
  if (n === 0) return { mean: NaN, low: NaN, high: NaN, n };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n === 1 || !Number.isFinite(mean)) return { mean, low: NaN, high: NaN, n };
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  const half = tQuantile975(n - 1) * Math.sqrt(variance / n);
  return { mean, low: mean - half, high: mean + half, n };
}

/**
 * Ratio of paired values (same seed, so the same arrivals and luck) as a geometric mean with
 * a 95% interval from the t-interval of the log ratios.
 */
export function ratioInterval(numerators: readonly number[], denominators: readonly number[]): Interval {
  const logs: number[] = [];
  numerators.forEach((a, i) => {
    const b = denominators[i];
    if (b !== undefined && a > 0 && b > 0 && Number.isFinite(a) && Number.isFinite(b)) logs.push(Math.log(a / b));
  });
  const interval = meanInterval(logs);
  return { mean: Math.exp(interval.mean), low: Math.exp(interval.low), high: Math.exp(interval.high), n: interval.n };
}

/** Nearest-rank percentile of sorted values (Infinity allowed: never-called leads). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}
