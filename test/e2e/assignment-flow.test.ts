import { assignmentFeature, type AssignmentEngine } from '../../services/engine/features/assignment';
import { runAssignment, type AssignRunResult } from '../../services/engine/features/assignment/assignRun';
import { orgJobStore } from '../../services/engine/org/jobStore';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { count, queryAll } from '../../services/engine/org/reads';
import { memoryReplayStore } from '../../services/engine/org/streaming';
import { createLogger } from '../../services/engine/observability/log';
import { startEngine, type RunningEngine } from '../../services/engine/service';
import { clearStageHistory, startTestOrg, type TestOrg } from '../support/localOrg';
import { until } from '../support/eventually';

// User story: when demo coordination is swamped (its WIP at or over its target), the engine
// stops handing new leads to SDRs instead of piling meetings up in front of the coordinators;
// the held-back leads wait visibly, oldest first, and are assigned as soon as coordination
// frees up. Nothing is lost and nothing is assigned twice, in the real-time path and in runs.
const MONDAY_AFTERNOON = new Date('2026-11-16T16:00:00.000Z');
const silent = createLogger({ level: 'silent' });

describe('flow control in assignment runs against the local org', () => {
  let test: TestOrg;
  let client: OrgClient;
  let engine: RunningEngine;
  let assignment: AssignmentEngine;
  let integrationId: string;
  let stations: Map<string, string>;
  let coordinators: string[];
  const results: AssignRunResult[] = [];

  const setCoordinationTarget = (perPerson: number) => client.conn.sobject('Station__c').update({ Id: stations.get('COORDINATE') as string, Target_WIP__c: perPerson });
  const coordinationWip = () => count(client, `SELECT COUNT() FROM Lead WHERE Station__c = '${stations.get('COORDINATE')}' AND IsConverted = false`);
  const waitingIds = async () => (await queryAll(client, `SELECT Id FROM Lead WHERE OwnerId = '${integrationId}' AND IsConverted = false AND (Station__c = null OR Station__c = '${stations.get('SDR_CALL')}') ORDER BY Station_Entered_At__c ASC NULLS LAST, CreatedDate, Id`)).map((row) => String(row.Id));
  let serial = 0;
  const newLeads = async (n: number): Promise<string[]> => {
    const ids: string[] = [];
    // One at a time, so CreatedDate orders them (oldest first is what the queue promises).
    for (let i = 0; i < n; i += 1) {
      serial += 1;
      const created = (await client.conn.sobject('Lead').create({ LastName: `Held ${serial}`, Company: `Flow ${serial}`, LeadSource: 'Web', Segment__c: 'SMB' })) as { id: string };
      ids.push(created.id);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return ids;
  };

  beforeAll(async () => {
    test = await startTestOrg({ leads: 300, seed: 'assignment-flow-e2e' });
    // Only the stays this test's moves write: the floor's own history would add to the counts.
    expect(clearStageHistory(test)).toBeGreaterThan(0);
    client = await connectOrg(test.engineConfig());
    integrationId = client.userId as string;
    stations = new Map((await queryAll(client, 'SELECT Id, Key__c FROM Station__c')).map((row) => [String(row.Key__c), String(row.Id)]));
    coordinators = (await queryAll(client, "SELECT User__c FROM Rep_Capacity__c WHERE Station_Keys__c LIKE '%COORDINATE%' AND Active__c = true")).map((row) => String(row.User__c));
    // The sweep at start clears what the demo floor left waiting, before coordination fills up.
    const feature = assignmentFeature({ clock: () => MONDAY_AFTERNOON, onAssigned: (result) => results.push(result) });
    engine = await startEngine({ config: test.engineConfig(), features: [feature], jobStore: orgJobStore, replayStore: memoryReplayStore(), serveHttp: false, logger: silent, jobSyncSeconds: 3600 });
    assignment = [...feature.engines.values()][0] as AssignmentEngine;
    await assignment.idle();
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await test?.close();
  });

  it('holds every new lead back while coordination is at its WIP target, in the real-time path, and loses none', async () => {
    expect(coordinators.length).toBeGreaterThan(0);
    // Target 1 per coordinator: the WIP already there (booked meetings) fills it.
    await setCoordinationTarget(1);
    const wip = await coordinationWip();
    if (wip < coordinators.length) {
      await client.conn.sobject('Lead').create(
        Array.from({ length: coordinators.length - wip }, (_, i) => ({ LastName: `Booked ${i}`, Company: 'Booked', LeadSource: 'Web', Segment__c: 'SMB', Station__c: stations.get('COORDINATE'), OwnerId: coordinators[0] }))
      );
    }
    expect(await coordinationWip()).toBeGreaterThanOrEqual(coordinators.length);
    const before = await count(client, 'SELECT COUNT() FROM Assignment__c');
    results.length = 0;
    const ids = await newLeads(4);
    const run = await until(async () => {
      await assignment.idle();
      return results.find((result) => ids.every((id) => result.waiting.some((w) => w.assetId === id)));
    }, 'a real-time run that saw the new leads');
    expect(run.rows).toHaveLength(0);
    expect(run.gate).toMatchObject({ mayRelease: 0, limitedBy: 'COORDINATE' });
    expect(run.held).toBe(run.waiting.length);
    const held = run.waiting.filter((w) => ids.includes(w.assetId));
    expect(held.map((w) => w.assetId)).toEqual(ids);
    for (const w of held) expect(w).toMatchObject({ reason: 'held-by-flow-control', detail: expect.stringContaining('COORDINATE WIP') });
    // Nothing was written, nothing lost: the leads are still with the integration user.
    expect(await count(client, 'SELECT COUNT() FROM Assignment__c')).toBe(before);
    expect(await waitingIds()).toEqual(expect.arrayContaining(ids));
  });

  it('releases exactly what the free coordination WIP allows, oldest first, then the rest when it frees up', async () => {
    // Free 2 places at coordination: 0.5 of SDR releases reach it (the prior of its one
    // forward rule), so at most 4 leads may be released now. Four more arrive first (held).
    await newLeads(4);
    await assignment.idle();
    const wip = await coordinationWip();
    const perPerson = Math.ceil((wip + 2) / coordinators.length);
    await setCoordinationTarget(perPerson);
    const target = perPerson * coordinators.length;
    // Each run as a fresh process would do it (`asl assign`): no cache, a minute apart.
    const config = (minutes: number) => ({ station: 'SDR_CALL', now: new Date(MONDAY_AFTERNOON.getTime() + minutes * 60_000), unassignedOwnerId: integrationId, takesUnstationed: true, cache: { rows: new Map() } });
    const first = await runAssignment(client, config(1));
    expect(first.gate.stations.find((s) => s.station === 'COORDINATE')).toEqual({ station: 'COORDINATE', wip, wipTarget: target, headcount: coordinators.length });
    const held = first.waiting.filter((w) => w.reason === 'held-by-flow-control').map((w) => w.assetId);
    const released = first.rows.map((row) => row.assetId);
    expect(first.gate.limitedBy).toBe('COORDINATE');
    expect(first.gate.mayRelease).toBe(Math.floor((target - wip) / 0.5));
    expect(released).toHaveLength(first.gate.mayRelease);
    expect(held.length).toBeGreaterThan(0);
    expect(first.held).toBe(held.length);
    // Oldest first: in the queue's own order, every released lead comes before every held one.
    const order = await queryAll(
      client,
      `SELECT Id FROM Lead WHERE Id IN ('${[...released, ...held].join("','")}') ORDER BY Station_Entered_At__c ASC NULLS LAST, CreatedDate, Id`
    );
    expect(order.map((row) => String(row.Id))).toEqual([...released, ...held]);

    // Coordination catches up: everything held is assigned by the next run, which reads the
    // whole floor, WIP and open blocks included, in one call (the blocks from the station's
    // stored state, which the ledger proves current).
    await setCoordinationTarget(500);
    const second = await runAssignment(client, config(2));
    expect(second.stateSource).toBe('stored');
    expect(second.readCalls).toBe(1);
    expect(second.held).toBe(0);
    expect(second.rows.map((row) => row.assetId)).toEqual(expect.arrayContaining(held));
    const ledger = await queryAll(client, `SELECT Asset_Id__c, Rep__c FROM Assignment__c WHERE Asset_Id__c IN ('${[...released, ...held].join("','")}')`);
    expect(ledger.map((row) => row.Asset_Id__c).sort()).toEqual([...released, ...held].sort());
    const owners = new Map((await queryAll(client, `SELECT Id, OwnerId FROM Lead WHERE Id IN ('${[...released, ...held].join("','")}')`)).map((row) => [row.Id, row.OwnerId]));
    for (const row of ledger) expect(owners.get(row.Asset_Id__c)).toBe(row.Rep__c);
  });

  it('measures the share of SDR_CALL leavers that reach coordination from 90 days of stage events (station Names, as the flows write them)', async () => {
    const named = new Map((await queryAll(client, 'SELECT Key__c, Name FROM Station__c')).map((row) => [String(row.Key__c), String(row.Name)]));
    const sdr = named.get('SDR_CALL') as string;
    const coordinate = named.get('COORDINATE') as string;
    expect(sdr).not.toBe('SDR_CALL');
    // 60 visits of SDR_CALL closed 10 days ago, of which 9 went on to coordination; history
    // older than 90 days does not count.
    const at = (days: number) => new Date(MONDAY_AFTERNOON.getTime() - days * 86_400_000).toISOString();
    const visit = (i: number, to: string, from: string | null, entered: number, exited: number | null) => ({ Asset_Id__c: `00Q00000000H${String(i).padStart(3, '0')}`, Asset_Type__c: 'Lead', Kind__c: 'Station', To_Value__c: to, From_Value__c: from, Entered_At__c: at(entered), Exited_At__c: exited === null ? null : at(exited) });
    const history = [
      ...Array.from({ length: 60 }, (_, i) => visit(i, sdr, null, 12, 10)),
      ...Array.from({ length: 9 }, (_, i) => visit(i, coordinate, sdr, 10, 9)),
      ...Array.from({ length: 50 }, (_, i) => visit(100 + i, sdr, null, 130, 120)),
      ...Array.from({ length: 50 }, (_, i) => visit(100 + i, coordinate, sdr, 120, 119))
    ];
    for (let i = 0; i < history.length; i += 200) await client.conn.sobject('Stage_Event__c').create(history.slice(i, i + 200), { allOrNone: true });

    // What the window holds besides (the flows' own rows for the leads of this suite).
    const since = at(90);
    const exits = await count(client, `SELECT COUNT() FROM Stage_Event__c WHERE Kind__c = 'Station' AND To_Value__c = '${sdr}' AND Exited_At__c >= ${since}`);
    const moves = await count(client, `SELECT COUNT() FROM Stage_Event__c WHERE Kind__c = 'Station' AND To_Value__c = '${coordinate}' AND From_Value__c = '${sdr}' AND (Exited_At__c = null OR Exited_At__c >= ${since})`);
    expect(exits).toBeGreaterThanOrEqual(60);
    const share = moves / exits;
    expect(share).toBeLessThan(0.5);

    const wip = await coordinationWip();
    await setCoordinationTarget(Math.ceil((wip + 3) / coordinators.length));
    const target = Math.ceil((wip + 3) / coordinators.length) * coordinators.length;
    await newLeads(40);
    await assignment.idle();
    const run = await runAssignment(client, { station: 'SDR_CALL', now: new Date(MONDAY_AFTERNOON.getTime() + 5 * 60_000), unassignedOwnerId: integrationId, takesUnstationed: true, cache: { rows: new Map() }, dryRun: true });
    expect(run.gate.rates).toContainEqual({ from: 'SDR_CALL', to: 'COORDINATE', share, source: 'measured', exits, moves });
    expect(run.gate.limitedBy).toBe('COORDINATE');
    expect(run.gate.mayRelease).toBe(Math.floor((target - (await coordinationWip())) / share));
    expect(run.gate.reason).toMatch(/reach it per release \(measured over 90 days\)/);
    await setCoordinationTarget(500);
  });
});
