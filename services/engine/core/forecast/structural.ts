import { amountAt, lowerBound, openAt, stageAt, stageEnteredAt, type KnownDeals } from './known';
import { dwellSlotOf } from './dwell';
import { monthIndexOfDay, phaseTable, type Day } from './dates';
import {
  buildLexis,
  cohortCurve,
  cohortFrailty,
  curveTables,
  segmentSpeed,
  fitHazards,
  makeAgeBands,
  type AgeBands,
  type CurveTables,
  type HazardModel,
  type Horizon,
  type Lexis
} from './survival';
import type { ForecastOptions } from './types';
import { ClosedSweep } from './sweep';
import { fitValuesFromSums, type ValueFit } from './values';
import {
  buildWinTree,
  fitWinTreeFromLeaves,
  logOddsRatio,
  topMultiplierVariance,
  type WinTree,
  type WinTreeFit
} from './winTree';

/**
 * The structural model at one origin: for every deal open then, the probability that it
 * closes won inside each period (survival x win share x bucket effect) and its value; for
 * the pipeline not yet created, the expected won deals per period from the arrival rate,
 * their mix and the same curves started on each future day.
 */
export interface Context {
  k: KnownDeals;
  options: ForecastOptions;
  bands: AgeBands;
  lexis: Lexis;
  tree: WinTree;
  /**
   * What the per-deal loops read, interleaved so one deal is one cache line:
   * [created, product, leaf, uncertainty group, stage-history rows].
   */
  deals: Int32Array;
}

export const DEAL_STRIDE = 5;

export function prepareContext(k: KnownDeals, options: ForecastOptions): Context {
  const bands = makeAgeBands(options.ageBandsDays);
  const tree = buildWinTree(k, options.treeLevels);
  const deals = new Int32Array(k.n * DEAL_STRIDE);
  for (let i = 0; i < k.n; i += 1) {
    const leaf = tree.leafOfDeal[i] as number;
    const top = tree.topOfNode[leaf] as number;
    deals[i * DEAL_STRIDE] = k.created[i] as number;
    deals[i * DEAL_STRIDE + 1] = k.product[i] as number;
    deals[i * DEAL_STRIDE + 2] = leaf;
    deals[i * DEAL_STRIDE + 3] = top >= 0 ? (tree.topIndex.get(top) as number) : 0;
    deals[i * DEAL_STRIDE + 4] =
      (k.history.offsets[i + 1] as number) - (k.history.offsets[i] as number);
  }
  const dwellBands =
    options.dwellBandsDays.length > 0 ? makeAgeBands(options.dwellBandsDays) : null;
  const lexis = buildLexis(
    k,
    bands,
    options.seasonLength,
    options.phasesPerMonth,
    dwellBands,
    options.segmentClocks
  );
  return { k, options, bands, lexis, tree, deals };
}

export interface Fit {
  origin: Day;
  hazards: HazardModel;
  tree: WinTreeFit;
  values: ValueFit;
  arrivals: Arrivals;
  /** Hazard multiplier per creation-month cohort (1 when cohorts do not differ). */
  frailty: { firstMonth: number; frailty: Float64Array; cv2: number };
  /** Close and move rate multiplier per segment (code of dict.segment; 1 when segments do not differ). */
  speed: { speed: Float64Array; cv2: number };
  /** Variance of each depth-1 bucket's close-rate multiplier (model uncertainty). */
  groupVariance: Float64Array;
}

export const MAX_ARRIVAL_SAMPLE = 10_000;

export interface Arrivals {
  perDay: number;
  windowDays: number;
  count: number;
  stage: number;
  /** Deals created in the window (indices into the known table), thinned to at most
   * MAX_ARRIVAL_SAMPLE: the mix of new deals. */
  sample: Int32Array;
}

/** Values are decayed with a one-year half-life: prices drift slower than close rates. */
export const VALUE_HALF_LIFE_DAYS = 365;

export function fitAt(ctx: Context, origin: Day): Fit {
  return fitMany(ctx, [origin]).get(origin) as Fit;
}

/**
 * Fits the model at several origins (each from what was known then), sharing one pass over
 * the closed deals (see sweep.ts). Fits are independent of the order origins are given in.
 */
export function fitMany(ctx: Context, origins: readonly Day[]): Map<Day, Fit> {
  const sorted = [...new Set(origins)].sort((a, b) => a - b);
  const sweep = new ClosedSweep(ctx.k, ctx.tree, ctx.options.halfLifeDays, VALUE_HALF_LIFE_DAYS);
  const out = new Map<Day, Fit>();
  for (const origin of sorted) {
    sweep.advanceTo(origin);
    out.set(origin, fitWith(ctx, origin, sweep));
  }
  return out;
}

