import { z } from 'zod';
import { orgBoolean, orgNumber, orgText } from '../orgValues';
import { CoreInputError } from './errors';
import {
  ASSET_TYPES,
  ASSIGNMENT_METHODS,
  DEFAULT_POLICY,
  ledgerRowSchema,
  type AssetToAssign,
  type AssetType,
  type AssignmentPolicy,
  repSchema,
  stationSchema,
  type LedgerRow,
  type Rep,
  type Station
} from './model';
import { WEEKDAYS, type Weekday } from './shift';

/**
 * The org records assignment reads and writes, by unprefixed API name (docs/data-model.md;
 * the org layer strips or adds the namespace). Values may come from REST JSON (numbers,
 * booleans) or from Bulk API 2.0 CSV (everything a string, empty for null), so the schemas
 * accept both.
 */
export { orgBoolean, orgNumber, orgText };

export const repCapacityRecordSchema = z.object({
  User__c: z.string().min(1),
  Key__c: orgText.optional(),
  Station_Keys__c: orgText,
  Skills__c: orgText.optional(),
  Weight__c: orgNumber.optional(),
  Time_Zone__c: orgText,
  Shift_Start_Hour__c: orgNumber,
  Shift_End_Hour__c: orgNumber,
  Working_Days__c: orgText.optional(),
  Leave_Start__c: orgText.optional(),
  Leave_End__c: orgText.optional(),
  WIP_Cap__c: orgNumber.optional(),
  Hourly_Cap_Override__c: orgNumber.optional(),
  Active__c: orgBoolean
});
export type RepCapacityRecord = z.input<typeof repCapacityRecordSchema>;

export const stationRecordSchema = z.object({
  Id: z.string().optional(),
  Key__c: z.string().min(1),
  Name: z.string(),
  Role__c: orgText,
  Asset_Type__c: z.enum(ASSET_TYPES),
  Handling_Minutes__c: orgNumber,
  Target_WIP__c: orgNumber,
  SLA_Hours__c: orgNumber,
  Order__c: orgNumber,
  Active__c: orgBoolean,
  Hourly_Cap_Override__c: orgNumber.optional()
});
export type StationRecord = z.input<typeof stationRecordSchema>;

/** Assignment__c: Station__c and Rep__c are record ids in the org; the core uses station keys. */
export const assignmentRecordSchema = z.object({
  Ledger_Key__c: z.string().min(1),
  Asset_Id__c: z.string().min(1),
  Asset_Type__c: z.enum(ASSET_TYPES),
  Rep__c: z.string().min(1),
  Station__c: z.string().min(1),
  Stratum__c: orgText,
  Block__c: orgNumber,
  Block_Size__c: orgNumber,
  Draw__c: orgNumber,
  Seed__c: orgText,
  Method__c: z.enum(ASSIGNMENT_METHODS),
  Assigned_At__c: z.string().min(1)
});
export type AssignmentRecord = z.input<typeof assignmentRecordSchema>;

const DAY_ALIASES: Record<string, Weekday> = Object.fromEntries(
  WEEKDAYS.flatMap((d) => [
    [d.toLowerCase(), d],
    [d.toLowerCase() + (d === 'Tue' ? 'sday' : d === 'Wed' ? 'nesday' : d === 'Thu' ? 'rsday' : d === 'Sat' ? 'urday' : 'day'), d]
  ])
) as Record<string, Weekday>;

