import type { Rng } from '../random';
import {
  dayFromIso,
  isoFromDay,
  monthIndexOfDay,
  phaseOfMonth,
  type Day,
  type Period
} from './dates';
import type { OpportunityHistory, OpportunityHistoryRow, StageHistoryRow } from './types';

/**
 * A known-truth pipeline for testing the forecast: every deal has true odds of winning (a
 * logistic function of product, segment, source and rep) and a true daily close hazard
 * (Weibull in the deal's age, by segment, times a month-of-quarter push). Deals arrive as a
 * Poisson stream. The oracle knows all of it and forecasts the exact expectation; no model
 * can beat it on average, so it measures how much a model loses by having to learn.
 */
export interface SyntheticSpec {
  start: string;
  months: number;
  arrivalsPerDay: number;
  reps: number;
  teams: number;
  products: { name: string; price: number; weight: number; logOdds: number }[];
  segments: { name: string; weight: number; logOdds: number; scaleDays: number }[];
  sources: { name: string; weight: number; logOdds: number }[];
  baseLogOdds: number;
  repLogOddsSd: number;
  weibullShape: number;
  /** Hazard multiplier by month of the quarter (1st, 2nd, 3rd). */
  quarterPush: [number, number, number];
  valueSd: number;
}

export const DEFAULT_SYNTHETIC: SyntheticSpec = {
  start: '2015-01-01',
  months: 36,
  arrivalsPerDay: 6,
  reps: 12,
  teams: 3,
  products: [
    { name: 'Starter', price: 2_000, weight: 0.45, logOdds: 0.3 },
    { name: 'Pro', price: 9_000, weight: 0.35, logOdds: 0 },
    { name: 'Enterprise', price: 40_000, weight: 0.15, logOdds: -0.5 },
    { name: 'Services', price: 15_000, weight: 0.05, logOdds: 0.2 }
  ],
  segments: [
    { name: 'SMB', weight: 0.5, logOdds: 0.2, scaleDays: 35 },
    { name: 'Mid-Market', weight: 0.35, logOdds: 0, scaleDays: 60 },
    { name: 'Enterprise', weight: 0.15, logOdds: -0.4, scaleDays: 110 }
  ],
  sources: [
    { name: 'Inbound', weight: 0.4, logOdds: 0.4 },
    { name: 'Outbound', weight: 0.4, logOdds: -0.3 },
    { name: 'Partner', weight: 0.2, logOdds: 0.1 }
  ],
  baseLogOdds: -0.2,
  repLogOddsSd: 0.35,
  weibullShape: 1.4,
  quarterPush: [0.8, 1.0, 1.4],
  valueSd: 0.3
};

export interface TrueDeal {
  id: string;
  created: Day;
  pWin: number;
  segment: number;
  value: number;
}

export interface SyntheticWorld {
  spec: SyntheticSpec;
  history: OpportunityHistory;
  truth: Map<string, TrueDeal>;
  repOdds: number[];
  end: Day;
}

function choose<T extends { weight: number }>(items: readonly T[], u: number): number {
  let acc = 0;
  for (let i = 0; i < items.length; i += 1) {
    acc += (items[i] as T).weight;
    if (u < acc) return i;
  }
  return items.length - 1;
}

function normal(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

function poisson(rng: Rng, mean: number): number {
  // Knuth's method: fine for the small daily means used here.
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k += 1;
    p *= rng.next();
  }
  return k;
}

