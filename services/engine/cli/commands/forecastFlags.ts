import type { Command } from 'commander';
import { z } from 'zod';
import { PRESETS, type ForecastOptionsInput } from '../../core/forecast';
import type { SourceFlags } from '../forecastSource';

/**
 * Flags shared by `asl forecast` and `asl backtest`: where the history comes from, and the
 * model settings a user may change. Parsed with zod so a bad value names the flag and the fix.
 */
export function addSourceOptions(command: Command): Command {
  return command
    .option('--csv <file>', 'opportunity CSV export (needs --mapping or --preset)')
    .option('--mapping <file>', 'column mapping JSON for --csv (docs/forecasting.md)')
    .option(
      '--preset <name>',
      `built-in mapping: ${Object.keys(PRESETS).join(', ')} (without --csv, reads the data set from ../shared/datasets or ASL_MAVEN_CRM_DIR)`
    )
    .option(
      '--history <file>',
      "history JSON in the engine's shape ({ opportunities, stageHistory?, snapshotDate? })"
    )
    .option('--dataset-dir <dir>', "directory of the preset's files")
    .option('--skip-invalid', 'leave out rows that cannot be read instead of stopping', false)
    .option('--seed <n>', 'seed of the Monte Carlo draws', '1')
    .option('--draws <n>', 'Monte Carlo draws', '10000')
    .option(
      '--season-length <months>',
      'months per seasonal cycle: 3 (quarter), 12 (year) or 1 (none)',
      '3'
    )
    .option('--half-life-days <days>', 'weight of history halves every this many days', '365');
}

const intFlag = (flag: string, min: number, max: number) =>
  z.coerce
    .number({ error: `--${flag} must be a whole number` })
    .int(`--${flag} must be a whole number`)
    .min(min, `--${flag} must be at least ${min}`)
    .max(max, `--${flag} must be at most ${max}`);

export const SourceOptionFlagsSchema = z.object({
  csv: z.string().optional(),
  mapping: z.string().optional(),
  preset: z.string().optional(),
  history: z.string().optional(),
  datasetDir: z.string().optional(),
  skipInvalid: z.boolean().default(false)
});

export const ModelFlagsSchema = z.object({
  seed: intFlag('seed', -2147483648, 2147483647),
  draws: intFlag('draws', 100, 1_000_000),
  seasonLength: z.coerce
    .number()
    .refine((v) => v === 1 || v === 3 || v === 12, '--season-length must be 1, 3 or 12'),
  halfLifeDays: intFlag('half-life-days', 30, 100_000)
});

export function sourceFrom(flags: z.infer<typeof SourceOptionFlagsSchema>): SourceFlags {
  return {
    ...(flags.csv ? { csv: flags.csv } : {}),
    ...(flags.mapping ? { mapping: flags.mapping } : {}),
    ...(flags.preset ? { preset: flags.preset } : {}),
    ...(flags.history ? { history: flags.history } : {}),
    ...(flags.datasetDir ? { datasetDir: flags.datasetDir } : {}),
    skipInvalid: flags.skipInvalid
  };
}

export function modelOptionsFrom(flags: z.infer<typeof ModelFlagsSchema>): ForecastOptionsInput {
  return {
    draws: flags.draws,
    seasonLength: flags.seasonLength as 1 | 3 | 12,
    halfLifeDays: flags.halfLifeDays
  };
}

/** Parses commander's option object; the first problem is reported with its flag. */
export function zodFlags<T extends z.ZodType>(schema: T, raw: Record<string, unknown>): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = issue?.path.length
      ? `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
      : 'flags';
    throw new Error(`${flag}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
