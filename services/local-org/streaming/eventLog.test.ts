/**
 * The event log behind replay. Salesforce: "Replay ID -1 gets new events, -2 gets all
 * stored events within the retention window, a replay ID gets the events after that event"
 * (Streaming API Developer Guide: "Message Durability"); an id outside the window is
 * refused (Streaming API Developer Guide: "Streaming API Error Codes").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { EventLog, RETENTION_MS, type NewEvent } from './eventLog';

const CHANNELS = ['/data/LeadChangeEvent', '/data/AccountChangeEvent', '/event/Engine_Signal__e'];

function event(channel: string, createdAt = 0, payload: Record<string, unknown> = {}): NewEvent {
  return { channel, kind: channel.startsWith('/event/') ? 'platformEvent' : 'change', createdAt, schema: 's', payload };
}

describe('EventLog', () => {
  it('gives every event the next replay id and replays exactly the events after a start point', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...CHANNELS), { maxLength: 150 }),
        fc.constantFrom(...CHANNELS),
        fc.integer({ min: -2, max: 155 }),
        (channels, channel, replayFrom) => {
          const log = new EventLog(':memory:');
          const stored = log.append(channels.map((c, i) => event(c, 0, { i })));
          expect(stored.map((e) => e.replayId)).toEqual(channels.map((_c, i) => i + 1));
          const start = log.replayStart(replayFrom);
          if (replayFrom > channels.length || (replayFrom < 0 && replayFrom !== -1 && replayFrom !== -2)) {
            expect(start).toBeUndefined();
          } else {
            const expected = replayFrom === -1 ? [] : stored.filter((e) => e.channel === channel && e.replayId > Math.max(replayFrom, 0));
            const read = log.read({ channel }, start ?? 0, log.latestReplayId(), 1_000);
            expect(read.map((e) => e.replayId)).toEqual(expected.map((e) => e.replayId));
            expect(read.map((e) => e.data.payload)).toEqual(expected.map((e) => e.data.payload));
          }
          log.close();
        },
      ),
    );
  });

  it('reads every change event of any entity for /data/ChangeEvents, but no platform events', () => {
    const log = new EventLog(':memory:');
    log.append([event(CHANNELS[0] as string), event(CHANNELS[2] as string), event(CHANNELS[1] as string)]);
    expect(log.read({ kind: 'change' }, 0, 10, 10).map((e) => e.channel)).toEqual(['/data/LeadChangeEvent', '/data/AccountChangeEvent']);
  });

  it('drops events past the 72-hour retention and refuses replay ids that were dropped', () => {
    const log = new EventLog(':memory:');
    const day = 24 * 60 * 60 * 1000;
    log.append([event('/data/LeadChangeEvent', 0), event('/data/LeadChangeEvent', day), event('/data/LeadChangeEvent', 3 * day)]);
    expect(log.purge(3 * day + 1 - RETENTION_MS)).toBe(1);
    expect(log.replayStart(0)).toBeUndefined();
    expect(log.replayStart(1)).toBe(1);
    expect(log.read({ channel: '/data/LeadChangeEvent' }, log.replayStart(-2) ?? -1, 10, 10).map((e) => e.replayId)).toEqual([2, 3]);
  });

  it('keeps events and replay ids across a restart when stored in a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eventlog-'));
    try {
      const first = new EventLog(join(dir, 'streaming.sqlite'));
      first.append([event('/data/LeadChangeEvent'), event('/data/LeadChangeEvent')]);
      first.close();
      const second = new EventLog(join(dir, 'streaming.sqlite'));
      expect(second.read({ channel: '/data/LeadChangeEvent' }, 0, 10, 10).map((e) => e.replayId)).toEqual([1, 2]);
      expect(second.append([event('/data/LeadChangeEvent')])[0]?.replayId).toBe(3);
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
