import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { orgJobStore } from '../../services/engine/org/jobStore';
import { count, queryAll } from '../../services/engine/org/reads';
import { writeRecords } from '../../services/engine/org/writes';
import { startTestOrg, type TestOrg } from '../support/localOrg';

// User story: the engine reads and writes a customer's org economically and safely: every page
// of a query, collections of 200 packed into composite calls, per-record retries of locked
// rows, and upserts by external id so that a replay writes nothing twice.
describe('the engine org adapter against the local org', () => {
  let test: TestOrg;
  let client: OrgClient;

  beforeAll(async () => {
    test = await startTestOrg({ leads: 2500, seed: 'org-adapter' });
    client = await connectOrg(test.engineConfig());
  }, 120_000);
  afterAll(async () => {
    await test?.close();
  });

  it('reads every page of a query past the 2,000-record page size', async () => {
    // REST API Developer Guide, "Execute a SOQL Query": results beyond the batch size arrive
    // through nextRecordsUrl until done is true.
    const before = client.apiCalls();
    const leads = await queryAll(client, 'SELECT Id, Company FROM Lead');
    expect(leads).toHaveLength(await count(client, 'SELECT COUNT() FROM Lead'));
    expect(leads.length).toBeGreaterThan(2000);
    expect(new Set(leads.map((lead) => lead.Id)).size).toBe(leads.length);
    expect(client.apiCalls() - before).toBe(3); // two pages + the COUNT()
  });

  it('upserts 450 ledger rows in one composite call and writes nothing twice on replay', async () => {
    const rows = Array.from({ length: 450 }, (_, index) => ({
      Ledger_Key__c: `SDR_CALL:e2e-${index}:1`,
      Asset_Id__c: `00Q00000000${String(index).padStart(4, '0')}`.slice(0, 15),
      Stratum__c: 'Web|SMB',
      Block__c: Math.floor(index / 10),
      Draw__c: index
    }));
    const before = client.apiCalls();
    const [first] = await writeRecords(client, [{ kind: 'upsert', sobject: 'Assignment__c', externalIdField: 'Ledger_Key__c', records: rows }]);
    // sObject Collections take 200 records; a composite request carries up to 5 of them and
    // counts as one API call (Composite resource, "Composite Subrequest Limits").
    expect(client.apiCalls() - before).toBe(1);
    expect(first?.failed).toEqual([]);
    expect(first?.succeeded.every((outcome) => outcome.created === true)).toBe(true);

    const [replay] = await writeRecords(client, [{ kind: 'upsert', sobject: 'Assignment__c', externalIdField: 'Ledger_Key__c', records: rows }]);
    expect(replay?.succeeded.every((outcome) => outcome.created === false)).toBe(true);
    expect(await count(client, "SELECT COUNT() FROM Assignment__c WHERE Ledger_Key__c LIKE 'SDR_CALL:e2e-%'")).toBe(450);
  });

  it('retries only the records that failed with UNABLE_TO_LOCK_ROW', async () => {
    // UNABLE_TO_LOCK_ROW arrives per record inside a 200 response (REST API Developer Guide,
    // "sObject Collections": allOrNone false reports each record's errors); jsforce does not
    // retry it, so the engine does, record by record.
    const faults = await fetch(`${test.url}/_local/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [{ id: 'locks', kind: 'lockRow', match: '.*', rate: 0.3 }] })
    });
    expect(faults.ok).toBe(true);
    const rows = Array.from({ length: 300 }, (_, index) => ({ Ledger_Key__c: `SDR_CALL:lock-${index}:1`, Stratum__c: 'Inbound|SMB' }));
    // 30% of records locked on every try: ten tries leave a record unwritten with odds 0.3^10.
    const patient = await connectOrg(test.engineConfig({ retry: { maxAttempts: 10, baseDelayMs: 5, maxDelayMs: 50 } }));
    const [report] = await writeRecords(patient, [{ kind: 'upsert', sobject: 'Assignment__c', externalIdField: 'Ledger_Key__c', records: rows }]);
    // With 30% of records locked, the first call cannot have written all 300: retries happened.
    expect(patient.apiCalls()).toBeGreaterThan(1);
    await fetch(`${test.url}/_local/faults/locks`, { method: 'DELETE' });
    expect(report?.failed).toEqual([]);
    expect(report?.succeeded).toHaveLength(300);
    expect(await count(client, "SELECT COUNT() FROM Assignment__c WHERE Ledger_Key__c LIKE 'SDR_CALL:lock-%'")).toBe(300);
  });

  it('keeps job records and their run log in the org', async () => {
    const created = (await client.conn.sobject('Engine_Job__c').create({
      Name: 'E2E rebalance',
      Type__c: 'Rebalance',
      Cron__c: '0 2 * * *',
      Enabled__c: true
    })) as { id: string };
    const store = orgJobStore(client);
    const jobs = await store.loadJobs();
    expect(jobs.find((job) => job.id === created.id)).toMatchObject({ name: 'E2E rebalance', type: 'Rebalance', cron: '0 2 * * *', enabled: true });
    const startedAt = new Date('2026-11-16T02:00:00.000Z');
    const run = { runKey: `${created.id}:run-1`, jobId: created.id, jobType: 'Rebalance' as const, startedAt, outcome: 'Running' as const };
    await store.writeRun(run);
    await store.writeRun({ ...run, outcome: 'Succeeded', finishedAt: new Date('2026-11-16T02:00:05.000Z'), recordsTouched: 12, apiCalls: 4 });
    await store.writeStatus({ jobId: created.id, status: 'Idle', lastRunAt: new Date('2026-11-16T02:00:05.000Z'), message: 'moved 12 assets' });
    const runs = await queryAll(client, `SELECT Outcome__c, Records_Touched__c, API_Calls__c FROM Job_Run__c WHERE Engine_Job__c = '${created.id}'`);
    expect(runs).toEqual([{ Outcome__c: 'Succeeded', Records_Touched__c: 12, API_Calls__c: 4 }]);
    const [job] = await queryAll(client, `SELECT Status__c, Status_Message__c FROM Engine_Job__c WHERE Id = '${created.id}'`);
    expect(job).toEqual({ Status__c: 'Idle', Status_Message__c: 'moved 12 assets' });
  });
});

describe('the engine org adapter above the bulk threshold', () => {
  let test: TestOrg;
  beforeAll(async () => {
    test = await startTestOrg({ leads: 50, seed: 'org-adapter-bulk' });
  }, 120_000);
  afterAll(async () => {
    await test?.close();
  });

  it('writes through one Bulk API 2.0 job and reports every record', async () => {
    // Bulk API 2.0 Developer Guide, "Get Job Successful Record Results": sf__Id and sf__Created
    // per row; a record array of this size is sent as CSV text (see writes.ts).
    const client = await connectOrg(test.engineConfig({ writes: { bulkThreshold: 200 } }));
    const rows = Array.from({ length: 5000 }, (_, index) => ({ Ledger_Key__c: `SDR_CALL:bulk-${index}:1`, Stratum__c: index % 2 ? 'Web|SMB' : null, Draw__c: index }));
    const [report] = await writeRecords(client, [{ kind: 'upsert', sobject: 'Assignment__c', externalIdField: 'Ledger_Key__c', records: rows }]);
    expect(report?.failed).toEqual([]);
    expect(report?.succeeded).toHaveLength(5000);
    expect(new Set(report?.succeeded.map((outcome) => outcome.key))).toEqual(new Set(rows.map((row) => row.Ledger_Key__c)));
    expect(await count(client, "SELECT COUNT() FROM Assignment__c WHERE Ledger_Key__c LIKE 'SDR_CALL:bulk-%'")).toBe(5000);
    const [first] = await queryAll(client, "SELECT Stratum__c, Draw__c FROM Assignment__c WHERE Ledger_Key__c = 'SDR_CALL:bulk-0:1'");
    expect(first).toEqual({ Stratum__c: null, Draw__c: 0 });
  }, 120_000);
});
