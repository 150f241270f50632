/**
 * The preview server's own client of the org: signs users in with the local org's
 * LOCAL-ONLY password grant (POST /services/oauth2/token, grant_type=password; a real org never
 * accepts it) and runs the few REST reads the shell pages need (users, default records).
 * Access tokens are kept per user and renewed when the org answers 401.
 */
import { z } from 'zod';

const tokenSchema = z.object({ access_token: z.string().min(1), id: z.string().min(1) });
const tokenErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });
const userInfoSchema = z.object({
  user_id: z.string().min(15),
  username: z.string(),
  display_name: z.string().nullable(),
  timezone: z.string().min(1)
});
const versionsSchema = z.array(z.object({ version: z.string() })).min(1);
const queryPageSchema = z.object({
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(z.record(z.string(), z.unknown()))
});
const restErrorsSchema = z.array(z.object({ message: z.string(), errorCode: z.string() }));

export interface OrgSession {
  username: string;
  userId: string;
  displayName: string;
  /** User.TimeZoneSidKey, e.g. America/Chicago. */
  timeZone: string;
  accessToken: string;
  apiVersion: string;
}

export class OrgRequestError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message);
    this.name = 'OrgRequestError';
  }
}

export class OrgClient {
  private readonly sessions = new Map<string, Promise<OrgSession>>();
  private version: Promise<string> | undefined;

  constructor(
    readonly orgUrl: string,
    private readonly password: string
  ) {}

  /** The newest API version the org serves. */
  apiVersion(): Promise<string> {
    this.version ??= fetch(`${this.orgUrl}/services/data`)
      .then(async (response) => {
        const versions = versionsSchema.parse(await response.json());
        return (versions[versions.length - 1] as { version: string }).version;
      })
      .catch((error: unknown) => {
        this.version = undefined;
        throw error;
      });
    return this.version;
  }

  /** A session of the user (cached); `fresh` signs in again. */
  session(username: string, fresh = false): Promise<OrgSession> {
    const cached = this.sessions.get(username);
    if (cached !== undefined && !fresh) return cached;
    const pending = this.login(username);
    pending.catch(() => this.sessions.delete(username));
    this.sessions.set(username, pending);
    return pending;
  }

  /** Every record of a SOQL query run as `username` (following nextRecordsUrl). */
  async query(username: string, soql: string): Promise<Array<Record<string, unknown>>> {
    const version = await this.apiVersion();
    const records: Array<Record<string, unknown>> = [];
    let path: string | undefined = `/services/data/v${version}/query?q=${encodeURIComponent(soql)}`;
    while (path !== undefined) {
      const page = queryPageSchema.parse(await this.get(username, path));
      records.push(...page.records);
      path = page.done ? undefined : page.nextRecordsUrl;
    }
    return records;
  }

  /** GET of a REST resource as `username`, renewing the session once on 401. */
  async get(username: string, path: string): Promise<unknown> {
    let response = await this.send(username, path, false);
    if (response.status === 401) response = await this.send(username, path, true);
    const body: unknown = await response.json();
    if (!response.ok) {
      const errors = restErrorsSchema.safeParse(body);
      const detail = errors.success
        ? errors.data.map((e) => `${e.errorCode}: ${e.message}`).join('; ')
        : JSON.stringify(body);
      throw new OrgRequestError(
        `GET ${path} as ${username}: HTTP ${response.status} ${detail}`,
        response.status
      );
    }
    return body;
  }

  private async send(username: string, path: string, fresh: boolean): Promise<Response> {
    const { accessToken } = await this.session(username, fresh);
    return fetch(`${this.orgUrl}${path}`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' }
    });
  }

  private async login(username: string): Promise<OrgSession> {
    const response = await fetch(`${this.orgUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username, password: this.password })
    });
    const body: unknown = await response.json();
    if (!response.ok) {
      const error = tokenErrorSchema.safeParse(body);
      const reason = error.success
        ? `${error.data.error}: ${error.data.error_description ?? ''}`
        : `HTTP ${response.status}`;
      throw new OrgRequestError(
        `the local org refused to sign in ${username} (${reason}); check the username and that the org accepts local logins`,
        response.status
      );
    }
    const token = tokenSchema.parse(body);
    const info = userInfoSchema.parse(
      await (
        await fetch(`${this.orgUrl}/services/oauth2/userinfo`, {
          headers: { authorization: `Bearer ${token.access_token}` }
        })
      ).json()
    );
    return {
      username: info.username,
      userId: info.user_id,
      displayName: info.display_name ?? info.username,
      timeZone: info.timezone,
      accessToken: token.access_token,
      apiVersion: await this.apiVersion()
    };
  }
}
