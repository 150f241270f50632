/**
 * Authentication endpoints.
 *
 * - POST /services/oauth2/token, grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer:
 *   the engine's production flow, checked against the configured certificate (auth/jwt.ts).
 * - POST /services/oauth2/token, grant_type=password, and POST /services/Soap/u/NN.N (SOAP
 *   login): LOCAL-ONLY shortcuts for demos and scripts. Any active user signs in with the
 *   org's local password (options.localLogin.password, default "local-org"), from loopback
 *   addresses only unless configured otherwise. A real org never accepts this password.
 * - POST /services/oauth2/revoke, GET /services/oauth2/userinfo, GET /id/{orgId}/{userId}.
 *
 * Responses follow Salesforce's token response (access_token, instance_url, id, token_type,
 * issued_at, signature, scope) and OAuth errors (`{ error, error_description }`).
 */
import { createHmac, randomBytes } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import type { LocalOrgContext } from '../context';
import type { Session } from '../auth/sessions';
import { OAuthError, verifyAssertion } from '../auth/jwt';
import { bearerToken } from './faults';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const signingSecret = randomBytes(32);

interface LocalUser {
  id: string;
  username: string;
  active: boolean;
}

export function mountOAuth(ctx: LocalOrgContext): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '1mb' });
  router.post('/services/oauth2/token', form, async (req, res) => {
    try {
      const session = await grant(ctx, req);
      res.json(tokenResponse(ctx, req, session));
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      res.status(error.status).json({ error: error.error, error_description: error.description });
    }
  });
  router.post('/services/oauth2/revoke', form, (req, res) => {
    const token = typeof req.body?.token === 'string' ? req.body.token : (req.query.token as string | undefined);
    if (token === undefined || !ctx.sessions.revoke(token)) {
      res.status(400).json({ error: 'unsupported_token_type', error_description: 'this token type is not supported' });
      return;
    }
    res.status(200).end();
  });
  router.get('/services/oauth2/userinfo', ctx.middleware.requireSession, (req, res) => {
    res.json(identity(ctx, req, res.locals.session as Session));
  });
  router.get('/id/:orgId/:userId', ctx.middleware.requireSession, (req, res) => {
    const session = res.locals.session as Session;
    if (req.params.userId !== session.userId && req.params.userId?.slice(0, 15) !== session.userId.slice(0, 15)) {
      res.status(403).json({ error: 'Forbidden', error_description: 'Bad_Id' });
      return;
    }
    res.json(identity(ctx, req, session));
  });
  router.post('/services/Soap/u/:version', express.text({ type: () => true, limit: '1mb' }), (req, res) => soapLogin(ctx, req, res));
  return router;
}

function userByName(ctx: LocalOrgContext, username: string): LocalUser | undefined {
  const [id] = ctx.store.findIdsByField('User', 'Username', username);
  if (id === undefined) return undefined;
  const record = ctx.store.get('User', id, ['Username', 'IsActive']);
  if (record === null) return undefined;
  return { id, username: String(record.Username), active: record.IsActive === true };
}

function isLoopback(req: Request): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function checkLocalLogin(ctx: LocalOrgContext, req: Request, username: unknown, password: unknown): LocalUser {
  const settings = ctx.options.localLogin;
  if (!settings.enabled || (settings.loopbackOnly && !isLoopback(req))) {
    throw new OAuthError('unsupported_grant_type', 'grant type not supported');
  }
  const user = typeof username === 'string' ? userByName(ctx, username) : undefined;
  if (user === undefined || !user.active || password !== settings.password) {
    throw new OAuthError('invalid_grant', 'authentication failure');
  }
  return user;
}

async function grant(ctx: LocalOrgContext, req: Request): Promise<Session> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  switch (body.grant_type) {
    case JWT_GRANT: {
      if (ctx.options.jwt === undefined) throw new OAuthError('invalid_client_id', 'client identifier invalid');
      if (typeof body.assertion !== 'string') throw new OAuthError('invalid_request', 'assertion is required');
      const username = await verifyAssertion(body.assertion, ctx.options.jwt, [ctx.instanceUrl(req)], ctx.now());
      const user = userByName(ctx, username);
      if (user === undefined) throw new OAuthError('invalid_grant', "user hasn't approved this consumer");
      if (!user.active) throw new OAuthError('invalid_grant', 'inactive user');
      return ctx.sessions.create({ userId: user.id, username: user.username, orgId: ctx.store.orgId }, 'jwt-bearer');
    }
    case 'password': {
      const user = checkLocalLogin(ctx, req, body.username, body.password);
      return ctx.sessions.create({ userId: user.id, username: user.username, orgId: ctx.store.orgId }, 'password');
    }
    default:
      throw new OAuthError('unsupported_grant_type', 'grant type not supported');
  }
}

