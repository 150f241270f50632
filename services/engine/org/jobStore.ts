import { z } from 'zod';
import { JOB_TYPES, type EngineJob, type JobRunRecord, type JobStatusUpdate, type JobStore } from '../jobs/types';
import { apiNames } from '../schema';
import type { OrgClient } from './connection';
import { queryAll } from './reads';
import { soql, fields as fieldList, id } from './soql';
import { writeRecords } from './writes';

/**
 * Engine_Job__c and Job_Run__c in the org: the jobs RevOps schedules and the run log they
 * read. Run records are upserted by Run_Key__c, so a retried write never logs a run twice.
 */
export function orgJobStore(client: OrgClient): JobStore {
  const names = apiNames(client.config.namespace);
  const job = names.Engine_Job__c;
  const run = names.Job_Run__c;
  const f = job.fields;

  const jobRecord = z.object({
    Id: z.string(),
    Name: z.string(),
    [f.Type__c]: z.string().nullable(),
    [f.Cron__c]: z.string().nullable(),
    [f.Scope__c]: z.string().nullable(),
    [f.Enabled__c]: z.boolean(),
    [f.Run_Now__c]: z.boolean(),
    [f.Status__c]: z.string().nullish()
  });

  return {
    apiCalls: () => client.apiCalls(),
    loadJobs: async () => {
      const rows = await queryAll(
        client,
        soql`SELECT ${fieldList(['Id', 'Name', f.Type__c, f.Cron__c, f.Scope__c, f.Enabled__c, f.Run_Now__c, f.Status__c])} FROM ${id(job.name)} ORDER BY Name`
      );
      const jobs: EngineJob[] = [];
      for (const row of rows) {
        const record = jobRecord.parse(row) as Record<string, unknown>;
        const type = JOB_TYPES.find((candidate) => candidate === record[f.Type__c]);
        if (!type) continue; // an unknown type is reported by `asl doctor`, not run
        jobs.push({
          id: String(record.Id),
          name: String(record.Name),
          type,
          cron: (record[f.Cron__c] as string | null) ?? null,
          scope: parseScope(record[f.Scope__c] as string | null),
          enabled: Boolean(record[f.Enabled__c]),
          runNow: Boolean(record[f.Run_Now__c]),
          status: (record[f.Status__c] as string | null | undefined) ?? null
        });
      }
      return jobs;
    },
    writeStatus: async (update: JobStatusUpdate) => {
      const record: Record<string, unknown> = { Id: update.jobId, [f.Status__c]: update.status };
      if (update.message !== undefined) record[f.Status_Message__c] = update.message.slice(0, 255);
      if (update.lastRunAt) record[f.Last_Run_At__c] = update.lastRunAt.toISOString();
      if (update.nextRunAt !== undefined) record[f.Next_Run_At__c] = update.nextRunAt ? update.nextRunAt.toISOString() : null;
      if (update.clearRunNow) record[f.Run_Now__c] = false;
      await writeOrThrow(client, { kind: 'update', sobject: job.name, records: [record] });
    },
    writeRun: async (entry: JobRunRecord) => {
      const r = run.fields;
      const record: Record<string, unknown> = {
        [r.Run_Key__c]: entry.runKey,
        [r.Engine_Job__c]: entry.jobId,
        [r.Job_Type__c]: entry.jobType,
        [r.Started_At__c]: entry.startedAt.toISOString(),
        [r.Outcome__c]: entry.outcome
      };
      if (entry.finishedAt) record[r.Finished_At__c] = entry.finishedAt.toISOString();
      if (entry.recordsTouched !== undefined) record[r.Records_Touched__c] = entry.recordsTouched;
      if (entry.apiCalls !== undefined) record[r.API_Calls__c] = entry.apiCalls;
      if (entry.errorSummary !== undefined) record[r.Error_Summary__c] = entry.errorSummary;
      await writeOrThrow(client, { kind: 'upsert', sobject: run.name, externalIdField: r.Run_Key__c, records: [record] });
    },
    closeInterruptedRuns: async (reason: string, closedAt: Date) => {
      const r = run.fields;
      const open = await queryAll(client, soql`SELECT ${fieldList([r.Run_Key__c, r.Engine_Job__c])} FROM ${id(run.name)} WHERE ${id(r.Outcome__c)} = 'Running' AND ${id(r.Run_Key__c)} != null LIMIT 2000`);
      if (open.length === 0) return [];
      const records = open.map((row) => ({ [r.Run_Key__c]: row[r.Run_Key__c], [r.Outcome__c]: 'Failed', [r.Finished_At__c]: closedAt.toISOString(), [r.Error_Summary__c]: reason }));
      const [report] = await writeRecords(client, [{ kind: 'upsert', sobject: run.name, externalIdField: r.Run_Key__c, records }]);
      const failure = report?.failed[0];
      if (failure) throw new Error(`${run.name} ${failure.key}: ${failure.errorCode} ${failure.message ?? ''}`.trim());
      return [...new Set(open.map((row) => String(row[r.Engine_Job__c])))];
    }
  };
}

function parseScope(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function writeOrThrow(client: OrgClient, op: Parameters<typeof writeRecords>[1][number]): Promise<void> {
  const [report] = await writeRecords(client, [op]);
  const failure = report?.failed[0];
  if (failure) throw new Error(`${op.sobject} ${failure.key}: ${failure.errorCode} ${failure.message ?? ''}`.trim());
}
