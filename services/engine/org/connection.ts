import { Connection } from 'jsforce';
import type { EngineConfig } from '../config';
import { AuthError } from '../errors';
import { login, type OrgSession } from './auth';

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
}

/** A second refresh this soon after the first means the credentials themselves are refused. */
const REFRESH_GUARD_MS = 10_000;

type CountingTransport = { httpRequest: (...args: unknown[]) => unknown };

function countRequests(conn: Connection): { read: () => number; add: () => void } {
  let count = 0;
  // jsforce sends every REST, Bulk and SOAP request through the connection's transport, so
  // counting here matches what the org counts against its daily API limit.
  const transport = (conn as unknown as { _transport: CountingTransport })._transport;
  const send = transport.httpRequest.bind(transport);
  transport.httpRequest = (...args: unknown[]) => {
    count += 1;
    return send(...args);
  };
  return {
    read: () => count,
    add: () => {
      count += 1;
    }
  };
}

function userIdFrom(session: OrgSession): string | undefined {
  return session.userInfoUrl?.split('/').pop();
}

export async function connectOrg(config: EngineConfig): Promise<OrgClient> {
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
  const counter = countRequests(conn);
  return {
    conn,
    config,
    userId: userIdFrom(session),
    apiCalls: counter.read,
    noteCall: counter.add,
    orgApiUsage: () => {
      const usage = (conn.limitInfo as { apiUsage?: { used: number; limit: number } }).apiUsage;
      return usage ? { used: usage.used, limit: usage.limit } : undefined;
    }
  };
}
