/**
 * Benchmark: a disposition created through REST -> the running engine hears its change event,
 * re-ranks that SDR and writes the queue (lead fields, Queue_Entry__c rows, RERANKED signal).
 * Against the local org with a seeded demo floor; every SDR also gets the floor's unassigned
 * Cold leads (the assignment feature's work, done here by hand), so queues are full.
 *
 *   tsx scripts/bench/queue-org.ts [--leads 8000] [--dispositions 100] [--json]
 *
 * Reports, over the dispositions (created one after another, each after the previous
 * re-rank was written): end-to-end latency (REST create sent -> re-ranked queue written),
 * engine latency (event received -> written), API calls and rows written per re-rank, and the
 * cost of the start-up full ranking. Issue 5 target: p95 of the re-rank within 1 second.
 */
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { localOrgConfig } from '../../services/engine/cli/orgOption';
import { createLogger } from '../../services/engine/observability/log';
import { queueFeature, type LiveQueue, type RerankReport } from '../../services/engine/features/queue';
import { connectOrg } from '../../services/engine/org/connection';
import { orgJobStore } from '../../services/engine/org/jobStore';
import { queryAll } from '../../services/engine/org/reads';
import { memoryReplayStore } from '../../services/engine/org/streaming';
import { startEngine } from '../../services/engine/service';
import { generateDemoFloor } from '../../services/local-org/demo-floor/generate';
import { StoreSink } from '../../services/local-org/demo-floor/storeSink';
import { createLocalOrg } from '../../services/local-org/server';

const flagsSchema = z.object({
  leads: z.coerce.number().int().min(100).default(8000),
  dispositions: z.coerce.number().int().min(1).default(100),
  json: z.boolean().default(false)
});

const AS_OF = Date.parse('2026-11-16T15:00:00.000Z'); // a Monday, 10:00 in New York: SDRs on shift

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] as number;
}

function summary(values: readonly number[]): { p50: number; p95: number; p99: number; max: number; mean: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1] ?? Number.NaN, mean };
}

const OUTCOMES = ['No Answer', 'No Answer', 'No Answer', 'Left Voicemail', 'Left Voicemail', 'Call Back Requested', 'Not Interested', 'Wrong Person'] as const;

