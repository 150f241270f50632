/**
 * Benchmark: what the package's record-triggered flows cost the local org's writes.
 *
 *   tsx scripts/bench/local-org-flows.ts [--leads 20000] [--json]
 *
 * With the real force-app, writes the same leads twice through the store, in batches of
 * 200 (a collection's size): once with `runFlows: false` (a loader) and once with the flows
 * (as every API write runs them): inserts (stamp + Bin stay), then station moves (stamp,
 * close the open stay, open the next). Prints records per second; results go to
 * docs/benchmarks/local-org-flows.md by hand.
 */
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { createLocalOrg } from '../../services/local-org/server';
import type { Store } from '../../services/local-org/store/store';

const flagsSchema = z.object({
  leads: z.coerce.number().int().positive().default(20_000),
  json: z.boolean().default(false),
});

interface Measure {
  name: string;
  records: number;
  seconds: number;
  recordsPerSecond: number;
}

const BATCH = 200;

function inBatches(count: number, write: (start: number, size: number) => void): number {
  for (let start = 0; start < count; start += BATCH) write(start, Math.min(BATCH, count - start));
  return count;
}

function run(store: Store, leads: number, runFlows: boolean, stations: [string, string]): Measure[] {
  const measures: Measure[] = [];
  const measure = (name: string, work: () => number): void => {
    const started = performance.now();
    const records = work();
    const seconds = (performance.now() - started) / 1000;
    measures.push({ name: `${name}, ${runFlows ? 'with flows' : 'runFlows: false'}`, records, seconds: Math.round(seconds * 100) / 100, recordsPerSecond: Math.round(records / seconds) });
  };
  const ids: string[] = [];
  measure('insert leads with a station', () =>
    inBatches(leads, (start, size) => {
      const rows = Array.from({ length: size }, (_, k) => ({ LastName: `Bench ${runFlows} ${start + k}`, Company: 'Bench Co', LeadSource: 'Web', Station__c: stations[0] }));
      for (const result of store.insertMany('Lead', rows, { silent: true, runFlows })) ids.push(result.id as string);
    }),
  );
  measure('move leads to the next station', () =>
    inBatches(leads, (start, size) => {
      store.updateMany('Lead', ids.slice(start, start + size).map((Id) => ({ Id, Station__c: stations[1] })), { silent: true, runFlows });
    }),
  );
  return measures;
}

function main(): void {
  const program = new Command().option('--leads <n>', 'leads to write per variant', '20000').option('--json', 'print JSON').parse();
  const flags = flagsSchema.parse(program.opts());
  const org = createLocalOrg({ forceAppDir: join(__dirname, '..', '..', 'force-app') });
  try {
    const stations = org.store.insertMany('Station__c', [
      { Name: 'SDR Call', Key__c: 'SDR_CALL' },
      { Name: 'Demo', Key__c: 'DEMO' },
    ]).map((result) => result.id as string) as [string, string];
    const measures = [...run(org.store, flags.leads, false, stations), ...run(org.store, flags.leads, true, stations)];
    const events = org.store.count('Stage_Event__c');
    const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`;
    if (flags.json) {
      console.log(JSON.stringify({ machine, leads: flags.leads, stageEvents: events, measures }, null, 2));
      return;
    }
    console.log(`${machine}; ${flags.leads} leads per variant; ${events} stage events written by the flows`);
    for (const m of measures) console.log(`${m.name.padEnd(60)} ${String(m.records).padStart(8)} in ${m.seconds.toFixed(2)} s = ${m.recordsPerSecond} records/s`);
  } finally {
    void org.close();
  }
}

main();
