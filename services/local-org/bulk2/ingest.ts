/**
 * Processing of a Bulk API 2.0 ingest job once its data is uploaded (Bulk API 2.0
 * Developer Guide: "Prepare CSV Files", "Valid Date Format in Records", "Relationship
 * Fields in a Header Row", "Get Job Successful/Failed/Unprocessed Record Results"):
 *
 * - the header names fields (`LastName`), or parents by an indexed field
 *   (`Station__r.Key__c`, `Owner.Username`, polymorphic `Type:Rel.Field`); an unknown name
 *   fails the whole job with `InvalidBatch : Field name not found : <name>`;
 * - an empty value leaves the field alone, `#N/A` sets it to null;
 * - a value that does not fit the field's type fails its row with
 *   `INVALID_FIELD:Failed to deserialize field at col N. Due to, '<v>' is not a valid value
 *   for the type xsd:<type>:<field> --`;
 * - rows are saved in batches of 2,000 (short enough to keep the server answering polls) with per-record results (no all-or-none): each
 *   row lands in successfulResults (`sf__Id`, `sf__Created`, the uploaded values) or
 *   failedResults (`sf__Id`, `sf__Error` as `CODE:message:fields --`, the uploaded values);
 *   rows never reached (abort, job failure) are listed by unprocessedrecords;
 * - line endings must match the job's lineEnding, else the job fails with
 *   `ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF`.
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parse } from 'csv-parse';
import type { FieldDef, OrgSchema, SObjectDef } from '../schema/types';
import type { SaveOperation, Store } from '../store/store';
import type { RecordError } from '../errors';
import type { FieldValue, SObjectInput } from '../store/types';
import { csvLine, dialectOf, lineEndingMismatch, type CsvDialect } from './csv';
import type { IngestJob } from './jobs';

export const INGEST_BATCH = 2_000;
export const RESULT_FILES = { successful: 'successfulResults.csv', failed: 'failedResults.csv', unprocessed: 'unprocessedRecords.csv' } as const;
export const DATA_FILE = 'data.csv';

export interface IngestDeps {
  store: Store;
  schema: OrgSchema;
  now(): Date;
  /**
   * Fault injection: the injected error of a row (UNABLE_TO_LOCK_ROW), per job. Rows of a
   * real ingest job fail one by one in failedResults while the others are saved (Bulk API 2.0
   * Developer Guide, "Get Job Failed Record Results").
   */
  rowFaults?: (job: IngestJob) => ((index: number, id: string | null) => RecordError | undefined) | undefined;
}

/** A header column and how its values reach the record. */
type Column =
  | { kind: 'field'; field: FieldDef; convert: (raw: string, col: number) => FieldValue }
  | { kind: 'parent'; lookup: FieldDef; relationship: string; targetType: string | undefined; keyField: string };

/** A job-level failure: the job ends Failed with this errorMessage. */
export class JobFailure extends Error {}

/** Per-row failure found before saving. */
class RowFailure extends Error {
  constructor(readonly error: RecordError) {
    super(error.message);
  }
}

