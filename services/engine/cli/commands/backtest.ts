import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { METHODS, runBacktest, type Backtest, type MethodName } from '../../core/forecast';
import { loadHistory } from '../forecastSource';
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
  from: z.string({ error: '--from YYYY-MM-DD is required: the first as-of date' }),
  to: z.string({ error: '--to YYYY-MM-DD is required: the last as-of date' }),
  leakageCheck: z.boolean().default(true),
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
        `${money(r.forecasts[m])} (${r.errors[m] === null ? '-' : pct((r.errors[m] as number) / r.actual)})`
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

export function register(program: Command): void {
  const command = program
    .command('backtest')
    .description(
      'Rolling-origin backtest of the forecast and its baselines (WAPE, bias, P10-P90 coverage, leakage self-test)'
    )
    .option('--period <month|quarter>', 'period forecast at each as-of date', 'month')
    .requiredOption(
      '--from <date>',
      'first as-of date (YYYY-MM-DD); as-of dates are the first day of each period'
    )
    .requiredOption('--to <date>', 'last as-of date (YYYY-MM-DD)')
    .option('--no-leakage-check', 'skip the leakage self-test (it doubles the run time)')
    .option('--json', 'print the full backtest as JSON', false);
  addSourceOptions(command);
  command.action((raw: Record<string, unknown>) => {
    const flags = zodFlags(FlagsSchema, raw);
    const loaded = loadHistory(sourceFrom(flags));
    const bt = runBacktest(loaded.history, {
      period: flags.period,
      from: flags.from,
      to: flags.to,
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
      `Source: ${path.relative(process.cwd(), loaded.source) || loaded.source} (${loaded.history.opportunities.length.toLocaleString('en-US')} opportunities)`,
      ...loaded.skipped.map((s) => `Left out: ${s.count} rows with ${s.reason}.`)
    ];
    if (loaded.invalid.length > 0)
      notes.push(`Skipped ${loaded.invalid.length} invalid cells (--skip-invalid).`);
    process.stdout.write(`${notes.join('\n')}\n${formatBacktest(bt)}`);
    if (bt.leakage.some((l) => !l.passed)) process.exitCode = 1;
  });
}
