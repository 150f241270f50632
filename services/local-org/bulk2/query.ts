/**
 * Bulk API 2.0 query jobs (Bulk API 2.0 Developer Guide: "Understanding Bulk API 2.0
 * Query", "Create a Query Job", "Get Results for a Query Job"):
 *
 * - the SOQL is checked when the job is created (the same errors as the REST query
 *   resource); GROUP BY, OFFSET, TYPEOF, aggregate functions and parent-to-child
 *   subqueries are refused, as Bulk API 2.0 does not support them;
 * - results are CSV in SELECT order (API 50.0+), parent fields as `Owner.Name`, every value
 *   quoted, null as an empty value, booleans true/false, dates yyyy-MM-dd and datetimes
 *   ISO 8601 in UTC;
 * - results are read in sets: `maxRecords` bounds a set, the `Sforce-Locator` header names
 *   the next one (the string `null` after the last), `Sforce-NumberOfRecords` counts the
 *   rows of this set, and every set starts with the header row; a locator can be read
 *   again as long as the job exists.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parseQuery, type FieldType, type Query } from '@jetstreamapp/soql-parser-js';
import { SalesforceError } from '../errors';
import type { Store } from '../store/store';
import type { SObjectRecord } from '../store/types';
import { csvLine, dialectOf } from './csv';
import type { QueryJob } from './jobs';

export const RESULTS_FILE = 'results.csv';
/** Rows per result set when the client does not ask for fewer. */
export const DEFAULT_MAX_RECORDS = 50_000;
const SLICE = 2_000;

/**
 * The features Bulk API 2.0 query rejects ("Understanding Bulk API 2.0 Query", SOQL
 * Considerations), or undefined. Run after the store accepted the SOQL.
 */
export function unsupportedFeature(soql: string, plan: ReturnType<Store['plan']>): string | undefined {
  if (plan.kind === 'count' || plan.kind === 'aggregate') return 'Aggregate functions and GROUP BY';
  if (plan.children.length > 0) return 'Parent-to-child relationship queries';
  let parsed: Query;
  try {
    parsed = parseQuery(soql);
  } catch {
    return undefined;
  }
  if (parsed.offset !== undefined) return 'OFFSET';
  if ((parsed.fields ?? []).some((field: FieldType) => field.type === 'FieldTypeof')) return 'TYPEOF';
  return undefined;
}

/** Runs the query into results.csv, remembering where each row starts. */
export async function runQuery(job: QueryJob, store: Store, now: () => Date): Promise<void> {
  const started = Date.now();
  const dialect = dialectOf(job.columnDelimiter, job.lineEnding);
  const out = createWriteStream(join(job.dir, RESULTS_FILE), { highWaterMark: 1 << 20 });
  let bytes = 0;
  const write = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  try {
    const stream = store.stream(job.query, { queryAll: job.operation === 'queryAll', userId: job.createdById });
    try {
      job.headerLine = csvLine(stream.columns, dialect);
      job.rowOffsets = [];
      let chunk = '';
      let chunkBytes = 0;
      let count = 0;
      for (const record of stream.records) {
        const line = csvLine(stream.columns.map((path) => csvValue(valueAt(record, path))), dialect);
        job.rowOffsets.push(bytes + chunkBytes);
        chunk += line;
        chunkBytes += Buffer.byteLength(line);
        count += 1;
        if (count % SLICE === 0) {
          await write(chunk);
          chunk = '';
          chunkBytes = 0;
          job.numberRecordsProcessed = count;
          if (job.state === 'Aborted') return;
          await nextTurn();
        }
      }
      await write(chunk);
      job.rowOffsets.push(bytes);
      job.numberRecordsProcessed = count;
    } finally {
      stream.close();
    }
    if (job.state !== 'Aborted') job.state = 'JobComplete';
  } catch (error) {
    job.state = 'Failed';
    job.errorMessage = error instanceof SalesforceError ? `${error.errorCode} : ${error.message}` : `UNKNOWN_EXCEPTION : ${(error as Error).message}`;
  } finally {
    await new Promise<void>((resolve) => out.end(() => resolve()));
    job.totalProcessingTime = Date.now() - started;
    job.systemModstamp = now();
  }
}

/** A value at a dot path of a record in the REST shape (`Owner.Name`), null when a parent is missing. */
export function valueAt(record: SObjectRecord, path: string): unknown {
  let current: unknown = record;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return null;
    const holder = current as Record<string, unknown>;
    current = key in holder ? holder[key] : holder[Object.keys(holder).find((k) => k.toLowerCase() === key.toLowerCase()) ?? key];
  }
  return current ?? null;
}

/** A value as Bulk API 2.0 query CSV writes it. */
export function csvValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  const text = String(value);
  // Datetimes leave the store as `...+0000` (REST's form); query results use ISO 8601 with Z.
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/.test(text) ? `${text.slice(0, -5)}Z` : text;
}

/** The opaque locator of the set starting at row `start` (Salesforce's look like base64 of a number: "MTAwMDA"). */
export function locatorOf(start: number): string {
  return Buffer.from(String(start)).toString('base64').replace(/=+$/, '');
}

export function startOf(locator: string | undefined, rows: number): number {
  if (locator === undefined || locator === '') return 0;
  const text = Buffer.from(locator, 'base64').toString('utf8');
  const start = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(start) || start < 0 || start > rows || locatorOf(start) !== locator.replace(/=+$/, '')) {
    throw new SalesforceError('INVALID_LOCATOR', `Invalid locator: ${locator}`, 400);
  }
  return start;
}

export interface ResultSet {
  body: Readable | string;
  numberOfRecords: number;
  /** The locator of the next set, or 'null' after the last. */
  locator: string;
}

/** The result set starting at `locator` with at most `maxRecords` rows, header first. */
export function readResultSet(job: QueryJob, locator: string | undefined, maxRecords: number): ResultSet {
  const rows = job.rowOffsets.length - 1;
  const start = startOf(locator, rows);
  const end = Math.min(rows, start + maxRecords);
  const next = end < rows ? locatorOf(end) : 'null';
  if (end === start) return { body: job.headerLine, numberOfRecords: 0, locator: next };
  const file = createReadStream(join(job.dir, RESULTS_FILE), { start: job.rowOffsets[start] as number, end: (job.rowOffsets[end] as number) - 1 });
  return { body: prepend(job.headerLine, file), numberOfRecords: end - start, locator: next };
}

async function* prependGenerator(first: string, rest: Readable): AsyncGenerator<Buffer | string> {
  yield first;
  for await (const chunk of rest) yield chunk as Buffer;
}

function prepend(first: string, rest: Readable): Readable {
  return Readable.from(prependGenerator(first, rest));
}
