import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { DEFAULT_POLICY, assetFromRecord, assignBatch, drawsInSecondOf, encodeEngineState, ledgerKeyOf, ledgerRowFromRecord, type AssetToAssign, type LedgerRow, type Station } from '../../core/assignment';
import { NO_LIMIT, releaseGate } from '../../core/flow';
import type { OrgClient } from '../../org/connection';
import { orgNames } from '../../org/names';
import { toBulkCsv, writeRecords, type RecordOutcome, type SObjectRecord } from '../../org/writes';
import { soql } from '../../org/soql';
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
 *   3  per ledger ingest job: create, upload the CSV, UploadComplete. A job holds at most
 *      112,000,000 bytes of CSV ("Upload Job Data": at most 150 MB of base64, which is 4/3
 *      of the raw bytes), about 540,000 ledger rows; the CSV carries only the ledger's
 *      fields, the station by its key (Station__r.Key__c) and times to the second
 *   1  once the jobs should be done (waited for by the expected rate): one Composite that
 *      counts the run's ledger rows, stores the station's state and sends the ASSIGNED
 *      signal. Only when the count falls short are the jobs polled (waits from their own
 *      progress, doubling otherwise) and their failed rows fetched.
 *
 * No owner update job: the rows carry Apply_Owner__c, and the package's flow ASL Assignment
 * Apply Owner gives each lead to its rep in the same save as its ledger row. A ledger row
 * therefore exists exactly when its owner was applied; a row that failed leaves its lead
 * waiting for the next run. So 100,000 assignments cost 7 calls and 1,000,000 cost 10 (two
 * ledger jobs), when the station has a stored state and the waits were long enough.
 */
export interface LargeRunOptions extends Pick<AssignRunOptions, 'station' | 'now' | 'unassignedOwnerId' | 'takesUnstationed' | 'policy' | 'seed' | 'releaseLimit'> {
  /** Most bytes of CSV per ingest job (default 112,000,000: 150 MB of base64, the upload limit, is 112.5 MB of CSV). */
  maxUploadBytes?: number;
  /** A first guess of the org's ingest rate (ledger rows with their owner flow) that sizes the wait before the check. */
  ingestRowsPerSecond?: number;
  /** Called as the run goes (benchmarks, CLI progress). */
  onStep?: (step: string) => void;
}

export interface LargeRunResult extends AssignRunResult {
  read: number;
  jobs: Array<{ id: string; object: string; operation: string; rows: number; failed: number }>;
  seconds: { read: number; assign: number; write: number };
  /** Bytes of ledger CSV uploaded (all jobs). */
  ledgerCsvBytes: number;
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
/** 150 MB of base64 is 112.5 MB of raw CSV; a little under it. */
export const MAX_UPLOAD_BYTES = 112_000_000;
/** Ledger rows an org saves per second with the owner flow, a first guess (measured on the local org, 2 cores: about 2,000). */
const INGEST_ROWS_PER_SECOND = 1_500;
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
  let resent = false;
  try {
    response = await send();
  } catch (error) {
    // A kept-alive connection the server had already closed (EPIPE, ECONNRESET) fails before
    // the request reaches the org: sent again once, on a new connection. GET and the one PUT
    // of a job's data are safe to repeat (an upload that did not arrive left the job Open).
    if (!(error instanceof TypeError)) throw error;
    await sleep(500);
    resent = true;
    response = await send();
  }
  if (!response.ok) {
    const text = await response.text();
    // The connection failed after the org had the whole upload (a busy org answering late):
    // the org refuses a second PUT on the job, which proves the first one landed. The run's
    // final count of its rows checks the outcome either way.
    if (resent && method === 'PUT' && response.status === 400 && text.includes('Found multiple contents')) return response;
    throw new Error(`Bulk API 2.0 ${method} ${url}: HTTP ${response.status} ${text.slice(0, 500)}`);
  }
  return response;
}

/**
 * Polls a job until it is done, sleeping by its progress: the first wait is `ahead` rows at
 * `rowsPerSecond`, each later one the job's rows still to do at the rate seen between the last
 * two polls (a poll is an API call; a fixed interval would spend dozens on a long job), doubling
 * while no progress shows.
 */
