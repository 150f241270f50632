import fc from 'fast-check';
import {
  addWorkdays,
  exactOffsetMinutes,
  isWorkday,
  isoDate,
  isoDateTime,
  localParts,
  localToUtc,
  weekdayOf
} from './timeZones';

const ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris'
];

/** Local wall-clock fields of an instant, straight from Intl (the reference). */
function intlLocal(zone: string, ms: number): { hour: number; weekday: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    hour: 'numeric',
    weekday: 'short'
  }).formatToParts(new Date(ms));
  return {
    hour: Number(parts.find((p) => p.type === 'hour')?.value),
    weekday: String(parts.find((p) => p.type === 'weekday')?.value)
  };
}

describe('local time of leads and reps', () => {
  it('knows 1970-01-01 was a Thursday and 2026-11-23 a Monday', () => {
    expect(weekdayOf(0)).toBe('Thu');
    expect(weekdayOf(Date.UTC(2026, 10, 23) / 86_400_000)).toBe('Mon');
  });

  it('follows daylight saving time: 09:00 in New York is 13:00 UTC in July and 14:00 UTC in January', () => {
    const july = Date.UTC(2026, 6, 15) / 86_400_000;
    const january = Date.UTC(2026, 0, 15) / 86_400_000;
    expect(new Date(localToUtc('America/New_York', july, 9 * 60)).toISOString()).toBe(
      '2026-07-15T13:00:00.000Z'
    );
    expect(new Date(localToUtc('America/New_York', january, 9 * 60)).toISOString()).toBe(
      '2026-01-15T14:00:00.000Z'
    );
    expect(exactOffsetMinutes('Europe/Berlin', Date.UTC(2026, 6, 1, 12))).toBe(120);
  });

  it('round-trips any working-hour local time on a workday, matching Intl', () => {
    const start = Date.UTC(2024, 0, 1) / 86_400_000;
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 1_100 }),
        fc.integer({ min: 8 * 60, max: 18 * 60 - 1 }),
        (zone, offset, minute) => {
          const day = start + offset;
          fc.pre(isWorkday(day));
          const utc = localToUtc(zone, day, minute);
          const parts = localParts(zone, utc);
          const reference = intlLocal(zone, utc);
          expect(parts.dayIndex).toBe(day);
          expect(parts.hour).toBe(Math.floor(minute / 60));
          expect(reference.hour).toBe(parts.hour);
          expect(reference.weekday).toBe(parts.weekday);
        }
      ),
      { numRuns: 400 }
    );
  });

  it('counts workdays over weekends', () => {
    const friday = Date.UTC(2026, 10, 20) / 86_400_000;
    expect(weekdayOf(friday)).toBe('Fri');
    expect(weekdayOf(addWorkdays(friday, 1))).toBe('Mon');
    expect(addWorkdays(friday + 1, 0)).toBe(friday + 3);
  });

  it('formats instants exactly as Date#toISOString does', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }), (ms) => {
        expect(isoDateTime(ms)).toBe(new Date(ms).toISOString());
        expect(isoDate(ms)).toBe(new Date(ms).toISOString().slice(0, 10));
      })
    );
  });
});
