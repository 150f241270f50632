/**
 * The org's Streaming API endpoint: CometD (Bayeux 1.0, long-polling) at /cometd/vv.v,
 * served by faye on the org's HTTP server, as jsforce's streaming client expects
 * (`${instanceUrl}/cometd/${version}`, header `Authorization: OAuth <token>`).
 *
 * Behaviour copied from Salesforce (Streaming API Developer Guide: "Clients and
 * Timeouts", "Handling Streaming API Errors", "Streaming API Error Codes", "Message
 * Durability"; Change Data Capture and Platform Events Developer Guides):
 * - handshake answers `ext: { replay: true, payload.format: true }` and only
 *   `long-polling`; /meta/connect is held 110 s (`advice.timeout` 110000, interval 0);
 * - an invalid or expired session is refused: handshake `403::Handshake denied` with
 *   `ext.sfdc.failureReason` `401::Authentication invalid`, connect `401::Authentication
 *   invalid`, both with `advice.reconnect` `none`;
 * - an unknown client gets `403::Unknown client` with `advice.reconnect` `handshake`;
 * - subscriptions name existing channels only; the replay extension
 *   (`ext.replay: { <channel>: replayId }`) starts a subscription at -1 (new events),
 *   -2 (every retained event) or after a retained replay id; anything else is
 *   `400::The replayId {N} you provided was invalid...`;
 * - every event carries `event.replayId`; change events are retained 72 hours, also across
 *   restarts (the log is in SQLite).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { OrgSchema, SObjectDef } from '../schema/types';
import type { SessionStore } from '../auth/sessions';
import type { ChangeEvent, PlatformEventMessage } from '../store/types';
import { BayeuxEngine } from './bayeuxEngine';
import { ALL_CHANGE_EVENTS, changeEventChannel, platformEventChannel, resolveChannel } from './channels';
import { ChangeEventBuilder, schemaIdOf, type ChangeEventExtras } from './changeEvents';
import { EventLog, RETENTION_MS, type NewEvent, type StoredEvent } from './eventLog';
import { loadFaye, type BayeuxMessage, type NodeAdapter, type ServerExtension } from './faye';

export interface StreamingServiceOptions {
  schema: OrgSchema;
  sessions: SessionStore;
  /** Source of 'change' and 'platformEvent' notifications (the org's `events`). */
  events: {
    on(event: 'change', listener: (event: ChangeEvent) => void): unknown;
    on(event: 'platformEvent', listener: (event: PlatformEventMessage) => void): unknown;
    off(event: 'change', listener: (event: ChangeEvent) => void): unknown;
    off(event: 'platformEvent', listener: (event: PlatformEventMessage) => void): unknown;
  };
  now(): Date;
  /** Newest API version served; /cometd/vv.v accepts 31.0 up to it. */
  apiVersion: string;
  /** SQLite file of the event log, or ':memory:'. */
  logPath: string;
  /** How long /meta/connect is held (Salesforce: 110 s). */
  longPollSeconds?: number;
  /** Most events answered on one /meta/connect. */
  maxBatch?: number;
  /** Whether an entity is selected for Change Data Capture (default: every stored object). */
  isChangeEnabled?: (object: SObjectDef) => boolean;
}

export const COMETD_MOUNT = '/cometd';
const MIN_VERSION = 31;
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

