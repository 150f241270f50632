import type { Command } from 'commander';
import { z } from 'zod';
import { analyzeFit, type FitAnalysis } from '../../features/planning';
import { connect, ORG_OPTION_HELP, parseFlags, print } from './orgFlags';

/**
 * `asl fit analyze`: the kaizen fit survey against outcomes (docs/planning.md, "Fit"): win
 * rate by fit band, the logistic fit of win on score, and the open deals whose fit predicts a
 * loss, with the value of dropping them.
 */
const FitFlags = z.object({
  threshold: z.coerce.number({ error: '--threshold must be a number' }).gt(0, '--threshold must be above 0').lt(1, '--threshold must be below 1').default(0.1),
  valuePerHour: z.coerce.number({ error: '--value-per-hour must be a number' }).nonnegative('--value-per-hour must be 0 or more').default(0),
  hoursRemaining: z.coerce.number({ error: '--hours-remaining must be a number' }).nonnegative().optional(),
  limit: z.coerce.number().int().positive().default(20),
  org: z.string().optional(),
  json: z.boolean().default(false)
});

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const money = (x: number) => Math.round(x).toLocaleString('en-US');

export function formatFit(a: FitAnalysis, limit: number): string {
  const lines = [
    `${a.closed} closed deals with a fit score, ${a.open} open, ${a.unscored} without a score.`,
    '  band   deals  won  win rate  95% interval',
    ...a.bands.map((b) => `  ${b.band.padEnd(6)} ${String(b.deals).padStart(5)} ${String(b.won).padStart(4)}  ${pct(b.winRate).padStart(8)}  ${pct(b.ciLow)}-${pct(b.ciHigh)}`),
    '',
    a.explanation
  ];
  if (a.model.separated) {
    lines.push('', 'No drop advice: the scores split wins and losses perfectly, so no finite model exists yet.');
    return lines.join('\n');
  }
  const flagged = a.advice.filter((x) => x.flagged);
  lines.push('', `${flagged.length} open deals predicted below ${pct(a.threshold)} to win; ${a.advice.filter((x) => x.recommendDrop).length} recommended to drop.`);
  for (const x of flagged.slice(0, limit)) lines.push(`  ${x.opportunityId}  score ${x.score}  win ${pct(x.winChance)} (${pct(x.winChanceLow)}-${pct(x.winChanceHigh)})  ${x.recommendDrop ? 'DROP' : 'keep'}  value of dropping ${money(x.expectedValueOfDropping)}`);
  return lines.join('\n');
}

export function register(program: Command): void {
  const fit = program.command('fit').description('Fit survey (kaizen): fit score against outcome, and deals to drop');
  fit
    .command('analyze')
    .description('Win rate by fit band, logistic fit of win on score, and drop advice for open deals')
    .option('--threshold <p>', 'flag open deals whose predicted win chance is below this', '0.1')
    .option('--value-per-hour <amount>', 'revenue an AE hour earns on other deals (0: never worth dropping for time)', '0')
    .option('--hours-remaining <h>', 'selling hours an open deal still needs (default 6)')
    .option('--limit <n>', 'flagged deals to list', '20')
    .option('--org <target>', ORG_OPTION_HELP)
    .option('--json', 'print JSON', false)
    .action(async (raw: Record<string, unknown>) => {
      const f = parseFlags(FitFlags, raw);
      const result = await analyzeFit(await connect(f.org), { threshold: f.threshold, valuePerHour: f.valuePerHour, ...(f.hoursRemaining !== undefined ? { hoursRemaining: f.hoursRemaining } : {}) });
      print(f.json, result, () => formatFit(result, f.limit));
    });
}