export async function runIngest(job: IngestJob, deps: IngestDeps): Promise<void> {
  const started = Date.now();
  const dialect = dialectOf(job.columnDelimiter, job.lineEnding);
  const writers = new ResultWriters(job.dir, dialect);
  let header: string[] | undefined;
  let batch: string[][] = [];
  try {
    const object = deps.schema.find(job.object) as SObjectDef;
    await checkLineEnding(join(job.dir, DATA_FILE), job);
    const parser = createReadStream(join(job.dir, DATA_FILE)).pipe(
      parse({ delimiter: dialect.delimiter, record_delimiter: dialect.eol, bom: true, relax_column_count: true, skip_empty_lines: true }),
    );
    let plan: Column[] | undefined;
    try {
      for await (const row of parser as AsyncIterable<string[]>) {
        if (header === undefined) {
          header = row;
          await writers.begin(header);
          plan = planColumns(deps.schema, object, job, header);
          continue;
        }
        if (job.state === 'Aborted') {
          await writers.unprocessed(row);
          continue;
        }
        batch.push(row);
        if (batch.length >= INGEST_BATCH) {
          await saveBatch(job, deps, object, header, plan as Column[], batch, writers);
          batch = [];
          await nextTurn();
        }
      }
    } catch (error) {
      if (error instanceof JobFailure) throw error;
      const code = (error as { code?: string }).code;
      if (typeof code === 'string' && code.startsWith('CSV_')) throw new JobFailure(`ClientInputError : ${(error as Error).message}`);
      throw error;
    }
    if (header === undefined) throw new JobFailure('ClientInputError : The uploaded data has no header row');
    if (batch.length > 0) {
      if (job.state === 'Aborted') for (const row of batch) await writers.unprocessed(row);
      else await saveBatch(job, deps, object, header, plan as Column[], batch, writers);
    }
    if (job.state !== 'Aborted') job.state = 'JobComplete';
  } catch (error) {
    job.state = 'Failed';
    job.errorMessage = error instanceof JobFailure ? error.message : `UNKNOWN_EXCEPTION : ${(error as Error).message}`;
    if (job.numberRecordsProcessed === 0) await copyUnprocessed(job, dialect, writers, header);
    else for (const row of batch) await writers.unprocessed(row);
  } finally {
    await writers.close();
    job.totalProcessingTime = Date.now() - started;
    job.systemModstamp = deps.now();
  }
}

/** Every data row of the upload goes to unprocessedrecords (the job failed before saving them). */
async function copyUnprocessed(job: IngestJob, dialect: CsvDialect, writers: ResultWriters, header: string[] | undefined): Promise<void> {
  try {
    const parser = createReadStream(join(job.dir, DATA_FILE)).pipe(
      parse({ delimiter: dialect.delimiter, record_delimiter: ['\n', '\r\n'], bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }),
    );
    let first = true;
    for await (const row of parser as AsyncIterable<string[]>) {
      if (first) {
        first = false;
        if (header === undefined) await writers.begin(row);
        continue;
      }
      await writers.unprocessed(row);
    }
  } catch {
    // Data too malformed to list again: unprocessedrecords keeps what it has.
  }
}

async function checkLineEnding(path: string, job: IngestJob): Promise<void> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    if (lineEndingMismatch(buffer.subarray(0, bytesRead).toString('utf8'), job.lineEnding)) {
      throw new JobFailure(`ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is ${job.lineEnding}`);
    }
  } finally {
    await file.close();
  }
}

function planColumns(schema: OrgSchema, object: SObjectDef, job: IngestJob, header: string[]): Column[] {
  const seen = new Set<string>();
  return header.map((raw) => {
    const name = raw.trim();
    if (seen.has(name.toLowerCase())) throw new JobFailure(`InvalidBatch : Duplicate field name: ${name}`);
    seen.add(name.toLowerCase());
    return name.includes('.') ? parentColumn(schema, object, name) : fieldColumn(schema, object, name);
  });
}

function fieldColumn(schema: OrgSchema, object: SObjectDef, name: string): Column {
  const field = schema.field(object, name);
  if (field === undefined) throw new JobFailure(`InvalidBatch : Field name not found : ${name}`);
  return { kind: 'field', field, convert: converter(field) };
}

/** `Rel.Field` or, for a polymorphic lookup, `Type:Rel.Field`. */
function parentColumn(schema: OrgSchema, object: SObjectDef, name: string): Column {
  const match = /^(?:([A-Za-z]\w*):)?([A-Za-z]\w*)\.([A-Za-z]\w*)$/.exec(name);
  const lookup = match === null ? undefined : schema.relationship(object, match[2] as string);
  if (match === null || lookup === undefined || lookup.relationshipName === null) throw new JobFailure(`InvalidBatch : Field name not found : ${name}`);
  const typeName = match[1];
  if (typeName !== undefined && lookup.referenceTo.length === 1) {
    throw new JobFailure(`InvalidBatch : type is not needed for non polymorphic foreign key references: ${lookup.relationshipName}`);
  }
  const target = schema.find(typeName ?? lookup.referenceTo[0] ?? '');
  const keyField = target === undefined ? undefined : schema.field(target, match[3] as string);
  if (target === undefined || keyField === undefined || !(keyField.externalId || keyField.idLookup)) {
    throw new JobFailure(`InvalidBatch : Field name not found : ${name}`);
  }
  return { kind: 'parent', lookup, relationship: lookup.relationshipName, targetType: typeName === undefined ? undefined : target.name, keyField: keyField.name };
}

