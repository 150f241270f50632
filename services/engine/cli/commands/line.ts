import path from 'node:path';
import type { Command } from 'commander';
import { loadLine, readLine } from '../setup/line';
import { connectSetupTarget } from '../setup/sfOrg';
import { ORG_OPTION_HELP, print } from './orgFlags';

/** `asl line load`: stations then rules from a line file, upserted by Key__c. */
export function register(program: Command): void {
  const line = program.command('line').description('the line definition: stations and rules');
  line
    .command('load')
    .description('upsert stations, then rules, by Key__c from a line file (default config/default-line.json)')
    .option('--file <file>', 'line file', path.join('config', 'default-line.json'))
    .option('--org <target>', `${ORG_OPTION_HELP}, or sf:<alias> (an admin logged in with the Salesforce CLI)`)
    .option('--json', 'print JSON', false)
    .action(async (raw: { file: string; org?: string; json?: boolean }) => {
      const file = readLine(raw.file);
      const client = await connectSetupTarget(raw.org);
      const result = await loadLine(client, file);
      print(raw.json === true, result, () => `Loaded ${result.stations} stations and ${result.rules} rules (${result.created} created, the rest updated)`);
    });
}
