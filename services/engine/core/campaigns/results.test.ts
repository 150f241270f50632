import { nominalP, plannedSampleSize, startResult, analyzeCampaignTest, campaignTestUpdate, twoProportionZ, type VariantCounts } from './results';
import { boundaries } from './sequential';

const at = (day: number) => new Date(Date.UTC(2026, 10, day));
const counts = (a: [number, number], b: [number, number], c?: [number, number]): VariantCounts[] => [
  { variant: 'A', trials: a[0], conversions: a[1] },
  { variant: 'B', trials: b[0], conversions: b[1] },
  ...(c ? [{ variant: 'C', trials: c[0], conversions: c[1] }] : [])
];

describe('two-proportion z', () => {
  it('matches the pooled textbook statistic', () => {
    // 100/1000 vs 130/1000: pooled 0.115, se = sqrt(0.115 * 0.885 * 0.002) = 0.014267.
    expect(twoProportionZ({ variant: 'A', trials: 1000, conversions: 100 }, { variant: 'B', trials: 1000, conversions: 130 })).toBeCloseTo(0.03 / Math.sqrt(0.115 * 0.885 * 0.002), 10);
    expect(twoProportionZ({ variant: 'A', trials: 0, conversions: 0 }, { variant: 'B', trials: 10, conversions: 1 })).toBe(0);
    expect(nominalP(1.959963984540054)).toBeCloseTo(0.05, 12);
  });
});

describe('analyzing a campaign test look by look', () => {
  const start = () => startResult({ variants: ['A', 'B'], plan: { maxSampleSize: 4000, plannedLooks: 4 } });

  it('keeps running while no boundary is crossed, and says how far it is', () => {
    const r = analyzeCampaignTest(start(), counts([500, 50], [500, 60]), at(2));
    expect(r.status).toBe('Running');
    expect(r.pValue).toBeNull();
    expect(r.comparisons[0]?.fraction).toBeCloseTo(0.25, 10);
    expect(r.comparisons[0]?.boundary).toBeCloseTo(boundaries([0.25], 0.05, 'obrien-fleming')[0]?.z ?? 0, 10);
    expect(r.summary).toMatch(/No boundary crossed yet \(25% of the planned information\)/);
    expect(r.variantsNow.map((v) => v.rate)).toEqual([0.1, 0.12]);
  });

  it('does not stop early on a difference the naive 1.96 would call significant', () => {
    // z = 2.2 at a quarter of the sample: naive peeking stops; the O'Brien-Fleming bound (4.33) does not.
    let r = analyzeCampaignTest(start(), counts([500, 50], [500, 76]), at(2));
    expect(Math.abs(r.comparisons[0]?.z ?? 0)).toBeGreaterThan(1.96);
    expect(r.status).toBe('Running');
    // z = 2.43 at half the sample: still inside the bound for looks at 1/4 and 1/2 (2.963).
    r = analyzeCampaignTest(r, counts([1000, 100], [1000, 135]), at(9));
    expect(r.comparisons[0]?.z).toBeCloseTo(2.43, 2);
    expect(r.status).toBe('Running');
  });

  it('decides when a look crosses, names the winner, and the decision is final', () => {
    let r = analyzeCampaignTest(start(), counts([500, 50], [500, 60]), at(2));
    r = analyzeCampaignTest(r, counts([1000, 100], [1000, 170]), at(9));
    expect(r.status).toBe('Decided');
    expect(r.winner).toBe('B');
    expect(r.comparisons[0]).toMatchObject({ crossed: true, crossedAtLook: 2, direction: 'better' });
    expect(r.pValue).toBeLessThan(0.05);
    expect(r.comparisons[0]?.differenceLow).toBeGreaterThan(0);
    const again = analyzeCampaignTest(r, counts([1500, 150], [1500, 150]), at(16));
    expect(again).toEqual(r);
  });

  it('stops without a winner when the planned sample is reached with no difference', () => {
    let r = start();
    for (const [k, n] of [[1, 500], [2, 1000], [3, 1500], [4, 2000]] as const) r = analyzeCampaignTest(r, counts([n, n / 10], [n, n / 10 + k]), at(k * 7));
    expect(r.status).toBe('Stopped');
    expect(r.winner).toBeNull();
    expect(r.pValue).toBeGreaterThan(0.05);
    expect(r.comparisons[0]?.differenceLow).toBeLessThan(0);
    expect(r.comparisons[0]?.differenceHigh).toBeGreaterThan(0);
  });

  it('splits alpha over challengers (Bonferroni) and keeps the control when every challenger is worse', () => {
    let r = startResult({ variants: ['A', 'B', 'C'], plan: { maxSampleSize: 3000 } });
    r = analyzeCampaignTest(r, counts([1000, 200], [1000, 100], [1000, 110]), at(20));
    expect(r.comparisons.map((c) => c.boundary)).toEqual([boundaries([1], 0.025, 'obrien-fleming')[0]?.z, boundaries([1], 0.025, 'obrien-fleming')[0]?.z]);
    expect(r.status).toBe('Decided');
    expect(r.winner).toBe('A');
  });

  it('skips a look that added no information', () => {
    let r = analyzeCampaignTest(start(), counts([500, 50], [500, 55]), at(2));
    r = analyzeCampaignTest(r, counts([500, 50], [500, 55]), at(3));
    expect(r.looks).toHaveLength(2);
    expect(r.comparisons[0]?.fraction).toBeCloseTo(0.25, 10);
  });

  it('rejects counts that cannot be right, naming the entry', () => {
    expect(() => analyzeCampaignTest(start(), counts([10, 11], [10, 1]), at(2))).toThrow(/counts\[0\]\.conversions/);
    expect(() => analyzeCampaignTest(start(), [{ variant: 'Z', trials: 1, conversions: 0 }], at(2))).toThrow(/counts\[0\]\.variant.*A, B/);
  });

  it('writes Status__c, Result__c, P_Value__c and Winner__c under the org\'s names', () => {
    const r = analyzeCampaignTest(start(), counts([500, 50], [500, 60]), at(2));
    const update = campaignTestUpdate('a0X', r, 'asl');
    expect(update).toMatchObject({ Id: 'a0X', asl__Status__c: 'Running', asl__P_Value__c: null, asl__Winner__c: null });
    expect(JSON.parse(String(update.asl__Result__c))).toEqual(r);
  });
});

describe('planned sample size', () => {
  it('matches the textbook fixed-sample formula for one look (10% -> 12%, alpha 0.05, power 0.8: 3,841 per arm)', () => {
    expect(plannedSampleSize({ baseline: 0.1, lift: 0.02, variants: 2, looks: 1 })).toEqual({ perVariant: 3841, total: 7682, inflation: 1 });
  });

  it('inflates it for sequential looks', () => {
    const s = plannedSampleSize({ baseline: 0.1, lift: 0.02, variants: 2, looks: 5 });
    expect(s.inflation).toBeGreaterThan(1.01);
    expect(s.perVariant).toBeGreaterThanOrEqual(Math.ceil(3840 * s.inflation));
    expect(s.perVariant).toBeLessThanOrEqual(Math.ceil(3841 * s.inflation));
    expect(s.total).toBe(2 * s.perVariant);
  });
});
