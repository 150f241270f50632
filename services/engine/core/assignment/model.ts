import { z } from 'zod';
import { ASSET_TYPES, ASSIGNMENT_METHODS } from '../../schema/picklists';
import { WEEKDAYS } from './shift';

/**
 * The plain data the assignment core works on. Org records (records.ts) are parsed into
 * these shapes; jobs and the CLI build them, call the core, and write the results back.
 */
export { ASSET_TYPES, ASSIGNMENT_METHODS };
export type AssetType = (typeof ASSET_TYPES)[number];
export type AssignmentMethod = (typeof ASSIGNMENT_METHODS)[number];
/** Methods that draw from a block (the others name the owner directly). */
export type DrawMethod = 'Permuted Block' | 'Rebalance';

const isoInstant = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'an ISO 8601 date-time');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const repSchema = z
  .object({
    id: z.string().min(1),
    stations: z.array(z.string().min(1)),
    /** Lower-cased skill names (language, product). */
    skills: z.array(z.string()),
    /** 1 = a full share; 0.5 = a ramping rep. */
    weight: z.number().positive().max(99.99),
    timeZone: z.string().min(1),
    shiftStartHour: z.number().min(0).max(24),
    shiftEndHour: z.number().min(0).max(24),
    workingDays: z.array(z.enum(WEEKDAYS)),
    leaveStart: isoDate.nullable(),
    leaveEnd: isoDate.nullable(),
    wipCap: z.number().int().min(0).nullable(),
    hourlyCapOverride: z.number().int().min(0).nullable(),
    active: z.boolean()
  })
  .refine((r) => r.shiftStartHour !== r.shiftEndHour, {
    message: 'Shift_Start_Hour__c and Shift_End_Hour__c must differ (0 and 24 for a full day)',
    path: ['shiftEndHour']
  });
export type Rep = z.infer<typeof repSchema>;

export const stationSchema = z.object({
  key: z.string().min(1).max(40),
  name: z.string(),
  role: z.string(),
  assetType: z.enum(ASSET_TYPES),
  handlingMinutes: z.number().positive(),
  /** Target WIP per person. */
  targetWip: z.number().int().min(0),
  /** Hours a stay may last; null where assets stay for good (customers at Service): no stay SLA. */
  slaHours: z.number().positive().nullable(),
  order: z.number(),
  active: z.boolean(),
  hourlyCapOverride: z.number().int().min(0).nullable().default(null)
});
export type Station = z.infer<typeof stationSchema>;

const timeZoneBandSchema = z.object({ name: z.string().min(1), maxOffsetHours: z.number() });
export type TimeZoneBand = z.infer<typeof timeZoneBandSchema>;

/** Standard-time offset bands; an asset falls into the first band whose bound is >= its offset. */
export const DEFAULT_TIME_ZONE_BANDS: TimeZoneBand[] = [
  { name: 'Americas', maxOffsetHours: -2 },
  { name: 'EMEA', maxOffsetHours: 4.5 },
  { name: 'APAC', maxOffsetHours: 14 }
];

export const stratumFieldSchema = z.union([
  z.string().min(1),
  z.object({ field: z.string().min(1), timeZoneBands: z.array(timeZoneBandSchema).min(1).optional() })
]);
export type StratumField = z.infer<typeof stratumFieldSchema>;

export const assignmentPolicySchema = z
  .object({
    /** Asset fields that define a stratum; an object entry turns an IANA zone field into a band. */
    strata: z.array(stratumFieldSchema).default(['LeadSource', 'Segment__c']),
    /** Asset fields naming a skill the rep must have (empty value: no skill needed). */
    skillFields: z.array(z.string().min(1)).default(['Language__c', 'Product_Interest__c']),
    /** A block holds k units per rep, k drawn uniformly from [min, max] for every block. */
    blockMultiples: z
      .object({ min: z.number().int().min(1), max: z.number().int().min(1) })
      .default({ min: 1, max: 3 }),
    /** The largest per-rep unit count tried when making weights integer (see weights.ts). */
    maxUnitsPerRep: z.number().int().min(1).max(20).default(4)
  })
  .refine((p) => p.blockMultiples.min <= p.blockMultiples.max, {
    message: 'blockMultiples.min must be <= blockMultiples.max',
    path: ['blockMultiples']
  });
export type AssignmentPolicy = z.infer<typeof assignmentPolicySchema>;

export const DEFAULT_POLICY: AssignmentPolicy = assignmentPolicySchema.parse({});

export const assetToAssignSchema = z.object({
  id: z.string().min(1).max(18),
  type: z.enum(ASSET_TYPES),
  /** When the asset started waiting for this station (Station_Entered_At__c): oldest first. */
  queuedAt: isoInstant,
  /** Asset fields used for strata and skills, by API name (LeadSource, Segment__c, ...). */
  fields: z.record(z.string(), z.string().nullable().optional()),
  /**
   * Which visit of the asset to this station this is (1 for the first). It makes the ledger
   * key, so a replayed event or re-run job maps to the same key and assigns nothing twice.
   */
  visit: z.union([z.number().int().min(1), z.string().min(1).max(40)]).default(1)
});
export type AssetToAssign = z.input<typeof assetToAssignSchema>;

/** One assignment, as written to Assignment__c. */
export const ledgerRowSchema = z.object({
  ledgerKey: z.string().min(1).max(120),
  assetId: z.string().min(1),
  assetType: z.enum(ASSET_TYPES),
  repId: z.string().min(1),
  station: z.string().min(1),
  stratum: z.string().max(255).nullable(),
  block: z.number().int().min(1).nullable(),
  blockSize: z.number().int().min(1).nullable(),
  /** Slot position in the block's permutation, from 0. */
  draw: z.number().int().min(0).nullable(),
  /** The block's seed token: `<run seed>.<roster fingerprint>`. */
  seed: z.string().max(40).nullable(),
  method: z.enum(ASSIGNMENT_METHODS),
  assignedAt: isoInstant
});
export type LedgerRow = z.infer<typeof ledgerRowSchema>;

/** The open block of one stratum: everything needed to continue it, rebuildable from rows. */
export const stratumStateSchema = z.object({
  stratum: z.string(),
  block: z.number().int().min(1),
  seed: z.string(),
  size: z.number().int().min(1),
  /** Slots used so far in this block, per rep id. */
  used: z.record(z.string(), z.number().int().min(0))
});
export type StratumState = z.infer<typeof stratumStateSchema>;

export const assignmentStateSchema = z.object({
  station: z.string(),
  strata: z.record(z.string(), stratumStateSchema),
  /** Epoch milliseconds of each rep's recent draws at this station, for the hourly cap. */
  recentDraws: z.record(z.string(), z.array(z.number()))
});
export type AssignmentState = z.infer<typeof assignmentStateSchema>;

export function emptyState(station: string): AssignmentState {
  return { station, strata: {}, recentDraws: {} };
}

/** Who holds slots in a block: the station's active reps with the stratum's skills. */
export interface RosterMember {
  id: string;
  weight: number;
}
