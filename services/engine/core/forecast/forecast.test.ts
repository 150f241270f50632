import { createRng } from '../random';
import { forecast } from './forecast';
import { DEFAULT_SYNTHETIC, generateSynthetic } from './synthetic';
import { ForecastInputError } from './types';

describe('forecast', () => {
  const world = generateSynthetic(createRng('forecast-e2e'), {
    ...DEFAULT_SYNTHETIC,
    months: 20,
    arrivalsPerDay: 4
  });
  const run = (seed: number) =>
    forecast(world.history, {
      asOf: '2016-06-12',
      rng: createRng(seed),
      options: { draws: 2000, horizon: { months: 2, quarters: 1, years: 1 } }
    });
  const result = run(1);

  it('covers months, quarters and the year by total, rep, team and product, with ordered ranges', () => {
    expect(result.periods.map((p) => p.label)).toEqual(['2016-06', '2016-07', '2016-Q2', '2016']);
    for (const dimension of ['Total', 'Rep', 'Team', 'Product'] as const) {
      expect(result.lines.some((line) => line.dimension === dimension)).toBe(true);
    }
    for (const line of result.lines) {
      expect(line.p10).toBeLessThanOrEqual(line.p50 + 1e-6);
      expect(line.p50).toBeLessThanOrEqual(line.p90 + 1e-6);
      // What is already won cannot be lost again.
      expect(line.p10).toBeGreaterThanOrEqual(line.closedToDate - 1e-6);
    }
  });

  it('adds up: reps and products sum to the total; the explanation sums to the expectation', () => {
    for (const period of result.periods) {
      const total = result.lines.find((l) => l.dimension === 'Total' && l.period === period.label);
      for (const dimension of ['Rep', 'Product'] as const) {
        const sum = result.lines
          .filter((l) => l.dimension === dimension && l.period === period.label)
          .reduce((s, l) => s + l.expected, 0);
        expect(sum / (total?.expected as number)).toBeCloseTo(1, 9);
      }
      const e = result.explanations.find((x) => x.period.label === period.label);
      expect(
        ((e?.closedToDate as number) +
          (e?.openPipeline.expected as number) +
          (e?.newPipeline.expected as number)) /
          (e?.expected as number)
      ).toBeCloseTo(1, 9);
      expect(e?.summary).toMatch(/expected [\d,]+ \(80% range [\d,]+ to [\d,]+\)/);
    }
    const june = result.explanations[0];
    expect(june?.closedToDate).toBeGreaterThan(0);
    expect(june?.openPipeline.byAgeBand.reduce((s, b) => s + b.deals, 0)).toBe(
      june?.openPipeline.deals
    );
  });

  it('replays exactly from its seed; another seed moves only the Monte Carlo quantiles', () => {
    expect(run(1)).toEqual(result);
    const other = run(2);
    expect(other.lines.map((l) => l.expected)).toEqual(result.lines.map((l) => l.expected));
    expect(other.lines.map((l) => l.p90)).not.toEqual(result.lines.map((l) => l.p90));
  });

  it('says what to do when nothing has closed yet', () => {
    expect(() => forecast(world.history, { asOf: '2015-01-02', rng: createRng(1) })).toThrow(
      ForecastInputError
    );
    expect(() => forecast(world.history, { asOf: '2015-01-02', rng: createRng(1) })).toThrow(
      /choose a later as-of date/
    );
  });
});
