import { normalize, subtract, type Interval } from './intervals';
import { HOLDING_STATUSES, type CalendarEntry, type Person } from './model';
import { epochDayOf, localEpochDay, MINUTE, weekdayOf, zonedToUtc, type Weekday } from './zone';

/**
 * When a person can take a demo: their shift on each working day, in their own zone,
 * minus leave, minus busy time (Events and demos already booked, padded by a buffer).
 */
export interface WorkingHours {
  timeZone: string;
  shiftStartHour: number;
  shiftEndHour: number;
  workingDays: readonly Weekday[];
  leave?: readonly { start: string; end: string }[];
}

/** Shift intervals (UTC) that overlap [from, to), clipped to it. */
export function workingIntervals(hours: WorkingHours, from: number, to: number): Interval[] {
  const startMinute = Math.round(hours.shiftStartHour * 60);
  let endMinute = Math.round(hours.shiftEndHour * 60);
  // An end at or before the start is an overnight shift that ends on the next local day.
  if (endMinute <= startMinute) endMinute += 24 * 60;
  const days = new Set(hours.workingDays);
  const leave = (hours.leave ?? []).map((l) => ({ start: epochDayOf(l.start), end: epochDayOf(l.end) }));
  const out: Interval[] = [];
  // Start a day early so an overnight shift begun yesterday is included.
  const first = localEpochDay(from, hours.timeZone) - 1;
  const last = localEpochDay(to, hours.timeZone);
  for (let day = first; day <= last; day += 1) {
    if (!days.has(weekdayOf(day))) continue;
    if (leave.some((l) => day >= l.start && day <= l.end)) continue;
    const start = Math.max(from, zonedToUtc(day, startMinute, hours.timeZone, 'start'));
    const end = Math.min(to, zonedToUtc(day, endMinute, hours.timeZone, 'end'));
    if (end > start) out.push({ start, end });
  }
  return normalize(out);
}

/** Busy intervals of one person from calendar entries, each padded by `padMinutes` both sides. */
export function busyIntervals(userId: string, entries: readonly CalendarEntry[], padMinutes: number): Interval[] {
  const pad = padMinutes * MINUTE;
  const out: Interval[] = [];
  for (const e of entries) {
    if (!isBusyFor(userId, e)) continue;
    out.push({ start: e.start - pad, end: e.end + pad });
  }
  return normalize(out);
}

export function isBusyFor(userId: string, entry: CalendarEntry): boolean {
  if (entry.kind === 'event') return entry.ownerId === userId;
  return HOLDING_STATUSES.includes(entry.status) && (entry.aeId === userId || entry.engineerId === userId);
}

/** Free time of a person in [from, to): shift minus leave minus padded busy time. */
export function freeIntervals(person: Person, entries: readonly CalendarEntry[], from: number, to: number, padMinutes: number): Interval[] {
  return subtract(workingIntervals(person, from, to), busyIntervals(person.userId, entries, padMinutes));
}
