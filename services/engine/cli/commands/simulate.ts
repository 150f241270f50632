import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Command } from 'commander';
import { z } from 'zod';
import { parseQueueDefaults, QUEUE_DEFAULTS, type QueueDefaults } from '../../core/queue/config';
import {
  compareRuns,
  formatReport,
  parseBehaviourModel,
  POLICY_KEYS,
  runSeed,
  ScenarioSchema,
  type BehaviourModel,
  type PolicyKey,
  type RunMetrics,
  type Scenario
} from '../../core/simulate';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const DEFAULT_MODEL = path.join(REPO_ROOT, 'config', 'behaviour-model.json');

const int = (name: string, min: number, max: number) =>
  z.coerce.number({ error: `--${name} must be a number` }).int(`--${name} must be a whole number`).min(min, `--${name} must be at least ${min}`).max(max, `--${name} must be at most ${max}`);

const FlagsSchema = z.object({
  seeds: int('seeds', 1, 1000).default(20),
  seed: int('seed', -2147483648, 2147483647).default(1),
  weeks: int('weeks', 1, 52).optional(),
  sdrs: int('sdrs', 1, 500).optional(),
  inboundPerSdrDay: z.coerce.number().nonnegative().optional(),
  listPerSdrWeek: z.coerce.number().nonnegative().optional(),
  params: z.string().optional(),
  scenario: z.string().optional(),
  queueDefaults: z.string().optional(),
  policies: z
    .string()
    .default(POLICY_KEYS.join(','))
    .transform((v, ctx) => {
      const keys = v.split(',').map((k) => k.trim()).filter(Boolean);
      for (const key of keys) {
        if (!(POLICY_KEYS as readonly string[]).includes(key)) {
          ctx.addIssue({ code: 'custom', message: `--policies: unknown policy "${key}"; expected some of ${POLICY_KEYS.join(', ')}` });
          return z.NEVER;
        }
      }
      return keys as PolicyKey[];
    }),
  workers: int('workers', 1, 64).optional(),
  json: z.boolean().default(false)
});
type Flags = z.infer<typeof FlagsSchema>;

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read ${what} from ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

interface Job {
  model: BehaviourModel;
  scenario: Scenario;
  policies: PolicyKey[];
  seeds: number[];
  defaults: QueueDefaults;
}

/** Runs seeds on worker threads (each seed is independent); results come back in seed order. */
async function runParallel(job: Job, workers: number, progress: (done: number) => void): Promise<RunMetrics[][]> {
  if (workers <= 1 || job.seeds.length <= 1) {
    return job.seeds.map((seed, i) => {
      const runs = runSeed(job.model, job.scenario, job.policies, seed, job.defaults);
      progress(i + 1);
      return runs;
    });
  }
  const results = new Array<RunMetrics[]>(job.seeds.length);
  let next = 0;
  let done = 0;
  // The CLI runs TypeScript through tsx; each worker registers the same loader before loading core.
  const source = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(path.join(__dirname, 'simulateWorker.ts'))});`;
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(source, { eval: true, workerData: { model: job.model, scenario: job.scenario, policies: job.policies, defaults: job.defaults } });
      const feed = () => {
        if (next >= job.seeds.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        const index = next;
        next += 1;
        worker.postMessage({ index, seed: job.seeds[index] });
      };
      worker.on('message', (message: { index: number; runs: RunMetrics[] }) => {
        results[message.index] = message.runs;
        done += 1;
        progress(done);
        feed();
      });
      worker.on('error', reject);
      worker.once('online', feed);
    });
  await Promise.all(Array.from({ length: Math.min(workers, job.seeds.length) }, runWorker));
  return results;
}

export async function simulate(flags: Flags, log: (line: string) => void): Promise<ReturnType<typeof compareRuns>> {
  const model = parseBehaviourModel(readJson(flags.params ?? DEFAULT_MODEL, 'the behaviour model'), flags.params ?? 'config/behaviour-model.json');
  const overrides = flags.scenario ? readJson(flags.scenario, 'the scenario') : {};
  const scenario = ScenarioSchema.parse({
    ...(overrides as object),
    ...(flags.weeks !== undefined ? { weeks: flags.weeks } : {}),
    ...(flags.sdrs !== undefined ? { sdrs: flags.sdrs } : {}),
    ...(flags.inboundPerSdrDay !== undefined ? { inboundPerSdrWeekday: flags.inboundPerSdrDay } : {}),
    ...(flags.listPerSdrWeek !== undefined ? { listLeadsPerSdrWeek: flags.listPerSdrWeek } : {})
  });
  const defaults = flags.queueDefaults ? parseQueueDefaults(readJson(flags.queueDefaults, 'the queue defaults'), flags.queueDefaults) : QUEUE_DEFAULTS;
  const seeds = Array.from({ length: flags.seeds }, (_, i) => flags.seed + i);
  const workers = flags.workers ?? Math.min(2, availableParallelism());
  const started = Date.now();
  const runs = await runParallel({ model, scenario, policies: flags.policies, seeds, defaults }, workers, (done) =>
    log(`seed ${done}/${seeds.length} done (${((Date.now() - started) / 1000).toFixed(0)} s)`)
  );
  return compareRuns(scenario, seeds, flags.policies, runs);
}

export function register(program: Command): void {
  program
    .command('simulate')
    .description('Simulate an SDR floor over weeks and compare the queue policy with FIFO, newest first, random, self-selection and cadence order')
    .option('--seeds <n>', 'number of seeds (runs per policy)', '20')
    .option('--seed <n>', 'first seed', '1')
    .option('--weeks <n>', 'weeks simulated per run (default 4)')
    .option('--sdrs <n>', 'SDRs on the floor (default 10)')
    .option('--inbound-per-sdr-day <n>', 'inbound leads per SDR per weekday (default 6)')
    .option('--list-per-sdr-week <n>', 'purchased-list leads per SDR per week (default 150)')
    .option('--params <file>', 'an alternative behaviour model JSON (default config/behaviour-model.json)')
    .option('--scenario <file>', 'floor scenario overrides as JSON (see docs/call-queue.md)')
    .option('--queue-defaults <file>', 'alternative queue rules and priors (default config/queue-defaults.json)')
    .option('--policies <list>', `comma-separated subset of ${POLICY_KEYS.join(',')}`)
    .option('--workers <n>', 'worker threads (default: up to 2)')
    .option('--json', 'print the report as JSON', false)
    .action(async (raw: Record<string, unknown>) => {
      const parsed = FlagsSchema.safeParse(raw);
      if (!parsed.success) {
        throw new Error(parsed.error.issues.map((i) => `${i.message} (got ${JSON.stringify(raw[String(i.path[0])])})`).join('; '));
      }
      const report = await simulate(parsed.data, (line) => process.stderr.write(`${line}\n`));
      // JSON has no Infinity: a percentile over leads never called is written as the string "Infinity".
      const json = () => JSON.stringify(report, (_key, value: unknown) => (value === Infinity ? 'Infinity' : value), 2);
      process.stdout.write(parsed.data.json ? `${json()}\n` : `${formatReport(report)}\n`);
    });
}
