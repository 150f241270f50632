/**
 * Authentication contract: the OAuth 2.0 JWT bearer flow as the engine uses it in
 * production (Salesforce Help: "OAuth 2.0 JWT Bearer Flow for Server-to-Server
 * Integration"), the local-only shortcuts (password grant, SOAP login), and sessions
 * (REST API Developer Guide: "Status Codes and Error Responses": 401 INVALID_SESSION_ID).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsforce, { type Connection } from 'jsforce';
import { SignJWT, exportSPKI, generateKeyPair, type KeyLike } from 'jose';
import { ADMIN, API_VERSION, LOCAL_PASSWORD, startOrg, testClock, type TestOrg } from './harness';

const CONSUMER_KEY = '3MVG9-local-engine';
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

let t: TestOrg;
let privateKey: KeyLike;
let otherKey: KeyLike;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const dir = mkdtempSync(join(tmpdir(), 'local-org-jwt-'));
  const publicKeyPath = join(dir, 'server.pub.pem');
  writeFileSync(publicKeyPath, await exportSPKI(pair.publicKey));
  t = await startOrg({ jwt: { consumerKey: CONSUMER_KEY, publicKeyPath, audiences: ['https://login.salesforce.com'] }, sessionTimeoutSeconds: 7200 }, testClock());
  t.org.store.insert('User', { Username: 'engine@asl.local', LastName: 'Engine', Email: 'engine@asl.local' });
  t.org.store.insert('User', { Username: 'gone@asl.local', LastName: 'Gone', Email: 'gone@asl.local', IsActive: false });
});

afterAll(() => t.close());

interface Claims {
  iss?: string;
  sub?: string;
  aud?: string;
  expiresInSeconds?: number;
}

async function assertion(claims: Claims = {}, key: KeyLike = privateKey): Promise<string> {
  const now = Math.floor(t.clock.now().getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(claims.iss ?? CONSUMER_KEY)
    .setSubject(claims.sub ?? 'engine@asl.local')
    .setAudience(claims.aud ?? t.url)
    .setExpirationTime(now + (claims.expiresInSeconds ?? 180))
    .sign(key);
}

async function jwtLogin(claims: Claims = {}, key?: KeyLike): Promise<Connection> {
  const conn = new jsforce.Connection({ loginUrl: t.url, version: API_VERSION });
  await conn.authorize({ grant_type: JWT_GRANT, assertion: await assertion(claims, key) });
  return conn;
}

async function oauthError(promise: Promise<unknown>): Promise<{ error: string; description: string }> {
  try {
    await promise;
  } catch (error) {
    return { error: (error as Error).name, description: (error as Error).message };
  }
  throw new Error('expected an OAuth error');
}

describe('JWT bearer flow', () => {
  it('issues a session for a signed assertion and the session works', async () => {
    const conn = await jwtLogin();
    expect(conn.instanceUrl).toBe(t.url);
    const identity = await conn.identity();
    expect(identity).toMatchObject({ username: 'engine@asl.local', organization_id: t.org.store.orgId });
    const result = await conn.query('SELECT Username FROM User WHERE Username = \'engine@asl.local\'');
    expect(result.totalSize).toBe(1);
  });

  it('answers the token response fields Salesforce returns', async () => {
    const response = await fetch(`${t.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: JWT_GRANT, assertion: await assertion() }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'id', 'instance_url', 'issued_at', 'scope', 'signature', 'token_type']);
    expect(body.token_type).toBe('Bearer');
    expect(body.id).toMatch(new RegExp(`/id/${t.org.store.orgId}/005[A-Za-z0-9]{15}$`));
  });

  it('accepts a configured audience such as https://login.salesforce.com', async () => {
    await expect(jwtLogin({ aud: 'https://login.salesforce.com' })).resolves.toBeDefined();
  });

  it('rejects a wrong issuer, audience, signature, expiry and user with Salesforce OAuth errors', async () => {
    expect(await oauthError(jwtLogin({ iss: 'someone-else' }))).toEqual({ error: 'invalid_client_id', description: 'client identifier invalid' });
    expect(await oauthError(jwtLogin({ aud: 'https://evil.example.com' }))).toEqual({ error: 'invalid_grant', description: 'audience is invalid' });
    expect(await oauthError(jwtLogin({}, otherKey))).toEqual({ error: 'invalid_grant', description: 'invalid assertion' });
    expect(await oauthError(jwtLogin({ expiresInSeconds: -60 }))).toEqual({ error: 'invalid_grant', description: 'expired authorization code' });
    expect(await oauthError(jwtLogin({ sub: 'nobody@asl.local' }))).toEqual({ error: 'invalid_grant', description: "user hasn't approved this consumer" });
    expect(await oauthError(jwtLogin({ sub: 'gone@asl.local' }))).toEqual({ error: 'invalid_grant', description: 'inactive user' });
  });
});

describe('local-only shortcuts', () => {
  it('signs in through the OAuth password grant with the local password', async () => {
    const conn = new jsforce.Connection({ oauth2: { loginUrl: t.url, clientId: 'local', clientSecret: 'local' }, version: API_VERSION });
    const info = await conn.login(ADMIN, LOCAL_PASSWORD);
    expect(info.organizationId).toBe(t.org.store.orgId);
    const bad = new jsforce.Connection({ oauth2: { loginUrl: t.url, clientId: 'local', clientSecret: 'local' }, version: API_VERSION });
    expect(await oauthError(bad.login(ADMIN, 'wrong'))).toEqual({ error: 'invalid_grant', description: 'authentication failure' });
  });

  it('signs in through SOAP login(), which plain jsforce login() uses', async () => {
    const conn = new jsforce.Connection({ loginUrl: t.url, version: API_VERSION });
    const info = await conn.login(ADMIN, LOCAL_PASSWORD);
    expect(info.id).toMatch(/^005/);
    expect((await conn.query('SELECT COUNT() FROM User')).totalSize).toBeGreaterThan(0);
    const bad = new jsforce.Connection({ loginUrl: t.url, version: API_VERSION });
    await expect(bad.login(ADMIN, 'wrong')).rejects.toThrow('INVALID_LOGIN');
  });
});

describe('sessions', () => {
  it('answers 401 INVALID_SESSION_ID for an unknown token', async () => {
    const response = await fetch(`${t.url}/services/data/v62.0/limits`, { headers: { authorization: 'Bearer 00D!nope' } });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });

  it('expires a session after the session timeout', async () => {
    const conn = await jwtLogin();
    t.clock.advance(7200 * 1000 + 1);
    const response = await fetch(`${t.url}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${conn.accessToken}` } });
    expect(response.status).toBe(401);
  });

  it('revokes a token through /services/oauth2/revoke', async () => {
    const conn = await jwtLogin();
    const revoke = await fetch(`${t.url}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: conn.accessToken as string }),
    });
    expect(revoke.status).toBe(200);
    const after = await fetch(`${t.url}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${conn.accessToken}` } });
    expect(after.status).toBe(401);
  });
});
