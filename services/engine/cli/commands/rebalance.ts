import type { Command } from 'commander';
import { z } from 'zod';
import { runAssignment } from '../../features/assignment/assignRun';
import { rebalance } from '../../features/assignment/jobs';
import { connect, integrationUserId, ORG_OPTION_HELP, parseFlags, print, stationFlag } from './orgFlags';

/**
 * `asl rebalance`: takes the open leads of reps who left the station, are inactive or on
 * leave, or are over their WIP cap, and redraws them through the blocks (method Rebalance).
 */
const Flags = z.object({ station: stationFlag, org: z.string().optional(), json: z.boolean().default(false) });

export function register(program: Command): void {
  program
    .command('rebalance')
    .description('Redistribute the open leads of reps who left, are on leave or over their WIP cap')
    .option('--station <key>', 'Station__c Key__c', 'SDR_CALL')
    .option('--org <target>', ORG_OPTION_HELP)
    .option('--json', 'print JSON', false)
    .action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(Flags, raw);
      const client = await connect(flags.org);
      const unassignedOwnerId = integrationUserId(client);
      const now = new Date();
      const result = await rebalance(client, {
        now,
        station: flags.station,
        unassignedOwnerId,
        assignAt: (station, extra) => runAssignment(client, { station, now, unassignedOwnerId, ...extra })
      });
      print(flags.json, { ...result, apiCalls: client.apiCalls() }, () => `${result.summary} (${client.apiCalls()} API calls)`);
    });
}
