/**
 * Benchmark (issue #9, soak): inbound leads at a steady rate for --minutes against the local
 * org on loopback, the engine in its own process as in production, its memory sampled from
 * its own /metrics (Prometheus: asl_nodejs_heap_size_used_bytes, asl_process_resident_memory_bytes).
 *
 *   tsx scripts/bench/soak.ts --minutes 60 [--rate 5] [--sample-seconds 15] [--json]
 *     [--heap-snapshots 10,40 --snapshot-dir DIR]   (then: tsx scripts/bench/heap-diff.ts A B)
 *     [--engine-log FILE]   (the engine's JSON log; its warnings and errors are counted at the end)
 *
 * Writing a snapshot takes the engine's RSS up by about the heap's size and pauses it for
 * seconds: judge flat memory on a run without snapshots.
 *
 * Flat memory means: the last quarter of the run holds no more than the second quarter plus
 * 10% (or 8 MiB), both for the engine's RSS (mean) and for its live heap (mean of
 * asl_nodejs_heap_live_bytes, the used heap just after each full collection: the live set).
 * The used heap's low point per quarter is reported beside it but not judged: between full
 * collections it also holds old garbage not yet collected, which comes and goes with the
 * collector's timing. Slopes after a warm-up (the first 20%) are reported too. Every lead is also checked: assigned once, to
 * an SDR, nothing dropped. SDRs work their queues meanwhile (a share of the assigned leads get
 * a disposition each minute) and close the oldest open leads beyond --open-target (Do Not
 * Call, which moves a lead to Avoid - Bad Fit and out of every queue), so after the first
 * minutes the open floor holds steady, as on a sales floor that works its leads: memory that
 * still grows then is growth per event handled, which is what a leak looks like.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Command } from 'commander';
import { z } from 'zod';
import { writeRecords } from '../../services/engine/org/writes';
import { arrive, listenForRankings, outcomeOf, sdrUserIds, startBenchOrg, startEngineChild, storeRows, summary, type BenchOrg } from './load-burst';

const flagsSchema = z.object({
  minutes: z.coerce.number().positive().max(24 * 60).default(60),
  rate: z.coerce.number().positive().max(500).default(5),
  sampleSeconds: z.coerce.number().positive().default(15),
  openTarget: z.coerce.number().int().nonnegative().default(1500),
  heapSnapshots: z
    .string()
    .regex(/^\d+(,\d+)*$/, '--heap-snapshots takes minutes separated by commas, e.g. 10,40')
    .transform((text) => text.split(',').map(Number))
    .optional(),
  snapshotDir: z.string().min(1).optional(),
  engineLog: z.string().min(1).optional(),
  json: z.boolean().default(false)
});

interface Sample {
  atSeconds: number;
  heapUsedMiB: number;
  /** Used heap after the engine's last full collection; 0 before the first. */
  liveHeapMiB: number;
  rssMiB: number;
  eventsPending: number;
  orgRssMiB: number;
}

