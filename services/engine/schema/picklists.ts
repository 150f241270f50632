import { z } from 'zod';
import type { ObjectName } from './objects';

/**
 * Picklist values, exactly as in force-app (global value sets ASL_* and the local picklists).
 * Values are never namespaced. test/metadata/schema.test.ts checks every list, in order,
 * against the metadata.
 */
export const BINS = [
  'Cold',
  'Working',
  'Nurture - Active Opportunity',
  'Nurture - Check Back Quarterly',
  'Nurture - Dead Opportunity',
  'Avoid - Current Client',
  'Avoid - Bad Fit',
  'Avoid - Duplicate'
] as const;
export type Bin = (typeof BINS)[number];
export const binSchema = z.enum(BINS);

/** Avoid bins never re-enter a queue (docs/data-model.md, "The line model"). */
export const AVOID_BINS: readonly Bin[] = ['Avoid - Current Client', 'Avoid - Bad Fit', 'Avoid - Duplicate'];
export function isAvoidBin(bin: Bin): boolean {
  return AVOID_BINS.includes(bin);
}

export const STATION_ROLES = [
  'SDR',
  'Appointment Setter',
  'Coordinator',
  'Account Executive',
  'Sales Engineer',
  'Onboarding',
  'Service'
] as const;
export type StationRole = (typeof STATION_ROLES)[number];
export const stationRoleSchema = z.enum(STATION_ROLES);

export const ASSET_TYPES = ['Lead', 'Account', 'Opportunity'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];
export const assetTypeSchema = z.enum(ASSET_TYPES);

export const QUEUE_PURPOSES = [
  'First Touch',
  'Follow Up',
  'Call Back',
  'Nurture Check Back',
  'Rebook No Show',
  'Confirm Demo',
  'Courtesy Call'
] as const;
export type QueuePurpose = (typeof QUEUE_PURPOSES)[number];
export const queuePurposeSchema = z.enum(QUEUE_PURPOSES);

export const OUTCOMES = [
  'No Answer',
  'Left Voicemail',
  'Bad Number',
  'Wrong Person',
  'Not Interested',
  'Call Back Requested',
  'Meeting Booked',
  'Nurture',
  'Do Not Call',
  'Bad Fit',
  'Duplicate',
  'Current Client',
  'Confirmed',
  'Demo Held',
  'No Show',
  'Cancelled',
  'Closed Won',
  'Closed Lost',
  'Service Resolved'
] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const outcomeSchema = z.enum(OUTCOMES);

export const SEGMENTS = ['SMB', 'Mid-Market', 'Enterprise'] as const;
export type Segment = (typeof SEGMENTS)[number];
export const segmentSchema = z.enum(SEGMENTS);

