import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config';
import { ConfigError } from './errors';
import { connectOrg } from './org/connection';

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

  it('has the request timeout and the daily-limit pause, settable by file or environment', () => {
    expect(loadConfig({ env: jwtEnv }).org).toMatchObject({ requestTimeoutMs: 120_000, limitPauseMs: 300_000 });
    const fromEnv = loadConfig({ env: { ...jwtEnv, ASL_REQUEST_TIMEOUT_MS: '45000', ASL_LIMIT_PAUSE_MS: '600000' } });
    expect(fromEnv.org).toMatchObject({ requestTimeoutMs: 45_000, limitPauseMs: 600_000 });
    const dir = mkdtempSync(join(tmpdir(), 'asl-config-'));
    const file = join(dir, 'engine.json');
    writeFileSync(file, JSON.stringify({ org: { requestTimeoutMs: 30_000, limitPauseMs: 60_000, auth: { kind: 'jwt', username: 'file@example.com', consumerKey: 'k', privateKeyPath: 'p' } } }));
    expect(loadConfig({ env: {}, file }).org).toMatchObject({ requestTimeoutMs: 30_000, limitPauseMs: 60_000 });
    expect(loadConfig({ env: { ASL_LIMIT_PAUSE_MS: '90000' }, file }).org.limitPauseMs).toBe(90_000);
  });

  it('refuses a timeout or pause that is not a sane number of milliseconds, naming the variable', () => {
    expect(() => loadConfig({ env: { ...jwtEnv, ASL_REQUEST_TIMEOUT_MS: '2 minutes' } })).toThrow(/ASL_REQUEST_TIMEOUT_MS: "2 minutes" is not a number/);
    try {
      loadConfig({ env: { ...jwtEnv, ASL_REQUEST_TIMEOUT_MS: '50' } });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).setting).toBe('org.requestTimeoutMs');
      expect((error as ConfigError).message).toContain('ASL_REQUEST_TIMEOUT_MS');
    }
    expect(() => loadConfig({ env: { ...jwtEnv, ASL_LIMIT_PAUSE_MS: '1.5' } })).toThrow(/org\.limitPauseMs/);
  });

  describe('reaches the org connection', () => {
    // A stand-in org on loopback: it issues a token, answers every REST call with the daily
    // limit refusal (REST API Developer Guide, "Status Codes and Error Responses": 403
    // REQUEST_LIMIT_EXCEEDED "TotalRequests Limit exceeded."), and never answers /hang.
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createServer((request, response) => {
        if (request.url?.startsWith('/services/oauth2/token')) {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ access_token: '00Dfake!token', instance_url: url, id: `${url}/id/00D000000000001/005000000000001` }));
        } else if (request.url?.includes('/hang')) {
          request.resume();
        } else {
          response.writeHead(403, { 'content-type': 'application/json' });
          response.end(JSON.stringify([{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }]));
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    const passwordEnv = () => ({ ASL_ORG_LOGIN_URL: url, ASL_ORG_AUTH: 'password', ASL_ORG_CLIENT_ID: 'c', ASL_ORG_USERNAME: 'engine@example.com', ASL_ORG_PASSWORD: 'p' });

    it('pauses for the configured limitPauseMs after the daily limit answer', async () => {
      const client = await connectOrg(loadConfig({ env: { ...passwordEnv(), ASL_LIMIT_PAUSE_MS: '7200000' } }));
      const before = Date.now();
      await expect(client.conn.request('/services/data/v66.0/limits')).rejects.toThrow(/TotalRequests/);
      const after = Date.now();
      const until = client.pausedUntil?.() ?? 0;
      expect(until).toBeGreaterThanOrEqual(before + 7_200_000);
      expect(until).toBeLessThanOrEqual(after + 7_200_000);
    });

    it('aborts a request with no answer after the configured requestTimeoutMs', async () => {
      const client = await connectOrg(loadConfig({ env: { ...passwordEnv(), ASL_REQUEST_TIMEOUT_MS: '1000' } }));
      // With the 120 s default this request would outlive the test; with 1 s it is abandoned.
      await expect(client.conn.request({ method: 'POST', url: '/services/data/v66.0/hang', body: '{}', headers: { 'content-type': 'application/json' } })).rejects.toThrow();
    }, 15_000);
  });
});
