/**
 * Benchmark: Bulk API 2.0 ingest of N leads (default 1,000,000) through jsforce 3 into the
 * local org, and a Bulk API 2.0 query reading them back.
 *
 *   tsx scripts/bench/bulk-ingest.ts [--rows 1000000] [--data-dir DIR] [--json]
 *
 * The org runs in a child process (its own SQLite data directory, change events on, as a
 * real org generates Change Data Capture events for bulk loads), so its peak RSS is its
 * own; this process is the jsforce client. Steps, each timed: create the job, upload the
 * CSV (streamed, never held whole), UploadComplete, poll until JobComplete, fetch the
 * successful/failed results through jsforce, count the leads with SOQL, then run a query
 * job over every lead and read all its result sets by Sforce-Locator.
 * Results go to docs/benchmarks/bulk.md by hand.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import jsforce, { type Connection } from 'jsforce';
import HttpApi from 'jsforce/lib/http-api';
import { z } from 'zod';
import { createLocalOrg } from '../../services/local-org/server';

const ROOT = join(__dirname, '..', '..');
const flagsSchema = z.object({
  rows: z.coerce.number().int().positive().default(1_000_000),
  dataDir: z.string().optional(),
  json: z.boolean().default(false),
  serve: z.boolean().default(false),
});

const SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const BINS = ['Cold', 'Working', 'Nurture - Active Opportunity'];
const SEGMENTS = ['SMB', 'Mid-Market', 'Enterprise'];

/** The upload, generated lazily: about 100 bytes a row, under the 150 MB (base64) cap at a million rows. */
function leadsCsv(rows: number): Readable {
  function* lines(): Generator<string> {
    yield 'LastName,FirstName,Company,Email,LeadSource,Bin__c,Segment__c,Attempt_Count__c\n';
    let chunk = '';
    for (let i = 0; i < rows; i += 1) {
      chunk += `Lead ${i},Bench,Company ${i % 5000},l${i}@bench.local,${SOURCES[i % 5]},${BINS[i % 3]},${SEGMENTS[i % 3]},${i % 5}\n`;
      if (i % 10_000 === 9_999) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk !== '') yield chunk;
  }
  return Readable.from(lines());
}

