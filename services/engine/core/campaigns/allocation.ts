import { apiNames } from '../../schema';
import { InputError } from '../calendar/orgRecord';
import { createRng, shuffleInPlace } from '../random';

/**
 * Randomized allocation of a campaign's leads to message variants (A/B/n) by permuted blocks.
 *
 * Why blocks: a simple coin per lead lets the arms drift apart in size and in time (a run of
 * A's on Monday, B's on Friday), which confounds the message with the day. Within each block
 * every variant appears exactly weight x multiplier times in a random order, so after every
 * complete block the split is exact, and at any moment it is off by less than one block.
 *
 * Why it is auditable: the block permutation depends only on (seed, stratum, block number),
 * and a member's place in the sequence is its rank among the campaign's members ordered by
 * CampaignMember Id (creation order in an org). Anyone with the seed can recompute every
 * variant; auditAllocation does exactly that and lists any member whose Variant__c differs.
 */
export interface AllocationPlan {
  variants: string[];
  /** Relative weights, one per variant (equal when omitted). */
  weights?: number[];
  seed: string | number;
  /** Smallest block size; the block is the reduced weights times the smallest multiplier reaching it. */
  minBlockSize?: number;
}

export interface Member {
  /** CampaignMember Id. */
  id: string;
  /** Optional stratum (e.g. lead source): each stratum has its own block sequence. */
  stratum?: string | null;
  /** Variant__c already set, if any. */
  variant?: string | null;
}

export interface Allocation {
  memberId: string;
  variant: string;
  stratum: string;
  /** Position in the stratum's sequence (0-based), its block and place in the block. */
  index: number;
  block: number;
  position: number;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Weights as the smallest whole numbers in the same ratio ("50;25;25" -> 2, 1, 1). */
export function reduceWeights(weights: readonly number[]): number[] {
  weights.forEach((w, i) => {
    if (!(Number.isFinite(w) && w > 0)) throw new InputError(`weights[${i}]`, w, 'a positive number');
  });
  let scale = 1;
  while (scale <= 1000 && !weights.every((w) => Math.abs(w * scale - Math.round(w * scale)) < 1e-9)) scale += 1;
  if (scale > 1000) throw new InputError('weights', weights, 'ratios expressible in whole numbers up to 1000 (e.g. 50;25;25)');
  const whole = weights.map((w) => Math.round(w * scale));
  const divisor = whole.reduce(gcd);
  return whole.map((w) => w / divisor);
}

/** The variants of one block, before shuffling. */
export function blockTemplate(plan: AllocationPlan): string[] {
  if (plan.variants.length < 2) throw new InputError('variants', plan.variants, 'at least two variants (A/B/n)');
  if (new Set(plan.variants).size !== plan.variants.length) throw new InputError('variants', plan.variants, 'distinct variant names');
  const weights = reduceWeights(plan.weights ?? plan.variants.map(() => 1));
  if (weights.length !== plan.variants.length) throw new InputError('weights', plan.weights, `one weight per variant (${plan.variants.length})`);
  const unit = weights.reduce((a, b) => a + b, 0);
  const multiplier = Math.max(1, Math.ceil((plan.minBlockSize ?? 4) / unit));
  return plan.variants.flatMap((v, i) => Array.from<string>({ length: (weights[i] as number) * multiplier }).fill(v));
}

/** The shuffled block number `block` of a stratum: a pure function of the seed, so replayable. */
export function blockOf(plan: AllocationPlan, stratum: string, block: number, template = blockTemplate(plan)): string[] {
  return shuffleInPlace([...template], createRng(`${plan.seed}|${stratum}|${block}`));
}

function ordered(members: readonly Member[]): Member[] {
  // Ids compare as base-62 strings; the 15-character prefix keeps 15- and 18-character ids in step.
  return [...members].sort((a, b) => (a.id.slice(0, 15) < b.id.slice(0, 15) ? -1 : a.id.slice(0, 15) > b.id.slice(0, 15) ? 1 : 0));
}

/** The variant every member gets by the plan (already allocated or not). */
export function allocate(members: readonly Member[], plan: AllocationPlan): Allocation[] {
  const template = blockTemplate(plan);
  const size = template.length;
  const counters = new Map<string, number>();
  const blocks = new Map<string, string[]>();
  return ordered(members).map((m) => {
    const stratum = m.stratum ?? '';
    const index = counters.get(stratum) ?? 0;
    counters.set(stratum, index + 1);
    const block = Math.floor(index / size);
    const position = index % size;
    const cacheKey = `${stratum}|${block}`;
    let order = blocks.get(cacheKey);
    if (!order) {
      order = blockOf(plan, stratum, block, template);
      blocks.set(cacheKey, order);
    }
    return { memberId: m.id, variant: order[position] as string, stratum, index, block, position };
  });
}

/** Only the members without a variant yet: what the org side writes to Variant__c. */
export function newAllocations(members: readonly Member[], plan: AllocationPlan): Allocation[] {
  const without = new Set(members.filter((m) => !m.variant).map((m) => m.id));
  return allocate(members, plan).filter((a) => without.has(a.memberId));
}

export interface AllocationAudit {
  checked: number;
  matching: number;
  mismatches: { memberId: string; recorded: string; expected: string }[];
  /** Members per variant, and per variant in complete blocks only (exactly proportional). */
  counts: Record<string, number>;
}

/** Recomputes every recorded Variant__c from the seed; any difference is listed. */
export function auditAllocation(members: readonly Member[], plan: AllocationPlan): AllocationAudit {
  const expected = allocate(members, plan);
  const recorded = new Map(members.map((m) => [m.id, m.variant ?? null]));
  const counts: Record<string, number> = Object.fromEntries(plan.variants.map((v) => [v, 0]));
  const mismatches: AllocationAudit['mismatches'] = [];
  let checked = 0;
  for (const a of expected) {
    const r = recorded.get(a.memberId);
    if (!r) continue;
    checked += 1;
    counts[r] = (counts[r] ?? 0) + 1;
    if (r !== a.variant) mismatches.push({ memberId: a.memberId, recorded: r, expected: a.variant });
  }
  return { checked, matching: checked - mismatches.length, mismatches, counts };
}

/** CampaignMember updates for new allocations, keyed by the org's API names. */
export function campaignMemberUpdates(allocations: readonly Allocation[], namespace = ''): Record<string, string>[] {
  const f = apiNames(namespace).CampaignMember.fields;
  return allocations.map((a) => ({ [f.Id]: a.memberId, [f.Variant__c]: a.variant }));
}
