/**
 * Known-truth check of the forecast (issue 6): on seeded synthetic worlds (every deal's true
 * odds, close-time distribution and value known), the monthly backtest of the model is held
 * against an oracle that forecasts the exact expectation. Reports pooled WAPE of both, their
 * ratio (target <= 1.2), and P10-P90 coverage (target 75-85%).
 *
 *   tsx scripts/bench/forecast-oracle.ts [--worlds 40] [--draws 10000] [--json]
 */
import {
  backtestPeriods,
  generateSynthetic,
  oracleForecast,
  runBacktest
} from '../../services/engine/core/forecast';
import { createRng } from '../../services/engine/core/random';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const WORLDS = flag('worlds', 40);
const DRAWS = flag('draws', 10_000);

function main(): void {
  const months = backtestPeriods('month', '2017-01-01', '2017-12-01');
  let ours = 0;
  let oracle = 0;
  let seasonal = 0;
  let actual = 0;
  let covered = 0;
  let periods = 0;
  const started = Date.now();
  for (let seed = 1; seed <= WORLDS; seed += 1) {
    const world = generateSynthetic(createRng(`world:${seed}`));
    const bt = runBacktest(world.history, {
      period: 'month',
      from: '2017-01-01',
      to: '2017-12-01',
      seed,
      leakageCheck: false,
      options: { draws: DRAWS }
    });
    bt.rows.forEach((row, i) => {
      const period = months[i] as (typeof months)[number];
      ours += Math.abs((row.forecasts.model as number) - row.actual);
      oracle += Math.abs(oracleForecast(world, period.start, period) - row.actual);
      seasonal += Math.abs((row.forecasts.seasonalNaive ?? 0) - row.actual);
      actual += row.actual;
      covered += row.covered ? 1 : 0;
      periods += 1;
    });
  }
  const report = {
    worlds: WORLDS,
    periods,
    draws: DRAWS,
    wapeModel: +(ours / actual).toFixed(4),
    wapeOracle: +(oracle / actual).toFixed(4),
    wapeSeasonalNaive: +(seasonal / actual).toFixed(4),
    ratioToOracle: +(ours / oracle).toFixed(3),
    coverageP10P90: +(covered / periods).toFixed(3),
    seconds: +((Date.now() - started) / 1000).toFixed(1),
    targets: { ratioToOracle: 1.2, coverage: [0.75, 0.85] }
  };
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(
      `oracle check: ${WORLDS} worlds x 12 months, ${DRAWS} draws\n` +
        `  WAPE model ${(report.wapeModel * 100).toFixed(1)}%, oracle ${(report.wapeOracle * 100).toFixed(1)}%, ratio ${report.ratioToOracle} (target <= 1.2); seasonal naive ${(report.wapeSeasonalNaive * 100).toFixed(1)}%\n` +
        `  P10-P90 coverage ${(report.coverageP10P90 * 100).toFixed(1)}% (target 75-85%)\n`
    );
  }
  process.exitCode =
    report.ratioToOracle <= 1.2 && report.coverageP10P90 >= 0.75 && report.coverageP10P90 <= 0.85
      ? 0
      : 1;
}

main();