async function engineMemory(metricsUrl: string, token: string): Promise<{ heap: number; live: number; rss: number; pending: number }> {
  const response = await fetch(`${metricsUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const text = await response.text();
  const value = (name: string): number => {
    const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text);
    if (!match?.[1]) throw new Error(`/metrics has no ${name}`);
    return Number(match[1]);
  };
  // Change events received and not yet handled, all listeners together: the engine's backlog.
  const pending = [...text.matchAll(/^asl_events_pending\{[^}]*\} ([0-9.e+]+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
  return { heap: value('asl_nodejs_heap_size_used_bytes'), live: value('asl_nodejs_heap_live_bytes'), rss: value('asl_process_resident_memory_bytes'), pending };
}

/** Least-squares slope of y over x. */
function slope(points: ReadonlyArray<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const sxy = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
  const sxx = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/** SDRs call some of their leads: No Answer dispositions, which the engine re-ranks. */
async function workSomeLeads(bench: BenchOrg, prefix: string, share: number): Promise<number> {
  const owned = storeRows(bench.org, `SELECT Id, OwnerId, Station__c FROM Lead WHERE Company LIKE '${prefix}-%' AND OwnerId != '${bench.integrationId}' ORDER BY CreatedDate DESC LIMIT 2000`);
  const picked = owned.filter((_, index) => index % Math.max(1, Math.round(1 / share)) === 0).slice(0, 200);
  if (picked.length === 0) return 0;
  const [report] = await writeRecords(bench.client, [
    { kind: 'create', sobject: 'Disposition__c', records: picked.map((lead) => ({ Lead__c: lead.Id, Asset_Id__c: lead.Id, Rep__c: lead.OwnerId, Station__c: lead.Station__c, Outcome__c: 'No Answer', Purpose__c: 'First Touch', Duration_Seconds__c: 30 })) }
  ]);
  return report?.succeeded.length ?? 0;
}

/**
 * SDRs close the oldest open leads beyond `target`: Do Not Call, out of the queue for good.
 * `closing` remembers the leads already closed whose move the engine has not written yet.
 * Returns the open count before these closes (the floor the engine held this minute).
 */
async function closeOldest(bench: BenchOrg, prefix: string, target: number, closing: Set<string>): Promise<{ open: number; closed: number }> {
  const open = storeRows(bench.org, `SELECT Id, OwnerId, Station__c, Bin__c, CreatedDate FROM Lead WHERE Company LIKE '${prefix}-%' AND OwnerId != '${bench.integrationId}' ORDER BY CreatedDate ASC`).filter(
    (lead) => !String(lead.Bin__c ?? '').startsWith('Avoid') && !closing.has(String(lead.Id))
  );
  const picked = open.slice(0, Math.max(0, open.length - target));
  if (picked.length === 0) return { open: open.length, closed: 0 };
  const [report] = await writeRecords(bench.client, [
    {
      kind: 'create',
      sobject: 'Disposition__c',
      records: picked.map((lead) => ({ Lead__c: lead.Id, Asset_Id__c: lead.Id, Rep__c: lead.OwnerId, Station__c: lead.Station__c, Outcome__c: 'Do Not Call', Purpose__c: 'First Touch', Duration_Seconds__c: 45 }))
    }
  ]);
  for (const lead of picked) closing.add(String(lead.Id));
  return { open: open.length, closed: report?.succeeded.length ?? 0 };
}

/**
 * Node writes a snapshot on the signal (after a full collection, so it holds the live set);
 * the file is complete once its size stops changing.
 */
async function heapSnapshot(child: ChildProcess, dir: string): Promise<string> {
  const before = new Set(readdirSync(dir));
  child.kill('SIGUSR2');
  const deadline = Date.now() + 300_000;
  let lastSize = -1;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const file = readdirSync(dir).find((name) => !before.has(name) && name.endsWith('.heapsnapshot'));
    if (file === undefined) continue;
    const size = statSync(path.join(dir, file)).size;
    if (size > 0 && size === lastSize) return path.join(dir, file);
    lastSize = size;
  }
  throw new Error(`no heap snapshot appeared in ${dir} within 5 minutes`);
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('soak')
    .option('--minutes <m>', 'how long leads arrive (the benchmark: 60)', '60')
    .option('--rate <n>', 'inbound leads per second', '5')
    .option('--sample-seconds <s>', 'seconds between memory samples', '15')
    .option('--open-target <n>', 'open leads the SDRs keep (the oldest beyond are closed each minute)', '1500')
    .option('--heap-snapshots <minutes>', "write the engine's heap snapshot after these minutes (e.g. 10,40)")
    .option('--snapshot-dir <dir>', 'where the heap snapshots go (default: a new directory under the temp dir)')
    .option('--engine-log <file>', "append the engine's log (JSON lines) to this file")
    .option('--json', 'print JSON', false)
    .parse(argv);
  const flags = flagsSchema.parse(program.opts());
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'asl-soak-'));
  const bench = await startBenchOrg('bench-soak');
  const snapshotDir = flags.heapSnapshots ? (flags.snapshotDir ?? mkdtempSync(path.join(os.tmpdir(), 'asl-soak-heap-'))) : undefined;
  if (snapshotDir) mkdirSync(snapshotDir, { recursive: true });
  const engine = startEngineChild(bench, stateDir, snapshotDir ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshotDir}`] : [], flags.engineLog);
  const snapshots: string[] = [];
  const samples: Sample[] = [];
  let dispositions = 0;
  let closed = 0;
  const closing = new Set<string>();
  const openSeries: Array<{ minute: number; open: number }> = [];
  try {
    const metricsUrl = await engine.ready;
    const sdrs = await sdrUserIds(bench);
    const rankings = await listenForRankings(bench);
    // Other work on the machine skews latencies: the 1-minute load average is reported with them.
    const loadBefore = os.loadavg()[0] ?? 0;
    const started = Date.now();
    const sample = async () => {
      const memory = await engineMemory(metricsUrl, engine.token);
      samples.push({ atSeconds: Math.round((Date.now() - started) / 1000), heapUsedMiB: mib(memory.heap), liveHeapMiB: mib(memory.live), rssMiB: mib(memory.rss), eventsPending: memory.pending, orgRssMiB: mib(process.memoryUsage().rss) });
    };
    await sample();
    const sampler = setInterval(() => void sample().catch((error: unknown) => process.stderr.write(`sample failed: ${String(error)}\n`)), flags.sampleSeconds * 1000);
    const total = Math.round(flags.minutes * 60 * flags.rate);
    // One minute at a time: arrivals at the steady rate, then the SDRs' calls of that minute.
    for (let minute = 0, sent = 0; sent < total; minute += 1) {
      const count = Math.min(total - sent, Math.round(60 * flags.rate));
      await arrive(bench.client, 'SOAK', sent, count, (count / flags.rate));
      sent += count;
      dispositions += await workSomeLeads(bench, 'SOAK', 0.05);
      const closedNow = await closeOldest(bench, 'SOAK', flags.openTarget, closing);
      closed += closedNow.closed;
      dispositions += closedNow.closed;
      openSeries.push({ minute: minute + 1, open: closedNow.open });
      if (snapshotDir && flags.heapSnapshots?.includes(minute + 1)) snapshots.push(await heapSnapshot(engine.child, snapshotDir));
      if (!flags.json) process.stderr.write(`minute ${minute + 1}: ${sent} leads sent, ${openSeries[openSeries.length - 1]?.open} open, engine heap ${samples[samples.length - 1]?.heapUsedMiB} MiB (live ${samples[samples.length - 1]?.liveHeapMiB}), events pending ${samples[samples.length - 1]?.eventsPending}\n`);
    }
    // Let the engine finish what arrived last, then the last samples.
    const deadline = Date.now() + 120_000;
    let outcome = outcomeOf(bench, 'SOAK', sdrs, rankings);
    const movedToAvoid = () => storeRows(bench.org, `SELECT Bin__c FROM Lead WHERE Company LIKE 'SOAK-%'`).filter((lead) => String(lead.Bin__c ?? '').startsWith('Avoid')).length;
    while ((outcome.assigned < outcome.created || movedToAvoid() < closed) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      outcome = outcomeOf(bench, 'SOAK', sdrs, rankings);
    }
    clearInterval(sampler);
    await sample();
    rankings.subscription.cancel();

    const warm = samples.filter((entry) => entry.atSeconds >= 0.2 * flags.minutes * 60);
    const heapSlopePer10Min = slope(warm.map((entry) => [entry.atSeconds, entry.heapUsedMiB])) * 600;
    const rssSlopePer10Min = slope(warm.map((entry) => [entry.atSeconds, entry.rssMiB])) * 600;
    const span = flags.minutes * 60;
    // The last quarter also takes the samples of the drain after the arrivals stop.
    const quarter = (q: number) => samples.filter((entry) => entry.atSeconds >= (q / 4) * span && (q === 3 || entry.atSeconds < ((q + 1) / 4) * span));
    const grows = (early: number, late: number) => late > early + Math.max(8, 0.1 * early);
    const heapTrough = (q: number) => Math.min(...quarter(q).map((entry) => entry.heapUsedMiB));
    const liveMean = (q: number) => Math.round(mean(quarter(q).flatMap((entry) => (entry.liveHeapMiB > 0 ? [entry.liveHeapMiB] : []))) * 10) / 10;
    const rssMean = (q: number) => mean(quarter(q).map((entry) => entry.rssMiB));
    const liveSlopePer10Min = slope(warm.filter((entry) => entry.liveHeapMiB > 0).map((entry) => [entry.atSeconds, entry.liveHeapMiB])) * 600;
    const flat = !grows(liveMean(1), liveMean(3)) && !grows(rssMean(1), rssMean(3));
    const result = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      loadAverage1m: { start: Math.round(loadBefore * 100) / 100, end: Math.round((os.loadavg()[0] ?? 0) * 100) / 100 },
      minutes: flags.minutes,
      ratePerSecond: flags.rate,
      created: outcome.created,
      assigned: outcome.assigned,
      assignedTwice: outcome.assignedTwice,
      ownedBySdr: outcome.ownedBySdr,
      dropped: outcome.created - outcome.assigned,
      dispositions,
      closed,
      closedMoved: movedToAvoid(),
      // The closes the engine had not moved when the run ended, to look up in its log.
      closedNotMoved: storeRows(bench.org, `SELECT Id, Bin__c, Station__c, OwnerId FROM Lead WHERE Company LIKE 'SOAK-%'`)
        .filter((lead) => closing.has(String(lead.Id)) && !String(lead.Bin__c ?? '').startsWith('Avoid'))
        .slice(0, 20),
      openLeads: { openTarget: flags.openTarget, afterFirstQuarter: openSeries[Math.floor(openSeries.length / 4)]?.open, atEnd: openSeries[openSeries.length - 1]?.open },
      assignLatencyMs: summary(outcome.assignLatencyMs),
      rankLatencyMs: summary(outcome.rankLatencyMs),
      liveHeapMiB: { secondQuarterMean: liveMean(1), lastQuarterMean: liveMean(3), max: Math.max(...samples.map((entry) => entry.liveHeapMiB)), slopePer10Min: Math.round(liveSlopePer10Min * 100) / 100 },
      eventsPending: { max: Math.max(...samples.map((entry) => entry.eventsPending)), lastQuarterMean: Math.round(mean(quarter(3).map((entry) => entry.eventsPending)) * 10) / 10 },
      heapUsedMiB: { first: samples[0]?.heapUsedMiB, secondQuarterTrough: heapTrough(1), lastQuarterTrough: heapTrough(3), max: Math.max(...samples.map((entry) => entry.heapUsedMiB)), slopePer10Min: Math.round(heapSlopePer10Min * 100) / 100 },
      rssMiB: { first: samples[0]?.rssMiB, secondQuarterMean: Math.round(rssMean(1) * 10) / 10, lastQuarterMean: Math.round(rssMean(3) * 10) / 10, max: Math.max(...samples.map((entry) => entry.rssMiB)), slopePer10Min: Math.round(rssSlopePer10Min * 100) / 100 },
      orgProcessRssMiB: { first: samples[0]?.orgRssMiB, last: samples[samples.length - 1]?.orgRssMiB },
      samples: samples.length,
      heapSnapshots: snapshots,
      flat
    };
    // Ranking latency is reported, not judged here: the burst benchmark sets that target.
    const pass = flat && result.closedMoved === closed && result.dropped === 0 && result.assignedTwice === 0 && result.ownedBySdr === result.created;
    if (flags.json) process.stdout.write(`${JSON.stringify({ ...result, series: samples, pass }, null, 2)}\n`);
    else {
      process.stdout.write(
        [
          `soak ${result.date} (${result.machine}; load average ${result.loadAverage1m.start} at start, ${result.loadAverage1m.end} at end): ${flags.minutes} min at ${flags.rate} leads/s`,
          `created ${result.created}, assigned ${result.assigned} (twice: ${result.assignedTwice}), owned by an SDR ${result.ownedBySdr}, dropped ${result.dropped}; ${dispositions} dispositions, of which ${closed} closed a lead (${result.closedMoved} moved to Avoid by the engine)`,
          ...(result.closedNotMoved.length > 0 ? [`closed but not moved: ${JSON.stringify(result.closedNotMoved)}`] : []),
          `open leads before each minute's closes: target ${flags.openTarget}, ${result.openLeads.afterFirstQuarter} after the first quarter, ${result.openLeads.atEnd} in the last minute`,
          `arrival -> assigned p50 ${result.assignLatencyMs.p50} ms, p95 ${result.assignLatencyMs.p95} ms; arrival -> ranked p50 ${result.rankLatencyMs.p50} ms, p95 ${result.rankLatencyMs.p95} ms`,
          `change events pending in the engine (all listeners): max ${result.eventsPending.max}, mean of the last quarter ${result.eventsPending.lastQuarterMean}`,
          `engine live heap after full collections (MiB): mean 2nd quarter ${result.liveHeapMiB.secondQuarterMean}, mean last quarter ${result.liveHeapMiB.lastQuarterMean}, max ${result.liveHeapMiB.max}, slope ${result.liveHeapMiB.slopePer10Min} MiB/10 min after warm-up`,
          `engine heap used (MiB): first ${result.heapUsedMiB.first}, trough 2nd quarter ${result.heapUsedMiB.secondQuarterTrough}, trough last quarter ${result.heapUsedMiB.lastQuarterTrough}, max ${result.heapUsedMiB.max}, slope ${result.heapUsedMiB.slopePer10Min} MiB/10 min after warm-up`,
          `engine RSS (MiB): first ${result.rssMiB.first}, mean 2nd quarter ${result.rssMiB.secondQuarterMean}, mean last quarter ${result.rssMiB.lastQuarterMean}, max ${result.rssMiB.max}, slope ${result.rssMiB.slopePer10Min} MiB/10 min`,
          `memory flat: ${flat ? 'yes' : 'NO'}; target met: ${pass ? 'yes' : 'NO'}`,
          ...(snapshots.length > 0 ? [`heap snapshots: ${snapshots.join(' ')}`] : [])
        ].join('\n') + '\n'
      );
    }
    process.exitCode = pass ? 0 : 1;
  } finally {
    await engine.stop();
    await bench.close();
    rmSync(stateDir, { recursive: true, force: true });
    if (flags.engineLog) process.stderr.write(`${logVerdict(flags.engineLog)}\n`);
  }
}

/** The warnings and errors in the engine's log (pino levels 40 and up), the first few quoted. */
function logVerdict(file: string): string {
  const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line.startsWith('{'));
  const loud = lines.flatMap((line) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return [];
    }
    const entry = z.object({ level: z.number(), msg: z.string().default('') }).passthrough().safeParse(parsed);
    return entry.success && entry.data.level >= 40 ? [entry.data] : [];
  });
  const quoted = loud.slice(0, 5).map((entry) => `  ${JSON.stringify(entry).slice(0, 400)}`);
  return [`engine log ${file}: ${lines.length} lines, ${loud.filter((entry) => entry.level === 40).length} warnings, ${loud.filter((entry) => entry.level >= 50).length} errors`, ...quoted].join('\n');
}

if (require.main === module) {
  main(process.argv).catch((error: unknown) => {
    process.stderr.write(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
