/**
 * Benchmark (issue #9, load): a burst of inbound leads against the local org on loopback,
 * worked by the engine as production runs it (services/engine/main.ts in its own process,
 * talking to the org over HTTP through jsforce, hearing Lead change events over CometD).
 *
 *   tsx scripts/bench/load-burst.ts [--leads 10000] [--seconds 60] [--settle 120] [--json]
 *
 * Leads arrive through REST at a steady pace over --seconds (sObject Collections of what
 * arrived in each 100 ms tick, as a marketing-automation sync sends them). Measured per lead:
 * assigned = its Assignment__c.Assigned_At__c minus the lead's CreatedDate; ranked = the
 * rankedAt of the first RERANKED signal (Engine_Signal__e, heard over CometD) for the lead's
 * SDR written after the assignment, i.e. the SDR's call queue re-planned with the lead in it,
 * minus the lead's CreatedDate. Nothing dropped: every lead created has exactly one ledger
 * row, an owner who is an SDR and a ranking. (Only each SDR's top 50 are Queue_Entry__c rows,
 * docs/call-queue.md, so a row per lead is not the measure.) Issue #9 target: 10,000 leads in
 * one minute, p95 under 5 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { localOrgConfig } from '../../services/engine/cli/orgOption';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { queryAll } from '../../services/engine/org/reads';
import { memoryReplayStore, subscribe, type Subscription } from '../../services/engine/org/streaming';
import { writeRecords } from '../../services/engine/org/writes';
import { generateDemoFloor } from '../../services/local-org/demo-floor/generate';
import { StoreSink } from '../../services/local-org/demo-floor/storeSink';
import { createLocalOrg, type LocalOrg } from '../../services/local-org/server';

const ROOT = path.resolve(__dirname, '..', '..');
const STATION = 'SDR_CALL';
const SOURCES = ['Web', 'Referral', 'Partner', 'Event'];
const SEGMENTS = ['SMB', 'Mid-Market', 'Enterprise'];

export interface BenchOrg {
  org: LocalOrg;
  url: string;
  client: OrgClient;
  integrationId: string;
  close(): Promise<void>;
}

/**
 * The local org with the demo team and line, its SDRs on shift around the clock (the bench
 * runs at any hour), no scheduled jobs firing during the run, and room at every station.
 */
export async function startBenchOrg(seed: string): Promise<BenchOrg> {
  const org = createLocalOrg({ dataDir: ':memory:', forceAppDir: path.join(ROOT, 'force-app/main/default'), dailyApiLimit: 50_000_000 });
  await generateDemoFloor(new StoreSink(org.store), { leads: 0, seed, asOf: new Date().toISOString() });
  const { url } = await org.listen(0, '127.0.0.1');
  const client = await connectOrg(localOrgConfig(url, {}));
  const update = async (sobject: string, records: Array<Record<string, unknown>>) => {
    const [report] = await writeRecords(client, [{ kind: 'update', sobject, records }]);
    if (report?.failed.length) throw new Error(`${sobject}: ${JSON.stringify(report.failed[0])}`);
  };
  await update('Engine_Job__c', (await queryAll(client, 'SELECT Id FROM Engine_Job__c')).map((job) => ({ Id: job.Id, Enabled__c: false })));
  await update('Station__c', (await queryAll(client, 'SELECT Id FROM Station__c')).map((station) => ({ Id: station.Id, Target_WIP__c: 999_999 })));
  const reps = await queryAll(client, `SELECT Id FROM Rep_Capacity__c WHERE Station_Keys__c LIKE '%${STATION}%'`);
  await update(
    'Rep_Capacity__c',
    reps.map((rep) => ({ Id: rep.Id, Active__c: true, Working_Days__c: 'Mon;Tue;Wed;Thu;Fri;Sat;Sun', Shift_Start_Hour__c: 0, Shift_End_Hour__c: 24, WIP_Cap__c: 999_999, Hourly_Cap_Override__c: 999_999, Leave_Start__c: null, Leave_End__c: null }))
  );
  return { org, url, client, integrationId: client.userId as string, close: () => org.close() };
}

