import { createRng } from '../random';
import { backtestPeriods, runBacktest } from './backtest';
import { generateSynthetic, oracleForecast } from './synthetic';

/**
 * Known truth (issue 6): on seeded worlds whose every deal has known odds and close-time
 * distribution, the forecast is held against an oracle that knows them all. Target: WAPE
 * within 1.2x of the oracle's, and P10-P90 ranges holding the actual 75-85% of the time.
 */
describe("forecast against an oracle that knows every deal's true odds", () => {
  it("stays within 1.2x of the oracle's WAPE and covers 75-85% with its 80% ranges (12 worlds x 12 months)", () => {
    let ours = 0;
    let oracle = 0;
    let actual = 0;
    let covered = 0;
    let periods = 0;
    const months = backtestPeriods('month', '2017-01-01', '2017-12-01');
    for (let seed = 1; seed <= 12; seed += 1) {
      const world = generateSynthetic(createRng(`world:${seed}`));
      const bt = runBacktest(world.history, {
        period: 'month',
        from: '2017-01-01',
        to: '2017-12-01',
        seed,
        leakageCheck: false,
        options: { draws: 1000 }
      });
      bt.rows.forEach((row, i) => {
        const period = months[i] as (typeof months)[number];
        ours += Math.abs((row.forecasts.model as number) - row.actual);
        oracle += Math.abs(oracleForecast(world, period.start, period) - row.actual);
        actual += row.actual;
        covered += row.covered ? 1 : 0;
        periods += 1;
      });
    }
    const ratio = ours / oracle;
    // Measured on these 12 worlds: ratio 1.16, coverage 77.1%; on 40 worlds see
    // docs/benchmarks/forecast.md (scripts/bench/forecast-oracle.ts).
    expect(oracle / actual).toBeGreaterThan(0.1);
    expect(ratio).toBeLessThanOrEqual(1.2);
    expect(covered / periods).toBeGreaterThanOrEqual(0.75);
    expect(covered / periods).toBeLessThanOrEqual(0.85);
  }, 300_000);
});
