/**
 * faye engine of the CometD endpoint: clients, subscriptions and per-client queues in
 * memory, with replay read from the event log.
 *
 * faye's own memory engine can only fan a message out to every subscriber of a channel;
 * Salesforce's replay delivers retained events to one subscriber only, in replay id order,
 * before the live events that follow (Streaming API Developer Guide: "Message Durability").
 * A queue entry is therefore either a message or a replay cursor, read from the log in
 * slices so that replaying a million events never builds a million messages at once.
 */
import { randomBytes } from 'node:crypto';
import type { BayeuxMessage, EngineProxy } from './faye';

/** Events kept by the log, as the engine reads them for a replay. */
export interface ReplaySource {
  /** Events of a channel after `after` and up to `upTo`, oldest first, at most `limit`. */
  read(channel: string, after: number, upTo: number, limit: number): Array<{ replayId: number; data: unknown }>;
  latestReplayId(): number;
}

export interface BayeuxEngineOptions {
  replay: ReplaySource;
  /** Most messages answered on one /meta/connect. */
  maxBatch: number;
  /** Called once faye created the engine, so the endpoint can reach it. */
  onCreate(engine: BayeuxEngine): void;
}

type QueueEntry = { kind: 'message'; message: BayeuxMessage } | { kind: 'replay'; channel: string; after: number; upTo: number };

interface ClientState {
  channels: Set<string>;
  queue: QueueEntry[];
  expiry: NodeJS.Timeout | undefined;
}

type Callback<T> = ((this: unknown, value: T) => void) | undefined;

export class BayeuxEngine {
  private readonly clients = new Map<string, ClientState>();
  private readonly subscribers = new Map<string, Set<string>>();
  /** Replay positions requested by /meta/subscribe, consumed when faye subscribes the client. */
  private readonly pendingReplay = new Map<string, number>();

  /** faye's engine factory (`engine: { type: BayeuxEngine }`). */
  static create(server: EngineProxy, options: Record<string, unknown>): BayeuxEngine {
    const engineOptions = options as unknown as BayeuxEngineOptions;
    const engine = new BayeuxEngine(server, engineOptions);
    engineOptions.onCreate(engine);
    return engine;
  }

  private constructor(
    private readonly server: EngineProxy,
    private readonly options: BayeuxEngineOptions,
  ) {}

  // ---- faye engine interface ----

  createClient(callback: Callback<string>, context?: unknown): void {
    // Salesforce client ids are lower-case base-36 strings; the shape only matters to eyes.
    const clientId = BigInt(`0x${randomBytes(16).toString('hex')}`).toString(36);
    this.clients.set(clientId, { channels: new Set(), queue: [], expiry: undefined });
    this.ping(clientId);
    this.server.trigger('handshake', clientId);
    callback?.call(context, clientId);
  }

  clientExists(clientId: string, callback: Callback<boolean>, context?: unknown): void {
    callback?.call(context, this.clients.has(clientId));
  }

  destroyClient(clientId: string, callback?: Callback<void>, context?: unknown): void {
    const client = this.clients.get(clientId);
    if (client === undefined) return;
    for (const channel of client.channels) this.subscribers.get(channel)?.delete(clientId);
    if (client.expiry !== undefined) clearTimeout(client.expiry);
    this.clients.delete(clientId);
    this.server.trigger('disconnect', clientId);
    this.server.trigger('close', clientId);
    callback?.call(context, undefined);
  }

  /** A client that stops polling for twice the long-poll time is forgotten, as faye does. */
  ping(clientId: string): void {
    const client = this.clients.get(clientId);
    if (client === undefined) return;
    if (client.expiry !== undefined) clearTimeout(client.expiry);
    client.expiry = setTimeout(() => this.destroyClient(clientId), 2 * this.server.timeout * 1000);
    client.expiry.unref();
  }

  subscribe(clientId: string, channel: string, callback?: Callback<boolean>, context?: unknown): void {
    const client = this.clients.get(clientId);
    if (client !== undefined) {
      client.channels.add(channel);
      let members = this.subscribers.get(channel);
      if (members === undefined) this.subscribers.set(channel, (members = new Set()));
      members.add(clientId);
      this.startReplay(clientId, client, channel);
      this.server.trigger('subscribe', clientId, channel);
    }
    callback?.call(context, true);
  }

  unsubscribe(clientId: string, channel: string, callback?: Callback<boolean>, context?: unknown): void {
    const client = this.clients.get(clientId);
    if (client !== undefined && client.channels.delete(channel)) {
      this.subscribers.get(channel)?.delete(clientId);
      client.queue = client.queue.filter((entry) => (entry.kind === 'message' ? entry.message.channel : entry.channel) !== channel);
      this.server.trigger('unsubscribe', clientId, channel);
    }
    callback?.call(context, true);
  }

  /** Messages published by clients never reach here: the endpoint refuses them first. */
  publish(message: BayeuxMessage): void {
    this.publishTo(message.channel, [message]);
  }

  emptyQueue(clientId: string): void {
    const client = this.clients.get(clientId);
    if (client === undefined || client.queue.length === 0 || !this.server.hasConnection(clientId)) return;
    const batch = this.takeBatch(client);
    if (batch.length > 0) this.server.deliver(clientId, batch);
  }

  disconnect(): void {
    for (const clientId of [...this.clients.keys()]) this.destroyClient(clientId);
    this.pendingReplay.clear();
  }

  // ---- used by the endpoint ----

  /** The next /meta/subscribe of this client to this channel replays from `after` (exclusive). */
  expectReplay(clientId: string, channel: string, after: number): void {
    this.pendingReplay.set(`${clientId} ${channel}`, after);
  }

  /** Queues events for every current subscriber of `channel`. */
  publishTo(channel: string, messages: BayeuxMessage[]): void {
    const members = this.subscribers.get(channel);
    if (members === undefined || members.size === 0 || messages.length === 0) return;
    for (const clientId of members) {
      const client = this.clients.get(clientId);
      if (client === undefined) continue;
      for (const message of messages) client.queue.push({ kind: 'message', message: { channel: message.channel, data: message.data } });
      this.emptyQueue(clientId);
    }
  }

  hasSubscribers(channel: string): boolean {
    return (this.subscribers.get(channel)?.size ?? 0) > 0;
  }

  clientCount(): number {
    return this.clients.size;
  }

  private startReplay(clientId: string, client: ClientState, channel: string): void {
    const key = `${clientId} ${channel}`;
    const after = this.pendingReplay.get(key);
    if (after === undefined) return;
    this.pendingReplay.delete(key);
    const upTo = this.options.replay.latestReplayId();
    if (upTo > after) client.queue.push({ kind: 'replay', channel, after, upTo });
    this.emptyQueue(clientId);
  }

  private takeBatch(client: ClientState): BayeuxMessage[] {
    const batch: BayeuxMessage[] = [];
    while (client.queue.length > 0 && batch.length < this.options.maxBatch) {
      const entry = client.queue[0] as QueueEntry;
      if (entry.kind === 'message') {
        batch.push(entry.message);
        client.queue.shift();
        continue;
      }
      const room = this.options.maxBatch - batch.length;
      const events = this.options.replay.read(entry.channel, entry.after, entry.upTo, room);
      for (const event of events) batch.push({ channel: entry.channel, data: event.data });
      const last = events[events.length - 1];
      if (last === undefined || events.length < room || last.replayId >= entry.upTo) client.queue.shift();
      else entry.after = last.replayId;
    }
    return batch;
  }
}
