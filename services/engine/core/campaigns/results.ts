import { z } from 'zod';
import { apiNames, CAMPAIGN_TEST_METRICS, type CampaignTestStatus } from '../../schema';
import { InputError } from '../calendar/orgRecord';
import { wilsonInterval } from '../stats';
import { normInv, normSf } from './normal';
import { boundaries, equalFractions, inflationFactor, SPENDING_FUNCTIONS, stagewisePValue, type Boundary } from './sequential';

/**
 * Results of a campaign A/B/n test: conversion per variant, and each variant against the
 * control with a pooled two-proportion z-test under a group-sequential stopping rule
 * (sequential.ts). With more than one challenger, alpha is split equally (Bonferroni), so the
 * chance of any false winner stays at alpha. The whole history of looks is kept in
 * Campaign_Test__c.Result__c, and every boundary is recomputed from it, so a look is
 * reproducible and a decision cannot silently change.
 *
 * Status: Running while no boundary is crossed; Decided when a challenger crosses (it wins if
 * better than the control; the control wins once every challenger crossed as worse);
 * Stopped when the planned maximum sample is reached without a winner.
 */
export const testPlanSchema = z.object({
  alpha: z.number().gt(0).lt(0.5).default(0.05),
  spending: z.enum(SPENDING_FUNCTIONS).default('obrien-fleming'),
  /** Planned total members across variants at the final look. */
  maxSampleSize: z.number().int().positive(),
  /** Planned number of looks, for the sample size and the job schedule (boundaries follow actual looks). */
  plannedLooks: z.number().int().min(1).max(50).default(5),
  metric: z.enum(CAMPAIGN_TEST_METRICS).default('Meeting')
});
export type TestPlan = z.infer<typeof testPlanSchema>;

export const variantCountsSchema = z.object({ variant: z.string().min(1), trials: z.number().int().nonnegative(), conversions: z.number().int().nonnegative() });
export type VariantCounts = z.infer<typeof variantCountsSchema>;

const lookSchema = z.object({ at: z.string(), counts: z.array(variantCountsSchema) });
export type Look = z.infer<typeof lookSchema>;

export const campaignResultSchema = z.object({
  version: z.literal(1),
  plan: testPlanSchema,
  variants: z.array(z.string()).min(2),
  weights: z.array(z.number().positive()),
  looks: z.array(lookSchema),
  status: z.enum(['Running', 'Decided', 'Stopped']),
  winner: z.string().nullable(),
  pValue: z.number().nullable(),
  summary: z.string(),
  variantsNow: z.array(z.object({ variant: z.string(), trials: z.number(), conversions: z.number(), rate: z.number(), low: z.number(), high: z.number() })),
  comparisons: z.array(
    z.object({
      variant: z.string(),
      control: z.string(),
      fraction: z.number(),
      z: z.number(),
      boundary: z.number(),
      crossed: z.boolean(),
      crossedAtLook: z.number().nullable(),
      direction: z.enum(['better', 'worse']).nullable(),
      difference: z.number(),
      /** Repeated confidence interval: simultaneous coverage over all looks. */
      differenceLow: z.number(),
      differenceHigh: z.number(),
      pValue: z.number().nullable()
    })
  )
});
export type CampaignResult = z.infer<typeof campaignResultSchema>;
export type Comparison = CampaignResult['comparisons'][number];

/** Pooled two-proportion z statistic (variant minus control). */
export function twoProportionZ(control: VariantCounts, variant: VariantCounts): number {
  const n = control.trials + variant.trials;
  if (control.trials === 0 || variant.trials === 0) return 0;
  const pooled = (control.conversions + variant.conversions) / n;
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / control.trials + 1 / variant.trials));
  if (se === 0) return 0;
  return (variant.conversions / variant.trials - control.conversions / control.trials) / se;
}

/** Information of a comparison relative to its planned maximum: harmonic sample sizes. */
function information(nControl: number, nVariant: number): number {
  return nControl > 0 && nVariant > 0 ? 1 / (1 / nControl + 1 / nVariant) : 0;
}

export interface StartTest {
  variants: string[];
  weights?: number[];
  plan: z.input<typeof testPlanSchema>;
}

/** The Result__c of a test that has not been looked at yet. */
export function startResult(start: StartTest): CampaignResult {
  const plan = testPlanSchema.parse(start.plan);
  const weights = start.weights ?? start.variants.map(() => 1);
  if (weights.length !== start.variants.length) throw new InputError('weights', weights, `one weight per variant (${start.variants.length})`);
  return {
    version: 1,
    plan,
    variants: start.variants,
    weights,
    looks: [],
    status: 'Running',
    winner: null,
    pValue: null,
    summary: 'No look yet.',
    variantsNow: [],
    comparisons: []
  };
}

