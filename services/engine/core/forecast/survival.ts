import { dayOfMonthIndex, monthIndexOfDay, phaseCount, phaseTable, type Day } from './dates';

const isMonthStart = (day: Day): boolean => dayOfMonthIndex(monthIndexOfDay(day)) === day;
import { OPEN, type KnownDeals } from './known';
import {
  betaBinomialStrength,
  gammaPoissonSpread,
  shrinkHazard,
  shrinkRate,
  type BinomialChild,
  type PoissonChild
} from './shrinkage';
import { ForecastInputError } from './types';
import {
  addDwellExposure,
  dwellSlots,
  dwellTable,
  fitDwell,
  type DwellFit,
  type DwellGrid
} from './dwell';

/**
 * Time to close as a piecewise-constant hazard (a life table on deal age), with two causes,
 * won and lost (competing risks). Exposure is counted on a Lexis grid, calendar day x age
 * band x stage, so that:
 *   - open deals contribute their days at risk and no event (right censoring);
 *   - days before the export's first recorded close are not counted (left truncation: a deal
 *     that closed before the window is not in the export, so survivors would look too sure);
 *   - the calendar phase of each day (month of the quarter) can change the hazard, which is
 *     how end-of-quarter pushes enter the model.
 * Cells are shrunk toward coarser ones (band -> stage x band -> stage x band x phase) with
 * gamma-Poisson empirical Bayes; win shares likewise with beta-binomial.
 */
export interface AgeBands {
  /** Upper edges in days; the last band is open-ended. */
  edges: readonly number[];
  count: number;
  bandOfAge(age: number): number;
  label(band: number): string;
}

export function makeAgeBands(edges: readonly number[]): AgeBands {
  const sorted = [...new Set(edges)].sort((a, b) => a - b);
  const last = sorted[sorted.length - 1] ?? 0;
  const lookup = new Int32Array(last + 1);
  let band = 0;
  for (let age = 0; age <= last; age += 1) {
    while (band < sorted.length && age >= (sorted[band] as number)) band += 1;
    lookup[age] = band;
  }
  return {
    edges: sorted,
    count: sorted.length + 1,
    bandOfAge: (age) => (age > last ? sorted.length : (lookup[age < 0 ? 0 : age] as number)),
    label: (b) => {
      const lo = b === 0 ? 0 : (sorted[b - 1] as number);
      return b < sorted.length ? `${lo}-${sorted[b] as number} days` : `${lo}+ days`;
    }
  };
}

export interface Lexis {
  from: Day;
  to: Day;
  stages: number;
  bands: number;
  seasonLength: number;
  /** Calendar phases of the cycle (phaseCount): months of it, or half-months. */
  phases: number;
  phase: Uint8Array;
  /** Deals at risk [stage][band][day - from] (row stride days + 1), closes [stage][band][day - from]. */
  exposure: Int32Array;
  won: Int32Array;
  lost: Int32Array;
  /** Creation-month cohorts: first month index, count; exposure [cohort][band][day], closes [cohort][day]. */
  cohortFirstMonth: number;
  cohorts: number;
  cohortExposure: Int32Array;
  cohortCloses: Int32Array;
  /** Grid stages per known stage: the segments when each runs its own clock, else 1. */
  strata: number;
  /** The same by the deal's segment (code of dict.segment): exposure [segment][band][day], closes [segment][day]. */
  segments: number;
  segmentExposure: Int32Array;
  segmentCloses: Int32Array;
  /**
   * Stage changes of open deals (from the stage history): the last day spent in the old
   * stage (day - from), the old stage's cell (stage x band of that day) and the new stage.
   */
  moves: { day: Int32Array; cell: Int32Array; to: Int32Array; count: number };
  /** The same exposure and events by days in the current stage (dwell.ts); null without stage history. */
  dwell: DwellGrid | null;
}

