import { z } from 'zod';
import rawDefaults from '../../../../config/queue-defaults.json';
import { isValidTimeZone, WEEKDAY_NAMES } from './localTime';
import { PurposeSchema } from './guidance';

const WeekdaySchema = z.enum(WEEKDAY_NAMES);
const positive = z.number().positive();
const multiplierMap = z.record(z.string(), z.number().nonnegative());

const TimeZoneSchema = z.string().refine(isValidTimeZone, { message: 'must be an IANA time zone such as America/Chicago' });

/** Hard rules and cadence of the queue: the policy a sales leader may change. */
export const QueueRulesSchema = z
  .object({
    callingHours: z.object({
      startHour: z.number().min(0).max(24),
      endHour: z.number().min(0).max(24),
      days: z.array(WeekdaySchema).min(1)
    }),
    /** Used when a lead or account has no valid Time_Zone__c: call only when it is calling time in all of them. */
    fallbackTimeZones: z.array(TimeZoneSchema).min(1),
    inboundSlaMinutes: positive,
    maxAttempts: z.number().int().min(1),
    maxAttemptsByPurpose: z.partialRecord(PurposeSchema, z.number().int().min(1)).default({}),
    /** Minutes to wait after attempt n (index n-1) before the next attempt; the last value repeats. */
    spacingMinutes: z.object({ inbound: z.array(positive).min(1), outbound: z.array(positive).min(1) }),
    callBackDefaultMinutes: positive,
    nurtureReentryDays: positive,
    rebookDelayMinutes: z.number().nonnegative(),
    confirmDemo: z.object({ hoursBefore: positive, stopMinutesBefore: z.number().nonnegative(), retryMinutes: positive }),
    courtesyIntervalDays: positive,
    highPriorityCaseValues: z.array(z.string()).min(1),
    activeBins: z.array(z.string()).min(1),
    nurtureBin: z.string(),
    urgency: z.object({ horizonMinutes: positive, weight: z.number().nonnegative() }),
    /** A task overdue by more than this many hours jumps ahead of scored calls, so nothing starves. */
    staleGuardHours: positive,
    /** Entries per SDR planned by rankQueue when no limit is given (null: all of them). */
    planLimit: z.number().int().positive().nullable()
  })
  .superRefine((rules, ctx) => {
    if (rules.callingHours.endHour <= rules.callingHours.startHour) {
      ctx.addIssue({
        code: 'custom',
        path: ['callingHours', 'endHour'],
        message: `endHour (${rules.callingHours.endHour}) must be after startHour (${rules.callingHours.startHour})`
      });
    }
  });
export type QueueRules = z.infer<typeof QueueRulesSchema>;

const SpeedStepSchema = z.object({ withinMinutes: positive.nullable(), multiplier: z.number().nonnegative() });

/** Research-based prior odds: what the queue believes before it has seen the org's history. */
export const QueuePriorsSchema = z.object({
  /** Prior strength in expected events: a cell needs this many expected events before its own data weighs as much as the prior. */
  priorStrength: z.object({ contact: positive, meeting: positive, minutes: positive, voicemailShare: positive }),
  contact: z.object({
    baseRate: z.number().min(0).max(1),
    sourceMultiplier: multiplierMap,
    inboundSpeedToLead: z.array(SpeedStepSchema).min(1),
    attemptMultiplier: z.array(z.number().nonnegative()).min(1),
    localHourMultiplier: multiplierMap,
    weekdayMultiplier: multiplierMap,
    purposeMultiplier: multiplierMap
  }),
  meetingGivenContact: z.object({
    base: z.number().min(0).max(1),
    sourceMultiplier: multiplierMap,
    segmentMultiplier: multiplierMap,
    inboundMultiplier: z.number().nonnegative(),
    purposeMultiplier: multiplierMap
  }),
  /** Meetings kept per confirm call that reaches the prospect (a booked demo is less likely to be missed). */
  confirmShowUplift: z.number().min(0).max(1),
  /** Meeting-equivalents credited to a courtesy call, so it is ranked against prospecting calls. */
  courtesyMeetingEquivalent: z.number().min(0).max(1),
  callMinutes: z.object({ noAnswer: positive, voicemail: positive, contact: positive, meeting: positive, wrapUp: z.number().nonnegative() }),
  voicemailShare: z.number().min(0).max(1),
  maxProbability: z.number().gt(0).max(1)
});
export type QueuePriors = z.infer<typeof QueuePriorsSchema>;

export const QueueDefaultsSchema = z.object({
  version: z.number().int(),
  rules: QueueRulesSchema,
  priors: QueuePriorsSchema
});
export type QueueDefaults = z.infer<typeof QueueDefaultsSchema>;

export class QueueConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[]
  ) {
    super(`Invalid queue configuration in ${source}: ${issues.join('; ')}`);
    this.name = 'QueueConfigError';
  }
}

/** Validates a queue defaults document; errors name the field, the value and what is expected. */
export function parseQueueDefaults(value: unknown, source = 'queue defaults'): QueueDefaults {
  const parsed = QueueDefaultsSchema.safeParse(value);
  if (!parsed.success) {
    throw new QueueConfigError(
      source,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    );
  }
  return parsed.data;
}

/** config/queue-defaults.json, validated once at load. */
export const QUEUE_DEFAULTS: QueueDefaults = parseQueueDefaults(rawDefaults, 'config/queue-defaults.json');