/** True daily close probability of a deal of this segment at this age on this day. */
export function trueCloseProb(spec: SyntheticSpec, segment: number, age: number, day: Day): number {
  const scale = (spec.segments[segment] as SyntheticSpec['segments'][number]).scaleDays;
  const k = spec.weibullShape;
  // Weibull cumulative hazard over the day [age, age + 1).
  const H = Math.pow((age + 1) / scale, k) - Math.pow(age / scale, k);
  const push = spec.quarterPush[phaseOfMonth(monthIndexOfDay(day), 3)] as number;
  return 1 - Math.exp(-H * push);
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export function generateSynthetic(
  rng: Rng,
  spec: SyntheticSpec = DEFAULT_SYNTHETIC
): SyntheticWorld {
  const start = dayFromIso(spec.start, 'start');
  const endMonth = monthIndexOfDay(start) + spec.months;
  const end = dayFromIso(
    `${1970 + Math.floor(endMonth / 12)}-${String((endMonth % 12) + 1).padStart(2, '0')}-01`,
    'end'
  );
  const repOdds = Array.from({ length: spec.reps }, () => spec.repLogOddsSd * normal(rng));
  const opportunities: OpportunityHistoryRow[] = [];
  const stageHistory: StageHistoryRow[] = [];
  const truth = new Map<string, TrueDeal>();
  let serial = 0;
  for (let day = start; day < end; day += 1) {
    const arrivals = poisson(rng, spec.arrivalsPerDay);
    for (let a = 0; a < arrivals; a += 1) {
      serial += 1;
      const id = `SYN-${String(serial).padStart(6, '0')}`;
      const rep = rng.int(0, spec.reps - 1);
      const product = choose(spec.products, rng.next());
      const segment = choose(spec.segments, rng.next());
      const source = choose(spec.sources, rng.next());
      const p = spec.products[product] as SyntheticSpec['products'][number];
      const s = spec.segments[segment] as SyntheticSpec['segments'][number];
      const src = spec.sources[source] as SyntheticSpec['sources'][number];
      const pWin = sigmoid(
        spec.baseLogOdds + p.logOdds + s.logOdds + src.logOdds + (repOdds[rep] as number)
      );
      const value = Math.round(
        p.price * Math.exp(spec.valueSd * normal(rng) - (spec.valueSd * spec.valueSd) / 2)
      );
      let closeDay: Day | null = null;
      for (let d = day; d < end; d += 1) {
        if (rng.next() < trueCloseProb(spec, segment, d - day, d)) {
          closeDay = d;
          break;
        }
      }
      const isWon = closeDay !== null && rng.next() < pWin;
      truth.set(id, { id, created: day, pWin, segment, value });
      opportunities.push({
        id,
        rep: `Rep ${String(rep + 1).padStart(2, '0')}`,
        team: `Team ${(rep % spec.teams) + 1}`,
        product: p.name,
        segment: s.name,
        source: src.name,
        account: null,
        stage: closeDay === null ? 'Qualify' : isWon ? 'Closed Won' : 'Closed Lost',
        amount: value,
        createdDate: isoFromDay(day),
        closeDate: closeDay === null ? null : isoFromDay(closeDay),
        isClosed: closeDay !== null,
        isWon
      });
      // The amount is entered when the deal is created, so it is known while it is open.
      stageHistory.push({
        opportunityId: id,
        date: isoFromDay(day),
        stage: 'Qualify',
        amount: value
      });
    }
  }
  return {
    spec,
    history: { snapshotDate: isoFromDay(end), opportunities, stageHistory },
    truth,
    repOdds,
    end
  };
}

/** P(close inside [periodStart, periodEnd) | open at the start of `from`), by the true hazard. */
function closeInPeriod(
  spec: SyntheticSpec,
  segment: number,
  created: Day,
  from: Day,
  period: Period
): number {
  let survival = 1;
  let inside = 0;
  for (let d = from; d < period.end; d += 1) {
    const closing = survival * trueCloseProb(spec, segment, d - created, d);
    if (d >= period.start) inside += closing;
    survival -= closing;
  }
  return inside;
}

/**
 * The oracle's expected bookings for `period` standing at `asOf`: true odds, true hazards
 * and true values of every deal open then, plus the true arrival stream.
 */
export function oracleForecast(world: SyntheticWorld, asOf: Day, period: Period): number {
  const { spec } = world;
  let total = 0;
  for (const row of world.history.opportunities) {
    const deal = world.truth.get(row.id) as TrueDeal;
    if (deal.created >= asOf) continue;
    if (row.isClosed && row.closeDate && dayFromIso(row.closeDate, 'closeDate') < asOf) continue;
    total += deal.value * deal.pWin * closeInPeriod(spec, deal.segment, deal.created, asOf, period);
  }
  // New deals: the expectation over the arrival mix, day by day.
  const meanRepOdds = world.repOdds;
  for (let day = asOf; day < period.end; day += 1) {
    for (let s = 0; s < spec.segments.length; s += 1) {
      const seg = spec.segments[s] as SyntheticSpec['segments'][number];
      const inPeriod = closeInPeriod(spec, s, day, day, period);
      if (inPeriod === 0) continue;
      let valueOdds = 0;
      for (const p of spec.products)
        for (const src of spec.sources)
          for (const repOdds of meanRepOdds) {
            const pWin = sigmoid(
              spec.baseLogOdds + p.logOdds + seg.logOdds + src.logOdds + repOdds
            );
            valueOdds += (p.weight * src.weight * p.price * pWin) / meanRepOdds.length;
          }
      total += spec.arrivalsPerDay * seg.weight * valueOdds * inPeriod;
    }
  }
  return total;
}
