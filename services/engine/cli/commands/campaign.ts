import type { Command } from 'commander';
import { z } from 'zod';
import { aaSimulation, plannedSampleSize, SPENDING_FUNCTIONS, type AaResult } from '../../core/campaigns';

/**
 * `asl campaign`: campaign test tools that need no org (docs/campaigns.md).
 *   asl campaign aa-sim        false-positive rate of the stopping rule vs naive peeking
 *   asl campaign sample-size   planned sample for an A/B/n test with sequential looks
 */
const int = (flag: string, min: number, max: number) =>
  z.coerce.number({ error: `--${flag} must be a number` }).int(`--${flag} must be a whole number`).min(min, `--${flag} must be at least ${min}`).max(max, `--${flag} must be at most ${max}`);
const share = (flag: string) => z.coerce.number({ error: `--${flag} must be a number` }).gt(0, `--${flag} must be above 0`).lt(1, `--${flag} must be below 1`);
const spending = z.enum(SPENDING_FUNCTIONS, { error: `--spending must be one of ${SPENDING_FUNCTIONS.join(', ')}` });

const AaFlags = z.object({
  runs: int('runs', 1, 1_000_000).default(10_000),
  seed: z.string().default('1'),
  rate: share('rate').default(0.1),
  perArm: int('per-arm', 10, 10_000_000).default(2000),
  looks: int('looks', 1, 50).default(5),
  peeks: int('peeks', 1, 500).default(20),
  alpha: share('alpha').default(0.05),
  spending: spending.default('obrien-fleming'),
  json: z.boolean().default(false)
});

const SizeFlags = z.object({
  baseline: share('baseline'),
  lift: z.coerce.number({ error: '--lift must be a number' }),
  variants: int('variants', 2, 26).default(2),
  alpha: share('alpha').default(0.05),
  power: share('power').default(0.8),
  looks: int('looks', 1, 50).default(5),
  spending: spending.default('obrien-fleming'),
  json: z.boolean().default(false)
});

function parse<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;

export function formatAa(r: AaResult): string {
  const o = r.options;
  return [
    `A/A simulation: ${o.runs} runs, both arms converting ${pct(o.rate)}, ${o.perArm} members per arm, seed ${o.seed}.`,
    `Stopping rule: ${o.spending} alpha spending at ${o.looks} equally spaced looks, alpha ${o.alpha}; |Z| boundaries ${r.boundaries.map((b) => b.toFixed(3)).join(', ')}.`,
    '',
    '  rule                                           looks  false positives  rate     95% interval',
    ...r.rules.map((x) => `  ${x.rule.padEnd(46)} ${String(x.looks).padStart(5)} ${String(x.falsePositives).padStart(16)}  ${pct(x.rate, 2).padStart(6)}  ${pct(x.low, 2)}-${pct(x.high, 2)}`),
    '',
    r.ruleHoldsAlpha
      ? `The stopping rule keeps the false-positive rate at its nominal ${pct(o.alpha, 0)} (the interval covers it); peeking at 1.96 does not.`
      : `The stopping rule's interval does not cover ${pct(o.alpha, 0)} in this run: rerun with more --runs (with few members per arm the normal approximation is rough).`
  ].join('\n');
}

export function register(program: Command): void {
  const campaign = program.command('campaign').description('Campaign A/B/n test tools: A/A simulation and sample size');
  campaign
    .command('aa-sim')
    .description('Simulate A/A tests: false-positive rate of the sequential stopping rule vs naive peeking')
    .option('--runs <n>', 'simulated tests', '10000')
    .option('--seed <seed>', 'seed (any text or number)', '1')
    .option('--rate <share>', 'true conversion rate of both arms', '0.1')
    .option('--per-arm <n>', 'members per arm at the final look', '2000')
    .option('--looks <n>', 'planned looks of the stopping rule', '5')
    .option('--peeks <n>', 'looks of the second naive rule (e.g. daily)', '20')
    .option('--alpha <share>', 'two-sided level', '0.05')
    .option('--spending <fn>', `alpha spending: ${SPENDING_FUNCTIONS.join(' or ')}`, 'obrien-fleming')
    .option('--json', 'print JSON', false)
    .action((raw: Record<string, unknown>) => {
      const f = parse(AaFlags, raw);
      const result = aaSimulation({ runs: f.runs, seed: f.seed, rate: f.rate, perArm: f.perArm, looks: f.looks, naivePeeks: f.peeks, alpha: f.alpha, spending: f.spending });
      process.stdout.write(f.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatAa(result)}\n`);
    });
  campaign
    .command('sample-size')
    .description('Members needed to detect a lift with sequential looks (alpha split over challengers)')
    .requiredOption('--baseline <share>', 'control conversion rate, e.g. 0.1')
    .requiredOption('--lift <abs>', 'absolute change to detect, e.g. 0.02')
    .option('--variants <n>', 'variants including the control', '2')
    .option('--alpha <share>', 'two-sided level', '0.05')
    .option('--power <share>', 'power', '0.8')
    .option('--looks <n>', 'planned looks', '5')
    .option('--spending <fn>', `alpha spending: ${SPENDING_FUNCTIONS.join(' or ')}`, 'obrien-fleming')
    .option('--json', 'print JSON', false)
    .action((raw: Record<string, unknown>) => {
      const f = parse(SizeFlags, raw);
      const size = plannedSampleSize({ baseline: f.baseline, lift: f.lift, variants: f.variants, alpha: f.alpha, power: f.power, looks: f.looks, spending: f.spending });
      process.stdout.write(
        f.json
          ? `${JSON.stringify({ ...f, ...size }, null, 2)}\n`
          : `${size.perVariant} members per variant, ${size.total} in all (maxSampleSize), to detect ${pct(f.baseline)} -> ${pct(f.baseline + f.lift)} with ${pct(f.power, 0)} power at alpha ${f.alpha}${f.variants > 2 ? ` split over ${f.variants - 1} challengers` : ''}; ${f.looks} looks inflate the fixed-sample size by ${pct(size.inflation - 1)}.\n`
      );
    });
}
