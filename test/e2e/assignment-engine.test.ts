import { assignmentFeature, type AssignmentEngine } from '../../services/engine/features/assignment';
import { orgJobStore } from '../../services/engine/org/jobStore';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { count, queryAll } from '../../services/engine/org/reads';
import { memoryReplayStore } from '../../services/engine/org/streaming';
import { createLogger } from '../../services/engine/observability/log';
import { startEngine, type RunningEngine } from '../../services/engine/service';
import { buildProgram } from '../../services/engine/cli/asl';
import { startTestOrg, type TestOrg } from '../support/localOrg';
import { until } from '../support/eventually';

async function asl(args: string[]): Promise<string> {
  let out = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await buildProgram().parseAsync(['node', 'asl', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

// User story: a lead that arrives in the org is handed to an SDR by the running engine within
// seconds, by the blocks, with a ledger row; a disposition moves the lead by the station
// rules; nothing is assigned twice when events replay; leads created while the engine was
// down are found by the catch-up sweep; a bad schedule is reported on its job record.
const MONDAY_AFTERNOON = new Date('2026-11-16T16:00:00.000Z');
const silent = createLogger({ level: 'silent' });

describe('the assignment engine against the local org', () => {
  let test: TestOrg;
  let client: OrgClient;
  let engine: RunningEngine;
  let assignment: AssignmentEngine;
  let integrationId: string;
  let stations: Map<string, string>;
  const replay = memoryReplayStore();

  const start = async (): Promise<void> => {
    const feature = assignmentFeature({ clock: () => MONDAY_AFTERNOON });
    engine = await startEngine({ config: test.engineConfig(), features: [feature], jobStore: orgJobStore, replayStore: replay, serveHttp: false, logger: silent, jobSyncSeconds: 3600 });
    assignment = [...feature.engines.values()][0] as AssignmentEngine;
  };

  const newLead = async (company: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const created = (await client.conn.sobject('Lead').create({ LastName: 'Arrival', Company: company, LeadSource: 'Web', Segment__c: 'SMB', ...extra })) as { id: string };
    return created.id;
  };
  const ownerOf = async (leadId: string) => (await queryAll(client, `SELECT OwnerId, Bin__c, Station__c, Next_Action_At__c FROM Lead WHERE Id = '${leadId}'`))[0] as Record<string, unknown>;

  beforeAll(async () => {
    test = await startTestOrg({ leads: 300, seed: 'assignment-e2e' });
    client = await connectOrg(test.engineConfig());
    integrationId = client.userId as string;
    stations = new Map((await queryAll(client, 'SELECT Id, Key__c FROM Station__c')).map((row) => [String(row.Key__c), String(row.Id)]));
    await start();
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await test?.close();
  });

  it('assigns the floor waiting at start (catch-up sweep), writing one ledger row per assignment', async () => {
    const rows = await count(client, 'SELECT COUNT() FROM Assignment__c');
    expect(rows).toBeGreaterThan(0);
    const assignedOwners = await queryAll(client, "SELECT Asset_Id__c, Rep__c FROM Assignment__c WHERE Method__c = 'Permuted Block'");
    const leads = new Map((await queryAll(client, 'SELECT Id, OwnerId FROM Lead')).map((row) => [row.Id, row.OwnerId]));
    for (const row of assignedOwners) expect(leads.get(row.Asset_Id__c)).toBe(row.Rep__c);
  });

  it('assigns a lead created through REST in real time (Lead change event) and records it in the ledger', async () => {
    const leadId = await newLead('Realtime Inc');
    const owner = await until(async () => {
      const lead = await ownerOf(leadId);
      return lead.OwnerId !== integrationId ? String(lead.OwnerId) : undefined;
    }, 'the new lead to be assigned');
    const ledger = await queryAll(client, `SELECT Rep__c, Method__c, Station__c, Stratum__c FROM Assignment__c WHERE Asset_Id__c = '${leadId}'`);
    expect(ledger).toEqual([{ Rep__c: owner, Method__c: 'Permuted Block', Station__c: stations.get('SDR_CALL'), Stratum__c: expect.stringContaining('LeadSource=Web') }]);
    expect((await ownerOf(leadId)).Station__c).toBe(stations.get('SDR_CALL'));
  });

  it('assigns nothing twice when the same lead event replays or a run repeats', async () => {
    const leadId = await newLead('Replay Ltd');
    await until(async () => ((await ownerOf(leadId)).OwnerId !== integrationId ? true : undefined), 'the lead to be assigned');
    const before = await count(client, 'SELECT COUNT() FROM Assignment__c');
    const ownerBefore = (await ownerOf(leadId)).OwnerId;
    const [leadListener] = assignment.listeners();
    const message = { payload: { ChangeEventHeader: { changeType: 'CREATE', recordIds: [leadId] } }, event: { replayId: 1 } };
    await leadListener?.handle(message);
    await leadListener?.handle(message);
    const again = await assignment.assign('SDR_CALL');
    expect(again.rows.filter((row) => row.assetId === leadId)).toEqual([]);
    expect(await count(client, 'SELECT COUNT() FROM Assignment__c')).toBe(before);
    expect((await ownerOf(leadId)).OwnerId).toBe(ownerBefore);
  });

  it('returns a no-show to the SDR who booked it, closes its queue entry and logs a Return To Booker row', async () => {
    const [sdr, ae] = await Promise.all([
      queryAll(client, "SELECT User__c FROM Rep_Capacity__c WHERE Station_Keys__c LIKE '%SDR_CALL%' AND Active__c = true LIMIT 1"),
      queryAll(client, "SELECT User__c FROM Rep_Capacity__c WHERE Station_Keys__c LIKE '%DEMO%' AND Active__c = true LIMIT 1")
    ]);
    const booker = String(sdr[0]?.User__c);
    const leadId = await newLead('No Show Corp', { Station__c: stations.get('DEMO'), Bin__c: 'Nurture - Active Opportunity', Booked_By__c: booker, OwnerId: String(ae[0]?.User__c) });
    const entry = (await client.conn.sobject('Queue_Entry__c').create({ Entry_Key__c: `e2e:${leadId}`, Lead__c: leadId, Status__c: 'Open' })) as { id: string };
    const disposition = (await client.conn.sobject('Disposition__c').create({ Lead__c: leadId, Station__c: stations.get('DEMO'), Outcome__c: 'No Show', Queue_Entry__c: entry.id })) as { id: string };
    await until(async () => ((await queryAll(client, `SELECT Processed_At__c FROM Disposition__c WHERE Id = '${disposition.id}'`))[0]?.Processed_At__c ? true : undefined), 'the disposition to be processed');
    expect(await ownerOf(leadId)).toMatchObject({ OwnerId: booker, Station__c: stations.get('SDR_CALL'), Bin__c: 'Working' });
    expect(await queryAll(client, `SELECT Status__c FROM Queue_Entry__c WHERE Id = '${entry.id}'`)).toEqual([{ Status__c: 'Done' }]);
    expect(await queryAll(client, `SELECT Rep__c, Method__c FROM Assignment__c WHERE Asset_Id__c = '${leadId}'`)).toEqual([{ Rep__c: booker, Method__c: 'Return To Booker' }]);

    // Replaying the disposition event moves nothing again (Processed_At__c is set).
    const replayed = await assignment.move([disposition.id]);
    expect(replayed.moved).toEqual([]);
  });

  it('moves a Nurture disposition to Check Back Quarterly with re-entry in 90 days', async () => {
    const leadId = await newLead('Nurture LLC');
    await until(async () => ((await ownerOf(leadId)).OwnerId !== integrationId ? true : undefined), 'the lead to be assigned');
    const owner = (await ownerOf(leadId)).OwnerId;
    const disposition = (await client.conn.sobject('Disposition__c').create({ Lead__c: leadId, Station__c: stations.get('SDR_CALL'), Outcome__c: 'Nurture', Rep__c: owner })) as { id: string };
    await until(async () => ((await queryAll(client, `SELECT Processed_At__c FROM Disposition__c WHERE Id = '${disposition.id}'`))[0]?.Processed_At__c ? true : undefined), 'the disposition to be processed');
    const lead = await ownerOf(leadId);
    expect(lead).toMatchObject({ OwnerId: owner, Bin__c: 'Nurture - Check Back Quarterly', Station__c: null });
    expect(Date.parse(String(lead.Next_Action_At__c))).toBe(MONDAY_AFTERNOON.getTime() + 90 * 86_400_000);
  });

  it('assigns leads created while the engine was stopped through the catch-up sweep on start', async () => {
    await engine.stop();
    const ids = [await newLead('Offline One'), await newLead('Offline Two'), await newLead('Offline Three')];
    for (const id of ids) expect((await ownerOf(id)).OwnerId).toBe(integrationId);
    await start();
    for (const id of ids) expect((await ownerOf(id)).OwnerId).not.toBe(integrationId);
    expect(await count(client, `SELECT COUNT() FROM Assignment__c WHERE Asset_Id__c IN ('${ids.join("','")}')`)).toBe(3);
  });

  it('reports a job with a bad cron expression on its record as Invalid Schedule', async () => {
    const created = (await client.conn.sobject('Engine_Job__c').create({ Name: 'Broken sweep', Type__c: 'Catch Up Sweep', Cron__c: 'every tuesday', Enabled__c: true })) as { id: string };
    await engine.scheduler.sync();
    const [job] = await queryAll(client, `SELECT Status__c, Status_Message__c FROM Engine_Job__c WHERE Id = '${created.id}'`);
    expect(job?.Status__c).toBe('Invalid Schedule');
    expect(String(job?.Status_Message__c)).toContain('every tuesday');
  });

  it('runs the Catch Up Sweep job on "run now" and logs the run with records touched', async () => {
    const leadId = await newLead('Swept Co');
    await assignment.idle();
    const created = (await client.conn.sobject('Engine_Job__c').create({ Name: 'Sweep now', Type__c: 'Catch Up Sweep', Cron__c: '0 * * * *', Enabled__c: true, Run_Now__c: true })) as { id: string };
    await engine.scheduler.sync();
    const run = await until(async () => {
      const [row] = await queryAll(client, `SELECT Outcome__c, Records_Touched__c, API_Calls__c FROM Job_Run__c WHERE Engine_Job__c = '${created.id}' AND Outcome__c != 'Running'`);
      return row;
    }, 'the sweep run record');
    expect(run.Outcome__c).toBe('Succeeded');
    expect(Number(run.API_Calls__c)).toBeGreaterThan(0);
    expect((await ownerOf(leadId)).OwnerId).not.toBe(integrationId);
  });

  it('`asl audit` replays the ledger the engine wrote and reproduces it exactly, with p-values', async () => {
    await assignment.idle();
    const out = await asl(['audit', '--from', '2026-11-16', '--to', '2026-11-17', '--station', 'SDR_CALL', '--org', test.url, '--json']);
    const audit = JSON.parse(out) as { rows: number; report: { replay: { reproduced: boolean; rowsChecked: number }; equality: { tests: Array<{ pValue: number }> } } };
    expect(audit.rows).toBeGreaterThan(50);
    expect(audit.report.replay.reproduced).toBe(true);
    expect(audit.report.replay.rowsChecked).toBeGreaterThan(50);
    expect(audit.report.equality.tests.length).toBeGreaterThan(0);
    for (const t of audit.report.equality.tests) {
      expect(t.pValue).toBeGreaterThanOrEqual(0);
      expect(t.pValue).toBeLessThanOrEqual(1);
    }
    const text = await asl(['audit', '--from', '2026-11-16', '--to', '2026-11-17', '--org', test.url]);
    expect(text).toContain('Replay: REPRODUCED');
  });

  it('`asl assign --dry-run` draws without writing, and names the flag and the fix on bad input', async () => {
    const before = await count(client, 'SELECT COUNT() FROM Assignment__c');
    const out = JSON.parse(await asl(['assign', '--dry-run', '--org', test.url, '--json'])) as { dryRun: boolean };
    expect(out.dryRun).toBe(true);
    expect(await count(client, 'SELECT COUNT() FROM Assignment__c')).toBe(before);
    await expect(asl(['assign', '--station', 'NOPE', '--org', test.url])).rejects.toThrow(/--station.*NOPE.*Key__c/);
    await expect(asl(['audit', '--from', 'yesterday', '--to', '2026-11-17', '--org', test.url])).rejects.toThrow(/--from must be an ISO date/);
  });

  const runJob = async (name: string, type: string, scope: unknown): Promise<Record<string, unknown>> => {
    const created = (await client.conn.sobject('Engine_Job__c').create({ Name: name, Type__c: type, Cron__c: '0 3 * * *', Enabled__c: true, Run_Now__c: true, Scope__c: JSON.stringify(scope) })) as { id: string };
    await engine.scheduler.sync();
    return until(async () => {
      const [row] = await queryAll(client, `SELECT Outcome__c, Records_Touched__c, Error_Summary__c, Result__c FROM Job_Run__c WHERE Engine_Job__c = '${created.id}' AND Outcome__c != 'Running'`);
      return row;
    }, `the ${type} run record`);
  };

  it('writes the audit with its p-values into Job_Run__c.Result__c for the Line Monitor (Audit job)', async () => {
    await assignment.idle();
    const run = await runJob('Weekly audit', 'Audit', { station: 'SDR_CALL', days: 7 });
    expect(run.Outcome__c).toBe('Succeeded');
    const result = JSON.parse(String(run.Result__c)) as { replay: { reproduced: boolean; rowsChecked: number }; tests: Array<{ dimension: string; pValue: number; pHolm: number }>; strata: unknown[] };
    expect(result.replay.reproduced).toBe(true);
    expect(result.replay.rowsChecked).toBeGreaterThan(50);
    expect(Number(run.Records_Touched__c)).toBeGreaterThanOrEqual(result.replay.rowsChecked);
    expect(result.tests.map((t) => t.dimension).sort()).toEqual(['Fame_Band__c', 'LeadSource', 'Segment__c']);
    expect(result.strata.length).toBeGreaterThan(0);
  });

  it('redraws the open leads of a rep on leave through the blocks (Rebalance job), keeping everyone else', async () => {
    await assignment.idle();
    const [away] = await queryAll(client, `SELECT Id, User__c FROM Rep_Capacity__c WHERE Station_Keys__c LIKE '%SDR_CALL%' AND Active__c = true AND User__c IN (SELECT OwnerId FROM Lead WHERE Station__c = '${stations.get('SDR_CALL')}') LIMIT 1`);
    const awayId = String(away?.User__c);
    const theirs = (await queryAll(client, `SELECT Id FROM Lead WHERE OwnerId = '${awayId}' AND Station__c = '${stations.get('SDR_CALL')}' AND IsConverted = false`)).map((row) => String(row.Id));
    expect(theirs.length).toBeGreaterThan(0);
    await client.conn.sobject('Rep_Capacity__c').update({ Id: String(away?.Id), Leave_Start__c: '2026-11-10', Leave_End__c: '2026-12-31' });
    const run = await runJob('Rebalance on leave', 'Rebalance', { stations: ['SDR_CALL'] });
    expect(['Succeeded', 'Partial']).toContain(run.Outcome__c);
    const rebalanced = await queryAll(client, `SELECT Asset_Id__c, Rep__c FROM Assignment__c WHERE Method__c = 'Rebalance' AND Asset_Id__c IN ('${theirs.join("','")}')`);
    expect(rebalanced.length).toBeGreaterThan(0);
    for (const row of rebalanced) {
      expect(row.Rep__c).not.toBe(awayId);
      expect((await ownerOf(String(row.Asset_Id__c))).OwnerId).toBe(row.Rep__c);
    }
    // A second run finds nothing more to take from them (idempotent).
    const again = await runJob('Rebalance again', 'Rebalance', { stations: ['SDR_CALL'] });
    expect(await count(client, `SELECT COUNT() FROM Assignment__c WHERE Method__c = 'Rebalance'`)).toBe(rebalanced.length + (await count(client, `SELECT COUNT() FROM Assignment__c WHERE Method__c = 'Rebalance' AND Asset_Id__c NOT IN ('${theirs.join("','")}')`)));
    expect(again.Outcome__c).not.toBe('Failed');
  });

  it('`asl jobs` lists the jobs, validates schedules and runs an assignment job in-process with a run record', async () => {
    await assignment.idle();
    const created = (await client.conn.sobject('Engine_Job__c').create({ Name: 'CLI bad cron', Type__c: 'Rebalance', Cron__c: '61 * * * *', Enabled__c: true })) as { id: string };
    const synced = JSON.parse(await asl(['jobs', 'sync', '--org', test.url, '--json'])) as Array<{ Id: string; Status__c: string }>;
    expect(synced.find((job) => job.Id === created.id)?.Status__c).toBe('Invalid Schedule');
    const listed = await asl(['jobs', 'list', '--org', test.url]);
    expect(listed).toContain('CLI bad cron');
    const before = await count(client, 'SELECT COUNT() FROM Job_Run__c');
    const ran = JSON.parse(await asl(['jobs', 'run', 'Catch-up sweep', '--org', test.url, '--json'])) as { Status__c: string };
    expect(ran.Status__c).toBe('Idle');
    expect(await count(client, 'SELECT COUNT() FROM Job_Run__c')).toBe(before + 1);
    await expect(asl(['jobs', 'run', 'no such job', '--org', test.url])).rejects.toThrow(/matches no Engine_Job__c/);
  });
});
