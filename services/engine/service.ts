import type { Server } from 'node:http';
import type { Router } from 'express';
import type { EngineConfig } from './config';
import { SubscriptionRefusedError } from './errors';
import { createEngineHttp, type EngineApi } from './http/app';
import { JobScheduler } from './jobs/scheduler';
import type { JobHandler, JobStore, JobType } from './jobs/types';
import { createLogger, type Logger } from './observability/log';
import { createMetrics, type Metrics } from './observability/metrics';
import { connectOrg, type OrgClient } from './org/connection';
import { fileReplayStore, subscribe, type ReplayStore, type StreamingMessage, type Subscription } from './org/streaming';

/**
 * One running engine for one org: the org connection, the job scheduler, the real-time
 * listeners and the HTTP API, started and stopped together. Features plug in through
 * `EngineFeature`s so this file stays the composition and nothing else.
 */
export interface EngineFeature {
  name: string;
  /** Job handlers this feature provides, by Engine_Job__c type. */
  jobs?: (client: OrgClient) => Partial<Record<JobType, JobHandler>>;
  /** Streaming channels and what to do with each event. */
  listeners?: (client: OrgClient) => Array<{ channel: string; handle: (message: StreamingMessage) => Promise<void> }>;
  /** Work to do once at start (e.g. the catch-up sweep for events missed while down). */
  onStart?: (client: OrgClient) => Promise<void>;
  /** HTTP routes this feature adds to the engine API (each validates its own input). */
  routes?: (client: OrgClient) => (router: Router) => void;
  /**
   * Work accepted but not yet written when the engine stops (e.g. a batch of queue re-plans):
   * stop() waits for it after the listeners have settled, before the connection may close.
   */
  onStop?: (client: OrgClient) => Promise<void>;
}

export interface EngineOptions {
  config: EngineConfig;
  features: EngineFeature[];
  jobStore: (client: OrgClient) => JobStore;
  replayStorePath?: string;
  replayStore?: ReplayStore;
  logger?: Logger;
  /** The engine's metrics, when features were built with them (see features/index.ts). */
  metrics?: Metrics;
  /** Seconds between re-reads of the job records (picks up edits and "run now" flags). */
  jobSyncSeconds?: number;
  serveHttp?: boolean;
}

export interface RunningEngine {
  client: OrgClient;
  scheduler: JobScheduler;
  metrics: Metrics;
  logger: Logger;
  httpUrl?: string;
  stop(): Promise<void>;
}

export async function startEngine(options: EngineOptions): Promise<RunningEngine> {
  const logger = options.logger ?? createLogger();
  const metrics = options.metrics ?? createMetrics();
  const client = await connectOrg(options.config);
  logger.info({ instanceUrl: client.conn.instanceUrl, namespace: options.config.namespace || '(none)' }, 'connected to org');

  const handlers = Object.assign({}, ...options.features.map((feature) => feature.jobs?.(client) ?? {})) as Partial<Record<JobType, JobHandler>>;
  const scheduler = new JobScheduler({
    store: options.jobStore(client),
    handlers,
    // One engine per org: a job still "Running" at start was interrupted by the last stop.
    resumeInterrupted: true,
    onRunFinished: (job, outcome) => {
      metrics.jobRuns.inc({ type: job.type, outcome });
      logger.info({ jobId: job.id, jobType: job.type, outcome }, 'job run finished');
    }
  });
  await scheduler.sync();
  const syncTimer = setInterval(() => {
    scheduler.sync().catch((error: unknown) => logger.warn({ err: error }, 'job sync failed; will retry'));
    const usage = client.orgApiUsage();
    if (usage) {
      metrics.apiCalls.set(usage.used);
      metrics.apiLimit.set(usage.limit);
    }
  }, (options.jobSyncSeconds ?? 30) * 1000);
  syncTimer.unref();

  const replayStore = options.replayStore ?? fileReplayStore(options.replayStorePath ?? 'data/engine/replay.json');
  const subscriptions: Subscription[] = [];
  for (const feature of options.features) {
    for (const listener of feature.listeners?.(client) ?? []) {
      try {
        subscriptions.push(
          await subscribe(
            client,
            listener.channel,
            replayStore,
            listener.handle,
            (error) => logger.error({ err: error, channel: listener.channel, feature: feature.name }, 'event handling failed; the catch-up sweep will retry'),
            {
              replayKey: `${feature.name}:${listener.channel}`,
              onPending: (pending) => metrics.eventsPending.set({ channel: listener.channel, feature: feature.name }, pending)
            }
          )
        );
      } catch (error) {
        if (!(error instanceof SubscriptionRefusedError)) throw error;
        // The engine still works without the events, only later: its jobs find what they would have told.
        logger.error(
          { err: error, channel: listener.channel, feature: feature.name },
          'subscription refused: this feature hears of these changes only through its jobs (catch-up sweep, rerank); select the object for Change Data Capture (docs/admin-setup.md)'
        );
      }
    }
  }
  for (const feature of options.features) await feature.onStart?.(client);

  let server: Server | undefined;
  let httpUrl: string | undefined;
  if (options.serveHttp !== false && options.config.http.token) {
    const api: EngineApi = {
      ready: () => ({ ready: true, reasons: [] }),
      listJobs: async () => (await scheduler.sync()).map((job) => ({ id: job.id, name: job.name, type: job.type, running: scheduler.isRunning(job.id) })),
      runJob: async (jobId) => {
        const job = (await scheduler.sync()).find((candidate) => candidate.id === jobId);
        if (!job) return { started: false, reason: `no Engine_Job__c with id ${jobId}` };
        const start = scheduler.runNow(job, 'HTTP request');
        return start.started ? { started: true } : { started: false, reason: start.reason };
      },
      routes: (router) => {
        for (const feature of options.features) feature.routes?.(client)(router);
      }
    };
    const app = createEngineHttp({ token: options.config.http.token, logger, metrics, api });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(options.config.http.port, options.config.http.host, () => resolve(listening));
    });
    const address = server.address();
    httpUrl = typeof address === 'object' && address ? `http://${options.config.http.host}:${address.port}` : undefined;
  }

  return {
    client,
    scheduler,
    metrics,
    logger,
    ...(httpUrl ? { httpUrl } : {}),
    stop: async () => {
      clearInterval(syncTimer);
      for (const subscription of subscriptions) subscription.cancel();
      // Finish the runs and the event in flight rather than abandon them half-written; nothing
      // may go on after stop() returns (the org connection may be closed right after).
      await Promise.all([scheduler.stop(), ...subscriptions.map((subscription) => subscription.settled())]);
      await Promise.all(options.features.map((feature) => feature.onStop?.(client)));
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      logger.info('engine stopped');
    }
  };
}