async function waitForJob(client: OrgClient, url: string, total: number, ahead: number, rowsPerSecond: number): Promise<JobInfo> {
  let wait = Math.min(60_000, Math.max(200, (ahead / rowsPerSecond) * 1000));
  let last: { at: number; done: number } | null = null;
  for (;;) {
    await sleep(wait);
    const info = jobInfo.parse(await client.conn.request(url));
    if (DONE.has(info.state)) return info;
    const done = info.numberRecordsProcessed ?? 0;
    const at = Date.now();
    const perMs = last && done > last.done ? (done - last.done) / (at - last.at) : rowsPerSecond / 1000;
    wait = done < total && perMs > 0 ? Math.min(120_000, Math.max(200, ((total - done) / perMs) * 1.1)) : Math.min(60_000, wait * 2);
    last = { at, done };
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
async function finishIngest(client: OrgClient, jobs: IngestJob[], rowsPerSecond: number, remaining?: number): Promise<{ failed: Array<Record<string, string>>; infos: JobInfo[] }> {
  const failed: Array<Record<string, string>> = [];
  const infos: JobInfo[] = [];
  let queued = remaining ?? jobs.reduce((sum, job) => sum + job.rows, 0);
  for (const job of jobs) {
    const info = await waitForJob(client, `${base(client)}/ingest/${job.id}`, job.rows, queued, rowsPerSecond);
    queued = Math.max(0, queued - job.rows);
    infos.push(info);
    if (info.state !== 'JobComplete') throw new Error(`ingest job ${job.id} ended ${info.state}: ${info.errorMessage ?? ''}`);
    if ((info.numberRecordsFailed ?? 0) > 0) {
      const text = await (await raw(client, 'GET', `${base(client)}/ingest/${job.id}/failedResults`)).text();
      failed.push(...(parse(text, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>));
    }
  }
  return { failed, infos };
}

/**
 * A ledger row as Bulk API CSV, as short as the audit allows: every field the audit reads,
 * the station by its key (`Station__r.Key__c`, an external ID: 8 characters instead of an
 * 18-character id), the time without milliseconds, and Apply_Owner__c for the owner flow.
 */
export function bulkLedgerRecord(row: LedgerRow): Record<string, unknown> {
  return {
    Ledger_Key__c: row.ledgerKey,
    Asset_Id__c: row.assetId,
    Asset_Type__c: row.assetType,
    Rep__c: row.repId,
    'Station__r.Key__c': row.station,
    Stratum__c: row.stratum,
    Block__c: row.block,
    Block_Size__c: row.blockSize,
    Draw__c: row.draw,
    Seed__c: row.seed,
    Method__c: row.method,
    Assigned_At__c: row.assignedAt.replace(/\.000Z$/, 'Z'),
    Apply_Owner__c: true
  };
}

const compositeAnswer = z.object({ compositeResponse: z.array(z.object({ body: z.unknown(), httpStatusCode: z.number(), referenceId: z.string() })) });
const countAnswer = z.object({ totalSize: z.number() });

/**
 * One Composite call (one query, two single-record writes: within "up to 5 subrequests can be
 * sObject Collections or queries"): how many of the run's ledger rows are in the org, the
 * station's new stored state and the ASSIGNED signal. The state is trusted by the next run
 * only if the ledger holds exactly the rows it counts, so writing it before the last rows
 * land is safe: a shortfall makes the next run rebuild from the ledger.
 */
async function finalCheck(
  client: OrgClient,
  names: ReturnType<typeof orgNames>,
  input: { stationKey: string; runAt: Date; stationId: string; stationRecord: Record<string, unknown>; signal: Record<string, unknown> }
): Promise<{ rows: number; failed: RecordOutcome[] }> {
  const { n } = names;
  const v = `/services/data/v${client.config.org.apiVersion}`;
  const count = soql`SELECT COUNT() FROM ${n('Assignment__c')} WHERE ${n('Station__r.Key__c')} = ${input.stationKey} AND ${n('Assigned_At__c')} = ${input.runAt} AND ${n('Apply_Owner__c')} = true`;
  const compositeRequest = [
    { method: 'GET', url: `${v}/query?q=${encodeURIComponent(count)}`, referenceId: 'ledger' },
    { method: 'PATCH', url: `${v}/sobjects/${names.api('Station__c')}/${input.stationId}`, referenceId: 'state', body: input.stationRecord },
    { method: 'POST', url: `${v}/sobjects/${names.api('Engine_Signal__e')}`, referenceId: 'signal', body: input.signal }
  ];
  const raw = await client.conn.request({ method: 'POST', url: `${v}/composite`, body: JSON.stringify({ allOrNone: false, compositeRequest }), headers: { 'content-type': 'application/json' } });
  const [ledger, state, signal] = compositeAnswer.parse(raw).compositeResponse;
  const counted = countAnswer.safeParse(ledger?.body);
  const failed: RecordOutcome[] = [];
  for (const [answer, key] of [
    [state, `${names.api('Station__c')}:${input.stationId}`],
    [signal, `${names.api('Engine_Signal__e')}:ASSIGNED`]
  ] as const) {
    if (answer && answer.httpStatusCode < 400) continue;
    const first = Array.isArray(answer?.body) ? (answer?.body[0] as { errorCode?: string; message?: string } | undefined) : undefined;
    failed.push({ key, errorCode: first?.errorCode ?? `HTTP_${answer?.httpStatusCode ?? 'none'}`, message: first?.message ?? 'no answer' });
  }
  return { rows: counted.success ? counted.data.totalSize : 0, failed };
}

export async function runLargeAssignment(client: OrgClient, options: LargeRunOptions): Promise<LargeRunResult> {
  const callsBefore = client.apiCalls();
  const names = orgNames(client);
  const policy = options.policy ?? DEFAULT_POLICY;
  const key = options.station;
  const step = options.onStep ?? (() => undefined);
  const t0 = performance.now();
  // To the second: the CSV carries no milliseconds, and the check counts the rows of this instant.
  const runAt = new Date(Math.floor(options.now.getTime() / 1000) * 1000);
  const runOptions = { ...options, now: runAt, takesUnstationed: options.takesUnstationed ?? false };
  const reads = await readFloor(client, names, runOptions, new Date(runAt.getTime() - RECENT_WINDOW_MS), true);
  const since = reads.recentSince;
  const expected = Number(reads.assetRows[0]?.n ?? 0);
  const station = reads.floor.stations.find((candidate) => candidate.key === key) as Station;
  const recent = reads.recentRows.map((rawRow) => ledgerRowFromRecord(rawRow, reads.floor.stationKeyById));
  const cache = { rows: new Map<string, LedgerRow>() };
  const { state, source } = await blockState(client, names, station, { recentRows: recent, storedState: reads.storedState, stationKeyById: reads.floor.stationKeyById }, cache, since, runAt);
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
  const gate = releaseGate({ station: key, stations: reads.floor.stations, reps: reads.floor.reps, wipAt: reads.line.wipAt, ownWip, edges: reads.line.edges, transitions: reads.line.transitions, now: runAt });
  const gated = gate.mayRelease < NO_LIMIT;
  const releaseLimit = Math.min(options.releaseLimit ?? Number.POSITIVE_INFINITY, gated ? gate.mayRelease : Number.POSITIVE_INFINITY);
  const result = assignBatch({
    station,
    reps: reads.floor.reps,
    policy,
    state,
    assets,
    now: runAt,
    seed: options.seed ?? newRunSeed(),
    wip: reads.line.wipByOwner,
    existingKeys: new Set(cache.rows.keys()),
    ...(Number.isFinite(releaseLimit) ? { releaseLimit, releaseReason: gated && releaseLimit === gate.mayRelease ? gate.reason : `release limit ${releaseLimit}` } : {})
  });
  const held = result.waiting.filter((entry) => entry.reason === 'held-by-flow-control').length;
  step(`${result.rows.length} drawn, ${result.waiting.length} waiting (${held} held back by flow control)`);
  const t2 = performance.now();

  const maxBytes = options.maxUploadBytes ?? MAX_UPLOAD_BYTES;
  const jobs: LargeRunResult['jobs'] = [];
  const failed: RecordOutcome[] = [];
  // A lead whose ledger row already exists for this visit but is still waiting lost its
  // owner update (a real-time run's): repaired directly, before the new rows.
  if (repairs.length > 0) {
    const [report] = await writeRecords(client, [
      { kind: 'update', sobject: 'Lead', records: repairs.map((entry) => names.record({ Id: entry.assetId, OwnerId: entry.repId, ...(entry.needsStation ? { Station__c: reads.stationId } : {}) })) }
    ]);
    for (const failure of report?.failed ?? []) failed.push({ ...failure, key: `Lead:${failure.key}` });
  }
  const ledgerCsv = csvChunks(
    result.rows.map((row) => names.record(bulkLedgerRecord(row))),
    maxBytes
  );
  const ledgerJobs: IngestJob[] = [];
  for (const csv of ledgerCsv) ledgerJobs.push(await startIngest(client, names.api('Assignment__c'), 'upsert', csv, names.api('Ledger_Key__c')));
  const csvBytes = ledgerCsv.reduce((sum, csv) => sum + Buffer.byteLength(csv), 0);
  ledgerCsv.length = 0;
  step(`ledger: ${ledgerJobs.length} job(s) uploaded, ${csvBytes} bytes of CSV (${result.rows.length ? Math.round(csvBytes / result.rows.length) : 0} a row)`);

  // Wait for the rows at the expected rate, then one Composite: count them, store the state, signal.
  const uploaded = performance.now();
  if (result.rows.length > 0) await sleep(Math.min(3_600_000, Math.max(500, (result.rows.length / (options.ingestRowsPerSecond ?? INGEST_ROWS_PER_SECOND)) * 1000)));
  let written = result.rows.length;
  if (result.rows.length > 0) {
    const payload = JSON.stringify({ station: reads.stationId, count: result.rows.length, held, mayRelease: gated ? gate.mayRelease : null, limitedBy: gated ? gate.limitedBy : null });
    const check = await finalCheck(client, names, {
      stationKey: key,
      runAt,
      stationRecord: names.record({ Engine_State__c: encodeEngineState(result.state, runAt, drawsInSecondOf(recent, key, runAt) + result.rows.length) }),
      stationId: reads.stationId,
      signal: names.record({ Kind__c: 'ASSIGNED', Record_Id__c: reads.stationId, Payload__c: payload })
    });
    failed.push(...check.failed);
    if (check.rows < result.rows.length) {
      // Not all in yet, or some failed: wait for the jobs themselves and fetch their failures.
      step(`check: ${check.rows} of ${result.rows.length} ledger rows in; waiting for the job(s)`);
      // The rate the org showed so far sizes the next wait better than the first guess did.
      const seen = check.rows / Math.max(0.001, (performance.now() - uploaded) / 1000);
      const ledger = await finishIngest(client, ledgerJobs, seen > 0 ? seen : (options.ingestRowsPerSecond ?? INGEST_ROWS_PER_SECOND), result.rows.length - check.rows);
      const ledgerKey = names.api('Ledger_Key__c');
      for (const row of ledger.failed) {
        failed.push({ key: `${names.api('Assignment__c')}:${row[ledgerKey] ?? ''}`, errorCode: String(row.sf__Error ?? 'UNKNOWN').split(':')[0] ?? 'UNKNOWN', message: String(row.sf__Error ?? '') });
      }
      written = result.rows.length - ledger.failed.length;
      ledgerJobs.forEach((job, i) => jobs.push({ id: job.id, object: 'Assignment__c', operation: 'upsert', rows: job.rows, failed: ledger.infos[i]?.numberRecordsFailed ?? 0 }));
    } else {
      ledgerJobs.forEach((job) => jobs.push({ id: job.id, object: 'Assignment__c', operation: 'upsert', rows: job.rows, failed: 0 }));
    }
  }
  step(`ledger and owners: ${written} of ${result.rows.length} written`);
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
    seconds: { read: (t1 - t0) / 1000, assign: (t2 - t1) / 1000, write: (t3 - t2) / 1000 },
    ledgerCsvBytes: csvBytes
  };
}