export interface EngineChild {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** The engine's HTTP API (metrics), once it logged that it runs. */
  ready: Promise<string>;
  token: string;
  stop(): Promise<void>;
}

/**
 * The engine as production starts it: `node --import tsx services/engine/main.ts`, ASL_* settings.
 * Its log (JSON lines on stdout) goes to `logFile` when given; ASL_BENCH_ENGINE_LOG=1 also echoes it.
 */
export function startEngineChild(bench: BenchOrg, stateDir: string, nodeFlags: string[] = [], logFile?: string): EngineChild {
  const token = `bench-${process.pid}-${Date.now()}-token-for-metrics`;
  const child = spawn(path.join(ROOT, 'node_modules/.bin/node'), [...nodeFlags, '--import', 'tsx', path.join(ROOT, 'services/engine/main.ts'), '--state-dir', stateDir], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ASL_ORG_LOGIN_URL: bench.url,
      ASL_ORG_AUTH: 'password',
      ASL_ORG_CLIENT_ID: 'asl-local-demo',
      ASL_ORG_USERNAME: 'engine.integration@asl-floor.example',
      ASL_ORG_PASSWORD: 'local-org',
      ASL_HTTP_TOKEN: token,
      ASL_HTTP_PORT: '0',
      ASL_LOG_LEVEL: 'info'
    },
    stdio: ['ignore', 'pipe', 'inherit']
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // The bench ending for any reason ends its engine too.
  process.once('exit', () => child.kill('SIGKILL'));
  const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  const ready = new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      log?.write(chunk);
      const text = chunk.toString();
      if (process.env.ASL_BENCH_ENGINE_LOG) process.stderr.write(text);
      buffer = (buffer + text).slice(-100_000);
      const match = /"http":"(http:\/\/[^"]+)".*"msg":"engine running"/.exec(buffer);
      if (match?.[1]) resolve(match[1]);
    });
    void exited.then((code) => reject(new Error(`the engine exited (${code}) before it ran`)));
  });
  return {
    child,
    exited,
    ready,
    token,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      await new Promise<void>((resolve) => (log ? log.end(resolve) : resolve()));
    }
  };
}

/** Every row of a query, read in-process from the org's store (no API calls, no HTTP). */
export function storeRows(org: LocalOrg, soql: string): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  let page = org.store.query(soql);
  rows.push(...(page.records as Array<Record<string, unknown>>));
  while (!page.done && page.nextLocator) {
    page = org.store.queryMore(page.nextLocator);
    rows.push(...(page.records as Array<Record<string, unknown>>));
  }
  return rows;
}

/** RERANKED signals by SDR: when each SDR's queue was re-planned (engine time, ms). */
export interface Rankings {
  bySdr: Map<string, number[]>;
  subscription: Subscription;
}

export async function listenForRankings(bench: BenchOrg): Promise<Rankings> {
  const bySdr = new Map<string, number[]>();
  const subscription = await subscribe(bench.client, '/event/Engine_Signal__e', memoryReplayStore(), async (message) => {
    const payload = z.object({ Kind__c: z.string(), Record_Id__c: z.string().nullable(), Payload__c: z.string().nullable() }).safeParse(message.payload);
    if (!payload.success || payload.data.Kind__c !== 'RERANKED' || !payload.data.Record_Id__c) return;
    const rankedAt = Date.parse(String((JSON.parse(payload.data.Payload__c ?? '{}') as { rankedAt?: string }).rankedAt));
    if (!Number.isFinite(rankedAt)) return;
    const list = bySdr.get(payload.data.Record_Id__c) ?? [];
    list.push(rankedAt);
    bySdr.set(payload.data.Record_Id__c, list);
  }, (error) => process.stderr.write(`signal handling failed: ${String(error)}\n`));
  return { bySdr, subscription };
}

/** The first re-planning of the SDR's queue at or after `since`. */
function firstRankingAfter(rankings: Rankings, sdr: string, since: number): number | undefined {
  let best: number | undefined;
  for (const at of rankings.bySdr.get(sdr) ?? []) if (at >= since && (best === undefined || at < best)) best = at;
  return best;
}

