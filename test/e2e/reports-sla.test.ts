import { flagOpenBreaches, reportJob } from '../../services/engine/features/reports';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { count, queryAll } from '../../services/engine/org/reads';
import { clearStageHistory, startTestOrg, type TestOrg } from '../support/localOrg';

// User story: a manager opens the "SLA breaches per station" report and the daily summary the
// engine writes, and both count the same breaches: stays that outlasted their station's SLA,
// measured by the stage timers (never typed), whether the asset has left the station since
// (flagged by the stage-timer flow at exit) or is still sitting there (flagged by the Report job).
describe('SLA breaches, flagged in the org and counted in the Report job summary', () => {
  const HOUR = 3_600_000;
  const T0 = Date.parse('2026-11-16T09:00:00Z');
  let nowMs = T0;
  let test: TestOrg;
  let client: OrgClient;
  const station = new Map<string, string>();

  const moveTo = async (leadId: string, key: string) => {
    const result = await client.conn.sobject('Lead').update({ Id: leadId, Station__c: station.get(key) });
    if (!result.success) throw new Error(JSON.stringify(result));
  };
  const newLeadAt = async (key: string, name: string) => {
    const result = await client.conn.sobject('Lead').create({ LastName: name, Company: `${name} Co`, LeadSource: 'Web', Station__c: station.get(key) });
    if (!result.success) throw new Error(JSON.stringify(result));
    return result.id;
  };
  const stays = async (leadId: string) =>
    queryAll(client, `SELECT To_Value__c, Exited_At__c, SLA_Due_At__c, SLA_Breached__c, Breached_At__c FROM Stage_Event__c WHERE Kind__c = 'Station' AND Lead__c = '${leadId}' ORDER BY Entered_At__c`);

  beforeAll(async () => {
    // The org's clock is the test's: stage timers stamp entries and exits with it. The session
    // outlives the days the test skips, so the engine keeps the one it logged in with.
    test = await startTestOrg({ leads: 200, seed: 'reports-sla', org: { clock: () => new Date(nowMs), sessionTimeoutSeconds: 30 * 86_400 } });
    // Only the stays this test's moves write: the floor's own history would add to the counts.
    expect(clearStageHistory(test)).toBeGreaterThan(0);
    client = await connectOrg(test.engineConfig());
    for (const row of await queryAll(client, 'SELECT Id, Key__c FROM Station__c')) station.set(String(row.Key__c), String(row.Id));
  }, 120_000);
  afterAll(async () => {
    await test?.close();
  });

  it('flags late exits (flow) and stays still open past due (Report job), and the daily summary counts what the report filters', async () => {
    // SDR_CALL has a 48 h SLA, COORDINATE 4 h (config/default-line.json).
    const late = await newLeadAt('SDR_CALL', 'Late');
    const waiting = await newLeadAt('SDR_CALL', 'Waiting');
    const quick = await newLeadAt('SDR_CALL', 'Quick');
    nowMs = T0 + HOUR;
    await moveTo(quick, 'COORDINATE'); // left SDR_CALL in time; its COORDINATE stay is due 11-16 15:00
    nowMs = T0 + 50 * HOUR;
    await moveTo(late, 'COORDINATE'); // left SDR_CALL 2 h after its due time

    const [lateSdr] = await stays(late);
    expect(lateSdr).toMatchObject({ To_Value__c: 'SDR Calling', SLA_Breached__c: true });
    expect(Date.parse(String(lateSdr?.Breached_At__c))).toBe(T0 + 48 * HOUR);
    expect((await stays(waiting))[0]).toMatchObject({ Exited_At__c: null, SLA_Breached__c: false });

    // The next day's daily report: the job flags the open stays past due, then summarises 11-18.
    nowMs = Date.parse('2026-11-19T00:30:00Z');
    const runKey = 'sla-e2e:1';
    await client.conn.sobject('Job_Run__c').create({ Run_Key__c: runKey, Job_Type__c: 'Report', Outcome__c: 'Running' });
    const job = { id: 'a0J000000000001AAA', name: 'Daily', type: 'Report' as const, cron: null, scope: { period: 'Day' }, enabled: true, runNow: false };
    const outcome = await reportJob(client)({ job, runKey, now: new Date(nowMs), signal: new AbortController().signal });

    // Waiting's SDR stay (due 11-18 09:00), Late's COORDINATE stay (due 11-18 15:00) and Quick's
    // COORDINATE stay (due 11-16 15:00) were open past due; Quick's SDR stay ended in time.
    expect((await stays(waiting))[0]).toMatchObject({ SLA_Breached__c: true, Exited_At__c: null });
    expect(Date.parse(String((await stays(waiting))[0]?.Breached_At__c))).toBe(T0 + 48 * HOUR);
    expect((await stays(quick)).map((s) => s.SLA_Breached__c)).toEqual([false, true]);
    expect(outcome.summary).toContain('3 open stay(s) newly flagged past SLA');

    const [run] = await queryAll(client, `SELECT Result__c FROM Job_Run__c WHERE Run_Key__c = '${runKey}'`);
    const summary = JSON.parse(String(run?.Result__c)) as { window: { start: string; end: string }; slaBreaches: number; stations: Record<string, { slaBreaches: number; slaHours: number | null }> };
    expect(summary.window).toEqual({ period: 'Day', start: '2026-11-18T00:00:00.000Z', end: '2026-11-19T00:00:00.000Z' });
    // What the "SLA breaches per station" report filters: Station stays, SLA Breached = 1, Breached At in the period.
    const reported = await count(client, "SELECT COUNT() FROM Stage_Event__c WHERE Kind__c = 'Station' AND SLA_Breached__c = true AND Breached_At__c >= 2026-11-18T00:00:00Z AND Breached_At__c < 2026-11-19T00:00:00Z");
    expect(reported).toBe(3);
    expect(summary.slaBreaches).toBe(reported);
    expect(summary.stations.SDR_CALL).toMatchObject({ slaBreaches: 2, slaHours: 48 });
    expect(summary.stations.COORDINATE).toMatchObject({ slaBreaches: 1, slaHours: 4 });
    expect(outcome.summary).toContain('SLA breaches 3');
  });

  it('flags each breach once: a second sweep finds nothing new', async () => {
    expect(await flagOpenBreaches(client, new Date(nowMs))).toEqual({ flagged: 0, failed: 0 });
  });
});
