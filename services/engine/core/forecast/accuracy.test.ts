import { createRng } from '../random';
import { accuracyBacktests, yearToGoBacktest } from './accuracy';
import { dayFromIso } from './dates';
import { knownAt, wonBetween } from './known';
import { toForecastRecords } from './records';
import { forecast } from './forecast';
import { DEFAULT_SYNTHETIC, generateSynthetic } from './synthetic';
import { ForecastOptionsSchema } from './types';

describe('accuracy the forecast records carry (month, quarter and year)', () => {
  const world = generateSynthetic(createRng('accuracy'), {
    ...DEFAULT_SYNTHETIC,
    months: 30,
    arrivalsPerDay: 3
  });
  const options = ForecastOptionsSchema.parse({ draws: 500 });

  it('backtests the year to go on the last whole year, scored against what it booked', () => {
    const bt = yearToGoBacktest(world.history, { asOf: '2017-05-16', seed: 1, options });
    expect(bt.year).toBe('2016');
    // Standing on the first of each month of 2016 (the history starts in 2015).
    expect(bt.rows.map((r) => r.asOf)).toEqual(
      Array.from({ length: 12 }, (_, m) => `2016-${String(m + 1).padStart(2, '0')}-01`)
    );
    const actual = wonBetween(
      knownAt(world.history, dayFromIso('2017-01-01')),
      dayFromIso('2016-01-01'),
      dayFromIso('2017-01-01')
    );
    expect(actual).toBeGreaterThan(0);
    for (const row of bt.rows) {
      expect(row.actual).toBe(actual);
      expect(row.p10).toBeLessThanOrEqual(row.forecast * 1.0001 + 1);
    }
    expect(bt.wape).toBeGreaterThan(0);
    expect(bt.coverage).toBeGreaterThanOrEqual(0);
    expect(bt.note).toBeNull();
  });

  it('says why when no whole year has history, and the record carries it in Method__c', () => {
    const asOf = '2015-06-16';
    const run = accuracyBacktests(world.history, {
      asOf,
      seed: 1,
      options,
      months: 3,
      quarters: 4,
      years: true
    });
    expect(run.year?.rows).toEqual([]);
    expect(run.accuracy.year).toMatchObject({ wape: null, source: 'none' });
    expect(run.accuracy.year?.note).toMatch(/no year backtest/);
    // The months it can stand on are backtested; the quarters before any close are dropped.
    expect(run.accuracy.month?.source).toBe('backtest');
    expect(run.accuracy.quarter?.periods ?? 0).toBeLessThan(4);
    const f = forecast(world.history, {
      asOf,
      rng: createRng(2),
      options: { draws: 500, horizon: { months: 1, quarters: 1, years: 1 } },
      dimensions: ['Total']
    });
    const records = toForecastRecords(f, {
      generatedAt: '2015-06-16T06:00:00.000Z',
      accuracy: run.accuracy
    });
    const year = records.forecasts.find((r) => r.Period_Type__c === 'Year') as Record<
      string,
      unknown
    >;
    expect(year.Backtest_WAPE__c).toBeNull();
    expect(String(year.Method__c)).toBe(`${f.method}; ${run.accuracy.year?.note}`);
    expect(String(year.Method__c).length).toBeLessThanOrEqual(80);
    const month = records.forecasts.find((r) => r.Period_Type__c === 'Month') as Record<
      string,
      unknown
    >;
    expect(month.Method__c).toBe(f.method);
    expect(month.Backtest_WAPE__c).toBeGreaterThan(0);
  });
});
