/**
 * Benchmark: the assignment core (issue 4) and the calibration of the equality test.
 *
 *   tsx scripts/bench/assignment.ts                    # all scenarios, prints JSON lines + Markdown
 *   tsx scripts/bench/assignment.ts --write            # also writes docs/benchmarks/assignment.md
 *   tsx scripts/bench/assignment.ts --leads 200000 --scenario open --runs 200
 *
 * Each assignment scenario runs in its own child process, so the peak RSS
 * (process.resourceUsage().maxRSS) belongs to that scenario alone; it includes the million
 * input assets the engine would hold after reading them from the org. Time is measured
 * around assignBatch only (cold: the first call in the process; warm: a second call).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { assignBatch } from '../../services/engine/core/assignment/assign';
import { equalityReport, replayLedger, rosterSource } from '../../services/engine/core/assignment/audit';
import { calibrateEqualityTest, type CalibrationResult } from '../../services/engine/core/assignment/calibration';
import { emptyState, type AssetToAssign, type Rep } from '../../services/engine/core/assignment/model';
import { rebuildState } from '../../services/engine/core/assignment/state';
import { makeRep, makeStation } from '../../services/engine/core/assignment/testing';
import { createRng } from '../../services/engine/core/random';

const ROOT = path.resolve(__dirname, '../..');
const SCENARIOS = ['open', 'shifts-and-caps'] as const;
type Scenario = (typeof SCENARIOS)[number];

const resultSchema = z.object({
  scenario: z.enum(SCENARIOS),
  leads: z.number(),
  reps: z.number(),
  strata: z.number(),
  assigned: z.number(),
  waiting: z.number(),
  blocks: z.number(),
  coldSeconds: z.number(),
  coldCpuSeconds: z.number(),
  warmSeconds: z.number(),
  warmCpuSeconds: z.number(),
  /** 1-minute load average when the run started: other work on the 2 cores slows wall time. */
  loadAverage: z.number(),
  rebuildSeconds: z.number(),
  replaySeconds: z.number(),
  replayReproduced: z.boolean(),
  equalitySeconds: z.number(),
  inputRssMiB: z.number(),
  /** Peak RSS through input generation and the first (cold) assignBatch. */
  peakRssMiB: z.number(),
  /** Peak RSS after the warm run, rebuild, replay and equality report too. */
  auditPeakRssMiB: z.number()
});
type Result = z.infer<typeof resultSchema>;

const SOURCES = ['Web', 'List', 'Referral', 'Event', 'Partner'];
const SEGMENTS = ['SMB', 'Mid-Market', 'Enterprise', 'Strategic'];
const FAME = ['Unknown', 'Known', 'Famous'];
const ZONES = ['America/Chicago', 'Europe/Berlin', 'Asia/Singapore'];
const NOW = new Date('2026-03-10T14:30:00Z'); // a Tuesday: Chicago and Berlin on shift, Singapore not

function floor(scenario: Scenario, reps: number): Rep[] {
  return Array.from({ length: reps }, (_, i) =>
    makeRep(i, {
      weight: i % 10 === 0 ? 0.5 : 1,
      ...(scenario === 'shifts-and-caps'
        ? { timeZone: ZONES[i % 3] as string, shiftStartHour: 8, shiftEndHour: 17, workingDays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], wipCap: 250, leaveStart: i % 25 === 0 ? '2026-03-09' : null, leaveEnd: i % 25 === 0 ? '2026-03-13' : null }
        : {})
    })
  );
}

function leads(n: number, strata: number): { assets: AssetToAssign[]; quality: Map<string, Record<string, string>> } {
  const rng = createRng('bench-leads');
  const assets: AssetToAssign[] = new Array(n);
  const quality = new Map<string, Record<string, string>>();
  const start = NOW.getTime() - n * 10;
  for (let i = 0; i < n; i += 1) {
    const s = i % strata;
    const fields = {
      LeadSource: SOURCES[s % SOURCES.length] as string,
      Segment__c: SEGMENTS[Math.floor(s / SOURCES.length) % SEGMENTS.length] as string,
      Fame_Band__c: FAME[rng.int(0, 2)] as string
    };
    const id = `00Q${i.toString(36).padStart(15, '0')}`;
    assets[i] = { id, type: 'Lead', queuedAt: new Date(start + i * 10).toISOString(), fields, visit: 1 };
    quality.set(id, fields);
  }
  return { assets, quality };
}

const mib = (bytes: number): number => Math.round(bytes / 1048576);
const seconds = (from: number): number => Math.round((performance.now() - from) / 10) / 100;
/** User + system CPU of the whole process (main thread and V8's GC helpers) since `from`. */
const cpuSeconds = (from: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(from);
  return Math.round((used.user + used.system) / 10_000) / 100;
};