/** Builds the grid from what is known at k.asOf; any origin <= asOf reads a prefix of it. */
export function buildLexis(
  k: KnownDeals,
  bands: AgeBands,
  seasonLength: number,
  phasesPerMonth = 1,
  dwellBands: AgeBands | null = null,
  bySegment = false
): Lexis {
  if (k.observedFrom === null) {
    throw new ForecastInputError(
      'asOf',
      k.asOf,
      'no closed opportunity is known before this date: choose a later as-of date'
    );
  }
  const from = k.observedFrom;
  const to = k.asOf;
  const days = to - from;
  const stride = days + 1;
  // With `bySegment`, each segment runs its own clock: the grid's stages are (stage, segment)
  // pairs, stage x strata + segment, so a segment's deals are judged by their own age bands.
  const strata = bySegment ? Math.max(1, k.dict.segment.length) : 1;
  const stages = k.dict.stage.length * strata;
  const nb = bands.count;
  const cells = stages * nb;
  // Grids are cell-major ([cell][day]): the deals of one cohort, visited in creation order,
  // then write within a few hundred kilobytes, instead of across the whole grid.
  // Counts are whole numbers: 32-bit integers halve the memory of the grids.
  const diff = new Int32Array(stride * cells);
  const won = new Int32Array(days * cells);
  const lost = new Int32Array(days * cells);
  const edges = Int32Array.from(bands.edges);
  let firstMonth = Number.MAX_SAFE_INTEGER;
  let lastMonth = -1;
  let minCreated = Number.MAX_SAFE_INTEGER;
  for (let i = 0; i < k.n; i += 1) minCreated = Math.min(minCreated, k.created[i] as number);
  const monthOf = new Int32Array(Math.max(0, to - minCreated + 1));
  for (
    let day = minCreated, month = monthIndexOfDay(minCreated), next = dayOfMonthIndex(month + 1);
    day <= to;
    day += 1
  ) {
    if (day >= next) {
      month += 1;
      next = dayOfMonthIndex(month + 1);
    }
    monthOf[day - minCreated] = month;
  }
  for (let i = 0; i < k.n; i += 1) {
    const month = monthOf[(k.created[i] as number) - minCreated] as number;
    if (month < firstMonth) firstMonth = month;
    if (month > lastMonth) lastMonth = month;
  }
  const cohorts = Math.max(1, lastMonth - firstMonth + 1);
  const cohortDiff = new Int32Array(stride * cohorts * nb);
  const cohortCloses = new Int32Array(days * cohorts);
  const segmentGroups = Math.max(1, k.dict.segment.length);
  const segmentDiff = new Int32Array(stride * segmentGroups * nb);
  const segmentCloses = new Int32Array(days * segmentGroups);
  // Age band of every age up to the last edge; older deals are in the open-ended last band.
  const lastEdge = edges.length > 0 ? (edges[edges.length - 1] as number) : 0;
  const bandOf = Int32Array.from({ length: lastEdge + 1 }, (_, age) => bands.bandOfAge(age));
  const openBand = edges.length;
  const { offsets, day: rowDays, stage: rowStages } = k.history;
  // The stage clock only where stages are known day by day.
  const dwellOn = dwellBands !== null && k.useStages && stages > 1 && rowDays.length > 0;
  const D = dwellOn ? (dwellBands as AgeBands).count : 0;
  const dwellDiff = new Int32Array(dwellOn ? stride * cells * D : 0);
  const dwellCloses = new Int32Array(dwellOn ? days * stages * D : 0);
  let moveBand = new Int32Array(dwellOn ? 1024 : 0);
  let maxRows = 0;
  for (let i = 0; i < k.n; i += 1)
    maxRows = Math.max(maxRows, (offsets[i + 1] as number) - (offsets[i] as number));
  let moveDay = new Int32Array(1024);
  let moveCell = new Int32Array(1024);
  let moveTo = new Int32Array(1024);
  let moves = 0;
  /** A move on `day` (day - from) out of the stage cell `cell`, which the deal entered on `entered`. */
  const addMove = (day: Day, cell: number, to: number, entered: Day): void => {
    if (moves === moveDay.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      moveDay = grow(moveDay);
      moveCell = grow(moveCell);
      moveTo = grow(moveTo);
    }
    moveDay[moves] = day;
    moveCell[moves] = cell;
    moveTo[moves] = to;
    if (dwellOn) {
      if (moves === moveBand.length) {
        const b = new Int32Array(moveBand.length * 2);
        b.set(moveBand);
        moveBand = b;
      }
      moveBand[moves] = (dwellBands as AgeBands).bandOfAge(day + from - entered);
    }
    moves += 1;
  };
  const segStart = new Int32Array(maxRows + 1);
  const segEnd = new Int32Array(maxRows + 1);
  const segStage = new Int32Array(maxRows + 1);
  const segEntered = new Int32Array(maxRows + 1);
  // In creation order, so that consecutive deals touch neighbouring cells of the grid.
  for (let j = 0; j < k.byCreated.length; j += 1) {
    const i = k.byCreated[j] as number;
    const created = k.created[i] as number;
    const closeDay = k.close[i] as number;
    const start = created > from ? created : from;
    const end = closeDay !== OPEN ? closeDay : to - 1;
    if (end < start) continue;
    const cohort = (monthOf[created - minCreated] as number) - firstMonth;
    const segment = segmentGroups > 1 ? (k.segment[i] as number) : 0;
    const stratum = strata > 1 ? segment : 0;
    // Stage segments from the stage history (one segment, stage 0, without history).
    let segments = 0;
    let stage = 0;
    let segmentStart = created;
    let entered = created;
    const lastRow = (offsets[i + 1] as number) - 1;
    for (let r = offsets[i] as number; r <= lastRow; r += 1) {
      const rowDay = rowDays[r] as number;
      if (rowDay > segmentStart) {
        segStart[segments] = Math.max(segmentStart, start);
        segEnd[segments] = Math.min(rowDay - 1, end);
        segStage[segments] = stage * strata + stratum;
        segEntered[segments] = entered;
        segments += 1;
        // A move out of the stage, counted on the last day spent in it (if it was at risk in
        // the window then): the stage it moves to is the last one written that day.
        let last = r;
        while (last < lastRow && (rowDays[last + 1] as number) === rowDay) last += 1;
        const to = rowStages[last] as number;
        const day = rowDay - 1;
        if (to !== stage && day >= start && day <= end) {
          const age = day - created;
          addMove(
            day - from,
            (stage * strata + stratum) * nb + (age > lastEdge ? openBand : (bandOf[age] as number)),
            to * strata + stratum,
            entered
          );
        }
      }
      if ((rowStages[r] as number) !== stage) entered = Math.max(segmentStart, rowDay);
      stage = rowStages[r] as number;
      segmentStart = Math.max(segmentStart, rowDay);
    }
    segStart[segments] = Math.max(segmentStart, start);
    segEnd[segments] = end;
    segStage[segments] = stage * strata + stratum;
    segEntered[segments] = entered;
    segments += 1;
    for (let g = 0; g < segments; g += 1) {
      const a = segStart[g] as number;
      const b = segEnd[g] as number;
      if (b < a) continue;
      const cellBase = (segStage[g] as number) * nb;
      const lastBand = b - created > lastEdge ? openBand : (bandOf[b - created] as number);
      for (
        let band = a - created > lastEdge ? openBand : (bandOf[a - created] as number);
        band <= lastBand;
        band += 1
      ) {
        const lo = band === 0 ? created : created + (edges[band - 1] as number);
        const hi = band < openBand ? created + (edges[band] as number) - 1 : b;
        const s = lo > a ? lo : a;
        const e = hi < b ? hi : b;
        if (s > e) continue;
        const cell = (cellBase + band) * stride - from;
        diff[cell + s] = (diff[cell + s] as number) + 1;
        diff[cell + e + 1] = (diff[cell + e + 1] as number) - 1;
        if (dwellOn)
          addDwellExposure(
            dwellDiff,
            dwellBands as AgeBands,
            cellBase + band,
            stride,
            from,
            s,
            e,
            segEntered[g] as number
          );
        const cc = (cohort * nb + band) * stride - from;
        cohortDiff[cc + s] = (cohortDiff[cc + s] as number) + 1;
        cohortDiff[cc + e + 1] = (cohortDiff[cc + e + 1] as number) - 1;
        const sc = (segment * nb + band) * stride - from;
        segmentDiff[sc + s] = (segmentDiff[sc + s] as number) + 1;
        segmentDiff[sc + e + 1] = (segmentDiff[sc + e + 1] as number) - 1;
      }
    }
    if (closeDay !== OPEN) {
      const at = cohort * days + closeDay - from;
      cohortCloses[at] = (cohortCloses[at] as number) + 1;
      const sa = segment * days + closeDay - from;
      segmentCloses[sa] = (segmentCloses[sa] as number) + 1;
      const age = closeDay - created;
      const cell =
        ((stage * strata + stratum) * nb + (age > lastEdge ? openBand : (bandOf[age] as number))) *
          days +
        closeDay -
        from;
      if (k.won[i]) won[cell] = (won[cell] as number) + 1;
      else lost[cell] = (lost[cell] as number) + 1;
      if (dwellOn) {
        const at =
          ((stage * strata + stratum) * D +
            (dwellBands as AgeBands).bandOfAge(closeDay - entered)) *
            days +
          closeDay -
          from;
        dwellCloses[at] = (dwellCloses[at] as number) + 1;
      }
    }
  }
  return {
    from,
    to,
    stages,
    bands: nb,
    seasonLength,
    phases: phaseCount(seasonLength, phasesPerMonth),
    phase: phaseTable(from, to, seasonLength, phasesPerMonth),
    exposure: prefixCells(diff, cells, days, stride),
    won,
    lost,
    cohortFirstMonth: firstMonth,
    cohorts,
    cohortExposure: prefixCells(cohortDiff, cohorts * nb, days, stride),
    cohortCloses,
    strata,
    segments: segmentGroups,
    segmentExposure: prefixCells(segmentDiff, segmentGroups * nb, days, stride),
    segmentCloses,
    moves: {
      day: moveDay.subarray(0, moves),
      cell: moveCell.subarray(0, moves),
      to: moveTo.subarray(0, moves),
      count: moves
    },
    dwell: dwellOn
      ? {
          bands: dwellBands as AgeBands,
          slots: dwellSlots(dwellBands as AgeBands),
          exposure: prefixCells(dwellDiff, cells * D, days, stride),
          closes: dwellCloses,
          moveBand: moveBand.subarray(0, moves)
        }
      : null
  };
}

