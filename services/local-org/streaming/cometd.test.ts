/**
 * The CometD endpoint driven by jsforce's streaming client (faye, long-polling), on a bare
 * HTTP server, with change notifications injected as the store emits them. The contract
 * test (test/contract/streaming.test.ts) covers the same through REST writes.
 *
 * Salesforce behaviour checked, Streaming API Developer Guide: "Handling Streaming API
 * Errors" (403::Handshake denied + 401::Authentication invalid), "Streaming API Error
 * Codes" (unknown channel, invalid replayId), "Message Durability" (-1, -2, replay after
 * an id); Change Data Capture Developer Guide: "Subscription Channels".
 */
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/api/streaming';
import { SessionStore } from '../auth/sessions';
import { sobject, text } from '../schema/build';
import type { OrgSchema, SObjectDef } from '../schema/types';
import type { ChangeEvent, PlatformEventMessage } from '../store/types';
import { StreamingService } from './cometd';

const objects: SObjectDef[] = [
  sobject({ name: 'Lead', keyPrefix: '00Q', owner: true, fields: [text('LastName', 80), text('Company', 255)] }),
  sobject({ name: 'Account', keyPrefix: '001', owner: true, fields: [text('Name', 255)] }),
  sobject({ name: 'Engine_Signal__e', keyPrefix: 'e00', owner: false, fields: [text('Kind__c', 40)] }),
];
const schema: OrgSchema = {
  objects: new Map(objects.map((o) => [o.name, o])),
  find: (name) => objects.find((o) => o.name.toLowerCase() === name.toLowerCase()),
  byKeyPrefix: (prefix) => objects.find((o) => o.keyPrefix === prefix),
  field: (object, name) => object.fields.find((f) => f.name.toLowerCase() === name.toLowerCase()),
  relationship: () => undefined,
  childRelationship: () => undefined,
};

interface Harness {
  url: string;
  token: string;
  events: EventEmitter;
  service: StreamingService;
  server: Server;
}

const harnesses: Harness[] = [];
/** jsforce's faye typings omit disconnect(), which faye's client has. */
type FayeClient = { disconnect(): unknown };
const clients: FayeClient[] = [];

/** Lets a faye client say goodbye (its /meta/disconnect), so it stops polling the server. */
async function disconnect(client: { disconnect(): unknown }): Promise<void> {
  const pending = client.disconnect() as PromiseLike<unknown> | undefined;
  if (pending === undefined) return;
  await Promise.race([Promise.resolve(pending).catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 500))]);
}

async function start(logPath = ':memory:'): Promise<Harness> {
  const sessions = new SessionStore(() => new Date(), 3600);
  const token = sessions.create({ userId: '0058d0000000001AAA', username: 'admin@asl.local', orgId: '00D8d0000000001AAA' }, 'password').accessToken;
  const events = new EventEmitter();
  const service = new StreamingService({ schema, sessions, events, now: () => new Date(), apiVersion: '62.0', logPath, longPollSeconds: 2 });
  const server = createServer((_req, res) => res.writeHead(404).end());
  service.attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const harness = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token, events, service, server };
  harnesses.push(harness);
  return harness;
}

async function stop(harness: Harness): Promise<void> {
  harness.service.close();
  const closed = new Promise((resolve) => harness.server.close(resolve));
  harness.server.closeAllConnections();
  await closed;
}

afterEach(async () => {
  for (const client of clients.splice(0)) await disconnect(client);
  for (const harness of harnesses.splice(0)) if (harness.server.listening) await stop(harness);
});

function leadCreated(id: string, lastName: string): ChangeEvent {
  return { entityName: 'Lead', changeType: 'CREATE', recordIds: [id], changedFields: [], commitTimestamp: Date.now(), commitUser: '0058d0000000001AAA', fields: { LastName: lastName, Company: 'Acme' } };
}

type Message = { payload: Record<string, unknown>; event: { replayId: number } };

