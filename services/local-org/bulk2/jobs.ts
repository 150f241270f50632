/**
 * Bulk API 2.0 jobs: request shapes, states and the job info JSON Salesforce answers
 * (Bulk API 2.0 Developer Guide: "Create a Job", "Get Information About an Ingest Job",
 * "Create a Query Job", "Get Information About a Query Job", "Get All Jobs").
 *
 * States: an ingest job is Open until UploadComplete; a query job starts UploadComplete;
 * both then go InProgress and end JobComplete, Failed (with errorMessage) or Aborted.
 */
import { z } from 'zod';
import { formatDateTime } from '../store/values';
import { COLUMN_DELIMITERS, type ColumnDelimiter, type LineEnding } from './csv';

const delimiterNames = Object.keys(COLUMN_DELIMITERS) as [ColumnDelimiter, ...ColumnDelimiter[]];

export const ingestOperationSchema = z.enum(['insert', 'update', 'upsert', 'delete', 'hardDelete']);
export type IngestOperation = z.infer<typeof ingestOperationSchema>;

export const createIngestJobSchema = z
  .object({
    object: z.string().min(1),
    operation: ingestOperationSchema,
    externalIdFieldName: z.string().min(1).optional(),
    contentType: z.literal('CSV').default('CSV'),
    columnDelimiter: z.enum(delimiterNames).default('COMMA'),
    lineEnding: z.enum(['LF', 'CRLF']).default('LF'),
    assignmentRuleId: z.string().min(15).max(18).optional(),
  })
  .strict();
export type CreateIngestJob = z.infer<typeof createIngestJobSchema>;

export const createQueryJobSchema = z
  .object({
    operation: z.enum(['query', 'queryAll']),
    query: z.string().min(1),
    contentType: z.literal('CSV').default('CSV'),
    columnDelimiter: z.enum(delimiterNames).default('COMMA'),
    lineEnding: z.enum(['LF', 'CRLF']).default('LF'),
  })
  .strict();
export type CreateQueryJob = z.infer<typeof createQueryJobSchema>;

export const stateChangeSchema = z.object({ state: z.enum(['UploadComplete', 'Aborted']) }).strict();

export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

export const FINISHED: ReadonlySet<JobState> = new Set(['JobComplete', 'Failed', 'Aborted']);

interface JobBase {
  id: string;
  object: string;
  createdById: string;
  createdDate: Date;
  systemModstamp: Date;
  state: JobState;
  apiVersion: string;
  lineEnding: LineEnding;
  columnDelimiter: ColumnDelimiter;
  numberRecordsProcessed: number;
  retries: number;
  totalProcessingTime: number;
  errorMessage?: string;
  /** Directory holding the job's uploaded data and results. */
  dir: string;
}

export interface IngestJob extends JobBase {
  kind: 'ingest';
  operation: IngestOperation;
  externalIdFieldName?: string;
  assignmentRuleId?: string;
  numberRecordsFailed: number;
  apiActiveProcessingTime: number;
  /** Bytes received by the single upload allowed per job. */
  uploadedBytes: number | undefined;
}

export interface QueryJob extends JobBase {
  kind: 'query';
  operation: 'query' | 'queryAll';
  query: string;
  /** Byte offset of each result row in results.csv, plus the end of the file. */
  rowOffsets: number[];
  /** The header line of every result page. */
  headerLine: string;
}

export type Job = IngestJob | QueryJob;

/** Create/close/abort answer: the job as created, without the processing counters. */
export function ingestJobSummary(job: IngestJob): Record<string, unknown> {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: formatDateTime(job.createdDate),
    systemModstamp: formatDateTime(job.systemModstamp),
    state: job.state,
    ...(job.externalIdFieldName === undefined ? {} : { externalIdFieldName: job.externalIdFieldName }),
    ...(job.assignmentRuleId === undefined ? {} : { assignmentRuleId: job.assignmentRuleId }),
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(job.apiVersion),
    ...(job.state === 'Open' ? { contentUrl: `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches` } : {}),
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
  };
}

/** Get Job Info: the summary plus jobType and the processing counters. */
export function ingestJobInfo(job: IngestJob): Record<string, unknown> {
  return {
    ...ingestJobSummary(job),
    jobType: 'V2Ingest',
    numberRecordsProcessed: job.numberRecordsProcessed,
    numberRecordsFailed: job.numberRecordsFailed,
    retries: job.retries,
    totalProcessingTime: job.totalProcessingTime,
    apiActiveProcessingTime: job.apiActiveProcessingTime,
    apexProcessingTime: 0,
    ...(job.errorMessage === undefined ? {} : { errorMessage: job.errorMessage }),
  };
}

export function queryJobSummary(job: QueryJob): Record<string, unknown> {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: formatDateTime(job.createdDate),
    systemModstamp: formatDateTime(job.systemModstamp),
    state: job.state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(job.apiVersion),
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
  };
}

export function queryJobInfo(job: QueryJob): Record<string, unknown> {
  return {
    ...queryJobSummary(job),
    jobType: 'V2Query',
    numberRecordsProcessed: job.numberRecordsProcessed,
    retries: job.retries,
    totalProcessingTime: job.totalProcessingTime,
    isPkChunkingSupported: true,
    ...(job.errorMessage === undefined ? {} : { errorMessage: job.errorMessage }),
  };
}