/**
 * Running sums along the day axis of each cell of a [cell][day] difference grid, in place;
 * the grid keeps its stride of days + 1 (the last column is unused).
 */
function prefixCells(diff: Int32Array, cells: number, days: number, stride: number): Int32Array {
  for (let c = 0; c < cells; c += 1) {
    let running = 0;
    for (let d = 0; d < days; d += 1) {
      running += diff[c * stride + d] as number;
      diff[c * stride + d] = running;
    }
  }
  return diff;
}

export interface HazardModel {
  stages: number;
  bands: number;
  phases: number;
  /** Daily probability of closing, [stage][band][phase]. */
  closeProb: Float64Array;
  /** Share of closes that are won, [stage][band][phase]. */
  winShare: Float64Array;
  /** The same without the calendar phase, for the seasonality factor of the explanation. */
  closeProbNoPhase: Float64Array;
  winShareNoPhase: Float64Array;
  /** Close rate per day by [band][phase], all stages together (for cohort frailty). */
  pooledRate: Float64Array;
  /** Decay-weighted closes behind the estimates (drives the model-uncertainty draw). */
  events: number;
  /** Overall won / closed, decay-weighted. */
  winRate: number;
  /** Estimated spread between cells (0 = pooled): hazards by stage and by phase. */
  spread: { stage: number; push: number; phase: number };
  /** Hazard multiplier of each calendar phase shared by all cells (the seasonal push). */
  push: Float64Array;
  /**
   * Stage changes (null without stage history): daily probability of leaving each stage x band
   * in each calendar phase for another stage, [stage][band][phase], and where to,
   * [stage][band][stage]. An open deal's future
   * then runs through the stages (a Markov chain on stage, age band and calendar phase): a
   * deal at Proposal is not judged by the deals that closed while at Proposal alone.
   */
  leave: Float64Array | null;
  moveShare: Float64Array | null;
  /** Multipliers by days in the current stage (dwell.ts); null without stage history. */
  dwell: DwellFit | null;
}

/** Weight of a day `age` days before the origin: halves every halfLife days. */
export function decayWeights(days: number, halfLifeDays: number): Float64Array {
  const out = new Float64Array(days);
  const step = Math.pow(0.5, 1 / halfLifeDays);
  let w = 1;
  for (let d = 0; d < days; d += 1) {
    out[d] = w;
    w *= step;
  }
  return out;
}

