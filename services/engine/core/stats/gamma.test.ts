import { chiSquareCdf, chiSquareSf, gammaP, logGamma } from './gamma';

// Reference values computed with SciPy 1.17 (scipy.stats.chi2.sf, scipy.special.gammaln,
// scipy.special.gammainc).
describe('chi-square distribution', () => {
  it.each([
    [3.841458820694124, 1, 0.04999999999999989],
    [0.5, 1, 0.47950012218695337],
    [1e-6, 1, 0.9992021155721779],
    [10, 1, 0.001565402258002549],
    [5.991464547107979, 2, 0.05000000000000007],
    [18.307038053275146, 10, 0.05000000000000005],
    [124.34211340400407, 100, 0.0500000000000001],
    [998, 998, 0.49404689761608617],
    [1100, 998, 0.013059951959836042],
    [900, 998, 0.9879241701161354],
    [30, 3, 1.3800570312932553e-6],
    [0.1, 5, 0.9998376833880774],
    [50, 20, 0.0002214766382487835],
    [2, 0.5, 0.06792113201010888]
  ])('sf(%p, df=%p) matches SciPy', (x, df, expected) => {
    const got = chiSquareSf(x, df);
    expect(Math.abs(got - expected)).toBeLessThan(1e-10 + 1e-8 * expected);
    expect(chiSquareCdf(x, df) + got).toBeCloseTo(1, 12);
  });

  it('matches the closed form for even degrees of freedom', () => {
    // For df = 2m: P(X >= x) = exp(-x/2) * sum_{j<m} (x/2)^j / j!
    for (const m of [1, 2, 5, 17]) {
      for (const x of [0.3, 4, 19.5, 60]) {
        let term = 1;
        let sum = 1;
        for (let j = 1; j < m; j += 1) {
          term *= x / 2 / j;
          sum += term;
        }
        expect(chiSquareSf(x, 2 * m)).toBeCloseTo(Math.exp(-x / 2) * sum, 12);
      }
    }
  });

  it('gives 1 at zero and decreases in x', () => {
    expect(chiSquareSf(0, 4)).toBe(1);
    let previous = 1;
    for (let x = 0.5; x < 40; x += 0.5) {
      const p = chiSquareSf(x, 7);
      expect(p).toBeLessThan(previous);
      previous = p;
    }
  });
});

describe('gamma functions', () => {
  it.each([
    [0.5, 0.5723649429247],
    [10.3, 13.482036786138359],
    [500.5, 2608.2229044109863]
  ])('logGamma(%p) matches SciPy', (x, expected) => {
    expect(logGamma(x)).toBeCloseTo(expected, 9);
  });

  it.each([
    [0.5, 0.2, 0.47291074313446196],
    [3, 2.5, 0.45618688411667035],
    [50, 45, 0.24680203440017026],
    [250, 260, 0.7406105173923527],
    [1.5, 30, 0.9999999999994121]
  ])('P(%p, %p) matches SciPy', (a, x, expected) => {
    expect(gammaP(a, x)).toBeCloseTo(expected, 11);
  });
});
