import type { Rng } from '../random';
import { calibrate, NEUTRAL, type Calibration, type TrackPoint } from './calibration';
import {
  dayFromIso,
  isoFromDay,
  monthIndexOfDay,
  periodOfMonth,
  phaseOfMonth,
  shiftPeriod,
  type Day,
  type Period,
  type PeriodType
} from './dates';
import { knownAt, lowerBound, OPEN, stageAt, wonBetween, type KnownDeals } from './known';
import {
  analyticMoments,
  drawFactors,
  emptyAccumulator,
  fastRandom,
  finishSeries,
  quantiles,
  simulateSeries,
  type FactorModel,
  type SeriesAccumulator
} from './montecarlo';
import {
  expectAt,
  fitAt,
  fitMany,
  prepareContext,
  type Context,
  type Expectations,
  type Fit
} from './structural';
import {
  ForecastOptionsSchema,
  type Dimension,
  type ForecastOptions,
  type ForecastOptionsInput,
  type OpportunityHistory
} from './types';

export const METHOD = 'asl-survival-eb/1';

export interface ForecastPeriod {
  type: PeriodType;
  label: string;
  start: string;
  /** Exclusive. */
  end: string;
}

export interface ForecastLine {
  dimension: Dimension;
  value: string;
  periodType: PeriodType;
  period: string;
  periodStart: string;
  closedToDate: number;
  expected: number;
  p10: number;
  p50: number;
  p90: number;
}

export interface BucketRow {
  bucket: string;
  deals: number;
  /** Sum of the deals' values (known amount, else the expected won value of their product). */
  pipeline: number;
  expected: number;
}

/** Why the total of one period is what it is, in parts a manager can check. */
export interface PeriodExplanation {
  period: ForecastPeriod;
  closedToDate: number;
  openPipeline: {
    deals: number;
    pipeline: number;
    expected: number;
    byAgeBand: BucketRow[];
    byStage: BucketRow[];
  };
  newPipeline: {
    arrivalsPerDay: number;
    windowDays: number;
    expectedWonDeals: number;
    expected: number;
  };
  seasonality: { phase: string | null; factor: number };
  /** How fast each segment's deals close against the average deal (1: as fast); empty with one segment. */
  segmentSpeed: Array<{ segment: string; speed: number }>;
  calibration: { factor: number; widening: number; periods: number };
  expected: number;
  p10: number;
  p50: number;
  p90: number;
  summary: string;
}

export interface Forecast {
  method: string;
  asOf: string;
  draws: number;
  options: ForecastOptions;
  periods: ForecastPeriod[];
  lines: ForecastLine[];
  explanations: PeriodExplanation[];
  /** Track record and calibration state per period type forecast. */
  calibration: Partial<Record<PeriodType, CalibrationReport>>;
  data: {
    deals: number;
    openDeals: number;
    closedDeals: number;
    observedFrom: string | null;
    snapshot: string;
  };
}

export type CalibrationReport = Omit<Calibration, 'stateAt'>;

export interface ForecastRequest {
  asOf: string;
  rng: Rng;
  options?: ForecastOptionsInput;
  dimensions?: readonly Dimension[];
}

const ALL_DIMENSIONS: readonly Dimension[] = ['Total', 'Rep', 'Team', 'Product'];

/** The periods a forecast run covers: current and next months, quarters and years. */
export function horizonPeriods(asOf: Day, horizon: ForecastOptions['horizon']): Period[] {
  const out: Period[] = [];
  const month = monthIndexOfDay(asOf);
  const add = (type: PeriodType, count: number): void => {
    for (let i = 0; i < count; i += 1) out.push(shiftPeriod(periodOfMonth(type, month), i));
  };
  add('month', horizon.months);
  add('quarter', horizon.quarters);
  add('year', horizon.years);
  return out;
}

