import { readFile } from 'node:fs/promises';
import { importPKCS8, SignJWT } from 'jose';
import { z } from 'zod';
import type { OrgAuthConfig } from '../config';
import { AuthError, ConfigError } from '../errors';

/** What the token endpoint answers (OAuth 2.0 token response, Salesforce flavour). */
const tokenResponse = z.object({
  access_token: z.string().min(1),
  instance_url: z.url(),
  id: z.string().optional(),
  token_type: z.string().optional(),
  scope: z.string().optional()
});
export type OrgSession = { accessToken: string; instanceUrl: string; userInfoUrl?: string };

const tokenError = z.object({ error: z.string(), error_description: z.string().optional() });

/**
 * The OAuth 2.0 JWT bearer flow, the engine's production login: an RS256 assertion signed
 * with the connected app's private key (iss = consumer key, sub = integration user,
 * aud = login URL, exp at most 3 minutes ahead, as Salesforce's "OAuth 2.0 JWT Bearer Flow
 * for Server-to-Server Integration" requires). The key is read when needed and never logged.
 */
export async function buildJwtAssertion(
  auth: Extract<OrgAuthConfig, { kind: 'jwt' }>,
  loginUrl: string,
  now: Date
): Promise<string> {
  let pem: string;
  try {
    pem = await readFile(auth.privateKeyPath, 'utf8');
  } catch {
    throw new ConfigError(
      'org.auth.privateKeyPath',
      'the private key file cannot be read',
      'run `asl connect` to create a key pair, or point ASL_ORG_PRIVATE_KEY_PATH at the PEM file'
    );
  }
  const key = await importPKCS8(pem, 'RS256').catch(() => {
    throw new ConfigError(
      'org.auth.privateKeyPath',
      'the file is not a PKCS#8 PEM private key',
      'convert it with `openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem`'
    );
  });
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(auth.consumerKey)
    .setSubject(auth.username)
    .setAudience(loginUrl.replace(/\/$/, ''))
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + 180)
    .sign(key);
}

async function requestToken(loginUrl: string, form: Record<string, string>): Promise<OrgSession> {
  const url = `${loginUrl.replace(/\/$/, '')}/services/oauth2/token`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString()
    });
  } catch (error) {
    throw new AuthError(`cannot reach ${url}: ${(error as Error).message}`, 'UNREACHABLE');
  }
  const body: unknown = await response.json().catch(() => ({}));
  if (!response.ok) {
    const parsed = tokenError.safeParse(body);
    const reason = parsed.success ? parsed.data.error : `HTTP ${response.status}`;
    const description = parsed.success ? (parsed.data.error_description ?? '') : '';
    throw new AuthError(`login refused by ${url}: ${reason} ${description}`.trim(), reason);
  }
  const token = tokenResponse.safeParse(body);
  if (!token.success) throw new AuthError(`unexpected token response from ${url}`, 'BAD_RESPONSE');
  return {
    accessToken: token.data.access_token,
    instanceUrl: token.data.instance_url,
    ...(token.data.id ? { userInfoUrl: token.data.id } : {})
  };
}

/** Logs in with the configured flow and returns a session (token + instance URL). */
export async function login(auth: OrgAuthConfig, loginUrl: string, now: Date = new Date()): Promise<OrgSession> {
  if (auth.kind === 'jwt') {
    const assertion = await buildJwtAssertion(auth, loginUrl, now);
    return requestToken(loginUrl, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
  }
  return requestToken(loginUrl, {
    grant_type: 'password',
    client_id: auth.clientId,
    client_secret: auth.clientSecret,
    username: auth.username,
    password: auth.password
  });
}
