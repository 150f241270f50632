/**
 * The OAuth 2.0 JWT bearer flow as Salesforce checks it (Salesforce Help: "OAuth 2.0 JWT
 * Bearer Flow for Server-to-Server Integration"): an RS256-signed assertion whose `iss` is
 * the connected app's consumer key, `aud` the login URL, `sub` the username of an active
 * user, and `exp` in the future. Failures answer Salesforce's OAuth errors
 * (`{ error, error_description }`).
 */
import { readFileSync } from 'node:fs';
import { decodeJwt, errors, importSPKI, importX509, jwtVerify, type KeyLike } from 'jose';

export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(`${error}: ${description}`);
  }
}

export interface JwtSettings {
  consumerKey: string;
  publicKeyPath: string;
  audiences: string[];
}

let cachedKey: { path: string; key: KeyLike } | undefined;

async function publicKey(path: string): Promise<KeyLike> {
  if (cachedKey?.path === path) return cachedKey.key;
  const pem = readFileSync(path, 'utf8');
  const key = pem.includes('BEGIN CERTIFICATE') ? await importX509(pem, 'RS256') : await importSPKI(pem, 'RS256');
  cachedKey = { path, key };
  return key;
}

/** The username (`sub`) of a valid assertion, or an OAuthError. */
export async function verifyAssertion(assertion: string, settings: JwtSettings, ownAudiences: string[], now: Date): Promise<string> {
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(assertion);
  } catch {
    throw new OAuthError('invalid_grant', 'invalid assertion');
  }
  if (claims.iss !== settings.consumerKey) throw new OAuthError('invalid_client_id', 'client identifier invalid');
  const audiences = [...ownAudiences, ...settings.audiences].map((aud) => aud.replace(/\/$/, ''));
  const claimed = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).filter((aud): aud is string => typeof aud === 'string');
  if (!claimed.some((aud) => audiences.includes(aud.replace(/\/$/, '')))) throw new OAuthError('invalid_grant', 'audience is invalid');
  try {
    await jwtVerify(assertion, await publicKey(settings.publicKeyPath), { algorithms: ['RS256'], currentDate: now, clockTolerance: 0 });
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new OAuthError('invalid_grant', 'expired authorization code');
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'exp') throw new OAuthError('invalid_grant', 'expired authorization code');
    throw new OAuthError('invalid_grant', 'invalid assertion');
  }
  if (typeof claims.exp !== 'number') throw new OAuthError('invalid_grant', 'invalid assertion');
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new OAuthError('invalid_grant', 'invalid assertion');
  return claims.sub;
}