/** Child mode: the org alone; prints its URL, answers "rss" with its peak RSS. */
async function serve(dataDir: string): Promise<void> {
  const org = createLocalOrg({ dataDir, forceAppDir: join(ROOT, 'force-app'), dailyApiLimit: 10_000_000 });
  const { url } = await org.listen(0);
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'rss') process.stdout.write(`${JSON.stringify({ peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
    if (line === 'stop') {
      await org.close();
      process.exit(0);
    }
  }
}

async function startOrgProcess(dataDir: string): Promise<{ url: string; child: ChildProcess; ask(line: string): Promise<Record<string, unknown>> }> {
  const child = spawn(process.execPath, [...process.execArgv, __filename, '--serve', '--data-dir', dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => JSON.parse(((await lines.next()).value as string | undefined) ?? '{}') as Record<string, unknown>;
  const { url } = (await next()) as { url: string };
  return {
    url,
    child,
    ask: async (line) => {
      child.stdin?.write(`${line}\n`);
      return next();
    },
  };
}

interface Step {
  step: string;
  seconds: number;
}

async function queryAll(conn: Connection, soql: string): Promise<{ rows: number; sets: number }> {
  const job = (await conn.request({ method: 'POST', url: '/services/data/v62.0/jobs/query', body: JSON.stringify({ operation: 'query', query: soql }), headers: { 'content-type': 'application/json' } })) as { id: string };
  for (;;) {
    const info = (await conn.request(`/services/data/v62.0/jobs/query/${job.id}`)) as { state: string; errorMessage?: string };
    if (info.state === 'JobComplete') break;
    if (info.state === 'Failed' || info.state === 'Aborted') throw new Error(`query job ${info.state}: ${info.errorMessage ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  let locator: string | undefined;
  let rows = 0;
  let sets = 0;
  do {
    const api = new HttpApi(conn, { responseType: 'text/plain' });
    let headers: Record<string, string> = {};
    api.on('response', (response: { headers: Record<string, string> }) => (headers = response.headers));
    await api.request({ method: 'GET', url: `${conn.instanceUrl}/services/data/v62.0/jobs/query/${job.id}/results${locator === undefined ? '' : `?locator=${locator}`}` });
    rows += Number(headers['sforce-numberofrecords']);
    sets += 1;
    locator = headers['sforce-locator'];
  } while (locator !== 'null');
  return { rows, sets };
}

async function main(): Promise<void> {
  const program = new Command()
    .option('--rows <n>', 'rows to ingest', '1000000')
    .option('--data-dir <dir>', 'SQLite data directory of the org (default: a temporary one, removed afterwards)')
    .option('--json', 'print JSON')
    .option('--serve', 'internal: run the org (child process)')
    .parse();
  const flags = flagsSchema.parse(program.opts());
  if (flags.serve) return serve(flags.dataDir as string);

  const dataDir = flags.dataDir ?? mkdtempSync(join(tmpdir(), 'bulk-bench-'));
  const loadBefore = loadavg()[0] as number;
  const org = await startOrgProcess(dataDir);
  const steps: Step[] = [];
  const timed = async <T>(step: string, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const value = await run();
    steps.push({ step, seconds: round((performance.now() - started) / 1000) });
    return value;
  };
  try {
    const conn = new jsforce.Connection({ oauth2: { loginUrl: org.url, clientId: 'bench', clientSecret: 'bench' }, version: '62.0' });
    await conn.login('admin@asl.local', 'local-org');
    const started = performance.now();
    const job = conn.bulk2.createJob({ object: 'Lead', operation: 'insert' });
    await timed('create job', () => job.open());
    await timed('upload CSV (PUT .../batches)', () => job.uploadData(leadsCsv(flags.rows)));
    await timed('UploadComplete', () => job.close());
    await timed('processing (poll until JobComplete)', () => job.poll(1000, 3_600_000));
    const ingestSeconds = (performance.now() - started) / 1000;
    const info = await job.check();
    const results = await timed('fetch successful + failed results (jsforce getAllResults)', () => job.getAllResults());
    const count = await timed('SELECT COUNT() FROM Lead', async () => (await conn.query('SELECT COUNT() FROM Lead')).totalSize);
    const totalSeconds = (performance.now() - started) / 1000;
    const query = await timed('query job over every lead, all result sets read', () => queryAll(conn, 'SELECT Id, Name, Company, Email, LeadSource, Bin__c, CreatedDate FROM Lead'));
    const orgRss = await org.ask('rss');
    const report = {
      rows: flags.rows,
      processed: info.numberRecordsProcessed,
      failed: info.numberRecordsFailed,
      successfulResults: results.successfulResults.length,
      leadsCounted: count,
      ingestSeconds: round(ingestSeconds),
      ingestRowsPerSecond: Math.round(flags.rows / ingestSeconds),
      totalSecondsWithResults: round(totalSeconds),
      serverProcessingMs: info.totalProcessingTime,
      queryRows: query.rows,
      queryResultSets: query.sets,
      orgPeakRssMiB: orgRss.peakRssMiB,
      clientPeakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      loadAverage: [round(loadBefore), round(loadavg()[0] as number)],
      machine: `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      date: new Date().toISOString().slice(0, 10),
      steps,
    };
    if (flags.json) console.log(JSON.stringify(report, null, 2));
    else printMarkdown(report);
  } finally {
    await org.ask('stop').catch(() => undefined);
    org.child.kill();
    if (flags.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
  }
}

function printMarkdown(report: Record<string, unknown> & { steps: Step[] }): void {
  const { steps, ...summary } = report;
  console.log('| measure | value |\n|---|---:|');
  for (const [key, value] of Object.entries(summary)) console.log(`| ${key} | ${Array.isArray(value) ? value.join(' → ') : String(value)} |`);
  console.log('\n| step | seconds |\n|---|---:|');
  for (const step of steps) console.log(`| ${step.step} | ${step.seconds} |`);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
