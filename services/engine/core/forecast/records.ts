import {
  apiNames,
  relationshipName,
  type ForecastDimension,
  type PeriodType as OrgPeriodType
} from '../../schema';
import type { PeriodType } from './dates';
import type { Forecast } from './forecast';

/**
 * A forecast as Forecast__c and Forecast_Line__c records (docs/data-model.md), plain objects
 * keyed by API name with the namespace applied, ready for an upsert on Key__c. A line points
 * at its forecast through the parent's external id (`Forecast__r: { Key__c }`), the
 * documented way to set a relationship by external ID in one request ("Upsert Records Using
 * an External ID", REST API Developer Guide), so parents and lines can go in one batch.
 */
export interface ForecastRecordOptions {
  /** When the forecast was produced (from the job's clock), ISO date-time. */
  generatedAt: string;
  namespace?: string;
  /**
   * Backtest accuracy per period type (accuracy.ts); default: the forecast's own rolling track
   * record. Without an accuracy, `note` says why, and the record carries it in Method__c.
   */
  accuracy?: Partial<
    Record<PeriodType, { wape: number | null; coverage: number | null; note?: string | null }>
  >;
}

export interface ForecastRecords {
  forecasts: Record<string, unknown>[];
  lines: Record<string, unknown>[];
}

const PERIOD_PICKLIST: Record<PeriodType, OrgPeriodType> = {
  month: 'Month',
  quarter: 'Quarter',
  year: 'Year'
};

const money = (x: number): number => Math.round(x * 100) / 100;

/** A ratio as a Percent(5,2) field holds it: 0.0716 -> 7.16, capped at the field's 999.99. */
const percent = (x: number | null | undefined): number | null =>
  x === null || x === undefined ? null : Math.min(999.99, Math.round(x * 10_000) / 100);

/** FNV-1a, to keep a long key unique after truncation. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 9)}~${shortHash(text)}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}\u2026`;
}

export function forecastKey(
  forecast: Forecast,
  periodType: PeriodType,
  periodStart: string
): string {
  return fit(
    `${forecast.method}|${PERIOD_PICKLIST[periodType]}|${periodStart}|${forecast.asOf}`,
    120
  );
}

export function toForecastRecords(
  forecast: Forecast,
  options: ForecastRecordOptions
): ForecastRecords {
  const names = apiNames(options.namespace ?? '');
  const F = names.Forecast__c.fields;
  const L = names.Forecast_Line__c.fields;
  const parentRef = relationshipName(L.Forecast__c);
  const forecasts: Record<string, unknown>[] = [];
  const lines: Record<string, unknown>[] = [];
  for (const period of forecast.periods) {
    const total = forecast.lines.find(
      (line) => line.dimension === 'Total' && line.period === period.label
    );
    if (!total) continue;
    const accuracy = options.accuracy?.[period.type] ?? forecast.calibration[period.type] ?? null;
    const note =
      accuracy && 'note' in accuracy && accuracy.note && accuracy.wape === null
        ? accuracy.note
        : accuracy?.wape === null || accuracy?.wape === undefined
          ? `no backtest of ${period.type}s yet`
          : null;
    const key = forecastKey(forecast, period.type, period.start);
    forecasts.push({
      [F.Key__c]: key,
      [F.Period_Type__c]: PERIOD_PICKLIST[period.type],
      [F.Period_Start__c]: period.start,
      [F.As_Of__c]: forecast.asOf,
      // Method__c is Text(80): the method, and why there is no accuracy when there is none.
      [F.Method__c]: note ? clip(`${forecast.method}; ${note}`, 80) : forecast.method,
      [F.Generated_At__c]: options.generatedAt,
      [F.Backtest_WAPE__c]: percent(accuracy?.wape),
      [F.Backtest_Coverage__c]: percent(accuracy?.coverage),
      [F.Expected__c]: money(total.expected),
      [F.P10__c]: money(total.p10),
      [F.P50__c]: money(total.p50),
      [F.P90__c]: money(total.p90),
      [F.Closed_To_Date__c]: money(total.closedToDate)
    });
    for (const line of forecast.lines) {
      if (line.period !== period.label) continue;
      const dimension: ForecastDimension = line.dimension;
      lines.push({
        [parentRef]: { [F.Key__c]: key },
        [L.Key__c]: fit(`${key}|${dimension}|${line.value}`, 160),
        [L.Dimension__c]: dimension,
        [L.Dimension_Value__c]: fit(line.value, 120),
        [L.Expected__c]: money(line.expected),
        [L.P10__c]: money(line.p10),
        [L.P50__c]: money(line.p50),
        [L.P90__c]: money(line.p90),
        [L.Closed_To_Date__c]: money(line.closedToDate)
      });
    }
  }
  return { forecasts, lines };
}
