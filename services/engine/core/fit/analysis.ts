import { InputError } from '../calendar/orgRecord';
import { normInv } from '../campaigns/normal';
import { chiSquareSf, wilsonInterval } from '../stats';

/**
 * Fit survey analysis: does the mid-process 1-10 fit score predict the outcome of a deal?
 *
 * - Win rate by score band, each with a Wilson 95 % interval.
 * - A logistic regression of won (1) / lost (0) on the score, fitted by Newton-Raphson
 *   (iteratively reweighted least squares): log-odds of winning = a + b x score. exp(b) is
 *   how much each extra point multiplies the odds of winning. Its interval is the Wald
 *   interval b +- 1.96 SE from the inverse information matrix; whether the score matters at
 *   all is a likelihood-ratio test against the model without it.
 * - When the scores separate wins from losses perfectly, the maximum-likelihood slope is
 *   infinite: the model says so (`separated`) instead of returning a meaningless number.
 */
export interface FitObservation {
  opportunityId: string;
  score: number;
  won: boolean;
}

export interface BandRate {
  band: string;
  low: number;
  high: number;
  deals: number;
  won: number;
  winRate: number;
  ciLow: number;
  ciHigh: number;
}

export const DEFAULT_BANDS: readonly [number, number][] = [
  [1, 3],
  [4, 5],
  [6, 7],
  [8, 10]
];

function checkScore(o: FitObservation, i: number): void {
  if (!(Number.isInteger(o.score) && o.score >= 1 && o.score <= 10)) throw new InputError(`observations[${i}](${o.opportunityId}).score`, o.score, 'a whole score from 1 to 10');
}

export function winRateByBand(observations: readonly FitObservation[], bands: readonly [number, number][] = DEFAULT_BANDS): BandRate[] {
  observations.forEach(checkScore);
  return bands.map(([low, high]) => {
    const inBand = observations.filter((o) => o.score >= low && o.score <= high);
    const won = inBand.filter((o) => o.won).length;
    const ci = wilsonInterval(won, inBand.length);
    return { band: low === high ? `${low}` : `${low}-${high}`, low, high, deals: inBand.length, won, winRate: inBand.length ? won / inBand.length : 0, ciLow: ci.low, ciHigh: ci.high };
  });
}

export interface FitModel {
  n: number;
  wins: number;
  intercept: number;
  slope: number;
  /** Covariance of (intercept, slope): [[v00, v01], [v01, v11]]. */
  covariance: [[number, number], [number, number]];
  slopeSe: number;
  slopeLow: number;
  slopeHigh: number;
  /** exp(slope): the factor on the odds of winning per extra point, with its interval. */
  oddsRatio: number;
  oddsRatioLow: number;
  oddsRatioHigh: number;
  /** Likelihood-ratio test of "the score predicts nothing". */
  lrStatistic: number;
  pValue: number;
  iterations: number;
  converged: boolean;
  /** Wins and losses are perfectly split by score: no finite slope exists. */
  separated: boolean;
  level: number;
}

const logistic = (eta: number) => 1 / (1 + Math.exp(-eta));

function logLikelihood(xs: readonly number[], ys: readonly number[], a: number, b: number): number {
  let ll = 0;
  for (let i = 0; i < xs.length; i += 1) {
    const eta = a + b * (xs[i] as number);
    // log(1 + e^eta) computed without overflow.
    const softplus = eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
    ll += (ys[i] as number) * eta - softplus;
  }
  return ll;
}

function isSeparated(xs: readonly number[], ys: readonly number[]): boolean {
  let maxLoss = -Infinity;
  let minWin = Infinity;
  let maxWin = -Infinity;
  let minLoss = Infinity;
  xs.forEach((x, i) => {
    if (ys[i]) {
      minWin = Math.min(minWin, x);
      maxWin = Math.max(maxWin, x);
    } else {
      maxLoss = Math.max(maxLoss, x);
      minLoss = Math.min(minLoss, x);
    }
  });
  return maxLoss < minWin || maxWin < minLoss;
}

