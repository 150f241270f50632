import type { Command } from 'commander';
import { z } from 'zod';
import { assignPermissionSet } from '../setup/permsets';
import { connectSetupTarget } from '../setup/sfOrg';
import { ORG_OPTION_HELP, parseFlags, print } from './orgFlags';

const flags = z.object({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, '--name: a permission set API name such as ASL_Engine_Integration'),
  user: z.string().min(3, '--user: a username'),
  org: z.string().optional(),
  json: z.boolean().default(false)
});

/** `asl permsets assign`: the API twin of `sf org assign permset`, usable against the local org. */
export function register(program: Command): void {
  const permsets = program.command('permsets').description('permission set assignments');
  permsets
    .command('assign')
    .description('assign a permission set to a user (creates a PermissionSetAssignment)')
    .requiredOption('--name <name>', 'permission set API name')
    .requiredOption('--user <username>', 'username of the assignee')
    .option('--org <target>', `${ORG_OPTION_HELP}, or sf:<alias> (an admin logged in with the Salesforce CLI)`)
    .option('--json', 'print JSON', false)
    .action(async (raw: unknown) => {
      const f = parseFlags(flags, raw);
      const client = await connectSetupTarget(f.org);
      const result = await assignPermissionSet(client, f.name, f.user);
      print(f.json, result, () => (result.assigned ? `Assigned ${f.name} to ${f.user}` : `${f.user} already holds ${f.name}`));
    });
}
