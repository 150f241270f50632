/**
 * The console preview server: the package's LWC consoles, compiled from force-app by
 * preview/build.ts, served in shell pages next to the local org, with the org's API forwarded
 * on the same origin.
 *
 *   const preview = await servePreview({ orgUrl: 'http://127.0.0.1:4290' });
 *   preview.url   // http://127.0.0.1:4291 -> /preview/work-queue, /preview/line-monitor, ...
 *   await preview.close();
 *
 * Every page signs its user in with the org's LOCAL-ONLY password, so the server answers
 * loopback clients only, as the org's local logins do.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { ensurePreviewBuilt, type PreviewBuild } from './build';
import {
  CONSOLES,
  consoleBySlug,
  designAttributes,
  DesignAttributeError,
  propsFromQuery,
  recordPageObjects,
  type ConsoleDef
} from './consoles';
import { Directory, type RecordRef } from './directory';
import { OrgClient } from './orgClient';
import { DIST_DIR, SLDS_ASSETS, STATIC_RESOURCES_DIR } from './paths';
import { createOrgProxy, PROXIED_PATHS } from './proxy';
import { renderConsolePage, renderErrorPage, renderIndexPage, type BootData } from './shell';
import { readStaticResources } from './staticResources';

export const previewOptionsSchema = z.object({
  /** The local org, e.g. http://127.0.0.1:4290. */
  orgUrl: z.string().url(),
  host: z.string().min(1).default('127.0.0.1'),
  /** 0: any free port. */
  port: z.number().int().min(0).max(65_535).default(4291),
  /** The org's local-only password (LocalOrgOptions.localLogin.password). */
  password: z.string().min(1).default('local-org'),
  /** Who reads the user list and default records (the org's admin by default). */
  directoryUser: z.string().min(1).default('admin@asl.local'),
  /** Usernames consoles open as when the URL names none (see Directory.defaultUser). */
  users: z
    .object({
      sdr: z.string().min(1).optional(),
      manager: z.string().min(1).optional(),
      marketer: z.string().min(1).optional(),
      revops: z.string().min(1).optional(),
      coordinator: z.string().min(1).optional()
    })
    .default({})
});
export type PreviewOptions = z.infer<typeof previewOptionsSchema>;
export type PreviewOptionsInput = z.input<typeof previewOptionsSchema>;

const usernameQuery = z.string().min(3).max(80).optional();
const recordIdQuery = z
  .string()
  .regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/, 'a 15- or 18-character record Id')
  .optional();

class PageError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string
  ) {
    super(message);
    this.name = 'PageError';
  }
}

export interface PreviewApp {
  app: Express;
  /** Ends forwarded requests (held long-polls) so the server can close. */
  close(): void;
}

