import type { Command } from 'commander';
import { z } from 'zod';
import { createRng } from '../../core/random';
import {
  accuracyBacktests,
  forecast,
  isoFromDay,
  resolveSnapshot,
  toForecastRecords,
  type Accuracy,
  type Dimension,
  type Forecast
} from '../../core/forecast';
import { refreshForecast } from '../../features/forecast/refresh';
import { loadHistory } from '../forecastSource';
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
 * `asl forecast`: expected bookings with P10/P50/P90 per month, quarter and year, by total,
 * rep, team and product, from an opportunity CSV or a history JSON (docs/forecasting.md).
 * `--records` prints the Forecast__c / Forecast_Line__c records the org side upserts.
 */
const DIMENSIONS = ['Total', 'Rep', 'Team', 'Product'] as const;

const count = (flag: string, max: number) =>
  z.coerce
    .number({ error: `--${flag} must be a whole number` })
    .int()
    .min(0)
    .max(max, `--${flag} must be at most ${max}`);

const FlagsSchema = SourceOptionFlagsSchema.merge(ModelFlagsSchema).extend({
  asOf: z.string().optional(),
  months: count('months', 24),
  quarters: count('quarters', 8),
  years: count('years', 2),
  dimensions: z
    .string()
    .transform((v) => v.split(',').map((d) => d.trim()))
    .pipe(
      z
        .array(
          z.enum(DIMENSIONS, {
            error: `--dimensions takes a comma list of ${DIMENSIONS.join(', ')}`
          })
        )
        .min(1)
    ),
  top: count('top', 1_000_000),
  records: z.boolean().default(false),
  namespace: z.string().default(''),
  org: z.string().optional(),
  write: z.boolean().default(true),
  json: z.boolean().default(false)
});
type Flags = z.infer<typeof FlagsSchema>;

/**
 * `--org`: the same refresh the "Forecast Refresh" job runs: history from the org, forecast,
 * short backtest for the accuracy, upsert of Forecast__c / Forecast_Line__c (unless --no-write).
 */
async function forecastOrg(flags: Flags): Promise<void> {
  const client = await connectFromOption(flags.org);
  // Time enters here, at the edge: "today" (UTC) and when the records were generated.
  const now = new Date();
  const result = await refreshForecast(
    client,
    {
      asOf: flags.asOf ?? now.toISOString().slice(0, 10),
      seed: flags.seed,
      write: flags.write,
      options: {
        ...modelOptionsFrom(flags),
        horizon: { months: flags.months, quarters: flags.quarters, years: flags.years }
      }
    },
    now
  );
  if (flags.records) {
    process.stdout.write(`${JSON.stringify(result.records, null, 2)}\n`);
    return;
  }
  if (flags.json) {
    const { records: _records, backtests, ...rest } = result;
    const scores = Object.fromEntries(
      Object.entries(backtests).map(([k, b]) => [k, { scores: b.scores, coverage: b.coverage }])
    );
    process.stdout.write(
      `${JSON.stringify({ source: client.conn.instanceUrl, ...rest, backtests: scores }, null, 2)}\n`
    );
    return;
  }
  const notes = [
    `Source: org ${client.conn.instanceUrl} (${result.opportunities.toLocaleString('en-US')} opportunities read by ${result.readVia === 'bulk' ? 'Bulk API 2.0' : 'SOQL'}${result.skipped.length > 0 ? `, ${result.skipped.length} unusable left out` : ''}); seed ${result.seed}.`,
    `Accuracy: ${formatAccuracy(result.accuracy)}.`,
    flags.write
      ? `Wrote ${result.written.forecasts} Forecast__c and ${result.written.lines} Forecast_Line__c records (upsert on Key__c)${
          result.written.failed.length > 0
            ? `; ${result.written.failed.length} FAILED: ${result.written.failed
                .slice(0, 3)
                .map((f) => `${f.key} ${f.message ?? ''}`)
                .join('; ')}`
            : ''
        }.`
      : 'Not written (--no-write).'
  ];
  process.stdout.write(`${notes.join('\n')}\n\n${formatForecast(result.forecast, flags.top)}`);
  if (result.written.failed.length > 0) process.exitCode = 1;
}

const money = (x: number): string => Math.round(x).toLocaleString('en-US');

export function formatAccuracy(accuracy: Accuracy): string {
  const pct = (x: number | null): string => (x === null ? 'none yet' : `${(x * 100).toFixed(1)}%`);
  return Object.entries(accuracy)
    .map(([type, a]) =>
      a.wape === null
        ? `${type}: ${a.note ?? 'no backtest'}`
        : `${type} WAPE ${pct(a.wape)}, P10-P90 coverage ${pct(a.coverage)} (${a.source}, ${a.periods} ${a.periods === 1 ? 'origin' : 'origins'})`
    )
    .join('; ');
}

