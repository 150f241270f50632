import type { Command } from 'commander';
import { z } from 'zod';
import { formatAuditReport } from '../../core/assignment';
import { auditFromOrg } from '../../features/assignment/audit';
import { connect, instantFlag, ORG_OPTION_HELP, parseFlags, print } from './orgFlags';

/**
 * `asl audit --from --to [--station]`: replays the period's ledger from its seeds, checks it
 * reproduces exactly, and prints the equality report with p-values (docs/assignment.md).
 * Exit code 2 when the ledger does not reproduce.
 */
const Flags = z
  .object({
    from: instantFlag('from'),
    to: instantFlag('to'),
    station: z.string().regex(/^[A-Za-z0-9_]{1,40}$/, '--station must be a Station__c Key__c such as SDR_CALL').optional(),
    seed: z.string().default('audit'),
    org: z.string().optional(),
    json: z.boolean().default(false)
  })
  .refine((flags) => flags.from < flags.to, { message: '--from must be before --to' });

export function register(program: Command): void {
  program
    .command('audit')
    .description('Replay the assignment ledger of a period and print the equality report')
    .requiredOption('--from <date>', 'start of the period (ISO date or date-time, included)')
    .requiredOption('--to <date>', 'end of the period (excluded)')
    .option('--station <key>', 'only this Station__c Key__c')
    .option('--seed <seed>', 'seed of the permutation tests', 'audit')
    .option('--org <target>', ORG_OPTION_HELP)
    .option('--json', 'print JSON', false)
    .action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(Flags, raw);
      const client = await connect(flags.org);
      const audit = await auditFromOrg(client, { from: flags.from, to: flags.to, ...(flags.station ? { station: flags.station } : {}), seed: flags.seed });
      print(flags.json, audit, () => `${audit.rows} ledger row(s) read in ${audit.apiCalls} API call(s)\n${formatAuditReport(audit.report)}`);
      if (!audit.report.replay.reproduced) process.exitCode = 2;
    });
}