/** Fits hazards from days before `origin` (exclusive), weighted toward the origin. */
export function fitHazards(lexis: Lexis, origin: Day, halfLifeDays: number): HazardModel {
  const { stages, bands, phases } = lexis;
  const cells = stages * bands;
  const last = Math.min(origin, lexis.to) - lexis.from;
  const weights = decayWeights(Math.max(last, 0), halfLifeDays);
  const size = cells * phases;
  const E = new Float64Array(size);
  const W = new Float64Array(size);
  const L = new Float64Array(size);
  // Sums of squared weights: decayed counts are noisier than raw counts of the same size, and
  // the spread estimators need the effective counts (sum w)^2 / sum w^2.
  const E2 = new Float64Array(size);
  const Q2 = new Float64Array(size);
  const days = lexis.to - lexis.from;
  for (let c = 0; c < cells; c += 1) {
    const row = c * days;
    const exposureRow = c * (days + 1);
    for (let d = 0; d < last; d += 1) {
      const e = lexis.exposure[exposureRow + d] as number;
      if (e === 0) continue;
      const w = weights[last - 1 - d] as number;
      const x = (lexis.phase[d] as number) * cells + c;
      const wonHere = lexis.won[row + d] as number;
      const lostHere = lexis.lost[row + d] as number;
      E[x] = (E[x] as number) + w * e;
      E2[x] = (E2[x] as number) + w * w * e;
      W[x] = (W[x] as number) + w * wonHere;
      L[x] = (L[x] as number) + w * lostHere;
      Q2[x] = (Q2[x] as number) + w * w * (wonHere + lostHere);
    }
  }
  // Index helpers: cell layout [phase][stage][band] internally, [stage][band][phase] out.
  const at = (p: number, s: number, b: number): number => p * cells + s * bands + b;
  const sum = (f: (p: number, s: number, b: number) => boolean, arr: Float64Array): number => {
    let total = 0;
    for (let p = 0; p < phases; p += 1)
      for (let s = 0; s < stages; s += 1)
        for (let b = 0; b < bands; b += 1) if (f(p, s, b)) total += arr[at(p, s, b)] as number;
    return total;
  };
  const events = sum(() => true, W) + sum(() => true, L);
  const exposure = sum(() => true, E);
  if (events <= 0 || exposure <= 0) {
    throw new ForecastInputError(
      'history',
      'no closes',
      'the history before the as-of date has no closed opportunity to learn from'
    );
  }
  // Band rates, each shrunk toward the band before (one pseudo-event): old bands with much
  // exposure and no closes get a hazard near zero, unseen bands inherit the last seen one.
  const bandRate = new Float64Array(bands);
  let prior = events / exposure;
  for (let b = 0; b < bands; b += 1) {
    const y = sum((_p, _s, bb) => bb === b, W) + sum((_p, _s, bb) => bb === b, L);
    const e = sum((_p, _s, bb) => bb === b, E);
    bandRate[b] = (y + 1) / (e + 1 / prior);
    prior = bandRate[b] as number;
  }
  const stageBand = new Float64Array(stages * bands);
  const sbEvents = new Float64Array(stages * bands);
  const sbExposure = new Float64Array(stages * bands);
  for (let p = 0; p < phases; p += 1)
    for (let c = 0; c < cells; c += 1) {
      sbEvents[c] =
        (sbEvents[c] as number) + (W[p * cells + c] as number) + (L[p * cells + c] as number);
      sbExposure[c] = (sbExposure[c] as number) + (E[p * cells + c] as number);
    }
  const sbChildren: PoissonChild[] = [];
  for (let s = 0; s < stages; s += 1)
    for (let b = 0; b < bands; b += 1) {
      const e2 = sum((_p, ss, bb) => ss === s && bb === b, E2);
      sbChildren.push(
        effectivePoisson(
          sbEvents[s * bands + b] as number,
          sbExposure[s * bands + b] as number,
          e2,
          bandRate[b] as number
        )
      );
    }
  const cvStage = stages > 1 ? gammaPoissonSpread(sbChildren) : 0;
  for (let s = 0; s < stages; s += 1)
    for (let b = 0; b < bands; b += 1) {
      const c = s * bands + b;
      stageBand[c] = shrinkHazard(
        sbEvents[c] as number,
        sbExposure[c] as number,
        bandRate[b] as number,
        cvStage
      );
    }
  // The calendar phase first as one multiplier shared by all cells (a quarter-end push lifts
  // every age band), shrunk toward 1; then each cell's own deviation from band x push.
  const phaseObserved = new Float64Array(phases);
  const phaseExpected = new Float64Array(phases);
  const phaseExpected2 = new Float64Array(phases);
  for (let p = 0; p < phases; p += 1)
    for (let c = 0; c < cells; c += 1) {
      phaseObserved[p] =
        (phaseObserved[p] as number) + (W[p * cells + c] as number) + (L[p * cells + c] as number);
      phaseExpected[p] =
        (phaseExpected[p] as number) + (E[p * cells + c] as number) * (stageBand[c] as number);
      phaseExpected2[p] =
        (phaseExpected2[p] as number) + (E2[p * cells + c] as number) * (stageBand[c] as number);
    }
  const mainChildren = Array.from({ length: phases }, (_, p) =>
    effectivePoisson(
      phaseObserved[p] as number,
      phaseExpected[p] as number,
      phaseExpected2[p] as number,
      1
    )
  );
  const cvPush = phases > 1 ? gammaPoissonSpread(mainChildren) : 0;
  const push = Float64Array.from({ length: phases }, (_, p) =>
    shrinkHazard(phaseObserved[p] as number, phaseExpected[p] as number, 1, cvPush)
  );
  // Then each stage's own season over all its bands, shrunk toward 1: the push of a quarter's
  // end can be a stage's story (deals waiting at the proposal close lost on its last days)
  // while the stages before it close evenly, and one shared push would average them away.
  const stagePhase = stagePhaseMultipliers(W, L, E, E2, stageBand, push, stages, bands, phases);
  const parentOf = (p: number, c: number): number =>
    (stageBand[c] as number) *
    (push[p] as number) *
    (stagePhase[Math.floor(c / bands) * phases + p] as number);
  const phaseChildren: PoissonChild[] = [];
  for (let p = 0; p < phases; p += 1)
    for (let c = 0; c < cells; c += 1)
      phaseChildren.push(
        effectivePoisson(
          (W[p * cells + c] as number) + (L[p * cells + c] as number),
          E[p * cells + c] as number,
          E2[p * cells + c] as number,
          parentOf(p, c)
        )
      );
  const cvPhase = phases > 1 ? gammaPoissonSpread(phaseChildren) : 0;

  // Win shares: root -> phase -> phase x stage -> phase x stage x band.
  const totalWon = sum(() => true, W);
  const root = totalWon / events;
  const binomial = (
    f: (p: number, s: number, b: number) => boolean,
    parent: number
  ): WeightedBinomial => ({
    k: sum(f, W),
    n: sum(f, W) + sum(f, L),
    n2: sum(f, Q2),
    parent
  });
  const phaseShare = shrinkLevel(
    Array.from({ length: phases }, (_, p) => binomial((pp) => pp === p, root))
  );
  const psChildren: WeightedBinomial[] = [];
  for (let p = 0; p < phases; p += 1)
    for (let s = 0; s < stages; s += 1)
      psChildren.push(binomial((pp, ss) => pp === p && ss === s, phaseShare[p] as number));
  const phaseStageShare = shrinkLevel(psChildren);
  const cellChildren: WeightedBinomial[] = [];
  for (let p = 0; p < phases; p += 1)
    for (let s = 0; s < stages; s += 1)
      for (let b = 0; b < bands; b += 1) {
        const x = at(p, s, b);
        cellChildren.push({
          k: W[x] as number,
          n: (W[x] as number) + (L[x] as number),
          n2: Q2[x] as number,
          parent: phaseStageShare[p * stages + s] as number
        });
      }
  const cellShare = shrinkLevel(cellChildren);
  // Phase-free win shares: root -> stage -> stage x band.
  const stageShare = shrinkLevel(
    Array.from({ length: stages }, (_, s) => binomial((_p, ss) => ss === s, root))
  );
  const sbShare = shrinkLevel(
    Array.from({ length: stages * bands }, (_, c) => {
      const s = Math.floor(c / bands);
      const b = c % bands;
      return binomial((_p, ss, bb) => ss === s && bb === b, stageShare[s] as number);
    })
  );

  const pooledRate = new Float64Array(bands * phases);
  const pooledExposure = new Float64Array(bands * phases);
  const closeProb = new Float64Array(size);
  const winShare = new Float64Array(size);
  const closeProbNoPhase = new Float64Array(size);
  const winShareNoPhase = new Float64Array(size);
  for (let s = 0; s < stages; s += 1)
    for (let b = 0; b < bands; b += 1)
      for (let p = 0; p < phases; p += 1) {
        const c = s * bands + b;
        const out = (s * bands + b) * phases + p;
        const rate = shrinkHazard(
          (W[p * cells + c] as number) + (L[p * cells + c] as number),
          E[p * cells + c] as number,
          parentOf(p, c),
          cvPhase
        );
        closeProb[out] = 1 - Math.exp(-rate);
        const e = E[p * cells + c] as number;
        pooledRate[b * phases + p] = (pooledRate[b * phases + p] as number) + rate * e;
        pooledExposure[b * phases + p] = (pooledExposure[b * phases + p] as number) + e;
        winShare[out] = cellShare[(p * stages + s) * bands + b] as number;
        closeProbNoPhase[out] = 1 - Math.exp(-(stageBand[c] as number));
        winShareNoPhase[out] = sbShare[c] as number;
      }
  for (let x = 0; x < bands * phases; x += 1) {
    const b = Math.floor(x / phases);
    const e = pooledExposure[x] as number;
    pooledRate[x] = e > 0 ? (pooledRate[x] as number) / e : (stageBand[b] as number);
  }
  const moves = fitMoves(lexis, last, weights, E, E2, cells, phases);
  const dwell =
    lexis.dwell && moves
      ? fitDwell(lexis.dwell, lexis, last, weights, closeProb, moves.leave)
      : null;
  return {
    stages,
    bands,
    phases,
    closeProb,
    winShare,
    closeProbNoPhase,
    winShareNoPhase,
    pooledRate,
    events,
    winRate: root,
    spread: { stage: cvStage, push: cvPush, phase: cvPhase },
    push,
    leave: moves?.leave ?? null,
    moveShare: moves?.share ?? null,
    dwell
  };
}

