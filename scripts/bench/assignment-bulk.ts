/**
 * Benchmark: the large-run path (issue 4): N waiting leads assigned in one run through
 * Bulk API 2.0, against the local org, counting API calls on the org's own counter.
 *
 *   tsx scripts/bench/assignment-bulk.ts --leads 100000
 *   tsx scripts/bench/assignment-bulk.ts --leads 1000000 --data-dir /tmp/asl-bulk-1m
 *   --cold: skip the warm-up run, so the station has no stored state and the run reads its
 *   open blocks from the ledger (1-2 more calls)
 *   --ingest-rate <rows/s>: the first guess of the org's ingest rate that sizes the wait
 *   before the final check (default: the engine's)
 *
 * The org runs in a child process (its own CPU and memory), seeded with the demo floor (300
 * leads, 16 reps) and N waiting leads spread over 15 strata (the 5 lead sources x the 3 segments of the package).
 * Before the N leads arrive, one normal run assigns the demo floor's waiting leads (not
 * counted), so the station has a stored state like any station that has had a run.
 * Seeding writes straight into the org's store with runFlows: false and no change events
 * (a data load with automation off), so it is fast and costs no API calls; the assignment
 * run then goes through the org's HTTP APIs exactly as against a real org, the package's
 * flows included (ASL Assignment Apply Owner gives each lead its owner with its ledger row).
 * Reps are opened wide (on shift, no caps) and stations have no WIP target, so all N are
 * assigned: the point is the calls and the time, not the floor. The output also says how
 * many ledger jobs and calls 1,000,000 rows of the measured CSV size would take.
 *
 * Measured in this (engine) process: wall time, CPU time (user + system) and peak RSS of the
 * run; the org process's peak RSS is read from /proc.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runAssignment } from '../../services/engine/features/assignment/assignRun';
import { MAX_UPLOAD_BYTES, runLargeAssignment } from '../../services/engine/features/assignment/bulkRun';
import { localOrgConfig } from '../../services/engine/cli/orgOption';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { generateDemoFloor } from '../../services/local-org/demo-floor/generate';
import { StoreSink } from '../../services/local-org/demo-floor/storeSink';
import { createLocalOrg } from '../../services/local-org/server';

const MONDAY = new Date('2026-11-16T16:00:00.000Z');
const SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const SEGMENTS = ['SMB', 'Mid-Market', 'Enterprise'];

function arg(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

/** The child: an org with the demo floor and N waiting leads; answers with its URL. */
async function child(): Promise<void> {
  const n = Number(arg('leads', '100000'));
  const dataDir = arg('data-dir', ':memory:');
  const org = createLocalOrg({ dataDir, forceAppDir: path.resolve(__dirname, '../../force-app/main/default'), dailyApiLimit: 10_000_000 });
  await generateDemoFloor(new StoreSink(org.store), { leads: 300, seed: 'bench-bulk', asOf: '2026-11-16T15:00:00.000Z' });
  const store = org.store;
  const integration = (store.query("SELECT Id FROM User WHERE Username = 'engine.integration@asl-floor.example' LIMIT 1").records[0] as { Id?: string } | undefined)?.Id;
  if (!integration) throw new Error('the demo floor has no integration user engine.integration@asl-floor.example');
  const reps = store.query('SELECT Id FROM Rep_Capacity__c').records as unknown as Array<{ Id: string }>;
  store.updateMany('Rep_Capacity__c', reps.map((rep) => ({ Id: rep.Id, Shift_Start_Hour__c: 0, Shift_End_Hour__c: 24, Working_Days__c: 'Mon;Tue;Wed;Thu;Fri;Sat;Sun', Leave_Start__c: null, Leave_End__c: null, WIP_Cap__c: null, Hourly_Cap_Override__c: null })), { silent: true });
  const stations = store.query('SELECT Id, Key__c FROM Station__c').records as unknown as Array<{ Id: string; Key__c: string }>;
  store.updateMany('Station__c', stations.map((s) => ({ Id: s.Id, Target_WIP__c: 0, ...(s.Key__c === 'SDR_CALL' ? { Hourly_Cap_Override__c: 999_999 } : {}) })), { silent: true });
  // Listen first: unless --cold, the parent runs one normal assignment (so the station has a
  // stored state, as any station that has had a run does) before the N leads arrive.
  const { url } = await org.listen(0, '127.0.0.1');
  process.send?.({ url, integration });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  const t0 = performance.now();
  for (let start = 0; start < n; start += 10_000) {
    const batch = Array.from({ length: Math.min(10_000, n - start) }, (_, j) => {
      const i = start + j;
      return { LastName: `Waiting ${i}`, Company: `List ${i}`, LeadSource: SOURCES[i % 5], Segment__c: SEGMENTS[Math.floor(i / 5) % 3], ...(integration ? { OwnerId: integration } : {}) };
    });
    const saved = store.insertMany('Lead', batch, { allOrNone: true, silent: true, runFlows: false });
    const bad = saved.find((r) => !r.success && r.errors[0]?.statusCode !== 'ALL_OR_NONE_OPERATION_ROLLED_BACK') ?? saved.find((r) => !r.success);
    if (bad) throw new Error(`seeding failed: ${JSON.stringify(bad)}`);
  }
  process.send?.({ seedSeconds: (performance.now() - t0) / 1000 });
}

function orgPeakRssMiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

async function orgCounter(client: OrgClient): Promise<number> {
  await client.conn.request(`/services/data/v${client.config.org.apiVersion}/limits`);
  return client.orgApiUsage()?.used ?? Number.NaN;
}

async function main(): Promise<void> {
  if (process.argv.includes('--child')) return child();
  const n = Number(arg('leads', '100000'));
  const started = performance.now();
  const org = fork(__filename, ['--child', ...process.argv.slice(2)], { execArgv: process.execArgv, stdio: 'inherit' });
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      org.once('message', (message) => resolve(message as T));
      org.once('exit', (code) => reject(new Error(`the org process exited (${code}) before it was ready`)));
    });
  const listening = await next<{ url: string }>();
  try {
    const client = await connectOrg(localOrgConfig(listening.url, {}));
    const owner = client.userId as string;
    const cold = process.argv.includes('--cold');
    if (!cold) {
      const warm = { station: 'SDR_CALL', now: new Date(MONDAY.getTime() - 60_000), unassignedOwnerId: owner, takesUnstationed: true };
      let first = await runAssignment(client, warm);
      if (first.rows.length === 0) {
        await client.conn.sobject('Lead').create({ LastName: 'Warm', Company: 'Warm-up', LeadSource: 'Web', Segment__c: 'SMB' });
        first = await runAssignment(client, warm);
      }
      console.error(`  warm-up: a normal run assigned ${first.rows.length} lead(s) and stored the station's state (${first.apiCalls} calls, not counted)`);
    }
    org.send('seed');
    const ready = await next<{ seedSeconds: number }>();
    const orgBefore = await orgCounter(client);
    const cpu = process.cpuUsage();
    const t = performance.now();
    const callsBefore = client.apiCalls();
    const result = await runLargeAssignment(client, {
      station: 'SDR_CALL',
      now: MONDAY,
      unassignedOwnerId: owner,
      takesUnstationed: true,
      ...(arg('ingest-rate', '') ? { ingestRowsPerSecond: Number(arg('ingest-rate', '')) } : {}),
      onStep: (step) => console.error(`  ${((performance.now() - t) / 1000).toFixed(1)} s  ${step}`)
    });
    const wall = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    const engineCalls = client.apiCalls() - callsBefore;
    const orgCalls = (await orgCounter(client)) - orgBefore - 1;
    // After the count: how long the org took over each ingest job (its own totalProcessingTime).
    const processing = [];
    for (const job of result.jobs) {
      const info = (await client.conn.request(`/services/data/v${client.config.org.apiVersion}/jobs/ingest/${job.id}`)) as { totalProcessingTime?: number };
      processing.push({ rows: job.rows, seconds: Math.round((info.totalProcessingTime ?? 0) / 100) / 10, rowsPerSecond: info.totalProcessingTime ? Math.round(job.rows / (info.totalProcessingTime / 1000)) : null });
    }
    const out = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      loadAverage: Math.round((os.loadavg()[0] ?? 0) * 10) / 10,
      waiting: n,
      read: result.read,
      assigned: result.rows.length,
      stillWaiting: result.waiting.length,
      waitingWhy: [...new Set(result.waiting.map((w) => w.detail))].slice(0, 3),
      failed: result.failed.length,
      engineCalls,
      orgCalls,
      readCalls: result.readCalls,
      jobs: result.jobs.map((job) => `${job.object} ${job.operation} ${job.rows} rows, ${job.failed} failed`),
      ingestProcessing: processing,
      ledgerCsvBytes: result.ledgerCsvBytes,
      ledgerCsvBytesPerRow: result.rows.length ? Math.round((result.ledgerCsvBytes / result.rows.length) * 10) / 10 : null,
      // One ingest job holds MAX_UPLOAD_BYTES of CSV; the calls a run of 1,000,000 would take at this row size.
      ledgerJobsFor1M: Math.ceil((1_000_000 * (result.ledgerCsvBytes / Math.max(1, result.rows.length))) / MAX_UPLOAD_BYTES),
      callsFor1MWithStoredState: 1 + 2 + 3 * Math.ceil((1_000_000 * (result.ledgerCsvBytes / Math.max(1, result.rows.length))) / MAX_UPLOAD_BYTES) + 1,
      storedStateBefore: !cold,
      seedSeconds: Math.round(ready.seedSeconds * 10) / 10,
      wallSeconds: Math.round(wall * 10) / 10,
      phases: Object.fromEntries(Object.entries(result.seconds).map(([k, v]) => [k, Math.round(v * 10) / 10])),
      engineCpuSeconds: Math.round((used.user + used.system) / 100_000) / 10,
      enginePeakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      orgPeakRssMiB: orgPeakRssMiB(org.pid as number),
      totalSeconds: Math.round((performance.now() - started) / 100) / 10
    };
    console.log(JSON.stringify(out, null, 2));
  } finally {
    org.kill();
  }
}

main().then(
  () => {
    if (!process.argv.includes('--child')) process.exit(0);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  }
);
