import { z } from 'zod';
import { DEMO_SLOT_STATUSES, type StationRole } from '../../schema';
import type { CalendarEntry, CalendarRole, DemoType, Person } from './model';
import { InputError, orgBoolean, orgNumber, orgRecordSchema, orgText, parseAll, parseRecord, type Parsed } from './orgRecord';
import { epochDayOf, isValidTimeZone, WEEKDAYS, zonedToUtc, type Weekday } from './zone';

/**
 * The org records the calendar reads, by unprefixed API name (the org layer strips the
 * namespace), and their conversion to the calendar's plain data. Use selectFields(schema, ns)
 * for the SOQL field list.
 */
export const repCapacityRecordSchema = orgRecordSchema('Rep_Capacity__c', {
  User__c: z.string().min(1),
  Station_Keys__c: orgText,
  Time_Zone__c: orgText,
  Shift_Start_Hour__c: orgNumber,
  Shift_End_Hour__c: orgNumber,
  Working_Days__c: orgText,
  Leave_Start__c: orgText,
  Leave_End__c: orgText,
  Demo_Target__c: orgNumber,
  City__c: orgText,
  Active__c: orgBoolean
});

export const stationRoleRecordSchema = orgRecordSchema('Station__c', {
  Key__c: z.string().min(1),
  Role__c: orgText
});

export const demoTypeRecordSchema = orgRecordSchema('Demo_Type__c', {
  Id: orgText,
  Key__c: z.string().min(1),
  Duration_Minutes__c: orgNumber,
  Needs_AE__c: orgBoolean,
  Needs_Engineer__c: orgBoolean,
  Field_Meeting__c: orgBoolean,
  Active__c: orgBoolean
});

export const demoSlotRecordSchema = orgRecordSchema('Demo_Slot__c', {
  Slot_Key__c: orgText,
  AE__c: orgText,
  Engineer__c: orgText,
  Start__c: z.string().min(1),
  End__c: z.string().min(1),
  Status__c: z.preprocess((v) => (v === '' || v === null || v === undefined ? 'Booked' : v), z.enum(DEMO_SLOT_STATUSES)),
  City__c: orgText
});

export const eventRecordSchema = orgRecordSchema('Event', {
  OwnerId: z.string().min(1),
  StartDateTime: z.string().min(1),
  EndDateTime: z.string().min(1),
  IsAllDayEvent: orgBoolean,
  ShowAs: orgText
});

/** Which station roles make a calendar role. */
const ROLE_OF_STATION: Partial<Record<StationRole, CalendarRole>> = { 'Account Executive': 'AE', 'Sales Engineer': 'Engineer' };

