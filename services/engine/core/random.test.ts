import { createRng, shuffleInPlace } from './random';

describe('seeded randomness', () => {
  it('replays the same draws from the same seed', () => {
    const a = createRng('ledger-seed-42');
    const b = createRng('ledger-seed-42');
    const drawsA = Array.from({ length: 50 }, () => a.int(0, 9));
    const drawsB = Array.from({ length: 50 }, () => b.int(0, 9));
    expect(drawsA).toEqual(drawsB);
  });

  it('gives different streams for different seeds and for forks', () => {
    const a = createRng(1);
    const fork = a.fork();
    const fromA = Array.from({ length: 20 }, () => a.int(0, 1_000_000));
    const fromFork = Array.from({ length: 20 }, () => fork.int(0, 1_000_000));
    const fromB = Array.from({ length: 20 }, () => createRng(2).int(0, 1_000_000));
    expect(fromA).not.toEqual(fromFork);
    expect(fromA).not.toEqual(fromB);
  });

  it('draws floats in [0, 1) with a mean near one half', () => {
    const rng = createRng(7);
    const values = Array.from({ length: 20_000 }, () => rng.next());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
  });

  it('shuffles into a permutation of the input', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const shuffled = shuffleInPlace([...items], createRng(3));
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
    expect(shuffled).not.toEqual(items);
  });
});
