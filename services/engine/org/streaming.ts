import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Replay } from 'jsforce/lib/api/streaming/extension';
import { z } from 'zod';
import type { OrgClient } from './connection';
import { SubscriptionRefusedError } from '../errors';

/**
 * Change Data Capture and platform events, over the org's CometD endpoint through jsforce.
 * The engine remembers the last replayId it has fully handled per channel, so after a
 * restart it resumes where it stopped (Change Data Capture Developer Guide, "Subscription
 * Channels" and "Message Durability": events are retained 72 hours and replayed from a
 * replayId). Anything older than the retention window is found by the catch-up sweep.
 */
export const changeEventHeaderSchema = z.object({
  entityName: z.string(),
  recordIds: z.array(z.string()),
  changeType: z.string(),
  changedFields: z.array(z.string()).default([]),
  commitTimestamp: z.number(),
  commitUser: z.string().optional()
});
export type ChangeEventHeader = z.infer<typeof changeEventHeaderSchema>;

const streamingMessage = z.object({
  payload: z.record(z.string(), z.unknown()),
  event: z.object({ replayId: z.number() })
});
export type StreamingMessage = z.infer<typeof streamingMessage>;

/** Where the last handled replayId per channel is kept (a small JSON file by default). */
export interface ReplayStore {
  get(channel: string): Promise<number | undefined>;
  set(channel: string, replayId: number): Promise<void>;
}

export function fileReplayStore(path: string): ReplayStore {
  let cache: Record<string, number> | undefined;
  let writing: Promise<void> = Promise.resolve();
  const load = async () => {
    if (cache) return cache;
    try {
      cache = z.record(z.string(), z.number()).parse(JSON.parse(await readFile(path, 'utf8')));
    } catch {
      cache = {};
    }
    return cache;
  };
  return {
    get: async (channel) => (await load())[channel],
    set: async (channel, replayId) => {
      const state = await load();
      if ((state[channel] ?? -Infinity) >= replayId) return;
      state[channel] = replayId;
      // Written through a temporary file and a rename, so a crash never leaves half a file.
      writing = writing.then(async () => {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(`${path}.tmp`, JSON.stringify(state));
        await rename(`${path}.tmp`, path);
      });
      await writing;
    }
  };
}

export function memoryReplayStore(): ReplayStore {
  const state = new Map<string, number>();
  return {
    get: async (channel) => state.get(channel),
    set: async (channel, replayId) => void state.set(channel, Math.max(replayId, state.get(channel) ?? -Infinity))
  };
}

interface FayeInternals {
  disconnect(): unknown;
  _dispatcher?: {
    close(): void;
    _envelopes?: { forEach(visit: (envelope: { timer?: ReturnType<typeof setTimeout> }) => void): void; clear?(): void };
  };
}

/**
 * Disconnects and drops faye's pending long-poll: its envelope timers would otherwise keep the
 * process alive for the length of the server's connect timeout after a clean shutdown.
 */
function stopClient(faye: unknown): void {
  const client = faye as FayeInternals;
  client.disconnect();
  const dispatcher = client._dispatcher;
  dispatcher?._envelopes?.forEach((envelope) => {
    if (envelope.timer) clearTimeout(envelope.timer);
  });
  dispatcher?._envelopes?.clear?.();
  dispatcher?.close();
}

export interface Subscription {
  channel: string;
  /** Stops listening; events received but not yet handled are left for the replay. */
  cancel(): void;
  /** Resolves when the event being handled (if any) is done: the engine stops after it. */
  settled(): Promise<void>;
}

export interface SubscribeOptions {
  /**
   * Where this listener's replayId is kept (default: the channel). Two listeners of one channel
   * need a key each: one ahead of the other must not save a replayId the other has not reached.
   * A key not yet stored starts from the channel's replayId, as stored before keys existed.
   */
  replayKey?: string;
  /** Told the number of events received and not yet handled, whenever it changes. */
  onPending?: (pending: number) => void;
}

/**
 * Subscribes to a channel from the last handled replayId (or only new events when there is
 * none). Events are handled one at a time, in order; the replayId is saved after each one.
 */
export async function subscribe(
  client: OrgClient,
  channel: string,
  replayStore: ReplayStore,
  handle: (message: StreamingMessage) => Promise<void>,
  onError: (error: unknown, message: unknown) => void,
  options: SubscribeOptions = {}
): Promise<Subscription> {
  const key = options.replayKey ?? channel;
  const from = (await replayStore.get(key)) ?? (key === channel ? undefined : await replayStore.get(channel)) ?? -1;
  const replay = new Replay(channel, from);
  const faye = client.conn.streaming.createClient([replay]);
  let chain: Promise<void> = Promise.resolve();
  let cancelled = false;
  let pending = 0;
  const subscription = faye.subscribe(channel, (raw: unknown) => {
    options.onPending?.((pending += 1));
    chain = chain.then(async () => {
      try {
        // Not handled after a stop and its replayId not saved: the next start replays it.
        if (cancelled) return;
        const parsed = streamingMessage.safeParse(raw);
        if (!parsed.success) return onError(parsed.error, raw);
        try {
          await handle(parsed.data);
          await replayStore.set(key, parsed.data.event.replayId);
        } catch (error) {
          onError(error, raw);
        }
      } finally {
        options.onPending?.((pending -= 1));
      }
    });
  });
  // Resolves once the server has confirmed the subscription (faye's subscription is a
  // thenable): an event committed after subscribe() returns is then sure to be delivered.
  await new Promise<void>((resolve, reject) => {
    (subscription as unknown as PromiseLike<unknown>).then(
      () => resolve(),
      (error: unknown) => {
        stopClient(faye);
        reject(new SubscriptionRefusedError(channel, error instanceof Error ? error.message : JSON.stringify(error)));
      }
    );
  });
  return {
    channel,
    cancel: () => {
      cancelled = true;
      subscription.cancel();
      stopClient(faye);
    },
    settled: () => chain
  };
}
