import { busyIntervals, workingIntervals } from './availability';
import { covers, intersect, normalize, subtract } from './intervals';
import type { CalendarEntry } from './model';

const at = (s: string) => Date.parse(s);
const show = (list: { start: number; end: number }[]) => list.map((i) => `${new Date(i.start).toISOString().slice(5, 16)}-${new Date(i.end).toISOString().slice(5, 16)}`);
const ALL_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

describe('working hours in the person\'s zone', () => {
  it('follows the zone across the spring-forward weekend (9-17 New York is 14-22Z, then 13-21Z)', () => {
    const hours = { timeZone: 'America/New_York', shiftStartHour: 9, shiftEndHour: 17, workingDays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] as const };
    expect(show(workingIntervals({ ...hours, workingDays: [...hours.workingDays] }, at('2026-03-06T00:00Z'), at('2026-03-10T00:00Z')))).toEqual([
      '03-06T14:00-03-06T22:00',
      '03-09T13:00-03-09T21:00'
    ]);
  });

  it('gives a shift across the skipped hour its real length (01:00-04:00 on 2026-03-08 is two hours)', () => {
    const list = workingIntervals({ timeZone: 'America/New_York', shiftStartHour: 1, shiftEndHour: 4, workingDays: ['Sun'] }, at('2026-03-07T00:00Z'), at('2026-03-09T00:00Z'));
    expect(show(list)).toEqual(['03-08T06:00-03-08T08:00']);
  });

  it('gives a shift across the repeated hour its real length (00:00-03:00 on 2026-11-01 is four hours)', () => {
    const list = workingIntervals({ timeZone: 'America/New_York', shiftStartHour: 0, shiftEndHour: 3, workingDays: ['Sun'] }, at('2026-10-31T00:00Z'), at('2026-11-02T00:00Z'));
    expect(show(list)).toEqual(['11-01T04:00-11-01T08:00']);
  });

  it('runs an overnight shift into the next day, across the fall-back night', () => {
    const list = workingIntervals({ timeZone: 'America/New_York', shiftStartHour: 22, shiftEndHour: 6, workingDays: ['Sat'] }, at('2026-10-31T00:00Z'), at('2026-11-03T00:00Z'));
    // Sat 22:00 EDT = 02:00Z Sunday; Sun 06:00 EST = 11:00Z: nine hours.
    expect(show(list)).toEqual(['11-01T02:00-11-01T11:00']);
  });

  it('keeps half-hour shift starts (8.5 = 08:30) and half-hour zones', () => {
    const list = workingIntervals({ timeZone: 'Asia/Kolkata', shiftStartHour: 8.5, shiftEndHour: 17.25, workingDays: ['Mon'] }, at('2026-11-22T00:00Z'), at('2026-11-25T00:00Z'));
    expect(show(list)).toEqual(['11-23T03:00-11-23T11:45']);
  });

  it('drops leave days, both ends included, as local dates', () => {
    const list = workingIntervals(
      { timeZone: 'Asia/Tokyo', shiftStartHour: 9, shiftEndHour: 18, workingDays: [...ALL_DAYS], leave: [{ start: '2026-11-24', end: '2026-11-25' }] },
      at('2026-11-22T00:00Z'),
      at('2026-11-27T00:00Z')
    );
    expect(show(list)).toEqual(['11-22T00:00-11-22T09:00', '11-23T00:00-11-23T09:00', '11-26T00:00-11-26T09:00']);
  });

  it('clips to the search window', () => {
    const list = workingIntervals({ timeZone: 'UTC', shiftStartHour: 9, shiftEndHour: 17, workingDays: ['Mon'] }, at('2026-11-23T10:15Z'), at('2026-11-23T12:00Z'));
    expect(show(list)).toEqual(['11-23T10:15-11-23T12:00']);
  });
});

describe('busy time', () => {
  const entries: CalendarEntry[] = [
    { kind: 'event', ownerId: 'u1', start: at('2026-11-23T10:00Z'), end: at('2026-11-23T11:00Z') },
    { kind: 'event', ownerId: 'u1', start: at('2026-11-23T10:30Z'), end: at('2026-11-23T11:30Z') },
    { kind: 'event', ownerId: 'u2', start: at('2026-11-23T12:00Z'), end: at('2026-11-23T13:00Z') },
    { kind: 'demo', key: 'k1', aeId: 'u2', engineerId: 'u1', start: at('2026-11-23T14:00Z'), end: at('2026-11-23T15:00Z'), status: 'Confirmed', city: null },
    { kind: 'demo', key: 'k2', aeId: 'u1', engineerId: null, start: at('2026-11-23T16:00Z'), end: at('2026-11-23T17:00Z'), status: 'Cancelled', city: null },
    { kind: 'demo', key: 'k3', aeId: 'u1', engineerId: null, start: at('2026-11-23T18:00Z'), end: at('2026-11-23T19:00Z'), status: 'No Show', city: null }
  ];

  it('merges overlapping events, counts demos as AE or engineer, and frees cancelled and no-show demos', () => {
    expect(show(busyIntervals('u1', entries, 0))).toEqual(['11-23T10:00-11-23T11:30', '11-23T14:00-11-23T15:00']);
  });

  it('pads busy time by the buffer on both sides', () => {
    expect(show(busyIntervals('u2', entries, 15))).toEqual(['11-23T11:45-11-23T13:15', '11-23T13:45-11-23T15:15']);
  });
});

describe('interval arithmetic', () => {
  it('subtracts, intersects and tests cover on sorted lists', () => {
    const base = normalize([{ start: 0, end: 10 }, { start: 20, end: 30 }]);
    const busy = normalize([{ start: 2, end: 4 }, { start: 3, end: 5 }, { start: 9, end: 22 }, { start: 29, end: 40 }]);
    expect(subtract(base, busy)).toEqual([{ start: 0, end: 2 }, { start: 5, end: 9 }, { start: 22, end: 29 }]);
    expect(intersect(base, [{ start: 5, end: 25 }])).toEqual([{ start: 5, end: 10 }, { start: 20, end: 25 }]);
    expect(covers(base, 20, 30)).toBe(true);
    expect(covers(base, 9, 21)).toBe(false);
    expect(covers([], 0, 1)).toBe(false);
  });
});
