import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { METHODS, runBacktest, type Backtest, type MethodName } from '../../core/forecast';
import { readOrgHistory } from '../../features/forecast/orgHistory';
import { loadHistory, repoRoot } from '../forecastSource';
import { connectFromOption, ORG_OPTION_HELP } from '../orgOption';
import {
  addSourceOptions,
  modelOptionsFrom,
  ModelFlagsSchema,
  sourceFrom,
  SourceOptionFlagsSchema,
  zodFlags
} from './forecastFlags';

/**
 * `asl backtest`: rolling-origin backtest of the forecast and its baselines on an opportunity
 * CSV (with a column mapping or a preset) or a history JSON file (docs/forecasting.md).
 */
const FlagsSchema = SourceOptionFlagsSchema.merge(ModelFlagsSchema).extend({
  period: z.enum(['month', 'quarter'], { error: '--period is month or quarter' }).default('month'),
  from: z.string().optional(),
  to: z.string().optional(),
  leakageCheck: z.boolean().default(true),
  org: z.string().optional(),
  demo: z.boolean().default(false),
  seeds: z.coerce.number().int().min(1).max(200).default(5),
  leads: z.coerce.number().int().min(500).max(1_000_000).default(5000),
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '--as-of must be YYYY-MM-DD')
    .optional(),
  json: z.boolean().default(false)
});

export const METHOD_LABELS: Record<MethodName, string> = {
  model: 'model',
  lastPeriod: 'last period',
  trailing3: 'trailing 3',
  seasonalNaive: 'seasonal naive',
  stageWeighted: 'stage-weighted'
};

const money = (x: number | null): string =>
  x === null ? '-' : Math.round(x).toLocaleString('en-US');
const pct = (x: number | null): string => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);

export function formatBacktest(bt: Backtest): string {
  const head = [
    'period',
    'as-of',
    'actual',
    ...METHODS.map((m) => METHOD_LABELS[m]),
    'model P10-P90',
    'in range'
  ];
  const rows = bt.rows.map((r) => [
    r.period,
    r.asOf,
    money(r.actual),
    ...METHODS.map(
      (m) =>
        `${money(r.forecasts[m])} (${r.errors[m] === null || r.actual === 0 ? '-' : pct((r.errors[m] as number) / r.actual)})`
    ),
    `${money(r.p10)}-${money(r.p90)}`,
    r.covered ? 'yes' : 'no'
  ]);
  const widths = head.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (row[i] as string).length))
  );
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i < 2 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join('  ');
  const out = [
    `Backtest by ${bt.periodType}, as of the first day of each ${bt.periodType} from ${bt.from} to ${bt.to} (seed ${bt.seed}, ${bt.draws.toLocaleString('en-US')} draws).`,
    'Forecasts in money, error (forecast - actual) / actual in brackets.',
    '',
    line(head),
    ...rows.map(line),
    '',
    'method           WAPE    bias  periods',
    ...bt.scores.map(
      (s) =>
        `${METHOD_LABELS[s.method].padEnd(15)} ${pct(s.wape).padStart(6)} ${pct(s.bias).padStart(7)}  ${s.periods}`
    ),
    '',
    `P10-P90 coverage (model): ${bt.coverage.covered} of ${bt.coverage.periods} periods (${pct(bt.coverage.rate)}; an honest 80% range holds about 80%).`
  ];
  if (bt.leakage.length > 0) {
    const failed = bt.leakage.filter((l) => !l.passed);
    out.push(
      failed.length === 0
        ? `Leakage self-test: passed at all ${bt.leakage.length} as-of dates (scrambling everything after each left the forecast identical).`
        : `Leakage self-test: FAILED at ${failed.map((l) => `${l.asOf} (${l.difference})`).join(', ')}.`
    );
  }
  return `${out.join('\n')}\n`;
}

type Flags = z.infer<typeof FlagsSchema>;

