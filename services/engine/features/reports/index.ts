import { z } from 'zod';
import { breachFlags, lastCompletePeriod, managementSummary, REPORT_PERIODS, type ManagementSummary, type PeriodWindow } from '../../core/reports';
import type { JobHandler } from '../../jobs/types';
import type { EngineFeature } from '../../service';
import type { OrgClient } from '../../org/connection';
import { queryAll } from '../../org/reads';
import { dateOnly, soql } from '../../org/soql';
import { writeRecords } from '../../org/writes';
import { orgNames } from '../../org/names';

/**
 * The "Report" job: the daily, weekly or monthly management summary (Scope__c
 * {"period": "Day" | "Week" | "Month"}, default Day) of the last complete period, written as
 * JSON to Job_Run__c.Result__c of the run (upsert by Run_Key__c, the key the scheduler logged
 * the run under), so the run log is the summary's history. Before summarising, it flags the
 * station stays still open past their SLA (core/reports/sla.ts), so the summary and the
 * "SLA breaches" report count the same stored flags.
 */
const scopeSchema = z.object({ period: z.enum(REPORT_PERIODS, { error: `Scope__c.period must be one of ${REPORT_PERIODS.join(', ')}` }).default('Day') });

export async function readManagementSummary(client: OrgClient, window: PeriodWindow): Promise<ManagementSummary> {
  const names = orgNames(client);
  const start = new Date(window.start);
  const end = new Date(window.end);
  const strip = (rows: Record<string, unknown>[]) => rows.map(names.strip);
  const [dispositions, opportunities, stageEvents, breaches, assignments, stations] = await Promise.all([
    queryAll(client, soql`SELECT ${names.list(['Rep__c', 'Outcome__c'])}, CreatedDate FROM ${names.n('Disposition__c')} WHERE CreatedDate >= ${start} AND CreatedDate < ${end}`),
    queryAll(client, soql`SELECT OwnerId, ${names.n('Product__c')}, IsWon, CloseDate FROM Opportunity WHERE IsClosed = true AND CloseDate >= ${dateOnly(start)} AND CloseDate < ${dateOnly(end)}`),
    queryAll(client, soql`SELECT ${names.list(['To_Value__c', 'Exited_At__c', 'Duration_Minutes__c'])} FROM ${names.n('Stage_Event__c')} WHERE ${names.n('Kind__c')} = 'Station' AND ${names.n('Exited_At__c')} >= ${start} AND ${names.n('Exited_At__c')} < ${end}`),
    queryAll(client, soql`SELECT ${names.list(['To_Value__c', 'Breached_At__c'])} FROM ${names.n('Stage_Event__c')} WHERE ${names.n('Kind__c')} = 'Station' AND ${names.n('SLA_Breached__c')} = true AND ${names.n('Breached_At__c')} >= ${start} AND ${names.n('Breached_At__c')} < ${end}`),
    queryAll(client, soql`SELECT ${names.list(['Rep__c', 'Stratum__c', 'Assigned_At__c'])} FROM ${names.n('Assignment__c')} WHERE ${names.n('Assigned_At__c')} >= ${start} AND ${names.n('Assigned_At__c')} < ${end}`),
    queryAll(client, soql`SELECT Name, ${names.list(['Key__c', 'SLA_Hours__c'])} FROM ${names.n('Station__c')}`)
  ]);
  return managementSummary(
    { dispositions: strip(dispositions), opportunities: strip(opportunities), stageEvents: strip(stageEvents), breaches: strip(breaches), assignments: strip(assignments), stations: strip(stations) } as never,
    window
  );
}

export interface BreachSweep {
  flagged: number;
  failed: number;
}

/**
 * Flags station stays still open whose SLA ran out before `now` (SLA_Breached__c,
 * Breached_At__c = the due time). Stays that ended are flagged by the stage-timer flow at exit.
 */
export async function flagOpenBreaches(client: OrgClient, now: Date): Promise<BreachSweep> {
  const names = orgNames(client);
  const rows = await queryAll(
    client,
    soql`SELECT Id, ${names.list(['SLA_Due_At__c', 'Exited_At__c', 'SLA_Breached__c'])} FROM ${names.n('Stage_Event__c')} WHERE ${names.n('Kind__c')} = 'Station' AND ${names.n('Exited_At__c')} = null AND ${names.n('SLA_Breached__c')} = false AND ${names.n('SLA_Due_At__c')} < ${now}`
  );
  const flags = breachFlags(rows.map(names.strip), now);
  if (flags.length === 0) return { flagged: 0, failed: 0 };
  const [report] = await writeRecords(client, [{ kind: 'update', sobject: names.api('Stage_Event__c'), records: flags.map((f) => names.record({ ...f })) }]);
  return { flagged: report?.succeeded.length ?? 0, failed: report?.failed.length ?? 0 };
}

export function reportJob(client: OrgClient): JobHandler {
  return async ({ job, runKey, now }) => {
    const { period } = scopeSchema.parse(job.scope);
    const sweep = await flagOpenBreaches(client, now);
    const summary = await readManagementSummary(client, lastCompletePeriod(period, now));
    const names = orgNames(client);
    const json = JSON.stringify(summary);
    // Result__c is a Long Text Area(131072) at most; a floor too large to summarise is named, not truncated.
    if (json.length > 131_072) throw new Error(`Job_Run__c.Result__c: the summary is ${json.length} characters; narrow the period (Scope__c.period)`);
    const [report] = await writeRecords(client, [{ kind: 'upsert', sobject: names.api('Job_Run__c'), externalIdField: names.api('Run_Key__c'), records: [names.record({ Run_Key__c: runKey, Result__c: json })] }]);
    if (report?.failed.length) throw new Error(`Job_Run__c.Result__c: write refused (${report.failed[0]?.errorCode}: ${report.failed[0]?.message})`);
    return {
      recordsTouched: 1 + sweep.flagged,
      ...(sweep.failed > 0 ? { partial: true } : {}),
      summary: `${period} ${summary.window.start.slice(0, 10)}: ${summary.appointments} appointments, close rate ${summary.closeRate.rate === null ? '-' : `${(summary.closeRate.rate * 100).toFixed(1)}%`} (${summary.closeRate.won}/${summary.closeRate.closed}), SLA breaches ${summary.slaBreaches}; ${sweep.flagged} open stay(s) newly flagged past SLA${sweep.failed ? `, ${sweep.failed} flag write(s) refused` : ''}`
    };
  };
}

export function reportsFeature(): EngineFeature {
  return { name: 'reports', jobs: (client) => ({ Report: reportJob(client) }) };
}
