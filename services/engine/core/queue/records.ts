import { z } from 'zod';
import type { FieldName, ObjectName } from '../../schema';
import { OutcomeSchema, PurposeSchema } from './guidance';

/**
 * The org records the queue reads, by their unprefixed API names (docs/data-model.md). The
 * org layer strips the package namespace before parsing. zod drops keys a schema does not
 * name, so Lead.Company and Lead.Fame_Band__c never reach the ranking even if a query selects
 * them: equal chances for unknown companies are a property of the types, not of discipline.
 */

const text = z.string().nullish();
const flag = z.boolean().nullish();
const num = z.number().nullish();
const dateTimeText = z.union([z.string(), z.number()]);
const SfDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/** Salesforce DateTime as REST returns it ("2026-01-05T14:00:00.000+0000", ISO 8601) or epoch ms. */
function toMs(value: string | number, field: string, ctx: z.RefinementCtx): number {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', path: [field], message: `"${String(value)}" is not a date-time; expected ISO 8601 such as 2026-01-05T14:00:00.000Z` });
  }
  return ms;
}
function toMsOrNull(value: string | number | null | undefined, field: string, ctx: z.RefinementCtx): number | null {
  return value === null || value === undefined || value === '' ? null : toMs(value, field, ctx);
}
const orNull = (v: string | null | undefined): string | null => (v === undefined || v === null || v === '' ? null : v);

// Field types are checked by plain schemas and converted once per record: per-field
// transforms cost three times as much, and a full re-rank parses 100,000 leads.
export const LeadRecordSchema = z
  .object({
    Id: z.string().min(1),
    OwnerId: text,
    CreatedDate: dateTimeText,
    LeadSource: text,
    Inbound__c: flag,
    Time_Zone__c: text,
    Segment__c: text,
    Bin__c: text,
    Station__c: text,
    Attempt_Count__c: num,
    Last_Attempt_At__c: dateTimeText.nullish(),
    Next_Action_At__c: dateTimeText.nullish(),
    Booked_By__c: text,
    DoNotCall: flag,
    IsConverted: flag
  })
  .transform((r, ctx) => ({
    Id: r.Id,
    OwnerId: orNull(r.OwnerId),
    CreatedDate: toMs(r.CreatedDate, 'CreatedDate', ctx),
    LeadSource: orNull(r.LeadSource),
    Inbound__c: r.Inbound__c === true,
    Time_Zone__c: orNull(r.Time_Zone__c),
    Segment__c: orNull(r.Segment__c),
    Bin__c: orNull(r.Bin__c),
    Station__c: orNull(r.Station__c),
    Attempt_Count__c: r.Attempt_Count__c ?? null,
    Last_Attempt_At__c: toMsOrNull(r.Last_Attempt_At__c, 'Last_Attempt_At__c', ctx),
    Next_Action_At__c: toMsOrNull(r.Next_Action_At__c, 'Next_Action_At__c', ctx),
    Booked_By__c: orNull(r.Booked_By__c),
    DoNotCall: r.DoNotCall === true,
    IsConverted: r.IsConverted === true
  }));
export type LeadRecord = z.infer<typeof LeadRecordSchema>;
export type LeadRecordInput = z.input<typeof LeadRecordSchema>;

export const AccountRecordSchema = z
  .object({
    Id: z.string().min(1),
    OwnerId: text,
    Time_Zone__c: text,
    Segment__c: text,
    Bin__c: text,
    Station__c: text,
    Bin_Entered_At__c: dateTimeText.nullish(),
    Has_Overdue_Invoice__c: flag
  })
  .transform((r, ctx) => ({
    Id: r.Id,
    OwnerId: orNull(r.OwnerId),
    Time_Zone__c: orNull(r.Time_Zone__c),
    Segment__c: orNull(r.Segment__c),
    Bin__c: orNull(r.Bin__c),
    Station__c: orNull(r.Station__c),
    Bin_Entered_At__c: toMsOrNull(r.Bin_Entered_At__c, 'Bin_Entered_At__c', ctx),
    Has_Overdue_Invoice__c: r.Has_Overdue_Invoice__c === true
  }));
export type AccountRecord = z.infer<typeof AccountRecordSchema>;
export type AccountRecordInput = z.input<typeof AccountRecordSchema>;

export const CaseRecordSchema = z
  .object({ Id: z.string().min(1), AccountId: text, Priority: text, IsClosed: flag })
  .transform((r) => ({ Id: r.Id, AccountId: orNull(r.AccountId), Priority: orNull(r.Priority), IsClosed: r.IsClosed === true }));
export type CaseRecord = z.infer<typeof CaseRecordSchema>;

export const DemoSlotRecordSchema = z
  .object({ Id: z.string().min(1), Lead__c: text, Booked_By__c: text, Start__c: dateTimeText, Status__c: text })
  .transform((r, ctx) => ({
    Id: r.Id,
    Lead__c: orNull(r.Lead__c),
    Booked_By__c: orNull(r.Booked_By__c),
    Start__c: toMs(r.Start__c, 'Start__c', ctx),
    Status__c: orNull(r.Status__c)
  }));
export type DemoSlotRecord = z.infer<typeof DemoSlotRecordSchema>;
export type DemoSlotRecordInput = z.input<typeof DemoSlotRecordSchema>;

