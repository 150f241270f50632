import { existsSync } from 'node:fs';
import { datasetDir, loadHistory } from '../../cli/forecastSource';
import { runBacktest, type Backtest } from './backtest';

/**
 * The issue-6 targets on maven-crm (../shared/datasets/maven-crm, read in place). Figures
 * asserted are the ones measured (docs/benchmarks/forecast.md) with small margins; a monthly
 * WAPE far below 8% would point at leakage, so that is asserted too.
 */
const dir = datasetDir('maven-crm');
if (!existsSync(dir) && process.env.ASL_ALLOW_MISSING_DATASETS !== '1') {
  throw new Error(
    `maven-crm not found at ${dir}: put the shared data sets next to the repository or set ASL_MAVEN_CRM_DIR (ASL_ALLOW_MISSING_DATASETS=1 skips)`
  );
}
const suite = existsSync(dir) ? describe : describe.skip;

const score = (bt: Backtest, method: string): number =>
  bt.scores.find((s) => s.method === method)?.wape as number;

suite('maven-crm backtest (issue 6 targets)', () => {
  const { history } = existsSync(dir)
    ? loadHistory({ preset: 'maven-crm' })
    : { history: { opportunities: [] } };

  it('monthly May-Dec 2017: beats the best baseline, no leakage, honest coverage', () => {
    const bt = runBacktest(history, {
      period: 'month',
      from: '2017-05-01',
      to: '2017-12-01',
      seed: 1
    });
    expect(bt.rows.map((r) => r.period)).toEqual([
      '2017-05',
      '2017-06',
      '2017-07',
      '2017-08',
      '2017-09',
      '2017-10',
      '2017-11',
      '2017-12'
    ]);
    // Seasonal naive (same month last quarter, else last month) measures about 11%.
    expect(score(bt, 'seasonalNaive')).toBeGreaterThan(0.105);
    expect(score(bt, 'seasonalNaive')).toBeLessThan(0.115);
    const model = score(bt, 'model');
    expect(model).toBeLessThan(score(bt, 'seasonalNaive'));
    expect(model).toBeLessThan(0.08); // measured 7.2%
    expect(model).toBeGreaterThan(0.05); // far below would need a leakage check
    for (const method of ['lastPeriod', 'trailing3', 'stageWeighted'])
      expect(model).toBeLessThan(score(bt, method));
    expect(bt.coverage.rate).toBeGreaterThanOrEqual(0.75); // measured 7 of 8
    expect(bt.leakage).toHaveLength(8);
    expect(bt.leakage.every((l) => l.passed && l.scrambled > 0)).toBe(true);
  });

  it('quarterly from July (as-of dates inside the May-Dec window): WAPE at most 7%', () => {
    const bt = runBacktest(history, {
      period: 'quarter',
      from: '2017-07-01',
      to: '2017-10-01',
      seed: 1,
      leakageCheck: false
    });
    expect(bt.rows.map((r) => r.period)).toEqual(['2017-Q3', '2017-Q4']);
    expect(score(bt, 'model')).toBeLessThanOrEqual(0.07); // measured about 4%
    expect(score(bt, 'model')).toBeLessThan(score(bt, 'seasonalNaive'));
  });

  it('quarterly from April, with one month of closes behind it, misses: reported, not hidden', () => {
    const bt = runBacktest(history, {
      period: 'quarter',
      from: '2017-04-01',
      to: '2017-10-01',
      seed: 1,
      leakageCheck: false
    });
    const q2 = bt.rows[0];
    // Standing on 2017-04-01 the model has only March's closes and no track record to calibrate on.
    expect(q2?.period).toBe('2017-Q2');
    expect(
      ((q2?.forecasts.model as number) - (q2?.actual as number)) / (q2?.actual as number)
    ).toBeGreaterThan(0.2);
    expect(score(bt, 'model')).toBeLessThan(0.14); // measured 12.6% with Q2 included
  });
});
