import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Connection } from 'jsforce';
import { z } from 'zod';
import { parseConfig } from '../../config';
import { ConfigError } from '../../errors';
import type { OrgClient } from '../../org/connection';
import { connectFromOption } from '../orgOption';

const run = promisify(execFile);

/** `sf org display --json` (Salesforce CLI Command Reference: org display). */
const displaySchema = z.object({
  result: z.object({ accessToken: z.string().min(1), instanceUrl: z.url(), id: z.string().optional(), username: z.string(), apiVersion: z.string().optional() })
});

export function parseSfDisplay(stdout: string): z.infer<typeof displaySchema>['result'] {
  const parsed = displaySchema.safeParse(JSON.parse(stdout));
  if (!parsed.success) throw new ConfigError('--org sf:<alias>', 'sf org display answered no session', 'log in first: sf org login web --alias <alias>');
  return parsed.data.result;
}

/**
 * An admin's session borrowed from the Salesforce CLI (`sf:<alias>`): setup steps that the
 * least-privilege integration user may not do (load stations, read permission set
 * assignments) run as the admin who is logged in with `sf`, and no new secret is stored.
 */
export async function connectSfAlias(alias: string, namespace = process.env.ASL_NAMESPACE ?? ''): Promise<OrgClient> {
  const { stdout } = await run('sf', ['org', 'display', '--target-org', alias, '--json'], { maxBuffer: 4 * 1024 * 1024 }).catch((error: unknown) => {
    throw new ConfigError('--org', `sf org display --target-org ${alias} failed: ${(error as Error).message.split('\n')[0] ?? ''}`, `log in with: sf org login web --alias ${alias}`);
  });
  const session = parseSfDisplay(stdout);
  const config = parseConfig({
    org: { loginUrl: session.instanceUrl, auth: { kind: 'password', clientId: 'sf-cli', username: session.username, password: 'unused: the session comes from sf' } },
    namespace
  });
  const conn = new Connection({ instanceUrl: session.instanceUrl, accessToken: session.accessToken, version: config.org.apiVersion });
  const identity = (await conn.identity()) as { user_id: string };
  let calls = 1;
  return {
    conn,
    config,
    userId: identity.user_id,
    apiCalls: () => calls,
    noteCall: () => {
      calls += 1;
    },
    orgApiUsage: () => undefined
  };
}

/** --org for the setup commands: everything `--org` takes, plus `sf:<alias>`. */
export async function connectSetupTarget(target: string | undefined): Promise<OrgClient> {
  if (target?.startsWith('sf:')) return connectSfAlias(target.slice(3));
  return connectFromOption(target);
}