/** Close-rate multiplier per stage x phase beyond the shared push: observed over expected, shrunk toward 1. */
function stagePhaseMultipliers(
  W: Float64Array,
  L: Float64Array,
  E: Float64Array,
  E2: Float64Array,
  stageBand: Float64Array,
  push: Float64Array,
  stages: number,
  bands: number,
  phases: number
): Float64Array {
  const cells = stages * bands;
  const observed = new Float64Array(stages * phases);
  const expected = new Float64Array(stages * phases);
  const expected2 = new Float64Array(stages * phases);
  for (let p = 0; p < phases; p += 1)
    for (let c = 0; c < cells; c += 1) {
      const sp = Math.floor(c / bands) * phases + p;
      const x = p * cells + c;
      const rate = (stageBand[c] as number) * (push[p] as number);
      observed[sp] = (observed[sp] as number) + (W[x] as number) + (L[x] as number);
      expected[sp] = (expected[sp] as number) + (E[x] as number) * rate;
      expected2[sp] = (expected2[sp] as number) + (E2[x] as number) * rate;
    }
  if (phases < 2 || stages < 2) return new Float64Array(stages * phases).fill(1);
  // Each stage's season is judged against its own phases (as the moves' in fitMoves).
  const out = new Float64Array(stages * phases).fill(1);
  for (let s = 0; s < stages; s += 1) {
    const children: PoissonChild[] = [];
    for (let sp = s * phases; sp < (s + 1) * phases; sp += 1)
      children.push(
        effectivePoisson(observed[sp] as number, expected[sp] as number, expected2[sp] as number, 1)
      );
    const cv = gammaPoissonSpread(children);
    for (let sp = s * phases; sp < (s + 1) * phases; sp += 1)
      if ((expected[sp] as number) > 0)
        out[sp] = shrinkHazard(observed[sp] as number, expected[sp] as number, 1, cv);
  }
  return out;
}

/**
 * Stage-change rates per stage x band and target stage, from the decay-weighted moves before
 * the origin over the same exposure as the closes; each band's rate is shrunk toward the
 * stage's rate over all bands (gamma-Poisson, as the close hazards). Then a calendar-phase
 * multiplier per stage, shrunk toward 1 as far as phases really differ: on a floor where deals
 * wait for the quarter's end, the season shows in when deals move to the last stage before
 * the close, not only in the closes themselves.
 */
