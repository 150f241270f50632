import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './errors';

/**
 * The engine's configuration: one shape, validated at start. Values come from a JSON file
 * (ASL_CONFIG or --config) overlaid by environment variables, so secrets can stay in the
 * environment or a secret store and never in a committed file. The private key itself is
 * never part of the configuration: only the path to it.
 */
const jwtAuth = z.object({
  kind: z.literal('jwt'),
  consumerKey: z.string().min(1, 'the connected app consumer key'),
  username: z.string().min(3, 'the integration user username'),
  privateKeyPath: z.string().min(1, 'path to the PEM private key of the connected app certificate')
});

/** OAuth username-password grant: for the local org and sandboxes only, never production. */
const passwordAuth = z.object({
  kind: z.literal('password'),
  clientId: z.string().min(1),
  clientSecret: z.string().default(''),
  username: z.string().min(3),
  password: z.string().min(1)
});

export const engineConfigSchema = z.object({
  org: z.object({
    loginUrl: z.url().default('https://login.salesforce.com'),
    apiVersion: z.string().regex(/^\d{2}\.0$/, 'like 66.0').default('66.0'),
    auth: z.discriminatedUnion('kind', [jwtAuth, passwordAuth]),
    /** A request with no answer after this long is aborted (and retried when safe to repeat). */
    requestTimeoutMs: z.number().int().min(1000, 'at least 1000 ms').max(3_600_000, 'at most 3600000 ms (an hour)').default(120_000),
    /** After the org's daily API limit answer, nothing is sent for this long before one probe. */
    limitPauseMs: z.number().int().min(1000, 'at least 1000 ms').max(86_400_000, 'at most 86400000 ms (a day)').default(300_000)
  }),
  namespace: z
    .string()
    .regex(/^([A-Za-z][A-Za-z0-9]{0,14})?$/, 'a managed package namespace prefix, or empty')
    .default(''),
  writes: z
    .object({
      /** Above this many records a write goes through Bulk API 2.0 instead of collections. */
      bulkThreshold: z.number().int().min(200).default(2000)
    })
    .default({ bulkThreshold: 2000 }),
  retry: z
    .object({
      maxAttempts: z.number().int().min(1).max(20).default(6),
      baseDelayMs: z.number().int().min(1).default(250),
      maxDelayMs: z.number().int().min(1).default(30_000)
    })
    .default({ maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 30_000 }),
  http: z
    .object({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(4292),
      /** Shared secret for the engine's HTTP API (Bearer). Required whenever http is served. */
      token: z.string().min(24, 'at least 24 characters').optional()
    })
    .default({ host: '127.0.0.1', port: 4292 })
});

export type EngineConfig = z.infer<typeof engineConfigSchema>;
export type OrgAuthConfig = EngineConfig['org']['auth'];

type Env = Record<string, string | undefined>;

/** Environment variables that override the file, by dotted setting path. */
const ENV_SETTINGS: ReadonlyArray<[string, string, 'string' | 'number']> = [
  ['ASL_ORG_LOGIN_URL', 'org.loginUrl', 'string'],
  ['ASL_API_VERSION', 'org.apiVersion', 'string'],
  ['ASL_REQUEST_TIMEOUT_MS', 'org.requestTimeoutMs', 'number'],
  ['ASL_LIMIT_PAUSE_MS', 'org.limitPauseMs', 'number'],
  ['ASL_ORG_AUTH', 'org.auth.kind', 'string'],
  ['ASL_ORG_USERNAME', 'org.auth.username', 'string'],
  ['ASL_ORG_CONSUMER_KEY', 'org.auth.consumerKey', 'string'],
  ['ASL_ORG_PRIVATE_KEY_PATH', 'org.auth.privateKeyPath', 'string'],
  ['ASL_ORG_CLIENT_ID', 'org.auth.clientId', 'string'],
  ['ASL_ORG_CLIENT_SECRET', 'org.auth.clientSecret', 'string'],
  ['ASL_ORG_PASSWORD', 'org.auth.password', 'string'],
  ['ASL_NAMESPACE', 'namespace', 'string'],
  ['ASL_BULK_THRESHOLD', 'writes.bulkThreshold', 'number'],
  ['ASL_HTTP_HOST', 'http.host', 'string'],
  ['ASL_HTTP_PORT', 'http.port', 'number'],
  ['ASL_HTTP_TOKEN', 'http.token', 'string']
];

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError('ASL_CONFIG', `cannot read ${path}`, 'point ASL_CONFIG (or --config) at a readable JSON file');
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError('ASL_CONFIG', `${path} is not valid JSON (${(error as Error).message})`, 'fix the JSON syntax');
  }
}

/** Builds and validates the configuration; every problem names the setting and its fix. */
export function loadConfig(options: { env?: Env; file?: string; overrides?: Record<string, unknown> } = {}): EngineConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? env.ASL_CONFIG;
  const raw: Record<string, unknown> = file ? readConfigFile(file) : {};
  for (const [name, path, type] of ENV_SETTINGS) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const parsed = type === 'number' ? Number(value) : value;
    if (type === 'number' && !Number.isFinite(parsed)) {
      throw new ConfigError(name, `"${value}" is not a number`, `set ${name} to a number`);
    }
    setPath(raw, path, parsed);
  }
  for (const [path, value] of Object.entries(options.overrides ?? {})) setPath(raw, path, value);
  return parseConfig(raw);
}

export function parseConfig(raw: unknown): EngineConfig {
  const result = engineConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const setting = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
  const envName = ENV_SETTINGS.find(([, path]) => path === setting)?.[0];
  const fix = envName ? `set ${setting} in the config file or ${envName} in the environment` : `set ${setting} in the config file`;
  throw new ConfigError(setting, issue?.message ?? 'invalid', fix);
}