async function main(argv: string[]): Promise<void> {
  const program = new Command('queue-org').option('--leads <n>', 'demo floor leads', '8000').option('--dispositions <n>', 'dispositions to create', '100').option('--json', 'print JSON', false).parse(argv);
  const flags = flagsSchema.parse(program.opts());
  const t0 = Date.now();
  const clock = () => new Date(AS_OF + (Date.now() - t0));
  const org = createLocalOrg({ dataDir: ':memory:', forceAppDir: path.resolve(__dirname, '../../force-app/main/default'), clock });
  const genStart = Date.now();
  await generateDemoFloor(new StoreSink(org.store), { leads: flags.leads, seed: 'bench-queue-org', asOf: new Date(AS_OF).toISOString() });
  const generateMs = Date.now() - genStart;
  const { url } = await org.listen(0, '127.0.0.1');
  const config = localOrgConfig(url, {});
  const client = await connectOrg(config);
  const [station] = await queryAll(client, "SELECT Id FROM Station__c WHERE Key__c = 'SDR_CALL'");
  const stationId = String(station?.Id);
  const sdrIds = (await queryAll(client, "SELECT User__c FROM Rep_Capacity__c WHERE Station_Keys__c = 'SDR_CALL' AND Active__c = true")).map((row) => String(row.User__c));
  const cold = await queryAll(client, "SELECT Id FROM Lead WHERE IsConverted = false AND Bin__c = 'Cold' AND DoNotCall = false");
  const owners = cold.map((lead, index) => ({ Id: String(lead.Id), OwnerId: sdrIds[index % sdrIds.length], Station__c: stationId }));
  for (let start = 0; start < owners.length; start += 200) await client.conn.sobject('Lead').update(owners.slice(start, start + 200), { allOrNone: true });

  let queue: LiveQueue | undefined;
  const waiting = new Map<string, (report: RerankReport) => void>();
  const early = new Map<string, RerankReport>();
  const startMs = Date.now();
  const engine = await startEngine({
    config,
    features: [
      queueFeature(
        { topN: 50 },
        {
          clock,
          onCreated: (created) => (queue = created),
          onRerank: (report) => {
            const id = report.dispositionId ?? '';
            const resolve = waiting.get(id);
            if (resolve) resolve(report);
            else early.set(id, report);
          }
        }
      )
    ],
    jobStore: orgJobStore,
    replayStore: memoryReplayStore(),
    serveHttp: false,
    logger: createLogger({ level: 'warn' })
  });
  const startupMs = Date.now() - startMs;
  const tasks = queue?.current()?.tasks.size ?? 0;

  const endToEnd: number[] = [];
  const engineMs: number[] = [];
  const apiCalls: number[] = [];
  const entries: number[] = [];
  let skipped = 0;
  for (let i = 0; i < flags.dispositions; i += 1) {
    const sdrId = sdrIds[i % sdrIds.length] as string;
    const [entry] = await queryAll(
      client,
      `SELECT Id, Lead__c, Purpose__c, Attempt_Number__c FROM Queue_Entry__c WHERE SDR__c = '${sdrId}' AND Status__c = 'Open' AND Lead__c != null AND Purpose__c IN ('First Touch','Follow Up','Call Back','Nurture Check Back') ORDER BY Rank__c LIMIT 1`
    );
    if (!entry) {
      skipped += 1;
      continue;
    }
    const sent = Date.now();
    const created = (await client.conn.sobject('Disposition__c').create({
      Lead__c: entry.Lead__c,
      Asset_Id__c: entry.Lead__c,
      Rep__c: sdrId,
      Station__c: stationId,
      Queue_Entry__c: entry.Id,
      Purpose__c: entry.Purpose__c,
      Outcome__c: OUTCOMES[i % OUTCOMES.length],
      Attempt_Number__c: entry.Attempt_Number__c,
      Duration_Seconds__c: 40,
      ...(OUTCOMES[i % OUTCOMES.length] === 'Call Back Requested' ? { Next_Action_At__c: new Date(clock().getTime() + 2 * 86_400_000).toISOString() } : {})
    })) as { id: string };
    const report = early.get(created.id) ?? (await new Promise<RerankReport>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no re-rank for ${created.id} within 10 s`)), 10_000);
      waiting.set(created.id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
    }));
    endToEnd.push(Date.now() - sent);
    engineMs.push(report.elapsedMs);
    apiCalls.push(report.apiCalls);
    entries.push(report.entriesWritten);
  }
  await engine.stop();
  await org.close();

  const result = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    floor: { leads: flags.leads, sdrs: sdrIds.length, queueTasks: tasks, generateMs },
    startupFullRankMs: startupMs,
    dispositions: endToEnd.length,
    skipped,
    endToEndMs: summary(endToEnd),
    engineMs: summary(engineMs),
    apiCallsPerRerank: summary(apiCalls),
    entriesWrittenPerRerank: summary(entries)
  };
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const f = (s: ReturnType<typeof summary>) => `p50 ${s.p50.toFixed(0)}, p95 ${s.p95.toFixed(0)}, p99 ${s.p99.toFixed(0)}, max ${s.max.toFixed(0)}, mean ${s.mean.toFixed(1)}`;
  process.stdout.write(
    [
      `date ${result.date}; ${result.machine.cpus} cores (${result.machine.cpuModel}), ${result.machine.memoryGiB} GiB, Node ${result.machine.node}`,
      `floor: ${flags.leads} leads, ${sdrIds.length} SDRs, ${tasks} open queue tasks (generated in ${generateMs} ms); engine start incl. full rank ${startupMs} ms`,
      `dispositions: ${endToEnd.length} (skipped ${skipped})`,
      `end to end (REST create sent -> re-ranked queue written), ms: ${f(result.endToEndMs)}`,
      `engine (event received -> written), ms: ${f(result.engineMs)}`,
      `API calls per re-rank: ${f(result.apiCallsPerRerank)}`,
      `Queue_Entry__c rows written per re-rank: ${f(result.entriesWrittenPerRerank)}`
    ].join('\n') + '\n'
  );
}

main(process.argv).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`queue-org: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  }
);