/** Forecast from a full history: reads only what was known at `asOf` (see known.ts). */
export function forecast(history: OpportunityHistory, request: ForecastRequest): Forecast {
  const options = ForecastOptionsSchema.parse(request.options ?? {});
  const asOf = dayFromIso(request.asOf, 'asOf');
  const k = knownAt(history, asOf);
  return forecastKnown(
    k,
    horizonPeriods(asOf, options.horizon),
    options,
    request.rng,
    request.dimensions ?? ALL_DIMENSIONS
  );
}

function closedBefore(k: KnownDeals, day: Day): number {
  return lowerBound(k.closedByDay, k.close, day);
}

function factorModel(fit: Fit): FactorModel {
  return {
    bucketVariance: fit.groupVariance,
    hazardVariance: 1 / Math.max(1, fit.hazards.events),
    arrivalVariance: 1 / (fit.arrivals.count + 0.5)
  };
}

/** Adds every deal's and combo's moments for one period into series accumulators. */
function addPeriod(
  exp: Expectations,
  p: number,
  target: (deal: number) => SeriesAccumulator | null
): void {
  const np = exp.periods;
  for (let j = 0; j < exp.open.length; j += 1) {
    const win = exp.openWin[j * np + p] as number;
    if (win <= 0) continue;
    const m = target(exp.open[j] as number);
    if (!m) continue;
    const v = exp.openValue[j] as number;
    const g = exp.openGroup[j] as number;
    m.aOpen[g] = (m.aOpen[g] as number) + win * v;
    m.b += win * (v * v + (exp.openValueVar[j] as number));
    m.c += win * win * v * v;
  }
  for (let j = 0; j < exp.newDeal.length; j += 1) {
    const wins = exp.newWins[j * np + p] as number;
    if (wins <= 0) continue;
    const m = target(exp.newDeal[j] as number);
    if (!m) continue;
    const v = exp.newValue[j] as number;
    const g = exp.newGroup[j] as number;
    // New deals arrive as a Poisson stream: variance p (v^2 + tau^2), no p^2 term.
    m.aNew[g] = (m.aNew[g] as number) + wins * v;
    m.b += wins * (v * v + (exp.newValueVar[j] as number));
  }
}

/** The past periods of one type the calibration replays: started after the export's first close, ended by asOf. */
export function trackPeriods(ctx: Context, type: PeriodType, count: number): Period[] {
  const { k, options } = ctx;
  const out: Period[] = [];
  const current = periodOfMonth(type, monthIndexOfDay(k.asOf));
  for (let j = count; j >= 1; j -= 1) {
    const period = shiftPeriod(current, -j);
    if (k.observedFrom === null || period.start <= k.observedFrom || period.end > k.asOf) continue;
    if (closedBefore(k, period.start) < options.minClosedDeals) continue;
    out.push(period);
  }
  return out;
}

/**
 * The model's forecasts of past periods, each made standing at the period's first day with
 * what was known then (the same table, read as of that day; fits from fitMany).
 */
export function trackPoints(
  ctx: Context,
  periods: readonly Period[],
  fits: Map<Day, Fit>
): TrackPoint[] {
  const byOrigin = new Map<Day, Period[]>();
  for (const period of periods)
    byOrigin.set(period.start, [...(byOrigin.get(period.start) ?? []), period]);
  const points = new Map<Period, TrackPoint>();
  for (const [origin, group] of byOrigin) {
    const fit = fits.get(origin) ?? fitAt(ctx, origin);
    const exp = expectAt(ctx, fit, group, false);
    const fm = factorModel(fit);
    group.forEach((period, p) => {
      const total = emptyAccumulator(fm.bucketVariance.length);
      addPeriod(exp, p, () => total);
      const { mean, variance } = analyticMoments(finishSeries(total, fm), fm);
      points.set(period, {
        label: period.label,
        origin: period.start,
        end: period.end,
        actual: wonBetween(ctx.k, period.start, period.end),
        mean,
        sd: Math.sqrt(variance)
      });
    });
  }
  return periods.map((period) => points.get(period) as TrackPoint);
}