function splitList(text: string | null): string[] {
  return (text ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function weekday(text: string, field: string): Weekday {
  const found = WEEKDAYS.find((d) => text.toLowerCase().startsWith(d.toLowerCase()));
  if (!found) throw new InputError(field, text, `days as ${WEEKDAYS.join(';')} (full names also work)`);
  return found;
}

/** Station key -> role, from Station__c records. */
export function stationRoles(records: readonly unknown[]): Map<string, StationRole> {
  const out = new Map<string, StationRole>();
  for (const raw of records) {
    const r = parseRecord(stationRoleRecordSchema, raw);
    if (r.Role__c) out.set(r.Key__c, r.Role__c as StationRole);
  }
  return out;
}

/**
 * One Person per calendar role a Rep_Capacity__c record holds (AE from an Account Executive
 * station, Engineer from a Sales Engineer station); none for other roles. Missing zone or
 * shift hours are errors: guessing them would offer slots at night.
 */
export function peopleFromRecord(raw: unknown, roles: ReadonlyMap<string, StationRole>): Person[] {
  const r = parseRecord(repCapacityRecordSchema, raw);
  const at = `Rep_Capacity__c(${r.User__c})`;
  const calendarRoles = new Set<CalendarRole>();
  for (const key of splitList(r.Station_Keys__c)) {
    const role = roles.get(key);
    const calendarRole = role ? ROLE_OF_STATION[role] : undefined;
    if (calendarRole) calendarRoles.add(calendarRole);
  }
  if (calendarRoles.size === 0) return [];
  if (!r.Time_Zone__c || !isValidTimeZone(r.Time_Zone__c)) throw new InputError(`${at}.Time_Zone__c`, r.Time_Zone__c, 'an IANA time zone such as America/Chicago');
  if (r.Shift_Start_Hour__c === null || r.Shift_Start_Hour__c < 0 || r.Shift_Start_Hour__c > 24) throw new InputError(`${at}.Shift_Start_Hour__c`, r.Shift_Start_Hour__c, 'an hour from 0 to 24 (8.5 = 08:30)');
  if (r.Shift_End_Hour__c === null || r.Shift_End_Hour__c < 0 || r.Shift_End_Hour__c > 24) throw new InputError(`${at}.Shift_End_Hour__c`, r.Shift_End_Hour__c, 'an hour from 0 to 24 (17.5 = 17:30)');
  const days = splitList(r.Working_Days__c).map((d) => weekday(d, `${at}.Working_Days__c`));
  if (r.Leave_End__c && !r.Leave_Start__c) throw new InputError(`${at}.Leave_Start__c`, null, 'a start date when Leave_End__c is set');
  const leave = r.Leave_Start__c ? [{ start: r.Leave_Start__c.slice(0, 10), end: (r.Leave_End__c ?? r.Leave_Start__c).slice(0, 10) }] : [];
  if (leave[0] && leave[0].end < leave[0].start) throw new InputError(`${at}.Leave_End__c`, r.Leave_End__c, `a date on or after Leave_Start__c (${r.Leave_Start__c})`);
  return [...calendarRoles].map((role) => ({
    userId: r.User__c,
    role,
    timeZone: r.Time_Zone__c as string,
    shiftStartHour: r.Shift_Start_Hour__c as number,
    shiftEndHour: r.Shift_End_Hour__c as number,
    workingDays: days.length > 0 ? days : ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'],
    leave,
    demoTarget: r.Demo_Target__c,
    city: r.City__c,
    active: r.Active__c
  }));
}

export function peopleFromRecords(records: readonly unknown[], roles: ReadonlyMap<string, StationRole>): Parsed<Person> {
  const parsed = parseAll(records, (raw) => peopleFromRecord(raw, roles));
  return { values: parsed.values.flat(), problems: parsed.problems };
}

export function demoTypeFromRecord(raw: unknown): DemoType {
  const r = parseRecord(demoTypeRecordSchema, raw);
  const d = r.Duration_Minutes__c;
  if (d === null || !Number.isInteger(d) || d < 5 || d > 480) throw new InputError(`Demo_Type__c(${r.Key__c}).Duration_Minutes__c`, d, 'whole minutes from 5 to 480');
  if (!r.Needs_AE__c && !r.Needs_Engineer__c) throw new InputError(`Demo_Type__c(${r.Key__c}).Needs_AE__c`, false, 'Needs_AE__c or Needs_Engineer__c checked');
  return { id: r.Id, key: r.Key__c, durationMinutes: d, needsAE: r.Needs_AE__c, needsEngineer: r.Needs_Engineer__c, fieldMeeting: r.Field_Meeting__c, active: r.Active__c };
}

function instantOf(text: string, field: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new InputError(field, text, 'an ISO 8601 date-time');
  return ms;
}

export function entryFromDemoSlot(raw: unknown): CalendarEntry {
  const r = parseRecord(demoSlotRecordSchema, raw);
  const at = `Demo_Slot__c(${r.Slot_Key__c ?? '?'})`;
  const start = instantOf(r.Start__c, `${at}.Start__c`);
  const end = instantOf(r.End__c, `${at}.End__c`);
  if (end <= start) throw new InputError(`${at}.End__c`, r.End__c, 'a time after Start__c');
  return { kind: 'demo', key: r.Slot_Key__c, aeId: r.AE__c, engineerId: r.Engineer__c, start, end, status: r.Status__c, city: r.City__c };
}

/** The owner's IANA zone, for all-day events; null when unknown (the day is then taken in UTC). */
export type ZoneOf = (ownerId: string) => string | null | undefined;

/**
 * An Event as busy time, or null when it does not block. Salesforce's Event (Object Reference):
 * ShowAs is Busy (the default), OutOfOffice or Free, and a Free event leaves the time open. An
 * all-day event (IsAllDayEvent) carries dates, not instants: StartDateTime and EndDateTime are
 * midnight UTC of its first and last day ("the timestamp is not relevant"), so it blocks those
 * whole days as the owner's calendar shows them, from local midnight to local midnight.
 */
export function entryFromEvent(raw: unknown, zoneOf: ZoneOf = () => null): CalendarEntry | null {
  const r = parseRecord(eventRecordSchema, raw);
  if (r.ShowAs === 'Free') return null;
  const start = instantOf(r.StartDateTime, 'Event.StartDateTime');
  const end = instantOf(r.EndDateTime, 'Event.EndDateTime');
  if (!r.IsAllDayEvent) return { kind: 'event', ownerId: r.OwnerId, start, end: Math.max(start, end) };
  const zone = zoneOf(r.OwnerId) ?? 'UTC';
  const first = epochDayOf(new Date(start).toISOString().slice(0, 10));
  const last = Math.max(first, epochDayOf(new Date(end).toISOString().slice(0, 10)));
  // A midnight that occurs twice (clocks going back) is taken at its wider reading: busy time
  // errs on the side of blocking.
  return { kind: 'event', ownerId: r.OwnerId, start: zonedToUtc(first, 0, zone, 'end'), end: zonedToUtc(last + 1, 0, zone, 'start') };
}

/** Events and Demo_Slot__c records to calendar entries; bad records become named problems. */
export function entriesFromRecords(events: readonly unknown[], demoSlots: readonly unknown[], zoneOf?: ZoneOf): Parsed<CalendarEntry> {
  const a = parseAll(events, (raw) => entryFromEvent(raw, zoneOf));
  const b = parseAll(demoSlots, entryFromDemoSlot);
  return { values: [...a.values, ...b.values], problems: [...a.problems, ...b.problems] };
}