const XSD: Partial<Record<FieldDef['type'], string>> = { boolean: 'boolean', int: 'int', double: 'double', currency: 'double', percent: 'double', date: 'date', datetime: 'dateTime', time: 'time' };
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:?\d{2})?$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Reads a CSV value as the field's type; wrong values fail the row, as Bulk API's deserializer does. */
function converter(field: FieldDef): (raw: string, col: number) => FieldValue {
  const fail = (raw: string, col: number): never => {
    throw new RowFailure({
      statusCode: 'INVALID_FIELD',
      message: `Failed to deserialize field at col ${col}. Due to, '${raw}' is not a valid value for the type xsd:${XSD[field.type] ?? 'string'}`,
      fields: [field.name],
    });
  };
  switch (field.type) {
    case 'boolean':
      return (raw, col) => {
        const lower = raw.toLowerCase();
        if (lower === 'true' || lower === '1') return true;
        if (lower === 'false' || lower === '0') return false;
        return fail(raw, col);
      };
    case 'int':
      return (raw, col) => (/^[+-]?\d+$/.test(raw) ? Number(raw) : fail(raw, col));
    case 'double':
    case 'currency':
    case 'percent':
      return (raw, col) => (NUMBER.test(raw) ? Number(raw) : fail(raw, col));
    case 'date':
      // A date may carry a zone designator (the guide's own sample uses 1940-06-07Z).
      return (raw, col) => DATE.exec(raw)?.[1] ?? fail(raw, col);
    case 'datetime':
      return (raw, col) => (DATETIME.test(raw) ? raw : fail(raw, col));
    default:
      return (raw) => raw;
  }
}

function toOperation(job: IngestJob, object: SObjectDef, plan: Column[], row: string[]): SaveOperation {
  const record: SObjectInput = {};
  plan.forEach((column, col) => {
    const raw = row[col] ?? '';
    if (raw === '') return;
    if (column.kind === 'field') {
      record[column.field.name] = raw === '#N/A' ? null : column.convert(raw, col);
      return;
    }
    if (raw === '#N/A') record[column.lookup.name] = null;
    else record[column.relationship] = { ...(column.targetType === undefined ? {} : { attributes: { type: column.targetType } }), [column.keyField]: raw };
  });
  switch (job.operation) {
    case 'insert':
      return { kind: 'insert', sobject: object.name, record };
    case 'update':
      if (typeof record.Id !== 'string') throw new RowFailure({ statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] });
      return { kind: 'update', sobject: object.name, record };
    case 'upsert': {
      const key = job.externalIdFieldName as string;
      if (record[key] === undefined || record[key] === null) throw new RowFailure({ statusCode: 'MISSING_ARGUMENT', message: `${key} not specified`, fields: [key] });
      return { kind: 'upsert', sobject: object.name, externalIdField: key, record };
    }
    default:
      if (typeof record.Id !== 'string') throw new RowFailure({ statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in a delete call', fields: [] });
      return { kind: 'delete', sobject: object.name, id: record.Id };
  }
}

function rowFaultOption(job: IngestJob, deps: IngestDeps): { injectRecordError?: (index: number, id: string | null) => RecordError | undefined } {
  const inject = deps.rowFaults?.(job);
  return inject ? { injectRecordError: inject } : {};
}

async function saveBatch(job: IngestJob, deps: IngestDeps, object: SObjectDef, header: string[], plan: Column[], rows: string[][], writers: ResultWriters): Promise<void> {
  const active = Date.now();
  const operations: SaveOperation[] = [];
  const owners: number[] = [];
  const early = new Map<number, RecordError>();
  rows.forEach((row, index) => {
    try {
      if (row.length !== header.length) {
        throw new RowFailure({ statusCode: 'INVALID_FIELD', message: `The row has ${row.length} values but the header has ${header.length} columns`, fields: [] });
      }
      operations.push(toOperation(job, object, plan, row));
      owners.push(index);
    } catch (error) {
      if (!(error instanceof RowFailure)) throw error;
      early.set(index, error.error);
    }
  });
  const results = operations.length === 0 ? [] : deps.store.saveMany(operations, { userId: job.createdById, ...rowFaultOption(job, deps) });
  const byRow = new Map(owners.map((rowIndex, i) => [rowIndex, results[i]]));
  let succeeded = '';
  let failed = '';
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index] as string[];
    const result = byRow.get(index);
    if (result !== undefined && result.success) {
      const created = job.operation === 'insert' || (job.operation === 'upsert' && result.created === true);
      succeeded += writers.successLine(result.id ?? '', created, row);
      continue;
    }
    job.numberRecordsFailed += 1;
    const errors = result?.errors ?? [early.get(index) as RecordError];
    const givenId = job.operation === 'update' || job.operation === 'delete' || job.operation === 'hardDelete' ? idOf(plan, row) : '';
    failed += writers.failureLine(result?.id ?? givenId, errors.map(errorText).join(' '), row);
  }
  await writers.append(succeeded, failed);
  job.numberRecordsProcessed += rows.length;
  job.apiActiveProcessingTime += Date.now() - active;
  job.systemModstamp = deps.now();
}

