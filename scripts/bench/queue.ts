/**
 * Queue benchmark (issue 5): engine time of a full re-rank and of the re-rank after one
 * disposition, on a synthetic floor of 100,000 open leads and 50 SDRs.
 *
 *   tsx scripts/bench/queue.ts [--leads 100000] [--sdrs 50] [--events 2000] [--json]
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { fixedClock } from '../../services/engine/core/clock';
import { createRng } from '../../services/engine/core/random';
import { parseQueueInput, rankQueue, rerankAfterDisposition, upsertLead, type Outcome } from '../../services/engine/core/queue';
import { buildQueueState, planSdr } from '../../services/engine/core/queue/state';
import { syntheticFloor } from '../../services/engine/core/queue/syntheticFloor';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

const leads = flag('leads', 100_000);
const sdrs = flag('sdrs', 50);
const events = flag('events', 2000);
const json = process.argv.includes('--json');
// A Wednesday mid-morning on the US east coast: every zone is inside or near its calling hours.
const start = Date.parse('2026-11-18T15:30:00.000Z');
const input = syntheticFloor(createRng('bench-queue'), { sdrs, leads, accounts: 1000, demoSlots: 500, history: 100_000, openOnly: true, now: start });
const clock = fixedClock(new Date(start));

// Wall time, and CPU time of this process: on a shared machine the CPU time is the engine's own work.
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const full: Array<{ parse: number; build: number; plan: number; total: number; cpu: number }> = [];
for (let run = 0; run < 4; run += 1) {
  const c0 = cpuMs();
  const t0 = performance.now();
  const parsed = parseQueueInput(input);
  const t1 = performance.now();
  const built = buildQueueState(parsed, clock);
  const t2 = performance.now();
  for (const id of built.state.reps.keys()) planSdr(built.state, id, clock);
  const t3 = performance.now();
  full.push({ parse: t1 - t0, build: t2 - t1, plan: t3 - t2, total: t3 - t0, cpu: cpuMs() - c0 });
}
const measured = full.slice(1); // the first run warms the JIT up
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const result = rankQueue(input, clock);
const state = result.state;
const openTasks = state.tasks.size;
const rng = createRng('bench-events');
const outcomes: Outcome[] = ['No Answer', 'No Answer', 'No Answer', 'Left Voicemail', 'Not Interested', 'Call Back Requested', 'Meeting Booked', 'Wrong Person'];
const sdrIds = [...state.reps.keys()];
const rerank: number[] = [];
const rerankCpu: number[] = [];
const arrivals: number[] = [];
const arrivalsCpu: number[] = [];
let now = start;
for (let i = 0; i < events + 200; i += 1) {
  now += 30_000;
  const at = fixedClock(new Date(now));
  const sdrId = sdrIds[rng.int(0, sdrIds.length - 1)] as string;
  const entry = planSdr(state, sdrId, at, 1).entries[0];
  if (entry === undefined) continue;
  const disposition = {
    Lead__c: entry.assetType === 'Lead' ? entry.assetId : null,
    Account__c: entry.assetType === 'Account' ? entry.assetId : null,
    Purpose__c: entry.purpose,
    Outcome__c: outcomes[rng.int(0, outcomes.length - 1)] as Outcome,
    Next_Action_At__c: new Date(now + 86_400_000).toISOString(),
    CreatedDate: new Date(now).toISOString()
  };
  const c = cpuMs();
  const t = performance.now();
  rerankAfterDisposition(state, disposition, at, { limit: 50 });
  const elapsed = performance.now() - t;
  const cpu = cpuMs() - c;
  if (i >= 200) {
    rerank.push(elapsed);
    rerankCpu.push(cpu);
  }
  if (i % 10 === 0) {
    const lead = { Id: `00QNEW${String(i).padStart(12, '0')}`, OwnerId: sdrId, CreatedDate: new Date(now).toISOString(), LeadSource: 'Web', Inbound__c: true, Time_Zone__c: 'America/Chicago', Bin__c: 'Working', Attempt_Count__c: 0 };
    const uc = cpuMs();
    const u = performance.now();
    upsertLead(state, lead, at, { limit: 50 });
    if (i >= 200) {
      arrivals.push(performance.now() - u);
      arrivalsCpu.push(cpuMs() - uc);
    }
  }
}
for (const list of [rerank, rerankCpu, arrivals, arrivalsCpu]) list.sort((a, b) => a - b);

const report = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverage1m: Number(loadavg()[0]?.toFixed(2)) },
  floor: { leads, sdrs, openTasks, accounts: 1000, demoSlots: 500, history: 100_000 },
  fullRerankMs: {
    median: median(measured.map((r) => r.total)),
    cpuMedian: median(measured.map((r) => r.cpu)),
    parse: median(measured.map((r) => r.parse)),
    buildAndFitOdds: median(measured.map((r) => r.build)),
    planAllSdrs: median(measured.map((r) => r.plan)),
    runs: measured.map((r) => Math.round(r.total))
  },
  rerankAfterDispositionMs: { events: rerank.length, p50: quantile(rerank, 0.5), p95: quantile(rerank, 0.95), p99: quantile(rerank, 0.99), max: rerank[rerank.length - 1] },
  rerankAfterDispositionCpuMs: { p50: quantile(rerankCpu, 0.5), p95: quantile(rerankCpu, 0.95), p99: quantile(rerankCpu, 0.99), max: rerankCpu[rerankCpu.length - 1] },
  upsertInboundLeadMs: { events: arrivals.length, p50: quantile(arrivals, 0.5), p99: quantile(arrivals, 0.99) },
  upsertInboundLeadCpuMs: { p50: quantile(arrivalsCpu, 0.5), p99: quantile(arrivalsCpu, 0.99) }
};
if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
else {
  const f = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(2));
  process.stdout.write(
    [
      `queue benchmark, ${report.date}, ${report.machine.cpus} x ${report.machine.cpu}, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}, load average ${report.machine.loadAverage1m} at the end`,
      `floor: ${leads} leads (${openTasks} open tasks), ${sdrs} SDRs, 1000 accounts, 500 demo slots, 100000 history rows`,
      `full re-rank: median ${f(report.fullRerankMs.median)} ms wall, ${f(report.fullRerankMs.cpuMedian)} ms CPU (parse ${f(report.fullRerankMs.parse)}, build + odds fit ${f(report.fullRerankMs.buildAndFitOdds)}, plan all SDRs ${f(report.fullRerankMs.planAllSdrs)}); runs ${report.fullRerankMs.runs.join(', ')} ms`,
      `re-rank after one disposition (${rerank.length} events, plan top 50), wall: p50 ${f(report.rerankAfterDispositionMs.p50)} ms, p95 ${f(report.rerankAfterDispositionMs.p95)} ms, p99 ${f(report.rerankAfterDispositionMs.p99)} ms, max ${f(report.rerankAfterDispositionMs.max)} ms`,
      `  CPU: p50 ${f(report.rerankAfterDispositionCpuMs.p50)} ms, p95 ${f(report.rerankAfterDispositionCpuMs.p95)} ms, p99 ${f(report.rerankAfterDispositionCpuMs.p99)} ms, max ${f(report.rerankAfterDispositionCpuMs.max)} ms`,
      `new inbound lead (${arrivals.length} events), wall: p50 ${f(report.upsertInboundLeadMs.p50)} ms, p99 ${f(report.upsertInboundLeadMs.p99)} ms; CPU: p50 ${f(report.upsertInboundLeadCpuMs.p50)} ms, p99 ${f(report.upsertInboundLeadCpuMs.p99)} ms`
    ].join('\n') + '\n'
  );
}