function fitMoves(
  lexis: Lexis,
  last: number,
  weights: Float64Array,
  E: Float64Array,
  E2: Float64Array,
  cells: number,
  phases: number
): { leave: Float64Array; share: Float64Array } | null {
  const { stages, bands } = lexis;
  if (stages < 2 || lexis.moves.count === 0) return null;
  const T = new Float64Array(cells * stages);
  // Moves out of each stage by phase (decay-weighted, and their squared weights).
  const outByPhase = new Float64Array(stages * phases);
  const outByPhase2 = new Float64Array(stages * phases);
  let any = false;
  for (let m = 0; m < lexis.moves.count; m += 1) {
    const d = lexis.moves.day[m] as number;
    if (d >= last) continue;
    const w = weights[last - 1 - d] as number;
    const cell = lexis.moves.cell[m] as number;
    const x = cell * stages + (lexis.moves.to[m] as number);
    T[x] = (T[x] as number) + w;
    const sp = Math.floor(cell / bands) * phases + (lexis.phase[d] as number);
    outByPhase[sp] = (outByPhase[sp] as number) + w;
    outByPhase2[sp] = (outByPhase2[sp] as number) + w * w;
    any = true;
  }
  if (!any) return null;
  const exposure = new Float64Array(cells);
  const exposure2 = new Float64Array(cells);
  for (let p = 0; p < phases; p += 1)
    for (let c = 0; c < cells; c += 1) {
      exposure[c] = (exposure[c] as number) + (E[p * cells + c] as number);
      exposure2[c] = (exposure2[c] as number) + (E2[p * cells + c] as number);
    }
  const rate = new Float64Array(cells * stages);
  for (let s = 0; s < stages; s += 1)
    for (let to = 0; to < stages; to += 1) {
      if (to === s) continue;
      let moved = 0;
      let exposed = 0;
      for (let b = 0; b < bands; b += 1) {
        moved += T[(s * bands + b) * stages + to] as number;
        exposed += exposure[s * bands + b] as number;
      }
      if (moved <= 0 || exposed <= 0) continue;
      const parent = moved / exposed;
      const children: PoissonChild[] = [];
      for (let b = 0; b < bands; b += 1)
        children.push(
          effectivePoisson(
            T[(s * bands + b) * stages + to] as number,
            exposure[s * bands + b] as number,
            exposure2[s * bands + b] as number,
            parent
          )
        );
      const cv = gammaPoissonSpread(children);
      for (let b = 0; b < bands; b += 1) {
        const c = s * bands + b;
        rate[c * stages + to] = shrinkHazard(
          T[c * stages + to] as number,
          exposure[c] as number,
          parent,
          cv
        );
      }
    }
  const total = new Float64Array(cells);
  for (let c = 0; c < cells; c += 1)
    for (let to = 0; to < stages; to += 1)
      total[c] = (total[c] as number) + (rate[c * stages + to] as number);
  // Phase multiplier per stage: moves seen in the phase / moves the phase-free rates expect.
  const expected = new Float64Array(stages * phases);
  const expected2 = new Float64Array(stages * phases);
  for (let p = 0; p < phases; p += 1)
    for (let c = 0; c < cells; c += 1) {
      const sp = Math.floor(c / bands) * phases + p;
      expected[sp] = (expected[sp] as number) + (E[p * cells + c] as number) * (total[c] as number);
      expected2[sp] =
        (expected2[sp] as number) + (E2[p * cells + c] as number) * (total[c] as number);
    }
  // Each stage's season is judged against its own phases: stages that move evenly through the
  // quarter say nothing of how much the proposal stage waits for the quarter's end.
  const cvPhase = new Float64Array(stages);
  for (let s = 0; s < stages && phases > 1; s += 1) {
    const children: PoissonChild[] = [];
    for (let sp = s * phases; sp < (s + 1) * phases; sp += 1) {
      if (!((expected[sp] as number) > 0)) continue;
      const scale =
        (outByPhase2[sp] as number) > 0 && (outByPhase[sp] as number) > 0
          ? (outByPhase[sp] as number) / (outByPhase2[sp] as number)
          : (expected[sp] as number) / Math.max(1e-12, expected2[sp] as number);
      children.push({
        events: (outByPhase[sp] as number) * scale,
        exposure: (expected[sp] as number) * scale,
        parent: 1
      });
    }
    cvPhase[s] = gammaPoissonSpread(children);
  }
  const leave = new Float64Array(cells * phases);
  const share = new Float64Array(cells * stages);
  for (let c = 0; c < cells; c += 1) {
    const t = total[c] as number;
    if (t <= 0) continue;
    const s = Math.floor(c / bands);
    for (let p = 0; p < phases; p += 1) {
      const sp = s * phases + p;
      const push = shrinkHazard(
        outByPhase[sp] as number,
        expected[sp] as number,
        1,
        cvPhase[s] as number
      );
      leave[c * phases + p] = 1 - Math.exp(-t * push);
    }
    for (let to = 0; to < stages; to += 1)
      share[c * stages + to] = (rate[c * stages + to] as number) / t;
  }
  return { leave, share };
}

/**
 * Shared frailty of creation-month cohorts: deals created in the same month share their
 * leads, campaign and market, so a cohort that has closed slower than the model expected
 * so far tends to stay slower. Its multiplier is the gamma-frailty posterior mean
 * (O + 1/cv2) / (E + 1/cv2), O its closes so far, E the closes the fitted hazards expected of
 * it, cv2 the spread between cohorts by the method of moments (0: cohorts do not differ).
 */
export function cohortFrailty(
  lexis: Lexis,
  model: HazardModel,
  origin: Day
): { firstMonth: number; frailty: Float64Array; cv2: number } {
  // Cohorts created before the export's window are survivors selected by the window itself
  // (their early closes are missing); they neither inform the spread nor get a frailty.
  const firstFull =
    monthIndexOfDay(lexis.from) +
    (lexis.phase.length > 0 && isMonthStart(lexis.from) ? 0 : 1) -
    lexis.cohortFirstMonth;
  const { multiplier, cv2 } = groupMultipliers(
    lexis,
    model,
    origin,
    lexis.cohorts,
    lexis.cohortExposure,
    lexis.cohortCloses,
    Math.max(0, firstFull)
  );
  return { firstMonth: lexis.cohortFirstMonth, frailty: multiplier, cv2 };
}