function child(scenario: Scenario, n: number, repCount: number, strata: number): void {
  const station = makeStation(scenario === 'open' ? { hourlyCapOverride: 1_000_000, targetWip: 0 } : {});
  const reps = floor(scenario, repCount);
  const { assets, quality } = leads(n, strata);
  const inputRss = process.memoryUsage().rss;
  const run = () => assignBatch({ station, reps, state: emptyState(station.key), assets, now: NOW, seed: 'bench', wip: {} });
  const loadBefore = os.loadavg()[0] as number;
  let cpu = process.cpuUsage();
  let t = performance.now();
  let result: ReturnType<typeof run> | null = run();
  const coldSeconds = seconds(t);
  const coldCpuSeconds = cpuSeconds(cpu);
  const peakRss = process.resourceUsage().maxRSS;
  result = null;
  cpu = process.cpuUsage();
  t = performance.now();
  result = run();
  const warmSeconds = seconds(t);
  const warmCpuSeconds = cpuSeconds(cpu);
  t = performance.now();
  rebuildState(station, result.rows, NOW);
  const rebuildSeconds = seconds(t);
  t = performance.now();
  const opened = result.blocks.filter((b) => b.kind === 'opened');
  const replay = replayLedger(result.rows, rosterSource(opened));
  const replaySeconds = seconds(t);
  t = performance.now();
  equalityReport(result.rows, replay, { quality, rng: createRng(1), monteCarlo: 'never' });
  const equalitySeconds = seconds(t);
  const out: Result = {
    scenario,
    leads: n,
    reps: repCount,
    strata: new Set(result.rows.map((r) => r.stratum)).size || strata,
    assigned: result.rows.length,
    waiting: result.waiting.length,
    blocks: opened.length,
    coldSeconds,
    coldCpuSeconds,
    warmSeconds,
    warmCpuSeconds,
    loadAverage: Math.round(loadBefore * 10) / 10,
    rebuildSeconds,
    replaySeconds,
    replayReproduced: replay.reproduced,
    equalitySeconds,
    inputRssMiB: mib(inputRss),
    peakRssMiB: Math.round(peakRss / 1024),
    auditPeakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024)
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function runChild(scenario: Scenario, n: number, reps: number, strata: number): Result {
  const res = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), __filename, '--child', scenario, '--leads', String(n), '--reps', String(reps), '--strata', String(strata)],
    { encoding: 'utf8', maxBuffer: 1 << 24 }
  );
  if (res.status !== 0) throw new Error(`child ${scenario} failed: ${res.stderr}`);
  const line = res.stdout.trim().split('\n').pop() ?? '';
  return resultSchema.parse(JSON.parse(line));
}

function rate(r: CalibrationResult['fame']): string {
  return `${r.rejections}/${r.runs} = ${(100 * r.rate).toFixed(2)}% (95% Wilson ${(100 * r.low).toFixed(2)}-${(100 * r.high).toFixed(2)}%)`;
}

/** The target check in words, from the numbers measured (never asserted in advance). */
function verdict(results: Result[]): string {
  const open = results.find((r) => r.scenario === 'open');
  if (!open) return '';
  if (open.leads !== 1_000_000 || open.reps !== 500 || open.strata !== 20) return 'Target check: the targets are for 1,000,000 leads, 500 reps and 20 strata; not this run.';
  const memory = open.peakRssMiB <= 1024 ? `peak RSS ${open.peakRssMiB} MiB meets the 1 GB target` : `peak RSS ${open.peakRssMiB} MiB misses the 1 GB target`;
  const time =
    open.coldSeconds <= 2
      ? `cold wall time ${open.coldSeconds} s meets the 2 s target`
      : `cold wall time ${open.coldSeconds} s misses the 2 s target at load average ${open.loadAverage} (CPU time ${open.coldCpuSeconds} s); rerun on a quiet machine to check wall time`;
  return `Target check (open scenario): ${memory}; ${time}.`;
}

