/**
 * Date literal ranges (SOQL and SOSL Reference: "Date Formats and Date Literals in WHERE"):
 * whole local days in the user's time zone, weeks from Sunday.
 */
import fc from 'fast-check';
import { dateLiteralRange, dayOf, dayText, localDay, startOfDay } from './dates';

const wednesday = dayOf(2026, 3, 18);
const text = (literal: string, n?: number) => {
  const range = dateLiteralRange(literal, n, wednesday);
  return range === undefined ? undefined : [dayText(range.start), dayText(range.end)];
};

describe('date literals', () => {
  it('maps day, week, month, quarter and year literals to half-open day ranges', () => {
    expect(text('TODAY')).toEqual(['2026-03-18', '2026-03-19']);
    expect(text('YESTERDAY')).toEqual(['2026-03-17', '2026-03-18']);
    expect(text('THIS_WEEK')).toEqual(['2026-03-15', '2026-03-22']);
    expect(text('LAST_MONTH')).toEqual(['2026-02-01', '2026-03-01']);
    expect(text('THIS_QUARTER')).toEqual(['2026-01-01', '2026-04-01']);
    expect(text('NEXT_QUARTER')).toEqual(['2026-04-01', '2026-07-01']);
    expect(text('LAST_YEAR')).toEqual(['2025-01-01', '2026-01-01']);
    expect(text('THIS_FISCAL_YEAR')).toEqual(['2026-01-01', '2027-01-01']);
  });

  it('counts LAST_N_DAYS back from today including today and NEXT_N_DAYS from tomorrow', () => {
    expect(text('LAST_N_DAYS', 7)).toEqual(['2026-03-11', '2026-03-19']);
    expect(text('NEXT_N_DAYS', 7)).toEqual(['2026-03-19', '2026-03-26']);
    expect(text('N_DAYS_AGO', 3)).toEqual(['2026-03-15', '2026-03-16']);
    expect(text('LAST_N_MONTHS', 2)).toEqual(['2026-01-01', '2026-03-01']);
    expect(text('N_QUARTERS_AGO', 1)).toEqual(['2025-10-01', '2026-01-01']);
  });

  it('starts a local day at local midnight, across daylight saving changes', () => {
    // US daylight saving began 2026-03-08: Chicago is UTC-6 before, UTC-5 after.
    expect(startOfDay(dayOf(2026, 3, 7), 'America/Chicago').toISOString()).toBe('2026-03-07T06:00:00.000Z');
    expect(startOfDay(dayOf(2026, 3, 9), 'America/Chicago').toISOString()).toBe('2026-03-09T05:00:00.000Z');
    expect(dayText(localDay(new Date('2026-03-19T04:30:00Z'), 'America/Chicago'))).toBe('2026-03-18');
  });

  it('keeps every range non-empty and its start at or before today for LAST_ literals', () => {
    const literals = ['LAST_N_DAYS', 'LAST_N_WEEKS', 'LAST_N_MONTHS', 'LAST_N_QUARTERS', 'LAST_N_YEARS'];
    fc.assert(
      fc.property(fc.constantFrom(...literals), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 40000 }), (literal, n, today) => {
        const range = dateLiteralRange(literal, n, today);
        return range !== undefined && range.start < range.end && range.start <= today;
      }),
    );
  });
});
