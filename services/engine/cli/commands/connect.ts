import type { Command } from 'commander';
import { formatConnect, runConnect } from '../setup/connect';
import { print } from './orgFlags';

/** `asl connect`: key pair, connected app settings, engine config, and a JWT login that proves it. */
export function register(program: Command): void {
  program
    .command('connect')
    .description('create the JWT key pair, print the connected app settings, store the engine config and log in as the integration user')
    .option('--alias <alias>', 'name of this org connection (default: "local" with --org local, else "default")')
    .option('--login-url <url>', 'https://login.salesforce.com, https://test.salesforce.com or a My Domain URL')
    .option('--username <username>', 'the integration user username')
    .option('--consumer-key <key>', 'the connected app consumer key (once the app exists)')
    .option('--org <target>', '"local" or a local org URL: registers the app with the local org and logs in')
    .option('--dir <dir>', 'where the key and config go (default ~/.config/sales-assembly-line/<alias>)')
    .option('--out <file>', 'write the connected app settings to this file')
    .option('--rotate-key', 'replace an existing key pair', false)
    .option('--namespace <ns>', 'managed package namespace prefix, empty when unpackaged', process.env.ASL_NAMESPACE ?? '')
    .option('--json', 'print JSON', false)
    .action(async (raw: Record<string, unknown>) => {
      const result = await runConnect(raw as Parameters<typeof runConnect>[0]);
      print(raw.json === true, result, () => formatConnect(result));
    });
}