function markdown(results: Result[], all: Result[][], large: CalibrationResult, small: CalibrationResult, runs: number, calibrationSeconds: number): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '# Benchmarks: assignment core',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on this machine: ${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 1073741824)} GiB, Node ${process.version}, ${os.platform()}.`,
    'Command: `tsx scripts/bench/assignment.ts --write`. Each scenario runs in its own process; peak RSS is that',
    "process's maximum resident set (process.resourceUsage().maxRSS) and includes the million input assets.",
    '',
    '## 1,000,000 leads, 500 reps, 20 strata (target: <= 2 s and <= 1 GB)',
    '',
    '| scenario | assigned | waiting | blocks | assignBatch cold: wall (CPU) s | warm: wall (CPU) s | load avg | input RSS (MiB) | peak RSS (MiB) | rebuild state (s) | replay rows (s) | equality report (s) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.scenario} | ${r.assigned.toLocaleString('en-US')} | ${r.waiting.toLocaleString('en-US')} | ${r.blocks} | ${r.coldSeconds} (${r.coldCpuSeconds}) | ${r.warmSeconds} (${r.warmCpuSeconds}) | ${r.loadAverage} | ${r.inputRssMiB} | ${r.peakRssMiB} | ${r.rebuildSeconds} | ${r.replaySeconds}${r.replayReproduced ? '' : ' (NOT reproduced)'} | ${r.equalitySeconds} |`
    ),
    '',
    `Fastest cold run of ${all[0]?.length ?? 0} processes per scenario shown; every run, cold wall (CPU) s at load average:`,
    ...all.map((runs) => `- ${runs[0]?.scenario}: ${runs.map((r) => `${r.coldSeconds} (${r.coldCpuSeconds}) at ${r.loadAverage}`).join('; ')}`),
    '',
    verdict(results),
    '',
    '- Wall time is elapsed time; CPU is the process\'s user + system time (main thread and V8\'s GC',
    '  helpers). With other work on the two cores (load average above 2) wall time grows and CPU',
    '  time is the better measure of the engine\'s own cost.',
    '- `open`: every rep on shift, caps out of the way (one bulk run, e.g. an initial load or a full rebalance);',
    '  10% of reps ramping at weight 0.5. All leads are assigned.',
    '- `shifts-and-caps`: reps in Chicago, Berlin and Singapore on 8-17 local shifts (Singapore is off shift at',
    '  14:30 UTC), 4% on leave, 2-minute handling (30 an hour each) and a WIP cap of 250: a run assigns what',
    '  capacity allows and the rest waits, oldest first, with its reason.',
    '',
    '## Equality test on a floor of truly equal reps (nominal 5%)',
    '',
    `${runs} seeded floors each; every floor assigns its leads with the engine and runs the equality report.`,
    'Fame band is not a stratum, so its test should reject about 5% of the time; lead source and segment are',
    'strata, balanced by the design, so their tests are conservative (reject less than 5%).',
    '',
    '| floor | p-value | rep x Fame band rejects | rep x LeadSource | rep x Segment | any of 3 (Holm) |',
    '|---|---|---|---|---|---|',
    `| 20 reps, 2,000 leads | asymptotic chi-square | ${rate(large.fame)} | ${rate(large.leadSource)} | ${rate(large.segment)} | ${rate(large.family)} |`,
    `| 20 reps, 150 leads, Famous 5% | Monte Carlo permutation (${small.monteCarloRuns}/${runs} floors) | ${rate(small.fame)} | ${rate(small.leadSource)} | ${rate(small.segment)} | ${rate(small.family)} |`,
    '',
    `Calibration time: ${calibrationSeconds} s.`,
    ''
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const program = new Command('assignment-bench')
    .addOption(new Option('--child <scenario>').choices([...SCENARIOS]).hideHelp())
    .option('--leads <n>', 'leads per scenario', '1000000')
    .option('--reps <n>', 'reps', '500')
    .option('--strata <n>', 'strata (lead source x segment combinations, at most 20)', '20')
    .addOption(new Option('--scenario <name>', 'run one scenario').choices([...SCENARIOS]))
    .option('--runs <n>', 'calibration floors per case', '2000')
    .option('--repeat <n>', 'processes per scenario (the table shows the fastest cold run and lists all)', '3')
    .option('--write', 'write docs/benchmarks/assignment.md')
    .parse(process.argv);
  const opts = z
    .object({
      child: z.enum(SCENARIOS).optional(),
      leads: z.coerce.number().int().positive(),
      reps: z.coerce.number().int().positive(),
      strata: z.coerce.number().int().min(1).max(20),
      scenario: z.enum(SCENARIOS).optional(),
      runs: z.coerce.number().int().min(0),
      repeat: z.coerce.number().int().min(1),
      write: z.boolean().optional()
    })
    .parse(program.opts());
  if (opts.child) return child(opts.child, opts.leads, opts.reps, opts.strata);
  const all: Result[][] = (opts.scenario ? [opts.scenario] : [...SCENARIOS]).map((s) =>
    Array.from({ length: opts.repeat }, () => {
      const r = runChild(s, opts.leads, opts.reps, opts.strata);
      process.stdout.write(`${JSON.stringify(r)}\n`);
      return r;
    })
  );
  const results = all.map((runs) => runs.reduce((best, r) => (r.coldSeconds < best.coldSeconds ? r : best)));
  const t = performance.now();
  const large = calibrateEqualityTest({ runs: opts.runs, reps: 20, leadsPerRun: 2000, seed: 20260310 });
  process.stdout.write(`${JSON.stringify({ calibration: '20 reps x 2000 leads', ...large })}\n`);
  const small = calibrateEqualityTest({ runs: opts.runs, reps: 20, leadsPerRun: 150, seed: 20260311, fameShares: { Unknown: 0.8, Known: 0.15, Famous: 0.05 }, permutations: 999 });
  process.stdout.write(`${JSON.stringify({ calibration: '20 reps x 150 leads, Monte Carlo', ...small })}\n`);
  const text = markdown(results, all, large, small, opts.runs, seconds(t));
  process.stdout.write(`\n${text}`);
  if (opts.write) {
    mkdirSync(path.join(ROOT, 'docs/benchmarks'), { recursive: true });
    writeFileSync(path.join(ROOT, 'docs/benchmarks/assignment.md'), text);
  }
}

void main();
