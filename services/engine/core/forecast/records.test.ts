import { createRng } from '../random';
import { forecast } from './forecast';
import { forecastKey, toForecastRecords } from './records';
import { DEFAULT_SYNTHETIC, generateSynthetic } from './synthetic';

describe('forecast records (docs/data-model.md: Forecast__c, Forecast_Line__c)', () => {
  const world = generateSynthetic(createRng('records'), {
    ...DEFAULT_SYNTHETIC,
    months: 18,
    arrivalsPerDay: 3
  });
  const result = forecast(world.history, {
    asOf: '2016-05-16',
    rng: createRng(3),
    options: { draws: 500, horizon: { months: 1, quarters: 1, years: 0 } }
  });

  it('writes one Forecast__c per period and its lines, keyed for upsert', () => {
    const records = toForecastRecords(result, { generatedAt: '2016-05-16T06:00:00.000Z' });
    expect(records.forecasts.map((f) => f.Period_Type__c)).toEqual(['Month', 'Quarter']);
    const month = records.forecasts[0] as Record<string, unknown>;
    expect(month).toMatchObject({
      Period_Start__c: '2016-05-01',
      As_Of__c: '2016-05-16',
      Method__c: result.method,
      Generated_At__c: '2016-05-16T06:00:00.000Z'
    });
    expect(month.Key__c).toBe(forecastKey(result, 'month', '2016-05-01'));
    expect(String(month.Key__c).length).toBeLessThanOrEqual(120);
    // Percent(5,2) holds 7.16 for 7.16 %.
    const wape = result.calibration.month?.wape as number;
    expect(month.Backtest_WAPE__c).toBeCloseTo(wape * 100, 2);
    expect(month.Expected__c).toBeGreaterThanOrEqual(month.Closed_To_Date__c as number);
    const lines = records.lines.filter(
      (l) => (l.Forecast__r as Record<string, unknown>).Key__c === month.Key__c
    );
    expect(lines.map((l) => l.Dimension__c)).toEqual(
      expect.arrayContaining(['Total', 'Rep', 'Team', 'Product'])
    );
    expect(new Set(records.lines.map((l) => l.Key__c)).size).toBe(records.lines.length);
    for (const line of records.lines) {
      expect(String(line.Key__c).length).toBeLessThanOrEqual(160);
      expect(line.P10__c as number).toBeLessThanOrEqual(line.P50__c as number);
      expect(line.P50__c as number).toBeLessThanOrEqual(line.P90__c as number);
    }
  });

  it('applies the package namespace to every custom name, parent reference included', () => {
    const records = toForecastRecords(result, {
      generatedAt: '2016-05-16T06:00:00.000Z',
      namespace: 'asl'
    });
    expect(Object.keys(records.forecasts[0] as object)).toContain('asl__Key__c');
    const line = records.lines[0] as Record<string, unknown>;
    expect(line.asl__Forecast__r).toEqual({
      asl__Key__c: (records.forecasts[0] as Record<string, unknown>).asl__Key__c
    });
    expect(Object.keys(line)).toContain('asl__Dimension_Value__c');
  });
});
