/**
 * Local time in the leads' and reps' zones. Calls are placed at local business hours, so the
 * floor converts local wall-clock times to UTC millions of times; it caches each zone's UTC
 * offset per day (taken at 12:00 UTC, which is mid-day in every zone the floor uses, so a
 * DST switch, always at night and on a weekend, never falls inside a working day).
 */
const DAY_MS = 86_400_000;
const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
export type DayName = (typeof WEEKDAY_NAMES)[number];

const offsetCache = new Map<string, Map<number, number>>();
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric'
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Minutes to add to UTC to get local time in `zone` at instant `utcMs` (exact, uses Intl). */
export function exactOffsetMinutes(zone: string, utcMs: number): number {
  const parts = formatterFor(zone).formatToParts(new Date(utcMs));
  const get = (type: string): number =>
    Number(parts.find((part) => part.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((asUtc - Math.floor(utcMs / 60_000) * 60_000) / 60_000);
}

/** The zone's offset on a calendar day (days since 1970-01-01), cached. */
export function dayOffsetMinutes(zone: string, dayIndex: number): number {
  let zoneCache = offsetCache.get(zone);
  if (zoneCache === undefined) {
    zoneCache = new Map();
    offsetCache.set(zone, zoneCache);
  }
  let offset = zoneCache.get(dayIndex);
  if (offset === undefined) {
    offset = exactOffsetMinutes(zone, dayIndex * DAY_MS + 12 * 3_600_000);
    zoneCache.set(dayIndex, offset);
  }
  return offset;
}

/** UTC instant of a local wall-clock time on a local calendar day. */
export function localToUtc(zone: string, localDayIndex: number, minuteOfDay: number): number {
  return (
    localDayIndex * DAY_MS + minuteOfDay * 60_000 - dayOffsetMinutes(zone, localDayIndex) * 60_000
  );
}

export interface LocalParts {
  dayIndex: number;
  hour: number;
  weekday: DayName;
}

/** Local calendar day, hour and weekday of a UTC instant. */
export function localParts(zone: string, utcMs: number): LocalParts {
  const guessDay = Math.floor(utcMs / DAY_MS);
  const localMs = utcMs + dayOffsetMinutes(zone, guessDay) * 60_000;
  const dayIndex = Math.floor(localMs / DAY_MS);
  return {
    dayIndex,
    hour: Math.floor((localMs - dayIndex * DAY_MS) / 3_600_000),
    weekday: weekdayOf(dayIndex)
  };
}

export function weekdayOf(dayIndex: number): DayName {
  // 1970-01-01 was a Thursday.
  return WEEKDAY_NAMES[(((dayIndex + 4) % 7) + 7) % 7] as DayName;
}

export function isWorkday(dayIndex: number): boolean {
  const day = weekdayOf(dayIndex);
  return day !== 'Sat' && day !== 'Sun';
}

/** The first workday on or after `dayIndex`. */
export function nextWorkday(dayIndex: number): number {
  let day = dayIndex;
  while (!isWorkday(day)) day += 1;
  return day;
}

/** `dayIndex` plus `count` workdays (count >= 0). */
export function addWorkdays(dayIndex: number, count: number): number {
  let day = nextWorkday(dayIndex);
  for (let i = 0; i < count; i += 1) day = nextWorkday(day + 1);
  return day;
}

export const DAY = DAY_MS;

// Dates are formatted millions of times on a large floor; Date#toISOString per value was the
// generator's largest cost, so the date part is cached per day and the time built by hand.
const dayPrefixes = new Map<number, string>();

function dayPrefix(day: number): string {
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dayPrefixes.set(day, prefix);
  }
  return prefix;
}

const pad2 = (value: number): string => (value < 10 ? `0${value}` : String(value));

/** YYYY-MM-DD of a UTC instant. */
export function isoDate(utcMs: number): string {
  return dayPrefix(Math.floor(utcMs / DAY_MS));
}

/** ISO 8601 in UTC with milliseconds, as Date#toISOString writes it. */
export function isoDateTime(utcMs: number): string {
  const day = Math.floor(utcMs / DAY_MS);
  let rest = Math.floor(utcMs - day * DAY_MS);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${dayPrefix(day)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}
