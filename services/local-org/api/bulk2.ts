/**
 * Bulk API 2.0 resources under /services/data/vXX.X/jobs (Bulk API 2.0 Developer Guide):
 *
 *   POST   /jobs/ingest                      create an ingest job (200, job info, state Open)
 *   PUT    /jobs/ingest/{id}/batches         upload the CSV, once (201, no body)
 *   PATCH  /jobs/ingest/{id}                 { state: UploadComplete | Aborted }
 *   GET    /jobs/ingest/{id}                 job info with numberRecordsProcessed/Failed
 *   GET    /jobs/ingest/{id}/successfulResults | failedResults | unprocessedrecords   (CSV)
 *   DELETE /jobs/ingest/{id}                 (204)
 *   GET    /jobs/ingest                      all ingest jobs
 *   POST   /jobs/query, GET/PATCH/DELETE /jobs/query/{id}, GET /jobs/query
 *   GET    /jobs/query/{id}/results?locator=&maxRecords=   (CSV, Sforce-Locator, Sforce-NumberOfRecords)
 *
 * Requests arrive here after the org's version, session and API-count checks. Errors are
 * Salesforce's `[{ errorCode, message }]` with the HTTP status of the SalesforceError.
 */
import { existsSync, createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { sessionOf, type LocalOrgContext } from '../context';
import { SalesforceError } from '../errors';
import { RESULT_FILES } from '../bulk2/ingest';
import {
  createIngestJobSchema,
  createQueryJobSchema,
  FINISHED,
  ingestJobInfo,
  ingestJobSummary,
  queryJobInfo,
  queryJobSummary,
  stateChangeSchema,
  type IngestJob,
  type Job,
  type QueryJob,
} from '../bulk2/jobs';
import { DEFAULT_MAX_RECORDS, readResultSet } from '../bulk2/query';
import { Bulk2Service, jobStateError } from '../bulk2/service';

/** Bulk API 2.0 ingest exists since API 41.0, query jobs since 47.0. */
const INGEST_SINCE = 41;
const QUERY_SINCE = 47;
const LIST_PAGE = 1000;

const resultsQuerySchema = z.object({
  locator: z.string().optional(),
  maxRecords: z
    .string()
    .regex(/^\d+$/, 'maxRecords is a whole number of records, e.g. 50000')
    .transform(Number)
    .refine((n) => n > 0, 'maxRecords must be at least 1')
    .optional(),
});

const listQuerySchema = z.object({
  queryLocator: z.string().regex(/^\d+$/, 'queryLocator comes from a previous nextRecordsUrl').optional(),
  jobType: z.string().optional(),
  isPkChunkingEnabled: z.enum(['true', 'false']).optional(),
  concurrencyMode: z.string().optional(),
});

type Handler = (req: Request, res: Response) => unknown;

export function mountBulk2(ctx: LocalOrgContext): Router {
  // Ingest rows meet `lockRow` rules matching "BULK /jobs/ingest/<Object>" (one draw per row).
  const service = new Bulk2Service({ store: ctx.store, schema: ctx.schema, now: () => ctx.now(), rowFaults: (job) => ctx.faults.recordFaults('BULK', `/jobs/ingest/${job.object}`) });
  ctx.onListen((server) => server.once('close', () => service.close()));
  const router = Router();
  const ingest = '/services/data/:version/jobs/ingest';
  const query = '/services/data/:version/jobs/query';

  const ingestJob = (req: Request): IngestJob => {
    since(req, INGEST_SINCE);
    return service.get(String(req.params.id), 'ingest') as IngestJob;
  };
  const queryJob = (req: Request): QueryJob => {
    since(req, QUERY_SINCE);
    return service.get(String(req.params.id), 'query') as QueryJob;
  };

  const routes: Array<['get' | 'post' | 'put' | 'patch' | 'delete', string, Handler]> = [
    [
      'post',
      ingest,
      (req, res) => {
        const body = parseBody(createIngestJobSchema, req.body);
        res.json(ingestJobSummary(service.createIngestJob(body, sessionOf(res).userId, since(req, INGEST_SINCE))));
      },
    ],
    ['get', ingest, (req, res) => res.json(listBody(req, service.list('ingest'), INGEST_SINCE, 'V2Ingest'))],
    ['get', `${ingest}/:id`, (req, res) => res.json(ingestJobInfo(ingestJob(req)))],
    [
      'put',
      `${ingest}/:id/batches`,
      async (req, res) => {
        await service.upload(ingestJob(req), req);
        res.status(201).end();
      },
    ],
    [
      'patch',
      `${ingest}/:id`,
      (req, res) => {
        const job = ingestJob(req);
        const { state } = parseBody(stateChangeSchema, req.body);
        if (state === 'UploadComplete') service.closeUpload(job);
        else service.abort(job);
        res.json(ingestJobSummary(job));
      },
    ],
    [
      'delete',
      `${ingest}/:id`,
      (req, res) => {
        service.delete(ingestJob(req));
        res.status(204).end();
      },
    ],
    ['get', `${ingest}/:id/successfulResults`, (req, res) => sendResults(ingestJob(req), RESULT_FILES.successful, res)],
    ['get', `${ingest}/:id/failedResults`, (req, res) => sendResults(ingestJob(req), RESULT_FILES.failed, res)],
    ['get', `${ingest}/:id/unprocessedrecords`, (req, res) => sendResults(ingestJob(req), RESULT_FILES.unprocessed, res)],
    [
      'post',
      query,
      (req, res) => {
        const body = parseBody(createQueryJobSchema, req.body);
        res.json(queryJobSummary(service.createQueryJob(body, sessionOf(res).userId, since(req, QUERY_SINCE))));
      },
    ],
    ['get', query, (req, res) => res.json(listBody(req, service.list('query'), QUERY_SINCE, 'V2Query'))],
    ['get', `${query}/:id`, (req, res) => res.json(queryJobInfo(queryJob(req)))],
    [
      'patch',
      `${query}/:id`,
      (req, res) => {
        const job = queryJob(req);
        const { state } = parseBody(stateChangeSchema, req.body);
        if (state !== 'Aborted') throw new SalesforceError('INVALIDJOBSTATE', 'A query job can only be changed to Aborted', 400);
        service.abort(job);
        res.json(queryJobSummary(job));
      },
    ],
    [
      'delete',
      `${query}/:id`,
      (req, res) => {
        service.delete(queryJob(req));
        res.status(204).end();
      },
    ],
    ['get', `${query}/:id/results`, (req, res) => sendQueryResults(queryJob(req), req, res)],
  ];
  for (const [method, path, handler] of routes) router[method](path, handler);
  return router;
}

/** The request's API version ("62.0"), or 404 below the version a resource appeared in. */
function since(req: Request, minimum: number): string {
  const version = /^v(\d+\.\d)$/.exec(String(req.params.version))?.[1];
  if (version === undefined || Number(version) < minimum) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', 404);
  return version;
}

function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? 'request body' : issue.path.join('.');
  const keys = issue?.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
  throw new SalesforceError('JSON_PARSER_ERROR', `${where}: ${issue?.message ?? 'invalid'}${keys}`, 400);
}

