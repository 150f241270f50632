/**
 * Local wall-clock arithmetic for IANA time zones, without I/O: the zone rules come from the
 * runtime's Intl data. Offsets are memoised per zone and 15-minute bucket, because every zone
 * offset and every DST transition falls on a quarter hour of UTC; ranking 100,000 leads then
 * costs one Intl call per zone and quarter hour instead of one per lead.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;
const BUCKET = 15 * MINUTE;
const MAX_CACHE = 200_000;

interface ZoneRules {
  formatter: Intl.DateTimeFormat | null;
  offsets: Map<number, number>;
  lastBucket: number;
  lastOffset: number;
}

const zones = new Map<string, ZoneRules>();

function zoneRules(timeZone: string): ZoneRules {
  let rules = zones.get(timeZone);
  if (rules === undefined) {
    let formatter: Intl.DateTimeFormat | null;
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric'
      });
    } catch {
      formatter = null;
    }
    rules = { formatter, offsets: new Map(), lastBucket: NaN, lastOffset: 0 };
    zones.set(timeZone, rules);
  }
  return rules;
}

export function isValidTimeZone(timeZone: string | null | undefined): timeZone is string {
  return typeof timeZone === 'string' && timeZone.length > 0 && zoneRules(timeZone).formatter !== null;
}

/** Minutes to add to UTC to get the zone's wall clock at instant `at` (ms since epoch). */
export function offsetMinutes(timeZone: string, at: number): number {
  const rules = zoneRules(timeZone);
  const bucket = Math.floor(at / BUCKET);
  if (bucket === rules.lastBucket) return rules.lastOffset;
  let offset = rules.offsets.get(bucket);
  if (offset === undefined) {
    if (rules.formatter === null) throw new RangeError(`Unknown time zone "${timeZone}"`);
    const bucketStart = bucket * BUCKET;
    const parts: Record<string, number> = {};
    for (const part of rules.formatter.formatToParts(new Date(bucketStart))) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const wall = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0);
    offset = Math.round((wall - bucketStart) / MINUTE);
    if (rules.offsets.size >= MAX_CACHE) rules.offsets.clear();
    rules.offsets.set(bucket, offset);
  }
  rules.lastBucket = bucket;
  rules.lastOffset = offset;
  return offset;
}

export interface LocalParts {
  /** 0 = Sunday ... 6 = Saturday. */
  weekday: number;
  /** Minutes since local midnight, with fractions. */
  minuteOfDay: number;
  /** Local hour 0..23. */
  hour: number;
  /** Local calendar day as days since 1970-01-01 (so dates compare as numbers). */
  dayIndex: number;
}

export function localParts(timeZone: string, at: number): LocalParts {
  const local = at + offsetMinutes(timeZone, at) * MINUTE;
  const dayIndex = Math.floor(local / DAY);
  const minuteOfDay = (local - dayIndex * DAY) / MINUTE;
  return { weekday: (((dayIndex + 4) % 7) + 7) % 7, minuteOfDay, hour: Math.floor(minuteOfDay / 60), dayIndex };
}

/** The UTC instant at which the zone's wall clock shows `minuteOfDay` on local day `dayIndex`. */
export function fromLocal(timeZone: string, dayIndex: number, minuteOfDay: number): number {
  const wall = dayIndex * DAY + minuteOfDay * MINUTE;
  const first = wall - offsetMinutes(timeZone, wall) * MINUTE;
  return wall - offsetMinutes(timeZone, first) * MINUTE;
}

/** Day index of a calendar date written YYYY-MM-DD (Salesforce Date fields). */
export function dayIndexOfDate(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`Expected a date as YYYY-MM-DD, got "${date}"`);
  return Math.floor(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY);
}

export const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

/**
 * A recurring weekly window in one or more zones: open on `days` between `startMinute`
 * (inclusive) and `endMinute` (exclusive) of local time, except on blocked local days (leave).
 * With several zones the window is open only when it is open in all of them: a lead whose
 * zone is unknown may only be called when it is calling time everywhere it could be.
 */
export interface WeeklyWindow {
  zones: readonly string[];
  startMinute: number;
  endMinute: number;
  days: ReadonlySet<number>;
  /** Inclusive local day-index ranges when the window is closed (leave). */
  blocked?: ReadonlyArray<readonly [number, number]>;
}

function blockedUntil(window: WeeklyWindow, dayIndex: number): number | null {
  for (const [from, to] of window.blocked ?? []) {
    if (dayIndex >= from && dayIndex <= to) return to;
  }
  return null;
}

function openInZone(window: WeeklyWindow, zone: string, at: number): boolean {
  const p = localParts(zone, at);
  return (
    window.days.has(p.weekday) &&
    p.minuteOfDay >= window.startMinute &&
    p.minuteOfDay < window.endMinute &&
    blockedUntil(window, p.dayIndex) === null
  );
}

export function isOpen(window: WeeklyWindow, at: number): boolean {
  for (const zone of window.zones) if (!openInZone(window, zone, at)) return false;
  return true;
}

/** Next instant >= `at` when the window opens in one zone. */
function nextOpenInZone(window: WeeklyWindow, zone: string, at: number): number {
  let t = at;
  for (let step = 0; step < 64; step += 1) {
    const p = localParts(zone, t);
    const leaveEnd = blockedUntil(window, p.dayIndex);
    if (leaveEnd !== null) {
      t = Math.max(t + MINUTE, fromLocal(zone, leaveEnd + 1, window.startMinute));
      continue;
    }
    const dayOpen = window.days.has(p.weekday);
    if (dayOpen && p.minuteOfDay >= window.startMinute && p.minuteOfDay < window.endMinute) return t;
    const targetDay = dayOpen && p.minuteOfDay < window.startMinute ? p.dayIndex : p.dayIndex + 1;
    // Never step backwards: around a DST change the local target may map to an earlier instant.
    t = Math.max(t + MINUTE, fromLocal(zone, targetDay, window.startMinute));
  }
  throw new RangeError(`The calling window never opens in ${zone}: check its days and hours`);
}

/** Next instant >= `at` when the window is open in every zone (NaN never happens for a valid window). */
export function nextOpen(window: WeeklyWindow, at: number): number {
  let t = at;
  for (let round = 0; round < 32; round += 1) {
    let moved = false;
    for (const zone of window.zones) {
      const next = nextOpenInZone(window, zone, t);
      if (next !== t) {
        t = next;
        moved = true;
      }
    }
    if (!moved) return t;
  }
  throw new RangeError(`The calling windows of zones ${window.zones.join(', ')} never overlap`);
}

/** End (exclusive) of the open stretch that contains `at`; `at` itself when closed. */
export function openUntil(window: WeeklyWindow, at: number): number {
  let end = Infinity;
  for (const zone of window.zones) {
    const p = localParts(zone, at);
    if (!openInZone(window, zone, at)) return at;
    end = Math.min(end, fromLocal(zone, p.dayIndex, window.endMinute));
  }
  return end;
}
