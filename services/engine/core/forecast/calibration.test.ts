import fc from 'fast-check';
import { createRng, type Rng } from '../random';
import { calibrate, type TrackPoint } from './calibration';

function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** Monthly track points whose actuals are bias x mean + noise of `noise` x the model's sd. */
function record(seed: string, n: number, bias: number, noise: number): TrackPoint[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, j) => {
    const mean = 1_000_000;
    const sd = 50_000;
    return {
      label: `m${j}`,
      origin: j * 30,
      end: (j + 1) * 30,
      mean,
      sd,
      actual: mean / bias + noise * sd * normal(rng)
    };
  });
}

describe("calibration on the model's own track record", () => {
  it('leaves a model that is right alone: factor near 1, widening near 1, ~80% covered', () => {
    let covered = 0;
    let total = 0;
    const widenings: number[] = [];
    for (let s = 0; s < 40; s += 1) {
      const cal = calibrate(record(`right:${s}`, 12, 1, 1));
      expect(Math.abs(cal.factor - 1)).toBeLessThan(0.06);
      widenings.push(cal.widening);
      covered += cal.record.filter((r) => r.covered).length;
      total += cal.record.length;
    }
    expect(widenings.reduce((a, b) => a + b, 0) / widenings.length).toBeGreaterThan(0.85);
    expect(widenings.reduce((a, b) => a + b, 0) / widenings.length).toBeLessThan(1.15);
    expect(covered / total).toBeGreaterThan(0.74);
    expect(covered / total).toBeLessThan(0.88);
  });

  it('corrects a model that runs 25% high', () => {
    const cal = calibrate(record('high', 12, 1.25, 1));
    expect(cal.factor).toBeGreaterThan(0.74);
    expect(cal.factor).toBeLessThan(0.86);
    expect(cal.bias).not.toBeNull();
  });

  it('widens the ranges of an overconfident model', () => {
    const cal = calibrate(record('overconfident', 24, 1, 2.5));
    expect(cal.widening).toBeGreaterThan(1.8);
    expect(cal.rangeScale).toBe(cal.widening);
  });

  it('is not blown wide by one lumpy period: the widening is a quantile, not a mean square', () => {
    const points = record('lumpy', 12, 1, 1);
    // One month ten spreads off (a large deal won against a small forecast).
    const lumpy = points.map((p, j) => (j === 4 ? { ...p, actual: p.mean + 10 * p.sd } : p));
    const cal = calibrate(lumpy);
    expect(cal.widening).toBeLessThan(1.6);
    const later = cal.record.slice(5);
    expect(later.filter((r) => r.covered).length / later.length).toBeGreaterThan(0.5);
  });

  it('is sequential: a period never sees the ones after it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 10 }),
        fc.double({ min: 0.3, max: 3, noNaN: true }),
        (n, change) => {
          const points = record(`seq:${n}`, n, 1, 1);
          const before = calibrate(points).record;
          const altered = points.map((p, j) =>
            j === n - 1 ? { ...p, actual: p.actual * change } : p
          );
          const after = calibrate(altered).record;
          for (let j = 0; j < n; j += 1) {
            expect(after[j]?.forecast).toBe(before[j]?.forecast);
            expect(after[j]?.p90).toBe(before[j]?.p90);
          }
        }
      )
    );
  });

  it("starts neutral with no record: no correction, the model's own spread", () => {
    const cal = calibrate([]);
    expect(cal.factor).toBe(1);
    expect(cal.widening).toBe(1);
    expect(cal.wape).toBeNull();
  });
});
