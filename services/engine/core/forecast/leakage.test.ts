import { createRng } from '../random';
import { leakageSelfTest } from './backtest';
import { dayFromIso, isoFromDay, periodContaining } from './dates';
import { knownAt, wonBetween } from './known';
import { firstDifference, scrambleAfter } from './leakage';
import { expectAt, fitAt, prepareContext, type Expectations } from './structural';
import { DEFAULT_SYNTHETIC, generateSynthetic } from './synthetic';
import { ForecastOptionsSchema, type OpportunityHistory } from './types';

const options = ForecastOptionsSchema.parse({ draws: 500 });
const world = generateSynthetic(createRng('leakage-world'), {
  ...DEFAULT_SYNTHETIC,
  arrivalsPerDay: 3,
  months: 24
});

const total = (exp: Expectations): number => {
  let sum = 0;
  exp.open.forEach((_, j) => (sum += (exp.openWin[j] as number) * (exp.openValue[j] as number)));
  exp.newDeal.forEach((_, j) => (sum += (exp.newWins[j] as number) * (exp.newValue[j] as number)));
  return sum;
};

describe('leakage self-test', () => {
  it.each(['2016-03-01', '2016-08-01', '2016-12-01'])(
    'scrambling everything after %s leaves the forecast identical',
    (asOf) => {
      const result = leakageSelfTest(
        world.history,
        periodContaining('month', dayFromIso(asOf)),
        options,
        11
      );
      expect(result.scrambled).toBeGreaterThan(100);
      expect(result.difference).toBeNull();
      expect(result.passed).toBe(true);
    }
  );

  it('has teeth: the scramble changes what happened after the as-of date', () => {
    const asOf = '2016-08-01';
    const period = periodContaining('month', dayFromIso(asOf));
    const { history: scrambled } = scrambleAfter(world.history, asOf, createRng('teeth'));
    // A "forecast" that peeks at the outcome of the period would differ.
    const peek = (h: OpportunityHistory): number =>
      wonBetween(knownAt(h, period.end), period.start, period.end);
    expect(peek(scrambled)).not.toBe(peek(world.history));
    expect(firstDifference({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toBe('.a.1.b: 2 vs 3');
  });

  it('keeps what was known: outcomes before the as-of date are untouched', () => {
    const asOf = dayFromIso('2016-08-01');
    const { history: scrambled } = scrambleAfter(
      world.history,
      isoFromDay(asOf),
      createRng('kept')
    );
    expect(wonBetween(knownAt(scrambled, asOf), 0, asOf)).toBe(
      wonBetween(knownAt(world.history, asOf), 0, asOf)
    );
  });

  it('replays a past origin exactly as a forecast made on that day would have seen it', () => {
    // Calibration refits the model at past month starts from the as-of table; that must equal
    // a model fitted on the table of the origin itself.
    const origin = dayFromIso('2016-05-01');
    const period = periodContaining('month', origin);
    const later = prepareContext(knownAt(world.history, dayFromIso('2016-09-01')), options);
    const then = prepareContext(knownAt(world.history, origin), options);
    const a = total(expectAt(later, fitAt(later, origin), [period]));
    const b = total(expectAt(then, fitAt(then, origin), [period]));
    expect(a).toBeGreaterThan(0);
    expect(Math.abs(a / b - 1)).toBeLessThan(1e-9);
  });
});
