import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, importPKCS8 } from 'jose';
import { createLocalOrg, type LocalOrg } from '../server';

/**
 * LOCAL-ONLY: POST /_local/connected-apps stands in for an admin creating a connected app with
 * "Use digital signatures" in Setup; afterwards the JWT bearer flow (Salesforce Help: "OAuth
 * 2.0 JWT Bearer Flow for Server-to-Server Integration") accepts assertions signed by its key.
 */
describe('POST /_local/connected-apps', () => {
  let org: LocalOrg;
  let url: string;
  beforeAll(async () => {
    org = createLocalOrg({});
    ({ url } = await org.listen(0, '127.0.0.1'));
  });
  afterAll(() => org.close());

  const token = (body: Record<string, string>) =>
    fetch(`${url}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() });

  async function assertion(privateKey: string, iss: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setIssuer(iss).setSubject('admin@asl.local').setAudience(url).setIssuedAt(now).setExpirationTime(now + 180).sign(await importPKCS8(privateKey, 'RS256'));
  }

  it('rejects a body without a PEM key', async () => {
    const response = await fetch(`${url}/_local/connected-apps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ consumerKey: 'k', publicKeyPem: 'nope' }) });
    expect(response.status).toBe(400);
  });

  it('registers the key, after which the JWT bearer flow logs in, and replaces the previous app', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const grant = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
    const before = await token({ grant_type: grant, assertion: await assertion(pair.privateKey, 'app-1') });
    expect(await before.json()).toEqual({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
    const created = await fetch(`${url}/_local/connected-apps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ consumerKey: 'app-1', publicKeyPem: pair.publicKey }) });
    expect(created.status).toBe(201);
    const after = await token({ grant_type: grant, assertion: await assertion(pair.privateKey, 'app-1') });
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ token_type: 'Bearer', instance_url: url });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    await fetch(`${url}/_local/connected-apps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ consumerKey: 'app-2', publicKeyPem: other.publicKey }) });
    const old = await token({ grant_type: grant, assertion: await assertion(pair.privateKey, 'app-1') });
    expect((await old.json()) as { error: string }).toMatchObject({ error: 'invalid_client_id' });
  });
});
