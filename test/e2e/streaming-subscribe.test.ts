import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { orgJobStore } from '../../services/engine/org/jobStore';
import { createLogger } from '../../services/engine/observability/log';
import { startEngine } from '../../services/engine/service';
import { fileReplayStore, memoryReplayStore, subscribe, type StreamingMessage, type Subscription } from '../../services/engine/org/streaming';
import { SubscriptionRefusedError } from '../../services/engine/errors';
import { startTestOrg, type TestOrg } from '../support/localOrg';
import { waitFor } from '../support/eventually';

// User story: two features listen to the same change events (the queue and assignment both
// hear of new leads). Each keeps its own place in the stream, so a crash replays to the slow
// one what it had not handled, even when the fast one was further on; and each reports its
// backlog, which is how an operator sees the engine falling behind.
describe('change event subscriptions against the local org', () => {
  let test: TestOrg;
  let client: OrgClient;
  const subscriptions: Subscription[] = [];
  let dir: string;
  /** The replayIds of the three lead events of the first test. */
  let seen: number[] = [];

  beforeAll(async () => {
    test = await startTestOrg({ leads: 5, seed: 'streaming-e2e' });
    client = await connectOrg(test.engineConfig());
    dir = mkdtempSync(path.join(os.tmpdir(), 'asl-replay-'));
  }, 60_000);
  afterAll(async () => {
    for (const subscription of subscriptions) subscription.cancel();
    await test?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a replayId per listener and reports each listener\'s backlog', async () => {
    const store = memoryReplayStore();
    const fast: StreamingMessage[] = [];
    const slow: StreamingMessage[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const pending: number[] = [];
    subscriptions.push(
      await subscribe(client, '/data/LeadChangeEvent', store, async (message) => void fast.push(message), () => undefined, { replayKey: 'queue:/data/LeadChangeEvent' }),
      await subscribe(
        client,
        '/data/LeadChangeEvent',
        store,
        async (message) => {
          slow.push(message);
          await gate;
        },
        () => undefined,
        { replayKey: 'assignment:/data/LeadChangeEvent', onPending: (count) => pending.push(count) }
      )
    );
    for (const company of ['First Co', 'Second Co', 'Third Co']) await client.conn.sobject('Lead').create({ LastName: 'Stream', Company: company, LeadSource: 'Web', Segment__c: 'SMB' });

    await waitFor('the fast listener to handle all three', async () => fast.length === 3 && pending.includes(3));
    seen = fast.map((message) => message.event.replayId);
    const last = seen[2];
    expect(await store.get('queue:/data/LeadChangeEvent')).toBe(last);
    // The slow listener is still on its first event: nothing of it saved, three waiting.
    expect(slow).toHaveLength(1);
    expect(await store.get('assignment:/data/LeadChangeEvent')).toBeUndefined();
    expect(Math.max(...pending)).toBe(3);

    release();
    await waitFor('the slow listener to catch up', async () => slow.length === 3 && pending[pending.length - 1] === 0);
    expect(await store.get('assignment:/data/LeadChangeEvent')).toBe(last);
  }, 30_000);

  it('refuses to start on a channel the org does not have, naming it', async () => {
    await expect(subscribe(client, '/data/NoSuchChangeEvent', memoryReplayStore(), async () => undefined, () => undefined)).rejects.toThrow(SubscriptionRefusedError);
  }, 30_000);

  it('starts a listener with no replayId of its own from the one kept for its channel (before keys per listener)', async () => {
    const file = path.join(dir, 'replay.json');
    const [first, second, third] = seen;
    writeFileSync(file, JSON.stringify({ '/data/LeadChangeEvent': first }));
    const replayed: StreamingMessage[] = [];
    subscriptions.push(await subscribe(client, '/data/LeadChangeEvent', fileReplayStore(file), async (message) => void replayed.push(message), () => undefined, { replayKey: 'calendar:/data/LeadChangeEvent' }));
    // The retained events after the channel's replayId are replayed to it, not the one before.
    await waitFor('the retained events after the first', async () => replayed.length >= 2);
    expect(replayed.map((message) => message.event.replayId)).toEqual([second, third]);
    await waitFor('the listener\'s own replayId in the file', async () => {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
      return stored['calendar:/data/LeadChangeEvent'] === third && stored['/data/LeadChangeEvent'] === first;
    });
  }, 30_000);

  it('starts the engine without a refused channel, saying which and what to do', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(String(chunk));
        done();
      }
    });
    const heard: StreamingMessage[] = [];
    const engine = await startEngine({
      config: test.engineConfig(),
      features: [
        {
          name: 'probe',
          listeners: () => [
            { channel: '/data/NoSuchChangeEvent', handle: async () => undefined },
            { channel: '/data/LeadChangeEvent', handle: async (message) => void heard.push(message) }
          ]
        }
      ],
      jobStore: orgJobStore,
      replayStore: memoryReplayStore(),
      serveHttp: false,
      logger: createLogger({ destination }),
      jobSyncSeconds: 3600
    });
    try {
      const refused = lines.map((line) => JSON.parse(line) as { level: number; msg: string; channel?: string }).find((entry) => entry.msg.startsWith('subscription refused'));
      expect(refused).toMatchObject({ level: 50, channel: '/data/NoSuchChangeEvent' });
      expect(refused?.msg).toMatch(/select the object for Change Data Capture/);
      // The other channel of the feature works.
      await client.conn.sobject('Lead').create({ LastName: 'Heard', Company: 'Heard Co', LeadSource: 'Web', Segment__c: 'SMB' });
      await waitFor('the lead event on the channel that was not refused', async () => heard.length > 0);
    } finally {
      await engine.stop();
    }
  }, 30_000);
});
