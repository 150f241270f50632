import { PassThrough } from 'node:stream';
import { Connection } from 'jsforce';
import { StreamPromise } from 'jsforce/lib/util/promise';
import type { EngineConfig } from '../config';
import { AuthError } from '../errors';
import { login, type OrgSession } from './auth';
import { RequestLimitError } from './retry';

/**
 * The engine's handle on one org. The engine never knows whether the org is a real one or
 * the local org: it has a login URL, credentials and jsforce, nothing else.
 */
export interface OrgClient {
  readonly conn: Connection;
  readonly config: EngineConfig;
  /** API calls this client has sent since it was created (each HTTP request to the org). */
  apiCalls(): number;
  /** The org's own daily counter, from the last Sforce-Limit-Info header seen. */
  orgApiUsage(): { used: number; limit: number } | undefined;
  /** The id of the user the engine runs as (from the identity URL), if known. */
  readonly userId: string | undefined;
  /** Counts a request sent outside jsforce (raw fetch for headers jsforce does not expose). */
  noteCall(): void;
  /** Until when requests are held back because the org's daily API limit was reached. */
  pausedUntil?(): number;
}

export interface ConnectOptions {
  /**
   * A request with no answer after this long is aborted (and retried when it is safe to
   * repeat): a hung connection must not stall a run. jsforce's own default is 30 minutes.
   */
  requestTimeoutMs?: number;
  /**
   * After 403 REQUEST_LIMIT_EXCEEDED "TotalRequests Limit exceeded." the org refuses every call
   * until usage over its rolling 24 hours falls below the allowance: the engine sends nothing
   * for this long, then lets one request through to probe (never hammers a closed window).
   */
  limitPauseMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;
export const DEFAULT_LIMIT_PAUSE_MS = 5 * 60_000;

/** A second refresh this soon after the first means the credentials themselves are refused. */
const REFRESH_GUARD_MS = 10_000;

type TransportResponse = { statusCode?: number; body?: unknown };
type CountingTransport = { httpRequest: (request: unknown, options?: Record<string, unknown>) => Promise<TransportResponse> };

/** The daily allowance is spent (REST API Developer Guide, "Status Codes and Error Responses": 403 REQUEST_LIMIT_EXCEEDED). */
export function isDailyLimitResponse(response: TransportResponse): boolean {
  return response.statusCode === 403 && /REQUEST_LIMIT_EXCEEDED/.test(String(response.body)) && /TotalRequests/i.test(String(response.body));
}

/**
 * jsforce sends every REST, Bulk and SOAP request through the connection's transport, so
 * this one place counts calls as the org counts them against its daily limit, bounds each
 * request in time, and holds requests back while the daily limit is spent.
 */
function guardTransport(conn: Connection, options: Required<ConnectOptions>): { read: () => number; add: () => void; pausedUntil: () => number } {
  let count = 0;
  let pausedUntil = 0;
  const transport = (conn as unknown as { _transport: CountingTransport })._transport;
  const send = transport.httpRequest.bind(transport);
  transport.httpRequest = (request, requestOptions = {}) => {
    if (Date.now() < pausedUntil) {
      const refused = Promise.reject(new RequestLimitError(`the org's daily API request limit was exceeded; no request is sent before ${new Date(pausedUntil).toISOString()}`));
      return StreamPromise.create(() => ({ stream: new PassThrough(), promise: refused }));
    }
    count += 1;
    // jsforce retries idempotent methods on 429/5xx itself; its first wait is raised to one
    // second, the Retry-After the org sends with 429, so a retry never comes back too early.
    const pending = send(request, { timeout: options.requestTimeoutMs, retry: { minTimeout: 1000 }, ...requestOptions });
    pending.then(
      (response) => {
        if (isDailyLimitResponse(response)) pausedUntil = Date.now() + options.limitPauseMs;
      },
      () => undefined
    );
    return pending;
  };
  return {
    read: () => count,
    add: () => {
      count += 1;
    },
    pausedUntil: () => pausedUntil
  };
}

function userIdFrom(session: OrgSession): string | undefined {
  return session.userInfoUrl?.split('/').pop();
}

export async function connectOrg(config: EngineConfig, options: ConnectOptions = {}): Promise<OrgClient> {
  const session = await login(config.org.auth, config.org.loginUrl);
  let lastRefreshAt = 0;
  const conn = new Connection({
    instanceUrl: session.instanceUrl,
    accessToken: session.accessToken,
    version: config.org.apiVersion,
    // INVALID_SESSION_ID: log in again once; if the fresh session is refused too, fail clearly
    // rather than loop (jsforce retries the request after every successful refresh).
    refreshFn: (_conn, callback) => {
      const now = Date.now();
      if (now - lastRefreshAt < REFRESH_GUARD_MS) {
        callback(new AuthError('the org refused a freshly issued session; check the integration user and its permission set', 'SESSION_REFUSED'));
        return;
      }
      lastRefreshAt = now;
      login(config.org.auth, config.org.loginUrl)
        .then((fresh) => callback(null, fresh.accessToken))
        .catch((error: unknown) => callback(error as Error));
    }
  });
  const counter = guardTransport(conn, {
    requestTimeoutMs: options.requestTimeoutMs ?? config.org.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    limitPauseMs: options.limitPauseMs ?? config.org.limitPauseMs ?? DEFAULT_LIMIT_PAUSE_MS
  });
  return {
    conn,
    config,
    userId: userIdFrom(session),
    apiCalls: counter.read,
    noteCall: counter.add,
    pausedUntil: counter.pausedUntil,
    orgApiUsage: () => {
      const usage = (conn.limitInfo as { apiUsage?: { used: number; limit: number } }).apiUsage;
      return usage ? { used: usage.used, limit: usage.limit } : undefined;
    }
  };
}
