import type { QueueDefaults } from '../queue/config';
import type { BehaviourModel } from './behaviourModel';
import { runFloor, type RunMetrics } from './floor';
import { POLICIES } from './policies';
import type { Scenario } from './scenario';
import { meanInterval, percentile, ratioInterval, type Interval } from './stats';

export const POLICY_KEYS = ['ours', 'fifo', 'newest', 'random', 'self', 'cadence'] as const;
export type PolicyKey = (typeof POLICY_KEYS)[number];

/** One seed, every policy, on identical arrivals and luck. */
export function runSeed(model: BehaviourModel, scenario: Scenario, policies: readonly PolicyKey[], seed: number, defaults?: QueueDefaults): RunMetrics[] {
  return policies.map((key) => runFloor(model, scenario, POLICIES[key] as NonNullable<(typeof POLICIES)[string]>, seed, defaults ? { defaults } : {}));
}

export interface PolicySummary {
  key: PolicyKey;
  name: string;
  seeds: number;
  meetingsPerSdrHour: Interval;
  meetingsHeldPerSdrHour: Interval;
  dialsPerSdrHour: Interval;
  contactRate: Interval;
  speedToLeadP50: Interval;
  speedToLeadP95: Interval;
  speedToLeadOnShiftP50: Interval;
  speedToLeadOnShiftP95: Interval;
  inboundWithin5Share: Interval;
  leakedShare: Interval;
  openAtEndShare: Interval;
  offHoursCalls: Interval;
  offHoursShare: Interval;
  utilisation: Interval;
}

export interface RatioSummary {
  baseline: PolicyKey;
  name: string;
  /** Our meetings per SDR hour over the baseline's: geometric mean of per-seed ratios, 95% interval. */
  meetingsPerSdrHour: Interval;
}

export interface ComparisonReport {
  seeds: number[];
  scenario: Scenario;
  policies: PolicySummary[];
  ratios: RatioSummary[];
}

function summarisePolicy(key: PolicyKey, runs: readonly RunMetrics[]): PolicySummary {
  const of = (f: (r: RunMetrics) => number) => meanInterval(runs.map(f));
  return {
    key,
    name: runs[0]?.policy ?? key,
    seeds: runs.length,
    meetingsPerSdrHour: of((r) => r.meetings / r.sdrHours),
    meetingsHeldPerSdrHour: of((r) => r.meetingsHeld / r.sdrHours),
    dialsPerSdrHour: of((r) => r.dials / r.sdrHours),
    contactRate: of((r) => r.connects / Math.max(1, r.dials)),
    speedToLeadP50: of((r) => percentile(r.speedToLead, 0.5)),
    speedToLeadP95: of((r) => percentile(r.speedToLead, 0.95)),
    speedToLeadOnShiftP50: of((r) => percentile(r.speedToLeadOnShift, 0.5)),
    speedToLeadOnShiftP95: of((r) => percentile(r.speedToLeadOnShift, 0.95)),
    inboundWithin5Share: of((r) => r.inboundWithin5 / Math.max(1, r.inboundLeads)),
    leakedShare: of((r) => r.leaked / Math.max(1, r.leakEligible)),
    openAtEndShare: of((r) => r.openAtEnd / Math.max(1, r.leads)),
    offHoursCalls: of((r) => r.offHoursCalls),
    offHoursShare: of((r) => r.offHoursCalls / Math.max(1, r.dials)),
    utilisation: of((r) => r.busyMinutes / 60 / r.sdrHours)
  };
}

/** Summaries and paired ratios from the runs of every seed (runs[seedIndex][policyIndex]). */
export function compareRuns(scenario: Scenario, seeds: readonly number[], policies: readonly PolicyKey[], runs: ReadonlyArray<readonly RunMetrics[]>): ComparisonReport {
  const byPolicy = policies.map((key, p) => ({ key, runs: runs.map((seedRuns) => seedRuns[p] as RunMetrics) }));
  const summaries = byPolicy.map(({ key, runs: r }) => summarisePolicy(key, r));
  const ours = byPolicy.find((p) => p.key === 'ours');
  const ratios: RatioSummary[] = ours
    ? byPolicy
        .filter((p) => p.key !== 'ours')
        .map((p) => ({
          baseline: p.key,
          name: p.runs[0]?.policy ?? p.key,
          meetingsPerSdrHour: ratioInterval(
            ours.runs.map((r) => r.meetings / r.sdrHours),
            p.runs.map((r) => r.meetings / r.sdrHours)
          )
        }))
    : [];
  return { seeds: [...seeds], scenario, policies: summaries, ratios };
}

const fmt = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : v === Infinity ? 'never' : '-');
function cell(i: Interval, digits: number, scale = 1): string {
  const mean = fmt(i.mean * scale, digits);
  if (!Number.isFinite(i.low) || !Number.isFinite(i.high)) return mean;
  return `${mean} [${fmt(i.low * scale, digits)}, ${fmt(i.high * scale, digits)}]`;
}

/** The comparison as plain-text tables (means with 95% intervals over seeds). */
export function formatReport(report: ComparisonReport): string {
  const s = report.scenario;
  const lines: string[] = [];
  lines.push(
    `SDR floor: ${s.sdrs} SDRs, ${s.weeks} weeks, ${s.inboundPerSdrWeekday} inbound per SDR per weekday, ${s.listLeadsPerSdrWeek} list leads per SDR per week; seeds ${report.seeds[0]}..${report.seeds[report.seeds.length - 1]} (${report.seeds.length}). Means with 95% intervals over seeds.`
  );
  lines.push('');
  const rows: string[][] = [
    ['policy', 'meetings/SDR h', 'contact rate %', 'speed p50 min', 'speed p95 min', 'on-shift p50', 'on-shift p95', 'inbound <=5 min %', 'leaked %', 'open at end %', 'off-hours calls', 'utilisation %']
  ];
  for (const p of report.policies) {
    rows.push([
      p.name,
      cell(p.meetingsPerSdrHour, 4),
      cell(p.contactRate, 1, 100),
      cell(p.speedToLeadP50, 1),
      cell(p.speedToLeadP95, 0),
      cell(p.speedToLeadOnShiftP50, 1),
      cell(p.speedToLeadOnShiftP95, 0),
      cell(p.inboundWithin5Share, 1, 100),
      cell(p.leakedShare, 2, 100),
      cell(p.openAtEndShare, 1, 100),
      cell(p.offHoursCalls, 0),
      cell(p.utilisation, 0, 100)
    ]);
  }
  lines.push(...table(rows));
  if (report.ratios.length > 0) {
    lines.push('');
    const ratioRows = [['ours vs', 'meetings per SDR hour ratio [95% interval]']];
    for (const r of report.ratios) ratioRows.push([r.name, cell(r.meetingsPerSdrHour, 3)]);
    lines.push(...table(ratioRows));
  }
  return lines.join('\n');
}

function table(rows: readonly string[][]): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  const line = (r: readonly string[]) => `| ${r.map((v, c) => v.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  return [line(rows[0] ?? []), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)];
}
