import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { OrgClient } from './connection';
import { backoffMs, classify, RequestLimitError, sleep, withRetry } from './retry';

/**
 * Writes to the org, spending API calls like the scarce resource they are: records go in
 * sObject Collections of 200 (REST API Developer Guide, "sObject Collections": at most 200
 * records per request), up to 5 collections packed in one Composite request (Composite:
 * "up to 5 subrequests can be sObject Collections or queries", and the whole composite counts
 * as one call), and Bulk API 2.0 above a threshold. Failed records are retried alone when the
 * failure is temporary (UNABLE_TO_LOCK_ROW), never the whole batch.
 */
export type SObjectRecord = Record<string, unknown>;

export type WriteOp =
  | { kind: 'upsert'; sobject: string; externalIdField: string; records: SObjectRecord[] }
  | { kind: 'update'; sobject: string; records: SObjectRecord[] }
  | { kind: 'create'; sobject: string; records: SObjectRecord[] };

export interface RecordOutcome {
  key: string;
  id?: string;
  created?: boolean;
  errorCode?: string;
  message?: string;
}

export interface WriteReport {
  sobject: string;
  succeeded: RecordOutcome[];
  failed: RecordOutcome[];
}

const COLLECTION_SIZE = 200;
const COLLECTIONS_PER_COMPOSITE = 5;

const collectionResult = z.array(
  z.object({
    id: z.string().nullish(),
    success: z.boolean(),
    created: z.boolean().optional(),
    errors: z.array(z.object({ statusCode: z.string(), message: z.string(), fields: z.array(z.string()).optional() })).default([])
  })
);
const compositeResponse = z.object({
  compositeResponse: z.array(z.object({ body: z.unknown(), httpStatusCode: z.number(), referenceId: z.string() }))
});

interface Chunk {
  op: WriteOp;
  records: SObjectRecord[];
}

function keyOf(op: WriteOp, record: SObjectRecord, index: number): string {
  if (op.kind === 'upsert') return String(record[op.externalIdField]);
  if (op.kind === 'update') return String(record.Id ?? record.id);
  return `#${index}`;
}

function subrequest(client: OrgClient, chunk: Chunk, referenceId: string): Record<string, unknown> {
  const base = `/services/data/v${client.config.org.apiVersion}/composite/sobjects`;
  const records = chunk.records.map((record) => ({ attributes: { type: chunk.op.sobject }, ...record }));
  const body = { allOrNone: false, records };
  if (chunk.op.kind === 'upsert') {
    return { method: 'PATCH', url: `${base}/${chunk.op.sobject}/${chunk.op.externalIdField}`, referenceId, body };
  }
  return { method: chunk.op.kind === 'update' ? 'PATCH' : 'POST', url: base, referenceId, body };
}

function chunksOf(op: WriteOp, records: SObjectRecord[]): Chunk[] {
  const chunks: Chunk[] = [];
  for (let start = 0; start < records.length; start += COLLECTION_SIZE) {
    chunks.push({ op, records: records.slice(start, start + COLLECTION_SIZE) });
  }
  return chunks;
}

/** Sends up to 5 collections in one composite call; returns per-record outcomes per chunk. */
async function sendComposite(client: OrgClient, chunks: Chunk[]): Promise<RecordOutcome[][]> {
  const compositeRequest = chunks.map((chunk, index) => subrequest(client, chunk, `c${index}`));
  // A create repeated after a dropped connection could insert twice; only upserts and updates
  // (idempotent by key) are re-sent whole.
  const repeatable = chunks.every((chunk) => chunk.op.kind !== 'create');
  const send = () =>
    client.conn.request({
      method: 'POST',
      url: `/services/data/v${client.config.org.apiVersion}/composite`,
      body: JSON.stringify({ allOrNone: false, compositeRequest }),
      headers: { 'content-type': 'application/json' }
    });
  const raw = repeatable ? await withRetry(send, client.config.retry, 'composite write') : await send();
  const parsed = compositeResponse.parse(raw);
  return chunks.map((chunk, index) => outcomesOf(chunk, parsed.compositeResponse[index]));
}

function outcomesOf(chunk: Chunk, response: { body: unknown; httpStatusCode: number } | undefined): RecordOutcome[] {
  const keys = chunk.records.map((record, index) => keyOf(chunk.op, record, index));
  if (!response) return keys.map((key) => ({ key, errorCode: 'NO_RESPONSE', message: 'the composite response had no entry for this collection' }));
  const results = collectionResult.safeParse(response.body);
  if (!results.success) {
    // The whole subrequest failed (e.g. a bad object name): every record carries its error.
    const first = Array.isArray(response.body) ? (response.body[0] as { errorCode?: string; message?: string } | undefined) : undefined;
    const errorCode = first?.errorCode ?? `ERROR_HTTP_${response.httpStatusCode}`;
    return keys.map((key) => ({ key, errorCode, message: first?.message ?? 'collection request failed' }));
  }
  return results.data.map((result, index) => {
    const key = keys[index] ?? `#${index}`;
    if (result.success) return { key, ...(result.id ? { id: result.id } : {}), ...(result.created !== undefined ? { created: result.created } : {}) };
    const error = result.errors[0];
    return { key, errorCode: error?.statusCode ?? 'UNKNOWN', message: error?.message ?? '' };
  });
}

