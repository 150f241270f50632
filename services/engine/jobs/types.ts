import { z } from 'zod';

/** The job types RevOps can schedule (Engine_Job__c.Type__c). */
export const JOB_TYPES = ['Rebalance', 'Rerank', 'Forecast Refresh', 'Report', 'Catch Up Sweep', 'Re-entry', 'Audit', 'Campaign Results', 'Campaign Reports', 'Capacity Plan'] as const;
export type JobType = (typeof JOB_TYPES)[number];

/** An Engine_Job__c record as the engine needs it, whatever the namespace. */
export const engineJobSchema = z.object({
  id: z.string().min(15),
  name: z.string(),
  type: z.enum(JOB_TYPES),
  cron: z.string().nullable(),
  scope: z.record(z.string(), z.unknown()),
  enabled: z.boolean(),
  runNow: z.boolean(),
  /** Status__c as last written; "Running" at an engine's start means a run was interrupted. */
  status: z.string().nullable().optional()
});
export type EngineJob = z.infer<typeof engineJobSchema>;

export type RunOutcome = 'Running' | 'Succeeded' | 'Partial' | 'Failed';

export interface JobRunRecord {
  runKey: string;
  jobId: string;
  jobType: JobType;
  startedAt: Date;
  finishedAt?: Date;
  recordsTouched?: number;
  apiCalls?: number;
  outcome: RunOutcome;
  errorSummary?: string;
}

export type JobStatus = 'Idle' | 'Running' | 'Error' | 'Invalid Schedule';

export interface JobStatusUpdate {
  jobId: string;
  status: JobStatus;
  message?: string;
  lastRunAt?: Date;
  nextRunAt?: Date | null;
  clearRunNow?: boolean;
}

/** What a job reports when it ends. A handler throws to fail; `partial` marks some failures. */
export interface JobResult {
  recordsTouched: number;
  partial?: boolean;
  summary?: string;
}

export interface JobContext {
  job: EngineJob;
  runKey: string;
  now: Date;
  signal: AbortSignal;
}

export type JobHandler = (context: JobContext) => Promise<JobResult>;

/** Where jobs and their runs are kept: the org in production, memory in tests. */
export interface JobStore {
  loadJobs(): Promise<EngineJob[]>;
  writeStatus(update: JobStatusUpdate): Promise<void>;
  writeRun(run: JobRunRecord): Promise<void>;
  /** API calls used so far by the engine's org client, to report per run. */
  apiCalls(): number;
  /**
   * Closes every run record left "Running" by an engine that stopped without finishing it
   * (killed, crashed), as Failed with the reason; returns the ids of their jobs.
   */
  closeInterruptedRuns?(reason: string, closedAt: Date): Promise<string[]>;
}
