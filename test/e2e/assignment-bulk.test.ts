import { runAssignment } from '../../services/engine/features/assignment/assignRun';
import { runLargeAssignment } from '../../services/engine/features/assignment/bulkRun';
import { catchUpSweep } from '../../services/engine/features/assignment/jobs';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { count, queryAll } from '../../services/engine/org/reads';
import { startTestOrg, type TestOrg } from '../support/localOrg';

// User story: RevOps imports a list of several thousand leads; one large run assigns every
// one of them through Bulk API 2.0 (not 2,000 per run through REST), with a ledger row each,
// in a handful of API calls, and a repeat of the run assigns nothing twice.
const MONDAY = new Date('2026-11-16T16:00:00.000Z');
const N = 4_500;

describe('the large-run path (Bulk API 2.0) against the local org', () => {
  let test: TestOrg;
  let client: OrgClient;
  let integrationId: string;

  beforeAll(async () => {
    test = await startTestOrg({ leads: 60, seed: 'assignment-bulk-e2e' });
    client = await connectOrg(test.engineConfig());
    integrationId = client.userId as string;
    const store = test.org.store;
    // Every rep on shift without caps, no WIP targets: this test is about volume, not the floor.
    const reps = store.query('SELECT Id FROM Rep_Capacity__c').records as unknown as Array<{ Id: string }>;
    store.updateMany('Rep_Capacity__c', reps.map((rep) => ({ Id: rep.Id, Shift_Start_Hour__c: 0, Shift_End_Hour__c: 24, Working_Days__c: 'Mon;Tue;Wed;Thu;Fri;Sat;Sun', Leave_Start__c: null, Leave_End__c: null, WIP_Cap__c: null, Hourly_Cap_Override__c: null })), { silent: true });
    const stations = store.query('SELECT Id, Key__c FROM Station__c').records as unknown as Array<{ Id: string; Key__c: string }>;
    store.updateMany('Station__c', stations.map((s) => ({ Id: s.Id, Target_WIP__c: 0, ...(s.Key__c === 'SDR_CALL' ? { Hourly_Cap_Override__c: 100_000 } : {}) })), { silent: true });
    const leads = Array.from({ length: N }, (_, i) => ({ LastName: `Imported ${i}`, Company: `List ${i}`, LeadSource: i % 2 ? 'Web' : 'Purchased List', Segment__c: ['SMB', 'Mid-Market'][i % 2], OwnerId: integrationId }));
    const saved = store.insertMany('Lead', leads, { allOrNone: true, silent: true, runFlows: false });
    expect(saved.every((r) => r.success)).toBe(true);
  }, 120_000);
  afterAll(async () => {
    await test?.close();
  });

  it('assigns every waiting lead in one run, ledger first, in a bounded number of calls', async () => {
    const waitingBefore = await count(client, `SELECT COUNT() FROM Lead WHERE OwnerId = '${integrationId}' AND IsConverted = false`);
    expect(waitingBefore).toBeGreaterThanOrEqual(N);
    const before = await count(client, 'SELECT COUNT() FROM Assignment__c');
    const steps: string[] = [];
    const result = await runLargeAssignment(client, { station: 'SDR_CALL', now: MONDAY, unassignedOwnerId: integrationId, takesUnstationed: true, seed: 'bulk1', onStep: (s) => steps.push(s) });
    if (process.env.ASL_DEBUG) console.log(steps, result.apiCalls, result.jobs, result.seconds);
    expect(result.failed).toEqual([]);
    expect(result.read).toBeGreaterThanOrEqual(N);
    expect(result.rows.length + result.waiting.length).toBe(result.read);
    expect(result.rows.length).toBeGreaterThanOrEqual(N);
    expect(result.jobs.map((job) => [job.object, job.failed])).toEqual([
      ['Assignment__c', 0],
      ['Lead', 0]
    ]);
    // floor 1 + query (create, >= 1 poll, 1 result set) + 2 ingest jobs x (3 + >= 1 poll) + state 1
    expect(result.apiCalls).toBeGreaterThanOrEqual(13);
    expect(result.apiCalls).toBeLessThanOrEqual(18);
    expect(await count(client, 'SELECT COUNT() FROM Assignment__c')).toBe(before + result.rows.length);
    const sample = result.rows.filter((_, i) => i % 97 === 0);
    const owners = new Map((await queryAll(client, `SELECT Id, OwnerId FROM Lead WHERE Id IN ('${sample.map((row) => row.assetId).join("','")}')`)).map((row) => [row.Id, row.OwnerId]));
    for (const row of sample) expect(owners.get(row.assetId)).toBe(row.repId);
  }, 120_000);

  it('assigns nothing twice when run again, and a normal run continues its blocks from the stored state', async () => {
    const before = await count(client, 'SELECT COUNT() FROM Assignment__c');
    const again = await runLargeAssignment(client, { station: 'SDR_CALL', now: new Date(MONDAY.getTime() + 60_000), unassignedOwnerId: integrationId, takesUnstationed: true });
    expect(again.rows).toEqual([]);
    expect(again.apiCalls).toBe(1);
    expect(await count(client, 'SELECT COUNT() FROM Assignment__c')).toBe(before);
    await client.conn.sobject('Lead').create({ LastName: 'After', Company: 'After bulk', LeadSource: 'Web', Segment__c: 'SMB' });
    const next = await runAssignment(client, { station: 'SDR_CALL', now: new Date(MONDAY.getTime() + 120_000), unassignedOwnerId: integrationId, takesUnstationed: true });
    expect(next.stateSource).toBe('stored');
    expect(next.rows).toHaveLength(1);
  }, 120_000);

  it('takes a backlog beyond one query page through the large-run path in the catch-up sweep', async () => {
    const saved = test.org.store.insertMany(
      'Lead',
      Array.from({ length: 2_300 }, (_, i) => ({ LastName: `Backlog ${i}`, Company: `Backlog ${i}`, LeadSource: 'Web', Segment__c: 'SMB', OwnerId: integrationId })),
      { allOrNone: true, silent: true, runFlows: false }
    );
    expect(saved.every((r) => r.success)).toBe(true);
    const runs: Array<{ bulk: boolean; assigned: number }> = [];
    const now = new Date(MONDAY.getTime() + 180_000);
    const sweep = await catchUpSweep(client, {
      now,
      stations: ['SDR_CALL'],
      unassignedOwnerId: integrationId,
      assignAt: async (station, extra) => {
        const result = await runAssignment(client, { station, now, unassignedOwnerId: integrationId, takesUnstationed: true, ...extra });
        runs.push({ bulk: extra?.bulk === true, assigned: result.rows.length });
        return result;
      }
    });
    expect(runs).toEqual([
      { bulk: false, assigned: 2_000 },
      { bulk: true, assigned: 300 }
    ]);
    expect(sweep.summary).toContain('2300 lead(s) assigned');
    expect(await count(client, `SELECT COUNT() FROM Lead WHERE OwnerId = '${integrationId}' AND IsConverted = false AND LastName LIKE 'Backlog%'`)).toBe(0);
  }, 120_000);
});
