import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import {
  CsvMappingSchema,
  mapOpportunityRecords,
  mappingFiles,
  PRESETS,
  type CsvMappingInput,
  type CsvRecord,
  type MappedHistory
} from '../core/forecast/csvMapping';
import {
  ForecastInputError,
  OpportunityHistorySchema,
  type OpportunityHistory
} from '../core/forecast/types';

/**
 * Where `asl forecast` and `asl backtest` read history from: an opportunity CSV with a
 * mapping (a JSON file or a built-in preset), or a history JSON file in the engine's own shape
 * (what the org adapter produces). Data sets are read in place, never copied into the repo.
 */
export const SourceFlagsSchema = z
  .object({
    csv: z.string().min(1).optional(),
    mapping: z.string().min(1).optional(),
    preset: z.enum(Object.keys(PRESETS) as [string, ...string[]]).optional(),
    history: z.string().min(1).optional(),
    datasetDir: z.string().min(1).optional(),
    skipInvalid: z.boolean().default(false)
  })
  .refine((flags) => Boolean(flags.history) !== Boolean(flags.csv || flags.preset), {
    message:
      'give either --history <file.json>, or --csv <file> with --mapping <file.json> or --preset <name>',
    path: ['csv']
  })
  .refine((flags) => !flags.csv || flags.mapping || flags.preset, {
    message: '--csv needs --mapping <file.json> or --preset <name> to know which column is which',
    path: ['mapping']
  });

export type SourceFlags = z.input<typeof SourceFlagsSchema>;

export interface LoadedHistory {
  history: OpportunityHistory;
  source: string;
  skipped: MappedHistory['skipped'];
  invalid: MappedHistory['invalid'];
}

/** The repository root: services/engine/cli -> three levels up. */
export function repoRoot(): string {
  return path.resolve(__dirname, '..', '..', '..');
}

/** ../shared/datasets/<name> next to the repository, unless ASL_DATASETS_DIR points elsewhere. */
export function datasetDir(name: string): string {
  const override = name === 'maven-crm' ? process.env.ASL_MAVEN_CRM_DIR : undefined;
  if (override) return path.resolve(override);
  const base = process.env.ASL_DATASETS_DIR
    ? path.resolve(process.env.ASL_DATASETS_DIR)
    : path.resolve(repoRoot(), '..', 'shared', 'datasets');
  return path.join(base, name);
}

export function readCsv(file: string): CsvRecord[] {
  if (!existsSync(file))
    throw new ForecastInputError(
      '--csv',
      file,
      'no such file: check the path (data sets are read in place, e.g. ../shared/datasets/maven-crm)'
    );
  return parse(readFileSync(file, 'utf8'), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
    trim: true
  }) as CsvRecord[];
}

function readJson(file: string, flag: string): unknown {
  if (!existsSync(file)) throw new ForecastInputError(flag, file, 'no such file: check the path');
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ForecastInputError(
      flag,
      file,
      `is not valid JSON (${error instanceof Error ? error.message : String(error)})`
    );
  }
}

function zodMessage(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

export function loadHistory(flagsInput: SourceFlags): LoadedHistory {
  const parsed = SourceFlagsSchema.safeParse(flagsInput);
  if (!parsed.success)
    throw new ForecastInputError('source flags', flagsInput, zodMessage(parsed.error));
  const flags = parsed.data;
  if (flags.history) {
    const result = OpportunityHistorySchema.safeParse(readJson(flags.history, '--history'));
    if (!result.success)
      throw new ForecastInputError(
        '--history',
        flags.history,
        `does not match the history shape: ${zodMessage(result.error)}`
      );
    return { history: result.data, source: flags.history, skipped: [], invalid: [] };
  }
  let mapping: CsvMappingInput;
  let baseDir: string;
  let csv: string;
  if (flags.mapping) {
    const result = CsvMappingSchema.safeParse(readJson(flags.mapping, '--mapping'));
    if (!result.success)
      throw new ForecastInputError('--mapping', flags.mapping, zodMessage(result.error));
    mapping = result.data;
    baseDir = path.dirname(path.resolve(flags.mapping));
    if (!flags.csv)
      throw new ForecastInputError(
        '--csv',
        undefined,
        'a mapping needs the opportunity CSV it maps'
      );
    csv = flags.csv;
  } else {
    const preset = PRESETS[flags.preset as string] as (typeof PRESETS)[string];
    baseDir = flags.datasetDir
      ? path.resolve(flags.datasetDir)
      : flags.csv
        ? path.dirname(path.resolve(flags.csv))
        : datasetDir(flags.preset as string);
    csv = flags.csv ?? path.join(baseDir, preset.file);
    mapping = preset.mapping;
  }
  const files: Record<string, CsvRecord[]> = {};
  for (const name of mappingFiles(mapping)) files[name] = readCsv(path.join(baseDir, name));
  const mapped = mapOpportunityRecords(readCsv(csv), mapping, files, {
    skipInvalid: flags.skipInvalid
  });
  return { history: mapped.history, source: csv, skipped: mapped.skipped, invalid: mapped.invalid };
}
