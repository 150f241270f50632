/**
 * Streaming contract: jsforce's streaming client (CometD over long-polling, with the
 * replay extension) receives the org's change events and platform events as it would from
 * Salesforce, with records written through the REST API. The org runs with the package's
 * own force-app.
 *
 * Salesforce behaviour checked: Change Data Capture Developer Guide ("Subscription
 * Channels", "Change Event Message Structure", "ChangeEventHeader Fields"); Streaming API
 * Developer Guide ("Message Durability": replay from a replay id gives the events after
 * it); Platform Events Developer Guide ("Publish Event Messages with Salesforce APIs",
 * "Subscribe to Platform Event Notifications with CometD").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/api/streaming';
import { startOrg, type TestOrg } from '../test/harness';

const FORCE_APP = join(__dirname, '..', '..', '..', 'force-app');

type Header = { entityName: string; recordIds: string[]; changeType: string; changedFields: string[]; commitUser: string; transactionKey: string; sequenceNumber: number };
type Message = { payload: Record<string, unknown> & { ChangeEventHeader?: Header }; event: { replayId: number; EventUuid?: string } };
/** jsforce's faye typings omit disconnect(), which faye's client has. */
type FayeClient = { disconnect(): PromiseLike<unknown> | undefined };

const dataDir = mkdtempSync(join(tmpdir(), 'asl-streaming-contract-'));
let t: TestOrg;
let conn: Connection;
const clients: FayeClient[] = [];

beforeAll(async () => {
  t = await startOrg({ forceAppDir: FORCE_APP, dataDir });
  conn = await t.login();
});

afterEach(async () => {
  for (const client of clients.splice(0)) await disconnect(client);
});

afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function disconnect(client: FayeClient): Promise<void> {
  await Promise.race([Promise.resolve(client.disconnect()).catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 500))]);
}

/** Subscribes the way the jsforce docs show: createClient with the Replay extension. */
async function subscribe(connection: Connection, channel: string, replayId: number): Promise<{ messages: Message[]; client: FayeClient }> {
  const client = connection.streaming.createClient([new StreamingExtension.Replay(channel, replayId)]);
  const fayeClient = client as unknown as FayeClient;
  clients.push(fayeClient);
  const messages: Message[] = [];
  await client.subscribe(channel, (message: Message) => messages.push(message));
  return { messages, client: fayeClient };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 25) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function createLeads(names: string[]): Promise<string[]> {
  const results = await conn.sobject('Lead').create(names.map((LastName) => ({ LastName, Company: 'Streaming Co', LeadSource: 'Web' })), { allOrNone: true });
  return results.map((r) => r.id as string);
}

