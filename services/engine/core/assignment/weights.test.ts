import { createRng } from '../random';
import { blockQuotas, planUnits } from './weights';

describe('weights into slots', () => {
  it('makes simple ratios exact with the smallest integer units', () => {
    expect(planUnits([1, 1, 0.5], 4)).toMatchObject({ exact: true, units: [2, 2, 1] });
    expect(planUnits([1, 0.75], 4)).toMatchObject({ exact: true, units: [4, 3] });
    expect(planUnits([0.5, 0.5], 4)).toMatchObject({ exact: true, units: [1, 1] });
    expect(planUnits([1, 1], 4).units).toEqual([1, 1]);
  });

  it('gives k x units slots per rep in an exact plan', () => {
    expect(blockQuotas(planUnits([1, 1, 0.5], 4), 3, createRng(1))).toEqual([6, 6, 3]);
  });

  it('rounds awkward ratios to floor or ceiling with the exact share in expectation', () => {
    const plan = planUnits([1, 0.33, 0.8], 4);
    expect(plan.exact).toBe(false);
    const rng = createRng(11);
    const totals = [0, 0, 0];
    const seen = [new Set<number>(), new Set<number>(), new Set<number>()];
    const runs = 40_000;
    for (let b = 0; b < runs; b += 1) {
      const q = blockQuotas(plan, 2, rng);
      q.forEach((v, i) => {
        totals[i] = (totals[i] as number) + v;
        seen[i]?.add(v);
      });
    }
    expect([...(seen[0] as Set<number>)]).toEqual([2]); // the largest weight is always exact
    expect([...(seen[1] as Set<number>)].sort()).toEqual([0, 1]); // 2 x 0.33 = 0.66: floor or ceiling
    expect([...(seen[2] as Set<number>)].sort()).toEqual([1, 2]); // 2 x 0.8 = 1.6
    // Means within ~5 standard errors of 2, 0.66 and 1.6.
    expect(Math.abs((totals[1] as number) / runs - 0.66)).toBeLessThan(0.012);
    expect(Math.abs((totals[2] as number) / runs - 1.6)).toBeLessThan(0.012);
  });

  it('rejects a zero weight by name', () => {
    expect(() => planUnits([1, 0], 4)).toThrow(/roster\[1\]\.weight/);
  });
});