/**
 * Speed of each segment: deals of a segment close at its multiplier of the fitted rates (an
 * enterprise deal takes months where a small-business deal takes weeks, at the same age and
 * stage). Observed closes over those the pooled rates expect of the segment's exposure,
 * shrunk toward 1 (gamma-Poisson), as the cohort frailty.
 */
export function segmentSpeed(
  lexis: Lexis,
  model: HazardModel,
  origin: Day
): { speed: Float64Array; cv2: number } {
  if (lexis.segments < 2) return { speed: new Float64Array(lexis.segments).fill(1), cv2: 0 };
  const { multiplier, cv2 } = groupMultipliers(
    lexis,
    model,
    origin,
    lexis.segments,
    lexis.segmentExposure,
    lexis.segmentCloses,
    0
  );
  return { speed: multiplier, cv2 };
}

/** Observed / expected closes per group before `origin`, shrunk toward 1; groups before `firstUsable` stay at 1. */
function groupMultipliers(
  lexis: Lexis,
  model: HazardModel,
  origin: Day,
  groups: number,
  exposure: Int32Array,
  closes: Int32Array,
  firstUsable: number
): { multiplier: Float64Array; cv2: number } {
  const { bands } = lexis;
  const phases = model.phases;
  const last = Math.min(origin, lexis.to) - lexis.from;
  const observed = new Float64Array(groups);
  const expected = new Float64Array(groups);
  const days = lexis.to - lexis.from;
  for (let c = 0; c < groups; c += 1) {
    for (let d = 0; d < last; d += 1)
      observed[c] = (observed[c] as number) + (closes[c * days + d] as number);
    let e = 0;
    for (let b = 0; b < bands; b += 1) {
      const row = (c * bands + b) * (days + 1);
      for (let d = 0; d < last; d += 1) {
        const x = exposure[row + d] as number;
        if (x !== 0) e += x * (model.pooledRate[b * phases + (lexis.phase[d] as number)] as number);
      }
    }
    expected[c] = e;
  }
  const children: PoissonChild[] = [];
  for (let c = firstUsable; c < groups; c += 1)
    children.push({ events: observed[c] as number, exposure: expected[c] as number, parent: 1 });
  const cv2 = gammaPoissonSpread(children);
  const multiplier = new Float64Array(groups).fill(1);
  for (let c = firstUsable; c < groups; c += 1) {
    if ((expected[c] as number) > 0)
      multiplier[c] = shrinkHazard(observed[c] as number, expected[c] as number, 1, cv2);
  }
  return { multiplier, cv2 };
}

export interface CurveTables {
  closeProb: Float64Array;
  winShare: Float64Array;
  /** Daily probability of moving on from a stage (the model's, scaled by the frailty). */
  leave?: Float64Array | null;
  /** With the stage clock: the same by dwell band, [stage][band][phase][dwell band]. */
  closeDwell?: Float64Array | null;
  leaveDwell?: Float64Array | null;
}

/**
 * Curve tables with every hazard multiplied by `frailty`; `noPhase` gives the tables without
 * the calendar phase (what the period would bring at an average month's rates).
 */
export function curveTables(model: HazardModel, frailty: number, noPhase: boolean): CurveTables {
  const base = noPhase ? model.closeProbNoPhase : model.closeProb;
  const winShare = noPhase ? model.winShareNoPhase : model.winShare;
  // A slower cohort is slower at every step: closing, and moving on to the next stage.
  const scale = (q: number): number => 1 - Math.pow(1 - q, frailty);
  const closeProb = frailty === 1 ? base : base.map(scale);
  const leave = frailty === 1 ? model.leave : (model.leave?.map(scale) ?? null);
  const dwell = model.dwell;
  if (!dwell || !leave || !dwell.leave) return { closeProb, winShare, leave };
  const D = dwell.bands.count;
  return {
    closeProb,
    winShare,
    leave,
    closeDwell: dwellTable(closeProb, dwell.close, model.stages, model.bands, model.phases, D),
    leaveDwell: dwellTable(leave, dwell.leave, model.stages, model.bands, model.phases, D)
  };
}

/** Decay-weighted successes k of n trials, with n2 = sum of squared weights of the trials. */
interface WeightedBinomial {
  k: number;
  n: number;
  n2: number;
  parent: number;
}

/** The same counts at their effective size, for the spread estimators. */
function effectiveBinomial(c: WeightedBinomial): BinomialChild {
  const scale = c.n2 > 0 ? c.n / c.n2 : 1;
  return { k: c.k * scale, n: c.n * scale, parent: c.parent };
}

function effectivePoisson(
  events: number,
  exposure: number,
  exposure2: number,
  parent: number
): PoissonChild {
  const scale = exposure2 > 0 ? exposure / exposure2 : 1;
  return { events: events * scale, exposure: exposure * scale, parent };
}

function shrinkLevel(children: WeightedBinomial[]): Float64Array {
  const strength = betaBinomialStrength(children.map(effectiveBinomial));
  return Float64Array.from(children, (c) => shrinkRate(c.k, c.n, c.parent, strength));
}

/**
 * Forward curve of one cohort (deals of one stage created on one day, open at `from`):
 * probability of closing, and of closing won, inside each period of the horizon.
 */
export interface Horizon {
  from: Day;
  to: Day;
  /** Phase of every day in [from, to). */
  phase: Uint8Array;
  periods: { start: Day; end: Day }[];
}

