/**
 * Benchmark: demo sales floor generation time and peak memory.
 *
 *   tsx scripts/bench/demo-floor.ts                       # 50,000 and 1,000,000 leads into the local org
 *   tsx scripts/bench/demo-floor.ts --leads 50000 --sink null
 *
 * Each size runs in its own child process, so the peak RSS (process.resourceUsage().maxRSS)
 * belongs to that size alone. `--sink store` (default) writes through the local org's Store
 * into a SQLite file in a temporary directory, as `npm start` does; `--sink null` only draws
 * the floor (the generator's own cost). Prints one JSON line per size and a Markdown table.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { createLocalOrg } from '../../services/local-org/server';
import { generateDemoFloor } from '../../services/local-org/demo-floor/generate';
import type {
  FloorRow,
  FloorSink,
  OpportunityWithHistory
} from '../../services/local-org/demo-floor/sink';
import { StoreSink } from '../../services/local-org/demo-floor/storeSink';
import { SqliteTruth } from '../../services/local-org/demo-floor/truth';

const ROOT = path.resolve(__dirname, '../..');

const resultSchema = z.object({
  leads: z.number(),
  sink: z.string(),
  seconds: z.number(),
  cpuSeconds: z.number(),
  leadsPerSecond: z.number(),
  rows: z.number(),
  peakRssMiB: z.number(),
  databaseMiB: z.number().nullable()
});
type Result = z.infer<typeof resultSchema>;

/** Draws ids and drops rows: measures the generator alone. */
class NullSink implements FloorSink {
  private next = 0;
  insert(_objectName: string, rows: FloorRow[]): string[] {
    return rows.map(() => `a00${String((this.next += 1)).padStart(15, '0')}`);
  }
  update(): void {}
  insertOpportunities(items: OpportunityWithHistory[]): string[] {
    return this.insert(
      'Opportunity',
      items.map((item) => item.row)
    );
  }
}

async function child(leads: number, sink: string): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'asl-floor-bench-'));
  try {
    const org =
      sink === 'store'
        ? createLocalOrg({ dataDir: dir, forceAppDir: path.join(ROOT, 'force-app/main/default') })
        : null;
    const truth = new SqliteTruth(dir);
    const started = process.hrtime.bigint();
    const summary = await generateDemoFloor(
      org === null ? new NullSink() : new StoreSink(org.store),
      { leads, seed: 'bench', asOf: '2026-11-20T15:00:00Z' },
      truth,
      {
        onProgress: (done, total) => {
          if (done % 100_000 === 0 || done === total)
            process.stderr.write(
              `  ${done}/${total} leads, ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s\n`
            );
        }
      }
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    truth.close();
    await org?.close();
    const dbBytes =
      org === null
        ? null
        : fileSize(path.join(dir, 'org.sqlite')) + fileSize(path.join(dir, 'org.sqlite-wal'));
    const result: Result = {
      leads,
      sink,
      seconds: round(seconds),
      cpuSeconds: round(cpuMicros(process.cpuUsage()) / 1e6),
      leadsPerSecond: Math.round(leads / seconds),
      rows: Object.values(summary.manifest.counts).reduce((sum, count) => sum + count, 0),
      peakRssMiB: round(process.resourceUsage().maxRSS / 1024),
      databaseMiB: dbBytes === null ? null : round(dbBytes / 1024 / 1024)
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** User plus system CPU time: unlike wall time, not inflated when other work shares the cores. */
function cpuMicros(usage: NodeJS.CpuUsage): number {
  return usage.user + usage.system;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function parent(sizes: number[], sink: string): void {
  const results: Result[] = [];
  for (const leads of sizes) {
    process.stderr.write(`demo floor: ${leads} leads (${sink})\n`);
    const run = spawnSync(
      process.execPath,
      [...process.execArgv, __filename, '--child', '--leads', String(leads), '--sink', sink],
      {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 16 * 1024 * 1024
      }
    );
    if (run.status !== 0)
      throw new Error(`benchmark child for ${leads} leads exited with ${String(run.status)}`);
    const line = run.stdout.trim().split('\n').at(-1) ?? '';
    const result = resultSchema.parse(JSON.parse(line));
    process.stdout.write(`${line}\n`);
    results.push(result);
  }
  process.stdout.write(
    '\n| leads | sink | wall time (s) | CPU time (s) | leads/s (wall) | rows written | peak RSS (MiB) | database (MiB) |\n|---:|---|---:|---:|---:|---:|---:|---:|\n'
  );
  for (const r of results) {
    process.stdout.write(
      `| ${r.leads.toLocaleString('en-US')} | ${r.sink} | ${r.seconds} | ${r.cpuSeconds} | ${r.leadsPerSecond.toLocaleString('en-US')} | ${r.rows.toLocaleString('en-US')} | ${r.peakRssMiB} | ${r.databaseMiB ?? '-'} |\n`
    );
  }
}

const program = new Command('bench-demo-floor')
  .description('Demo sales floor generation time and peak RSS')
  .option('--leads <list>', 'comma-separated lead counts', '50000,1000000')
  .addOption(
    new Option('--sink <sink>', 'where rows go').choices(['store', 'null']).default('store')
  )
  .option('--child', 'run one size in this process (internal)', false)
  .action(async (flags: { leads: string; sink: string; child: boolean }) => {
    const sizes = z
      .array(z.coerce.number().int().min(0).max(1_000_000))
      .min(1)
      .parse(flags.leads.split(','));
    if (flags.child) await child(sizes[0] as number, flags.sink);
    else parent(sizes, flags.sink);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
