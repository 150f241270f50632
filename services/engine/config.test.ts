import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config';
import { ConfigError } from './errors';

const jwtEnv = {
  ASL_ORG_AUTH: 'jwt',
  ASL_ORG_USERNAME: 'engine@example.com',
  ASL_ORG_CONSUMER_KEY: '3MVG9-consumer-key',
  ASL_ORG_PRIVATE_KEY_PATH: '/secrets/asl/server.key'
};

describe('engine configuration', () => {
  it('builds a JWT configuration from the environment with defaults', () => {
    const config = loadConfig({ env: jwtEnv });
    expect(config.org).toMatchObject({ loginUrl: 'https://login.salesforce.com', apiVersion: '66.0', auth: { kind: 'jwt', username: 'engine@example.com' } });
    expect(config.namespace).toBe('');
    expect(config.writes.bulkThreshold).toBe(2000);
  });

  it('lets the environment override the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'asl-config-'));
    const file = join(dir, 'engine.json');
    writeFileSync(file, JSON.stringify({ namespace: 'asl', org: { loginUrl: 'https://test.salesforce.com', auth: { kind: 'jwt', username: 'file@example.com', consumerKey: 'k', privateKeyPath: 'p' } } }));
    const config = loadConfig({ env: { ASL_ORG_USERNAME: 'env@example.com' }, file });
    expect(config.namespace).toBe('asl');
    expect(config.org.loginUrl).toBe('https://test.salesforce.com');
    expect(config.org.auth.username).toBe('env@example.com');
  });

  it('names the setting and the fix when something is wrong', () => {
    expect(() => loadConfig({ env: { ...jwtEnv, ASL_NAMESPACE: 'not a namespace!' } })).toThrow(ConfigError);
    try {
      loadConfig({ env: { ...jwtEnv, ASL_ORG_CONSUMER_KEY: '' , ASL_ORG_AUTH: 'jwt' }, overrides: { 'org.auth.consumerKey': '' } });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).setting).toBe('org.auth.consumerKey');
      expect((error as ConfigError).message).toContain('ASL_ORG_CONSUMER_KEY');
    }
    expect(() => loadConfig({ env: { ...jwtEnv, ASL_HTTP_PORT: 'eighty' } })).toThrow(/ASL_HTTP_PORT: "eighty" is not a number/);
    expect(() => loadConfig({ env: {}, file: '/nonexistent/engine.json' })).toThrow(/ASL_CONFIG/);
  });
});
