/**
 * `npm start`: the local org on this machine with the demo sales floor, persisted in a data
 * directory. The first start generates the floor; later starts load it; `--reset` wipes and
 * regenerates. `npm start -- --help` lists the flags.
 */
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { generateDemoFloor, type FloorSummary } from '../services/local-org/demo-floor/generate';
import { MAX_LEADS } from '../services/local-org/demo-floor/options';
import { StoreSink } from '../services/local-org/demo-floor/storeSink';
import { SqliteTruth, TRUTH_FILE } from '../services/local-org/demo-floor/truth';
import { createLocalOrg, type LocalOrg } from '../services/local-org/server';
import { servePreviewBeside } from '../preview/server';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { localOrgConfig } from '../services/engine/cli/orgOption';
import { engineFeatures } from '../services/engine/features';
import { createLogger } from '../services/engine/observability/log';
import { createMetrics } from '../services/engine/observability/metrics';
import { orgJobStore } from '../services/engine/org/jobStore';
import { startEngine } from '../services/engine/service';

const ROOT = path.resolve(__dirname, '..');
/** Written last, once the floor is complete: its presence means "load, do not generate". */
export const FLOOR_MARKER = 'demo-floor.json';
const LOCAL_PASSWORD = 'local-org';

const startOptionsSchema = z.object({
  port: z.number().int().min(0).max(65_535),
  host: z.string().min(1),
  dataDir: z.string().min(1),
  leads: z.number().int().min(0).max(MAX_LEADS),
  seed: z.string().min(1),
  reset: z.boolean()
});
export type StartOptions = z.infer<typeof startOptionsSchema>;
type Log = (text: string) => void;

const floorMarkerSchema = z.object({
  summary: z.object({
    manifest: z.object({
      seed: z.string(),
      leads: z.number(),
      asOf: z.string(),
      generatedAt: z.string(),
      modelVersion: z.number(),
      counts: z.record(z.string(), z.number())
    }),
    logins: z.record(z.string(), z.string())
  })
});

function integer(name: string, min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(
        `${name} must be a whole number from ${min} to ${max} (got "${value}")`
      );
    }
    return parsed;
  };
}

export function buildProgram(run: (options: StartOptions) => Promise<void>): Command {
  const env = process.env;
  return new Command('npm start --')
    .description('Start the local Salesforce-compatible org with the demo sales floor.')
    .option(
      '--port <port>',
      'port to listen on (0: any free port) [env ASL_PORT]',
      integer('--port', 0, 65_535),
      Number(env.ASL_PORT ?? 4290)
    )
    .option(
      '--host <host>',
      'address to listen on; local logins are accepted from loopback only',
      env.ASL_HOST ?? '127.0.0.1'
    )
    .option(
      '--data-dir <dir>',
      'where the org keeps its data [env ASL_DATA_DIR]',
      env.ASL_DATA_DIR ?? 'data/local-org'
    )
    .option(
      '--leads <n>',
      `leads on a newly generated floor, up to ${MAX_LEADS.toLocaleString('en-US')}`,
      integer('--leads', 0, MAX_LEADS),
      5_000
    )
    .option('--seed <seed>', 'seed of a newly generated floor (same seed, same floor)', 'asl-demo')
    .option('--reset', 'delete the data directory and generate a new floor', false)
    .addHelpText(
      'after',
      `
The first start generates the floor; later starts load the saved data and ignore --leads
and --seed. Use --reset to wipe the data directory and generate again.

Examples:
  npm start
  npm start -- --leads 50000 --seed q3-demo --reset
  ASL_PORT=4300 npm start -- --data-dir /tmp/asl`
    )
    .action(async (flags: Record<string, unknown>) => run(startOptionsSchema.parse(flags)));
}

/** Deletes the org's files from a data directory (and only those). */
function wipe(dataDir: string): void {
  if (!existsSync(dataDir)) return;
  for (const name of readdirSync(dataDir)) {
    if (name.startsWith('org.sqlite') || name.startsWith(TRUTH_FILE) || name === FLOOR_MARKER)
      rmSync(path.join(dataDir, name), { force: true });
  }
}

