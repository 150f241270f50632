import { z } from 'zod';
import type { JobHandler } from '../../jobs/types';
import type { OrgClient } from '../../org/connection';
import { queryAll } from '../../org/reads';
import { soql } from '../../org/soql';
import { orgNames } from '../../org/names';
import type { ListReport, SourceRoi } from '../../core/campaigns';
import { writeRecords } from '../../org/writes';
import { CampaignSetupError, campaignResults, listQualityReport, roiReport } from './runs';

/**
 * The "Campaign Results" job: one sequential look at each Running Campaign_Test__c (or only
 * the tests in Scope__c {"tests": [ids]}). Schedule it at the planned look interval, not more
 * often: each run adds a look, and the stopping boundaries spend alpha per look.
 */
const scopeSchema = z.object({ tests: z.array(z.string().regex(/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/)).optional() });

export function campaignResultsJob(client: OrgClient): JobHandler {
  return async ({ job, now }) => {
    const scope = scopeSchema.parse(job.scope);
    const names = orgNames(client);
    const ids =
      scope.tests ??
      (await queryAll(client, soql`SELECT Id FROM ${names.n('Campaign_Test__c')} WHERE ${names.n('Status__c')} = 'Running'`)).map((r) => String(r.Id));
    const lines: string[] = [];
    for (const id of ids) {
      const result = await campaignResults(client, id, now);
      lines.push(`${id}: ${result.status}${result.winner ? ` (winner ${result.winner})` : ''}`);
    }
    return { recordsTouched: ids.length, summary: lines.length ? lines.join('; ') : 'no running campaign tests' };
  };
}

/**
 * The "Campaign Reports" job: lead-list quality (contact and qualification rate per
 * Lead.List_Name__c, with intervals and the test across lists) and ROI by lead source on the
 * spend in Scope__c {"costs": {"Web": 12000}, "seed": "1"}, written as JSON to
 * Job_Run__c.Result__c of the run for the Campaigns console. Unlike a look at a running test it
 * decides nothing, so it may run as often as wanted (the console's "Run now").
 */
const reportsScopeSchema = z.object({
  costs: z.record(z.string().min(1), z.number({ error: 'Scope__c.costs: each source takes a number (spend in the window)' }).nonnegative('Scope__c.costs: spend cannot be negative')).default({}),
  seed: z.union([z.string(), z.number()]).transform(String).default('1')
});

export interface CampaignReportsResult {
  kind: 'campaign-reports';
  version: 1;
  computedAt: string;
  costs: Record<string, number>;
  seed: string;
  lists: ListReport;
  roi: SourceRoi[];
}

const RESULT_LIMIT = 131_072;

export async function campaignReports(client: OrgClient, scopeRaw: unknown, now: Date): Promise<CampaignReportsResult> {
  const parsed = reportsScopeSchema.safeParse(scopeRaw);
  if (!parsed.success) throw new CampaignSetupError('Scope__c', JSON.stringify(scopeRaw), parsed.error.issues.map((i) => i.message).join('; '));
  const { costs, seed } = parsed.data;
  const [lists, roi] = await Promise.all([listQualityReport(client, seed), roiReport(client, costs, seed)]);
  return { kind: 'campaign-reports', version: 1, computedAt: now.toISOString(), costs, seed, lists, roi };
}

export function campaignReportsJob(client: OrgClient): JobHandler {
  return async ({ job, runKey, now }) => {
    const result = await campaignReports(client, job.scope, now);
    const names = orgNames(client);
    const json = JSON.stringify(result);
    if (json.length > RESULT_LIMIT) throw new CampaignSetupError('Job_Run__c.Result__c', `${json.length} characters`, `the report exceeds ${RESULT_LIMIT}; too many lead lists or sources to keep in one run`);
    const [report] = await writeRecords(client, [{ kind: 'upsert', sobject: names.api('Job_Run__c'), externalIdField: names.api('Run_Key__c'), records: [names.record({ Run_Key__c: runKey, Result__c: json })] }]);
    if (report?.failed.length) throw new CampaignSetupError('Job_Run__c.Result__c', `write refused: ${report.failed[0]?.errorCode} ${report.failed[0]?.message}`, 'check the integration user\u2019s edit access');
    // Engine_Signal__e JOB_RUN: an open Campaigns console reads the new report at once. A lost
    // signal costs only that (the report is saved), so its failure does not fail the run.
    await writeRecords(client, [{ kind: 'create', sobject: names.api('Engine_Signal__e'), records: [names.record({ Kind__c: 'JOB_RUN', Record_Id__c: job.id, Payload__c: JSON.stringify({ type: 'Campaign Reports', runKey }) })] }]).catch(() => undefined);
    const leads = result.lists.lists.reduce((sum, l) => sum + l.leads, 0);
    return { recordsTouched: 1, summary: `${result.lists.lists.length} lead lists over ${leads} leads (contact rates differ: p = ${result.lists.contactDiffers.pValue.toFixed(4)}); ${result.roi.length} lead sources, ${Object.keys(result.costs).length} with spend` };
  };
}