/** The first day of the month `offset` months from the month of `iso`. */
function monthStart(iso: string, offset: number): string {
  const [y, m] = iso.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

/**
 * `--demo`: the demo floor with its ground truth. The truth store belongs to the local org and
 * the engine never reads it, so the oracle run lives in scripts/bench/forecast-demo.ts (which
 * starts its own in-process local orgs) and this command only starts it.
 */
function runDemo(flags: Flags): void {
  const script = path.join(repoRoot(), 'scripts', 'bench', 'forecast-demo.ts');
  const args = [
    script,
    '--seeds',
    String(flags.seeds),
    '--leads',
    String(flags.leads),
    '--draws',
    String(flags.draws),
    ...(flags.asOf ? ['--as-of', flags.asOf] : []),
    ...(flags.leakageCheck ? [] : ['--no-leakage-check']),
    ...(flags.json ? ['--json'] : [])
  ];
  const tsx = path.join(repoRoot(), 'node_modules', '.bin', 'tsx');
  const result = spawnSync(tsx, args, { stdio: 'inherit' });
  if (result.error) throw result.error;
  process.exitCode = result.status ?? 1;
}

async function loadFrom(flags: Flags, today: string) {
  if (!flags.org) return { ...loadHistory(sourceFrom(flags)), asOf: today };
  const client = await connectFromOption(flags.org);
  const asOf = flags.asOf ?? today;
  const read = await readOrgHistory(client, { snapshotDate: asOf });
  return {
    history: read.history,
    source: `org ${client.conn.instanceUrl} (${read.via === 'bulk' ? 'Bulk API 2.0' : 'SOQL'})`,
    skipped:
      read.skipped.length > 0
        ? [
            {
              count: read.skipped.length,
              reason: `unusable fields (first: ${read.skipped[0]?.reason ?? ''})`
            }
          ]
        : [],
    invalid: [] as unknown[],
    asOf
  };
}

export function register(program: Command): void {
  const command = program
    .command('backtest')
    .description(
      'Rolling-origin backtest of the forecast and its baselines (WAPE, bias, P10-P90 coverage, leakage self-test)'
    )
    .option('--period <month|quarter>', 'period forecast at each as-of date', 'month')
    .option(
      '--from <date>',
      'first as-of date (YYYY-MM-DD); as-of dates are the first day of each period (with --org: default 12 months back)'
    )
    .option(
      '--to <date>',
      'last as-of date (YYYY-MM-DD) (with --org: default the last whole month)'
    )
    .option('--org <target>', `history from an org: ${ORG_OPTION_HELP}`)
    .option(
      '--as-of <date>',
      'with --org: the day the org history is read as of (default today, UTC); with --demo: the floor date'
    )
    .option(
      '--demo',
      'backtest on generated demo floors and compare with the oracle of their truth store (scripts/bench/forecast-demo.ts)',
      false
    )
    .option('--seeds <n>', 'with --demo: floors generated (seeds demo-1..demo-n)', '5')
    .option('--leads <n>', 'with --demo: leads per floor', '5000')
    .option('--no-leakage-check', 'skip the leakage self-test (it doubles the run time)')
    .option('--json', 'print the full backtest as JSON', false);
  addSourceOptions(command);
  command.action(async (raw: Record<string, unknown>) => {
    const flags = zodFlags(FlagsSchema, raw);
    if (flags.demo) return runDemo(flags);
    // Time enters here, at the edge: "today" for an org's history.
    const today = new Date().toISOString().slice(0, 10);
    const loaded = await loadFrom(flags, today);
    const from = flags.from ?? (flags.org ? monthStart(loaded.asOf, -12) : undefined);
    const to = flags.to ?? (flags.org ? monthStart(loaded.asOf, -1) : undefined);
    if (!from || !to)
      throw new Error(
        '--from and --to YYYY-MM-DD are required (the first and last as-of dates) unless --org or --demo is given'
      );
    const bt = runBacktest(loaded.history, {
      period: flags.period,
      from,
      to,
      seed: flags.seed,
      leakageCheck: flags.leakageCheck,
      options: modelOptionsFrom(flags)
    });
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify({ source: loaded.source, skipped: loaded.skipped, invalid: loaded.invalid.length, ...bt }, null, 2)}\n`
      );
      return;
    }
    const notes = [
      `Source: ${flags.org ? loaded.source : path.relative(process.cwd(), loaded.source) || loaded.source} (${loaded.history.opportunities.length.toLocaleString('en-US')} opportunities)`,
      ...loaded.skipped.map((s) => `Left out: ${s.count} rows with ${s.reason}.`)
    ];
    if (loaded.invalid.length > 0)
      notes.push(`Skipped ${loaded.invalid.length} invalid cells (--skip-invalid).`);
    process.stdout.write(`${notes.join('\n')}\n${formatBacktest(bt)}`);
    if (bt.leakage.some((l) => !l.passed)) process.exitCode = 1;
  });
}