function sendResults(job: IngestJob, file: string, res: Response): void {
  if (!FINISHED.has(job.state)) throw jobStateError(job, 'Results are available once the job has finished');
  res.type('text/csv; charset=UTF-8');
  const path = join(job.dir, file);
  if (!existsSync(path)) {
    res.send('');
    return;
  }
  createReadStream(path).pipe(res);
}

function sendQueryResults(job: QueryJob, req: Request, res: Response): void {
  if (job.state !== 'JobComplete') throw jobStateError(job, 'Results are available once the query job is JobComplete');
  const parsed = resultsQuerySchema.safeParse(req.query);
  if (!parsed.success) throw new SalesforceError('INVALIDREQUEST', parsed.error.issues[0]?.message ?? 'invalid parameters', 400);
  const set = readResultSet(job, parsed.data.locator, parsed.data.maxRecords ?? DEFAULT_MAX_RECORDS);
  res.set('Sforce-Locator', set.locator);
  res.set('Sforce-NumberOfRecords', String(set.numberOfRecords));
  res.type('text/csv; charset=UTF-8');
  if (typeof set.body === 'string') res.send(set.body);
  else set.body.pipe(res);
}

/** Get All Jobs: pages of 1,000 with nextRecordsUrl while more remain. */
function listBody(req: Request, jobs: Job[], minimum: number, jobType: string): Record<string, unknown> {
  since(req, minimum);
  const parsed = listQuerySchema.safeParse(req.query);
  if (!parsed.success) throw new SalesforceError('INVALIDREQUEST', parsed.error.issues[0]?.message ?? 'invalid parameters', 400);
  const { queryLocator, jobType: wanted, isPkChunkingEnabled, concurrencyMode } = parsed.data;
  const matching = jobs.filter(
    () => (wanted === undefined || wanted === jobType) && isPkChunkingEnabled !== 'true' && (concurrencyMode === undefined || concurrencyMode.toLowerCase() === 'parallel'),
  );
  const start = queryLocator === undefined ? 0 : Number(queryLocator);
  const page = matching.slice(start, start + LIST_PAGE);
  const more = start + LIST_PAGE < matching.length;
  const base = req.path.replace(/\/$/, '');
  return {
    done: !more,
    records: page.map((job) => ({ ...(job.kind === 'ingest' ? ingestJobSummary(job) : queryJobSummary(job)), jobType })),
    nextRecordsUrl: more ? `${base}?queryLocator=${start + LIST_PAGE}` : null,
  };
}