export function formatForecast(f: Forecast, top: number): string {
  const out: string[] = [
    `Forecast as of ${f.asOf} (${f.method}, ${f.draws.toLocaleString('en-US')} draws): ${f.data.openDeals.toLocaleString('en-US')} open and ${f.data.closedDeals.toLocaleString('en-US')} closed opportunities known.`
  ];
  for (const e of f.explanations) {
    out.push('', e.summary);
    if (e.openPipeline.byAgeBand.length > 0) {
      out.push(
        `  open pipeline by age: ${e.openPipeline.byAgeBand.map((b) => `${b.bucket} ${b.deals} deals -> ${money(b.expected)}`).join('; ')}`
      );
    }
  }
  for (const period of f.periods) {
    for (const dimension of DIMENSIONS) {
      if (dimension === 'Total') continue;
      const lines = f.lines
        .filter((l) => l.dimension === dimension && l.period === period.label)
        .sort((a, b) => b.expected - a.expected);
      if (lines.length === 0) continue;
      const shown = top > 0 ? lines.slice(0, top) : lines;
      const width = Math.max(dimension.length, ...shown.map((l) => l.value.length));
      out.push(
        '',
        `${period.label} by ${dimension.toLowerCase()}:`,
        `  ${dimension.padEnd(width)}  ${'expected'.padStart(12)} ${'P10'.padStart(12)} ${'P50'.padStart(12)} ${'P90'.padStart(12)} ${'won so far'.padStart(12)}`
      );
      for (const l of shown) {
        out.push(
          `  ${l.value.padEnd(width)}  ${money(l.expected).padStart(12)} ${money(l.p10).padStart(12)} ${money(l.p50).padStart(12)} ${money(l.p90).padStart(12)} ${money(l.closedToDate).padStart(12)}`
        );
      }
      if (shown.length < lines.length)
        out.push(`  ... ${lines.length - shown.length} more (--top 0 shows all)`);
    }
  }
  return `${out.join('\n')}\n`;
}

export function register(program: Command): void {
  const command = program
    .command('forecast')
    .description(
      'Expected bookings with P10/P50/P90 by month, quarter and year, by total, rep, team and product'
    )
    .option(
      '--as-of <date>',
      "forecast standing at this date (YYYY-MM-DD); default: the export's snapshot date (with --org: today, UTC)"
    )
    .option('--months <n>', 'months forecast, from the current one', '3')
    .option('--quarters <n>', 'quarters forecast, from the current one', '2')
    .option('--years <n>', 'years forecast, from the current one', '1')
    .option(
      '--dimensions <list>',
      'lines to produce: Total,Rep,Team,Product',
      'Total,Rep,Team,Product'
    )
    .option(
      '--top <n>',
      'rows shown per dimension and period (0: all; --json always has all)',
      '15'
    )
    .option(
      '--records',
      'print Forecast__c and Forecast_Line__c records (JSON) instead of the report',
      false
    )
    .option('--namespace <ns>', 'namespace prefix for --records (empty: none)', '')
    .option(
      '--org <target>',
      `forecast from an org's history and write the records to it: ${ORG_OPTION_HELP}`
    )
    .option('--no-write', 'with --org: compute and print only, write nothing')
    .option('--json', 'print the forecast as JSON', false);
  addSourceOptions(command);
  command.action(async (raw: Record<string, unknown>) => {
    const flags = zodFlags(FlagsSchema, raw);
    if (flags.org) return forecastOrg(flags);
    const loaded = loadHistory(sourceFrom(flags));
    const asOf = flags.asOf ?? isoFromDay(resolveSnapshot(loaded.history));
    const result = forecast(loaded.history, {
      asOf,
      rng: createRng(flags.seed),
      options: {
        ...modelOptionsFrom(flags),
        horizon: { months: flags.months, quarters: flags.quarters, years: flags.years }
      },
      dimensions: flags.dimensions as Dimension[]
    });
    if (flags.records) {
      // The same accuracy backtests as the org refresh (6 months, 4 quarters, the year to go).
      const { accuracy } = accuracyBacktests(loaded.history, {
        asOf,
        seed: flags.seed,
        options: result.options,
        months: 6,
        quarters: 4,
        years: result.periods.some((p) => p.type === 'year')
      });
      // Time enters here, at the edge: the records say when they were generated.
      const records = toForecastRecords(result, {
        generatedAt: new Date().toISOString(),
        namespace: flags.namespace,
        accuracy
      });
      process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
      return;
    }
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ source: loaded.source, ...result }, null, 2)}\n`);
      return;
    }
    process.stdout.write(formatForecast(result, flags.top));
  });
}