function countsFor(look: Look, variant: string): VariantCounts {
  return look.counts.find((c) => c.variant === variant) ?? { variant, trials: 0, conversions: 0 };
}

function compare(result: CampaignResult, looks: readonly Look[], variant: string, alpha: number): Comparison {
  const control = result.variants[0] as string;
  const share = (v: string) => (result.weights[result.variants.indexOf(v)] as number) / result.weights.reduce((a, b) => a + b, 0);
  const maxInfo = information(result.plan.maxSampleSize * share(control), result.plan.maxSampleSize * share(variant));
  // Keep only looks that added information: a boundary needs strictly increasing fractions.
  const used: { t: number; z: number; c: VariantCounts; v: VariantCounts }[] = [];
  for (const look of looks) {
    const c = countsFor(look, control);
    const v = countsFor(look, variant);
    const t = Math.min(1, information(c.trials, v.trials) / maxInfo);
    if (t <= 0 || (used.length > 0 && t <= (used[used.length - 1] as { t: number }).t)) continue;
    used.push({ t, z: twoProportionZ(c, v), c, v });
    if (t >= 1) break;
  }
  if (used.length === 0) {
    return { variant, control, fraction: 0, z: 0, boundary: Number.POSITIVE_INFINITY, crossed: false, crossedAtLook: null, direction: null, difference: 0, differenceLow: -1, differenceHigh: 1, pValue: null };
  }
  const fractions = used.map((u) => u.t);
  const bounds = boundaries(fractions, alpha, result.plan.spending);
  const crossIndex = used.findIndex((u, k) => Math.abs(u.z) >= (bounds[k] as Boundary).z);
  const stopIndex = crossIndex >= 0 ? crossIndex : used.length - 1;
  const at = used[stopIndex] as (typeof used)[number];
  const boundary = (bounds[stopIndex] as Boundary).z;
  const pc = at.c.conversions / at.c.trials;
  const pv = at.v.conversions / at.v.trials;
  const se = Math.sqrt((pc * (1 - pc)) / at.c.trials + (pv * (1 - pv)) / at.v.trials);
  const ended = crossIndex >= 0 || at.t >= 1;
  return {
    variant,
    control,
    fraction: at.t,
    z: at.z,
    boundary,
    crossed: crossIndex >= 0,
    crossedAtLook: crossIndex >= 0 ? crossIndex + 1 : null,
    direction: crossIndex >= 0 ? (at.z > 0 ? 'better' : 'worse') : null,
    difference: pv - pc,
    differenceLow: pv - pc - boundary * se,
    differenceHigh: pv - pc + boundary * se,
    pValue: ended ? stagewisePValue(fractions.slice(0, stopIndex + 1), used.slice(0, stopIndex + 1).map((u) => u.z), alpha, result.plan.spending) : null
  };
}

function decide(result: CampaignResult, comparisons: Comparison[], rates: Map<string, number>): Pick<CampaignResult, 'status' | 'winner' | 'pValue' | 'summary'> {
  const m = comparisons.length;
  const adjusted = (p: number | null) => (p === null ? null : Math.min(1, p * m));
  const better = comparisons.filter((c) => c.direction === 'better');
  const control = result.variants[0] as string;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  if (better.length > 0) {
    const best = [...better].sort((a, b) => (rates.get(b.variant) ?? 0) - (rates.get(a.variant) ?? 0))[0] as Comparison;
    return {
      status: 'Decided',
      winner: best.variant,
      pValue: adjusted(best.pValue),
      summary: `${best.variant} converts better than ${control} (${pct(rates.get(best.variant) ?? 0)} vs ${pct(rates.get(control) ?? 0)}; difference ${pct(best.differenceLow)} to ${pct(best.differenceHigh)}), crossing the stopping boundary at look ${best.crossedAtLook}.`
    };
  }
  if (comparisons.every((c) => c.direction === 'worse')) {
    const ps = comparisons.map((c) => adjusted(c.pValue) ?? 1);
    return { status: 'Decided', winner: control, pValue: Math.max(...ps), summary: `Every challenger converts worse than ${control}: keep ${control}.` };
  }
  if (comparisons.every((c) => c.crossed || c.fraction >= 1)) {
    const ps = comparisons.map((c) => adjusted(c.pValue) ?? 1);
    return { status: 'Stopped', winner: null, pValue: Math.min(...ps), summary: `The planned sample was reached without a significant difference from ${control}: no winner at this sample size.` };
  }
  const worse = comparisons.filter((c) => c.direction === 'worse').map((c) => c.variant);
  return {
    status: 'Running',
    winner: null,
    pValue: null,
    summary: `No boundary crossed yet (${Math.round(Math.min(...comparisons.map((c) => c.fraction)) * 100)}% of the planned information).${worse.length ? ` Significantly worse than ${control}: ${worse.join(', ')}.` : ''}`
  };
}

