import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { DEFAULT_POLICY, assetFromRecord, assignBatch, assignmentRecordFromRow, encodeEngineState, ledgerKeyOf, ledgerRowFromRecord, type AssetToAssign, type LedgerRow, type Station } from '../../core/assignment';
import { NO_LIMIT, releaseGate } from '../../core/flow';
import type { OrgClient } from '../../org/connection';
import { orgNames } from '../../org/names';
import { toBulkCsv, writeRecords, type RecordOutcome, type SObjectRecord } from '../../org/writes';
import { blockState, newRunSeed, readFloor, RECENT_WINDOW_MS, visitOf, waitingQuery, type AssignRunOptions, type AssignRunResult } from './assignRun';
import type { Row } from './orgReads';

/**
 * The large-run path: every lead waiting at a station, however many, assigned in one run
 * through Bulk API 2.0 (Bulk API 2.0 Developer Guide). The calls it spends:
 *
 *   1  the floor (one Composite, as a normal run; the waiting leads only counted)
 *   1  create the query job of the waiting leads, oldest first
 *   r  result sets, read by Sforce-Locator ourselves, asking for all rows in one set; the
 *      first is asked for once the job should be done (sized from the count), a status read
 *      only when it is not
 *   4  per ledger ingest job: create, upload the CSV, UploadComplete, and at least one status
 *      read (waits sized from the job's own progress); a job holds at most 112 MiB of CSV
 *      ("Limits": 150 MB of base64 per upload), about 500,000 ledger rows
 *   4  the owner updates (one job: 1,000,000 rows are ~40 MB)
 *   1  the station's stored state and the ASSIGNED signal (one Composite)
 *
 * Order and idempotency are as in a normal run: ledger rows (upserted by Ledger_Key__c)
 * complete before any owner changes, and a lead whose ledger row failed keeps waiting.
 */
export interface LargeRunOptions extends Pick<AssignRunOptions, 'station' | 'now' | 'unassignedOwnerId' | 'takesUnstationed' | 'policy' | 'seed' | 'releaseLimit'> {
  /** Most bytes of CSV per ingest job (default 112 MiB: 150 MB of base64, the upload limit, is 112.5 MiB of CSV). */
  maxUploadBytes?: number;
  /** Called as the run goes (benchmarks, CLI progress). */
  onStep?: (step: string) => void;
}

export interface LargeRunResult extends AssignRunResult {
  read: number;
  jobs: Array<{ id: string; object: string; operation: string; rows: number; failed: number }>;
  seconds: { read: number; assign: number; write: number };
}

const jobInfo = z.object({
  id: z.string(),
  state: z.string(),
  numberRecordsProcessed: z.number().optional(),
  numberRecordsFailed: z.number().optional(),
  errorMessage: z.string().nullish()
});
type JobInfo = z.infer<typeof jobInfo>;

const DONE = new Set(['JobComplete', 'Failed', 'Aborted']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function base(client: OrgClient): string {
  return `/services/data/v${client.config.org.apiVersion}/jobs`;
}

/** A raw request for what jsforce does not expose (CSV bodies, response headers), counted like any call. */
async function raw(client: OrgClient, method: string, url: string, body?: string, contentType = 'text/csv'): Promise<Response> {
  const send = () => {
    client.noteCall();
    return fetch(`${client.conn.instanceUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${client.conn.accessToken}`, accept: contentType === 'text/csv' ? 'text/csv' : 'application/json', ...(body !== undefined ? { 'content-type': contentType } : {}) },
      ...(body !== undefined ? { body } : {})
    });
  };
  let response: Response;
  try {
    response = await send();
  } catch (error) {
    // A kept-alive connection the server had already closed (EPIPE, ECONNRESET) fails before
    // the request reaches the org: sent again once, on a new connection. GET and the one PUT
    // of a job's data are safe to repeat (an upload that did not arrive left the job Open).
    if (!(error instanceof TypeError)) throw error;
    await sleep(500);
    response = await send();
  }
  if (!response.ok) throw new Error(`Bulk API 2.0 ${method} ${url}: HTTP ${response.status} ${(await response.text()).slice(0, 500)}`);
  return response;
}

/**
 * Polls a job until it is done, sleeping by its progress: after a poll, the rest of the rows
 * at the rate seen so far (a poll is an API call; a fixed interval would spend dozens on a
 * long job). `expected` rows and `guessRowsPerSecond` size the first wait.
 */