/** Months calibrate from nothing, quarters on their own record, years from the quarters'. */
export function calibrationsFor(
  ctx: Context,
  types: readonly PeriodType[],
  extraOrigins: readonly Day[] = []
): { calibrations: Partial<Record<PeriodType, Calibration>>; fits: Map<Day, Fit> } {
  const counts = ctx.options.calibrationPeriods;
  const wantQuarter = types.includes('quarter') || types.includes('year');
  const months = trackPeriods(ctx, 'month', counts.month);
  const quarters = wantQuarter ? trackPeriods(ctx, 'quarter', counts.quarter) : [];
  const years = types.includes('year') ? trackPeriods(ctx, 'year', counts.year) : [];
  const fits = fitMany(
    ctx,
    [...months, ...quarters, ...years].map((p) => p.start).concat(extraOrigins)
  );
  const month = calibrate(trackPoints(ctx, months, fits), NEUTRAL);
  const calibrations: Partial<Record<PeriodType, Calibration>> = { month };
  if (wantQuarter) calibrations.quarter = calibrate(trackPoints(ctx, quarters, fits), NEUTRAL);
  if (types.includes('year'))
    calibrations.year = calibrate(
      trackPoints(ctx, years, fits),
      (calibrations.quarter as Calibration).stateAt
    );
  return { calibrations, fits };
}

export function reportOf(calibration: Calibration): CalibrationReport {
  const { stateAt: _stateAt, ...report } = calibration;
  return report;
}

interface SeriesSlot {
  dimension: Dimension;
  value: string;
  period: number;
  moments: SeriesAccumulator;
  closedToDate: number;
}

