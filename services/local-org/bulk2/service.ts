/**
 * The org's Bulk API 2.0 jobs: creation, the single upload of an ingest job, state
 * changes, a processing queue, listing and deletion (Bulk API 2.0 Developer Guide:
 * "Create a Job", "Upload Job Data", "Upload Complete", "Abort a Job", "Delete a Job",
 * "Get All Jobs", query job resources).
 *
 * Jobs run one at a time, asynchronously: a client polls the job until JobComplete,
 * Failed or Aborted, as with Salesforce. Uploaded data and results live in a temporary
 * directory per org and are removed with the job or when the org closes; job records
 * are kept in memory (a restarted org has no jobs, the records they wrote stay).
 */
import { mkdtempSync, rmSync, mkdirSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { SalesforceError } from '../errors';
import type { OrgSchema } from '../schema/types';
import { makeId } from '../store/ids';
import type { Store } from '../store/store';
import { DATA_FILE, runIngest, type IngestDeps } from './ingest';
import { FINISHED, type CreateIngestJob, type CreateQueryJob, type IngestJob, type Job, type QueryJob } from './jobs';
import { runQuery, unsupportedFeature } from './query';

/** 150 MB of base64 per upload ("Upload Job Data"): base64 grows data by 4/3. */
export const MAX_UPLOAD_BYTES = Math.floor((150 * 1024 * 1024 * 3) / 4);
const JOB_PREFIX = '750';

export interface Bulk2ServiceOptions {
  store: Store;
  schema: OrgSchema;
  now(): Date;
  /** Per-row injected failures of an ingest job's rows (fault injection, api/faults.ts). */
  rowFaults?: IngestDeps['rowFaults'];
}

export function jobStateError(job: Job, message: string): SalesforceError {
  return new SalesforceError('INVALIDJOBSTATE', `${message} (job ${job.id} is ${job.state})`, 400);
}

export class Bulk2Service {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private running = false;
  private sequence = 0;
  private workDir: string | undefined;
  private closed = false;

  constructor(private readonly options: Bulk2ServiceOptions) {}

  createIngestJob(request: CreateIngestJob, userId: string, apiVersion: string): IngestJob {
    const object = this.options.schema.find(request.object);
    if (object === undefined || object.isPlatformEvent || !object.createable) {
      throw new SalesforceError('INVALIDENTITY', `Entity '${request.object}' is not supported by the Bulk API.`, 400);
    }
    if (request.operation === 'hardDelete') {
      throw new SalesforceError('FEATURENOTENABLED', 'hardDelete is not available in the local org: use delete (deleted records go to the recycle bin).', 400);
    }
    if (request.assignmentRuleId !== undefined) {
      throw new SalesforceError('FEATURENOTENABLED', 'Assignment rules are not available in the local org: leave assignmentRuleId out.', 400);
    }
    let externalIdFieldName: string | undefined;
    if (request.operation === 'upsert') {
      const field = request.externalIdFieldName === undefined ? undefined : this.options.schema.field(object, request.externalIdFieldName);
      if (field === undefined || !(field.externalId || field.idLookup)) {
        throw new SalesforceError(
          'INVALIDJOB',
          `Field name provided, ${request.externalIdFieldName ?? '(none)'} does not match an External ID, Salesforce Id, or indexed field for ${object.name}`,
          400,
        );
      }
      externalIdFieldName = field.name;
    }
    const now = this.options.now();
    const job: IngestJob = {
      kind: 'ingest',
      id: this.nextId(),
      operation: request.operation,
      object: object.name,
      createdById: userId,
      createdDate: now,
      systemModstamp: now,
      state: 'Open',
      apiVersion,
      lineEnding: request.lineEnding,
      columnDelimiter: request.columnDelimiter,
      numberRecordsProcessed: 0,
      numberRecordsFailed: 0,
      retries: 0,
      totalProcessingTime: 0,
      apiActiveProcessingTime: 0,
      dir: '',
      uploadedBytes: undefined,
      ...(externalIdFieldName === undefined ? {} : { externalIdFieldName }),
    };
    job.dir = this.jobDir(job.id);
    this.jobs.set(job.id, job);
    return job;
  }

  /** Stores the one CSV upload an ingest job accepts. */
  async upload(job: IngestJob, body: Readable): Promise<void> {
    if (job.state !== 'Open') throw jobStateError(job, 'Data can be uploaded to an Open job only');
    if (job.uploadedBytes !== undefined) {
      throw new SalesforceError(
        'BULK_API_ERROR',
        `Found multiple contents for job: <${job.id}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.`,
        400,
      );
    }
    job.uploadedBytes = 0;
    let size = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > MAX_UPLOAD_BYTES) {
          callback(new SalesforceError('EXCEEDED_QUOTA', 'The upload exceeds 150 MB of base64-encoded data (about 112 MB of CSV): split the data across several jobs.', 400));
          return;
        }
        callback(null, chunk);
      },
    });
    try {
      await pipeline(body, limit, createWriteStream(join(job.dir, DATA_FILE)));
      job.uploadedBytes = size;
      job.systemModstamp = this.options.now();
    } catch (error) {
      job.uploadedBytes = undefined;
      throw error;
    }
  }

  closeUpload(job: IngestJob): void {
    if (job.state !== 'Open') throw jobStateError(job, 'Only an Open job can be marked UploadComplete');
    job.state = 'UploadComplete';
    job.systemModstamp = this.options.now();
    if (job.uploadedBytes === undefined) {
      job.state = 'Failed';
      job.errorMessage = 'InvalidBatch : No data was uploaded for this job';
      return;
    }
    this.enqueue(job);
  }

  abort(job: Job): void {
    if (FINISHED.has(job.state)) throw jobStateError(job, 'A finished job cannot be aborted');
    job.state = 'Aborted';
    job.systemModstamp = this.options.now();
  }

  createQueryJob(request: CreateQueryJob, userId: string, apiVersion: string): QueryJob {
    const queryAll = request.operation === 'queryAll';
    const plan = this.options.store.plan(request.query, { queryAll, userId });
    const unsupported = unsupportedFeature(request.query, plan);
    if (unsupported !== undefined) {
      throw new SalesforceError('API_ERROR', `${unsupported} are not supported by Bulk API 2.0 query: use the REST query resource for them.`, 400);
    }
    const now = this.options.now();
    const job: QueryJob = {
      kind: 'query',
      id: this.nextId(),
      operation: request.operation,
      object: plan.sobject.name,
      query: request.query,
      createdById: userId,
      createdDate: now,
      systemModstamp: now,
      state: 'UploadComplete',
      apiVersion,
      lineEnding: request.lineEnding,
      columnDelimiter: request.columnDelimiter,
      numberRecordsProcessed: 0,
      retries: 0,
      totalProcessingTime: 0,
      dir: '',
      rowOffsets: [],
      headerLine: '',
    };
    job.dir = this.jobDir(job.id);
    this.jobs.set(job.id, job);
    this.enqueue(job);
    return job;
  }

  get(id: string, kind: Job['kind']): Job {
    const job = this.jobs.get(id);
    if (job === undefined || job.kind !== kind) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', 404);
    return job;
  }

  list(kind: Job['kind']): Job[] {
    return [...this.jobs.values()].filter((job) => job.kind === kind);
  }

  /** A job can be deleted once it is no longer Open or processing ("Delete a Job"). */
  delete(job: Job): void {
    if (job.state === 'Open' || job.state === 'InProgress') throw jobStateError(job, 'Only an UploadComplete, JobComplete, Aborted or Failed job can be deleted');
    this.jobs.delete(job.id);
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    rmSync(job.dir, { recursive: true, force: true });
  }

  /** Resolves when no job is queued or running (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.running || this.queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    if (this.workDir !== undefined) rmSync(this.workDir, { recursive: true, force: true });
  }

  /** Processing starts after the current request has answered (a new query job reports UploadComplete). */
  private enqueue(job: Job): void {
    this.queue.push(job);
    setImmediate(() => void this.pump());
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let job = this.queue.shift(); job !== undefined && !this.closed; job = this.queue.shift()) {
        if (job.state === 'UploadComplete') {
          job.state = 'InProgress';
          job.systemModstamp = this.options.now();
        }
        if (job.kind === 'ingest') await runIngest(job, this.options);
        else if (job.state !== 'Aborted') await runQuery(job, this.options.store, this.options.now);
      }
    } finally {
      this.running = false;
    }
  }

  private nextId(): string {
    this.sequence += 1;
    return makeId(JOB_PREFIX, this.sequence);
  }

  private jobDir(id: string): string {
    this.workDir ??= mkdtempSync(join(tmpdir(), 'asl-bulk2-'));
    const dir = join(this.workDir, id);
    mkdirSync(dir, { recursive: true });
    return dir;
  }
}
