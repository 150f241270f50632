import { z } from 'zod';
import { isIsoDate } from './dates';

/** A calendar date as the org and CSV exports write it: YYYY-MM-DD. */
export const IsoDateSchema = z
  .string()
  .refine(isIsoDate, { message: 'expected a date as YYYY-MM-DD' });

const optionalText = z.string().nullable().optional();

/**
 * One opportunity as the forecast reads it, whatever the source (org, CSV export, JSON).
 * `createdDate` is when the deal entered the pipeline (created, or engaged for data sets that
 * count from first engagement). For an open deal `closeDate` is the expected close date the
 * CRM shows; for a closed one the actual close date. `stage` and `amount` are the values at
 * the time of the export (`snapshotDate`): the forecast only trusts them for an as-of date on
 * or after the snapshot, and otherwise reads the stage history.
 */
export const OpportunityHistoryRowSchema = z
  .object({
    id: z.string().min(1),
    rep: z.string().min(1),
    team: optionalText,
    product: optionalText,
    source: optionalText,
    segment: optionalText,
    account: optionalText,
    stage: z.string(),
    amount: z.number().finite().nonnegative().nullable(),
    createdDate: IsoDateSchema,
    closeDate: IsoDateSchema.nullable(),
    isClosed: z.boolean(),
    isWon: z.boolean()
  })
  .superRefine((row, ctx) => {
    if (row.isWon && !row.isClosed) {
      ctx.addIssue({
        code: 'custom',
        path: ['isWon'],
        message: 'a won opportunity must also be closed (isClosed true)'
      });
    }
    if (row.isClosed && !row.closeDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['closeDate'],
        message: 'a closed opportunity needs its close date'
      });
    }
    if (row.isClosed && row.closeDate && row.closeDate < row.createdDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['closeDate'],
        message: `close date ${row.closeDate} is before created date ${row.createdDate}`
      });
    }
  });

export type OpportunityHistoryRow = z.infer<typeof OpportunityHistoryRowSchema>;

/**
 * A change of stage (and optionally amount or expected close date) of an open opportunity,
 * as OpportunityHistory or Stage_Event__c records it. Rows on or after the close date are
 * ignored: the close itself is on the opportunity row.
 */
export const StageHistoryRowSchema = z.object({
  opportunityId: z.string().min(1),
  date: IsoDateSchema,
  stage: z.string().min(1),
  amount: z.number().finite().nonnegative().nullable().optional(),
  closeDate: IsoDateSchema.nullable().optional()
});

export type StageHistoryRow = z.infer<typeof StageHistoryRowSchema>;

export const OpportunityHistorySchema = z.object({
  /** When the export was taken; default: the day after the latest date in the data. */
  snapshotDate: IsoDateSchema.optional(),
  opportunities: z.array(OpportunityHistoryRowSchema),
  stageHistory: z.array(StageHistoryRowSchema).optional(),
  /** Catalogue prices, the value of last resort for a product never sold before the as-of. */
  listPrices: z.record(z.string(), z.number().finite().nonnegative()).optional()
});

export type OpportunityHistory = z.infer<typeof OpportunityHistorySchema>;

export const TreeLevelSchema = z.enum([
  'entryStage',
  'product',
  'source',
  'segment',
  'rep',
  'team'
]);
export type TreeLevel = z.infer<typeof TreeLevelSchema>;

export const HorizonSchema = z.object({
  months: z.number().int().min(0).max(24).default(3),
  quarters: z.number().int().min(0).max(8).default(2),
  years: z.number().int().min(0).max(2).default(1)
});

/**
 * Model settings. Defaults are the documented ones (docs/forecasting.md); every one can be
 * overridden from the CLI or the job's Scope__c JSON.
 */
export const ForecastOptionsSchema = z.object({
  /** Months per seasonal cycle: 3 = quarterly pushes, 12 = yearly, 1 = none. */
  seasonLength: z.union([z.literal(1), z.literal(3), z.literal(12)]).default(3),
  /**
   * Calendar phases per month of the cycle: 2 splits each month at the 16th, so a push into
   * the last days of a quarter is learned where it happens (1: whole months).
   */
  phasesPerMonth: z.union([z.literal(1), z.literal(2)]).default(2),
  /** Older history counts less: weight halves every this many days. */
  halfLifeDays: z.number().min(30).max(100_000).default(365),
  /** Upper edges of the deal-age bands, in days since creation. */
  ageBandsDays: z
    .array(z.number().int().positive())
    .min(1)
    .default([7, 14, 30, 45, 60, 75, 90, 105, 120, 135, 150, 180, 240, 365, 540, 730]),
  /**
   * Upper edges of the bands of days spent in the current stage (the stage clock, dwell.ts),
   * used where the history has stage changes; empty: stays in a stage are memoryless.
   */
  dwellBandsDays: z
    .array(z.number().int().positive().max(120))
    .max(20)
    .default([3, 6, 9, 12, 16, 21, 28]),
  /** Let each segment close at its own speed (measured), not at the average deal's. */
  segmentSpeed: z.boolean().default(true),
  /** Give each segment its own time-to-close curves (age bands, stages), shrunk toward the pooled ones. */
  segmentClocks: z.boolean().default(true),
  /** Let creation-month cohorts that closed slower (or faster) than expected keep doing so. */
  cohortFrailty: z.boolean().default(true),
  /** Window over which the arrival rate of new deals is measured. */
  arrivalWindowDays: z.number().int().min(7).max(730).default(91),
  /** Win-rate buckets below stage, from the coarsest; each is shrunk toward its parent. */
  // entryStage first: how a deal entered the pipeline (its stage on its creation day) is the
  // parent of its other buckets, and its effect is left to the stage moves (structural.ts).
  treeLevels: z
    .array(TreeLevelSchema)
    .default(['entryStage', 'product', 'source', 'segment', 'rep']),
  /** Past periods of each type replayed to calibrate the level and the width of the ranges. */
  calibrationPeriods: z
    .object({
      month: z.number().int().min(0).max(36).default(12),
      quarter: z.number().int().min(0).max(12).default(4),
      year: z.number().int().min(0).max(5).default(2)
    })
    .default({ month: 12, quarter: 4, year: 2 }),
  /** Fewest closed deals known at an origin for the model to be fitted there. */
  minClosedDeals: z.number().int().min(1).default(30),
  draws: z.number().int().min(100).max(1_000_000).default(10_000),
  horizon: HorizonSchema.default({ months: 3, quarters: 2, years: 1 })
});

export type ForecastOptionsInput = z.input<typeof ForecastOptionsSchema>;
export type ForecastOptions = z.output<typeof ForecastOptionsSchema>;

export type Dimension = 'Total' | 'Rep' | 'Team' | 'Product';

/** Errors a user can fix: which input, which value, and what to do. */
export class ForecastInputError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly fix: string
  ) {
    super(`${field} ${JSON.stringify(value)}: ${fix}`);
    this.name = 'ForecastInputError';
  }
}
