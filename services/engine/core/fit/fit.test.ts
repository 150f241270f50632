import { createRng } from '../random';
import { wilsonInterval } from '../stats';
import { explainModel, fitLogistic, predictWin, winRateByBand, type FitObservation } from './analysis';
import { dropRecommendation } from './drop';
import { fitData } from './records';

const deals = (score: number, won: number, lost: number): FitObservation[] => [
  ...Array.from({ length: won }, (_, i) => ({ opportunityId: `w${score}-${i}`, score, won: true })),
  ...Array.from({ length: lost }, (_, i) => ({ opportunityId: `l${score}-${i}`, score, won: false }))
];

describe('win rate by fit band', () => {
  it('counts deals and wins per band with Wilson intervals', () => {
    const obs = [...deals(2, 1, 9), ...deals(5, 4, 6), ...deals(9, 8, 2)];
    const bands = winRateByBand(obs);
    expect(bands.map((b) => [b.band, b.deals, b.won])).toEqual([['1-3', 10, 1], ['4-5', 10, 4], ['6-7', 0, 0], ['8-10', 10, 8]]);
    expect(bands[0]).toMatchObject({ winRate: 0.1, ciLow: wilsonInterval(1, 10).low, ciHigh: wilsonInterval(1, 10).high });
    expect(() => winRateByBand([{ opportunityId: 'x', score: 11, won: true }])).toThrow(/observations\[0\]\(x\)\.score/);
  });
});

describe('logistic fit of outcome on fit score', () => {
  it('reproduces the closed form for two scores: slope = log odds ratio / distance, Woolf standard error', () => {
    // Score 2: 10 won of 50; score 7: 30 won of 50.
    const model = fitLogistic([...deals(2, 10, 40), ...deals(7, 30, 20)]);
    const logit = (p: number) => Math.log(p / (1 - p));
    expect(model.converged).toBe(true);
    expect(model.slope).toBeCloseTo((logit(0.6) - logit(0.2)) / 5, 9);
    expect(model.intercept + 2 * model.slope).toBeCloseTo(logit(0.2), 9);
    expect(model.slopeSe).toBeCloseTo(Math.sqrt(1 / 10 + 1 / 40 + 1 / 30 + 1 / 20) / 5, 9);
    expect(model.oddsRatioLow).toBeCloseTo(Math.exp(model.slope - 1.959963984540054 * model.slopeSe), 9);
    // The likelihood-ratio statistic of a 2x2 table is the G statistic 2 sum O ln(O / E).
    const cells = [[10, 20], [40, 30], [30, 20], [20, 30]] as const;
    const g = 2 * cells.reduce((acc, [o, e]) => acc + o * Math.log(o / e), 0);
    expect(model.lrStatistic).toBeCloseTo(g, 8);
    expect(predictWin(model, 7).p).toBeCloseTo(0.6, 9);
  });

  it('recovers the coefficients of a known model from simulated deals', () => {
    const rng = createRng(3);
    const obs: FitObservation[] = Array.from({ length: 6000 }, (_, i) => {
      const score = rng.int(1, 10);
      return { opportunityId: `o${i}`, score, won: rng.next() < 1 / (1 + Math.exp(-(-3 + 0.4 * score))) };
    });
    const model = fitLogistic(obs);
    expect(Math.abs(model.slope - 0.4)).toBeLessThan(3 * model.slopeSe);
    expect(model.slopeLow).toBeLessThan(0.4);
    expect(model.slopeHigh).toBeGreaterThan(0.4);
    expect(model.pValue).toBeLessThan(1e-10);
    expect(explainModel(model)).toMatch(/each extra point of fit multiplies the odds of winning by 1\.\d\d/);
  });

  it('says so when the score predicts nothing', () => {
    const model = fitLogistic([...deals(2, 5, 5), ...deals(8, 5, 5)]);
    expect(model.slope).toBeCloseTo(0, 9);
    expect(model.pValue).toBeCloseTo(1, 9);
    expect(explainModel(model)).toMatch(/does not clearly predict the outcome/);
  });

  it('flags perfect separation instead of reporting an infinite slope', () => {
    const model = fitLogistic([...deals(2, 0, 5), ...deals(3, 0, 4), ...deals(8, 6, 0)]);
    expect(model.separated).toBe(true);
    expect(model.converged).toBe(false);
    expect(explainModel(model)).toMatch(/separates outcomes perfectly/);
    expect(() => dropRecommendation([], model, 0.1, { valuePerHour: 100 })).toThrow(/model/);
  });

  it('needs both wins and losses and two different scores', () => {
    expect(() => fitLogistic(deals(4, 3, 0))).toThrow(/both wins and losses/);
    expect(() => fitLogistic(deals(4, 3, 3))).toThrow(/two different scores/);
  });
});

