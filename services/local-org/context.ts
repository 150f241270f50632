/**
 * What every router of the local org receives. Stable interface for api/bulk2.ts,
 * api/graphql.ts and api/streaming.ts (and anything mounted later).
 *
 * Mounting contract (see server.ts):
 * - `mountX(ctx)` returns an Express Router that server.ts mounts at the app root, so a
 *   router declares full paths (`/services/data/:version/jobs/ingest`, `/cometd/:version`).
 * - Every request under `/services/data/vNN.N/...` has already passed, in this order:
 *   fault injection, API-version check, session check (`res.locals.session`), daily API
 *   counting (Sforce-Limit-Info header). Routers only add their own handlers.
 * - Paths outside /services/data (e.g. /cometd) use `ctx.middleware.requireSession`
 *   themselves when they need a user.
 * - Throw (or `next()`) a `SalesforceError` for Salesforce-shaped errors; the org's error
 *   handler answers `[{ message, errorCode, fields? }]` with its status.
 * - `ctx.onListen(cb)` gives access to the http.Server once listening (CometD needs it
 *   for long-poll/websocket attachment).
 */
import type { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { LocalOrgOptions } from './options';
import type { OrgSchema } from './schema/types';
import type { Store } from './store/store';
import type { ChangeEvent, PlatformEventMessage } from './store/types';
import type { SessionStore, Session } from './auth/sessions';
import type { ApiUsage } from './api/apiUsage';
import type { FaultInjector } from './api/faults';

/** Events of the org: `on('change', (e: ChangeEvent) => ...)`, `on('platformEvent', ...)`. */
export interface OrgEventMap {
  change: [ChangeEvent];
  platformEvent: [PlatformEventMessage];
}
export type OrgEvents = EventEmitter<OrgEventMap>;

export interface LocalOrgMiddleware {
  /** 401 INVALID_SESSION_ID unless `Authorization: Bearer <token>` (or OAuth <token>) is a live session; sets res.locals.session. */
  requireSession: RequestHandler;
  /** Counts one API call against the daily allowance; 403 REQUEST_LIMIT_EXCEEDED past it; sets Sforce-Limit-Info. */
  countApiCall: RequestHandler;
  /** Applies the configured fault rules to this request. */
  injectFaults: RequestHandler;
}

export interface LocalOrgContext {
  readonly options: LocalOrgOptions;
  readonly schema: OrgSchema;
  readonly store: Store;
  readonly events: OrgEvents;
  readonly sessions: SessionStore;
  readonly usage: ApiUsage;
  readonly faults: FaultInjector;
  readonly middleware: LocalOrgMiddleware;
  /** The org's clock; use it instead of `new Date()` so tests can move time. */
  now(): Date;
  /** The newest API version served, e.g. "62.0". */
  readonly apiVersion: string;
  /** `https?://host[:port]` as the client addressed the org (instance_url). */
  instanceUrl(req: Request): string;
  /** Register a callback run once the HTTP server listens. */
  onListen(callback: (server: Server, url: string) => void): void;
}

/** The authenticated session of a request that passed `requireSession`. */
export function sessionOf(res: Response): Session {
  const session = res.locals.session as Session | undefined;
  if (session === undefined) {
    throw new Error('sessionOf() called on a route that did not run requireSession');
  }
  return session;
}
