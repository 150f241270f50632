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
    // Rerank takes no scope: it ranks the open work of every SDR.
    job('Rerank call queues', 'Rerank', '*/5 * * * *', {}, true),
    job(
      'Forecast refresh',
      'Forecast Refresh',
      '0 6 * * *',
      { periods: ['Month', 'Quarter', 'Year'], dimensions: ['Total', 'Rep', 'Team', 'Product'] },
      true
    ),
    job(
      'Quarterly check-back re-entry',
      'Re-entry',
      '30 2 * * *',
      // Check Back Quarterly leads due again re-enter at the SDR station.
      { station: 'SDR_CALL' },
      true
    ),
    job('Catch-up sweep', 'Catch Up Sweep', '0 * * * *', {}, false),
    job('Weekly line report', 'Report', '0 7 * * 1', { period: 'Week' }, false),
    // Spend per lead source over the window, so the Campaigns console shows ROI from the start.
    job(
      'Campaign reports',
      'Campaign Reports',
      '0 6 * * *',
      {
        costs: {
          'Purchased List': 30000,
          Web: 45000,
          'Trade Show': 60000,
          'Partner Referral': 15000
        }
      },
      true
    ),
    // The Planning console rewrites target and period; the costs stay as RevOps set them.
    job(
      'Capacity plan',
      'Capacity Plan',
      '0 5 * * 1',
      {
        targetBookings: 1500000,
        periodDays: 91,
        closer: { annualCost: 140000 },
        coordinator: { annualCost: 60000 },
        sdr: { annualCost: 65000 },
        engineer: { annualCost: 150000 }
      },
      false
    )
  ];
}