/** Logistic regression of outcome on score by Newton-Raphson (IRLS). */
export function fitLogistic(observations: readonly FitObservation[], level = 0.95): FitModel {
  observations.forEach(checkScore);
  const xs = observations.map((o) => o.score);
  const ys = observations.map((o) => (o.won ? 1 : 0));
  const n = xs.length;
  const wins = ys.reduce<number>((a, b) => a + b, 0);
  if (wins === 0 || wins === n) throw new InputError('observations', `${wins} won of ${n}`, 'closed deals with both wins and losses');
  if (new Set(xs).size < 2) throw new InputError('observations.score', xs[0], 'at least two different scores');
  const z = normInv(1 - (1 - level) / 2);
  const pBar = wins / n;
  let a = Math.log(pBar / (1 - pBar));
  let b = 0;
  let iterations = 0;
  let converged = false;
  let cov: [[number, number], [number, number]] = [
    [0, 0],
    [0, 0]
  ];
  for (; iterations < 100; iterations += 1) {
    // Score vector and information matrix of the log-likelihood.
    let g0 = 0;
    let g1 = 0;
    let h00 = 0;
    let h01 = 0;
    let h11 = 0;
    for (let i = 0; i < n; i += 1) {
      const x = xs[i] as number;
      const p = logistic(a + b * x);
      const w = p * (1 - p);
      g0 += (ys[i] as number) - p;
      g1 += ((ys[i] as number) - p) * x;
      h00 += w;
      h01 += w * x;
      h11 += w * x * x;
    }
    const det = h00 * h11 - h01 * h01;
    cov = [
      [h11 / det, -h01 / det],
      [-h01 / det, h00 / det]
    ];
    const da = cov[0][0] * g0 + cov[0][1] * g1;
    const db = cov[1][0] * g0 + cov[1][1] * g1;
    a += da;
    b += db;
    if (Math.abs(da) < 1e-10 && Math.abs(db) < 1e-10) {
      converged = true;
      iterations += 1;
      break;
    }
    if (!Number.isFinite(a) || !Number.isFinite(b) || Math.abs(b) > 50) break;
  }
  const separated = isSeparated(xs, ys);
  const slopeSe = Math.sqrt(cov[1][1]);
  const lrStatistic = Math.max(0, 2 * (logLikelihood(xs, ys, a, b) - logLikelihood(xs, ys, Math.log(pBar / (1 - pBar)), 0)));
  return {
    n,
    wins,
    intercept: a,
    slope: b,
    covariance: cov,
    slopeSe,
    slopeLow: b - z * slopeSe,
    slopeHigh: b + z * slopeSe,
    oddsRatio: Math.exp(b),
    oddsRatioLow: Math.exp(b - z * slopeSe),
    oddsRatioHigh: Math.exp(b + z * slopeSe),
    lrStatistic,
    pValue: separated ? 0 : chiSquareSf(lrStatistic, 1),
    iterations,
    converged: converged && !separated,
    separated,
    level
  };
}

/** Predicted win probability at a score, with its interval (delta method on the log-odds). */
export function predictWin(model: FitModel, score: number): { p: number; low: number; high: number } {
  const eta = model.intercept + model.slope * score;
  const [[v00, v01], [, v11]] = model.covariance;
  const se = Math.sqrt(Math.max(0, v00 + 2 * score * v01 + score * score * v11));
  const z = normInv(1 - (1 - model.level) / 2);
  return { p: logistic(eta), low: logistic(eta - z * se), high: logistic(eta + z * se) };
}

/** The model in plain words, for the console and the report. */
export function explainModel(model: FitModel): string {
  if (model.separated) return 'Every won deal scored higher than every lost deal (or the reverse): the score separates outcomes perfectly in this data, so no reliable odds can be estimated yet. Collect more surveys before dropping deals on the score.';
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const lo = predictWin(model, 3);
  const hi = predictWin(model, 8);
  const significance =
    model.pValue < 0.05
      ? `The score predicts the outcome (likelihood-ratio test p = ${model.pValue < 0.001 ? '< 0.001' : model.pValue.toFixed(3)}).`
      : `In this data the score does not clearly predict the outcome (p = ${model.pValue.toFixed(2)}): do not drop deals on it yet.`;
  return `From ${model.n} closed deals (${model.wins} won): each extra point of fit multiplies the odds of winning by ${model.oddsRatio.toFixed(2)} (95% interval ${model.oddsRatioLow.toFixed(2)} to ${model.oddsRatioHigh.toFixed(2)}). A deal scored 3 wins about ${pct(lo.p)} of the time (${pct(lo.low)}-${pct(lo.high)}); scored 8, about ${pct(hi.p)} (${pct(hi.low)}-${pct(hi.high)}). ${significance}`;
}