function readMarker(dataDir: string): FloorSummary | null {
  const file = path.join(dataDir, FLOOR_MARKER);
  if (!existsSync(file)) return null;
  return floorMarkerSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).summary as FloorSummary;
}

async function generate(org: LocalOrg, options: StartOptions, log: Log): Promise<FloorSummary> {
  const truth = new SqliteTruth(options.dataDir);
  const started = Date.now();
  let lastReport = started;
  try {
    const asOf = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    const summary = await generateDemoFloor(
      new StoreSink(org.store),
      { leads: options.leads, seed: options.seed, asOf },
      truth,
      {
        now: () => new Date(),
        onProgress: (done, total) => {
          if (Date.now() - lastReport < 2_000 && done < total) return;
          lastReport = Date.now();
          log(`  ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} leads\n`);
        }
      }
    );
    writeFileSync(
      path.join(options.dataDir, FLOOR_MARKER),
      `${JSON.stringify({ summary }, null, 2)}\n`
    );
    log(`Demo floor generated in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
    return summary;
  } finally {
    truth.close();
  }
}

/**
 * Where the engine joins the demo: the same engine as in production (services/engine), with
 * all its features, connected over HTTP to the local org as the floor's integration user.
 * Its JSON logs go to engine.log in the data directory; its HTTP API listens beside the org
 * with a random token written to engine-token (mode 0600), never printed.
 */
interface DemoEngine {
  stop(): Promise<void>;
  httpUrl?: string;
  logPath: string;
  tokenPath: string;
}

async function connectEngine(
  orgUrl: string,
  login: { username: string; password: string },
  options: StartOptions
): Promise<DemoEngine | { error: string }> {
  const dataDir = path.resolve(options.dataDir);
  const logPath = path.join(dataDir, 'engine.log');
  const tokenPath = path.join(dataDir, 'engine-token');
  try {
    const token = randomBytes(24).toString('hex');
    writeFileSync(tokenPath, `${token}\n`, { mode: 0o600 });
    const config = {
      ...localOrgConfig(orgUrl, {
        ASL_LOCAL_USERNAME: login.username,
        ASL_LOCAL_PASSWORD: login.password
      }),
      http: { host: options.host, port: options.port === 0 ? 0 : options.port + 2, token }
    };
    const metrics = createMetrics();
    const logger = createLogger({
      destination: pino.destination({ dest: logPath, mkdir: true, sync: false })
    });
    const engine = await startEngine({
      config,
      features: engineFeatures({ metrics }),
      metrics,
      jobStore: orgJobStore,
      replayStorePath: path.join(dataDir, 'engine', 'replay.json'),
      logger
    });
    return {
      stop: () => engine.stop(),
      logPath,
      tokenPath,
      ...(engine.httpUrl ? { httpUrl: engine.httpUrl } : {})
    };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function printWelcome(
  log: Log,
  url: string,
  options: StartOptions,
  summary: FloorSummary,
  engine: DemoEngine | { error: string }
): void {
  const { manifest, logins } = summary;
  const lines = [
    '',
    `Sales Assembly Line local org: ${url}`,
    `  data: ${path.resolve(options.dataDir)} (floor of ${manifest.leads.toLocaleString('en-US')} leads, seed "${manifest.seed}", as of ${manifest.asOf})`,
    '',
    `Log in (local org only; any active user, password "${LOCAL_PASSWORD}"):`,
    `  manager      ${logins.manager}`,
    `  SDR          ${logins.sdr}`,
    `  coordinator  ${logins.coordinator}`,
    `  AE           ${logins.accountExecutive}`,
    `  RevOps       ${logins.revops}`,
    `  marketing    ${logins.marketing}`,
    `  engine       ${logins.integration}`,
    '',
    'jsforce (paste into `node` started in this project):',
    "  const jsforce = require('jsforce');",
    `  const conn = new jsforce.Connection({ loginUrl: '${url}' });`,
    `  await conn.login('${logins.manager}', '${LOCAL_PASSWORD}');`,
    '  (await conn.query("SELECT Name, StageName, Amount, CloseDate FROM Opportunity WHERE IsClosed = false")).records;',
    '',
    'error' in engine
      ? `Engine: NOT running (${engine.error}); the org and the floor run on their own.`
      : `Engine: connected as ${logins.integration}; logs in ${engine.logPath}` +
        (engine.httpUrl
          ? `\n  engine API ${engine.httpUrl} (Bearer token in ${engine.tokenPath})`
          : ''),
    'Stop with Ctrl+C; the data stays in the data directory. Start again to load it, or add --reset to regenerate.',
    ''
  ];
  log(lines.join('\n'));
}

export async function start(
  options: StartOptions,
  log: Log = (text) => process.stdout.write(text)
): Promise<{ url: string; summary: FloorSummary; stop(): Promise<void> }> {
  if (options.reset) wipe(options.dataDir);
  let summary = readMarker(options.dataDir);
  if (summary !== null && !existsSync(path.join(options.dataDir, 'org.sqlite'))) {
    log('demo-floor.json is there but the org database is gone; generating the floor again.\n');
    wipe(options.dataDir);
    summary = null;
  }
  if (summary === null && existsSync(path.join(options.dataDir, 'org.sqlite'))) {
    log(
      'The data directory holds an unfinished floor (no demo-floor.json); generating it again.\n'
    );
    wipe(options.dataDir);
  }
  const org = createLocalOrg({
    dataDir: options.dataDir,
    forceAppDir: path.join(ROOT, 'force-app/main/default')
  });
  try {
    if (summary === null) {
      log(
        `Generating the demo floor: ${options.leads.toLocaleString('en-US')} leads, seed "${options.seed}"...\n`
      );
      summary = await generate(org, options, log);
    } else if (summary.manifest.leads !== options.leads || summary.manifest.seed !== options.seed) {
      log(
        `Loading the saved floor (${summary.manifest.leads} leads, seed "${summary.manifest.seed}"); --leads and --seed apply with --reset.\n`
      );
    } else {
      log('Loading the saved floor.\n');
    }
    const { url } = await org.listen(options.port, options.host);
    const engine = await connectEngine(
      url,
      { username: summary.logins.integration ?? '', password: LOCAL_PASSWORD },
      options
    );
    printWelcome(log, url, options, summary, engine);
    const loaded = summary;
    return {
      url,
      summary: loaded,
      stop: async () => {
        if (!('error' in engine)) await engine.stop();
        await org.close();
      }
    };
  } catch (error) {
    await org.close();
    throw error;
  }
}

function main(): void {
  // Signals are handled from the first moment: a stop requested while the floor is still being
  // generated exits at once (the next start regenerates it, as no demo-floor.json was written).
  let running: { stop(): Promise<void> } | null = null;
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) {
      process.stdout.write(`\n${signal} again: exiting now.\n`);
      process.exit(1);
    }
    stopping = true;
    if (running === null) {
      process.stdout.write(`\n${signal}: stopped before the org was ready.\n`);
      process.exit(130);
    }
    process.stdout.write(`\n${signal}: stopping the local org...\n`);
    running.stop().then(
      () => {
        process.stdout.write('Stopped. The data is saved.\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(
          `Stopping failed: ${error instanceof Error ? error.message : String(error)}\n`
        );
        process.exit(1);
      }
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  const program = buildProgram(async (options) => {
    const org = await start(options);
    // The console preview (preview/, docs/preview.md): the LWC consoles against this org.
    const preview = servePreviewBeside({ url: org.url, logins: org.summary.logins }, (text) =>
      process.stdout.write(text)
    );
    running = { stop: async () => void (await Promise.all([preview.close(), org.stop()])) };
  });
  program.parseAsync(process.argv).catch((error: unknown) => {
    process.stderr.write(`npm start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

if (require.main === module) main();
