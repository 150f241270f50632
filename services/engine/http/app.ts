import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import rateLimit from 'express-rate-limit';
import helmet from 'helmet';
import { z, ZodError } from 'zod';
import type { Logger } from '../observability/log';
import type { Metrics } from '../observability/metrics';

/**
 * The engine's HTTP API: health for orchestrators, metrics for Prometheus, job triggers and
 * searches for people and scripts. Everything but liveness and readiness needs the shared
 * secret as a Bearer token; every input is checked with zod; bodies and request rates are
 * bounded; helmet sets the secure headers.
 */
export interface EngineApi {
  ready(): { ready: boolean; reasons: string[] };
  listJobs(): Promise<Array<{ id: string; name: string; type: string; running: boolean }>>;
  runJob(jobId: string): Promise<{ started: boolean; reason?: string }>;
  /** Extra routes added by features (calendar search, plans), already validated by them. */
  routes?: (router: express.Router) => void;
}

export interface HttpOptions {
  token: string;
  logger: Logger;
  metrics: Metrics;
  api: EngineApi;
  rateLimitPerMinute?: number;
}

const jobIdParam = z.object({ id: z.string().regex(/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/, 'a Salesforce record id of an Engine_Job__c') });

function bearerMatches(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function createEngineHttp(options: HttpOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(helmet());
  app.use(express.json({ limit: '64kb' }));

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', (_req, res) => {
    const state = options.api.ready();
    res.status(state.ready ? 200 : 503).json(state);
  });

  app.use(rateLimit({ windowMs: 60_000, limit: options.rateLimitPerMinute ?? 600, standardHeaders: 'draft-7', legacyHeaders: false }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (bearerMatches(req.headers.authorization, options.token)) return next();
    res.status(401).json({ error: 'unauthorized', message: 'send the engine token as "Authorization: Bearer <token>" (ASL_HTTP_TOKEN)' });
  });

  app.get('/metrics', async (_req, res) => {
    res.set('content-type', options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
  app.get('/jobs', async (_req, res) => void res.json(await options.api.listJobs()));
  app.post('/jobs/:id/run', async (req, res) => {
    const { id } = jobIdParam.parse(req.params);
    const result = await options.api.runJob(id);
    res.status(result.started ? 202 : 409).json(result);
  });
  const router = express.Router();
  options.api.routes?.(router);
  app.use(router);

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof ZodError) {
      const issue = error.issues[0];
      return void res.status(400).json({ error: 'invalid_request', field: issue?.path.join('.') ?? '', message: issue?.message ?? 'invalid input' });
    }
    const status = (error as { status?: number; statusCode?: number }).status ?? (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) return void res.status(status).json({ error: 'invalid_request', message: (error as Error).message });
    options.logger.error({ err: error, path: req.path }, 'request failed');
    res.status(500).json({ error: 'internal', message: 'the engine could not complete the request; see its logs' });
  });
  return app;
}
