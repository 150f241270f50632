import { z } from 'zod';
import type { EngineFeature } from '../../service';
import type { JobHandler } from '../../jobs/types';
import type { OrgClient } from '../../org/connection';
import { ForecastOptionsSchema, HorizonSchema } from '../../core/forecast';
import { refreshForecast } from './refresh';

/**
 * Forecasts in the org: the "Forecast Refresh" job writes Forecast__c / Forecast_Line__c for
 * the Forecast console; the CLI is `asl forecast --org` and `asl backtest --org`.
 * Scope__c (JSON, all optional): {"seed": 1, "asOf": "YYYY-MM-DD", "backtestMonths": 6,
 * "backtestQuarters": 4, "bulkThreshold": 50000, "options": {...model options}}.
 */
const PeriodSchema = z.enum(['Month', 'Quarter', 'Year'], {
  error: 'Scope__c periods take Month, Quarter and Year'
});
const ScopeSchema = z
  .object({
    seed: z.number().int().optional(),
    asOf: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'Scope__c asOf must be YYYY-MM-DD')
      .optional(),
    /** Which period types to write (default all three). */
    periods: z.array(PeriodSchema).min(1).optional(),
    /** Which lines to write (default Total, Rep, Team, Product; Total is always written). */
    dimensions: z
      .array(z.enum(['Total', 'Rep', 'Team', 'Product']))
      .min(1)
      .optional(),
    backtestMonths: z.number().int().min(0).max(36).optional(),
    backtestQuarters: z.number().int().min(0).max(12).optional(),
    bulkThreshold: z.number().int().min(1).optional(),
    options: ForecastOptionsSchema.partial().optional()
  })
  .strict();
type Scope = z.infer<typeof ScopeSchema>;

/** The horizon: the model's default counts, with the period types left out of scope at 0. */
function horizonOf(scope: Scope): { months: number; quarters: number; years: number } {
  const base = HorizonSchema.parse(scope.options?.horizon ?? {});
  const wanted = new Set(scope.periods ?? ['Month', 'Quarter', 'Year']);
  return {
    months: wanted.has('Month') ? base.months : 0,
    quarters: wanted.has('Quarter') ? base.quarters : 0,
    years: wanted.has('Year') ? base.years : 0
  };
}

export function forecastRefreshJob(client: OrgClient): JobHandler {
  return async ({ job, now }) => {
    const scope = ScopeSchema.parse(job.scope);
    // "As of today" in UTC, the day the job's clock says. The summary (Job_Run__c and the
    // job's status message) starts with the as-of date and the seed, so any run can be replayed.
    const asOf = scope.asOf ?? now.toISOString().slice(0, 10);
    const seed = scope.seed ?? 1;
    const { periods: _periods, dimensions, ...rest } = scope;
    const dims =
      dimensions && !dimensions.includes('Total')
        ? (['Total', ...dimensions] as const)
        : dimensions;
    const result = await refreshForecast(
      client,
      {
        ...rest,
        asOf,
        seed,
        ...(dims ? { dimensions: [...dims] } : {}),
        options: { ...scope.options, horizon: horizonOf(scope) }
      },
      now
    );
    const failed = result.written.failed.length;
    const summary =
      `as of ${asOf}, seed ${seed}, ${result.opportunities} opportunities (${result.readVia}): ` +
      `${result.written.forecasts} forecasts, ${result.written.lines} lines` +
      (failed > 0
        ? `, ${failed} failed: ${result.written.failed
            .slice(0, 3)
            .map((f) => `${f.key} ${f.message ?? ''}`)
            .join('; ')}`
        : '');
    return {
      recordsTouched: result.written.forecasts + result.written.lines,
      partial: failed > 0,
      summary: summary.slice(0, 30_000)
    };
  };
}

export function forecastFeature(): EngineFeature {
  return {
    name: 'forecast',
    jobs: (client) => ({ 'Forecast Refresh': forecastRefreshJob(client) })
  };
}

export {
  refreshForecast,
  RefreshRequestSchema,
  type RefreshResult,
  type RefreshRequest
} from './refresh';
export { readOrgHistory, type OrgHistory } from './orgHistory';
