import { z } from 'zod';
import { InputError } from '../calendar/orgRecord';
import { createRng, type Rng } from '../random';
import { wilsonInterval } from '../stats';
import { twoSidedZ } from './normal';
import { twoProportionZ } from './results';
import { boundaries, equalFractions, SPENDING_FUNCTIONS } from './sequential';

/**
 * A/A simulation: both arms have the same true conversion rate, so every "significant"
 * result is a false positive. Each run draws the arms' conversions look by look and applies
 *   - the stopping rule (group-sequential boundaries at the planned looks),
 *   - naive peeking: |Z| >= 1.96 at any of the same looks,
 *   - naive peeking at many more looks (e.g. daily),
 *   - a single fixed-sample test at the end (the textbook case the rule should match).
 * The observed rate of each is reported with a Wilson 95 % interval over the runs.
 */
export const aaOptionsSchema = z.object({
  runs: z.number().int().min(1).max(1_000_000).default(10_000),
  seed: z.union([z.string(), z.number()]).default(1),
  /** True conversion rate of both arms. */
  rate: z.number().gt(0).lt(1).default(0.1),
  /** Members per arm at the final look. */
  perArm: z.number().int().min(10).max(10_000_000).default(2000),
  looks: z.number().int().min(1).max(50).default(5),
  /** Looks for the second naive rule (a daily peek over a month-long test is about 20). */
  naivePeeks: z.number().int().min(1).max(500).default(20),
  alpha: z.number().gt(0).lt(0.5).default(0.05),
  spending: z.enum(SPENDING_FUNCTIONS).default('obrien-fleming')
})
  // Every look must add members, or two looks would share one sample size.
  .refine((o) => o.perArm >= o.looks && o.perArm >= o.naivePeeks, { message: 'at least as many members per arm as looks and peeks', path: ['perArm'] });
export type AaOptions = z.input<typeof aaOptionsSchema>;

export interface RuleRate {
  rule: string;
  looks: number;
  falsePositives: number;
  runs: number;
  rate: number;
  low: number;
  high: number;
}

export interface AaResult {
  options: z.infer<typeof aaOptionsSchema>;
  boundaries: number[];
  rules: RuleRate[];
  /** Whether the nominal alpha lies in the stopping rule's 95 % interval. */
  ruleHoldsAlpha: boolean;
}

/**
 * Binomial(n, p) by counting successes through geometric gaps between them: exact, and costs
 * one draw per success (about n p), which is what keeps 10,000 runs fast.
 */
export function binomial(n: number, p: number, rng: Rng): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(n, 1 - p, rng);
  const logQ = Math.log1p(-p);
  let count = 0;
  let position = 0;
  for (;;) {
    // 1 - next() lies in (0, 1], so the log is finite.
    position += Math.floor(Math.log(1 - rng.next()) / logQ) + 1;
    if (position > n) return count;
    count += 1;
  }
}

/** Arm sizes at each fraction (rounded), for a schedule of looks. */
function sizes(fractions: readonly number[], perArm: number): number[] {
  return fractions.map((t) => Math.max(1, Math.round(t * perArm)));
}

export function aaSimulation(input: AaOptions = {}): AaResult {
  const parsed = aaOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`aaSimulation.${issue?.path.join('.') ?? ''}`, undefined, issue?.message ?? 'valid options');
  }
  const o = parsed.data;
  const ruleFractions = equalFractions(o.looks);
  const bounds = boundaries(ruleFractions, o.alpha, o.spending).map((b) => b.z);
  const fixedZ = twoSidedZ(o.alpha);
  const ruleSizes = sizes(ruleFractions, o.perArm);
  const peekSizes = sizes(equalFractions(o.naivePeeks), o.perArm);
  // Every arm is drawn once at the union of look sizes, so all rules see the same data.
  const schedule = [...new Set([...ruleSizes, ...peekSizes])].sort((a, b) => a - b);
  const ruleAt = new Map(ruleSizes.map((n, k) => [n, k]));
  const peekAt = new Set(peekSizes);
  const hits = { rule: 0, naiveSame: 0, naiveMany: 0, fixed: 0 };
  const root = createRng(o.seed);
  for (let run = 0; run < o.runs; run += 1) {
    const rng = root.fork();
    let a = 0;
    let b = 0;
    let previous = 0;
    const seen = { rule: false, naiveSame: false, naiveMany: false };
    for (const n of schedule) {
      a += binomial(n - previous, o.rate, rng);
      b += binomial(n - previous, o.rate, rng);
      previous = n;
      const z = Math.abs(twoProportionZ({ variant: 'A', trials: n, conversions: a }, { variant: 'B', trials: n, conversions: b }));
      const k = ruleAt.get(n);
      if (k !== undefined) {
        if (z >= (bounds[k] as number)) seen.rule = true;
        if (z >= fixedZ) seen.naiveSame = true;
      }
      if (peekAt.has(n) && z >= fixedZ) seen.naiveMany = true;
      if (n === o.perArm && z >= fixedZ) hits.fixed += 1;
    }
    if (seen.rule) hits.rule += 1;
    if (seen.naiveSame) hits.naiveSame += 1;
    if (seen.naiveMany) hits.naiveMany += 1;
  }
  const rate = (rule: string, looks: number, falsePositives: number): RuleRate => {
    const ci = wilsonInterval(falsePositives, o.runs);
    return { rule, looks, falsePositives, runs: o.runs, rate: falsePositives / o.runs, low: ci.low, high: ci.high };
  };
  const rules = [
    rate(`stopping rule (${o.spending}, Lan-DeMets)`, o.looks, hits.rule),
    rate('naive peeking at |Z| >= 1.96', o.looks, hits.naiveSame),
    rate('naive peeking at |Z| >= 1.96', o.naivePeeks, hits.naiveMany),
    rate('single test at the end', 1, hits.fixed)
  ];
  const first = rules[0] as RuleRate;
  return { options: o, boundaries: bounds, rules, ruleHoldsAlpha: first.low <= o.alpha && o.alpha <= first.high };
}