async function waitForJob(client: OrgClient, url: string, expected: number, guessRowsPerSecond: number): Promise<JobInfo> {
  const started = Date.now();
  let wait = Math.min(60_000, Math.max(200, (expected / guessRowsPerSecond) * 1000));
  for (;;) {
    await sleep(wait);
    const info = jobInfo.parse(await client.conn.request(url));
    if (DONE.has(info.state)) return info;
    const done = info.numberRecordsProcessed ?? 0;
    const elapsed = Date.now() - started;
    wait = done > 0 && expected > done ? Math.min(120_000, Math.max(200, ((expected - done) * elapsed) / done) * 1.1) : Math.min(60_000, wait * 2);
  }
}

/**
 * Every row of a Bulk API 2.0 query job, result sets read by locator (the string "null" after
 * the last). No status poll when the wait was long enough: the first result set is asked for
 * directly (a job not yet complete answers 400 INVALIDJOBSTATE, and only then is its progress
 * read), so a query costs two calls, create and results, when nothing has to wait.
 */
async function bulkQueryRows(client: OrgClient, soql: string, expected: number): Promise<{ rows: Row[]; calls: number }> {
  const before = client.apiCalls();
  const job = jobInfo.parse(await client.conn.request({ method: 'POST', url: `${base(client)}/query`, body: JSON.stringify({ operation: 'query', query: soql }), headers: { 'content-type': 'application/json' } }));
  const started = Date.now();
  let wait = Math.min(60_000, Math.max(300, (expected / QUERY_ROWS_PER_SECOND) * 1000));
  const rows: Row[] = [];
  let locator: string | undefined;
  let first = true;
  do {
    if (first) await sleep(wait);
    const params = new URLSearchParams({ maxRecords: String(Math.max(1, expected + 1000)) });
    if (locator) params.set('locator', locator);
    client.noteCall();
    const response = await fetch(`${client.conn.instanceUrl}${base(client)}/query/${job.id}/results?${params.toString()}`, {
      headers: { authorization: `Bearer ${client.conn.accessToken}`, accept: 'text/csv' }
    });
    if (first && response.status === 400) {
      const text = await response.text();
      if (!text.includes('INVALIDJOBSTATE')) throw new Error(`bulk query ${job.id} results: HTTP 400 ${text.slice(0, 300)}`);
      const info = jobInfo.parse(await client.conn.request(`${base(client)}/query/${job.id}`));
      if (info.state === 'Failed' || info.state === 'Aborted') throw new Error(`bulk query ${job.id} ended ${info.state}: ${info.errorMessage ?? ''}`);
      const done = info.numberRecordsProcessed ?? 0;
      const elapsed = Date.now() - started;
      wait = info.state === 'JobComplete' ? 0 : done > 0 && expected > done ? Math.min(120_000, (((expected - done) * elapsed) / done) * 1.1 + 200) : Math.min(60_000, wait * 2);
      continue;
    }
    if (!response.ok) throw new Error(`bulk query ${job.id} results: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
    first = false;
    for (const record of parse(await response.text(), { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>) {
      // Bulk CSV has no null: an empty value is one.
      const row: Row = {};
      for (const [name, value] of Object.entries(record)) row[name] = value === '' ? null : value;
      rows.push(row);
    }
    const next = response.headers.get('sforce-locator');
    locator = next && next !== 'null' ? next : undefined;
  } while (first || locator);
  return { rows, calls: client.apiCalls() - before };
}

/** A first guess of the query rate, to size the first wait (the job's progress corrects it). */
const QUERY_ROWS_PER_SECOND = 10_000;

/** CSV texts of at most `maxBytes` each (a header in each): as few ingest jobs as the upload limit allows. */
function csvChunks(records: SObjectRecord[], maxBytes: number): string[] {
  if (records.length === 0) return [];
  const sample = Math.min(records.length, 2000);
  const perRow = Math.max(1, Buffer.byteLength(toBulkCsv(records.slice(0, sample))) / sample);
  let rowsPerChunk = Math.max(1, Math.floor((maxBytes * 0.99) / perRow));
  const chunks: string[] = [];
  for (let start = 0; start < records.length; ) {
    const csv = toBulkCsv(records.slice(start, start + rowsPerChunk));
    if (Buffer.byteLength(csv) > maxBytes && rowsPerChunk > 1) {
      rowsPerChunk = Math.floor(rowsPerChunk * 0.95);
      continue;
    }
    chunks.push(csv);
    start += rowsPerChunk;
  }
  return chunks;
}

interface IngestJob {
  id: string;
  rows: number;
}

/** create + upload + UploadComplete: three calls per job. */
async function startIngest(client: OrgClient, object: string, operation: 'upsert' | 'update', csv: string, externalIdFieldName?: string): Promise<IngestJob> {
  const job = jobInfo.parse(
    await client.conn.request({
      method: 'POST',
      url: `${base(client)}/ingest`,
      body: JSON.stringify({ object, operation, contentType: 'CSV', lineEnding: 'LF', ...(externalIdFieldName ? { externalIdFieldName } : {}) }),
      headers: { 'content-type': 'application/json' }
    })
  );
  await raw(client, 'PUT', `${base(client)}/ingest/${job.id}/batches`, csv);
  await client.conn.request({ method: 'PATCH', url: `${base(client)}/ingest/${job.id}`, body: JSON.stringify({ state: 'UploadComplete' }), headers: { 'content-type': 'application/json' } });
  return { id: job.id, rows: csv.split('\n').length - 2 };
}

/** Waits for the jobs (in order: the org may run them one by one) and fetches the failed rows of any with failures. */
async function finishIngest(client: OrgClient, jobs: IngestJob[], rowsPerSecond: number): Promise<{ failed: Array<Record<string, string>>; infos: JobInfo[] }> {
  const failed: Array<Record<string, string>> = [];
  const infos: JobInfo[] = [];
  let queued = jobs.reduce((sum, job) => sum + job.rows, 0);
  for (const job of jobs) {
    const info = await waitForJob(client, `${base(client)}/ingest/${job.id}`, queued, rowsPerSecond);
    queued -= job.rows;
    infos.push(info);
    if (info.state !== 'JobComplete') throw new Error(`ingest job ${job.id} ended ${info.state}: ${info.errorMessage ?? ''}`);
    if ((info.numberRecordsFailed ?? 0) > 0) {
      const text = await (await raw(client, 'GET', `${base(client)}/ingest/${job.id}/failedResults`)).text();
      failed.push(...(parse(text, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>));
    }
  }
  return { failed, infos };
}

export async function runLargeAssignment(client: OrgClient, options: LargeRunOptions): Promise<LargeRunResult> {
  const callsBefore = client.apiCalls();
  const names = orgNames(client);
  const policy = options.policy ?? DEFAULT_POLICY;
  const key = options.station;
  const step = options.onStep ?? (() => undefined);
  const t0 = performance.now();
  const since = new Date(options.now.getTime() - RECENT_WINDOW_MS);
  const runOptions = { ...options, takesUnstationed: options.takesUnstationed ?? false };
  const reads = await readFloor(client, names, runOptions, since, true);
  const expected = Number(reads.assetRows[0]?.n ?? 0);
  const station = reads.floor.stations.find((candidate) => candidate.key === key) as Station;
  const recent = reads.recentRows.map((rawRow) => ledgerRowFromRecord(rawRow, reads.floor.stationKeyById));
  const cache = { rows: new Map<string, LedgerRow>() };
  const { state, source } = await blockState(client, names, station, { recentRows: recent, storedState: reads.storedState, stationKeyById: reads.floor.stationKeyById }, cache, since, options.now);
  step(`floor read; ${expected} lead(s) waiting; blocks from the ${source}`);
  const waiting = expected > 0 ? await bulkQueryRows(client, waitingQuery(names, runOptions, policy), expected) : { rows: [], calls: 0 };
  const readCalls = client.apiCalls() - callsBefore;
  step(`${waiting.rows.length} waiting lead(s) read through Bulk API 2.0 in ${waiting.calls} call(s)`);
  const t1 = performance.now();

  const repairs: Array<{ assetId: string; repId: string; needsStation: boolean }> = [];
  const assets: AssetToAssign[] = [];
  const needsStation = new Set<string>();
  for (const record of waiting.rows) {
    const asset = assetFromRecord(record, 'Lead', policy, visitOf(record));
    const existing = cache.rows.get(ledgerKeyOf(key, asset));
    if (record.Station__c == null) needsStation.add(asset.id);
    if (existing) repairs.push({ assetId: asset.id, repId: existing.repId, needsStation: record.Station__c == null });
    else assets.push(asset);
  }
  waiting.rows.length = 0;
  const ownWip = Object.entries(reads.line.wipByOwner).reduce((sum, [owner, count]) => (owner === options.unassignedOwnerId ? sum : sum + count), 0);
  const gate = releaseGate({ station: key, stations: reads.floor.stations, reps: reads.floor.reps, wipAt: reads.line.wipAt, ownWip, edges: reads.line.edges, now: options.now });
  const gated = gate.mayRelease < NO_LIMIT;
  const releaseLimit = Math.min(options.releaseLimit ?? Number.POSITIVE_INFINITY, gated ? gate.mayRelease : Number.POSITIVE_INFINITY);
  const result = assignBatch({
    station,
    reps: reads.floor.reps,
    policy,
    state,
    assets,
    now: options.now,
    seed: options.seed ?? newRunSeed(),
    wip: reads.line.wipByOwner,
    existingKeys: new Set(cache.rows.keys()),
    ...(Number.isFinite(releaseLimit) ? { releaseLimit, releaseReason: gated && releaseLimit === gate.mayRelease ? gate.reason : `release limit ${releaseLimit}` } : {})
  });
  const held = result.waiting.filter((entry) => entry.reason === 'held-by-flow-control').length;
  step(`${result.rows.length} drawn, ${result.waiting.length} waiting (${held} held back by flow control)`);
  const t2 = performance.now();

  const maxBytes = options.maxUploadBytes ?? 112 * 1024 * 1024;
  const jobs: LargeRunResult['jobs'] = [];
  const failed: RecordOutcome[] = [];
  // Ledger rows first; only leads whose row is in the ledger get their owner.
  const ledgerCsv = csvChunks(
    result.rows.map((row) => names.record(assignmentRecordFromRow(row, reads.floor.stationIdByKey))),
    maxBytes
  );
  const ledgerJobs: IngestJob[] = [];
  for (const csv of ledgerCsv) ledgerJobs.push(await startIngest(client, names.api('Assignment__c'), 'upsert', csv, names.api('Ledger_Key__c')));
  ledgerCsv.length = 0;
  const ledger = await finishIngest(client, ledgerJobs, 2_000);
  ledgerJobs.forEach((job, i) => jobs.push({ id: job.id, object: 'Assignment__c', operation: 'upsert', rows: job.rows, failed: ledger.infos[i]?.numberRecordsFailed ?? 0 }));
  const ledgerKey = names.api('Ledger_Key__c');
  const notInLedger = new Set<string>();
  for (const row of ledger.failed) {
    notInLedger.add(String(row[ledgerKey] ?? ''));
    failed.push({ key: `${names.api('Assignment__c')}:${row[ledgerKey] ?? ''}`, errorCode: String(row.sf__Error ?? 'UNKNOWN').split(':')[0] ?? 'UNKNOWN', message: String(row.sf__Error ?? '') });
  }
  step(`ledger: ${ledgerJobs.length} job(s), ${ledger.failed.length} failed`);

  const owners = [
    ...result.rows.filter((row) => !notInLedger.has(row.ledgerKey)).map((row) => ({ assetId: row.assetId, repId: row.repId, needsStation: needsStation.has(row.assetId) })),
    ...repairs
  ].map((entry) => names.record({ Id: entry.assetId, OwnerId: entry.repId, ...(entry.needsStation ? { Station__c: reads.stationId } : {}) }));
  const ownerCsv = csvChunks(owners, maxBytes);
  const ownerJobs: IngestJob[] = [];
  for (const csv of ownerCsv) ownerJobs.push(await startIngest(client, 'Lead', 'update', csv));
  const ownerDone = await finishIngest(client, ownerJobs, 1_000);
  ownerJobs.forEach((job, i) => jobs.push({ id: job.id, object: 'Lead', operation: 'update', rows: job.rows, failed: ownerDone.infos[i]?.numberRecordsFailed ?? 0 }));
  for (const row of ownerDone.failed) failed.push({ key: `Lead:${row.Id ?? row.sf__Id ?? ''}`, errorCode: String(row.sf__Error ?? 'UNKNOWN').split(':')[0] ?? 'UNKNOWN', message: String(row.sf__Error ?? '') });
  step(`owners: ${ownerJobs.length} job(s), ${ownerDone.failed.length} failed`);

  if (result.rows.length > 0) {
    const written = result.rows.length - notInLedger.size;
    const payload = JSON.stringify({ station: reads.stationId, count: written, held, mayRelease: gated ? gate.mayRelease : null, limitedBy: gated ? gate.limitedBy : null });
    const reports = await writeRecords(client, [
      { kind: 'update', sobject: names.api('Station__c'), records: [names.record({ Id: reads.stationId, Engine_State__c: encodeEngineState(result.state, options.now, written) })] },
      { kind: 'create', sobject: names.api('Engine_Signal__e'), records: [names.record({ Kind__c: 'ASSIGNED', Record_Id__c: reads.stationId, Payload__c: payload })] }
    ]);
    for (const report of reports) failed.push(...report.failed.map((failure) => ({ ...failure, key: `${report.sobject}:${failure.key}` })));
  }
  const t3 = performance.now();
  return {
    station: key,
    rows: result.rows,
    repaired: repairs.length,
    waiting: result.waiting,
    held,
    gate,
    failed,
    apiCalls: client.apiCalls() - callsBefore,
    readCalls,
    stateSource: source,
    dryRun: false,
    read: expected,
    jobs,
    seconds: { read: (t1 - t0) / 1000, assign: (t2 - t1) / 1000, write: (t3 - t2) / 1000 }
  };
}