export const FAME_BANDS = ['Unknown', 'Known', 'Famous'] as const;
export const STAGE_EVENT_KINDS = ['Station', 'Bin'] as const;
export type StageEventKind = (typeof STAGE_EVENT_KINDS)[number];
export const OWNER_RULES = ['Assign', 'Keep', 'Return To Booker'] as const;
export type OwnerRule = (typeof OWNER_RULES)[number];
export const ownerRuleSchema = z.enum(OWNER_RULES);
export const REASON_CODES = ['Price', 'Timing', 'Authority', 'Need', 'Competitor', 'Wrong Contact', 'No Budget', 'Other'] as const;
export const ASSIGNMENT_METHODS = ['Permuted Block', 'Rebalance', 'Return To Booker', 'Override'] as const;
export type AssignmentMethod = (typeof ASSIGNMENT_METHODS)[number];
export const QUEUE_ENTRY_STATUSES = ['Open', 'Done', 'Withdrawn'] as const;
export type QueueEntryStatus = (typeof QUEUE_ENTRY_STATUSES)[number];
export const JOB_TYPES = ['Rebalance', 'Rerank', 'Forecast Refresh', 'Report', 'Catch Up Sweep', 'Re-entry', 'Audit', 'Campaign Results', 'Campaign Reports', 'Capacity Plan'] as const;
export type JobType = (typeof JOB_TYPES)[number];
export const jobTypeSchema = z.enum(JOB_TYPES);
export const JOB_STATUSES = ['Idle', 'Running', 'Error', 'Invalid Schedule'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const RUN_OUTCOMES = ['Running', 'Succeeded', 'Partial', 'Failed'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];
export const PERIOD_TYPES = ['Month', 'Quarter', 'Year'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];
export const FORECAST_DIMENSIONS = ['Total', 'Rep', 'Team', 'Product'] as const;
export type ForecastDimension = (typeof FORECAST_DIMENSIONS)[number];
export const DEMO_SLOT_STATUSES = ['Booked', 'Confirmed', 'Held', 'No Show', 'Cancelled'] as const;
export type DemoSlotStatus = (typeof DEMO_SLOT_STATUSES)[number];
export const DEMO_REQUEST_STATUSES = ['Requested', 'Answered', 'Failed'] as const;
export type DemoRequestStatus = (typeof DEMO_REQUEST_STATUSES)[number];
export const CAMPAIGN_TEST_METRICS = ['Contact', 'Meeting', 'Won'] as const;
export type CampaignTestMetric = (typeof CAMPAIGN_TEST_METRICS)[number];
export const CAMPAIGN_TEST_STATUSES = ['Draft', 'Running', 'Stopped', 'Decided'] as const;
export type CampaignTestStatus = (typeof CAMPAIGN_TEST_STATUSES)[number];

/** Global value sets of the package, by API name. */
export const GLOBAL_VALUE_SETS = {
  ASL_Bin: BINS,
  ASL_Station_Role: STATION_ROLES,
  ASL_Asset_Type: ASSET_TYPES,
  ASL_Queue_Purpose: QUEUE_PURPOSES,
  ASL_Disposition_Outcome: OUTCOMES,
  ASL_Segment: SEGMENTS
} as const;

/** The values of every package picklist field the engine uses, by object and field. */
export const PICKLIST_VALUES: Partial<Record<ObjectName, Readonly<Record<string, readonly string[]>>>> = {
  Lead: { Bin__c: BINS, Segment__c: SEGMENTS, Fame_Band__c: FAME_BANDS },
  Account: { Bin__c: BINS, Segment__c: SEGMENTS },
  Station__c: { Role__c: STATION_ROLES, Asset_Type__c: ASSET_TYPES },
  Station_Rule__c: { Outcome__c: OUTCOMES, Next_Bin__c: BINS, Owner_Rule__c: OWNER_RULES },
  Stage_Event__c: { Asset_Type__c: ASSET_TYPES, Kind__c: STAGE_EVENT_KINDS },
  Disposition__c: { Purpose__c: QUEUE_PURPOSES, Outcome__c: OUTCOMES, Reason_Code__c: REASON_CODES },
  Assignment__c: { Asset_Type__c: ASSET_TYPES, Method__c: ASSIGNMENT_METHODS },
  Queue_Entry__c: { Purpose__c: QUEUE_PURPOSES, Status__c: QUEUE_ENTRY_STATUSES },
  Engine_Job__c: { Type__c: JOB_TYPES, Status__c: JOB_STATUSES },
  Job_Run__c: { Outcome__c: RUN_OUTCOMES },
  Forecast__c: { Period_Type__c: PERIOD_TYPES },
  Forecast_Line__c: { Dimension__c: FORECAST_DIMENSIONS },
  Demo_Slot__c: { Status__c: DEMO_SLOT_STATUSES },
  Demo_Request__c: { Status__c: DEMO_REQUEST_STATUSES },
  Campaign_Test__c: { Metric__c: CAMPAIGN_TEST_METRICS, Status__c: CAMPAIGN_TEST_STATUSES }
};
