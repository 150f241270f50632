import { createRng } from '../random';
import { aaSimulation, binomial } from './aa';

describe('binomial sampler', () => {
  it('has the binomial mean and variance, on both sides of p = 0.5', () => {
    const rng = createRng(5);
    for (const [n, p] of [[200, 0.03], [50, 0.7], [1000, 0.5]] as const) {
      const draws = Array.from({ length: 20000 }, () => binomial(n, p, rng));
      const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
      const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws.length - 1);
      const se = Math.sqrt((n * p * (1 - p)) / draws.length);
      expect(Math.abs(mean - n * p)).toBeLessThan(4 * se);
      expect(variance / (n * p * (1 - p))).toBeGreaterThan(0.95);
      expect(variance / (n * p * (1 - p))).toBeLessThan(1.05);
      expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...draws)).toBeLessThanOrEqual(n);
    }
    expect(binomial(10, 0, rng)).toBe(0);
    expect(binomial(10, 1, rng)).toBe(10);
  });
});

describe('A/A simulation', () => {
  const result = aaSimulation({ runs: 4000, seed: 'aa-test', perArm: 1000, rate: 0.1, looks: 5, naivePeeks: 20 });

  it('keeps the stopping rule\'s false-positive rate at its nominal 5% (Wilson interval covers 0.05)', () => {
    const rule = result.rules[0];
    expect(rule?.runs).toBe(4000);
    expect(result.ruleHoldsAlpha).toBe(true);
    expect(rule?.low).toBeLessThanOrEqual(0.05);
    expect(rule?.high).toBeGreaterThanOrEqual(0.05);
  });

  it('shows that naive peeking inflates it (about 14% at 5 looks, 25% at 20)', () => {
    const [, five, twenty, fixed] = result.rules;
    expect(five?.low).toBeGreaterThan(0.1);
    expect(twenty?.low).toBeGreaterThan(0.2);
    expect(fixed?.low).toBeLessThanOrEqual(0.05);
    expect(fixed?.high).toBeGreaterThanOrEqual(0.05);
  });

  it('replays from its seed', () => {
    const again = aaSimulation({ runs: 300, seed: 9, perArm: 200 });
    expect(aaSimulation({ runs: 300, seed: 9, perArm: 200 }).rules).toEqual(again.rules);
  });

  it('rejects impossible options, naming them', () => {
    expect(() => aaSimulation({ rate: 1.5 })).toThrow(/aaSimulation\.rate/);
    expect(() => aaSimulation({ runs: 0 })).toThrow(/aaSimulation\.runs/);
    expect(() => aaSimulation({ perArm: 10, naivePeeks: 20 })).toThrow(/aaSimulation\.perArm.*as many members per arm as looks/);
  });
});
