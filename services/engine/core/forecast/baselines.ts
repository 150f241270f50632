import { MONTHS_IN, shiftPeriod, type Period } from './dates';
import {
  amountAt,
  expectedCloseAt,
  isOpenAt,
  OPEN,
  stageAt,
  wonBetween,
  type KnownDeals
} from './known';
import { fitValues } from './values';

/**
 * The baselines every backtest reports next to the model, each computed from the same known
 * table (so from the same information) as the model:
 *   - last period: the previous period's bookings;
 *   - trailing mean: the mean of the last three periods;
 *   - seasonal naive: the same period one cycle back (a quarter back for months with a
 *     quarterly season, a year back otherwise), else the last period;
 *   - stage-weighted pipeline: what a CRM forecast report shows, sum of amount x stage win
 *     rate over open deals expected to close in the period.
 * A period counts as observed only if it ends after the export's first close; before that
 * the export holds no bookings, which is not the same as zero bookings.
 */
export type BaselineName = 'lastPeriod' | 'trailing3' | 'seasonalNaive' | 'stageWeighted';

export const BASELINES: readonly BaselineName[] = [
  'lastPeriod',
  'trailing3',
  'seasonalNaive',
  'stageWeighted'
];

function bookings(k: KnownDeals, period: Period): number | null {
  if (k.observedFrom === null || period.end <= k.observedFrom || period.end > k.asOf) return null;
  return wonBetween(k, period.start, period.end);
}

/** Months per cycle for the seasonal naive baseline, by period type. */
export function cyclePeriods(period: Period, seasonLength: number): number {
  if (period.type === 'month') return seasonLength === 1 ? 12 : seasonLength;
  return 12 / MONTHS_IN[period.type];
}

export function baselineForecasts(
  k: KnownDeals,
  period: Period,
  seasonLength: number
): Record<BaselineName, number | null> {
  const last = bookings(k, shiftPeriod(period, -1));
  const trailing = [1, 2, 3]
    .map((n) => bookings(k, shiftPeriod(period, -n)))
    .filter((x): x is number => x !== null);
  const seasonal = bookings(k, shiftPeriod(period, -cyclePeriods(period, seasonLength)));
  return {
    lastPeriod: last,
    trailing3: trailing.length > 0 ? trailing.reduce((s, x) => s + x, 0) / trailing.length : null,
    seasonalNaive: seasonal ?? last,
    stageWeighted: stageWeighted(k, period)
  };
}

/**
 * Stage-weighted pipeline. The stage win rate is won / closed among the closed deals that were
 * at that stage at some point (a stage's conversion to won, as a pipeline report computes it;
 * all deals when there is no stage history). Counting only the deals last seen at a stage would
 * give every stage before the last one a rate near zero wherever deals are won only from the
 * last stage. An open deal's expected close date is the CRM's, if known at the as-of date, else
 * its created date plus the median days to close; a date already past counts as the current
 * period.
 */
export function stageWeighted(k: KnownDeals, period: Period): number | null {
  if (k.observedFrom === null) return null;
  const stages = k.dict.stage.length;
  const closed = new Float64Array(stages);
  const wins = new Float64Array(stages);
  const cycle: number[] = [];
  // Which deal last counted a stage: each closed deal counts once per stage it passed through.
  const countedBy = new Int32Array(stages).fill(-1);
  let totalClosed = 0;
  let totalWins = 0;
  const count = (i: number, stage: number): void => {
    if (countedBy[stage] === i) return;
    countedBy[stage] = i;
    closed[stage] = (closed[stage] as number) + 1;
    if (k.won[i]) wins[stage] = (wins[stage] as number) + 1;
  };
  const { offsets, stage: rowStage } = k.history;
  for (let i = 0; i < k.n; i += 1) {
    if ((k.close[i] as number) === OPEN) continue;
    totalClosed += 1;
    if (k.won[i]) totalWins += 1;
    const first = offsets[i] as number;
    const last = offsets[i + 1] as number;
    if (first === last) count(i, stageAt(k, i, k.close[i] as number));
    for (let r = first; r < last; r += 1) count(i, rowStage[r] as number);
    cycle.push((k.close[i] as number) - (k.created[i] as number));
  }
  const overall = totalClosed > 0 ? totalWins / totalClosed : 0;
  cycle.sort((a, b) => a - b);
  const median = cycle.length > 0 ? (cycle[Math.floor(cycle.length / 2)] as number) : 0;
  const values = fitValues(k, k.asOf);
  let total = 0;
  for (let i = 0; i < k.n; i += 1) {
    if (!isOpenAt(k, i, k.asOf)) continue;
    const known = expectedCloseAt(k, i, k.asOf);
    const expected = Math.max(k.asOf, known >= 0 ? known : (k.created[i] as number) + median);
    if (expected < period.start || expected >= period.end) continue;
    const stage = stageAt(k, i, k.asOf);
    // One pseudo-deal at the overall rate keeps a stage seen once from weighing 0 or 1.
    const rate = ((wins[stage] as number) + overall) / ((closed[stage] as number) + 1);
    const amount = amountAt(k, i, k.asOf);
    total += rate * (amount > 0 ? amount : (values.mean[k.product[i] as number] as number));
  }
  return total;
}