/** Writes through collections (packed in composites), retrying only temporarily failed records. */
async function writeByCollections(client: OrgClient, ops: WriteOp[]): Promise<WriteReport[]> {
  const reports = ops.map((op) => ({ sobject: op.sobject, succeeded: [] as RecordOutcome[], failed: [] as RecordOutcome[] }));
  let pending = ops.map((op) => op.records);
  for (let attempt = 0; pending.some((records) => records.length > 0); attempt += 1) {
    const chunks = ops.flatMap((op, opIndex) => chunksOf(op, pending[opIndex] ?? []).map((chunk) => ({ chunk, opIndex })));
    const retry: SObjectRecord[][] = ops.map(() => []);
    for (let start = 0; start < chunks.length; start += COLLECTIONS_PER_COMPOSITE) {
      const group = chunks.slice(start, start + COLLECTIONS_PER_COMPOSITE);
      const outcomes = await sendComposite(client, group.map((entry) => entry.chunk));
      group.forEach(({ chunk, opIndex }, groupIndex) => {
        const report = reports[opIndex] as WriteReport;
        (outcomes[groupIndex] ?? []).forEach((outcome, recordIndex) => {
          if (!outcome.errorCode) return void report.succeeded.push(outcome);
          const verdict = classify(outcome.errorCode);
          if (verdict === 'limit') throw new RequestLimitError('collection write: the daily API request limit is exceeded');
          if (verdict === 'transient' && attempt + 1 < client.config.retry.maxAttempts) {
            (retry[opIndex] as SObjectRecord[]).push(chunk.records[recordIndex] as SObjectRecord);
          } else {
            report.failed.push(outcome);
          }
        });
      });
    }
    pending = retry;
    if (pending.some((records) => records.length > 0)) await sleep(backoffMs(attempt, client.config.retry));
  }
  return reports;
}

/**
 * Bulk API 2.0 CSV (Bulk API 2.0 Developer Guide, "Prepare CSV Files"): a header of field
 * names, one row per record, #N/A to set a field to null.
 */
export function toBulkCsv(records: SObjectRecord[]): string {
  const columns = [...new Set(records.flatMap((record) => Object.keys(record)))];
  const rows = records.map((record) =>
    columns.map((column) => {
      const value = record[column];
      if (value === null) return '#N/A';
      if (value === undefined) return '';
      return value instanceof Date ? value.toISOString() : String(value);
    })
  );
  return stringify([columns, ...rows], { eof: true, record_delimiter: 'unix' });
}

/** Bulk API 2.0 for volume; rows that failed temporarily go round again through collections. */
async function writeByBulk(client: OrgClient, op: WriteOp): Promise<WriteReport> {
  const operation = op.kind === 'create' ? 'insert' : op.kind;
  const results = await client.conn.bulk2.loadAndWaitForResults({
    object: op.sobject,
    operation,
    ...(op.kind === 'upsert' ? { externalIdFieldName: op.externalIdField } : {}),
    // CSV text, not a record array: jsforce 3.10 drops the start of the CSV it builds from a
    // large array before uploading it (reproduced against a bare HTTP server).
    input: toBulkCsv(op.records),
    pollInterval: 1000,
    pollTimeout: 30 * 60 * 1000
  });
  const report: WriteReport = { sobject: op.sobject, succeeded: [], failed: [] };
  for (const row of results.successfulResults) {
    const record = row as Record<string, unknown>;
    report.succeeded.push({ key: keyOf(op, record, 0), id: String(record.sf__Id), created: record.sf__Created === 'true' || record.sf__Created === true });
  }
  const again: SObjectRecord[] = [];
  for (const row of [...results.failedResults, ...results.unprocessedRecords]) {
    const record = row as Record<string, unknown>;
    const errorText = String(record.sf__Error ?? 'UNPROCESSED:not processed by the job');
    const errorCode = errorText.split(':')[0] ?? 'UNKNOWN';
    const clean = Object.fromEntries(Object.entries(record).filter(([name]) => !name.startsWith('sf__')));
    if (classify(errorCode) === 'transient' || errorCode === 'UNPROCESSED') again.push(clean);
    else report.failed.push({ key: keyOf(op, clean, 0), errorCode, message: errorText });
  }
  if (again.length > 0) {
    const [retried] = await writeByCollections(client, [{ ...op, records: again }]);
    report.succeeded.push(...(retried?.succeeded ?? []));
    report.failed.push(...(retried?.failed ?? []));
  }
  return report;
}

/** Writes each op by the cheapest route for its size; reports per record what happened. */
export async function writeRecords(client: OrgClient, ops: WriteOp[]): Promise<WriteReport[]> {
  const threshold = client.config.writes.bulkThreshold;
  const small = ops.filter((op) => op.records.length > 0 && op.records.length <= threshold);
  const large = ops.filter((op) => op.records.length > threshold);
  const smallReports = small.length > 0 ? await writeByCollections(client, small) : [];
  const largeReports: WriteReport[] = [];
  for (const op of large) largeReports.push(await writeByBulk(client, op));
  return ops.map((op) => {
    if (op.records.length === 0) return { sobject: op.sobject, succeeded: [], failed: [] };
    const list = op.records.length > threshold ? largeReports : smallReports;
    const source = op.records.length > threshold ? large : small;
    return list[source.indexOf(op)] as WriteReport;
  });
}