function splitList(text: string | null | undefined): string[] {
  return (text ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function firstIssue(error: z.ZodError, prefix: string, value: unknown): CoreInputError {
  const issue = error.issues[0];
  const path = issue?.path.join('.') ?? '';
  const found = path && value && typeof value === 'object' ? (value as Record<string, unknown>)[String(issue?.path[0])] : value;
  return new CoreInputError(`${prefix}${path ? `.${path}` : ''}`, found, issue?.message ?? 'a valid value');
}

/** A parse that keeps going: good records become values, bad ones become named problems. */
export interface Parsed<T> {
  values: T[];
  problems: CoreInputError[];
}

const REP_FIELD: Record<string, string> = {
  timeZone: 'Time_Zone__c',
  shiftStartHour: 'Shift_Start_Hour__c',
  shiftEndHour: 'Shift_End_Hour__c',
  weight: 'Weight__c',
  workingDays: 'Working_Days__c',
  leaveStart: 'Leave_Start__c',
  leaveEnd: 'Leave_End__c',
  wipCap: 'WIP_Cap__c',
  hourlyCapOverride: 'Hourly_Cap_Override__c'
};

export function repFromRecord(raw: unknown): Rep {
  const parsed = repCapacityRecordSchema.safeParse(raw);
  if (!parsed.success) throw firstIssue(parsed.error, 'Rep_Capacity__c', raw);
  const r = parsed.data;
  const days = splitList(r.Working_Days__c);
  const workingDays = (days.length === 0 ? ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] : days).map((d) => {
    const day = DAY_ALIASES[d.toLowerCase()];
    if (!day) throw new CoreInputError(`Rep_Capacity__c(${r.User__c}).Working_Days__c`, r.Working_Days__c, 'a semicolon list like Mon;Tue;Wed;Thu;Fri');
    return day;
  });
  const candidate = {
    id: r.User__c,
    stations: splitList(r.Station_Keys__c),
    skills: splitList(r.Skills__c).map((s) => s.toLowerCase()),
    weight: r.Weight__c ?? 1,
    timeZone: r.Time_Zone__c,
    shiftStartHour: r.Shift_Start_Hour__c,
    shiftEndHour: r.Shift_End_Hour__c,
    workingDays,
    leaveStart: r.Leave_Start__c ?? null,
    leaveEnd: r.Leave_End__c ?? null,
    wipCap: r.WIP_Cap__c ?? null,
    hourlyCapOverride: r.Hourly_Cap_Override__c ?? null,
    active: r.Active__c
  };
  const rep = repSchema.safeParse(candidate);
  if (!rep.success) {
    const issue = rep.error.issues[0];
    const field = REP_FIELD[String(issue?.path[0])] ?? String(issue?.path[0]);
    throw new CoreInputError(`Rep_Capacity__c(${r.User__c}).${field}`, (candidate as Record<string, unknown>)[String(issue?.path[0])], issue?.message ?? 'a valid value');
  }
  return rep.data;
}

function collect<T>(records: readonly unknown[], one: (raw: unknown) => T): Parsed<T> {
  const values: T[] = [];
  const problems: CoreInputError[] = [];
  for (const raw of records) {
    try {
      values.push(one(raw));
    } catch (error) {
      if (error instanceof CoreInputError) problems.push(error);
      else throw error;
    }
  }
  return { values, problems };
}

/** Reps from Rep_Capacity__c records; a bad record is reported, not fatal to the others. */
export function repsFromRecords(records: readonly unknown[]): Parsed<Rep> {
  return collect(records, repFromRecord);
}

export function stationFromRecord(raw: unknown): Station {
  const parsed = stationRecordSchema.safeParse(raw);
  if (!parsed.success) throw firstIssue(parsed.error, 'Station__c', raw);
  const s = parsed.data;
  const station = stationSchema.safeParse({
    key: s.Key__c,
    name: s.Name,
    role: s.Role__c ?? '',
    assetType: s.Asset_Type__c,
    handlingMinutes: s.Handling_Minutes__c,
    targetWip: s.Target_WIP__c ?? 0,
    slaHours: s.SLA_Hours__c ?? null,
    order: s.Order__c ?? 0,
    active: s.Active__c,
    hourlyCapOverride: s.Hourly_Cap_Override__c ?? null
  });
  if (!station.success) {
    const issue = station.error.issues[0];
    const names: Record<string, string> = { handlingMinutes: 'Handling_Minutes__c', slaHours: 'SLA_Hours__c', targetWip: 'Target_WIP__c' };
    const path = String(issue?.path[0]);
    throw new CoreInputError(`Station__c(${s.Key__c}).${names[path] ?? path}`, (s as Record<string, unknown>)[names[path] ?? path], issue?.message ?? 'a valid value');
  }
  return station.data;
}

export function stationsFromRecords(records: readonly unknown[]): Parsed<Station> {
  return collect(records, stationFromRecord);
}

/** A ledger row from an Assignment__c record; `stationKeyById` maps Station__c ids to keys. */
export function ledgerRowFromRecord(raw: unknown, stationKeyById: ReadonlyMap<string, string>): LedgerRow {
  const parsed = assignmentRecordSchema.safeParse(raw);
  if (!parsed.success) throw firstIssue(parsed.error, 'Assignment__c', raw);
  const a = parsed.data;
  const row = ledgerRowSchema.safeParse({
    ledgerKey: a.Ledger_Key__c,
    assetId: a.Asset_Id__c,
    assetType: a.Asset_Type__c,
    repId: a.Rep__c,
    station: stationKeyById.get(a.Station__c) ?? a.Station__c,
    stratum: a.Stratum__c,
    block: a.Block__c,
    blockSize: a.Block_Size__c,
    draw: a.Draw__c,
    seed: a.Seed__c,
    method: a.Method__c,
    assignedAt: new Date(a.Assigned_At__c).toISOString()
  });
  if (!row.success) throw firstIssue(row.error, `Assignment__c(${a.Ledger_Key__c})`, raw);
  return row.data;
}

/** The Assignment__c record to upsert on Ledger_Key__c; `stationIdByKey` maps keys to ids. */
export function assignmentRecordFromRow(row: LedgerRow, stationIdByKey: ReadonlyMap<string, string>, jobRunId?: string): Record<string, unknown> {
  return {
    Ledger_Key__c: row.ledgerKey,
    Asset_Id__c: row.assetId,
    Asset_Type__c: row.assetType,
    Rep__c: row.repId,
    Station__c: stationIdByKey.get(row.station) ?? null,
    Stratum__c: row.stratum,
    Block__c: row.block,
    Block_Size__c: row.blockSize,
    Draw__c: row.draw,
    Seed__c: row.seed,
    Method__c: row.method,
    Assigned_At__c: row.assignedAt,
    ...(jobRunId ? { Job_Run__c: jobRunId } : {})
  };
}

/**
 * An asset to assign from its Lead, Account or Opportunity record: it waits since
 * Station_Entered_At__c (else CreatedDate), and carries the fields the policy's strata and
 * skills name. `visit` is the asset's visit number to the station (1 + earlier ledger rows
 * of the asset at the station).
 */
export function assetFromRecord(
  raw: Readonly<Record<string, unknown>>,
  type: AssetType,
  policy: Pick<AssignmentPolicy, 'strata' | 'skillFields'> = DEFAULT_POLICY,
  visit: number | string = 1
): AssetToAssign {
  const id = raw.Id;
  if (typeof id !== 'string' || id === '') throw new CoreInputError(`${type}.Id`, id, 'a record id');
  const queuedAt = [raw.Station_Entered_At__c, raw.CreatedDate].find((v) => typeof v === 'string' && v !== '');
  if (typeof queuedAt !== 'string' || Number.isNaN(Date.parse(queuedAt))) {
    throw new CoreInputError(`${type}(${id}).Station_Entered_At__c`, raw.Station_Entered_At__c ?? null, 'a date-time (or CreatedDate in the query)');
  }
  const names = [...policy.strata.map((e) => (typeof e === 'string' ? e : e.field)), ...policy.skillFields];
  const fields: Record<string, string | null> = {};
  for (const name of names) {
    const v = raw[name];
    fields[name] = v === undefined || v === null || v === '' ? null : String(v);
  }
  return { id, type, queuedAt: new Date(queuedAt).toISOString(), fields, visit };
}