export function forecastKnown(
  k: KnownDeals,
  periods: Period[],
  options: ForecastOptions,
  rng: Rng,
  dimensions: readonly Dimension[]
): Forecast {
  const ctx = prepareContext(k, options);
  const { calibrations, fits } = calibrationsFor(
    ctx,
    [...new Set(periods.map((p) => p.type))],
    [k.asOf]
  );
  const fit = fits.get(k.asOf) as Fit;
  const spans = periods.map((p) => ({ start: Math.max(p.start, k.asOf), end: p.end }));
  const exp = expectAt(ctx, fit, spans);
  const fm = factorModel(fit);
  const G = fm.bucketVariance.length;

  // Series: one per dimension value and period, laid out dimension by dimension.
  const dims = dimensions.filter(
    (d) => d === 'Total' || k.dict[dimensionKey(d)].some((name) => name !== '(none)')
  );
  const slots: SeriesSlot[] = [];
  const codeOf = (dimension: Dimension, deal: number): number =>
    dimension === 'Total' ? 0 : (k[dimensionKey(dimension)][deal] as number);
  periods.forEach((period, p) => {
    for (const dimension of dims) {
      // Slots are created on first use, so a rep with nothing in a period has no line.
      const byCode: (SeriesSlot | undefined)[] = [];
      const slotOf = (code: number): SeriesSlot => {
        let slot = byCode[code];
        if (!slot) {
          const value =
            dimension === 'Total' ? 'Total' : (k.dict[dimensionKey(dimension)][code] as string);
          slot = { dimension, value, period: p, moments: emptyAccumulator(G), closedToDate: 0 };
          byCode[code] = slot;
          slots.push(slot);
        }
        return slot;
      };
      if (dimension === 'Total') slotOf(0);
      addPeriod(exp, p, (deal) => slotOf(codeOf(dimension, deal)).moments);
      for (
        let j = lowerBound(k.closedByDay, k.close, period.start);
        j < k.closedByDay.length;
        j += 1
      ) {
        const i = k.closedByDay[j] as number;
        if ((k.close[i] as number) >= period.end) break;
        if (!k.won[i]) continue;
        const amount = k.closedAmount[i] as number;
        if (!Number.isNaN(amount)) slotOf(codeOf(dimension, i)).closedToDate += amount;
      }
    }
  });

  const random = fastRandom(rng);
  const factors = drawFactors(fm, options.draws, random);
  const buffer = new Float64Array(options.draws);
  const normals = new Float64Array(options.draws);
  random.fillNormal(normals);
  const lines: ForecastLine[] = slots.map((slot) => {
    const period = periods[slot.period] as Period;
    const { factor, rangeScale: widening } = calibrations[period.type] as Calibration;
    const moments = finishSeries(slot.moments, fm);
    simulateSeries(moments, factors, normals, buffer);
    const [q10, q50, q90] = quantiles(buffer, [0.1, 0.5, 0.9]) as [number, number, number];
    const { mean } = analyticMoments(moments, fm);
    const ctd = slot.closedToDate;
    return {
      dimension: slot.dimension,
      value: slot.value,
      periodType: period.type,
      period: period.label,
      periodStart: isoFromDay(period.start),
      closedToDate: ctd,
      expected: ctd + factor * mean,
      p10: ctd + factor * Math.max(0, q50 - widening * (q50 - q10)),
      p50: ctd + factor * q50,
      p90: ctd + factor * (q50 + widening * (q90 - q50))
    };
  });
  const explanations = periods.map((period, p) =>
    explain(ctx, fit, exp, period, p, lines, calibrations[period.type] as Calibration)
  );
  let openDeals = 0;
  let closedDeals = 0;
  for (let i = 0; i < k.n; i += 1) {
    if ((k.close[i] as number) === OPEN) openDeals += 1;
    else closedDeals += 1;
  }
  return {
    method: METHOD,
    asOf: isoFromDay(k.asOf),
    draws: options.draws,
    options,
    periods: periods.map(toForecastPeriod),
    lines,
    explanations,
    calibration: Object.fromEntries(
      Object.entries(calibrations)
        .filter(([type]) => periods.some((p) => p.type === type))
        .map(([type, c]) => [type, reportOf(c as Calibration)])
    ),
    data: {
      deals: k.n,
      openDeals,
      closedDeals,
      observedFrom: k.observedFrom === null ? null : isoFromDay(k.observedFrom),
      snapshot: isoFromDay(k.snapshot)
    }
  };
}

function dimensionKey(
  dimension: Exclude<Dimension, 'Total'> | Dimension
): 'rep' | 'team' | 'product' {
  if (dimension === 'Rep') return 'rep';
  if (dimension === 'Team') return 'team';
  return 'product';
}

export function toForecastPeriod(period: Period): ForecastPeriod {
  return {
    type: period.type,
    label: period.label,
    start: isoFromDay(period.start),
    end: isoFromDay(period.end)
  };
}

function phaseName(period: Period, seasonLength: number): string | null {
  if (period.type !== 'month' || seasonLength === 1) return null;
  const phase = phaseOfMonth(period.month, seasonLength) + 1;
  return seasonLength === 3 ? `month ${phase} of the quarter` : `month ${phase} of the year`;
}