export class StreamingService {
  readonly adapter: NodeAdapter;
  private engine: BayeuxEngine | undefined;
  private readonly log: EventLog;
  private readonly builder: ChangeEventBuilder;
  private readonly isChangeEnabled: (object: SObjectDef) => boolean;
  /** Events waiting for their replay ids. */
  private buffer: NewEvent[] = [];
  private flushScheduled = false;
  private readonly purgeTimer: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: StreamingServiceOptions) {
    this.log = new EventLog(options.logPath);
    this.builder = new ChangeEventBuilder(options.schema, this.log.latestReplayId());
    this.isChangeEnabled = options.isChangeEnabled ?? ((object) => !object.isPlatformEvent);
    this.purge();
    this.purgeTimer = setInterval(() => this.purge(), PURGE_INTERVAL_MS);
    this.purgeTimer.unref();

    const faye = loadFaye();
    this.adapter = new faye.NodeAdapter({
      mount: COMETD_MOUNT,
      timeout: options.longPollSeconds ?? 110,
      engine: {
        type: BayeuxEngine,
        maxBatch: options.maxBatch ?? 1000,
        replay: { read: (channel: string, after: number, upTo: number, limit: number) => this.readReplay(channel, after, upTo, limit), latestReplayId: () => this.log.latestReplayId() },
        onCreate: (engine: BayeuxEngine) => {
          this.engine = engine;
        },
      },
    });
    this.adapter.addExtension(this.authExtension());
    this.adapter.addExtension(this.subscriptionExtension());
    this.adapter.addExtension(this.replyExtension());
    options.events.on('change', this.onChange);
    options.events.on('platformEvent', this.onPlatformEvent);
  }

  /**
   * Serves /cometd/* on this HTTP server (faye takes those requests before Express).
   * Salesforce's CometD speaks long-polling only ("400 Invalid connection type"), so faye's
   * WebSocket upgrade handler is taken off again: an upgrade is refused like on a server
   * without one, and no socket escapes the HTTP server's connection tracking.
   */
  attach(server: Server): void {
    const upgradeListeners = server.listeners('upgrade') as Array<(...args: unknown[]) => void>;
    this.adapter.attach(server);
    server.removeAllListeners('upgrade');
    for (const listener of upgradeListeners) server.on('upgrade', listener);
  }

  /** Writes buffered events now (normally done once per event-loop turn). */
  flush(): StoredEvent[] {
    this.flushScheduled = false;
    if (this.buffer.length === 0 || this.closed) return [];
    const batch = this.buffer;
    this.buffer = [];
    const stored = this.log.append(batch);
    this.deliver(stored);
    return stored;
  }

  /** Drops events older than the 72-hour retention window. */
  purge(): number {
    return this.log.purge(this.options.now().getTime() - RETENTION_MS);
  }

  latestReplayId(): number {
    return this.log.latestReplayId();
  }

  /** Connected CometD clients (for the org's status page and tests). */
  clientCount(): number {
    return this.engine?.clientCount() ?? 0;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    clearInterval(this.purgeTimer);
    this.options.events.off('change', this.onChange);
    this.options.events.off('platformEvent', this.onPlatformEvent);
    this.adapter.close();
    this.log.close();
  }

  private readonly onChange = (event: ChangeEvent): void => {
    const object = this.options.schema.find(event.entityName);
    if (object === undefined || !this.isChangeEnabled(object)) return;
    const built = this.builder.build(event as ChangeEvent & ChangeEventExtras);
    if (built === undefined) return;
    this.enqueue({ channel: changeEventChannel(built.entityName), kind: 'change', createdAt: built.commitTimestamp, schema: built.schema, payload: built.payload });
  };

  private readonly onPlatformEvent = (message: PlatformEventMessage): void => {
    const object = this.options.schema.find(message.eventName);
    if (object === undefined) return;
    // CometD carries the event's UUID beside its replay id, not among the event fields.
    const { EventUuid: uuid, ...fields } = message.fields;
    this.enqueue({
      channel: platformEventChannel(object.name),
      kind: 'platformEvent',
      createdAt: message.publishedAt,
      schema: schemaIdOf(object),
      payload: jsonDateTimes(object, fields),
      eventUuid: typeof uuid === 'string' ? uuid : randomUUID(),
    });
  };

  private enqueue(event: NewEvent): void {
    if (this.closed) return;
    this.buffer.push(event);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private deliver(stored: StoredEvent[]): void {
    const engine = this.engine;
    if (engine === undefined) return;
    for (const event of stored) {
      const toAll = event.kind === 'change' && engine.hasSubscribers(ALL_CHANGE_EVENTS);
      if (!toAll && !engine.hasSubscribers(event.channel)) continue;
      // Stored change payloads omit nulls; subscribers get every field.
      const data = event.kind === 'change' ? { ...event.data, payload: this.builder.expand(event.data.payload) } : event.data;
      engine.publishTo(event.channel, [{ channel: event.channel, data }]);
      if (toAll) engine.publishTo(ALL_CHANGE_EVENTS, [{ channel: ALL_CHANGE_EVENTS, data }]);
    }
  }

  private readReplay(channel: string, after: number, upTo: number, limit: number): Array<{ replayId: number; data: unknown }> {
    const filter = channel === ALL_CHANGE_EVENTS ? { kind: 'change' as const } : { channel };
    return this.log.read(filter, after, upTo, limit).map((event) => {
      if (event.kind === 'change') event.data.payload = this.builder.expand(event.data.payload);
      return event;
    });
  }

  /** Every message must come with a live session (the same token REST accepts). */
  private authExtension(): ServerExtension {
    return {
      incoming: (message, request, callback) => {
        if (message.channel === '/meta/handshake') {
          const versionError = checkVersion(request, this.options.apiVersion);
          if (versionError !== undefined) message.error = versionError;
          else if (!this.authenticated(request)) message.error = '403::Handshake denied';
        } else if (message.channel === '/meta/connect' || message.channel === '/meta/subscribe') {
          if (!this.authenticated(request)) message.error = '401::Authentication invalid';
        } else if (!message.channel.startsWith('/meta/')) {
          // Events are published through the REST API, never by CometD clients.
          message.error = `403:${message.channel}:Publish is not allowed on this channel`;
        }
        callback(message);
      },
    };
  }

  /** Checks subscribed channels and records where each subscription replays from. */
  private subscriptionExtension(): ServerExtension {
    return {
      incoming: (message, _request, callback) => {
        if (message.channel !== '/meta/subscribe' || message.error !== undefined) return callback(message);
        const channels = message.subscription === undefined ? [] : ([] as string[]).concat(message.subscription);
        const replay = (message.ext?.replay ?? {}) as Record<string, unknown>;
        // Buffered events get their replay ids first, so "after N" and "-1" are exact.
        this.flush();
        for (const channel of channels) {
          const target = resolveChannel(channel, this.options.schema, this.isChangeEnabled);
          if (target === undefined) {
            message.error = `400::The channel you requested to subscribe to does not exist {${channel}}`;
            break;
          }
          const requested = replayValue(replay[channel]);
          const start = requested === undefined ? undefined : this.log.replayStart(requested);
          if (start === undefined) {
            message.error = `400::The replayId {${String(replay[channel])}} you provided was invalid. Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`;
            break;
          }
          if (message.clientId !== undefined && requested !== -1) this.engine?.expectReplay(message.clientId, channel, start);
        }
        callback(message);
      },
    };
  }

  /** Shapes replies like Salesforce's. */
  private replyExtension(): ServerExtension {
    return {
      outgoing: (message, _request, callback) => {
        if (message.channel === '/meta/handshake') {
          message.supportedConnectionTypes = ['long-polling'];
          if (message.successful === true) {
            message.ext = { replay: true, 'payload.format': true };
            message.minimumVersion = '1.0';
          } else {
            if (message.error === '403::Handshake denied') message.ext = { sfdc: { failureReason: '401::Authentication invalid' } };
            message.advice = { reconnect: 'none' };
          }
        }
        if (message.error === '401::Authentication invalid') message.advice = { reconnect: 'none', interval: 0 };
        if (typeof message.error === 'string' && /^401:[^:]*:Unknown client$/.test(message.error)) {
          message.error = '403::Unknown client';
          message.advice = { reconnect: 'handshake', interval: 0 };
        }
        callback(message);
      },
    };
  }

  private authenticated(request: IncomingMessage | null): boolean {
    if (request === null) return true;
    const header = request.headers.authorization ?? '';
    const match = /^(?:OAuth|Bearer)\s+(\S+)$/i.exec(header);
    return match?.[1] !== undefined && this.options.sessions.find(match[1]) !== undefined;
  }
}

/** CometD's JSON writes datetimes as ISO 8601 in UTC (`...000Z`), not REST's `+0000`. */
export function jsonDateTimes(object: SObjectDef, fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const field = object.fields.find((f) => f.name === name);
    out[name] = field?.type === 'datetime' && typeof value === 'string' ? value.replace(/\+0000$/, 'Z') : value;
  }
  return out;
}

function replayValue(raw: unknown): number | undefined {
  if (raw === undefined || raw === null) return -1;
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isSafeInteger(value) ? value : undefined;
}

/** The version is part of the endpoint (`/cometd/62.0`), as on Salesforce. */
function checkVersion(request: IncomingMessage | null, newest: string): string | undefined {
  if (request === null) return undefined;
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const match = /^\/cometd\/(\d+\.\d)\/?$/.exec(path);
  if (match === null) return `400::API version in the URI is mandatory. URI format: '/cometd/${newest}'`;
  const version = Number(match[1]);
  if (version < MIN_VERSION || version > Number(newest)) {
    return `400::Unsupported API version. Only API versions '${MIN_VERSION}.0' to '${newest}' are supported. URI format: '/cometd/${newest}'`;
  }
  return undefined;
}

export type { BayeuxMessage };