/**
 * Adds a look (the cumulative counts now) and decides. A test that already ended is returned
 * unchanged: its decision is final. `at` is when the counts were read.
 */
export function analyzeCampaignTest(previous: CampaignResult, counts: readonly VariantCounts[], at: Date): CampaignResult {
  const result = campaignResultSchema.parse(previous);
  if (result.status !== 'Running') return result;
  counts.forEach((c, i) => {
    const parsed = variantCountsSchema.safeParse(c);
    if (!parsed.success) throw new InputError(`counts[${i}]`, c, 'a variant with whole trials and conversions');
    if (c.conversions > c.trials) throw new InputError(`counts[${i}].conversions`, c.conversions, `at most the trials (${c.trials})`);
    if (!result.variants.includes(c.variant)) throw new InputError(`counts[${i}].variant`, c.variant, `one of ${result.variants.join(', ')}`);
  });
  const looks = [...result.looks, { at: at.toISOString(), counts: counts.map((c) => ({ ...c })) }];
  const alpha = result.plan.alpha / (result.variants.length - 1);
  const comparisons = result.variants.slice(1).map((v) => compare(result, looks, v, alpha));
  const variantsNow = result.variants.map((v) => {
    const c = counts.find((x) => x.variant === v) ?? { variant: v, trials: 0, conversions: 0 };
    const ci = wilsonInterval(c.conversions, c.trials);
    return { variant: v, trials: c.trials, conversions: c.conversions, rate: c.trials ? c.conversions / c.trials : 0, low: ci.low, high: ci.high };
  });
  const rates = new Map(variantsNow.map((v) => [v.variant, v.rate]));
  return { ...result, looks, comparisons, variantsNow, ...decide(result, comparisons, rates) };
}

/**
 * Planned total sample for detecting `baseline` -> `baseline + lift` (absolute) with the given
 * power, two-sided alpha split over the challengers: the fixed-sample two-proportion formula
 * times the group-sequential inflation factor for the planned looks.
 */
export function plannedSampleSize(options: { baseline: number; lift: number; variants: number; alpha?: number; power?: number; looks?: number; spending?: (typeof SPENDING_FUNCTIONS)[number] }): { perVariant: number; total: number; inflation: number } {
  const { baseline, lift, variants } = options;
  const alpha = (options.alpha ?? 0.05) / (variants - 1);
  const power = options.power ?? 0.8;
  const p2 = baseline + lift;
  if (!(baseline > 0 && baseline < 1 && p2 > 0 && p2 < 1 && lift !== 0)) throw new InputError('lift', lift, 'a non-zero change keeping the rate between 0 and 1');
  const pBar = (baseline + p2) / 2;
  const za = normInv(1 - alpha / 2);
  const zb = normInv(power);
  const fixed = (za * Math.sqrt(2 * pBar * (1 - pBar)) + zb * Math.sqrt(baseline * (1 - baseline) + p2 * (1 - p2))) ** 2 / lift ** 2;
  const inflation = (options.looks ?? 5) > 1 ? inflationFactor(equalFractions(options.looks ?? 5), alpha, power, options.spending ?? 'obrien-fleming') : 1;
  const perVariant = Math.ceil(fixed * inflation);
  return { perVariant, total: perVariant * variants, inflation };
}

/** Nominal two-sided p-value of a z statistic (for display next to the boundary). */
export function nominalP(z: number): number {
  return 2 * normSf(Math.abs(z));
}

/** The Campaign_Test__c update for a result, keyed by the org's API names. */
export function campaignTestUpdate(id: string, result: CampaignResult, namespace = ''): Record<string, unknown> {
  const f = apiNames(namespace).Campaign_Test__c.fields;
  const status: CampaignTestStatus = result.status;
  const json = JSON.stringify(result);
  // Result__c is a Long Text Area(32768): a history too long to store is an error, not a truncation.
  if (json.length > 32768) throw new InputError('Campaign_Test__c.Result__c', `${json.length} characters`, 'at most 32768: look less often (each look adds one entry)');
  return { [f.Id]: id, [f.Status__c]: status, [f.Result__c]: json, [f.P_Value__c]: result.pValue === null ? null : Number(result.pValue.toFixed(5)), [f.Winner__c]: result.winner };
}
