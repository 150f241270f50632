import { JobScheduler, validateCron } from './scheduler';
import type { EngineJob, JobRunRecord, JobStatusUpdate, JobStore } from './types';

function memoryStore(jobs: EngineJob[]): JobStore & { statuses: JobStatusUpdate[]; runs: JobRunRecord[]; calls: number } {
  const store = {
    statuses: [] as JobStatusUpdate[],
    runs: [] as JobRunRecord[],
    calls: 0,
    loadJobs: async () => jobs,
    writeStatus: async (update: JobStatusUpdate) => void store.statuses.push(update),
    writeRun: async (run: JobRunRecord) => void store.runs.push(run),
    apiCalls: () => store.calls
  };
  return store;
}

const job = (overrides: Partial<EngineJob> = {}): EngineJob => ({
  id: 'a05000000000001AAA',
  name: 'Nightly rebalance',
  type: 'Rebalance',
  cron: '0 2 * * *',
  scope: {},
  enabled: true,
  runNow: false,
  ...overrides
});

describe('the job scheduler', () => {
  let scheduler: JobScheduler | undefined;
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
  });

  it('reports a bad cron expression on the job record instead of crashing', async () => {
    const store = memoryStore([job({ cron: '61 25 * * *' })]);
    scheduler = new JobScheduler({ store, handlers: { Rebalance: async () => ({ recordsTouched: 0 }) } });
    await scheduler.sync();
    expect(store.statuses).toEqual([
      expect.objectContaining({ jobId: 'a05000000000001AAA', status: 'Invalid Schedule', message: expect.stringContaining('"61 25 * * *" is not a valid cron expression') })
    ]);
    expect(validateCron(null)).toContain('no cron expression');
    expect(validateCron('*/5 * * * *')).toBeUndefined();
  });

  it('schedules a valid job and records its next run', async () => {
    const store = memoryStore([job()]);
    scheduler = new JobScheduler({ store, handlers: { Rebalance: async () => ({ recordsTouched: 0 }) } });
    await scheduler.sync();
    const status = store.statuses[0];
    expect(status?.status).toBe('Idle');
    expect(status?.nextRunAt).toBeInstanceOf(Date);
  });

  it('never runs two of the same job at once, and writes a run record with API calls used', async () => {
    const store = memoryStore([]);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    scheduler = new JobScheduler({
      store,
      handlers: {
        Rebalance: async () => {
          store.calls += 7;
          await gate;
          return { recordsTouched: 42 };
        }
      }
    });
    const first = scheduler.runNow(job(), 'run now');
    const second = scheduler.runNow(job(), 'scheduled');
    expect(first.started).toBe(true);
    expect(second).toEqual({ started: false, reason: expect.stringContaining('already running') });
    release();
    if (first.started) await first.done;
    const closing = store.runs[store.runs.length - 1];
    expect(closing).toMatchObject({ outcome: 'Succeeded', recordsTouched: 42, apiCalls: 7 });
    expect(store.runs[0]?.outcome).toBe('Running');
    expect(scheduler.isRunning(job().id)).toBe(false);
  });

  it('marks a failed run and the job in error with the reason', async () => {
    const store = memoryStore([]);
    scheduler = new JobScheduler({
      store,
      handlers: {
        Rebalance: async () => {
          throw new Error('rep capacity missing for 3 reps');
        }
      }
    });
    const start = scheduler.runNow(job(), 'run now');
    if (start.started) await start.done;
    expect(store.runs[1]).toMatchObject({ outcome: 'Failed', errorSummary: 'Error: rep capacity missing for 3 reps' });
    expect(store.statuses[store.statuses.length - 1]).toMatchObject({ status: 'Error' });
  });

  it('starts a job flagged "run now" on sync and clears the flag', async () => {
    const store = memoryStore([job({ runNow: true, cron: '0 3 * * *' })]);
    const ran: string[] = [];
    scheduler = new JobScheduler({
      store,
      handlers: {
        Rebalance: async ({ job: running }) => {
          ran.push(running.id);
          return { recordsTouched: 1 };
        }
      }
    });
    await scheduler.sync();
    await scheduler.stop();
    expect(ran).toEqual(['a05000000000001AAA']);
    expect(store.statuses.some((update) => update.clearRunNow)).toBe(true);
  });

  describe('after a crash (the engine was killed mid-run)', () => {
    const interruptedStore = (jobs: EngineJob[], openRunsOf: string[]) => {
      const closed: string[] = [];
      const store = Object.assign(memoryStore(jobs), {
        closed,
        closeInterruptedRuns: async (reason: string) => {
          closed.push(reason);
          return openRunsOf;
        }
      });
      return store;
    };
    const counting = (ran: string[]) => ({ Rebalance: async ({ job: running }: { job: EngineJob }) => (ran.push(running.id), { recordsTouched: 1 }) });

    it('closes the dangling run records and runs again a job left "Running", once, at the first sync', async () => {
      const store = interruptedStore([job({ status: 'Running' })], []);
      const ran: string[] = [];
      scheduler = new JobScheduler({ store, handlers: counting(ran), resumeInterrupted: true });
      await scheduler.sync();
      await scheduler.sync();
      await scheduler.stop();
      expect(ran).toEqual(['a05000000000001AAA']);
      expect(store.closed).toEqual([expect.stringContaining('interrupted')]);
    });

    it('runs again a job whose run record was left open even if its status never said Running', async () => {
      const store = interruptedStore([job({ status: 'Idle' }), job({ id: 'a05000000000002AAA', status: 'Idle' })], ['a05000000000002AAA']);
      const ran: string[] = [];
      scheduler = new JobScheduler({ store, handlers: counting(ran), resumeInterrupted: true });
      await scheduler.sync();
      await scheduler.stop();
      expect(ran).toEqual(['a05000000000002AAA']);
    });

    it('leaves "Running" jobs alone without resumeInterrupted (the CLI: a live engine may own the run)', async () => {
      const store = interruptedStore([job({ status: 'Running' })], ['a05000000000001AAA']);
      const ran: string[] = [];
      scheduler = new JobScheduler({ store, handlers: counting(ran) });
      await scheduler.sync();
      await scheduler.stop();
      expect(ran).toEqual([]);
      expect(store.closed).toEqual([]);
    });
  });
});
