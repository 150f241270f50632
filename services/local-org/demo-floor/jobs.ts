/**
 * Sample Engine_Job__c records: the schedules a RevOps team starts from. The engine reads
 * and runs them; the floor only writes their definitions (Status Idle, never run).
 */
import type { FloorRow } from './sink';

export function engineJobRows(): FloorRow[] {
  const job = (
    name: string,
    type: string,
    cron: string,
    scope: unknown,
    enabled: boolean
  ): FloorRow => ({
    Name: name,
    Type__c: type,
    Cron__c: cron,
    Scope__c: JSON.stringify(scope),
    Enabled__c: enabled,
    Run_Now__c: false,
    Status__c: 'Idle'
  });
  return [
    job('Rebalance SDR queues', 'Rebalance', '*/15 8-18 * * 1-5', { stations: ['SDR_CALL'] }, true),
    job(
      'Rerank call queues',
      'Rerank',
      '*/5 * * * *',
      { stations: ['SDR_CALL', 'COORDINATE'] },
      true
    ),
    job(
      'Forecast refresh',
      'Forecast Refresh',
      '0 6 * * *',
      { periods: ['Month', 'Quarter'], dimensions: ['Total', 'Rep', 'Team', 'Product'] },
      true
    ),
    job(
      'Quarterly check-back re-entry',
      'Re-entry',
      '30 2 * * *',
      { bins: ['Nurture - Check Back Quarterly'] },
      true
    ),
    job('Catch-up sweep', 'Catch Up Sweep', '0 * * * *', {}, false),
    job('Weekly line report', 'Report', '0 7 * * 1', { report: 'line-monitor' }, false)
  ];
}
