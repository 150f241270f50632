import type { Command } from 'commander';
import { z } from 'zod';
import { runAssignment, type AssignRunResult } from '../../features/assignment/assignRun';
import { connect, integrationUserId, ORG_OPTION_HELP, parseFlags, print, stationFlag } from './orgFlags';

/**
 * `asl assign`: one assignment run at a station, as the engine does on every new lead: the
 * waiting leads (owned by the integration user) are drawn through the blocks, ledger rows
 * and owners written. `--dry-run` shows the draws without writing anything.
 */
const Flags = z.object({
  station: stationFlag,
  dryRun: z.boolean().default(false),
  bulk: z.boolean().default(false),
  limit: z.coerce.number({ error: '--limit must be a number' }).int('--limit must be a whole number').min(1, '--limit must be at least 1').max(2000, '--limit must be at most 2000 (one query page)').default(2000),
  org: z.string().optional(),
  json: z.boolean().default(false)
});

export function formatAssign(result: AssignRunResult): string {
  const byRep = new Map<string, number>();
  for (const row of result.rows) byRep.set(row.repId, (byRep.get(row.repId) ?? 0) + 1);
  const reasons = new Map<string, number>();
  for (const wait of result.waiting) reasons.set(wait.detail, (reasons.get(wait.detail) ?? 0) + 1);
  return [
    `${result.dryRun ? 'Dry run: would assign' : 'Assigned'} ${result.rows.length} lead(s) at ${result.station}${result.repaired ? `, repaired ${result.repaired} owner(s) from the ledger` : ''}; ${result.waiting.length} waiting; ${result.apiCalls} API call(s) (${result.readCalls} read).`,
    result.gate.limitedBy === null
      ? `  flow: nothing downstream limits ${result.station}`
      : `  flow: ${result.station} may release ${result.gate.mayRelease} now (limited by ${result.gate.limitedBy}: ${result.gate.reason}); ${result.held} held back`,
    ...result.gate.rates.map((r) => `  share ${r.from} -> ${r.to}: ${r.share.toFixed(3)} ${r.source === 'measured' ? `measured (${r.moves} of ${r.exits} leavers)` : `cautious prior (only ${r.exits} leavers in the history window)`}`),
    ...[...byRep.entries()].sort((a, b) => b[1] - a[1]).map(([rep, n]) => `  ${rep}  ${n}`),
    ...[...reasons.entries()].map(([detail, n]) => `  waiting ${n}: ${detail}`),
    ...result.failed.slice(0, 10).map((failure) => `  FAILED ${failure.key}: ${failure.errorCode} ${failure.message ?? ''}`)
  ].join('\n');
}

export function register(program: Command): void {
  program
    .command('assign')
    .description('Assign the leads waiting at a station by stratified permuted blocks (ledger + owners)')
    .option('--station <key>', 'Station__c Key__c', 'SDR_CALL')
    .option('--dry-run', 'show the draws, write nothing', false)
    .option('--bulk', 'every waiting lead, however many, read and written through Bulk API 2.0 (large backlogs)', false)
    .option('--limit <n>', 'most waiting leads read in this run (oldest first)', '2000')
    .option('--org <target>', ORG_OPTION_HELP)
    .option('--json', 'print JSON', false)
    .action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(Flags, raw);
      if (flags.bulk && flags.dryRun) throw new Error('--bulk writes through Bulk API 2.0 and has no dry run: leave out --bulk to see the first draws, or --dry-run to assign');
      const client = await connect(flags.org);
      const result = await runAssignment(client, {
        station: flags.station,
        now: new Date(),
        unassignedOwnerId: integrationUserId(client),
        takesUnstationed: flags.station === 'SDR_CALL',
        dryRun: flags.dryRun,
        batchLimit: flags.limit,
        bulk: flags.bulk
      });
      print(flags.json, result, () => formatAssign(result));
      if (result.failed.length > 0) process.exitCode = 1;
    });
}
