import { z } from 'zod';
import { createRng } from '../random';
import { BASELINES, baselineForecasts, type BaselineName } from './baselines';
import { dayFromIso, isoFromDay, periodContaining, shiftPeriod, type Period } from './dates';
import { forecastKnown, type Forecast } from './forecast';
import { knownAt, wonBetween } from './known';
import { firstDifference, scrambleAfter } from './leakage';
import {
  ForecastInputError,
  ForecastOptionsSchema,
  IsoDateSchema,
  type ForecastOptions,
  type OpportunityHistory
} from './types';

/**
 * Rolling-origin backtest: standing at the first day of each period from `from` to `to`, the
 * model and the baselines forecast that period's bookings from what was known then (the known
 * table of that day), and are scored against what was then booked.
 */
export const BacktestRequestSchema = z.object({
  period: z.enum(['month', 'quarter']).default('month'),
  from: IsoDateSchema,
  to: IsoDateSchema,
  seed: z.number().int().default(1),
  /** Run the leakage self-test at every as-of date (doubles the run time). */
  leakageCheck: z.boolean().default(true),
  options: ForecastOptionsSchema.partial().default({})
});

export type BacktestRequest = z.input<typeof BacktestRequestSchema>;

export type MethodName = 'model' | BaselineName;

export const METHODS: readonly MethodName[] = ['model', ...BASELINES];

export interface BacktestRow {
  period: string;
  asOf: string;
  actual: number;
  forecasts: Record<MethodName, number | null>;
  errors: Record<MethodName, number | null>;
  p10: number;
  p50: number;
  p90: number;
  covered: boolean;
  /** The model's own explanation of its forecast (see forecast.ts). */
  summary: string;
}

export interface MethodScore {
  method: MethodName;
  /** Sum |forecast - actual| / sum actual, over the periods the method could forecast. */
  wape: number | null;
  /** Sum (forecast - actual) / sum actual: positive means over-forecast. */
  bias: number | null;
  periods: number;
}

export interface LeakageResult {
  asOf: string;
  passed: boolean;
  scrambled: number;
  difference: string | null;
}

export interface Backtest {
  periodType: 'month' | 'quarter';
  from: string;
  to: string;
  seed: number;
  draws: number;
  rows: BacktestRow[];
  scores: MethodScore[];
  coverage: { covered: number; periods: number; rate: number | null };
  leakage: LeakageResult[];
}

/** The per-as-of generator: a seed per date, so any row can be replayed alone. */
export function asOfSeed(seed: number, asOf: string): string {
  return `${seed}:${asOf}`;
}

export function backtestPeriods(type: 'month' | 'quarter', from: string, to: string): Period[] {
  const first = periodContaining(type, dayFromIso(from, 'from'));
  const start = first.start === dayFromIso(from, 'from') ? first : shiftPeriod(first, 1);
  const last = dayFromIso(to, 'to');
  const out: Period[] = [];
  for (let p = start; p.start <= last; p = shiftPeriod(p, 1)) out.push(p);
  if (out.length === 0)
    throw new ForecastInputError(
      'from/to',
      `${from}..${to}`,
      `contains no first day of a ${type}: widen the range`
    );
  return out;
}

/** The model's forecast of one period standing at its first day, with the given seed. */
export function forecastPeriodAt(
  history: OpportunityHistory,
  period: Period,
  options: ForecastOptions,
  seed: number
): Forecast {
  const asOf = isoFromDay(period.start);
  return forecastKnown(
    knownAt(history, period.start),
    [period],
    options,
    createRng(asOfSeed(seed, asOf)),
    ['Total']
  );
}

export function leakageSelfTest(
  history: OpportunityHistory,
  period: Period,
  options: ForecastOptions,
  seed: number
): LeakageResult {
  const asOf = isoFromDay(period.start);
  const original = forecastPeriodAt(history, period, options, seed);
  const { history: scrambled, changed } = scrambleAfter(
    history,
    asOf,
    createRng(`scramble:${seed}:${asOf}`)
  );
  const again = forecastPeriodAt(scrambled, period, options, seed);
  const difference = firstDifference(original, again);
  return { asOf, passed: difference === null, scrambled: changed, difference };
}

export function runBacktest(history: OpportunityHistory, requestInput: BacktestRequest): Backtest {
  const request = BacktestRequestSchema.parse(requestInput);
  const options = ForecastOptionsSchema.parse(request.options);
  const periods = backtestPeriods(request.period, request.from, request.to);
  const rows: BacktestRow[] = [];
  const leakage: LeakageResult[] = [];
  for (const period of periods) {
    const asOf = isoFromDay(period.start);
    const known = knownAt(history, period.start);
    const model = forecastKnown(known, [period], options, createRng(asOfSeed(request.seed, asOf)), [
      'Total'
    ]);
    const total = model.lines[0];
    if (!total) throw new Error(`no total line for ${period.label}`);
    // The actual comes from what is known once the period is over, not from the as-of table.
    const actual = wonBetween(knownAt(history, period.end), period.start, period.end);
    const baselines = baselineForecasts(known, period, options.seasonLength);
    const forecasts = { model: total.expected, ...baselines } as Record<MethodName, number | null>;
    const errors = Object.fromEntries(
      METHODS.map((m) => [m, forecasts[m] === null ? null : (forecasts[m] as number) - actual])
    ) as Record<MethodName, number | null>;
    rows.push({
      period: period.label,
      asOf,
      actual,
      forecasts,
      errors,
      p10: total.p10,
      p50: total.p50,
      p90: total.p90,
      covered: actual >= total.p10 && actual <= total.p90,
      summary: model.explanations[0]?.summary ?? ''
    });
    if (request.leakageCheck) leakage.push(leakageSelfTest(history, period, options, request.seed));
  }
  const scores = METHODS.map((method) => score(method, rows));
  const covered = rows.filter((r) => r.covered).length;
  return {
    periodType: request.period,
    from: request.from,
    to: request.to,
    seed: request.seed,
    draws: options.draws,
    rows,
    scores,
    coverage: {
      covered,
      periods: rows.length,
      rate: rows.length > 0 ? covered / rows.length : null
    },
    leakage
  };
}

function score(method: MethodName, rows: BacktestRow[]): MethodScore {
  const usable = rows.filter((r) => r.forecasts[method] !== null);
  const actual = usable.reduce((s, r) => s + r.actual, 0);
  const abs = usable.reduce((s, r) => s + Math.abs(r.errors[method] as number), 0);
  const signed = usable.reduce((s, r) => s + (r.errors[method] as number), 0);
  return {
    method,
    wape: actual > 0 ? abs / actual : null,
    bias: actual > 0 ? signed / actual : null,
    periods: usable.length
  };
}