describe('drop recommendation', () => {
  const model = fitLogistic([...deals(2, 2, 48), ...deals(5, 10, 40), ...deals(8, 25, 25)]);

  it('drops a low-fit deal when the freed time is worth more than its expected revenue', () => {
    const [advice] = dropRecommendation([{ opportunityId: '006A', score: 2, amount: 10000, hoursRemaining: 10 }], model, 0.15, { valuePerHour: 200 });
    const p = predictWin(model, 2).p;
    expect(advice).toMatchObject({ flagged: true, hoursSaved: 10, valueOfTimeSaved: 2000, recommendDrop: true });
    expect(advice?.expectedRevenueLost).toBeCloseTo(p * 10000, 9);
    expect(advice?.expectedValueOfDropping).toBeCloseTo(2000 - p * 10000, 9);
    expect(advice?.explanation).toMatch(/^Fit 2\/10: deals like this win about \d+% of the time .* Drop/);
  });

  it('keeps a low-fit deal that is large enough, and any deal above the threshold', () => {
    const advice = dropRecommendation(
      [
        { opportunityId: 'big', score: 2, amount: 1_000_000, hoursRemaining: 10 },
        { opportunityId: 'good', score: 8, amount: 10000 }
      ],
      model,
      0.15,
      { valuePerHour: 200 }
    );
    expect(advice.find((a) => a.opportunityId === 'big')).toMatchObject({ flagged: true, recommendDrop: false });
    expect(advice.find((a) => a.opportunityId === 'big')?.explanation).toMatch(/Keep despite the low fit/);
    expect(advice.find((a) => a.opportunityId === 'good')).toMatchObject({ flagged: false, recommendDrop: false, hoursSaved: 6 });
    // Best drops first.
    expect(advice.map((a) => a.expectedValueOfDropping)).toEqual([...advice.map((a) => a.expectedValueOfDropping)].sort((x, y) => y - x));
  });

  it('marks a flag as confident only when the whole interval lies below the threshold', () => {
    const [advice] = dropRecommendation([{ opportunityId: 'x', score: 2, amount: 0 }], model, 0.15, { valuePerHour: 1 });
    const w = predictWin(model, 2);
    expect(advice?.confident).toBe(w.high < 0.15);
    expect(() => dropRecommendation([], model, 1.5, { valuePerHour: 1 })).toThrow(/threshold/);
  });
});

describe('fit data from records', () => {
  it('takes the latest scored survey, falls back to Fit_Score__c, and splits closed from open', () => {
    const opportunities = [
      { Id: '006A', IsClosed: true, IsWon: true, Amount: 100, Fit_Score__c: 3 },
      { Id: '006B', IsClosed: 'false', IsWon: 'false', Amount: '250', Fit_Score__c: '' },
      { Id: '006C', IsClosed: false, IsWon: false, Amount: null, Fit_Score__c: null },
      { Id: '006D', IsClosed: true, IsWon: false, Amount: 50, Fit_Score__c: 6 }
    ];
    const surveys = [
      { Opportunity__c: '006A', Score__c: 4, Surveyed_At__c: '2026-10-01T10:00:00.000+0000' },
      { Opportunity__c: '006A', Score__c: 9, Surveyed_At__c: '2026-10-05T10:00:00.000+0000' },
      { Opportunity__c: '006B', Score__c: 2, Surveyed_At__c: '2026-10-02T10:00:00.000+0000' },
      { Opportunity__c: '006B', Score__c: '', Surveyed_At__c: '2026-10-09T10:00:00.000+0000' }
    ];
    expect(fitData(opportunities, surveys)).toEqual({
      closed: [
        { opportunityId: '006A', score: 9, won: true },
        { opportunityId: '006D', score: 6, won: false }
      ],
      open: [{ opportunityId: '006B', score: 2, amount: 250 }],
      unscored: 1
    });
  });
});
