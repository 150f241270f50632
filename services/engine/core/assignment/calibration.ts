import { createRng, type Rng } from '../random';
import { wilsonInterval } from '../stats/binomial';
import { assignBatch } from './assign';
import { equalityReport } from './audit';
import { emptyState, type AssetToAssign } from './model';
import { makeRep, makeStation } from './testing';

/**
 * Calibration of the equality test: simulate many floors where every rep is truly equal
 * (random leads, randomized assignment), run the equality report on each, and count how
 * often it rejects. A well-calibrated test rejects about alpha of the time. Fame band is not
 * a stratum, so its test is the one that should reject at alpha; lead source and segment
 * are strata, balanced by design, so their tests reject less often than alpha (conservative).
 */
export interface CalibrationOptions {
  runs: number;
  reps: number;
  leadsPerRun: number;
  seed: number;
  alpha?: number;
  /** Fame band shares; a rare band gives small expected counts and the Monte Carlo p-value. */
  fameShares?: Readonly<Record<string, number>>;
  permutations?: number;
}

export interface RateEstimate {
  rejections: number;
  runs: number;
  rate: number;
  low: number;
  high: number;
}

export interface CalibrationResult {
  alpha: number;
  fame: RateEstimate;
  leadSource: RateEstimate;
  segment: RateEstimate;
  /** Any of the three after Holm's adjustment. */
  family: RateEstimate;
  monteCarloRuns: number;
}

/** A sampler of names by share: cumulative shares searched linearly (a handful of names). */
function sampler(shares: Readonly<Record<string, number>>): (rng: Rng) => string {
  const names = Object.keys(shares);
  const total = Object.values(shares).reduce((s, w) => s + w, 0);
  let running = 0;
  const cumulative = Object.values(shares).map((w) => (running += w / total));
  return (rng) => {
    const u = rng.next();
    for (let i = 0; i < names.length - 1; i += 1) if (u < (cumulative[i] as number)) return names[i] as string;
    return names[names.length - 1] as string;
  };
}

const SOURCES = { Web: 0.4, List: 0.3, Referral: 0.2, Event: 0.1 };
const SEGMENTS = { SMB: 0.6, 'Mid-Market': 0.3, Enterprise: 0.1 };
const FAME = { Unknown: 0.6, Known: 0.3, Famous: 0.1 };

function estimate(rejections: number, runs: number): RateEstimate {
  const { low, high } = wilsonInterval(rejections, runs);
  return { rejections, runs, rate: runs === 0 ? 0 : rejections / runs, low, high };
}

export function calibrateEqualityTest(options: CalibrationOptions): CalibrationResult {
  const alpha = options.alpha ?? 0.05;
  const station = makeStation({ hourlyCapOverride: 1_000_000, targetWip: 0 });
  const reps = Array.from({ length: options.reps }, (_, i) => makeRep(i));
  const now = new Date('2024-05-06T15:00:00Z');
  const counts = { fame: 0, leadSource: 0, segment: 0, family: 0, monteCarlo: 0 };
  const master = createRng(options.seed);
  const source = sampler(SOURCES);
  const segment = sampler(SEGMENTS);
  const fame = sampler(options.fameShares ?? FAME);
  const ids = Array.from({ length: options.leadsPerRun }, (_, i) => `00Q${String(i).padStart(15, '0')}`);
  for (let run = 0; run < options.runs; run += 1) {
    const rng = master.fork();
    const quality = new Map<string, Record<string, string>>();
    const assets: AssetToAssign[] = [];
    for (const id of ids) {
      const fields = { LeadSource: source(rng), Segment__c: segment(rng), Fame_Band__c: fame(rng) };
      quality.set(id, fields);
      assets.push({ id, type: 'Lead', queuedAt: now.toISOString(), fields });
    }
    const result = assignBatch({ station, reps, state: emptyState(station.key), assets, now, seed: `cal${run}`, wip: {} });
    const report = equalityReport(result.rows, null, {
      quality,
      rng,
      alpha,
      ...(options.permutations ? { permutations: options.permutations } : {})
    });
    const byDimension = new Map(report.tests.map((t) => [t.dimension, t] as const));
    if ((byDimension.get('Fame_Band__c')?.pValue ?? 1) < alpha) counts.fame += 1;
    if ((byDimension.get('LeadSource')?.pValue ?? 1) < alpha) counts.leadSource += 1;
    if ((byDimension.get('Segment__c')?.pValue ?? 1) < alpha) counts.segment += 1;
    if (!report.equal) counts.family += 1;
    if (byDimension.get('Fame_Band__c')?.method === 'monte-carlo') counts.monteCarlo += 1;
  }
  return {
    alpha,
    fame: estimate(counts.fame, options.runs),
    leadSource: estimate(counts.leadSource, options.runs),
    segment: estimate(counts.segment, options.runs),
    family: estimate(counts.family, options.runs),
    monteCarloRuns: counts.monteCarlo
  };
}
