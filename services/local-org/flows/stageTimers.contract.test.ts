/**
 * The package's stage timers run in the local org as in a real org: the record-triggered
 * flows of the REAL force-app (docs/metadata.md, "How the flows keep stage timers") run on
 * every save, whatever API the save comes through. Behaviour followed:
 *
 * - Salesforce Help, "Record-Triggered Flows" / Apex Developer Guide, "Triggers and Order of
 *   Execution": before-save flows run before validation and the write and change the record
 *   itself (fast field updates); after-save flows run after the write, in the same transaction.
 * - Salesforce Help, "Flow Resources" ($Record, $Record__Prior, $Flow.CurrentDateTime, $User)
 *   and "Formula Operators and Functions" (ISNEW, ISCHANGED; datetime - datetime in days).
 * - Salesforce Help, "Record-Triggered Flow Considerations": flows run in system context and
 *   for every channel (UI, API, Bulk API).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Connection } from 'jsforce';
import { startOrg, type TestOrg } from '../test/harness';

const FORCE_APP = join(__dirname, '..', '..', '..', 'force-app');
const HAS_BULK2 = existsSync(join(__dirname, '..', 'bulk2', 'ingest.ts'));

interface StageEvent {
  Id: string;
  Kind__c: string;
  Asset_Id__c: string;
  Asset_Type__c: string;
  Lead__c: string | null;
  From_Value__c: string | null;
  To_Value__c: string | null;
  Entered_At__c: string;
  Exited_At__c: string | null;
  Duration_Minutes__c: number | null;
  Changed_By__c: string;
  OwnerId: string;
}

let t: TestOrg;
let conn: Connection;
let sdrCall: string;
let demo: string;

const T0 = '2026-03-18T15:30:00.000+0000';

async function events(leadId: string, kind?: 'Station' | 'Bin'): Promise<StageEvent[]> {
  const where = kind === undefined ? '' : ` AND Kind__c = '${kind}'`;
  const result = await conn.query<StageEvent>(
    `SELECT Id, Kind__c, Asset_Id__c, Asset_Type__c, Lead__c, From_Value__c, To_Value__c, Entered_At__c, Exited_At__c, Duration_Minutes__c, Changed_By__c, OwnerId FROM Stage_Event__c WHERE Asset_Id__c = '${leadId}'${where} ORDER BY Name`,
  );
  return result.records;
}

async function createLead(fields: Record<string, unknown> = {}): Promise<string> {
  const result = await conn.sobject('Lead').create({ LastName: 'Timer', Company: 'Stamp Co', LeadSource: 'Web', ...fields });
  if (!result.success) throw new Error(JSON.stringify(result));
  return result.id;
}

beforeAll(async () => {
  t = await startOrg({ forceAppDir: FORCE_APP });
  conn = await t.login();
  const stations = await conn.sobject('Station__c').create(
    [
      { Name: 'SDR Call', Key__c: 'SDR_CALL' },
      { Name: 'Demo', Key__c: 'DEMO' },
    ],
    { allOrNone: true },
  );
  [sdrCall, demo] = stations.map((result) => (result.success ? result.id : '')) as [string, string];
});

afterAll(() => t.close());

beforeEach(() => t.clock.set(T0));

describe('record-triggered flows of the package (ASL_Lead_*)', () => {
  it('puts a new lead without a bin in Cold, stamps the bin entry and opens a Bin stage event', async () => {
    const id = await createLead();
    const lead = await conn.sobject('Lead').retrieve(id);
    // Before save: the flow's assignment is part of the saved record, not a second write.
    expect(lead).toMatchObject({ Bin__c: 'Cold', Bin_Entered_At__c: T0, Station_Entered_At__c: null });
    expect(await events(id)).toEqual([
      expect.objectContaining({ Kind__c: 'Bin', Asset_Type__c: 'Lead', Lead__c: id, From_Value__c: null, To_Value__c: 'Cold', Entered_At__c: T0, Exited_At__c: null, Changed_By__c: t.org.store.adminUserId }),
    ]);
  });

  it('keeps a bin given on create and stamps it', async () => {
    const id = await createLead({ Bin__c: 'Working' });
    expect(await conn.sobject('Lead').retrieve(id)).toMatchObject({ Bin__c: 'Working', Bin_Entered_At__c: T0 });
    expect((await events(id, 'Bin')).map((e) => e.To_Value__c)).toEqual(['Working']);
  });

  it('changing Station__c stamps the entry, closes the open station stay with its duration and opens the next', async () => {
    const id = await createLead({ Station__c: sdrCall });
    expect(await conn.sobject('Lead').retrieve(id)).toMatchObject({ Station_Entered_At__c: T0 });
    t.clock.advance(90.5 * 60_000);
    const moved = '2026-03-18T17:00:30.000+0000';
    await conn.sobject('Lead').update({ Id: id, Station__c: demo });

    expect(await conn.sobject('Lead').retrieve(id)).toMatchObject({ Station__c: demo, Station_Entered_At__c: moved, Bin_Entered_At__c: T0 });
    const [closed, opened, ...rest] = await events(id, 'Station');
    expect(rest).toEqual([]);
    // The stay ends at the instant the next begins: the stamp of the before-save flow.
    expect(closed).toMatchObject({ From_Value__c: null, To_Value__c: 'SDR Call', Entered_At__c: T0, Exited_At__c: moved, Duration_Minutes__c: 90.5 });
    expect(opened).toMatchObject({ From_Value__c: 'SDR Call', To_Value__c: 'Demo', Entered_At__c: moved, Exited_At__c: null, Duration_Minutes__c: null });
    // The bin did not change: its stay stays open.
    expect(await events(id, 'Bin')).toEqual([expect.objectContaining({ To_Value__c: 'Cold', Exited_At__c: null })]);
  });

  it('an update that does not change Station__c or Bin__c writes no stage event and keeps the stamps', async () => {
    const id = await createLead({ Station__c: sdrCall });
    const before = await events(id);
    t.clock.advance(3_600_000);
    await conn.sobject('Lead').update({ Id: id, Phone: '+1 312 555 0100', Station__c: sdrCall });
    expect(await events(id)).toEqual(before);
    expect(await conn.sobject('Lead').retrieve(id)).toMatchObject({ Station_Entered_At__c: T0, Bin_Entered_At__c: T0 });
  });

  it('records the saving user as Changed_By__c and owner of the event (system context, $User is the saver)', async () => {
    const created = t.org.store.insert('User', { Username: 'sdr.flows@asl.local', LastName: 'Caller', Email: 'sdr.flows@asl.local' });
    const sdr = await t.login('sdr.flows@asl.local');
    const id = await createLead({ Station__c: sdrCall });
    await sdr.sobject('Lead').update({ Id: id, Station__c: demo });
    const opened = (await events(id, 'Station')).at(-1);
    expect(opened).toMatchObject({ To_Value__c: 'Demo', Changed_By__c: created.id, OwnerId: created.id });
  });

  it('runs for a collection update of 200 leads, one stay closed and one opened per lead', async () => {
    const created = await conn.sobject('Lead').create(
      Array.from({ length: 200 }, (_, i) => ({ LastName: `Batch ${i}`, Company: 'Batch Co', LeadSource: 'Web', Station__c: sdrCall })),
      { allOrNone: true },
    );
    const ids = created.map((result) => (result.success ? result.id : ''));
    t.clock.advance(15 * 60_000);
    const updated = await conn.sobject('Lead').update(ids.map((Id) => ({ Id, Station__c: demo })), { allOrNone: true });
    expect(updated.every((result) => result.success)).toBe(true);

    const stays = await conn.query<StageEvent>(
      `SELECT Asset_Id__c, To_Value__c, Exited_At__c, Duration_Minutes__c FROM Stage_Event__c WHERE Kind__c = 'Station' AND Lead__r.Company = 'Batch Co'`,
    );
    expect(stays.totalSize).toBe(400);
    const closed = stays.records.filter((e) => e.Exited_At__c !== null);
    expect(closed).toHaveLength(200);
    expect(closed.every((e) => e.To_Value__c === 'SDR Call' && e.Duration_Minutes__c === 15)).toBe(true);
    expect(new Set(stays.records.filter((e) => e.Exited_At__c === null && e.To_Value__c === 'Demo').map((e) => e.Asset_Id__c))).toEqual(new Set(ids));
  });

  // Bulk API 2.0 ingest belongs to services/local-org/bulk2; without it this case has nothing to drive.
  (HAS_BULK2 ? it : it.skip)('runs for a Bulk API 2.0 update job like for any other save', async () => {
    const ids = await Promise.all(['Bulk A', 'Bulk B', 'Bulk C'].map((LastName) => createLead({ LastName, Station__c: sdrCall })));
    t.clock.advance(45 * 60_000);
    conn.bulk2.pollInterval = 100;
    const csv = `Id,Station__c\n${ids.map((id) => `${id},${demo}`).join('\n')}\n`;
    const results = await conn.bulk2.loadAndWaitForResults({ object: 'Lead', operation: 'update', input: Readable.from([csv]) });
    expect(results.successfulResults).toHaveLength(3);
    for (const id of ids) {
      const [closed, opened] = await events(id, 'Station');
      expect(closed).toMatchObject({ To_Value__c: 'SDR Call', Duration_Minutes__c: 45 });
      expect(opened).toMatchObject({ From_Value__c: 'SDR Call', To_Value__c: 'Demo', Exited_At__c: null });
    }
  });

  it('a store write with runFlows: false (historical loaders) keeps its own stamps and writes no events', () => {
    const result = t.org.store.insert(
      'Lead',
      { LastName: 'Loaded', Company: 'History Co', LeadSource: 'Web', Station__c: sdrCall, Station_Entered_At__c: '2025-01-02T03:04:05.000Z' },
      { runFlows: false, silent: true },
    );
    const id = result.id as string;
    expect(t.org.store.get('Lead', id, ['Bin__c', 'Station_Entered_At__c'])).toMatchObject({ Bin__c: null, Station_Entered_At__c: '2025-01-02T03:04:05.000+0000' });
    expect(t.org.store.query(`SELECT COUNT() FROM Stage_Event__c WHERE Asset_Id__c = '${id}'`).totalSize).toBe(0);
  });
});

describe('a failing after-save write follows the flow fault path', () => {
  it('publishes FLOW_FAULT with $Flow.FaultMessage and still saves the lead (ASL_Lead_Station_Event)', async () => {
    const id = await createLead({ Station__c: sdrCall });
    // An open stay from 1700: its duration (> 99,999,999.99 minutes) overflows Number(10,2),
    // so the flow's update of it fails with NUMBER_OUTSIDE_VALID_RANGE.
    const [open] = await events(id, 'Station');
    t.org.store.update('Stage_Event__c', open?.Id as string, { Entered_At__c: '1700-01-01T00:00:00.000Z' });
    const signals: Array<Record<string, unknown>> = [];
    const listener = (message: { eventName: string; fields: Record<string, unknown> }): void => void (message.eventName === 'Engine_Signal__e' && signals.push(message.fields));
    t.org.events.on('platformEvent', listener);
    try {
      await conn.sobject('Lead').update({ Id: id, Station__c: demo });
    } finally {
      t.org.events.off('platformEvent', listener);
    }
    expect(await conn.sobject('Lead').retrieve(id)).toMatchObject({ Station__c: demo });
    expect(signals).toEqual([
      expect.objectContaining({
        Kind__c: 'FLOW_FAULT',
        Record_Id__c: id,
        Payload__c: expect.stringMatching(/^This error occurred when the flow tried to update records: NUMBER_OUTSIDE_VALID_RANGE: Duration \(Minutes\): value outside of valid range/),
      }),
    ]);
    // The fault path ends the interview: the stay stays open and no new one is created.
    expect((await events(id, 'Station')).map((e) => [e.To_Value__c, e.Exited_At__c])).toEqual([['SDR Call', null]]);
  });
});
