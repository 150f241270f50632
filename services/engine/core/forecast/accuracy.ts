import { createRng } from '../random';
import { asOfSeed, runBacktest, type Backtest } from './backtest';
import {
  dayFromIso,
  isoFromDay,
  monthIndexOfDay,
  periodOfMonth,
  shiftPeriod,
  type Period,
  type PeriodType
} from './dates';
import { forecastKnown } from './forecast';
import { knownAt, wonBetween } from './known';
import { ForecastInputError, type ForecastOptions, type OpportunityHistory } from './types';

/**
 * The accuracy each forecast record carries (Backtest_WAPE__c, Backtest_Coverage__c), from
 * leak-free backtests run with it:
 *   - month and quarter: the rolling-origin backtest of the last whole months / quarters, as
 *     of the first day of each (backtest.ts);
 *   - year: a year forecast is read during the year, with part of it already booked, so its
 *     backtest stands on the first of each month of the last whole calendar year and forecasts
 *     that year (won so far + the rest), scored against what the year booked ("year to go").
 * When a period type cannot be backtested, the entry says why (`note`), and the record says so
 * in Method__c rather than borrowing another period type's accuracy.
 */
export interface AccuracyEntry {
  wape: number | null;
  coverage: number | null;
  source: 'backtest' | 'track record' | 'none';
  /** Origins scored. */
  periods: number;
  /** Why there is no accuracy (null when there is one). */
  note: string | null;
}

export type Accuracy = Partial<Record<PeriodType, AccuracyEntry>>;

export interface YearToGoRow {
  asOf: string;
  actual: number;
  forecast: number;
  p10: number;
  p90: number;
  covered: boolean;
}

export interface YearToGoBacktest {
  /** The year replayed, e.g. "2025"; null when no calendar year has ended by the as-of date. */
  year: string | null;
  rows: YearToGoRow[];
  wape: number | null;
  bias: number | null;
  coverage: number | null;
  note: string | null;
}

/** The last calendar year that ended on or before `asOf`. */
export function lastWholeYear(asOf: number): Period {
  return shiftPeriod(periodOfMonth('year', monthIndexOfDay(asOf)), -1);
}

/**
 * Standing on the first of each month of the last whole year that the model can be fitted at
 * (closed deals known before it), the forecast of that year vs what it booked.
 */
export function yearToGoBacktest(
  history: OpportunityHistory,
  request: { asOf: string; seed: number; options: ForecastOptions }
): YearToGoBacktest {
  const asOf = dayFromIso(request.asOf, 'asOf');
  const year = lastWholeYear(asOf);
  const known = knownAt(history, year.end);
  if (known.n === 0 || (known.observedFrom ?? Number.MAX_SAFE_INTEGER) >= year.end) {
    return empty(null, 'no year backtest: no deal closed before this year');
  }
  const actual = wonBetween(known, year.start, year.end);
  const rows: YearToGoRow[] = [];
  for (let m = 0; m < 12; m += 1) {
    const origin = shiftPeriod(periodOfMonth('month', monthIndexOfDay(year.start)), m).start;
    const k = knownAt(history, origin);
    let closed = 0;
    for (let i = 0; i < k.n && closed < request.options.minClosedDeals; i += 1)
      if ((k.close[i] as number) < origin) closed += 1;
    if (closed < request.options.minClosedDeals) continue;
    try {
      const f = forecastKnown(
        k,
        [year],
        request.options,
        createRng(asOfSeed(request.seed, `year:${isoFromDay(origin)}`)),
        ['Total']
      );
      const total = f.lines[0];
      if (!total) continue;
      rows.push({
        asOf: isoFromDay(origin),
        actual,
        forecast: total.expected,
        p10: total.p10,
        p90: total.p90,
        covered: actual >= total.p10 && actual <= total.p90
      });
    } catch (error) {
      // A month the model cannot be fitted at (no closes yet) is not an origin.
      if (error instanceof ForecastInputError) continue;
      throw error;
    }
  }
  if (rows.length === 0) {
    return empty(
      year.label,
      `no year backtest: under ${request.options.minClosedDeals} closed deals before ${year.label}'s months`
    );
  }
  const totalActual = rows.reduce((s, r) => s + r.actual, 0);
  return {
    year: year.label,
    rows,
    wape:
      totalActual > 0
        ? rows.reduce((s, r) => s + Math.abs(r.forecast - r.actual), 0) / totalActual
        : null,
    bias:
      totalActual > 0 ? rows.reduce((s, r) => s + r.forecast - r.actual, 0) / totalActual : null,
    coverage: rows.filter((r) => r.covered).length / rows.length,
    note: totalActual > 0 ? null : `no year backtest: ${year.label} booked nothing`
  };
}