export function leadRecord(prefix: string, index: number): Record<string, unknown> {
  return {
    LastName: `Inbound ${index}`,
    Company: `${prefix}-${String(index).padStart(6, '0')}`,
    LeadSource: SOURCES[index % SOURCES.length],
    Segment__c: SEGMENTS[Math.floor(index / SOURCES.length) % SEGMENTS.length],
    Email: `lead${index}@${prefix.toLowerCase()}.example`
  };
}

/**
 * Creates `total` leads over `seconds`, in 100 ms ticks, each tick one collection request
 * (or several, 200 records each). Returns when the last tick is sent; a failed create throws.
 */
export async function arrive(client: OrgClient, prefix: string, from: number, total: number, seconds: number): Promise<void> {
  const ticks = Math.max(1, Math.round(seconds * 10));
  const start = Date.now();
  let sent = 0;
  for (let tick = 1; tick <= ticks; tick += 1) {
    const due = Math.round((total * tick) / ticks);
    const records = Array.from({ length: due - sent }, (_, index) => leadRecord(prefix, from + sent + index));
    sent = due;
    if (records.length > 0) {
      const [report] = await writeRecords(client, [{ kind: 'create', sobject: 'Lead', records }]);
      if (report?.failed.length) throw new Error(`lead create failed: ${JSON.stringify(report.failed[0])}`);
    }
    const wait = start + tick * 100 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

export function summary(values: readonly number[]): { n: number; p50: number; p95: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

export interface Outcome {
  created: number;
  assigned: number;
  assignedTwice: number;
  ownedBySdr: number;
  ranked: number;
  /** Leads that have (or had) a Queue_Entry__c row: in their SDR's top 50 at some point. */
  withEntry: number;
  assignLatencyMs: number[];
  rankLatencyMs: number[];
}

/** Where each lead of the prefix stands: ledger rows, owner, ranking, and the latencies. */
export function outcomeOf(bench: BenchOrg, prefix: string, sdrIds: ReadonlySet<string>, rankings: Rankings): Outcome {
  const leads = storeRows(bench.org, `SELECT Id, OwnerId, CreatedDate FROM Lead WHERE Company LIKE '${prefix}-%'`);
  const byId = new Map(leads.map((lead) => [String(lead.Id), lead]));
  const ledger = storeRows(bench.org, `SELECT Asset_Id__c, Rep__c, Assigned_At__c FROM Assignment__c WHERE Method__c = 'Permuted Block'`).filter((row) => byId.has(String(row.Asset_Id__c)));
  const withEntry = new Set(storeRows(bench.org, 'SELECT Lead__c FROM Queue_Entry__c WHERE Lead__c != null').map((row) => String(row.Lead__c)).filter((id) => byId.has(id)));
  const rowsPerLead = new Map<string, number>();
  const assignLatencyMs: number[] = [];
  const rankLatencyMs: number[] = [];
  for (const row of ledger) {
    const id = String(row.Asset_Id__c);
    rowsPerLead.set(id, (rowsPerLead.get(id) ?? 0) + 1);
    const created = Date.parse(String(byId.get(id)?.CreatedDate));
    const assignedAt = Date.parse(String(row.Assigned_At__c));
    assignLatencyMs.push(assignedAt - created);
    const rankedAt = firstRankingAfter(rankings, String(row.Rep__c), assignedAt);
    if (rankedAt !== undefined) rankLatencyMs.push(rankedAt - created);
  }
  return {
    created: leads.length,
    assigned: rowsPerLead.size,
    assignedTwice: [...rowsPerLead.values()].filter((rows) => rows > 1).length,
    ownedBySdr: leads.filter((lead) => sdrIds.has(String(lead.OwnerId))).length,
    ranked: rankLatencyMs.length,
    withEntry: withEntry.size,
    assignLatencyMs,
    rankLatencyMs
  };
}

export async function sdrUserIds(bench: BenchOrg): Promise<Set<string>> {
  return new Set((await queryAll(bench.client, `SELECT User__c FROM Rep_Capacity__c WHERE Station_Keys__c LIKE '%${STATION}%'`)).map((rep) => String(rep.User__c)));
}

const flagsSchema = z.object({
  leads: z.coerce.number().int().min(1).default(10_000),
  seconds: z.coerce.number().positive().default(60),
  settle: z.coerce.number().positive().default(120),
  json: z.boolean().default(false)
});

async function main(argv: string[]): Promise<void> {
  const program = new Command('load-burst')
    .option('--leads <n>', 'inbound leads in the burst', '10000')
    .option('--seconds <s>', 'over how many seconds they arrive', '60')
    .option('--settle <s>', 'at most this long after the burst for the engine to finish', '120')
    .option('--json', 'print JSON', false)
    .parse(argv);
  const flags = flagsSchema.parse(program.opts());
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'asl-burst-'));
  const bench = await startBenchOrg('bench-burst');
  const engine = startEngineChild(bench, stateDir);
  try {
    await engine.ready;
    const sdrs = await sdrUserIds(bench);
    const rankings = await listenForRankings(bench);
    // Other work on the machine skews latencies: the 1-minute load average is reported with them.
    const loadBefore = os.loadavg()[0] ?? 0;
    const started = Date.now();
    await arrive(bench.client, 'BURST', 0, flags.leads, flags.seconds);
    const sentMs = Date.now() - started;
    const deadline = Date.now() + flags.settle * 1000;
    let outcome = outcomeOf(bench, 'BURST', sdrs, rankings);
    while ((outcome.assigned < outcome.created || outcome.ranked < outcome.created) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      outcome = outcomeOf(bench, 'BURST', sdrs, rankings);
    }
    const drainedMs = Date.now() - started;
    rankings.subscription.cancel();
    const result = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      loadAverage1m: { start: Math.round(loadBefore * 100) / 100, end: Math.round((os.loadavg()[0] ?? 0) * 100) / 100 },
      leads: flags.leads,
      arrivalSeconds: flags.seconds,
      sentInMs: sentMs,
      allDoneAfterMs: drainedMs,
      created: outcome.created,
      assigned: outcome.assigned,
      assignedTwice: outcome.assignedTwice,
      ownedBySdr: outcome.ownedBySdr,
      ranked: outcome.ranked,
      withQueueEntry: outcome.withEntry,
      dropped: outcome.created - Math.min(outcome.assigned, outcome.ranked),
      assignLatencyMs: summary(outcome.assignLatencyMs),
      rankLatencyMs: summary(outcome.rankLatencyMs)
    };
    const pass = result.created === flags.leads && result.dropped === 0 && result.assignedTwice === 0 && result.ownedBySdr === flags.leads && result.rankLatencyMs.p95 < 5000 && result.assignLatencyMs.p95 < 5000;
    if (flags.json) process.stdout.write(`${JSON.stringify({ ...result, pass }, null, 2)}\n`);
    else {
      const line = (name: string, s: ReturnType<typeof summary>) => `${name}: n=${s.n} p50=${s.p50} ms p95=${s.p95} ms p99=${s.p99} ms max=${s.max} ms`;
      process.stdout.write(
        [
          `load-burst ${result.date} (${result.machine}; load average ${result.loadAverage1m.start} at start, ${result.loadAverage1m.end} at end)`,
          `${flags.leads} leads sent over ${flags.seconds} s (took ${sentMs} ms); all assigned and ranked ${drainedMs} ms after the first`,
          `created ${result.created}, assigned ${result.assigned} (twice: ${result.assignedTwice}), owned by an SDR ${result.ownedBySdr}, ranked ${result.ranked} (${result.withQueueEntry} ever in a top-50 Queue_Entry__c), dropped ${result.dropped}`,
          line('arrival -> assigned', result.assignLatencyMs),
          line('arrival -> ranked  ', result.rankLatencyMs),
          `target (p95 < 5 s, nothing dropped, none twice): ${pass ? 'met' : 'NOT met'}`
        ].join('\n') + '\n'
      );
    }
    process.exitCode = pass ? 0 : 1;
  } finally {
    await engine.stop();
    await bench.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv).catch((error: unknown) => {
    process.stderr.write(`load-burst: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
