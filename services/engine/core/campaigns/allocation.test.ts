import fc from 'fast-check';
import { allocate, auditAllocation, blockTemplate, campaignMemberUpdates, newAllocations, reduceWeights, type AllocationPlan, type Member } from './allocation';

const ids = (n: number, prefix = '00v000000000') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);
const members = (n: number): Member[] => ids(n).map((id) => ({ id }));
const plan: AllocationPlan = { variants: ['A', 'B', 'C'], weights: [50, 25, 25], seed: 'spring-2026' };

describe('permuted-block allocation', () => {
  it('reduces weights to the smallest whole ratio and builds blocks of at least four', () => {
    expect(reduceWeights([50, 25, 25])).toEqual([2, 1, 1]);
    expect(reduceWeights([0.5, 0.5])).toEqual([1, 1]);
    expect(reduceWeights([1 / 3, 2 / 3].map((x) => Math.round(x * 1000) / 1000))).toEqual([333, 667]);
    expect(blockTemplate(plan)).toEqual(['A', 'A', 'B', 'C']);
    expect(blockTemplate({ variants: ['A', 'B'], seed: 1 })).toEqual(['A', 'A', 'B', 'B']);
  });

  it('splits every complete block exactly by the weights', () => {
    const result = allocate(members(400), plan);
    const count = (v: string) => result.filter((a) => a.variant === v).length;
    expect([count('A'), count('B'), count('C')]).toEqual([200, 100, 100]);
    for (let b = 0; b < 100; b += 1) {
      const block = result.filter((a) => a.block === b).map((a) => a.variant).sort();
      expect(block).toEqual(['A', 'A', 'B', 'C']);
    }
  });

  it('is a pure function of the seed: same seed same variants, another seed other orders', () => {
    const a = allocate(members(200), plan).map((x) => x.variant).join('');
    expect(allocate([...members(200)].reverse(), plan).map((x) => x.variant).join('')).toBe(a);
    expect(allocate(members(200), { ...plan, seed: 'other' }).map((x) => x.variant).join('')).not.toBe(a);
  });

  it('keeps existing variants and continues the sequence for members added later', () => {
    const first = allocate(members(10), plan);
    const recorded: Member[] = first.map((a) => ({ id: a.memberId, variant: a.variant }));
    const later = [...recorded, ...ids(6, '00v000000001').map((id) => ({ id }))];
    const added = newAllocations(later, plan);
    expect(added.map((a) => a.index)).toEqual([10, 11, 12, 13, 14, 15]);
    expect(added.map((a) => a.variant)).toEqual(allocate(members(16).map((m, i) => ({ id: later[i]?.id ?? m.id })), plan).slice(10).map((a) => a.variant));
  });

  it('balances within each stratum separately', () => {
    const ms: Member[] = members(80).map((m, i) => ({ ...m, stratum: i % 3 === 0 ? 'Web' : 'List' }));
    const result = allocate(ms, { variants: ['A', 'B'], seed: 3 });
    for (const s of ['Web', 'List']) {
      const own = result.filter((a) => a.stratum === s);
      const a = own.filter((x) => x.variant === 'A').length;
      expect(Math.abs(a - (own.length - a))).toBeLessThanOrEqual(2);
    }
  });

  it('never lets the split drift by more than one block at any point (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer(), fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 4 }), (n, seed, weights) => {
        const variants = weights.map((_, i) => `V${i}`);
        const p: AllocationPlan = { variants, weights, seed };
        const size = blockTemplate(p).length;
        const reduced = reduceWeights(weights);
        const total = reduced.reduce((a, b) => a + b, 0);
        const result = allocate(members(n), p);
        return variants.every((v, i) => {
          const expected = (n * (reduced[i] as number)) / total;
          return Math.abs(result.filter((a) => a.variant === v).length - expected) <= size;
        });
      }),
      { numRuns: 100 }
    );
  });

  it('audits recorded variants against the seed and lists any that differ', () => {
    const recorded: Member[] = allocate(members(40), plan).map((a) => ({ id: a.memberId, variant: a.variant }));
    expect(auditAllocation(recorded, plan)).toMatchObject({ checked: 40, matching: 40, mismatches: [] });
    const tampered = recorded.map((m, i) => (i === 7 ? { ...m, variant: m.variant === 'A' ? 'B' : 'A' } : m));
    const audit = auditAllocation(tampered, plan);
    expect(audit.mismatches).toEqual([{ memberId: recorded[7]?.id, recorded: tampered[7]?.variant, expected: recorded[7]?.variant }]);
  });

  it('rejects plans it cannot honour, naming the field', () => {
    expect(() => blockTemplate({ variants: ['A'], seed: 1 })).toThrow(/variants.*at least two/);
    expect(() => blockTemplate({ variants: ['A', 'A'], seed: 1 })).toThrow(/distinct/);
    expect(() => blockTemplate({ variants: ['A', 'B'], weights: [1, 0], seed: 1 })).toThrow(/weights\[1\]/);
    expect(() => blockTemplate({ variants: ['A', 'B'], weights: [1], seed: 1 })).toThrow(/one weight per variant/);
  });

  it('writes Variant__c under the org\'s names', () => {
    const [first] = newAllocations(members(1), plan);
    expect(campaignMemberUpdates(first ? [first] : [], 'asl')).toEqual([{ Id: first?.memberId, asl__Variant__c: first?.variant }]);
  });
});
