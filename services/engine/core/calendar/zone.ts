/**
 * Wall-clock time in IANA zones, from the tz database that Node's Intl carries. Core code
 * works in UTC epoch milliseconds; a person's working hours are wall-clock hours in their
 * zone, so each working day is converted here. Local dates are counted as whole days since
 * 1970-01-01 ("epoch days"), which makes date arithmetic plain integer arithmetic.
 *
 * A wall-clock time that does not exist (skipped when clocks go forward) maps to the instant
 * the clocks jump. A time that exists twice (repeated when clocks go back) maps to its later
 * occurrence when it starts a shift and to its earlier one when it ends a shift. With these
 * two rules every instant inside a shift reads, on the person's own clock, a time between
 * the shift's start and end: no slot is ever offered outside working hours as the person
 * sees them (a shift lying wholly inside the repeated hour is then empty that night).
 */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric'
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when the runtime's tz database knows this zone name. */
export function isValidTimeZone(zone: string): boolean {
  if (zone.trim() === '') return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock fields of an instant in a zone. */
export function localParts(instant: number, zone: string): LocalParts {
  const out: LocalParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter(zone).formatToParts(instant)) {
    if (part.type === 'year' || part.type === 'month' || part.type === 'day' || part.type === 'hour' || part.type === 'minute' || part.type === 'second') {
      out[part.type] = Number(part.value);
    }
  }
  return out;
}

const offsetCache = new Map<string, Map<number, number>>();

function exactOffset(instant: number, zone: string): number {
  const p = localParts(instant, zone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * Offset of the zone from UTC at an instant, in ms (local = UTC + offset). Formatting is the
 * slow part, so offsets are cached per zone and UTC hour: an hour whose first and last
 * millisecond share an offset has no transition inside it (zones change offset at most
 * once in any hour) and is answered from the cache; an hour with a transition is computed
 * exactly each time.
 */
export function offsetAt(instant: number, zone: string): number {
  let byHour = offsetCache.get(zone);
  if (!byHour) {
    byHour = new Map();
    offsetCache.set(zone, byHour);
  }
  const hour = Math.floor(instant / HOUR);
  let cached = byHour.get(hour);
  if (cached === undefined) {
    const first = exactOffset(hour * HOUR, zone);
    cached = first === exactOffset(hour * HOUR + HOUR - 1, zone) ? first : Number.NaN;
    if (byHour.size > 100_000) byHour.clear();
    byHour.set(hour, cached);
  }
  return Number.isNaN(cached) ? exactOffset(instant, zone) : cached;
}

/** The local date (epoch day) of an instant in a zone. */
export function localEpochDay(instant: number, zone: string): number {
  return Math.floor((instant + offsetAt(instant, zone)) / DAY);
}

/** Minutes since local midnight of an instant in a zone. */
export function localMinuteOfDay(instant: number, zone: string): number {
  const local = instant + offsetAt(instant, zone);
  return Math.floor((local - Math.floor(local / DAY) * DAY) / MINUTE);
}

export function weekdayOf(epochDay: number): Weekday {
  // 1970-01-01 was a Thursday.
  return WEEKDAYS[(((epochDay + 4) % 7) + 7) % 7] as Weekday;
}

/** Epoch day of an ISO date (YYYY-MM-DD). */
export function epochDayOf(isoDate: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) return Number.NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(ms);
  if (back.getUTCDate() !== Number(m[3]) || back.getUTCMonth() !== Number(m[2]) - 1) return Number.NaN;
  return ms / DAY;
}

export function isoDateOf(epochDay: number): string {
  return new Date(epochDay * DAY).toISOString().slice(0, 10);
}

const zonedCache = new Map<string, number>();

/** Whether a wall time opens or closes an interval: decides which occurrence of a repeated time. */
export type Boundary = 'start' | 'end';

/**
 * The UTC instant of a wall-clock time: `minuteOfDay` minutes after midnight of local date
 * `epochDay` (values of 1440 and more run into the next days, for overnight shifts).
 */
export function zonedToUtc(epochDay: number, minuteOfDay: number, zone: string, boundary: Boundary = 'start'): number {
  const key = `${zone}|${epochDay}|${minuteOfDay}|${boundary}`;
  const cached = zonedCache.get(key);
  if (cached !== undefined) return cached;
  const wall = epochDay * DAY + minuteOfDay * MINUTE;
  // Offsets a day either side bracket any instant this wall time can denote (offsets stay
  // within +-14 h), so at most one transition lies between them.
  const before = offsetAt(wall - DAY, zone);
  const after = offsetAt(wall + DAY, zone);
  let instant = wall - before;
  if (before !== after) {
    const early = wall - before;
    const late = wall - after;
    const earlyValid = offsetAt(early, zone) === before;
    const lateValid = offsetAt(late, zone) === after;
    if (earlyValid && lateValid) instant = boundary === 'start' ? Math.max(early, late) : Math.min(early, late);
    else if (earlyValid) instant = early;
    else if (lateValid) instant = late;
    else instant = transitionBetween(Math.min(early, late), Math.max(early, late), zone);
  }
  if (zonedCache.size > 50_000) zonedCache.clear();
  zonedCache.set(key, instant);
  return instant;
}

/** The first minute at which the offset differs from the offset at `low` (low < high straddle it). */
function transitionBetween(low: number, high: number, zone: string): number {
  const start = offsetAt(low, zone);
  let lo = Math.floor(low / MINUTE);
  let hi = Math.ceil(high / MINUTE);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid * MINUTE, zone) === start) lo = mid;
    else hi = mid;
  }
  return hi * MINUTE;
}