function explain(
  ctx: Context,
  fit: Fit,
  exp: Expectations,
  period: Period,
  p: number,
  lines: ForecastLine[],
  calibration: Calibration
): PeriodExplanation {
  const { k, bands } = ctx;
  const np = exp.periods;
  const { factor, rangeScale: widening, periods: months } = calibration;
  const byBand = new Map<number, BucketRow>();
  const byStage = new Map<number, BucketRow>();
  let openExpected = 0;
  let pipeline = 0;
  exp.open.forEach((i, j) => {
    const value = exp.openValue[j] as number;
    const expected = factor * (exp.openWin[j * np + p] as number) * value;
    openExpected += expected;
    pipeline += value;
    const band = bands.bandOfAge(k.asOf - (k.created[i] as number));
    const stage = stageAt(k, i, k.asOf);
    for (const [map, key, label] of [
      [byBand, band, bands.label(band)],
      [byStage, stage, k.dict.stage[stage] as string]
    ] as const) {
      const row = map.get(key) ?? { bucket: label, deals: 0, pipeline: 0, expected: 0 };
      row.deals += 1;
      row.pipeline += value;
      row.expected += expected;
      map.set(key, row);
    }
  });
  let newExpected = 0;
  let newWins = 0;
  exp.newDeal.forEach((_, j) => {
    newWins += exp.newWins[j * np + p] as number;
    newExpected += factor * (exp.newWins[j * np + p] as number) * (exp.newValue[j] as number);
  });
  const total = lines.find(
    (line) => line.dimension === 'Total' && line.period === period.label
  ) as ForecastLine;
  const seasonalFactor =
    (exp.seasonal.withoutPhase[p] as number) > 0
      ? (exp.seasonal.withPhase[p] as number) / (exp.seasonal.withoutPhase[p] as number)
      : 1;
  const phase = phaseName(period, ctx.options.seasonLength);
  const money = (x: number): string => Math.round(x).toLocaleString('en-US');
  const segmentSpeed =
    fit.speed.speed.length > 1
      ? Array.from(fit.speed.speed, (speed, code) => ({
          segment: k.dict.segment[code] ?? String(code),
          speed
        }))
      : [];
  const speeds = segmentSpeed.filter((row) => Math.abs(row.speed - 1) >= 0.05);
  const summary = [
    `${period.label}: expected ${money(total.expected)} (80% range ${money(total.p10)} to ${money(total.p90)}).`,
    `Already won: ${money(total.closedToDate)}.`,
    `Open pipeline: ${exp.open.length.toLocaleString('en-US')} deals worth ${money(pipeline)}, expected to bring ${money(openExpected)}.`,
    `Deals not yet created: about ${fit.arrivals.perDay.toFixed(1)} a day arrive; ${newWins.toFixed(1)} expected to be won in the period, ${money(newExpected)}.`,
    phase
      ? `Season: ${phase} closes ${seasonalFactor.toFixed(2)}x what an average month's rates give.`
      : `Season: the month-of-cycle pushes make this period ${seasonalFactor.toFixed(2)}x what average months would give.`,
    ...(speeds.length > 0
      ? [
          `Pace by segment (closes against the average deal): ${speeds.map((row) => `${row.segment} ${row.speed.toFixed(2)}x`).join(', ')}.`
        ]
      : []),
    months > 0
      ? `Track record: over the last ${months} ${period.type}s the model ran ${factor < 1 ? `${((1 / factor - 1) * 100).toFixed(0)}% high` : `${((factor - 1) * 100).toFixed(0)}% low`}, so it is scaled by ${factor.toFixed(2)}; ranges are ${widening.toFixed(2)}x the model's own spread to match past errors.`
      : factor !== 1 || widening !== 1
        ? `Track record: none of its own yet, so it borrows the shorter periods' correction: scaled by ${factor.toFixed(2)}, ranges ${widening.toFixed(2)}x the model's own spread.`
        : "Track record: none yet, so no level correction and ranges are the model's own spread."
  ].join(' ');
  return {
    period: toForecastPeriod(period),
    closedToDate: total.closedToDate,
    openPipeline: {
      deals: exp.open.length,
      pipeline,
      expected: openExpected,
      byAgeBand: [...byBand.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row),
      byStage: k.useStages
        ? [...byStage.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row)
        : []
    },
    newPipeline: {
      arrivalsPerDay: fit.arrivals.perDay,
      windowDays: fit.arrivals.windowDays,
      expectedWonDeals: newWins,
      expected: newExpected
    },
    seasonality: { phase, factor: seasonalFactor },
    segmentSpeed,
    calibration: { factor, widening, periods: months },
    expected: total.expected,
    p10: total.p10,
    p50: total.p50,
    p90: total.p90,
    summary
  };
}
