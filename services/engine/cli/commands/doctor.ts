import type { Command } from 'commander';
import { formatDoctor, runDoctor } from '../setup/doctor';
import { connectSetupTarget } from '../setup/sfOrg';
import { connect, ORG_OPTION_HELP, print } from './orgFlags';

/** `asl doctor`: exit 0 when the org is ready for the engine, 1 when not. */
export function register(program: Command): void {
  program
    .command('doctor')
    .description("check an org's readiness for the engine; each finding comes with its fix (exit 0 ready, 1 not ready)")
    .option('--org <target>', ORG_OPTION_HELP)
    .option('--admin <target>', 'an admin session for the permission set check: sf:<alias> (Salesforce CLI login) or a local org target')
    .option('--json', 'print JSON', false)
    .action(async (raw: { org?: string; admin?: string; json?: boolean }) => {
      const client = await connect(raw.org);
      const admin = raw.admin ? await connectSetupTarget(raw.admin) : undefined;
      const report = await runDoctor(client, admin ? { admin } : {});
      print(raw.json === true, report, () => formatDoctor(report));
      process.exitCode = report.ready ? 0 : 1;
    });
}
