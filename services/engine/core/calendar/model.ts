import { z } from 'zod';
import { DEMO_SLOT_STATUSES } from '../../schema';
import { isValidTimeZone, WEEKDAYS } from './zone';

/**
 * The calendar's plain data. Org records become these shapes in records.ts; tests, the
 * benchmark and the HTTP layer build them directly. Instants are ISO 8601 strings or epoch ms.
 */
const instant = z.union([z.string(), z.number(), z.date()]).transform((v, ctx) => {
  const ms = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(v);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: 'an ISO 8601 date-time or epoch milliseconds' });
    return z.NEVER;
  }
  return ms;
});

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const timeZone = z.string().refine(isValidTimeZone, 'an IANA time zone such as America/Chicago');
const hour = z.number().min(0, 'an hour from 0 to 24').max(24, 'an hour from 0 to 24');

export const demoTypeSchema = z
  .object({
    /** Demo_Type__c record id, for the booking's lookup. */
    id: z.string().nullable().default(null),
    key: z.string().min(1),
    durationMinutes: z.number().int().min(5, 'at least 5 minutes').max(8 * 60, 'at most 8 hours'),
    needsAE: z.boolean(),
    needsEngineer: z.boolean(),
    fieldMeeting: z.boolean().default(false),
    active: z.boolean().default(true)
  })
  .refine((t) => t.needsAE || t.needsEngineer, { message: 'a demo type needs an AE, an engineer or both', path: ['needsAE'] });
export type DemoType = z.infer<typeof demoTypeSchema>;

export const CALENDAR_ROLES = ['AE', 'Engineer'] as const;
export type CalendarRole = (typeof CALENDAR_ROLES)[number];

export const personSchema = z.object({
  userId: z.string().min(1),
  role: z.enum(CALENDAR_ROLES),
  timeZone,
  shiftStartHour: hour,
  /** Equal to or before the start: an overnight shift ending the next day. */
  shiftEndHour: hour,
  workingDays: z.array(z.enum(WEEKDAYS)).min(1).default(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']),
  /** Inclusive local dates in the person's zone. */
  leave: z.array(z.object({ start: isoDate, end: isoDate })).default([]),
  /** Demo_Target__c: demos per month; null means "equal shares". */
  demoTarget: z.number().nonnegative().nullable().default(null),
  city: z.string().nullable().default(null),
  active: z.boolean().default(true)
});
export type Person = z.infer<typeof personSchema>;
export type PersonInput = z.input<typeof personSchema>;

/** Statuses that hold a person's time and count as demos for the period. */
export const HOLDING_STATUSES: readonly (typeof DEMO_SLOT_STATUSES)[number][] = DEMO_SLOT_STATUSES.filter((s) => s !== 'Cancelled' && s !== 'No Show');

/** A busy interval from an Event, or a demo already booked (Demo_Slot__c). */
export const calendarEntrySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), ownerId: z.string().min(1), start: instant, end: instant }),
  z.object({
    kind: z.literal('demo'),
    key: z.string().nullable().default(null),
    aeId: z.string().nullable(),
    engineerId: z.string().nullable().default(null),
    start: instant,
    end: instant,
    status: z.enum(DEMO_SLOT_STATUSES).default('Booked'),
    city: z.string().nullable().default(null)
  })
]);
export type CalendarEntry = z.infer<typeof calendarEntrySchema>;
export type CalendarEntryInput = z.input<typeof calendarEntrySchema>;

export const GRID_MINUTES = [5, 10, 15, 20, 30, 60] as const;

export const slotRequestSchema = z.object({
  demoType: demoTypeSchema,
  /** Look this many days ahead from now. */
  days: z.number().int().min(1).max(62).default(14),
  /** Starts fall on multiples of this many minutes (UTC). */
  gridMinutes: z
    .number()
    .refine((g) => (GRID_MINUTES as readonly number[]).includes(g), `one of ${GRID_MINUTES.join(', ')} minutes`)
    .default(30),
  /** No slot starts sooner than this after now. */
  minNoticeMinutes: z.number().int().min(0).default(60),
  /** Kept free before and after every busy interval. */
  bufferMinutes: z.number().int().min(0).max(240).default(0),
  /** For field meetings: kept free around every busy interval instead of the buffer, if longer. */
  travelMinutes: z.number().int().min(0).max(480).default(30),
  /** Field meetings: the City__c of the appointment (required for them). */
  city: z.string().trim().min(1).nullable().default(null),
  /** Field meetings: never send a rep to two cities on one local day. */
  oneCityPerDay: z.boolean().default(true),
  /** The customer's hours: slots must also fall inside them. */
  customerWindow: z
    .object({
      timeZone,
      startHour: hour,
      endHour: hour,
      workingDays: z.array(z.enum(WEEKDAYS)).min(1).default(['Mon', 'Tue', 'Wed', 'Thu', 'Fri'])
    })
    .nullable()
    .default(null),
  /** The period whose bookings count against Demo_Target__c (default: the UTC month of now). */
  period: z.object({ start: instant, end: instant }).nullable().default(null),
  /** Draw for ties between equally behind reps; log it with the booking to replay the ranking. */
  seed: z.union([z.string(), z.number()]),
  /** Only these owners (AE ids, or engineer ids for engineer-only types). */
  ownerIds: z.array(z.string()).nullable().default(null),
  /** Return at most this many slots (all when null). */
  limit: z.number().int().positive().nullable().default(null)
});
export type SlotRequest = z.infer<typeof slotRequestSchema>;
export type SlotRequestInput = z.input<typeof slotRequestSchema>;
