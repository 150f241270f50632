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
    const result = await runLargeAssignment(client, { station: 'SDR_CALL', now: MONDAY, unassignedOwnerId: integrationId, takesUnstationed: true, seed: 'bulk1', ingestRowsPerSecond: 2_000, onStep: (s) => steps.push(s) });
    if (process.env.ASL_DEBUG) console.log(steps, result.apiCalls, result.jobs, result.seconds);
    expect(result.failed).toEqual([]);
    expect(result.read).toBeGreaterThanOrEqual(N);
    expect(result.rows.length + result.waiting.length).toBe(result.read);
    expect(result.rows.length).toBeGreaterThanOrEqual(N);
    // One ledger job; no owner job: the package's flow applies each row's owner (Apply_Owner__c).
    expect(result.jobs.map((job) => [job.object, job.failed])).toEqual([['Assignment__c', 0]]);
    // floor 1 + open blocks from the ledger (the demo floor has no stored state) 1-2 + query
    // (create, results, a status read if the first wait fell short) 2-3 + ledger job 3 +
    // the check with state and signal 1, + job polls only if the check found rows missing.
    expect(result.apiCalls).toBeGreaterThanOrEqual(8);
    expect(result.apiCalls).toBeLessThanOrEqual(12);
    expect(await count(client, 'SELECT COUNT() FROM Assignment__c')).toBe(before + result.rows.length);
    const sample = result.rows.filter((_, i) => i % 97 === 0);
    const owners = new Map((await queryAll(client, `SELECT Id, OwnerId FROM Lead WHERE Id IN ('${sample.map((row) => row.assetId).join("','")}')`)).map((row) => [row.Id, row.OwnerId]));
    for (const row of sample) expect(owners.get(row.assetId)).toBe(row.repId);
    // The CSV held only the audit's fields; the org filled in the station lookup from its key.
    const [ledgerRow] = await queryAll(client, `SELECT Station__r.Key__c, Apply_Owner__c, Method__c, Asset_Type__c FROM Assignment__c WHERE Ledger_Key__c = '${result.rows[0]?.ledgerKey}'`);
    expect(ledgerRow).toMatchObject({ Station__r: { Key__c: 'SDR_CALL' }, Apply_Owner__c: true, Method__c: 'Permuted Block', Asset_Type__c: 'Lead' });
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

  it('leaves a lead waiting when its ledger row fails (no owner without a ledger row), and the next run assigns it', async () => {
    const saved = test.org.store.insertMany(
      'Lead',
      Array.from({ length: 300 }, (_, i) => ({ LastName: `Locked ${i}`, Company: `Locked ${i}`, LeadSource: 'Web', Segment__c: 'SMB', OwnerId: integrationId })),
      { allOrNone: true, silent: true, runFlows: false }
    );
    expect(saved.every((r) => r.success)).toBe(true);
    // Five ledger rows of the ingest job fail with UNABLE_TO_LOCK_ROW (Bulk API 2.0 reports
    // them in the job's failedResults, "Get Job Failed Record Results").
    const rules = [{ id: 'ledger-locked', kind: 'lockRow', match: '^BULK /jobs/ingest/Assignment__c$', rate: 1, times: 5 }];
    const added = await fetch(`${test.url}/_local/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });
    expect(added.ok).toBe(true);
    const now = new Date(MONDAY.getTime() + 150_000);
    const run = await runLargeAssignment(client, { station: 'SDR_CALL', now, unassignedOwnerId: integrationId, takesUnstationed: true, ingestRowsPerSecond: 5_000 });
    await fetch(`${test.url}/_local/faults`, { method: 'DELETE' });
    expect(run.rows).toHaveLength(300);
    expect(run.failed).toHaveLength(5);
    for (const failure of run.failed) expect(failure).toMatchObject({ key: expect.stringMatching(/^Assignment__c:SDR_CALL:/), errorCode: 'UNABLE_TO_LOCK_ROW' });
    expect(run.jobs).toEqual([expect.objectContaining({ object: 'Assignment__c', rows: 300, failed: 5 })]);
    const stillWaiting = await queryAll(client, `SELECT Id FROM Lead WHERE OwnerId = '${integrationId}' AND LastName LIKE 'Locked%'`);
    expect(stillWaiting).toHaveLength(5);
    const failedIds = run.failed.map((failure) => failure.key.split(':')[2]).sort();
    expect(stillWaiting.map((row) => String(row.Id)).sort()).toEqual(failedIds);
    // Every lead that left the integration user has its ledger row, and only those.
    const locked = (await queryAll(client, "SELECT Id FROM Lead WHERE LastName LIKE 'Locked%'")).map((row) => String(row.Id));
    const ledgered = (await queryAll(client, `SELECT Asset_Id__c FROM Assignment__c WHERE Asset_Id__c IN ('${locked.join("','")}')`)).map((row) => String(row.Asset_Id__c));
    expect(ledgered.sort()).toEqual(locked.filter((id) => !failedIds.includes(id)).sort());

    const next = await runLargeAssignment(client, { station: 'SDR_CALL', now: new Date(now.getTime() + 60_000), unassignedOwnerId: integrationId, takesUnstationed: true, ingestRowsPerSecond: 5_000 });
    expect(next.failed).toEqual([]);
    expect(next.rows.map((row) => row.assetId).sort()).toEqual(failedIds);
    expect(await count(client, `SELECT COUNT() FROM Lead WHERE OwnerId = '${integrationId}' AND LastName LIKE 'Locked%'`)).toBe(0);
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
