import fc from 'fast-check';
import {
  dayFromIso,
  isoFromDay,
  monthIndexOfDay,
  periodContaining,
  phaseCount,
  phaseOfMonth,
  phaseTable,
  shiftPeriod,
  DateFormatError
} from './dates';

describe('calendar days', () => {
  it('parses and formats every day of the Gregorian calendar the same way Date does', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (day) => {
        const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
        expect(isoFromDay(day)).toBe(iso);
        expect(dayFromIso(iso)).toBe(day);
        const date = new Date(day * 86_400_000);
        expect(monthIndexOfDay(day)).toBe((date.getUTCFullYear() - 1970) * 12 + date.getUTCMonth());
      })
    );
  });

  it('rejects dates that are not on the calendar, naming the field', () => {
    expect(() => dayFromIso('2017-02-29', 'close_date')).toThrow(DateFormatError);
    expect(() => dayFromIso('2017-13-01', 'close_date')).toThrow(/close_date "2017-13-01"/);
    expect(dayFromIso('2016-02-29')).toBe(dayFromIso('2016-03-01') - 1);
  });

  it('labels periods and places months in the quarter', () => {
    const may = periodContaining('month', dayFromIso('2017-05-17'));
    expect(may.label).toBe('2017-05');
    expect(isoFromDay(may.end)).toBe('2017-06-01');
    expect(periodContaining('quarter', may.start).label).toBe('2017-Q2');
    expect(shiftPeriod(periodContaining('quarter', may.start), 2).label).toBe('2017-Q4');
    expect(periodContaining('year', may.start).label).toBe('2017');
    expect(phaseOfMonth(may.month, 3)).toBe(1);
    expect(phaseOfMonth(periodContaining('month', dayFromIso('2017-06-01')).month, 3)).toBe(2);
  });
});

describe('calendar phases', () => {
  it('splits each month of the cycle at the 16th with two phases a month', () => {
    const from = dayFromIso('2026-10-01');
    const table = phaseTable(from, dayFromIso('2027-01-01'), 3, 2);
    const at = (iso: string): number => table[dayFromIso(iso) - from] as number;
    expect([at('2026-10-01'), at('2026-10-15'), at('2026-10-16'), at('2026-10-31')]).toEqual([
      0, 0, 1, 1
    ]);
    expect([at('2026-11-15'), at('2026-11-16'), at('2026-12-15'), at('2026-12-31')]).toEqual([
      2, 3, 4, 5
    ]);
    expect(phaseCount(3, 2)).toBe(6);
    expect(phaseCount(1, 2)).toBe(1);
    expect(phaseTable(from, from + 40, 1, 2).every((p) => p === 0)).toBe(true);
    // One phase a month: the month of the quarter, as before.
    expect(phaseTable(from, from + 40, 3, 1)[35]).toBe(1);
  });
});
