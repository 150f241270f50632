/**
 * Calibration against the model's own track record. At every past month (a rolling origin,
 * each fitted only on what was known then) we have the model's mean, its standard deviation
 * (deal outcomes plus parameter uncertainty) and the actual. From these:
 *   - the level factor c: the model's systematic over- or under-forecast, the mean log ratio
 *     actual/forecast shrunk toward the prior by one pseudo-period (for months the prior is
 *     c = 1; a quarter starts from what the months say, a year from what the quarters say);
 *   - the widening k: how much larger past errors (after the level correction of their
 *     time) were than the model's own spread, as the conformal quantile of the scores
 *     |z| = |actual - forecast| / spread: the ceil(0.8 (m + 1))-th smallest of the m scores,
 *     the prior k0 counting as nu0 = 3 scores of k0 z80. Multiplying the Monte Carlo spread by k
 *     makes the 80% range hold as many past actuals as it should: if the model is right k stays
 *     near 1, if it is overconfident the ranges widen, and one lumpy period widens them by one
 *     score's worth, not by its square.
 * Every step is sequential (origin j uses origins before j only), so the track record below
 * is what a user would have seen, month by month.
 */
export interface TrackPoint {
  label: string;
  /** The origin (first day of the period) and the day after it ends. */
  origin: number;
  end: number;
  actual: number;
  /** Model mean before the level factor. */
  mean: number;
  sd: number;
}

export interface CalibrationPrior {
  /** Pseudo-periods behind the prior level factor and the prior widening. */
  levelPseudoPeriods: number;
  spreadPseudoPeriods: number;
}

export const DEFAULT_CALIBRATION_PRIOR: CalibrationPrior = {
  levelPseudoPeriods: 1,
  spreadPseudoPeriods: 3
};

export interface CalibrationState {
  factor: number;
  /** k, the ratio of past errors to the model's spread. */
  widening: number;
  /** k times t(nu)/z: what multiplies the Monte Carlo spread. */
  rangeScale: number;
}

/** What a period type knows before its own track record: the finer type's state then. */
export type PriorState = (day: number) => CalibrationState;

export const NEUTRAL: PriorState = () => ({ factor: 1, widening: 1, rangeScale: 1 });

/** z of the 10th/90th percentiles of a normal: an 80% central range. */
export const Z80 = 1.2815515655446004;
const COVERAGE = 0.8;

export interface TrackRecordRow extends TrackPoint {
  factor: number;
  widening: number;
  forecast: number;
  p10: number;
  p90: number;
  covered: boolean;
}

export interface Calibration {
  factor: number;
  widening: number;
  rangeScale: number;
  /** Periods of the track record that informed the state. */
  periods: number;
  record: TrackRecordRow[];
  /** WAPE, bias and P10-P90 coverage of the calibrated forecasts in the record. */
  wape: number | null;
  bias: number | null;
  coverage: number | null;
  /** The state as it was on a given day (from the record's periods that had ended). */
  stateAt(day: number): CalibrationState;
}

const MAX_LOG_RATIO = Math.log(3);

function logRatio(actual: number, mean: number): number | null {
  if (!(mean > 0)) return null;
  const r = Math.log(Math.max(actual, 1e-9 * mean) / mean);
  return Math.max(-MAX_LOG_RATIO, Math.min(MAX_LOG_RATIO, r));
}

function state(
  logs: number[],
  z2: number[],
  prior: CalibrationState,
  weights: CalibrationPrior
): CalibrationState {
  const logFactor =
    (logs.reduce((s, x) => s + x, 0) + weights.levelPseudoPeriods * Math.log(prior.factor)) /
    (logs.length + weights.levelPseudoPeriods);
  // The widening is the conformal quantile of the past errors (split conformal prediction,
  // Vovk, Gammerman & Shafer 2005): the ceil(0.8 (m + 1))-th smallest of the m scores |z|, the
  // prior counting as nu0 scores at k0 z. A root mean square would let one lumpy month (a big
  // deal won against a small forecast) widen every later range far past 80%.
  const scores = [
    ...z2.map((x) => Math.sqrt(x)),
    ...Array.from({ length: weights.spreadPseudoPeriods }, () => prior.widening * Z80)
  ].sort((a, b) => a - b);
  const rank = Math.min(scores.length, Math.ceil(COVERAGE * (scores.length + 1)));
  const widening = scores.length > 0 ? (scores[rank - 1] as number) / Z80 : prior.widening;
  const k = Math.min(20, Math.max(0.5, widening));
  return { factor: Math.exp(logFactor), widening: k, rangeScale: k };
}

/**
 * Sequential calibration of one period type. `prior` is the state before any period of this
 * type: neutral for months, the months' state for quarters, the quarters' for years.
 */
export function calibrate(
  points: readonly TrackPoint[],
  prior: PriorState = NEUTRAL,
  weights: CalibrationPrior = DEFAULT_CALIBRATION_PRIOR
): Calibration {
  const record: TrackRecordRow[] = [];
  const history: { end: number; log: number | null; z2: number | null }[] = [];
  const stateAt = (day: number): CalibrationState => {
    const known = history.filter((h) => h.end <= day);
    return state(
      known.map((h) => h.log).filter((x): x is number => x !== null),
      known.map((h) => h.z2).filter((x): x is number => x !== null),
      prior(day),
      weights
    );
  };
  for (const point of points) {
    const { factor, widening, rangeScale } = stateAt(point.origin);
    const forecast = factor * point.mean;
    const half = Z80 * rangeScale * factor * point.sd;
    const p10 = Math.max(0, forecast - half);
    const p90 = forecast + half;
    record.push({
      ...point,
      factor,
      widening,
      forecast,
      p10,
      p90,
      covered: point.actual >= p10 && point.actual <= p90
    });
    const scale = factor * point.sd;
    // An error with no modelled spread at all carries no information about the widening.
    history.push({
      end: point.end,
      log: logRatio(point.actual, point.mean),
      z2: scale > 0 ? ((point.actual - forecast) / scale) ** 2 : null
    });
  }
  const final = stateAt(Number.MAX_SAFE_INTEGER);
  const totalActual = record.reduce((s, r) => s + r.actual, 0);
  const absError = record.reduce((s, r) => s + Math.abs(r.forecast - r.actual), 0);
  const error = record.reduce((s, r) => s + (r.forecast - r.actual), 0);
  return {
    factor: final.factor,
    widening: final.widening,
    rangeScale: final.rangeScale,
    periods: history.filter((h) => h.log !== null).length,
    record,
    wape: record.length > 0 && totalActual > 0 ? absError / totalActual : null,
    bias: record.length > 0 && totalActual > 0 ? error / totalActual : null,
    coverage: record.length > 0 ? record.filter((r) => r.covered).length / record.length : null,
    stateAt
  };
}
