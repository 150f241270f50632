import { z } from 'zod';
import {
  ForecastOptionsSchema,
  accuracyBacktests,
  forecast,
  dayFromIso,
  toForecastRecords,
  type Accuracy,
  type Backtest,
  type Forecast,
  type YearToGoBacktest
} from '../../core/forecast';
import { createRng } from '../../core/random';
import type { OrgClient } from '../../org/connection';
import { writeRecords, type WriteReport } from '../../org/writes';
import { orgNames } from '../../org/names';
import { readOrgHistory } from './orgHistory';

/**
 * One forecast refresh: history from the org, the forecast of the current month, quarter and
 * year (and the ones after, per the horizon) as of a date, a short leak-free backtest for the
 * accuracy each record carries, and the upsert of Forecast__c / Forecast_Line__c on Key__c.
 * The key holds the method, period and as-of date, so a re-run for the same day updates the
 * same records and never adds new ones. Also the Engine_Signal__e FORECAST for the console.
 */
export const RefreshRequestSchema = z.object({
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'asOf must be YYYY-MM-DD'),
  seed: z.number().int().default(1),
  /** Months (and quarters) replayed by the accuracy backtest; 0 skips it. */
  backtestMonths: z.number().int().min(0).max(36).default(6),
  backtestQuarters: z.number().int().min(0).max(12).default(4),
  bulkThreshold: z.number().int().min(1).default(50_000),
  options: ForecastOptionsSchema.partial().default({}),
  dimensions: z
    .array(z.enum(['Total', 'Rep', 'Team', 'Product']))
    .min(1)
    .optional(),
  write: z.boolean().default(true)
});
export type RefreshRequest = z.input<typeof RefreshRequestSchema>;

export interface RefreshResult {
  asOf: string;
  seed: number;
  readVia: 'rest' | 'bulk';
  opportunities: number;
  skipped: Array<{ id: string; reason: string }>;
  forecast: Forecast;
  backtests: Partial<Record<'month' | 'quarter', Backtest>>;
  /** The year-to-go backtest behind the yearly records' accuracy (null: no year forecast). */
  yearBacktest: YearToGoBacktest | null;
  accuracy: Accuracy;
  records: { forecasts: Record<string, unknown>[]; lines: Record<string, unknown>[] };
  written: {
    forecasts: number;
    lines: number;
    signal: boolean;
    failed: Array<{ key: string; message?: string }>;
  };
}

/**
 * Bulk API 2.0 CSV names a parent by external id as one column, "Forecast__r.Key__c" (Bulk API
 * 2.0 Developer Guide, "Relationship Fields in a Header Row"); the JSON of sObject Collections
 * nests it. writeRecords sends more than its threshold through Bulk, so those get flattened.
 */
function forBulk(records: Record<string, unknown>[]): Record<string, unknown>[] {
  return records.map((record) =>
    Object.fromEntries(
      Object.entries(record).flatMap(([name, value]) =>
        value !== null && typeof value === 'object' && !(value instanceof Date)
          ? Object.entries(value as Record<string, unknown>).map(([inner, v]) => [
              `${name}.${inner}`,
              v
            ])
          : [[name, value]]
      )
    )
  );
}

function failures(reports: WriteReport[]): RefreshResult['written']['failed'] {
  return reports.flatMap((r) =>
    r.failed.map((f) => ({
      key: `${r.sobject}:${f.key}`,
      ...(f.message ? { message: f.message } : {})
    }))
  );
}

export async function refreshForecast(
  client: OrgClient,
  input: RefreshRequest,
  generatedAt: Date
): Promise<RefreshResult> {
  const request = RefreshRequestSchema.parse(input);
  dayFromIso(request.asOf, 'asOf');
  const read = await readOrgHistory(client, {
    snapshotDate: request.asOf,
    bulkThreshold: request.bulkThreshold
  });
  const result = forecast(read.history, {
    asOf: request.asOf,
    rng: createRng(request.seed),
    options: request.options,
    ...(request.dimensions ? { dimensions: request.dimensions } : {})
  });
  const { backtests, year, accuracy } = accuracyBacktests(read.history, {
    asOf: request.asOf,
    seed: request.seed,
    options: result.options,
    months: request.backtestMonths,
    quarters: request.backtestQuarters,
    years: result.periods.some((p) => p.type === 'year')
  });
  const records = toForecastRecords(result, {
    generatedAt: generatedAt.toISOString(),
    namespace: client.config.namespace,
    accuracy
  });
  const written: RefreshResult['written'] = { forecasts: 0, lines: 0, signal: false, failed: [] };
  if (request.write && records.forecasts.length > 0) {
    const names = orgNames(client);
    // Parents first: a line's Forecast__r reference resolves only once its parent exists.
    const [parents] = await writeRecords(client, [
      {
        kind: 'upsert',
        sobject: names.api('Forecast__c'),
        externalIdField: names.api('Key__c'),
        records: records.forecasts
      }
    ]);
    const [lines] = await writeRecords(client, [
      {
        kind: 'upsert',
        sobject: names.api('Forecast_Line__c'),
        externalIdField: names.api('Key__c'),
        records:
          records.lines.length > client.config.writes.bulkThreshold
            ? forBulk(records.lines)
            : records.lines
      }
    ]);
    const payload = JSON.stringify({
      asOf: request.asOf,
      method: result.method,
      forecasts: records.forecasts.length,
      lines: records.lines.length
    });
    const [signal] = await writeRecords(client, [
      {
        kind: 'create',
        sobject: names.api('Engine_Signal__e'),
        records: [names.record({ Kind__c: 'FORECAST', Record_Id__c: null, Payload__c: payload })]
      }
    ]);
    const reports = [parents, lines, signal].filter((r): r is WriteReport => Boolean(r));
    written.forecasts = parents?.succeeded.length ?? 0;
    written.lines = lines?.succeeded.length ?? 0;
    written.signal = (signal?.succeeded.length ?? 0) === 1;
    written.failed = failures(reports);
  }
  return {
    asOf: request.asOf,
    seed: request.seed,
    readVia: read.via,
    opportunities: read.history.opportunities.length,
    skipped: read.skipped,
    forecast: result,
    backtests,
    yearBacktest: year,
    accuracy,
    records,
    written
  };
}