/** The preview's Express app for a finished build. */
export function createPreviewApp(input: PreviewOptionsInput, build: PreviewBuild): PreviewApp {
  const options = previewOptionsSchema.parse(input);
  const orgUrl = options.orgUrl.replace(/\/$/, '');
  const client = new OrgClient(orgUrl, options.password);
  const directory = new Directory(client, options.directoryUser, options.users);
  const proxy = createOrgProxy(orgUrl);
  const resources = readStaticResources(STATIC_RESOURCES_DIR);
  const bundleUrl = `/preview/build/${build.key}/main.js`;

  const app = express();
  app.disable('x-powered-by');
  app.use(loopbackOnly);
  app.use(PROXIED_PATHS, proxy.handler);
  app.use('/assets', express.static(SLDS_ASSETS, { maxAge: '1d', index: false }));
  app.use(
    '/preview/build',
    express.static(DIST_DIR, { immutable: true, maxAge: '365d', index: false })
  );
  app.get(['/resource/:stamp/:name', '/resource/:stamp/:name/*rest'], (req, res) => {
    const resource = resources.get(String(req.params.name));
    if (resource === undefined)
      return void res
        .status(404)
        .type('text')
        .send(`No static resource ${String(req.params.name)}`);
    res.setHeader('Cache-Control', 'public, max-age=86400');
    if (resource.kind === 'file')
      return void res.type(resource.contentType).sendFile(resource.location);
    const rest = (req.params as { rest?: string[] }).rest ?? [];
    res.sendFile(rest.join('/') || 'index.html', { root: resource.location, dotfiles: 'deny' });
  });

  app.get('/', (_req, res) => res.redirect('/preview/'));
  app.get(['/preview', '/preview/'], async (_req, res, next) => {
    try {
      res.type('html').send(renderIndexPage(orgUrl, await directory.sampleRecords()));
    } catch (error) {
      next(error);
    }
  });
  // Session renewal for a page whose access token expired (the org's session timeout).
  app.get('/preview/api/session', async (req, res, next) => {
    try {
      const username = usernameQuery.parse(req.query.user);
      if (username === undefined)
        throw new PageError(400, 'No user', 'Name the user: /preview/api/session?user=<username>');
      const session = await client.session(username, true);
      res
        .set('Cache-Control', 'no-store')
        .json({ accessToken: session.accessToken, userId: session.userId });
    } catch (error) {
      next(error);
    }
  });
  // Record links in the consoles point at Lightning record pages; the Stage Timer stands in.
  app.get('/lightning/r/:objectApiName/:recordId/view', (req, res) => {
    res.redirect(
      `/preview/stage-timer?recordId=${encodeURIComponent(String(req.params.recordId))}`
    );
  });
  app.get('/preview/:slug', async (req, res, next) => {
    try {
      const item = consoleBySlug(String(req.params.slug));
      if (item === undefined)
        throw new PageError(
          404,
          'No such console',
          `There is no console at ${req.path}; see /preview/.`
        );
      const page = await consolePage(item, req.query as Record<string, unknown>);
      res.set('Cache-Control', 'no-store').type('html').send(page);
    } catch (error) {
      next(error);
    }
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status =
      error instanceof PageError
        ? error.status
        : error instanceof DesignAttributeError || error instanceof z.ZodError
          ? 400
          : 500;
    const title =
      error instanceof PageError ? error.title : status === 400 ? 'Bad request' : 'Preview error';
    const message =
      error instanceof z.ZodError
        ? error.issues
            .map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`)
            .join('; ')
        : error instanceof Error
          ? error.message
          : String(error);
    res
      .status(status)
      .type('html')
      .send(renderErrorPage(status, title, message));
  });

  async function consolePage(item: ConsoleDef, query: Record<string, unknown>): Promise<string> {
    const props: Record<string, unknown> = propsFromQuery(designAttributes(item.component), query);
    let record: RecordRef | undefined;
    if (item.recordPage) {
      record = await recordFor(item, recordIdQuery.parse(query.recordId));
      props.recordId = record.id;
      props.objectApiName = record.objectApiName;
    }
    const username = usernameQuery.parse(query.user) ?? (await directory.defaultUser(item.role));
    const [session, users] = await Promise.all([client.session(username), directory.users()]);
    const boot: BootData = {
      component: item.component,
      props,
      session: {
        userId: session.userId,
        username: session.username,
        displayName: session.displayName,
        timeZone: session.timeZone,
        apiVersion: session.apiVersion,
        accessToken: session.accessToken,
        renewUrl: `/preview/api/session?user=${encodeURIComponent(session.username)}`
      }
    };
    return renderConsolePage({
      console: item,
      boot,
      users,
      bundleUrl,
      orgUrl,
      ...(record === undefined ? {} : { record })
    });
  }

  async function recordFor(item: ConsoleDef, recordId: string | undefined): Promise<RecordRef> {
    const allowed = recordPageObjects(item.component);
    if (recordId === undefined) {
      const [sample] = (await directory.sampleRecords()).filter((candidate) =>
        allowed.includes(candidate.objectApiName)
      );
      if (sample === undefined)
        throw new PageError(404, 'No record', 'No record is at a station yet: add ?recordId=<Id>.');
      return sample;
    }
    const objectApiName = await directory.objectOf(recordId);
    if (objectApiName === undefined)
      throw new PageError(
        404,
        'No such record',
        `No object of the org has records with Id ${recordId}.`
      );
    if (!allowed.includes(objectApiName)) {
      throw new PageError(
        400,
        'Not on this record page',
        `${item.title} goes on ${allowed.join(', ')} record pages, not ${objectApiName}.`
      );
    }
    const record = await directory.record(recordId, objectApiName);
    if (record === undefined)
      throw new PageError(404, 'No such record', `The org has no ${objectApiName} ${recordId}.`);
    return record;
  }

  return { app, close: () => proxy.close() };
}

/** Refuses every client but this machine's (the pages sign users in with the local password). */
export function loopbackOnly(req: Request, res: Response, next: NextFunction): void {
  const address = req.socket.remoteAddress ?? '';
  if (address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1') return next();
  res
    .status(403)
    .type('text')
    .send(
      'The console preview answers loopback clients only: it signs users in with the local org password.'
    );
}

export interface RunningPreview {
  url: string;
  build: PreviewBuild;
  close(): Promise<void>;
}

/** Builds the consoles if their sources changed, then serves the preview. */
export async function servePreview(
  input: PreviewOptionsInput,
  log: (line: string) => void = () => undefined
): Promise<RunningPreview> {
  const options = previewOptionsSchema.parse(input);
  const build = await ensurePreviewBuilt({ log });
  const preview = createPreviewApp(options, build);
  const server = await new Promise<Server>((resolve, reject) => {
    const started = preview.app.listen(options.port, options.host, (error?: Error) =>
      error ? reject(error) : resolve(started)
    );
    started.on('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    build,
    close: () =>
      new Promise<void>((resolve) => {
        preview.close();
        server.close(() => resolve());
        server.closeAllConnections();
      })
  };
}

/**
 * For `npm start`: serves the preview beside a running org without holding up the org (the
 * first build takes a while) and logs its URL when ready. A preview that cannot start is
 * reported, never fatal to the org. Port: ASL_PREVIEW_PORT, else the org's port + 1, else (taken)
 * any free port.
 */
export function servePreviewBeside(
  org: { url: string; logins: Partial<Record<string, string>> },
  log: (text: string) => void
): { close(): Promise<void> } {
  const orgPort = Number(new URL(org.url).port);
  const envPort = process.env.ASL_PREVIEW_PORT;
  const port =
    envPort !== undefined && envPort !== '' ? Number(envPort) : orgPort === 0 ? 0 : orgPort + 1;
  const users = {
    ...(org.logins.sdr ? { sdr: org.logins.sdr } : {}),
    ...(org.logins.manager ? { manager: org.logins.manager } : {}),
    ...(org.logins.marketing ? { marketer: org.logins.marketing } : {}),
    ...(org.logins.revops ? { revops: org.logins.revops } : {}),
    ...(org.logins.coordinator ? { coordinator: org.logins.coordinator } : {})
  };
  let current: RunningPreview | undefined;
  let stopped = false;
  const options = {
    orgUrl: org.url,
    host: new URL(org.url).hostname.replace(/^\[|\]$/g, ''),
    users
  };
  const logLine = (line: string): void => log(`${line}\n`);
  servePreview({ ...options, port }, logLine)
    .catch((error: unknown) => {
      // The port next to the org's is taken: any free port will do, unless one was asked for.
      if (
        (error as NodeJS.ErrnoException).code !== 'EADDRINUSE' ||
        (envPort !== undefined && envPort !== '')
      )
        throw error;
      return servePreview({ ...options, port: 0 }, logLine);
    })
    .then(
      (preview) => {
        // Stopped while building: the org is gone, so is the preview.
        if (stopped) return void preview.close();
        current = preview;
        log(
          `Console preview: ${preview.url}/preview/ (${CONSOLES.map((item) => item.title).join(', ')}; docs/preview.md)\n`
        );
      },
      (error: unknown) => {
        if (!stopped)
          log(
            `Console preview not started: ${error instanceof Error ? error.message : String(error)}\n`
          );
      }
    );
  return {
    // Never waits for a build under way: its compiler process ends with this one.
    close: async () => {
      stopped = true;
      await current?.close();
    }
  };
}
