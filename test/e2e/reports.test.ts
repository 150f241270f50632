import { reportJob } from '../../services/engine/features/reports';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { count, queryAll } from '../../services/engine/org/reads';
import { startTestOrg, type TestOrg } from '../support/localOrg';

// User story: a manager reads the daily, weekly and monthly management summary the engine
// writes on schedule to the job's run log, and it agrees with the records of the period.
describe('the Report job against the local org', () => {
  let test: TestOrg;
  let client: OrgClient;

  beforeAll(async () => {
    test = await startTestOrg({ leads: 1500, seed: 'reports' });
    client = await connectOrg(test.engineConfig());
  }, 120_000);
  afterAll(async () => {
    await test?.close();
  });

  it('writes the monthly summary as JSON to the run\u2019s Job_Run__c.Result__c', async () => {
    const job = (await queryAll(client, "SELECT Id FROM Engine_Job__c WHERE Type__c = 'Report' LIMIT 1"))[0];
    const jobId = String(job?.Id ?? 'a0J000000000001AAA');
    const runKey = `${jobId}:e2e:1`;
    // The scheduler logs the run before the handler runs; the handler adds Result__c to it.
    await client.conn.sobject('Job_Run__c').create({ Run_Key__c: runKey, Engine_Job__c: job ? jobId : null, Job_Type__c: 'Report', Outcome__c: 'Running' });
    const now = new Date('2026-11-16T15:00:00Z');
    const outcome = await reportJob(client)({ job: { id: jobId, name: 'Monthly', type: 'Report', cron: null, scope: { period: 'Month' }, enabled: true, runNow: false }, runKey, now, signal: new AbortController().signal });
    const [run] = await queryAll(client, `SELECT Result__c FROM Job_Run__c WHERE Run_Key__c = '${runKey}'`);
    const summary = JSON.parse(String(run?.Result__c)) as { window: { start: string; end: string }; appointments: number; closeRate: { won: number; closed: number }; stations: Record<string, { throughput: number }> };
    expect(summary.window).toEqual({ period: 'Month', start: '2026-10-01T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' });
    const booked = await count(client, "SELECT COUNT() FROM Disposition__c WHERE Outcome__c = 'Meeting Booked' AND CreatedDate >= 2026-10-01T00:00:00Z AND CreatedDate < 2026-11-01T00:00:00Z");
    expect(summary.appointments).toBe(booked);
    const closed = await count(client, 'SELECT COUNT() FROM Opportunity WHERE IsClosed = true AND CloseDate >= 2026-10-01 AND CloseDate < 2026-11-01');
    expect(summary.closeRate.closed).toBe(closed);
    const exits = await count(client, "SELECT COUNT() FROM Stage_Event__c WHERE Kind__c = 'Station' AND Exited_At__c >= 2026-10-01T00:00:00Z AND Exited_At__c < 2026-11-01T00:00:00Z");
    expect(Object.values(summary.stations).reduce((a, s) => a + s.throughput, 0)).toBe(exits);
    expect(booked + closed + exits).toBeGreaterThan(0);
    expect(outcome.summary).toContain(`${summary.appointments} appointments`);
  });

  it('refuses a scope period it does not know, naming the field', async () => {
    const run = reportJob(client)({ job: { id: 'a0J000000000001AAA', name: 'Bad', type: 'Report', cron: null, scope: { period: 'Fortnight' }, enabled: true, runNow: false }, runKey: 'x', now: new Date(), signal: new AbortController().signal });
    await expect(run).rejects.toThrow(/Scope__c.period must be one of Day, Week, Month/);
  });
});
