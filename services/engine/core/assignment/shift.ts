import { CoreInputError } from './errors';

/**
 * Time-zone math for shifts, leave and time-zone bands, on Intl only: the IANA database
 * that ships with Node knows every DST rule, so a shift of 9 to 17 in America/Chicago is
 * 9 to 17 on the wall clock on both sides of a DST change.
 */
export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface LocalTime {
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
  weekday: Weekday;
  /** Local hour of the day with minutes and seconds as a fraction, in [0, 24). */
  hour: number;
  /** Local time minus UTC, in minutes (e.g. -300 for New York in winter). */
  offsetMinutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string, field: string): Intl.DateTimeFormat {
  const cached = formatters.get(timeZone);
  if (cached) return cached;
  let created: Intl.DateTimeFormat;
  try {
    created = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short'
    });
  } catch {
    throw new CoreInputError(field, timeZone, 'an IANA time zone such as America/Chicago');
  }
  formatters.set(timeZone, created);
  return created;
}

/** True when Intl knows the zone. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone, 'timeZone');
    return true;
  } catch {
    return false;
  }
}

/** The wall clock of `timeZone` at `instant`. */
export function localTime(instant: Date, timeZone: string, field = 'Time_Zone__c'): LocalTime {
  const parts = formatterFor(timeZone, field).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const year = Number(get('year'));
  const month = Number(get('month'));
  const day = Number(get('day'));
  const hour = Number(get('hour'));
  const minute = Number(get('minute'));
  const second = Number(get('second'));
  const weekday = get('weekday') as Weekday;
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const instantSeconds = Math.floor(instant.getTime() / 1000) * 1000;
  return {
    date: `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    weekday,
    hour: hour + minute / 60 + second / 3600,
    offsetMinutes: Math.round((wallAsUtc - instantSeconds) / 60000)
  };
}

/**
 * The zone's standard (non-DST) offset in hours for the year of `instant`: the smaller of
 * its January and July offsets, since DST always adds time, north or south of the equator.
 */
export function standardOffsetHours(instant: Date, timeZone: string): number {
  const year = instant.getUTCFullYear();
  const january = localTime(new Date(Date.UTC(year, 0, 1, 12)), timeZone).offsetMinutes;
  const july = localTime(new Date(Date.UTC(year, 6, 1, 12)), timeZone).offsetMinutes;
  return Math.min(january, july) / 60;
}

export interface ShiftSpec {
  timeZone: string;
  /** Local hour the shift starts, e.g. 8.5 for 08:30. */
  shiftStartHour: number;
  /** Local hour the shift ends (exclusive). Smaller than the start: an overnight shift. */
  shiftEndHour: number;
  workingDays: readonly Weekday[];
}

function previousWeekday(day: Weekday): Weekday {
  const index = WEEKDAYS.indexOf(day);
  return WEEKDAYS[(index + 6) % 7] as Weekday;
}

export type ShiftStatus = 'on-shift' | 'off-shift' | 'not-working-day';

/**
 * Whether the rep is on shift at `instant` in their own zone. An overnight shift (22 to 6)
 * belongs to the working day on which it started, so Friday night's shift runs into
 * Saturday morning but a Sunday-night start needs Sunday to be a working day.
 */
export function shiftStatus(shift: ShiftSpec, instant: Date): ShiftStatus {
  const local = localTime(instant, shift.timeZone, 'Rep_Capacity__c.Time_Zone__c');
  const works = (day: Weekday): boolean => shift.workingDays.includes(day);
  const { shiftStartHour: start, shiftEndHour: end } = shift;
  if (start < end) {
    if (!works(local.weekday)) return 'not-working-day';
    return local.hour >= start && local.hour < end ? 'on-shift' : 'off-shift';
  }
  if (local.hour >= start) return works(local.weekday) ? 'on-shift' : 'not-working-day';
  if (local.hour < end) return works(previousWeekday(local.weekday)) ? 'on-shift' : 'not-working-day';
  return works(local.weekday) ? 'off-shift' : 'not-working-day';
}

/** Leave dates are local calendar dates in the rep's zone, both ends included. */
export function isOnLeave(
  leave: { leaveStart: string | null; leaveEnd: string | null; timeZone: string },
  instant: Date
): boolean {
  if (!leave.leaveStart && !leave.leaveEnd) return false;
  const today = localTime(instant, leave.timeZone, 'Rep_Capacity__c.Time_Zone__c').date;
  const afterStart = leave.leaveStart === null || today >= leave.leaveStart;
  const beforeEnd = leave.leaveEnd === null || today <= leave.leaveEnd;
  return afterStart && beforeEnd;
}
