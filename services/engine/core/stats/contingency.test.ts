import { createRng } from '../random';
import { holmAdjust, wilsonInterval } from './binomial';
import { independenceTest, type Observation } from './contingency';

function fromTable(table: number[][], stratum?: (i: number, j: number) => string): Observation[] {
  const out: Observation[] = [];
  table.forEach((row, i) =>
    row.forEach((count, j) => {
      for (let k = 0; k < count; k += 1) out.push({ row: `r${i}`, col: `c${j}`, stratum: stratum?.(i, j) });
    })
  );
  return out;
}

describe('chi-square test of independence', () => {
  it('matches SciPy chi2_contingency (no continuity correction) on a 3x3 table', () => {
    const test = independenceTest(fromTable([[10, 20, 30], [20, 20, 20], [5, 15, 25]]), { rng: createRng(1), monteCarlo: 'never' });
    expect(test.statistic).toBeCloseTo(10.126984126984127, 10);
    expect(test.df).toBe(4);
    expect(test.pAsymptotic).toBeCloseTo(0.0383421225645114, 10);
    expect(test.method).toBe('asymptotic');
  });

  it('switches to a Monte Carlo permutation p-value when expected counts are small', () => {
    // 2x2 [[3,1],[1,3]]: SciPy gives X2 = 2, asymptotic p = 0.1573; the exact permutation
    // p-value (Fisher's two-sided, SciPy fisher_exact) is 34/70 = 0.4857.
    const test = independenceTest(fromTable([[3, 1], [1, 3]]), { rng: createRng(7), permutations: 20_000 });
    expect(test.statistic).toBeCloseTo(2, 12);
    expect(test.pAsymptotic).toBeCloseTo(0.15729920705028105, 10);
    expect(test.method).toBe('monte-carlo');
    expect(test.pMonteCarlo).not.toBeNull();
    expect(Math.abs((test.pMonteCarlo as number) - 34 / 70)).toBeLessThan(0.015);
    expect(test.pValue).toBe(test.pMonteCarlo);
  });

  it('permutes within strata: a table explained by strata alone is not evidence against a rep', () => {
    // Rep r0 works stratum A only, r1 stratum B only; categories differ by stratum. Pooled, the
    // table looks dependent; within strata there is nothing to permute, so p = 1.
    const obs: Observation[] = [
      ...Array.from({ length: 30 }, () => ({ row: 'r0', col: 'good', stratum: 'A' })),
      ...Array.from({ length: 30 }, () => ({ row: 'r1', col: 'poor', stratum: 'B' }))
    ];
    const test = independenceTest(obs, { rng: createRng(3), monteCarlo: 'always', permutations: 500 });
    expect(test.pAsymptotic).toBeLessThan(1e-10);
    expect(test.pMonteCarlo).toBe(1);
  });

  it('gives p = 1 for a table with one column', () => {
    const test = independenceTest(fromTable([[4], [9]]), { rng: createRng(1) });
    expect(test.df).toBe(0);
    expect(test.pValue).toBe(1);
  });
});

describe('binomial helpers', () => {
  it('Wilson score interval matches Newcombe (1998), Stat Med 17:857, table I', () => {
    const a = wilsonInterval(81, 263);
    expect(a.low).toBeCloseTo(0.2553, 4);
    expect(a.high).toBeCloseTo(0.3662, 4);
    const b = wilsonInterval(0, 20);
    expect(b.low).toBe(0);
    expect(b.high).toBeCloseTo(0.1611, 4);
  });

  it('Holm adjustment is monotone and capped at 1', () => {
    expect(holmAdjust([0.01, 0.04, 0.03])).toEqual([0.03, 0.06, 0.06]);
    expect(holmAdjust([0.5, 0.9])).toEqual([1, 1]);
  });
});