function idOf(plan: Column[], row: string[]): string {
  const col = plan.findIndex((column) => column.kind === 'field' && column.field.name === 'Id');
  return col < 0 ? '' : (row[col] ?? '');
}

/** Bulk API's sf__Error text: `STATUS_CODE:message:field,field --`. */
export function errorText(error: RecordError): string {
  return `${error.statusCode}:${error.message}:${error.fields.join(',')} --`;
}

/** The three result files of a job, written as rows are processed. */
class ResultWriters {
  private readonly streams: Record<keyof typeof RESULT_FILES, WriteStream>;
  private begun = false;

  constructor(dir: string, private readonly dialect: CsvDialect) {
    this.streams = {
      successful: createWriteStream(join(dir, RESULT_FILES.successful), { highWaterMark: 1 << 20 }),
      failed: createWriteStream(join(dir, RESULT_FILES.failed), { highWaterMark: 1 << 20 }),
      unprocessed: createWriteStream(join(dir, RESULT_FILES.unprocessed), { highWaterMark: 1 << 20 }),
    };
  }

  async begin(header: string[]): Promise<void> {
    if (this.begun) return;
    this.begun = true;
    await this.write('successful', csvLine(['sf__Id', 'sf__Created', ...header], this.dialect));
    await this.write('failed', csvLine(['sf__Id', 'sf__Error', ...header], this.dialect));
    await this.write('unprocessed', csvLine(header, this.dialect));
  }

  successLine(id: string, created: boolean, row: string[]): string {
    return csvLine([id, String(created), ...row], this.dialect);
  }

  failureLine(id: string, error: string, row: string[]): string {
    return csvLine([id, error, ...row], this.dialect);
  }

  async append(succeeded: string, failed: string): Promise<void> {
    if (succeeded !== '') await this.write('successful', succeeded);
    if (failed !== '') await this.write('failed', failed);
  }

  unprocessed(row: string[]): Promise<void> {
    return this.write('unprocessed', csvLine(row, this.dialect));
  }

  async close(): Promise<void> {
    if (!this.begun) {
      this.begun = true;
      await this.write('successful', csvLine(['sf__Id', 'sf__Created'], this.dialect));
      await this.write('failed', csvLine(['sf__Id', 'sf__Error'], this.dialect));
    }
    await Promise.all(Object.values(this.streams).map((stream) => new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())))));
  }

  private async write(which: keyof typeof RESULT_FILES, text: string): Promise<void> {
    const stream = this.streams[which];
    if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  }
}