function fitWith(ctx: Context, origin: Day, sweep: ClosedSweep): Fit {
  const { k, options } = ctx;
  const hazards = fitHazards(ctx.lexis, origin, options.halfLifeDays);
  const sums = sweep.treeSums();
  const tree = fitWinTreeFromLeaves(ctx.tree, sums.closed, sums.wins, sums.closed2);
  const valueSums = sweep.valueSums();
  const values = fitValuesFromSums(k, valueSums.w, valueSums.sx, valueSums.sxx);
  const groups = Math.max(1, ctx.tree.topIndex.size);
  const groupVariance = new Float64Array(groups);
  if (ctx.tree.topIndex.size === 0) groupVariance[0] = topMultiplierVariance(ctx.tree, tree, -1);
  for (const [node, g] of ctx.tree.topIndex)
    groupVariance[g] = topMultiplierVariance(ctx.tree, tree, node);
  const frailty = options.cohortFrailty
    ? cohortFrailty(ctx.lexis, hazards, origin)
    : {
        firstMonth: ctx.lexis.cohortFirstMonth,
        frailty: new Float64Array(ctx.lexis.cohorts).fill(1),
        cv2: 0
      };
  const speed = options.segmentSpeed
    ? segmentSpeed(ctx.lexis, hazards, origin)
    : { speed: new Float64Array(ctx.lexis.segments).fill(1), cv2: 0 };
  return {
    origin,
    hazards,
    tree,
    values,
    arrivals: measureArrivals(ctx, origin),
    groupVariance,
    frailty,
    speed
  };
}

/**
 * Arrivals are counted only after the export's first close: before it, deals that were
 * created and closed early are missing from the export, so counts there run low.
 */
function measureArrivals(ctx: Context, origin: Day): Arrivals {
  const { k, options } = ctx;
  const windowStart = Math.max(origin - options.arrivalWindowDays, k.observedFrom ?? origin);
  const windowDays = Math.max(1, origin - windowStart);
  const sample: number[] = [];
  const stageCounts = new Map<number, number>();
  const end = lowerBound(k.byCreated, k.created, origin);
  for (let j = lowerBound(k.byCreated, k.created, windowStart); j < end; j += 1) {
    const i = k.byCreated[j] as number;
    sample.push(i);
    if (!k.useStages) continue;
    const stage = stageAt(k, i, Math.min((k.created[i] as number) + 1, origin));
    stageCounts.set(stage, (stageCounts.get(stage) ?? 0) + 1);
  }
  let stage = 0;
  let best = -1;
  for (const [s, c] of [...stageCounts].sort((a, b) => a[0] - b[0])) {
    if (c > best) {
      best = c;
      stage = s;
    }
  }
  // The mix of new deals is what the window's deals look like. Past 10,000 deals, an evenly
  // spaced (deterministic) tenth or so describes it as well and keeps large orgs fast.
  const stride = Math.max(1, Math.ceil(sample.length / MAX_ARRIVAL_SAMPLE));
  const kept = stride === 1 ? sample : sample.filter((_, j) => j % stride === 0);
  return {
    perDay: sample.length / windowDays,
    windowDays,
    count: sample.length,
    stage,
    sample: Int32Array.from(kept).sort()
  };
}

export function makeHorizon(
  ctx: Context,
  origin: Day,
  periods: { start: Day; end: Day }[]
): Horizon {
  const to = Math.max(origin + 1, ...periods.map((p) => p.end));
  const { seasonLength, phasesPerMonth } = ctx.options;
  return { from: origin, to, phase: phaseTable(origin, to, seasonLength, phasesPerMonth), periods };
}

/** Per-deal inputs of the Monte Carlo: probability of winning in each period, and value. */
export interface Expectations {
  periods: number;
  /** Open deals at the origin (indices into the known table). */
  open: Int32Array;
  /** [deal][period] probability of closing won inside the period. */
  openWin: Float64Array;
  openValue: Float64Array;
  openValueVar: Float64Array;
  openGroup: Int32Array;
  /** New-pipeline combos: one per deal of the arrival sample, weighted 1/count. */
  newDeal: Int32Array;
  /** [combo][period] expected won deals of this combo in the period. */
  newWins: Float64Array;
  newValue: Float64Array;
  newValueVar: Float64Array;
  newGroup: Int32Array;
  /** Expected won value per period with and without the calendar phase (seasonality). */
  seasonal: { withPhase: Float64Array; withoutPhase: Float64Array };
}

