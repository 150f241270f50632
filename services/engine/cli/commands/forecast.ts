import type { Command } from 'commander';
import { z } from 'zod';
import { createRng } from '../../core/random';
import {
  forecast,
  isoFromDay,
  resolveSnapshot,
  toForecastRecords,
  type Dimension,
  type Forecast
} from '../../core/forecast';
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
  json: z.boolean().default(false)
});

const money = (x: number): string => Math.round(x).toLocaleString('en-US');

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
      "forecast standing at this date (YYYY-MM-DD); default: the export's snapshot date"
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
    .option('--json', 'print the forecast as JSON', false);
  addSourceOptions(command);
  command.action((raw: Record<string, unknown>) => {
    const flags = zodFlags(FlagsSchema, raw);
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
      // Time enters here, at the edge: the records say when they were generated.
      process.stdout.write(
        `${JSON.stringify(toForecastRecords(result, { generatedAt: new Date().toISOString(), namespace: flags.namespace }), null, 2)}\n`
      );
      return;
    }
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ source: loaded.source, ...result }, null, 2)}\n`);
      return;
    }
    process.stdout.write(formatForecast(result, flags.top));
  });
}
