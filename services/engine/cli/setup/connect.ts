import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseConfig, type EngineConfig } from '../../config';
import { ConfigError } from '../../errors';
import { connectOrg } from '../../org/connection';
import { LOCAL_INTEGRATION_USERNAME, LOCAL_ORG_URL } from '../orgOption';
import { connectedAppSettings } from './connectedApp';
import { assertOutsideRepository, createKeyFiles, defaultConfigDir } from './keys';

export const connectFlagsSchema = z.object({
  alias: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, '--alias: letters, digits, - and _ (e.g. prod, sandbox, local)').optional(),
  loginUrl: z.url('--login-url must be a URL such as https://login.salesforce.com or https://test.salesforce.com').optional(),
  username: z.string().min(3, '--username: the integration user username').optional(),
  consumerKey: z.string().min(1).optional(),
  org: z.string().optional(),
  dir: z.string().optional(),
  out: z.string().optional(),
  rotateKey: z.boolean().default(false),
  namespace: z.string().default('')
});
export type ConnectFlags = z.input<typeof connectFlagsSchema>;

export interface ConnectResult {
  alias: string;
  local: boolean;
  privateKeyPath: string;
  certificatePath: string;
  configPath?: string;
  keyCreated: boolean;
  settings: string;
  settingsPath?: string;
  /** Absent when the consumer key is not known yet (the app must be created in Setup first). */
  login?: { orgId: string; orgName: string; userId: string; username: string; apiUsed: number; apiMax: number };
}

function localTarget(org: string | undefined): string | undefined {
  if (org === undefined) return undefined;
  if (org === 'local') return process.env.ASL_LOCAL_ORG_URL ?? LOCAL_ORG_URL;
  if (/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(org)) return org.replace(/\/$/, '');
  throw new ConfigError('--org', `${org} is not "local" or a local org URL`, 'for a real org use --login-url and --username instead of --org');
}

/** Registers the certificate with the local org: what an admin does in Setup for a real org. */
async function registerLocalApp(loginUrl: string, consumerKey: string, certificatePath: string): Promise<void> {
  const response = await fetch(`${loginUrl}/_local/connected-apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ consumerKey, publicKeyPem: readFileSync(certificatePath, 'utf8') })
  }).catch((error: unknown) => {
    throw new ConfigError('--org', `cannot reach the local org at ${loginUrl}: ${(error as Error).message}`, 'start it with `npm start` (or pass its URL)');
  });
  if (!response.ok) throw new ConfigError('--org', `the local org refused the connected app (HTTP ${response.status})`, 'start the local org with admin endpoints enabled');
}

const limitsSchema = z.object({ DailyApiRequests: z.object({ Max: z.number(), Remaining: z.number() }) });
const orgRows = z.object({ records: z.array(z.object({ Id: z.string(), Name: z.string() })) });

async function proveLogin(config: EngineConfig): Promise<NonNullable<ConnectResult['login']>> {
  const client = await connectOrg(config);
  const org = orgRows.parse(await client.conn.query('SELECT Id, Name FROM Organization')).records[0];
  const limits = limitsSchema.parse(await client.conn.request(`/services/data/v${config.org.apiVersion}/limits`));
  const auth = config.org.auth;
  return {
    orgId: org?.Id ?? '',
    orgName: org?.Name ?? '',
    userId: client.userId ?? '',
    username: auth.username,
    apiUsed: limits.DailyApiRequests.Max - limits.DailyApiRequests.Remaining,
    apiMax: limits.DailyApiRequests.Max
  };
}

export async function runConnect(raw: ConnectFlags, now: Date = new Date()): Promise<ConnectResult> {
  const flags = connectFlagsSchema.parse(raw);
  const localUrl = localTarget(flags.org);
  const local = localUrl !== undefined;
  const alias = flags.alias ?? (local ? 'local' : 'default');
  const loginUrl = localUrl ?? flags.loginUrl ?? 'https://login.salesforce.com';
  const username = flags.username ?? (local ? LOCAL_INTEGRATION_USERNAME : undefined);
  if (username === undefined) throw new ConfigError('--username', 'missing', 'pass the integration user username, e.g. --username engine@acme.com');
  const dir = path.resolve(flags.dir ?? defaultConfigDir(alias));
  assertOutsideRepository(dir);
  const keyExists = existsSync(path.join(dir, 'server.key'));
  const files = keyExists && !flags.rotateKey
    ? { dir, privateKeyPath: path.join(dir, 'server.key'), certificatePath: path.join(dir, 'server.crt') }
    : createKeyFiles(dir, `asl-engine-${alias}`, now, { force: flags.rotateKey });
  // The local org has no Setup: the key is generated here and registered below.
  const consumerKey = flags.consumerKey ?? (local ? `asl-local-${randomBytes(12).toString('hex')}` : undefined);
  const settings = connectedAppSettings({ alias, loginUrl, username, certificatePath: files.certificatePath, ...(consumerKey ? { consumerKey } : {}) });
  const result: ConnectResult = { alias, local, privateKeyPath: files.privateKeyPath, certificatePath: files.certificatePath, keyCreated: !keyExists || flags.rotateKey, settings };
  if (flags.out) {
    writeFileSync(flags.out, settings);
    result.settingsPath = path.resolve(flags.out);
  }
  if (consumerKey === undefined) return result;
  const config = parseConfig({
    org: { loginUrl, apiVersion: '66.0', auth: { kind: 'jwt', consumerKey, username, privateKeyPath: files.privateKeyPath } },
    namespace: flags.namespace
  });
  const configPath = path.join(dir, 'engine.json');
  writeFileSync(configPath, `${JSON.stringify({ org: config.org, namespace: config.namespace }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(configPath, 0o600);
  result.configPath = configPath;
  if (local) await registerLocalApp(loginUrl, consumerKey, files.certificatePath);
  result.login = await proveLogin(config);
  return result;
}

export function formatConnect(result: ConnectResult): string {
  const lines = [
    `Key pair: ${result.keyCreated ? 'created' : 'kept'} ${result.privateKeyPath} (0600), certificate ${result.certificatePath}`
  ];
  if (result.settingsPath) lines.push(`Connected app settings written to ${result.settingsPath}`);
  else if (!result.local) lines.push('', result.settings);
  if (result.local) lines.push('Local org: connected app registered through /_local/connected-apps (the local stand-in for Setup)');
  if (result.configPath) lines.push(`Engine configuration: ${result.configPath} (use --org ${result.configPath}, or ASL_CONFIG)`);
  if (result.login) {
    const l = result.login;
    lines.push(`Logged in with the JWT bearer flow as ${l.username} (${l.userId}) to ${l.orgName} (${l.orgId}); API requests today ${l.apiUsed}/${l.apiMax}`);
    lines.push(`Next: asl doctor --org ${result.configPath ?? ''}`);
  } else {
    lines.push('Not logged in yet: create the connected app above, then rerun with --consumer-key.');
  }
  return lines.join('\n');
}
