import path from 'node:path';
import { Command } from 'commander';
import { loadConfig, type EngineConfig } from './config';
import { engineFeatures } from './features';
import { createLogger } from './observability/log';
import { createMetrics } from './observability/metrics';
import { orgJobStore } from './org/jobStore';
import { startEngine, type RunningEngine } from './service';

/**
 * The engine as a service (production): `npm run engine -- --config engine.json`, or with
 * ASL_* environment variables. One instance per org. SIGTERM/SIGINT finish the runs in flight
 * and stop cleanly.
 */
export async function runEngine(config: EngineConfig, stateDir: string): Promise<RunningEngine> {
  const logger = createLogger();
  const metrics = createMetrics();
  const engine = await startEngine({
    config,
    features: engineFeatures({ metrics }),
    metrics,
    jobStore: orgJobStore,
    replayStorePath: path.join(stateDir, 'replay.json'),
    logger
  });
  logger.info({ http: engine.httpUrl ?? '(not served: set ASL_HTTP_TOKEN)' }, 'engine running');
  return engine;
}

/**
 * SIGTERM/SIGINT stop the engine gracefully. The handlers are installed before the engine
 * starts: a signal that arrives while it connects and sweeps (a restart loop, a rolling
 * deploy) waits for the start to finish and then stops it, instead of killing the process
 * in the middle of its first writes.
 */
function stopOnSignals(starting: Promise<RunningEngine>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    starting
      .then(async (engine) => {
        engine.logger.info({ signal }, 'stopping: finishing the work in flight');
        await engine.stop();
        process.exit(0);
      })
      .catch((error: unknown) => {
        process.stderr.write(`asl-engine: stop after ${signal} failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('asl-engine')
    .description('Run the Sales Assembly Line engine against one org (production service).')
    .option('--config <file>', 'engine configuration JSON (or ASL_CONFIG); ASL_* environment variables override it')
    .option('--state-dir <dir>', 'where the engine keeps its replay positions', process.env.ASL_STATE_DIR ?? 'data/engine')
    .parse(argv);
  const options = program.opts<{ config?: string; stateDir: string }>();
  const config = loadConfig(options.config ? { file: options.config } : {});
  const starting = runEngine(config, options.stateDir);
  stopOnSignals(starting);
  await starting;
}

if (require.main === module) {
  main(process.argv).catch((error: unknown) => {
    process.stderr.write(`asl-engine: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
