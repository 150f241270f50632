import { epochDayOf, isoDateOf, isValidTimeZone, localEpochDay, localMinuteOfDay, offsetAt, weekdayOf, zonedToUtc } from './zone';

const iso = (ms: number) => new Date(ms).toISOString();
const day = (d: string) => epochDayOf(d);

describe('wall-clock time in a zone', () => {
  it('converts an ordinary local time with the standard and the summer offset', () => {
    expect(iso(zonedToUtc(day('2026-03-06'), 9 * 60, 'America/New_York'))).toBe('2026-03-06T14:00:00.000Z');
    expect(iso(zonedToUtc(day('2026-03-09'), 9 * 60, 'America/New_York'))).toBe('2026-03-09T13:00:00.000Z');
    expect(iso(zonedToUtc(day('2026-07-01'), 8 * 60 + 30, 'Asia/Kolkata'))).toBe('2026-07-01T03:00:00.000Z');
  });

  it('maps a skipped time (clocks go forward) to the instant the clocks jump', () => {
    // 2026-03-08 02:30 does not exist in New York: 02:00 EST jumps to 03:00 EDT (07:00Z).
    expect(iso(zonedToUtc(day('2026-03-08'), 2 * 60 + 30, 'America/New_York', 'start'))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(zonedToUtc(day('2026-03-08'), 2 * 60 + 30, 'America/New_York', 'end'))).toBe('2026-03-08T07:00:00.000Z');
    // Lord Howe moves by 30 minutes: 02:00 +10:30 (15:30Z) becomes 02:30 +11:00.
    expect(iso(zonedToUtc(day('2026-10-04'), 2 * 60 + 15, 'Australia/Lord_Howe'))).toBe('2026-10-03T15:30:00.000Z');
  });

  it('takes the later occurrence of a repeated time for a start and the earlier for an end', () => {
    // 2026-11-01 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
    expect(iso(zonedToUtc(day('2026-11-01'), 90, 'America/New_York', 'start'))).toBe('2026-11-01T06:30:00.000Z');
    expect(iso(zonedToUtc(day('2026-11-01'), 90, 'America/New_York', 'end'))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(zonedToUtc(day('2026-10-25'), 2 * 60 + 30, 'Europe/Berlin', 'start'))).toBe('2026-10-25T01:30:00.000Z');
    expect(iso(zonedToUtc(day('2026-10-25'), 2 * 60 + 30, 'Europe/Berlin', 'end'))).toBe('2026-10-25T00:30:00.000Z');
  });

  it('runs minutes past midnight into the next day (overnight shifts)', () => {
    expect(iso(zonedToUtc(day('2026-10-31'), 30 * 60, 'America/New_York'))).toBe('2026-11-01T11:00:00.000Z');
  });

  it('reads offsets right on both sides of a transition and inside the transition hour', () => {
    expect(offsetAt(Date.parse('2026-03-08T06:59:59Z'), 'America/New_York')).toBe(-5 * 3_600_000);
    expect(offsetAt(Date.parse('2026-03-08T07:00:00Z'), 'America/New_York')).toBe(-4 * 3_600_000);
    // Lord Howe's transition is at 15:30Z, inside a UTC hour: both halves of that hour are right.
    expect(offsetAt(Date.parse('2026-10-03T15:29:00Z'), 'Australia/Lord_Howe')).toBe(10.5 * 3_600_000);
    expect(offsetAt(Date.parse('2026-10-03T15:31:00Z'), 'Australia/Lord_Howe')).toBe(11 * 3_600_000);
  });

  it('gives local dates, minutes and weekdays', () => {
    const t = Date.parse('2026-11-24T03:30:00Z');
    expect(isoDateOf(localEpochDay(t, 'America/Chicago'))).toBe('2026-11-23');
    expect(localMinuteOfDay(t, 'America/Chicago')).toBe(21 * 60 + 30);
    expect(weekdayOf(day('2026-11-23'))).toBe('Mon');
    expect(weekdayOf(day('1969-12-31'))).toBe('Wed');
  });

  it('rejects unknown zones and impossible dates', () => {
    expect(isValidTimeZone('America/Chicago')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(epochDayOf('2026-02-30')).toBeNaN();
    expect(epochDayOf('26-02-01')).toBeNaN();
  });
});
