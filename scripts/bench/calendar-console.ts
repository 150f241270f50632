/**
 * Benchmark: the Demo Calendar console's exchange through records (issue 8, part 1), on a
 * local org with a seeded demo floor and the engine's calendar feature running beside it.
 *
 *   tsx scripts/bench/calendar-console.ts                    # 2,000 leads, 30 requests, Markdown
 *   tsx scripts/bench/calendar-console.ts --leads 20000 --requests 50 --json
 *
 * What is timed, as the console sees it (a coordinator's REST session, polling every 10 ms):
 * - answer: from creating a Demo_Request__c (Status Requested) to reading it Answered: the
 *   change event, the engine's reads (demo type, stations, capacity, Events and Demo_Slot__c of
 *   the month), findSlots, user names, and the write of the answer;
 * - confirm: from inserting the answer's first Demo_Slot__c to its Event existing (change
 *   event, overlap check, Event insert).
 * Each request asks for DEMO_60 over 14 days; each booking makes the next listing one slot
 * shorter and the standings move, as in use. The first request is reported apart (cold).
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { Command } from 'commander';
import jsforce from 'jsforce';
import { z } from 'zod';
import { localOrgConfig } from '../../services/engine/cli/orgOption';
import { calendarFeature, type DemoRequestAnswer } from '../../services/engine/features/calendar';
import { createLogger } from '../../services/engine/observability/log';
import { orgJobStore } from '../../services/engine/org/jobStore';
import { memoryReplayStore } from '../../services/engine/org/streaming';
import { startEngine } from '../../services/engine/service';
import { generateDemoFloor } from '../../services/local-org/demo-floor/generate';
import { StoreSink } from '../../services/local-org/demo-floor/storeSink';
import { createLocalOrg } from '../../services/local-org/server';

const flags = z.object({ leads: z.coerce.number().int().min(100).max(1_000_000), requests: z.coerce.number().int().min(2).max(1000), json: z.boolean() });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

function summary(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  return { n: sorted.length, median: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted.at(-1) ?? NaN };
}

async function until<T>(probe: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function main(): Promise<void> {
  const program = new Command().option('--leads <n>', 'demo floor leads', '2000').option('--requests <n>', 'timed requests', '30').option('--json', 'JSON output', false);
  program.parse();
  const options = flags.parse(program.opts());
  const org = createLocalOrg({ dataDir: ':memory:', forceAppDir: path.resolve(__dirname, '../../force-app/main/default') });
  const floor = await generateDemoFloor(new StoreSink(org.store), { leads: options.leads, seed: 'bench-calendar-console', asOf: new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString() });
  const { url } = await org.listen(0, '127.0.0.1');
  const login = async (username: string) => {
    const conn = new jsforce.Connection({ oauth2: { loginUrl: url, clientId: 'bench', clientSecret: 'bench' }, version: '66.0' });
    await conn.login(username, 'local-org');
    return conn;
  };
  const admin = await login('admin@asl.local');
  const type = (await admin.sobject('Demo_Type__c').create({ Name: 'Product demo', Key__c: 'DEMO_60', Duration_Minutes__c: 60, Needs_AE__c: true, Active__c: true })) as { id: string };
  const engine = await startEngine({ config: localOrgConfig(url, {}), features: [calendarFeature()], jobStore: orgJobStore, replayStore: memoryReplayStore(), serveHttp: false, logger: createLogger({ level: 'silent' }) });
  const coordinator = await login(floor.logins.coordinator);
  const status = async (id: string) => (await coordinator.sobject('Demo_Request__c').retrieve(id)) as unknown as { Status__c: string; Result__c: string | null };
  // Wait until the engine's subscription is live (its CometD handshake ends after start).
  const warm = (await coordinator.sobject('Demo_Request__c').create({ Status__c: 'Requested', Demo_Type__c: type.id, Days__c: 1 })) as { id: string };
  await until(async () => {
    if ((await status(warm.id)).Status__c !== 'Requested') return true;
    await new Promise((resolve) => setTimeout(resolve, 300));
    if ((await status(warm.id)).Status__c !== 'Requested') return true;
    await coordinator.sobject('Demo_Request__c').update({ Id: warm.id, Status__c: 'Requested' });
    return null;
  });

  const answers: number[] = [];
  const confirms: number[] = [];
  let slotsPerAnswer = 0;
  let aes = 0;
  for (let i = 0; i <= options.requests; i += 1) {
    const t0 = performance.now();
    const created = (await coordinator.sobject('Demo_Request__c').create({ Status__c: 'Requested', Demo_Type__c: type.id, Days__c: 14 })) as { id: string };
    const row = await until(async () => {
      const r = await status(created.id);
      return r.Status__c === 'Requested' ? null : r;
    });
    const answerMs = performance.now() - t0;
    if (row.Status__c !== 'Answered') throw new Error(`request ${created.id} ${row.Status__c}`);
    const answer = JSON.parse(String(row.Result__c)) as DemoRequestAnswer;
    slotsPerAnswer = answer.total;
    aes = answer.owners.length;
    const slot = answer.slots[0];
    if (!slot) throw new Error('no open slot left');
    const t1 = performance.now();
    await coordinator.sobject('Demo_Slot__c').create(slot.record);
    const subject = `Demo: DEMO_60 (${slot.key})`.replace(/'/g, "\\'");
    await until(async () => ((await coordinator.query(`SELECT Id FROM Event WHERE Subject = '${subject}'`)).totalSize > 0 ? true : null));
    const confirmMs = performance.now() - t1;
    if (i > 0) {
      answers.push(answerMs);
      confirms.push(confirmMs);
    } else if (!options.json) {
      process.stdout.write(`cold request: answer ${answerMs.toFixed(0)} ms, confirm ${confirmMs.toFixed(0)} ms\n`);
    }
  }
  await engine.stop();
  await org.close();
  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    leads: options.leads,
    aes,
    openSlotsLastAnswer: slotsPerAnswer,
    answerMs: summary(answers),
    confirmMs: summary(confirms)
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const f = (n: number) => n.toFixed(0);
  process.stdout.write(
    [
      `| measure (${options.requests} requests, ${options.leads} leads, ${result.machine.cpus} cores, Node ${result.machine.node}) | median | p95 | max |`,
      '|---|---|---|---|',
      `| request to answer (Demo_Request__c Requested -> Answered) | ${f(result.answerMs.median)} ms | ${f(result.answerMs.p95)} ms | ${f(result.answerMs.max)} ms |`,
      `| booking to Event (Demo_Slot__c insert -> engine's Event) | ${f(result.confirmMs.median)} ms | ${f(result.confirmMs.p95)} ms | ${f(result.confirmMs.max)} ms |`,
      `AEs ranked: ${aes}; open slots in the last answer: ${slotsPerAnswer}`,
      ''
    ].join('\n')
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
);
