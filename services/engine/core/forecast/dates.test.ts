import fc from 'fast-check';
import {
  dayFromIso,
  isoFromDay,
  monthIndexOfDay,
  periodContaining,
  phaseOfMonth,
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
