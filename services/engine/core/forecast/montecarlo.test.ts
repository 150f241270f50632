import fc from 'fast-check';
import { createRng } from '../random';
import {
  analyticMoments,
  drawFactors,
  fastRandom,
  finishSeries,
  inverseNormal,
  quantiles,
  simulateSeries,
  type FactorModel
} from './montecarlo';

describe('Monte Carlo machinery', () => {
  it('quantiles equal the nearest-rank order statistics of a full sort', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 400 }),
        (xs) => {
          const sorted = [...xs].sort((a, b) => a - b);
          const expected = [0.1, 0.5, 0.9].map((q) => sorted[Math.round((xs.length - 1) * q)]);
          expect(quantiles(Float64Array.from(xs), [0.1, 0.5, 0.9])).toEqual(expected);
        }
      )
    );
  });

  it('draws standard normals (inverse-CDF table) with the right moments and tails', () => {
    const random = fastRandom(createRng('normals'));
    const out = new Float64Array(200_000);
    random.fillNormal(out);
    const mean = out.reduce((s, x) => s + x, 0) / out.length;
    const variance = out.reduce((s, x) => s + (x - mean) ** 2, 0) / out.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.01);
    const beyond = out.filter((x) => x > 1.2815515655446004).length / out.length;
    expect(Math.abs(beyond - 0.1)).toBeLessThan(0.003);
    expect(inverseNormal(0.975)).toBeCloseTo(1.959963984540054, 7);
  });

  it('simulated series agree with the analytic mean and variance', () => {
    const f: FactorModel = {
      bucketVariance: Float64Array.from([0.01, 0.02]),
      hazardVariance: 0.004,
      arrivalVariance: 0.02
    };
    const acc = {
      aOpen: Float64Array.from([400_000, 300_000]),
      aNew: Float64Array.from([100_000, 50_000]),
      b: 9e9,
      c: 2e9
    };
    const m = finishSeries(acc, f);
    const { mean, variance } = analyticMoments(m, f);
    const random = fastRandom(createRng('series'));
    const factors = drawFactors(f, 100_000, random);
    const out = new Float64Array(100_000);
    const normals = new Float64Array(100_000);
    random.fillNormal(normals);
    simulateSeries(m, factors, normals, out);
    const simMean = out.reduce((s, x) => s + x, 0) / out.length;
    const simVar = out.reduce((s, x) => s + (x - simMean) ** 2, 0) / out.length;
    expect(Math.abs(simMean / mean - 1)).toBeLessThan(0.003);
    expect(Math.abs(simVar / variance - 1)).toBeLessThan(0.03);
  });

  it('replays the same draws from the same seed', () => {
    const a = new Float64Array(100);
    const b = new Float64Array(100);
    fastRandom(createRng(7)).fillNormal(a);
    fastRandom(createRng(7)).fillNormal(b);
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});
