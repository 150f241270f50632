import cron, { type ScheduledTask } from 'node-cron';
import type { EngineJob, JobHandler, JobResult, JobStore, JobType } from './types';

/**
 * Runs the jobs RevOps schedules as records in the org. A bad cron expression is reported on
 * the job record (Status Invalid Schedule, with the reason) instead of crashing the engine;
 * two runs of the same job never overlap (the second is refused while the first runs); each
 * run leaves a Job_Run__c record with records touched, API calls used and its outcome.
 */
export interface SchedulerOptions {
  store: JobStore;
  handlers: Partial<Record<JobType, JobHandler>>;
  clock?: () => Date;
  timezone?: string;
  onRunFinished?: (job: EngineJob, outcome: string) => void;
  /**
   * The engine (one instance per org) sets this: at its first sync a job whose status is
   * still "Running" was interrupted by the previous instance's stop (SIGKILL, crash, lost
   * machine), so its dangling run record is closed as Failed and the job runs again. Every
   * job is safe to repeat (ledger keys, run keys). The CLI leaves it off: a running engine
   * may own that run.
   */
  resumeInterrupted?: boolean;
}

export type RunStart = { started: true; done: Promise<void> } | { started: false; reason: string };

export function validateCron(expression: string | null): string | undefined {
  if (!expression || expression.trim() === '') return 'no cron expression: set Cron__c, e.g. "0 */2 * * *" for every two hours';
  if (!cron.validate(expression.trim())) {
    return `"${expression}" is not a valid cron expression (minute hour day-of-month month day-of-week, optional seconds first)`;
  }
  return undefined;
}

export class JobScheduler {
  private readonly tasks = new Map<string, { cron: string; task: ScheduledTask }>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly clock: () => Date;
  private runCounter = 0;
  private stopping = false;
  private synced = false;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** Loads the job records and (re)schedules them; starts any job flagged "run now". */
  async sync(): Promise<EngineJob[]> {
    const jobs = await this.options.store.loadJobs();
    const interrupted = await this.closeInterrupted();
    const seen = new Set<string>();
    for (const job of jobs) {
      seen.add(job.id);
      await this.scheduleOne(job);
      if (interrupted && (job.status === 'Running' || interrupted.has(job.id)) && !this.running.has(job.id)) {
        const start = this.runNow(job, 'resume after an interrupted run');
        if (!start.started) await this.options.store.writeStatus({ jobId: job.id, status: 'Error', message: `could not resume an interrupted run: ${start.reason}`.slice(0, 255) });
      } else if (job.runNow) {
        const start = this.runNow(job, 'run now');
        if (!start.started) await this.options.store.writeStatus({ jobId: job.id, status: 'Running', message: start.reason, clearRunNow: true });
      }
    }
    for (const [id, entry] of this.tasks) {
      if (!seen.has(id)) {
        await entry.task.destroy();
        this.tasks.delete(id);
      }
    }
    return jobs;
  }

  private async scheduleOne(job: EngineJob): Promise<void> {
    const existing = this.tasks.get(job.id);
    if (!job.enabled) {
      if (existing) await existing.task.destroy();
      this.tasks.delete(job.id);
      return;
    }
    const problem = validateCron(job.cron);
    if (problem) {
      if (existing) await existing.task.destroy();
      this.tasks.delete(job.id);
      await this.options.store.writeStatus({ jobId: job.id, status: 'Invalid Schedule', message: problem, nextRunAt: null });
      return;
    }
    const expression = (job.cron as string).trim();
    if (existing && existing.cron === expression) return;
    if (existing) await existing.task.destroy();
    const task = cron.schedule(expression, () => void this.runNow(job, 'scheduled'), {
      name: job.name,
      noOverlap: true,
      ...(this.options.timezone ? { timezone: this.options.timezone } : {})
    });
    this.tasks.set(job.id, { cron: expression, task });
    await this.options.store.writeStatus({ jobId: job.id, status: 'Idle', nextRunAt: task.getNextRun() });
  }

  /** At the first sync only (and only for the engine): the runs the last instance left open. */
  private async closeInterrupted(): Promise<Set<string> | undefined> {
    if (this.synced || !this.options.resumeInterrupted) return undefined;
    this.synced = true;
    const reason = 'interrupted: the engine stopped during this run; the next engine started the job again';
    return new Set((await this.options.store.closeInterruptedRuns?.(reason, this.clock())) ?? []);
  }

  /** Starts a run unless one of the same job is in flight. */
  runNow(job: EngineJob, reason: string): RunStart {
    if (this.stopping) return { started: false, reason: 'the engine is shutting down' };
    if (this.running.has(job.id)) return { started: false, reason: `${job.name} is already running; this ${reason} request was not started` };
    const handler = this.options.handlers[job.type];
    if (!handler) return { started: false, reason: `no handler for job type ${job.type}` };
    const done = this.execute(job, handler).finally(() => this.running.delete(job.id));
    this.running.set(job.id, done);
    return { started: true, done };
  }

  private async execute(job: EngineJob, handler: JobHandler): Promise<void> {
    const { store } = this.options;
    const startedAt = this.clock();
    this.runCounter += 1;
    const runKey = `${job.id}:${startedAt.toISOString()}:${this.runCounter}`;
    const callsBefore = store.apiCalls();
    await store.writeRun({ runKey, jobId: job.id, jobType: job.type, startedAt, outcome: 'Running' });
    await store.writeStatus({ jobId: job.id, status: 'Running', clearRunNow: job.runNow });
    let result: JobResult | undefined;
    let failure: string | undefined;
    try {
      result = await handler({ job, runKey, now: startedAt, signal: new AbortController().signal });
    } catch (error) {
      failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    const finishedAt = this.clock();
    const outcome = failure ? 'Failed' : result?.partial ? 'Partial' : 'Succeeded';
    const apiCalls = store.apiCalls() - callsBefore;
    await store.writeRun({
      runKey,
      jobId: job.id,
      jobType: job.type,
      startedAt,
      finishedAt,
      recordsTouched: result?.recordsTouched ?? 0,
      apiCalls,
      outcome,
      ...(failure || result?.summary ? { errorSummary: (failure ?? result?.summary ?? '').slice(0, 30_000) } : {})
    });
    await store.writeStatus({
      jobId: job.id,
      status: failure ? 'Error' : 'Idle',
      message: failure ? failure.slice(0, 255) : (result?.summary ?? '').slice(0, 255),
      lastRunAt: finishedAt,
      nextRunAt: this.tasks.get(job.id)?.task.getNextRun() ?? null
    });
    this.options.onRunFinished?.(job, outcome);
  }

  /** Stops scheduling and waits for runs in flight to finish (graceful shutdown). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const { task } of this.tasks.values()) await task.destroy();
    this.tasks.clear();
    await Promise.allSettled([...this.running.values()]);
  }

  isRunning(jobId: string): boolean {
    return this.running.has(jobId);
  }
}