describe('change events over CometD', () => {
  it('delivers LeadChangeEvent for leads created and updated through REST', async () => {
    const sub = await subscribe(conn, '/data/LeadChangeEvent', -1);
    const [id] = await createLeads(['Event One']);
    await conn.sobject('Lead').update({ Id: id as string, Status: 'Working - Contacted' });
    await until(() => sub.messages.length === 2, 'a CREATE and an UPDATE event');
    const [created, updated] = sub.messages.map((m) => m.payload);
    expect(created?.ChangeEventHeader).toMatchObject({ entityName: 'Lead', changeType: 'CREATE', recordIds: [id], changedFields: [], commitUser: t.org.store.adminUserId, sequenceNumber: 1 });
    expect(created).toMatchObject({ Name: { LastName: 'Event One' }, Company: 'Streaming Co', LeadSource: 'Web', Email: null });
    expect(updated?.ChangeEventHeader).toMatchObject({ changeType: 'UPDATE', recordIds: [id] });
    expect(updated?.ChangeEventHeader?.changedFields).toEqual(expect.arrayContaining(['Status', 'LastModifiedDate']));
    expect(updated).toMatchObject({ Status: 'Working - Contacted' });
    expect(updated).not.toHaveProperty('Company');
  });

  it('numbers the changes of one collection request as one transaction, across entities', async () => {
    const leadsOnly = await subscribe(conn, '/data/LeadChangeEvent', -1);
    const everything = await subscribe(conn, '/data/ChangeEvents', -1);
    await createLeads(['Tx A', 'Tx B', 'Tx C']);
    await until(() => leadsOnly.messages.length === 3, 'three lead events');
    const headers = leadsOnly.messages.map((m) => m.payload.ChangeEventHeader as Header);
    expect(new Set(headers.map((h) => h.transactionKey)).size).toBe(1);
    // The package's record-triggered flows write Stage_Event__c rows in the same
    // transaction, so the sequence runs over every entity: 1..n without gaps or repeats.
    const key = headers[0]?.transactionKey;
    await until(() => everything.messages.filter((m) => m.payload.ChangeEventHeader?.transactionKey === key).length >= 3, 'the transaction on /data/ChangeEvents');
    const sequence = everything.messages.filter((m) => m.payload.ChangeEventHeader?.transactionKey === key).map((m) => m.payload.ChangeEventHeader?.sequenceNumber);
    expect(sequence).toEqual(sequence.map((_n, i) => i + 1));
    expect(headers.map((h) => h.sequenceNumber).every((n, i, all) => i === 0 || n > (all[i - 1] as number))).toBe(true);
  });

  it('after a disconnect, resubscribing from the last replay id delivers exactly the missed events', async () => {
    const first = await subscribe(conn, '/data/LeadChangeEvent', -1);
    await createLeads(['Before 1', 'Before 2']);
    await until(() => first.messages.length === 2, 'the events before the disconnect');
    const lastSeen = first.messages[1]?.event.replayId as number;
    await disconnect(first.client);
    const missed = await createLeads(['Missed 1', 'Missed 2', 'Missed 3']);
    const second = await subscribe(conn, '/data/LeadChangeEvent', lastSeen);
    await until(() => second.messages.length >= 3, 'the missed events');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(second.messages.map((m) => m.payload.ChangeEventHeader?.recordIds[0])).toEqual(missed);
    const replayIds = second.messages.map((m) => m.event.replayId);
    expect(replayIds.every((id, i) => id > (i === 0 ? lastSeen : (replayIds[i - 1] as number)))).toBe(true);
  });

  it('carries custom objects on /data/<Name>__ChangeEvent and every entity on /data/ChangeEvents', async () => {
    const dispositions = await subscribe(conn, '/data/Disposition__ChangeEvent', -1);
    const all = await subscribe(conn, '/data/ChangeEvents', -1);
    const [leadId] = await createLeads(['Disposed']);
    const disposition = await conn.sobject('Disposition__c').create({ Lead__c: leadId, Outcome__c: 'No Answer' });
    const mine = (): Array<string | undefined> => all.messages.filter((m) => [leadId, disposition.id].includes(m.payload.ChangeEventHeader?.recordIds[0])).map((m) => m.payload.ChangeEventHeader?.entityName);
    await until(() => dispositions.messages.length === 1 && mine().length === 2, 'both channels');
    expect(dispositions.messages[0]?.payload).toMatchObject({ ChangeEventHeader: { entityName: 'Disposition__c', recordIds: [disposition.id] }, Outcome__c: 'No Answer', Lead__c: leadId });
    expect(mine()).toEqual(['Lead', 'Disposition__c']);
  });
});

describe('platform events over CometD', () => {
  it('delivers an event published with REST POST /sobjects/Engine_Signal__e to /event/Engine_Signal__e', async () => {
    const sub = await subscribe(conn, '/event/Engine_Signal__e', -1);
    const published = await conn.sobject('Engine_Signal__e').create({ Kind__c: 'RERANKED', Record_Id__c: '00Q000000000001', Payload__c: '{"n":1}' });
    expect(published.success).toBe(true);
    await until(() => sub.messages.length === 1, 'the platform event');
    const [message] = sub.messages;
    expect(message?.payload).toMatchObject({ Kind__c: 'RERANKED', Record_Id__c: '00Q000000000001', Payload__c: '{"n":1}', CreatedById: t.org.store.adminUserId });
    expect(message?.payload.CreatedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(message?.event.replayId).toBeGreaterThan(0);
    expect(message?.event.EventUuid).toEqual(expect.any(String));
  });
});

describe('durability across a restart (events are retained 72 hours)', () => {
  it('replays events stored before the org restarted from its data directory', async () => {
    const [id] = await createLeads(['Survivor']);
    const beforeRestart = await subscribe(conn, '/data/LeadChangeEvent', -2);
    await until(() => beforeRestart.messages.some((m) => m.payload.ChangeEventHeader?.recordIds[0] === id), 'the event before the restart');
    const replayId = beforeRestart.messages.find((m) => m.payload.ChangeEventHeader?.recordIds[0] === id)?.event.replayId;
    for (const client of clients.splice(0)) await disconnect(client);
    await t.close();
    t = await startOrg({ forceAppDir: FORCE_APP, dataDir }, t.clock);
    conn = await t.login();
    const afterRestart = await subscribe(conn, '/data/LeadChangeEvent', -2);
    await until(() => afterRestart.messages.some((m) => m.payload.ChangeEventHeader?.recordIds[0] === id), 'the same event after the restart');
    expect(afterRestart.messages.find((m) => m.payload.ChangeEventHeader?.recordIds[0] === id)?.event.replayId).toBe(replayId);
  });
});
