import type { Command } from 'commander';
import { z } from 'zod';
import { aaSimulation, plannedSampleSize, SPENDING_FUNCTIONS, type AaResult, type CampaignResult, type ListReport, type SourceRoi } from '../../core/campaigns';
import { allocateCampaign, campaignResults, listQualityReport, roiReport } from '../../features/campaigns';
import { connect, ORG_OPTION_HELP, print } from './orgFlags';

/**
 * `asl campaign`: campaign tests (docs/campaigns.md).
 *   asl campaign aa-sim        false-positive rate of the stopping rule vs naive peeking
 *   asl campaign sample-size   planned sample for an A/B/n test with sequential looks
 *   asl campaign allocate      (org) members of a campaign test -> CampaignMember.Variant__c
 *   asl campaign results       (org) a sequential look; writes Campaign_Test__c
 *   asl campaign lists         (org) contact and qualification rate per lead list
 *   asl campaign roi           (org) leads, meetings, wins and ROI per lead source
 */
const OrgFlags = z.object({ org: z.string().optional(), json: z.boolean().default(false) });
const CampaignFlags = OrgFlags.extend({
  campaign: z.string({ error: '--campaign is required: a Campaign id or a Campaign_Test__c id' }).regex(/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/, '--campaign must be a Campaign or Campaign_Test__c record id')
});
const ReportFlags = OrgFlags.extend({ seed: z.string().default('1') });
const RoiFlags = ReportFlags.extend({
  costs: z
    .string()
    .default('')
    .transform((text, ctx) => {
      const out: Record<string, number> = {};
      for (const part of text.split(',').filter((p) => p.trim() !== '')) {
        const [source, amount] = part.split('=');
        const value = Number(amount);
        if (!source?.trim() || !Number.isFinite(value) || value < 0) {
          ctx.addIssue({ code: 'custom', message: `--costs: "${part}" is not Source=amount (e.g. Web=12000,Purchased List=3000)` });
          return z.NEVER;
        }
        out[source.trim()] = value;
      }
      return out;
    })
});

export function formatResults(r: CampaignResult): string {
  return [
    `${r.status}${r.winner ? `, winner ${r.winner}` : ''}${r.pValue !== null ? `, p = ${r.pValue.toFixed(4)}` : ''}. ${r.summary}`,
    '  variant  members  conversions  rate     95% interval',
    ...r.variantsNow.map((v) => `  ${v.variant.padEnd(7)} ${String(v.trials).padStart(8)} ${String(v.conversions).padStart(12)}  ${pct(v.rate).padStart(6)}  ${pct(v.low)}-${pct(v.high)}`),
    `Looks so far: ${r.looks.length} of ${r.plan.plannedLooks} planned (max sample ${r.plan.maxSampleSize}).`
  ].join('\n');
}

export function formatLists(r: ListReport): string {
  return [
    '  list                          leads  contact                qualified',
    ...r.lists.map((l) => `  ${l.listName.slice(0, 28).padEnd(28)} ${String(l.leads).padStart(6)}  ${pct(l.contact.rate).padStart(6)} (${pct(l.contact.low)}-${pct(l.contact.high)})  ${pct(l.qualification.rate).padStart(6)} (${pct(l.qualification.low)}-${pct(l.qualification.high)})`),
    `Contact rates differ between lists: p = ${r.contactDiffers.pValue.toFixed(4)}; qualification rates: p = ${r.qualificationDiffers.pValue.toFixed(4)} (${r.contactDiffers.method}).`
  ].join('\n');
}

export function formatRoi(rows: readonly SourceRoi[]): string {
  const money = (x: number | null) => (x === null ? '-' : Math.round(x).toLocaleString('en-US'));
  return [
    '  source                 leads  meetings  wins  revenue      cost         ROI',
    ...rows.map((s) => `  ${s.source.slice(0, 22).padEnd(22)} ${String(s.leads).padStart(6)} ${String(s.meetings).padStart(9)} ${String(s.wins).padStart(5)}  ${money(s.revenue).padStart(11)}  ${money(s.cost).padStart(11)}  ${s.roi === null ? '-' : `${s.roi.toFixed(2)} (${s.roiLow?.toFixed(2)}..${s.roiHigh?.toFixed(2)})`}`)
  ].join('\n');
}
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
  campaign
    .command('allocate')
    .description('Allocate the members of a campaign test to its variants (seeded permuted blocks; writes CampaignMember.Variant__c)')
    .requiredOption('--campaign <id>', 'Campaign id or Campaign_Test__c id')
    .option('--org <target>', ORG_OPTION_HELP)
    .option('--json', 'print JSON', false)
    .action(async (raw: Record<string, unknown>) => {
      const f = parse(CampaignFlags, raw);
      const run = await allocateCampaign(await connect(f.org), f.campaign);
      print(f.json, run, () => `Campaign_Test__c ${run.testId}: ${run.members} members, ${run.newlyAllocated} newly allocated${run.started ? '; test started (Running)' : ''}. By variant: ${Object.entries(run.byVariant).map(([v, n]) => `${v} ${n}`).join(', ')}.`);
    });
  campaign
    .command('results')
    .description('Take a look at a running test: counts per variant, sequential test, writes Campaign_Test__c')
    .requiredOption('--campaign <id>', 'Campaign id or Campaign_Test__c id')
    .option('--org <target>', ORG_OPTION_HELP)
    .option('--json', 'print JSON', false)
    .action(async (raw: Record<string, unknown>) => {
      const f = parse(CampaignFlags, raw);
      const result = await campaignResults(await connect(f.org), f.campaign, new Date());
      print(f.json, result, () => formatResults(result));
    });
  campaign
    .command('lists')
    .description('Lead-list quality: contact and qualification rate per List_Name__c with intervals')
    .option('--seed <seed>', 'seed for the Monte Carlo test on sparse tables', '1')
    .option('--org <target>', ORG_OPTION_HELP)
    .option('--json', 'print JSON', false)
    .action(async (raw: Record<string, unknown>) => {
      const f = parse(ReportFlags, raw);
      const report = await listQualityReport(await connect(f.org), f.seed);
      print(f.json, report, () => formatLists(report));
    });
  campaign
    .command('roi')
    .description('ROI by lead source: leads, meetings, closed-won revenue, and return on the costs given')
    .option('--costs <list>', 'spend per source, e.g. "Web=12000,Purchased List=3000"', '')
    .option('--seed <seed>', 'seed for the bootstrap interval', '1')
    .option('--org <target>', ORG_OPTION_HELP)
    .option('--json', 'print JSON', false)
    .action(async (raw: Record<string, unknown>) => {
      const f = parse(RoiFlags, raw);
      const rows = await roiReport(await connect(f.org), f.costs, f.seed);
      print(f.json, rows, () => formatRoi(rows));
    });
}
