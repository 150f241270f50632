import { existsSync } from 'node:fs';
import { loadConfig, type EngineConfig } from '../config';
import { ConfigError } from '../errors';
import { connectOrg, type OrgClient } from '../org/connection';

/**
 * The `--org` option every org-facing `asl` command takes:
 *   --org local                 the local org of `npm start` (http://127.0.0.1:4290)
 *   --org http://127.0.0.1:PORT a local org on another address
 *   --org path/to/engine.json   a real org: the engine configuration file (JWT bearer flow)
 * Without --org, ASL_CONFIG (or the ASL_* environment) configures the org.
 * The local targets log in as the demo floor's integration user with the local-only password
 * grant, which a real org never accepts.
 */
export const ORG_OPTION_HELP = 'org to use: "local", a local org URL, or an engine config JSON file (default: ASL_CONFIG / ASL_* env)';

export const LOCAL_ORG_URL = 'http://127.0.0.1:4290';
export const LOCAL_INTEGRATION_USERNAME = 'engine.integration@asl-floor.example';
const LOCAL_PASSWORD = 'local-org';

export function localOrgConfig(url: string, env: Record<string, string | undefined> = process.env): EngineConfig {
  return loadConfig({
    env: {},
    overrides: {
      'org.loginUrl': url,
      'org.auth': {
        kind: 'password',
        clientId: 'asl-local-demo',
        username: env.ASL_LOCAL_USERNAME ?? LOCAL_INTEGRATION_USERNAME,
        password: env.ASL_LOCAL_PASSWORD ?? LOCAL_PASSWORD
      },
      namespace: env.ASL_NAMESPACE ?? ''
    }
  });
}

export function resolveOrgConfig(target: string | undefined, env: Record<string, string | undefined> = process.env): EngineConfig {
  if (!target) return loadConfig({ env });
  if (target === 'local') return localOrgConfig(env.ASL_LOCAL_ORG_URL ?? LOCAL_ORG_URL, env);
  if (/^https?:\/\//.test(target)) {
    const host = new URL(target).hostname;
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') {
      throw new ConfigError('--org', `${target} is not a local org address`, 'for a real org pass the engine config file (see `asl connect`)');
    }
    return localOrgConfig(target, env);
  }
  if (!existsSync(target)) throw new ConfigError('--org', `no file ${target}`, 'pass "local", a local org URL, or the path of an engine config JSON file');
  return loadConfig({ env, file: target });
}

export async function connectFromOption(target: string | undefined): Promise<OrgClient> {
  return connectOrg(resolveOrgConfig(target));
}
