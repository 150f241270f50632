import { AssignmentEngine } from '../../services/engine/features/assignment';
import { processDispositions } from '../../services/engine/features/assignment/movementRun';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { queryAll } from '../../services/engine/org/reads';
import { startTestOrg, type TestOrg } from '../support/localOrg';

// User story: a disposition is marked processed only once its move is in the org. When the
// asset's update fails for good (here: UNABLE_TO_LOCK_ROW on every attempt, injected by the
// local org into the collection inside the Composite call, as a real org reports record
// contention per record: REST API Developer Guide, "sObject Collections" / "Composite"),
// the disposition stays unprocessed and the next run moves the asset: nothing is lost.
const NOW = new Date('2026-11-16T16:00:00.000Z');
const ATTEMPTS = 3;

describe('movement against the local org when an asset update fails', () => {
  let test: TestOrg;
  let client: OrgClient;
  let stations: Map<string, string>;
  let integrationId: string;

  const faults = async (rules: unknown[]): Promise<void> => {
    await fetch(`${test.url}/_local/faults`, { method: 'DELETE' });
    if (rules.length === 0) return;
    const response = await fetch(`${test.url}/_local/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });
    if (!response.ok) throw new Error(`fault rules refused: ${response.status} ${await response.text()}`);
  };

  beforeAll(async () => {
    test = await startTestOrg({ leads: 40, seed: 'assignment-movement-e2e' });
    client = await connectOrg(test.engineConfig({ retry: { maxAttempts: ATTEMPTS, baseDelayMs: 5, maxDelayMs: 20 } }));
    stations = new Map((await queryAll(client, 'SELECT Id, Key__c FROM Station__c')).map((row) => [String(row.Key__c), String(row.Id)]));
    integrationId = client.userId as string;
  }, 120_000);
  afterAll(async () => {
    await faults([]);
    await test?.close();
  });

  it('leaves a no-show unprocessed while its lead cannot be updated, and moves it on the next run', async () => {
    const [sdr, ae] = await Promise.all([
      queryAll(client, "SELECT User__c FROM Rep_Capacity__c WHERE Station_Keys__c LIKE '%SDR_CALL%' AND Active__c = true LIMIT 1"),
      queryAll(client, "SELECT User__c FROM Rep_Capacity__c WHERE Station_Keys__c LIKE '%DEMO%' AND Active__c = true LIMIT 1")
    ]);
    const booker = String(sdr[0]?.User__c);
    const aeId = String(ae[0]?.User__c);
    const lead = (await client.conn.sobject('Lead').create({ LastName: 'Locked', Company: 'Locked Row Inc', LeadSource: 'Web', Segment__c: 'SMB', Station__c: stations.get('DEMO'), Bin__c: 'Nurture - Active Opportunity', Booked_By__c: booker, OwnerId: aeId })) as { id: string };
    const entry = (await client.conn.sobject('Queue_Entry__c').create({ Entry_Key__c: `e2e-move:${lead.id}`, Lead__c: lead.id, Status__c: 'Open' })) as { id: string };
    const disposition = (await client.conn.sobject('Disposition__c').create({ Lead__c: lead.id, Station__c: stations.get('DEMO'), Outcome__c: 'No Show', Queue_Entry__c: entry.id })) as { id: string };
    const state = async () => ({
      lead: (await queryAll(client, `SELECT OwnerId, Station__c FROM Lead WHERE Id = '${lead.id}'`))[0],
      disposition: (await queryAll(client, `SELECT Processed_At__c FROM Disposition__c WHERE Id = '${disposition.id}'`))[0],
      entry: (await queryAll(client, `SELECT Status__c FROM Queue_Entry__c WHERE Id = '${entry.id}'`))[0],
      ledger: await queryAll(client, `SELECT Rep__c, Method__c FROM Assignment__c WHERE Asset_Id__c = '${lead.id}'`)
    });

    // Every record update sent as a collection (PATCH .../composite/sobjects) fails with
    // UNABLE_TO_LOCK_ROW, once per attempt: the lead's update fails for good.
    await faults([{ id: 'lead-locked', kind: 'lockRow', match: '^PATCH /services/data/v[0-9.]+/composite/sobjects$', rate: 1, times: ATTEMPTS }]);
    const failedRun = await processDispositions(client, { ids: [disposition.id], now: NOW, unassignedOwnerId: integrationId });
    expect(failedRun.failed).toEqual([expect.objectContaining({ key: `Lead:${lead.id}`, errorCode: 'UNABLE_TO_LOCK_ROW' })]);
    expect(failedRun.moved).toEqual([]);
    expect(failedRun.problems.join('\n')).toMatch(/1 disposition\(s\) not marked processed/);
    const after = await state();
    expect(after.lead).toEqual({ OwnerId: aeId, Station__c: stations.get('DEMO') });
    expect(after.disposition).toEqual({ Processed_At__c: null });
    expect(after.entry).toEqual({ Status__c: 'Open' });

    // The org is healthy again: the next run (a sweep: every unprocessed disposition) moves it.
    await faults([]);
    const retried = await processDispositions(client, { now: NOW, unassignedOwnerId: integrationId });
    expect(retried.moved).toContainEqual(expect.objectContaining({ dispositionId: disposition.id, assetId: lead.id }));
    expect(retried.failed).toEqual([]);
    const moved = await state();
    expect(moved.lead).toEqual({ OwnerId: booker, Station__c: stations.get('SDR_CALL') });
    expect(moved.disposition?.Processed_At__c).toEqual(expect.any(String));
    expect(moved.entry).toEqual({ Status__c: 'Done' });
    // The ledger row is upserted by its key: written once however many times the move was tried.
    expect(moved.ledger).toEqual([{ Rep__c: booker, Method__c: 'Return To Booker' }]);

    // A third run finds nothing left to move.
    const again = await processDispositions(client, { ids: [disposition.id], now: NOW, unassignedOwnerId: integrationId });
    expect(again.moved).toEqual([]);
  });

  it('keeps a later disposition of the same lead unprocessed too when the earlier one\'s move failed', async () => {
    const [sdr] = await queryAll(client, "SELECT User__c FROM Rep_Capacity__c WHERE Station_Keys__c LIKE '%SDR_CALL%' AND Active__c = true LIMIT 1");
    const owner = String(sdr?.User__c);
    const lead = (await client.conn.sobject('Lead').create({ LastName: 'Twice', Company: 'Twice Co', LeadSource: 'Web', Segment__c: 'SMB', Station__c: stations.get('SDR_CALL'), OwnerId: owner })) as { id: string };
    const booked = (await client.conn.sobject('Disposition__c').create({ Lead__c: lead.id, Station__c: stations.get('SDR_CALL'), Outcome__c: 'Meeting Booked', Rep__c: owner })) as { id: string };
    await new Promise((resolve) => setTimeout(resolve, 5));
    const late = (await client.conn.sobject('Disposition__c').create({ Lead__c: lead.id, Station__c: stations.get('SDR_CALL'), Outcome__c: 'Nurture', Rep__c: owner })) as { id: string };
    const stamps = async () => (await queryAll(client, `SELECT Id, Processed_At__c FROM Disposition__c WHERE Id IN ('${booked.id}', '${late.id}') ORDER BY Id`)).map((row) => row.Processed_At__c);

    await faults([{ id: 'lead-locked', kind: 'lockRow', match: '^PATCH /services/data/v[0-9.]+/composite/sobjects$', rate: 1, times: ATTEMPTS }]);
    const failedRun = await processDispositions(client, { ids: [booked.id, late.id], now: NOW, unassignedOwnerId: integrationId });
    await faults([]);
    // The second was only "about a station the lead has left" because of the first move, which failed.
    expect(failedRun.moved).toEqual([]);
    expect(await stamps()).toEqual([null, null]);

    const retried = await processDispositions(client, { ids: [booked.id, late.id], now: NOW, unassignedOwnerId: integrationId });
    expect(retried.moved.map((m) => m.dispositionId)).toEqual([booked.id]);
    expect((await stamps()).every((stamp) => typeof stamp === 'string')).toBe(true);
    expect((await queryAll(client, `SELECT Station__c, OwnerId FROM Lead WHERE Id = '${lead.id}'`))[0]).toEqual({ Station__c: stations.get('COORDINATE'), OwnerId: owner });
  });

  // A race between two movers: the Catch Up Sweep (hourly, and at every start) reads a lead, its
  // write is slow, a live Do Not Call moves the lead to Avoid meanwhile, and the sweep's write
  // of the place it had read then puts the lead back. The engine's moves take turns.
  it('does not let a slow Catch Up Sweep undo a live move made while it ran', async () => {
    const [sdr] = await queryAll(client, "SELECT User__c FROM Rep_Capacity__c WHERE Station_Keys__c LIKE '%SDR_CALL%' AND Active__c = true LIMIT 1");
    const owner = String(sdr?.User__c);
    const lead = (await client.conn.sobject('Lead').create({ LastName: 'Closed', Company: 'Closed Meanwhile Co', LeadSource: 'Web', Segment__c: 'SMB', Station__c: stations.get('SDR_CALL'), Bin__c: 'Working', OwnerId: owner })) as { id: string };
    // Unprocessed, so the sweep has it to move.
    await client.conn.sobject('Disposition__c').create({ Lead__c: lead.id, Station__c: stations.get('SDR_CALL'), Outcome__c: 'No Answer', Rep__c: owner });
    const engine = new AssignmentEngine(client, { clock: () => NOW });

    // The sweep's lead update is held back 1.5 s on its way to the org, as a slow network
    // would (after its read: the local org's fault rules cannot tell a read from a write, both
    // being Composite calls, so the hold is on the engine's side of the wire).
    const request = client.conn.request.bind(client.conn);
    let held: (() => void) | undefined;
    const sent = new Promise<void>((resolve) => (held = resolve));
    const spy = jest.spyOn(client.conn, 'request').mockImplementation(((info: { url?: string; body?: string }, ...rest: unknown[]) => {
      if (held && /\/composite$/.test(info.url ?? '') && info.body?.includes(lead.id) && info.body.includes('"Bin__c"')) {
        const release = held;
        held = undefined;
        release();
        return new Promise((resolve) => setTimeout(resolve, 1500)).then(() => (request as (...args: unknown[]) => unknown)(info, ...rest));
      }
      return (request as (...args: unknown[]) => unknown)(info, ...rest);
    }) as typeof client.conn.request);
    try {
      const sweep = engine.sweep();
      await sent;
      // Meanwhile the SDR closes the lead; the live path moves it.
      const close = (await client.conn.sobject('Disposition__c').create({ Lead__c: lead.id, Station__c: stations.get('SDR_CALL'), Outcome__c: 'Do Not Call', Rep__c: owner })) as { id: string };
      const [live] = await Promise.all([engine.move([close.id]), sweep]);
      expect(live.moved).toEqual([expect.objectContaining({ dispositionId: close.id, to: expect.objectContaining({ bin: 'Avoid - Bad Fit' }) })]);
    } finally {
      spy.mockRestore();
    }
    expect((await queryAll(client, `SELECT Bin__c FROM Lead WHERE Id = '${lead.id}'`))[0]).toEqual({ Bin__c: 'Avoid - Bad Fit' });
    const left = await queryAll(client, `SELECT Id FROM Disposition__c WHERE Lead__c = '${lead.id}' AND Processed_At__c = null`);
    expect(left).toEqual([]);
  }, 30_000);

  it('stamps a disposition only after its move: a successful run costs one read and two write calls', async () => {
    const [ae] = await queryAll(client, "SELECT User__c FROM Rep_Capacity__c WHERE Station_Keys__c LIKE '%SDR_CALL%' AND Active__c = true LIMIT 1");
    const owner = String(ae?.User__c);
    const lead = (await client.conn.sobject('Lead').create({ LastName: 'Nurtured', Company: 'Later Ltd', LeadSource: 'Web', Segment__c: 'SMB', Station__c: stations.get('SDR_CALL'), OwnerId: owner })) as { id: string };
    const disposition = (await client.conn.sobject('Disposition__c').create({ Lead__c: lead.id, Station__c: stations.get('SDR_CALL'), Outcome__c: 'Nurture', Rep__c: owner })) as { id: string };
    const run = await processDispositions(client, { ids: [disposition.id], now: NOW, unassignedOwnerId: integrationId });
    expect(run.moved).toHaveLength(1);
    expect(run.apiCalls).toBe(3);
    expect((await queryAll(client, `SELECT Bin__c FROM Lead WHERE Id = '${lead.id}'`))[0]).toEqual({ Bin__c: 'Nurture - Check Back Quarterly' });
  });
});
