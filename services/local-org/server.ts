/**
 * The local org: a Salesforce-compatible HTTP server over node:sqlite.
 *
 * Stable interface (other parts build on it):
 *
 *   import { createLocalOrg } from 'services/local-org/server';
 *   const org = createLocalOrg({ dataDir: ':memory:', forceAppDir: 'force-app', dailyApiLimit: 100000,
 *                                jwt: { consumerKey, publicKeyPath }, faults: [] });
 *   const { url } = await org.listen(0);     // http://127.0.0.1:<port>
 *   org.app / org.store / org.schema / org.events / org.context
 *   await org.close();
 *
 * Routers mounted (see context.ts for the contract): OAuth and SOAP login, versions,
 * resources, limits, sObjects, query, collections, composite (api/*), then Bulk API 2.0
 * (api/bulk2.ts), GraphQL (api/graphql.ts) and streaming (api/streaming.ts), and the
 * LOCAL-ONLY admin endpoints under /_local (api/admin.ts).
 */
import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { localOrgOptionsSchema, type LocalOrgOptions, type LocalOrgOptionsInput } from './options';
import type { LocalOrgContext, OrgEvents } from './context';
import { loadSchema } from './schema';
import type { OrgSchema } from './schema/types';
import { Store } from './store/store';
import { installFlows } from './flows';
import { SessionStore } from './auth/sessions';
import { ApiUsage } from './api/apiUsage';
import { FaultInjector } from './api/faults';
import { SalesforceError } from './errors';
import { countApiCall, errorHandler, jsonBody, requireSession, versionCheck } from './api/middleware';
import { RestDispatcher, type RestCall } from './api/rest';
import { addVersionRoutes, versionsBody } from './api/versions';
import { addSObjectRoutes } from './api/sobjects';
import { addQueryRoutes } from './api/query';
import { addCollectionRoutes } from './api/collections';
import { addCompositeRoutes } from './api/composite';
import { mountOAuth } from './api/oauth';
import { mountAdmin } from './api/admin';
import { mountBulk2 } from './api/bulk2';
import { mountGraphql } from './api/graphql';
import { mountStreaming } from './api/streaming';
import type { Session } from './auth/sessions';

export type { LocalOrgContext } from './context';
export type { LocalOrgOptions, LocalOrgOptionsInput } from './options';

export interface LocalOrg {
  app: Express;
  store: Store;
  schema: OrgSchema;
  events: OrgEvents;
  context: LocalOrgContext;
  /** Notes from loading force-app (skipped fields, rules not enforced). */
  warnings: string[];
  /** Starts listening (port 0: any free port) on 127.0.0.1 unless a host is given. */
  listen(port?: number, host?: string): Promise<{ url: string }>;
  /** Stops the server and closes the database. */
  close(): Promise<void>;
}

/** Runs middlewares in order, as one. */
function chain(handlers: RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let index = 0;
    const step = (error?: unknown): void => {
      if (error !== undefined && error !== null && error !== 'route') return next(error);
      const handler = handlers[index++];
      if (handler === undefined) return next();
      try {
        const result = handler(req, res, step) as unknown;
        if (result instanceof Promise) result.catch(step);
      } catch (caught) {
        step(caught);
      }
    };
    step();
  };
}

export function createLocalOrg(input: LocalOrgOptionsInput = {}): LocalOrg {
  const options: LocalOrgOptions = localOrgOptionsSchema.parse(input);
  const now = options.clock ?? (() => new Date());
  const db = Store.openDatabase(options.dataDir);
  const { schema, warnings } = loadSchema({
    ...(options.forceAppDir === undefined ? {} : { forceAppDir: options.forceAppDir }),
    keyPrefixes: Store.readKeyPrefixes(db),
  });
  const events = new EventEmitter() as OrgEvents;
  events.setMaxListeners(100);
  const store = new Store({
    db,
    schema,
    events,
    now,
    org: { name: options.orgName, timeZone: options.timeZone, adminUsername: options.adminUsername },
  });
  warnings.push(...store.warnings);
  if (options.forceAppDir !== undefined) {
    // Record-triggered flows run on every save, as in a real org; what cannot run is said at start.
    const flows = installFlows({ store, schema, forceAppDir: options.forceAppDir });
    for (const warning of flows.warnings) console.warn(`[local-org] ${warning}`);
    warnings.push(...flows.warnings);
  }
  const sessions = new SessionStore(now, options.sessionTimeoutSeconds);
  const usage = new ApiUsage(now, options.dailyApiLimit);
  const faults = new FaultInjector(options.faults, options.faultSeed, sessions);
  const listeners: Array<(server: Server, url: string) => void> = [];
  const context: LocalOrgContext = {
    options,
    schema,
    store,
    events,
    sessions,
    usage,
    faults,
    middleware: { requireSession: requireSession(sessions), countApiCall: countApiCall(usage), injectFaults: faults.middleware },
    now,
    apiVersion: options.apiVersion,
    instanceUrl: (req) => `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`,
    onListen: (callback) => listeners.push(callback),
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (options.adminEndpoints) app.use(mountAdmin(context));
  app.use((req, res, next) => (req.path.startsWith('/_local/') ? next() : faults.middleware(req, res, next)));
  app.use(jsonBody());
  app.use(mountOAuth(context));
  app.get(['/services/data', '/services/data/'], (_req, res) => {
    res.set('Sforce-Limit-Info', usage.header());
    res.json(versionsBody(options.apiVersion));
  });
  const gate = chain([versionCheck(options.apiVersion), context.middleware.requireSession, context.middleware.countApiCall]);
  app.use((req, res, next) => (/^\/services\/data\/v[^/]*/.test(req.path) ? gate(req, res, next) : next()));

  const rest = new RestDispatcher();
  addVersionRoutes(rest);
  addSObjectRoutes(rest);
  addQueryRoutes(rest);
  addCollectionRoutes(rest);
  addCompositeRoutes(rest);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const match = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(req.path);
    if (match === null) return next();
    const fullUrl = new URL(req.originalUrl, 'http://local');
    const call: RestCall = {
      method: req.method,
      path: match[2] ?? '/',
      query: fullUrl.searchParams,
      body: req.body,
      header: (name) => req.get(name),
      session: res.locals.session as Session,
      base: `/services/data/v${match[1]}`,
      faultTarget: { method: req.method, path: req.path },
      injectFaults: true,
    };
    const result = rest.dispatch(context, call);
    if (result === undefined) return next();
    for (const [key, value] of Object.entries(result.headers ?? {})) res.set(key, value);
    if (result.body === undefined) res.status(result.status).end();
    else res.status(result.status).json(result.body);
  });
  app.use(mountBulk2(context));
  app.use(mountGraphql(context));
  app.use(mountStreaming(context));
  app.use((req, _res, next) => next(new SalesforceError('NOT_FOUND', 'The requested resource does not exist', 404)));
  app.use(errorHandler((message, error) => console.error(`[local-org] ${message}`, error)));

  let server: Server | undefined;
  return {
    app,
    store,
    schema,
    events,
    context,
    warnings,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        const started = app.listen(port, host, (error?: Error) => {
          if (error) return reject(error);
          const address = started.address() as AddressInfo;
          const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
          server = started;
          for (const listener of listeners) listener(started, url);
          resolve({ url });
        });
        started.on('error', reject);
      });
    },
    async close() {
      if (server !== undefined) {
        const closing = server;
        server = undefined;
        await new Promise<void>((resolve) => {
          closing.close(() => resolve());
          closing.closeAllConnections();
        });
      }
      store.close();
    },
  };
}
