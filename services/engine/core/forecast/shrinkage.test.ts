import fc from 'fast-check';
import { createRng, type Rng } from '../random';
import {
  betaBinomialStrength,
  FULL_POOLING,
  gammaPoissonSpread,
  normalSpread,
  shrinkHazard,
  shrinkMean,
  shrinkRate
} from './shrinkage';

function binomial(rng: Rng, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i += 1) if (rng.next() < p) k += 1;
  return k;
}

function poisson(rng: Rng, mean: number): number {
  // Sum of exponential gaps: exact for any mean, fine for test sizes.
  let k = 0;
  let t = -Math.log(1 - rng.next());
  while (t < mean) {
    k += 1;
    t += -Math.log(1 - rng.next());
  }
  return k;
}

/** Beta(a, b) by two gamma draws (Marsaglia-Tsang via sums for integer shapes here). */
function beta(rng: Rng, mean: number, strength: number): number {
  // Integer shapes: gamma(k) = sum of k exponentials.
  const gamma = (shape: number): number => {
    let s = 0;
    for (let i = 0; i < shape; i += 1) s += -Math.log(1 - rng.next());
    return s;
  };
  const a = gamma(Math.round(mean * strength));
  const b = gamma(Math.round((1 - mean) * strength));
  return a / (a + b);
}

describe('beta-binomial shrinkage of close rates', () => {
  it('a bucket with no deals is its parent: never 0/0', () => {
    expect(shrinkRate(0, 0, 0.4, 25)).toBe(0.4);
    expect(shrinkRate(0, 0, 0.4, FULL_POOLING)).toBe(0.4);
  });

  it('lies between the raw rate and the parent, closer to the raw rate as the bucket grows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 0.1, max: 1000, noNaN: true }),
        (n, share, parent, m) => {
          const k = Math.round(share * n);
          const shrunk = shrinkRate(k, n, parent, m);
          const raw = k / n;
          expect(shrunk).toBeGreaterThanOrEqual(Math.min(raw, parent) - 1e-12);
          expect(shrunk).toBeLessThanOrEqual(Math.max(raw, parent) + 1e-12);
          const bigger = shrinkRate(k * 10, n * 10, parent, m);
          expect(Math.abs(bigger - raw)).toBeLessThanOrEqual(Math.abs(shrunk - raw) + 1e-12);
        }
      )
    );
  });

  it('estimates the prior strength from the spread between buckets (method of moments)', () => {
    const rng = createRng('beta-binomial');
    const truth = 30; // Beta(30 p, 30 (1 - p)): intra-class correlation 1/31
    const children = Array.from({ length: 400 }, () => {
      const n = 20 + rng.int(0, 180);
      return { k: binomial(rng, n, beta(rng, 0.4, truth)), n, parent: 0.4 };
    });
    const m = betaBinomialStrength(children);
    expect(m).toBeGreaterThan(truth * 0.6);
    expect(m).toBeLessThan(truth * 1.6);
  });

  it('pools fully when buckets differ by no more than binomial noise', () => {
    const rng = createRng('pure-binomial');
    const children = Array.from({ length: 300 }, () => {
      const n = 50;
      return { k: binomial(rng, n, 0.3), n, parent: 0.3 };
    });
    // Pure noise can still estimate a large finite strength; it must be far above any real spread.
    expect(betaBinomialStrength(children)).toBeGreaterThan(300);
  });
});

describe('gamma-Poisson shrinkage of close hazards', () => {
  it('estimates the spread of rates around the parent', () => {
    const rng = createRng('gamma-poisson');
    const children = Array.from({ length: 300 }, () => {
      const exposure = 500 + rng.int(0, 2000);
      const theta = rng.next() < 0.5 ? 0.7 : 1.3; // variance 0.09
      return { events: poisson(rng, 0.05 * exposure * theta), exposure, parent: 0.05 };
    });
    const cv2 = gammaPoissonSpread(children);
    expect(cv2).toBeGreaterThan(0.06);
    expect(cv2).toBeLessThan(0.12);
  });

  it('finds no spread in pure Poisson noise, and then a cell is its parent', () => {
    const rng = createRng('poisson-only');
    const children = Array.from({ length: 300 }, () => ({
      events: poisson(rng, 40),
      exposure: 800,
      parent: 0.05
    }));
    const cv2 = gammaPoissonSpread(children);
    expect(cv2).toBeLessThan(0.01);
    expect(shrinkHazard(7, 10, 0.05, 0)).toBe(0.05);
    expect(shrinkHazard(0, 0, 0.05, 0.3)).toBeCloseTo(0.05, 12);
  });
});

describe('normal shrinkage of deal values', () => {
  it('keeps distinct product prices apart and pulls a thin product toward the mean', () => {
    const children = [
      { w: 400, mean: 500, variance: 100 ** 2, parent: 3000 },
      { w: 400, mean: 5500, variance: 800 ** 2, parent: 3000 },
      { w: 2, mean: 9000, variance: 800 ** 2, parent: 3000 }
    ];
    const tau2 = normalSpread(children);
    expect(tau2).toBeGreaterThan(1e6);
    expect(shrinkMean(children[0] as (typeof children)[0], tau2)).toBeCloseTo(500, -1);
    expect(shrinkMean({ w: 0, mean: 0, variance: 1, parent: 3000 }, tau2)).toBe(3000);
  });
});
