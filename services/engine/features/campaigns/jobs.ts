import { z } from 'zod';
import type { JobHandler } from '../../jobs/types';
import type { OrgClient } from '../../org/connection';
import { queryAll } from '../../org/reads';
import { soql } from '../../org/soql';
import { orgNames } from '../../org/names';
import { campaignResults } from './runs';

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