/** Subscribes through jsforce's streaming client with the replay extension. */
async function subscribe(harness: Harness, channel: string, replayId: number | undefined, token = harness.token): Promise<{ messages: Message[] }> {
  const conn = new Connection({ instanceUrl: harness.url, accessToken: token, version: '62.0' });
  const extensions = replayId === undefined ? [] : [new StreamingExtension.Replay(channel, replayId)];
  const client = conn.streaming.createClient(extensions);
  clients.push(client as unknown as FayeClient);
  const messages: Message[] = [];
  await client.subscribe(channel, (message: Message) => messages.push(message));
  return { messages };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let waited = 0; waited < 5000; waited += 20) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('CometD endpoint', () => {
  it('delivers change events on /data/LeadChangeEvent with increasing replay ids', async () => {
    const harness = await start();
    const sub = await subscribe(harness, '/data/LeadChangeEvent', -1);
    harness.events.emit('change', leadCreated('00Q8d0000000001AAA', 'One'));
    harness.events.emit('change', leadCreated('00Q8d0000000002AAA', 'Two'));
    await until(() => sub.messages.length === 2, 'two lead events');
    expect(sub.messages.map((m) => (m.payload.ChangeEventHeader as { recordIds: string[] }).recordIds[0])).toEqual(['00Q8d0000000001AAA', '00Q8d0000000002AAA']);
    const [a, b] = sub.messages.map((m) => m.event.replayId);
    expect(b).toBeGreaterThan(a as number);
  });

  it('replays -2 (all retained), after a replay id, and refuses an id outside the window', async () => {
    const harness = await start();
    for (const n of [1, 2, 3]) harness.events.emit('change', leadCreated(`00Q8d000000000${n}AAA`, `L${n}`));
    harness.service.flush();
    const all = await subscribe(harness, '/data/LeadChangeEvent', -2);
    await until(() => all.messages.length === 3, 'three replayed events');
    const second = all.messages[1]?.event.replayId as number;
    const after = await subscribe(harness, '/data/LeadChangeEvent', second);
    await until(() => after.messages.length === 1, 'one event after the second');
    expect(after.messages[0]?.payload.LastName).toBe('L3');
    await expect(subscribe(harness, '/data/LeadChangeEvent', 9999)).rejects.toMatchObject({
      message: expect.stringContaining('400::The replayId {9999} you provided was invalid'),
    });
  });

  it('carries every entity on /data/ChangeEvents and platform events on /event/Name__e', async () => {
    const harness = await start();
    const all = await subscribe(harness, '/data/ChangeEvents', -1);
    const signals = await subscribe(harness, '/event/Engine_Signal__e', -1);
    harness.events.emit('change', leadCreated('00Q8d0000000001AAA', 'One'));
    harness.events.emit('change', { ...leadCreated('0018d0000000001AAA', 'x'), entityName: 'Account', fields: { Name: 'Acme' } });
    const published: PlatformEventMessage = { eventName: 'Engine_Signal__e', id: 'e008d0000000001AAA', publishedAt: Date.now(), fields: { Kind__c: 'RERANKED', CreatedById: '0058d0000000001AAA', CreatedDate: '2024-01-01T00:00:00.000Z' } };
    harness.events.emit('platformEvent', published);
    await until(() => all.messages.length === 2 && signals.messages.length === 1, 'events on both channels');
    expect(all.messages.map((m) => (m.payload.ChangeEventHeader as { entityName: string }).entityName)).toEqual(['Lead', 'Account']);
    expect(signals.messages[0]?.payload).toMatchObject({ Kind__c: 'RERANKED', CreatedById: '0058d0000000001AAA' });
    expect(signals.messages[0]?.event.replayId).toBeGreaterThan(0);
  });

  it('refuses channels that do not exist', async () => {
    const harness = await start();
    await expect(subscribe(harness, '/data/NopeChangeEvent', -1)).rejects.toMatchObject({
      message: '400::The channel you requested to subscribe to does not exist {/data/NopeChangeEvent}',
    });
  });

  it('denies the handshake of an invalid session with reconnect none', async () => {
    const harness = await start();
    const conn = new Connection({ instanceUrl: harness.url, accessToken: 'not-a-session', version: '62.0' });
    const failures: Array<Record<string, unknown>> = [];
    const client = conn.streaming.createClient([new StreamingExtension.AuthFailure((message: Record<string, unknown>) => failures.push(message))]);
    clients.push(client as unknown as FayeClient);
    client.subscribe('/data/LeadChangeEvent', () => undefined);
    await until(() => failures.length > 0, 'the auth failure');
    expect(failures[0]).toMatchObject({ channel: '/meta/handshake', error: '403::Handshake denied', advice: { reconnect: 'none' }, ext: { sfdc: { failureReason: '401::Authentication invalid' } } });
  });

  it('keeps events and replay ids across a restart of the org', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cometd-'));
    try {
      const first = await start(join(dir, 'streaming.sqlite'));
      first.events.emit('change', leadCreated('00Q8d0000000001AAA', 'Before'));
      first.service.flush();
      await stop(first);
      const second = await start(join(dir, 'streaming.sqlite'));
      const replay = await subscribe(second, '/data/LeadChangeEvent', -2);
      await until(() => replay.messages.length === 1, 'the event from before the restart');
      second.events.emit('change', leadCreated('00Q8d0000000002AAA', 'After'));
      await until(() => replay.messages.length === 2, 'the event after the restart');
      expect(replay.messages.map((m) => m.event.replayId)).toEqual([1, 2]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