export function cohortCurve(
  model: HazardModel,
  bands: AgeBands,
  horizon: Horizon,
  stage: number,
  created: Day,
  startDay: Day,
  out: Float64Array,
  tables: CurveTables = { closeProb: model.closeProb, winShare: model.winShare },
  dwellSlot = 0
): void {
  if (model.leave && model.moveShare) {
    stagedCurve(model, bands, horizon, stage, created, startDay, out, tables, dwellSlot);
    return;
  }
  out.fill(0);
  const periods = horizon.periods;
  const np = periods.length;
  const { closeProb, winShare } = tables;
  const phases = model.phases;
  let survival = 1;
  for (let day = startDay; day < horizon.to; day += 1) {
    const cell =
      (stage * model.bands + bands.bandOfAge(day - created)) * phases +
      (horizon.phase[day - horizon.from] as number);
    const closing = survival * (closeProb[cell] as number);
    const winning = closing * (winShare[cell] as number);
    survival -= closing;
    for (let p = 0; p < np; p += 1) {
      const period = periods[p] as { start: Day; end: Day };
      if (day >= period.start && day < period.end) {
        out[2 * p] = (out[2 * p] as number) + closing;
        out[2 * p + 1] = (out[2 * p + 1] as number) + winning;
      }
    }
    if (survival < 1e-12) break;
  }
}

let stageMoved = new Float64Array(8);
/** The dwell axis of the memoryless chain: one slot, in band 0. */
const ONE_SLOT = new Int32Array(1);
let dwellMass = new Float64Array(64);

/**
 * The curve when deals change stage: the deal's probability is spread over the stages (it
 * starts in `stage`), and each day every stage's share may close (at that stage's hazard and
 * win share) or move on to another stage (leave x moveShare), entering it at dwell 0. With the
 * stage clock each stage's mass is also kept by days in the stage (one slot per day up to the
 * last dwell edge, then one open-ended slot), so its rates follow the dwell multipliers;
 * without it there is one slot per stage and the stay is memoryless.
 */
function stagedCurve(
  model: HazardModel,
  bands: AgeBands,
  horizon: Horizon,
  stage: number,
  created: Day,
  startDay: Day,
  out: Float64Array,
  tables: CurveTables,
  startSlot: number
): void {
  out.fill(0);
  const S = model.stages;
  const nb = model.bands;
  const phases = model.phases;
  const clock = model.dwell && tables.closeDwell && tables.leaveDwell ? model.dwell : null;
  const K = clock ? clock.slots : 1;
  const D = clock ? clock.bands.count : 1;
  // With one dwell band, [stage][band][phase][dwell band] is the tables' own layout.
  const closeP = clock ? (tables.closeDwell as Float64Array) : tables.closeProb;
  const leaveP = clock
    ? (tables.leaveDwell as Float64Array)
    : (tables.leave ?? (model.leave as Float64Array));
  const moveShare = model.moveShare as Float64Array;
  const { winShare } = tables;
  const periods = horizon.periods;
  const np = periods.length;
  if (dwellMass.length < S * K) dwellMass = new Float64Array(S * K);
  if (stageMoved.length < S) stageMoved = new Float64Array(S);
  const mass = dwellMass;
  const moved = stageMoved;
  mass.fill(0, 0, S * K);
  mass[stage * K + Math.min(startSlot, K - 1)] = 1;
  const bandOfSlot = clock ? clock.bandOfSlot : ONE_SLOT;
  let alive = 1;
  for (let day = startDay; day < horizon.to; day += 1) {
    const band = bands.bandOfAge(day - created);
    const phase = horizon.phase[day - horizon.from] as number;
    let closing = 0;
    let winning = 0;
    moved.fill(0, 0, S);
    for (let s = 0; s < S; s += 1) {
      const c = s * nb + band;
      const cell = c * phases + phase;
      const share = winShare[cell] as number;
      const row = s * K;
      // From the longest dwell down, so each slot's survivors step one day on in place.
      for (let slot = K - 1; slot >= 0; slot -= 1) {
        let m = mass[row + slot] as number;
        if (m <= 0) continue;
        const x = cell * D + (bandOfSlot[slot] as number);
        const closed = m * (closeP[x] as number);
        closing += closed;
        winning += closed * share;
        m -= closed;
        const going = m * (leaveP[x] as number);
        if (going > 0) {
          for (let to = 0; to < S; to += 1) {
            const part = moveShare[c * S + to] as number;
            if (part > 0) moved[to] = (moved[to] as number) + going * part;
          }
          m -= going;
        }
        mass[row + slot] = 0;
        const next = slot + 1 < K ? slot + 1 : slot;
        mass[row + next] = (mass[row + next] as number) + m;
      }
    }
    for (let s = 0; s < S; s += 1) mass[s * K] = (mass[s * K] as number) + (moved[s] as number);
    alive -= closing;
    for (let p = 0; p < np; p += 1) {
      const period = periods[p] as { start: Day; end: Day };
      if (day >= period.start && day < period.end) {
        out[2 * p] = (out[2 * p] as number) + closing;
        out[2 * p + 1] = (out[2 * p + 1] as number) + winning;
      }
    }
    if (alive < 1e-12) break;
  }
}

/**
 * Kaplan-Meier product-limit estimate (Kaplan & Meier 1958), the reference the life table is
 * tested against: S(t) at each distinct event time, censored observations leaving the risk set
 * after the events of their time.
 */
export function kaplanMeier(
  durations: readonly number[],
  events: readonly boolean[]
): { time: number; survival: number }[] {
  const order = durations
    .map((t, i) => i)
    .sort((a, b) => (durations[a] as number) - (durations[b] as number));
  let atRisk = durations.length;
  let survival = 1;
  const out: { time: number; survival: number }[] = [];
  let i = 0;
  while (i < order.length) {
    const t = durations[order[i] as number] as number;
    let died = 0;
    let leaving = 0;
    while (i < order.length && durations[order[i] as number] === t) {
      if (events[order[i] as number]) died += 1;
      leaving += 1;
      i += 1;
    }
    if (died > 0) {
      survival *= 1 - died / atRisk;
      out.push({ time: t, survival });
    }
    atRisk -= leaving;
  }
  return out;
}