function empty(year: string | null, note: string): YearToGoBacktest {
  return { year, rows: [], wape: null, bias: null, coverage: null, note };
}

/** The last `count` whole periods before the as-of date's own, for the accuracy backtest. */
export function backtestWindow(
  asOf: string,
  type: 'month' | 'quarter',
  count: number
): { from: string; to: string } | null {
  if (count <= 0) return null;
  const current = periodOfMonth(type, monthIndexOfDay(dayFromIso(asOf, 'asOf')));
  return {
    from: isoFromDay(shiftPeriod(current, -count).start),
    to: isoFromDay(shiftPeriod(current, -1).start)
  };
}

/**
 * The window without its leading periods the model cannot stand at (fewer closed deals known
 * at their first day than it needs): a young org is backtested on the periods it can be.
 */
function fittableWindow(
  history: OpportunityHistory,
  window: { from: string; to: string } | null,
  type: 'month' | 'quarter',
  minClosed: number
): { from: string; to: string } | null {
  if (!window) return null;
  const closes = history.opportunities
    .filter((row) => row.isClosed && row.closeDate !== null)
    .map((row) => row.closeDate as string)
    .sort();
  let period = periodOfMonth(type, monthIndexOfDay(dayFromIso(window.from, 'from')));
  const last = dayFromIso(window.to, 'to');
  for (; period.start <= last; period = shiftPeriod(period, 1)) {
    const origin = isoFromDay(period.start);
    // Deals closed before the origin (a close date before it implies creation before it).
    let known = 0;
    while (known < closes.length && (closes[known] as string) < origin) known += 1;
    if (known >= minClosed) return { from: origin, to: window.to };
  }
  return null;
}

export interface AccuracyRun {
  backtests: Partial<Record<'month' | 'quarter', Backtest>>;
  year: YearToGoBacktest | null;
  accuracy: Accuracy;
}

/**
 * The backtests behind the records' accuracy: `months` whole months and `quarters` whole
 * quarters before the as-of date (0 skips), and the year to go when years are forecast.
 */
export function accuracyBacktests(
  history: OpportunityHistory,
  request: {
    asOf: string;
    seed: number;
    options: ForecastOptions;
    months: number;
    quarters: number;
    years: boolean;
  }
): AccuracyRun {
  const backtests: AccuracyRun['backtests'] = {};
  const accuracy: Accuracy = {};
  for (const [type, count] of [
    ['month', request.months],
    ['quarter', request.quarters]
  ] as const) {
    const window = fittableWindow(
      history,
      backtestWindow(request.asOf, type, count),
      type,
      request.options.minClosedDeals
    );
    if (!window) {
      if (count > 0) accuracy[type] = none(`no ${type} backtest: too little history`);
      continue;
    }
    try {
      const bt = runBacktest(history, {
        period: type,
        ...window,
        seed: request.seed,
        leakageCheck: false,
        options: request.options
      });
      backtests[type] = bt;
      const model = bt.scores.find((s) => s.method === 'model');
      accuracy[type] =
        model && model.wape !== null
          ? {
              wape: model.wape,
              coverage: bt.coverage.rate,
              source: 'backtest',
              periods: bt.rows.length,
              note: null
            }
          : none(`no ${type} backtest: the last ${count} ${type}s booked nothing`);
    } catch (error) {
      if (!(error instanceof ForecastInputError)) throw error;
      accuracy[type] = none(`no ${type} backtest: too little history`);
    }
  }
  let year: YearToGoBacktest | null = null;
  if (request.years) {
    year = yearToGoBacktest(history, request);
    accuracy.year =
      year.wape !== null
        ? {
            wape: year.wape,
            coverage: year.coverage,
            source: 'backtest',
            periods: year.rows.length,
            note: null
          }
        : none(year.note ?? 'no year backtest');
  }
  return { backtests, year, accuracy };
}

function none(note: string): AccuracyEntry {
  return { wape: null, coverage: null, source: 'none', periods: 0, note };
}
