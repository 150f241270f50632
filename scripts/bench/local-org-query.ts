/**
 * Benchmark: query throughput of the local org through jsforce.
 *
 *   tsx scripts/bench/local-org-query.ts [--leads 200000] [--data-dir DIR] [--json]
 *
 * Loads N leads straight into the store (insertMany, batches of 10,000, as the demo loader
 * does), then reads them back through jsforce over HTTP: all of them with autoFetch (2,000
 * per page, queryMore), a relationship query, a selective filter and an aggregate.
 * Prints records per second for each; results go to docs/benchmarks/local-org.md by hand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import jsforce from 'jsforce';
import { z } from 'zod';
import { createLocalOrg } from '../../services/local-org/server';

const flagsSchema = z.object({
  leads: z.coerce.number().int().positive().default(200_000),
  dataDir: z.string().optional(),
  json: z.boolean().default(false),
});

interface Measure {
  name: string;
  records: number;
  seconds: number;
  recordsPerSecond: number;
}

async function main(): Promise<void> {
  const program = new Command()
    .option('--leads <n>', 'leads to load', '200000')
    .option('--data-dir <dir>', 'SQLite data directory (default: a temporary one, removed afterwards)')
    .option('--json', 'print JSON')
    .parse();
  const flags = flagsSchema.parse(program.opts());
  const dataDir = flags.dataDir ?? mkdtempSync(join(tmpdir(), 'local-org-bench-'));
  const org = createLocalOrg({ dataDir, dailyApiLimit: 10_000_000 });
  const measures: Measure[] = [];
  const measure = async (name: string, run: () => Promise<number> | number): Promise<void> => {
    const started = performance.now();
    const records = await run();
    const seconds = (performance.now() - started) / 1000;
    measures.push({ name, records, seconds: round(seconds), recordsPerSecond: Math.round(records / seconds) });
  };
  try {
    const store = org.store;
    const owners = store.insertMany(
      'User',
      Array.from({ length: 50 }, (_, i) => ({ Username: `sdr${i}@bench.local`, LastName: `Rep ${i}`, Email: `sdr${i}@bench.local` })),
    );
    const ownerIds = owners.map((r) => r.id as string);
    const sources = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
    await measure('store.insertMany (batches of 10,000)', () => {
      let loaded = 0;
      for (let start = 0; start < flags.leads; start += 10_000) {
        const batch = Array.from({ length: Math.min(10_000, flags.leads - start) }, (_, k) => {
          const i = start + k;
          return { LastName: `Lead ${i}`, FirstName: 'Bench', Company: `Company ${i % 5000}`, Email: `lead${i}@bench.local`, LeadSource: sources[i % 5], OwnerId: ownerIds[i % 50], Status: i % 4 === 0 ? 'Working - Contacted' : 'Open - Not Contacted' };
        });
        const results = store.insertMany('Lead', batch, { silent: true });
        loaded += results.filter((r) => r.success).length;
      }
      if (loaded !== flags.leads) throw new Error(`loaded ${loaded} of ${flags.leads} leads`);
      return loaded;
    });
    const { url } = await org.listen(0);
    const conn = new jsforce.Connection({ oauth2: { loginUrl: url, clientId: 'bench', clientSecret: 'bench' }, version: '62.0' });
    await conn.login('admin@asl.local', 'local-org');
    const fetchAll = async (soql: string): Promise<number> => {
      const result = await conn.query(soql).run({ autoFetch: true, maxFetch: flags.leads + 1 });
      return result.records.length;
    };
    await measure('query all leads, 6 fields, autoFetch', () => fetchAll('SELECT Id, Name, Company, Email, LeadSource, Status FROM Lead'));
    await measure('query all leads with Owner.Name, ORDER BY Name', () => fetchAll('SELECT Id, Name, Owner.Name FROM Lead ORDER BY Name'));
    await measure("selective filter (one owner of 50, LeadSource = 'Web')", () => fetchAll(`SELECT Id, Name FROM Lead WHERE OwnerId = '${ownerIds[5]}' AND LeadSource = 'Web'`));
    await measure('aggregate GROUP BY LeadSource over all leads', async () => {
      await conn.query('SELECT LeadSource, COUNT(Id) FROM Lead GROUP BY LeadSource');
      return flags.leads;
    });
    const report = {
      date: new Date().toISOString().slice(0, 10),
      machine: `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      leads: flags.leads,
      storage: flags.dataDir === undefined ? 'temporary data directory (SQLite WAL)' : flags.dataDir,
      measures,
    };
    if (flags.json) {
      console.log(JSON.stringify(report, null, 2));
    } else {
      console.log(`${report.date} · ${report.machine} · ${report.leads} leads`);
      for (const m of measures) console.log(`${m.name.padEnd(62)} ${String(m.records).padStart(8)} records ${m.seconds.toFixed(2).padStart(7)} s ${String(m.recordsPerSecond).padStart(8)} records/s`);
    }
  } finally {
    await org.close();
    if (flags.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