function tokenResponse(ctx: LocalOrgContext, req: Request, session: Session): Record<string, string> {
  const instanceUrl = ctx.instanceUrl(req);
  const id = `${instanceUrl}/id/${session.orgId}/${session.userId}`;
  const issuedAt = String(session.issuedAt.getTime());
  const signature = createHmac('sha256', signingSecret).update(id + issuedAt).digest('base64');
  return { access_token: session.accessToken, instance_url: instanceUrl, id, token_type: 'Bearer', issued_at: issuedAt, signature, scope: 'api' };
}

function identity(ctx: LocalOrgContext, req: Request, session: Session): Record<string, unknown> {
  const base = ctx.instanceUrl(req);
  const user = ctx.store.get('User', session.userId) ?? { attributes: { type: 'User' } };
  const version = ctx.apiVersion;
  const url = (resource: string): string => `${base}/services/data/v{version}/${resource}`;
  return {
    id: `${base}/id/${session.orgId}/${session.userId}`,
    asserted_user: true,
    user_id: session.userId,
    organization_id: session.orgId,
    username: session.username,
    nick_name: user.CommunityNickname ?? null,
    display_name: user.Name ?? null,
    email: user.Email ?? null,
    email_verified: true,
    first_name: user.FirstName ?? null,
    last_name: user.LastName ?? null,
    timezone: user.TimeZoneSidKey ?? ctx.options.timeZone,
    active: user.IsActive ?? true,
    user_type: 'STANDARD',
    language: user.LanguageLocaleKey ?? 'en_US',
    locale: user.LocaleSidKey ?? 'en_US',
    utcOffset: 0,
    last_modified_date: user.LastModifiedDate ?? null,
    is_app_installed: true,
    urls: {
      rest: url(''),
      sobjects: url('sobjects/'),
      search: url('search/'),
      query: url('query/'),
      recent: url('recent/'),
      profile: `${base}/${session.userId}`,
      limits: url('limits/'),
      custom_domain: base,
    },
    apiVersion: version,
  };
}

const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);
}

function xmlUnescape(text: string): string {
  return text.replace(/&(lt|gt|amp|apos|quot);/g, (_m, name: string) => ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' })[name] as string);
}

/** SOAP API login() (SOAP API Developer Guide: "login()"): LOCAL-ONLY, same password rule as the password grant. */
function soapLogin(ctx: LocalOrgContext, req: Request, res: Response): void {
  const body = typeof req.body === 'string' ? req.body : '';
  const username = /<(?:\w+:)?username>([^<]*)<\/(?:\w+:)?username>/.exec(body)?.[1];
  const password = /<(?:\w+:)?password>([^<]*)<\/(?:\w+:)?password>/.exec(body)?.[1];
  res.type('text/xml');
  let user: LocalUser;
  try {
    user = checkLocalLogin(ctx, req, username === undefined ? undefined : xmlUnescape(username), password === undefined ? undefined : xmlUnescape(password));
  } catch {
    res.status(500).send(
      `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${SOAP_NS}" xmlns:sf="urn:fault.partner.soap.sforce.com"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: Invalid username, password, security token; or user locked out.</faultstring><detail><sf:LoginFault><sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode><sf:exceptionMessage>Invalid username, password, security token; or user locked out.</sf:exceptionMessage></sf:LoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
    );
    return;
  }
  const session = ctx.sessions.create({ userId: user.id, username: user.username, orgId: ctx.store.orgId }, 'soap');
  const base = ctx.instanceUrl(req);
  const version = req.params.version ?? ctx.apiVersion;
  res.send(
    `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${SOAP_NS}" xmlns="urn:partner.soap.sforce.com"><soapenv:Body><loginResponse><result>` +
      `<metadataServerUrl>${base}/services/Soap/m/${version}/${session.orgId}</metadataServerUrl><passwordExpired>false</passwordExpired><sandbox>false</sandbox>` +
      `<serverUrl>${base}/services/Soap/u/${version}/${session.orgId}</serverUrl><sessionId>${xmlEscape(session.accessToken)}</sessionId><userId>${session.userId}</userId>` +
      `<userInfo><organizationId>${session.orgId}</organizationId><organizationName>${xmlEscape(ctx.options.orgName)}</organizationName><userEmail>${xmlEscape(user.username)}</userEmail><userId>${session.userId}</userId><userName>${xmlEscape(user.username)}</userName></userInfo>` +
      `</result></loginResponse></soapenv:Body></soapenv:Envelope>`,
  );
}

export { bearerToken };