export const DispositionRecordSchema = z
  .object({
    Id: z.string().min(1).optional(),
    Lead__c: text,
    Account__c: text,
    Rep__c: text,
    Purpose__c: PurposeSchema.nullish(),
    Outcome__c: OutcomeSchema,
    Attempt_Number__c: num,
    Next_Action_At__c: dateTimeText.nullish(),
    Duration_Seconds__c: num,
    CreatedDate: dateTimeText
  })
  .transform((r, ctx) => ({
    Id: r.Id ?? null,
    Lead__c: orNull(r.Lead__c),
    Account__c: orNull(r.Account__c),
    Rep__c: orNull(r.Rep__c),
    Purpose__c: r.Purpose__c ?? null,
    Outcome__c: r.Outcome__c,
    Attempt_Number__c: r.Attempt_Number__c ?? null,
    Next_Action_At__c: toMsOrNull(r.Next_Action_At__c, 'Next_Action_At__c', ctx),
    Duration_Seconds__c: r.Duration_Seconds__c ?? null,
    CreatedDate: toMs(r.CreatedDate, 'CreatedDate', ctx)
  }));
export type DispositionRecord = z.infer<typeof DispositionRecordSchema>;
export type DispositionRecordInput = z.input<typeof DispositionRecordSchema>;

export const RepCapacityRecordSchema = z
  .object({
    User__c: z.string().min(1),
    Time_Zone__c: z.string().min(1),
    Shift_Start_Hour__c: z.number().min(0).max(24),
    Shift_End_Hour__c: z.number().min(0).max(24),
    Working_Days__c: text,
    Leave_Start__c: SfDate.nullish(),
    Leave_End__c: SfDate.nullish(),
    Hourly_Cap_Override__c: num,
    Active__c: flag
  })
  .transform((r) => ({
    User__c: r.User__c,
    Time_Zone__c: r.Time_Zone__c,
    Shift_Start_Hour__c: r.Shift_Start_Hour__c,
    Shift_End_Hour__c: r.Shift_End_Hour__c,
    Working_Days__c: r.Working_Days__c ?? 'Mon;Tue;Wed;Thu;Fri',
    Leave_Start__c: r.Leave_Start__c ?? null,
    Leave_End__c: r.Leave_End__c ?? null,
    Hourly_Cap_Override__c: r.Hourly_Cap_Override__c ?? null,
    Active__c: r.Active__c !== false
  }));
export type RepCapacityRecord = z.infer<typeof RepCapacityRecordSchema>;
export type RepCapacityRecordInput = z.input<typeof RepCapacityRecordSchema>;

export const StationTimingSchema = z
  .object({ Id: text, Handling_Minutes__c: z.number().positive(), Hourly_Cap_Override__c: num })
  .transform((r) => ({ Id: orNull(r.Id), Handling_Minutes__c: r.Handling_Minutes__c, Hourly_Cap_Override__c: r.Hourly_Cap_Override__c ?? null }));
export type StationTiming = z.infer<typeof StationTimingSchema>;
export type StationTimingInput = z.input<typeof StationTimingSchema>;

/** Compile-time check that every field the queue reads is one services/engine/schema declares. */
type Known<O extends ObjectName, S extends z.ZodType> = [Exclude<keyof z.input<S>, FieldName<O>>] extends [never] ? true : never;
const _fieldsAreInTheSchema: [
  Known<'Lead', typeof LeadRecordSchema>,
  Known<'Account', typeof AccountRecordSchema>,
  Known<'Case', typeof CaseRecordSchema>,
  Known<'Demo_Slot__c', typeof DemoSlotRecordSchema>,
  Known<'Disposition__c', typeof DispositionRecordSchema>,
  Known<'Rep_Capacity__c', typeof RepCapacityRecordSchema>,
  Known<'Station__c', typeof StationTimingSchema>
] = [true, true, true, true, true, true, true];

/** Everything rankQueue needs, as the org returns it. */
export const QueueInputSchema = z.object({
  station: StationTimingSchema,
  reps: z.array(RepCapacityRecordSchema),
  leads: z.array(LeadRecordSchema),
  accounts: z.array(AccountRecordSchema).default([]),
  cases: z.array(CaseRecordSchema).default([]),
  demoSlots: z.array(DemoSlotRecordSchema).default([]),
  /** The SDR station's disposition history: drives the odds, the last outcome and account attempts. */
  history: z.array(DispositionRecordSchema).default([])
});
export type QueueInput = z.infer<typeof QueueInputSchema>;
export type QueueInputRaw = z.input<typeof QueueInputSchema>;

export class QueueInputError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid queue input: ${issues.join('; ')}`);
    this.name = 'QueueInputError';
  }
}

function describe(issue: z.core.$ZodIssue, value: unknown): string {
  let at: unknown = value;
  for (const key of issue.path) at = at && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
  const shown = at === undefined ? 'missing' : JSON.stringify(at);
  return `${issue.path.join('.')}: ${issue.message} (got ${shown})`;
}

/** Parses org records at the boundary; the error names each field, its value and what was expected. */
export function parseQueueInput(raw: unknown): QueueInput {
  const parsed = QueueInputSchema.safeParse(raw);
  if (!parsed.success) throw new QueueInputError(parsed.error.issues.slice(0, 20).map((i) => describe(i, raw)));
  return parsed.data;
}

export function parseLead(raw: unknown): LeadRecord {
  const parsed = LeadRecordSchema.safeParse(raw);
  if (!parsed.success) throw new QueueInputError(parsed.error.issues.map((i) => describe(i, raw)));
  return parsed.data;
}

export function parseDisposition(raw: unknown): DispositionRecord {
  const parsed = DispositionRecordSchema.safeParse(raw);
  if (!parsed.success) throw new QueueInputError(parsed.error.issues.map((i) => describe(i, raw)));
  return parsed.data;
}