/**
 * `seasonal` false leaves out what only the explanation reads (the phase-free curves behind
 * `seasonal.withoutPhase`, then all zero): the calibration replays skip that half of the work.
 */
export function expectAt(
  ctx: Context,
  fit: Fit,
  periods: { start: Day; end: Day }[],
  seasonal = true
): Expectations {
  const { k } = ctx;
  const origin = fit.origin;
  const horizon = makeHorizon(ctx, origin, periods);
  const np = periods.length;
  // Ascending deal index: the columns are then read in memory order.
  const open = openAt(k, origin);
  const strata = ctx.lexis.strata;
  const stages = k.dict.stage.length * strata;
  const openWin = new Float64Array(open.length * np);
  const openValue = new Float64Array(open.length);
  const openValueVar = new Float64Array(open.length);
  const openGroup = new Int32Array(open.length);
  const withPhase = new Float64Array(np);
  const withoutPhase = new Float64Array(np);
  // Bucket effects (odds ratios) per tree node, computed on first use (deals share leaves).
  const ratioCache = new Float64Array(ctx.tree.nodeCount);
  const entryTop = ctx.tree.levels[0] === 'entryStage' && k.useStages;
  const ratioOf = (node: number): number => {
    let ratio = ratioCache[node] as number;
    if (ratio === 0) {
      // Under an entry-stage top level, a bucket's effect is taken within its entry stage: the
      // stage moves already give a deal its entry stage's odds, and counting them again would
      // double them.
      const top = ctx.tree.topOfNode[node] as number;
      const within = entryTop && top >= 0 ? logOddsRatio(fit.tree, top) : 0;
      ratio = Math.exp(logOddsRatio(fit.tree, node) - within);
      ratioCache[node] = ratio;
    }
    return ratio;
  };
  // Cohort curves (stage x creation day), each computed once, with and without the season.
  const D = ctx.deals;
  let minCreated = origin;
  for (let j = 0; j < open.length; j += 1)
    minCreated = Math.min(minCreated, D[(open[j] as number) * DEAL_STRIDE] as number);
  // With the stage clock, deals of one cohort are told apart by their days in the stage too.
  const dwellSlots = fit.hazards.dwell?.slots ?? 1;
  const segments = fit.speed.speed.length;
  const slotOf = new Int32Array((origin - minCreated + 1) * stages * dwellSlots * segments).fill(
    -1
  );
  let pool = new Float64Array(Math.max(16, 4 * np * 64));
  let slots = 0;
  const tablesByCohort = new Map<number, [CurveTables, CurveTables]>();
  const curve = new Float64Array(2 * np);
  const flat = new Float64Array(2 * np);
  const cohortSlot = (stage: number, created: Day, dwell: number, segment: number): number => {
    const key =
      (((created - minCreated) * stages + stage) * dwellSlots + dwell) * segments + segment;
    let slot = slotOf[key] as number;
    if (slot >= 0) return slot;
    const month = monthIndexOfDay(created);
    const tablesKey = month * segments + segment;
    let tables = tablesByCohort.get(tablesKey);
    if (!tables) {
      const theta =
        (fit.frailty.frailty[month - fit.frailty.firstMonth] ?? 1) *
        (fit.speed.speed[segment] ?? 1);
      tables = [
        curveTables(fit.hazards, theta, false),
        seasonal ? curveTables(fit.hazards, theta, true) : curveTables(fit.hazards, theta, false)
      ];
      tablesByCohort.set(tablesKey, tables);
    }
    cohortCurve(fit.hazards, ctx.bands, horizon, stage, created, origin, curve, tables[0], dwell);
    if (seasonal)
      cohortCurve(fit.hazards, ctx.bands, horizon, stage, created, origin, flat, tables[1], dwell);
    if ((slots + 1) * 4 * np > pool.length) {
      const grown = new Float64Array(pool.length * 2);
      grown.set(pool);
      pool = grown;
    }
    slot = slots;
    slots += 1;
    pool.set(curve, slot * 4 * np);
    pool.set(flat, slot * 4 * np + 2 * np);
    slotOf[key] = slot;
    return slot;
  };
  const { mean: productMean, variance: productVar } = fit.values;
  for (let j = 0; j < open.length; j += 1) {
    const i = open[j] as number;
    const r = i * DEAL_STRIDE;
    const segment = segments > 1 ? (k.segment[i] as number) : 0;
    const stage = (k.useStages ? stageAt(k, i, origin) : 0) * strata + (strata > 1 ? segment : 0);
    const dwell = fit.hazards.dwell
      ? dwellSlotOf(fit.hazards.dwell, origin, stageEnteredAt(k, i, origin))
      : 0;
    const base = cohortSlot(stage, D[r] as number, dwell, segment) * 4 * np;
    // An amount is known only from a stage-history row or, from the snapshot on, the export.
    const amount = (D[r + 4] as number) > 0 || origin >= k.snapshot ? amountAt(k, i, origin) : NaN;
    const p = D[r + 1] as number;
    const value = amount > 0 ? amount : (productMean[p] as number);
    openValue[j] = value;
    openValueVar[j] = amount > 0 ? 0 : (productVar[p] as number);
    openGroup[j] = D[r + 3] as number;
    const ratio = ratioOf(D[r + 2] as number);
    for (let q = 0; q < np; q += 1) {
      const win = adjust(pool[base + 2 * q] as number, pool[base + 2 * q + 1] as number, ratio);
      openWin[j * np + q] = win;
      withPhase[q] = (withPhase[q] as number) + win * value;
      if (!seasonal) continue;
      withoutPhase[q] =
        (withoutPhase[q] as number) +
        adjust(
          pool[base + 2 * np + 2 * q] as number,
          pool[base + 2 * np + 2 * q + 1] as number,
          ratio
        ) *
          value;
    }
  }

  // New pipeline: a unit arrival rate started on every day of the horizon, summed.
  // One unit curve per segment in the arrival sample (a new deal closes at its segment's speed).
  const unitBySegment = new Map<number, { unit: Float64Array; unitFlat: Float64Array }>();
  const unitOf = (segment: number): { unit: Float64Array; unitFlat: Float64Array } => {
    const known = unitBySegment.get(segment);
    if (known) return known;
    const unit = new Float64Array(2 * np);
    const unitFlat = new Float64Array(2 * np);
    const theta = fit.speed.speed[segment] ?? 1;
    const flatNew = curveTables(fit.hazards, theta, true);
    const seasonalNew = curveTables(fit.hazards, theta, false);
    const entry = fit.arrivals.stage * strata + (strata > 1 ? segment : 0);
    for (let day = origin; day < horizon.to; day += 1) {
      cohortCurve(fit.hazards, ctx.bands, horizon, entry, day, day, curve, seasonalNew);
      if (seasonal) cohortCurve(fit.hazards, ctx.bands, horizon, entry, day, day, flat, flatNew);
      for (let x = 0; x < 2 * np; x += 1) {
        unit[x] = (unit[x] as number) + (curve[x] as number);
        unitFlat[x] = (unitFlat[x] as number) + (flat[x] as number);
      }
    }
    const made = { unit, unitFlat };
    unitBySegment.set(segment, made);
    return made;
  };
  const sample = fit.arrivals.sample;
  const perCombo = sample.length > 0 ? fit.arrivals.perDay / sample.length : 0;
  const newWins = new Float64Array(sample.length * np);
  const newValue = new Float64Array(sample.length);
  const newValueVar = new Float64Array(sample.length);
  const newGroup = new Int32Array(sample.length);
  for (let j = 0; j < sample.length; j += 1) {
    const r = (sample[j] as number) * DEAL_STRIDE;
    const p = D[r + 1] as number;
    const value = productMean[p] as number;
    newValue[j] = value;
    newValueVar[j] = productVar[p] as number;
    newGroup[j] = D[r + 3] as number;
    const ratio = ratioOf(D[r + 2] as number);
    const { unit, unitFlat } = unitOf(
      segments > 1 ? (k.segment[sample[j] as number] as number) : 0
    );
    for (let q = 0; q < np; q += 1) {
      const wins = perCombo * adjust(unit[2 * q] as number, unit[2 * q + 1] as number, ratio);
      newWins[j * np + q] = wins;
      withPhase[q] = (withPhase[q] as number) + wins * value;
      if (!seasonal) continue;
      withoutPhase[q] =
        (withoutPhase[q] as number) +
        perCombo * adjust(unitFlat[2 * q] as number, unitFlat[2 * q + 1] as number, ratio) * value;
    }
  }
  return {
    periods: np,
    open,
    openWin,
    openValue,
    openValueVar,
    openGroup,
    newDeal: sample,
    newWins,
    newValue,
    newValueVar,
    newGroup,
    seasonal: { withPhase, withoutPhase }
  };
}

/**
 * P(close in period) x win share, with the bucket's odds ratio applied to the share:
 * odds' = odds x ratio, share' = odds' / (1 + odds'). No logarithm per deal.
 */
function adjust(close: number, won: number, ratio: number): number {
  if (close <= 0) return 0;
  if (ratio === 1) return won;
  const lost = close - won;
  if (lost <= 0) return close;
  const odds = (won / lost) * ratio;
  return (close * odds) / (1 + odds);
}
