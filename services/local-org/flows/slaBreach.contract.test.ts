/**
 * The package's stage-timer flows (ASL_*_Station_Event) stamp each station stay with its SLA
 * due time and flag a stay that ends after it, in the local org as in a real org. Behaviour
 * followed: Salesforce Help, "Flow Resources" (formula resources, $Record cross-object
 * references such as $Record.Station__r.SLA_Hours__c) and "Formula Operators and Functions"
 * (datetime + number adds days; IF, ISBLANK, NULL); "Record-Triggered Flows" (after-save flows
 * update related records in the same transaction).
 */
import { join } from 'node:path';
import type { Connection } from 'jsforce';
import { startOrg, type TestOrg } from '../test/harness';

const FORCE_APP = join(__dirname, '..', '..', '..', 'force-app');
const T0 = '2026-03-18T15:00:00.000+0000';
const HOUR = 3_600_000;

interface Stay {
  To_Value__c: string;
  Entered_At__c: string;
  Exited_At__c: string | null;
  SLA_Due_At__c: string | null;
  SLA_Breached__c: boolean;
  Breached_At__c: string | null;
}

let t: TestOrg;
let conn: Connection;
let quick: string;
let slow: string;
let noSla: string;

async function stays(leadId: string): Promise<Stay[]> {
  const result = await conn.query<Stay>(
    `SELECT To_Value__c, Entered_At__c, Exited_At__c, SLA_Due_At__c, SLA_Breached__c, Breached_At__c FROM Stage_Event__c WHERE Asset_Id__c = '${leadId}' AND Kind__c = 'Station' ORDER BY Name`,
  );
  return result.records;
}

async function leadAt(station: string): Promise<string> {
  const result = await conn.sobject('Lead').create({ LastName: 'Sla', Company: 'Sla Co', LeadSource: 'Web', Station__c: station });
  if (!result.success) throw new Error(JSON.stringify(result));
  return result.id;
}

beforeAll(async () => {
  t = await startOrg({ forceAppDir: FORCE_APP });
  conn = await t.login();
  const created = await conn.sobject('Station__c').create(
    [
      { Name: 'Coordinate', Key__c: 'COORDINATE', SLA_Hours__c: 4 },
      { Name: 'Proposal', Key__c: 'PROPOSAL', SLA_Hours__c: 336 },
      { Name: 'Parking', Key__c: 'PARKING' },
    ],
    { allOrNone: true },
  );
  [quick, slow, noSla] = created.map((r) => (r.success ? r.id : '')) as [string, string, string];
});

afterAll(() => t.close());

beforeEach(() => t.clock.set(T0));

describe('SLA due time and breach flag on station stays (ASL_*_Station_Event)', () => {
  it('stamps SLA_Due_At__c = entry + the station\u2019s SLA hours when the stay opens, unflagged', async () => {
    const id = await leadAt(quick);
    expect(await stays(id)).toEqual([
      expect.objectContaining({ To_Value__c: 'Coordinate', Entered_At__c: T0, SLA_Due_At__c: '2026-03-18T19:00:00.000+0000', SLA_Breached__c: false, Breached_At__c: null }),
    ]);
  });

  it('flags a stay that ends after its due time, with Breached_At__c = the due time', async () => {
    const id = await leadAt(quick);
    t.clock.advance(5 * HOUR);
    await conn.sobject('Lead').update({ Id: id, Station__c: slow });
    const [closed, opened] = await stays(id);
    expect(closed).toMatchObject({ Exited_At__c: '2026-03-18T20:00:00.000+0000', SLA_Breached__c: true, Breached_At__c: '2026-03-18T19:00:00.000+0000' });
    expect(opened).toMatchObject({ To_Value__c: 'Proposal', SLA_Due_At__c: '2026-04-01T20:00:00.000+0000', SLA_Breached__c: false });
  });

  it('leaves a stay that ends in time unflagged', async () => {
    const id = await leadAt(quick);
    t.clock.advance(4 * HOUR);
    await conn.sobject('Lead').update({ Id: id, Station__c: slow });
    expect((await stays(id))[0]).toMatchObject({ Exited_At__c: '2026-03-18T19:00:00.000+0000', SLA_Breached__c: false, Breached_At__c: null });
  });

  it('keeps a flag set while the stay was open (the engine flags stays still open past due)', async () => {
    const id = await leadAt(slow);
    const [open] = (await conn.query<{ Id: string }>(`SELECT Id FROM Stage_Event__c WHERE Asset_Id__c = '${id}' AND Kind__c = 'Station'`)).records;
    await conn.sobject('Stage_Event__c').update({ Id: open?.Id as string, SLA_Breached__c: true, Breached_At__c: '2026-04-01T15:00:00.000+0000' });
    t.clock.advance(HOUR);
    await conn.sobject('Lead').update({ Id: id, Station__c: quick });
    expect((await stays(id))[0]).toMatchObject({ SLA_Breached__c: true, Breached_At__c: '2026-04-01T15:00:00.000+0000' });
  });

  it('stamps no due time and never flags a station without an SLA', async () => {
    const id = await leadAt(noSla);
    t.clock.advance(1000 * HOUR);
    await conn.sobject('Lead').update({ Id: id, Station__c: quick });
    expect((await stays(id))[0]).toMatchObject({ To_Value__c: 'Parking', SLA_Due_At__c: null, SLA_Breached__c: false, Breached_At__c: null });
  });
});
