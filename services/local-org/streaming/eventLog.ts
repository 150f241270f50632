/**
 * The org's event bus storage: every change event and platform event gets the next replay
 * id and is kept for the retention window, in SQLite, so replay survives a restart.
 *
 * Salesforce keeps change events and high-volume platform events for 72 hours and lets a
 * subscriber replay from -1 (new events only), -2 (every retained event) or the replay id
 * of an event it saw (events after it). A replay id outside the retained window is refused
 * with "400::The replayId {N} you provided was invalid..." (Platform Events Developer Guide:
 * "Message Durability"; Streaming API Developer Guide: "Streaming API Error Codes").
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';

export const RETENTION_MS = 72 * 60 * 60 * 1000;

/** What a subscriber receives as `data` (the CometD message body of an event). */
export interface EventData {
  schema: string;
  payload: Record<string, unknown>;
  event: { replayId: number; EventUuid?: string };
}

export type EventKind = 'change' | 'platformEvent';

export interface NewEvent {
  /** The event's own channel: `/data/LeadChangeEvent` or `/event/Engine_Signal__e`. */
  channel: string;
  kind: EventKind;
  /** Epoch milliseconds (org clock): retention is measured from here. */
  createdAt: number;
  schema: string;
  payload: Record<string, unknown>;
  eventUuid?: string;
}

export interface StoredEvent {
  replayId: number;
  channel: string;
  kind: EventKind;
  data: EventData;
}

/** Which events a subscription replays: one channel, or every change event. */
export type ReplayFilter = { channel: string } | { kind: EventKind };

interface Row {
  replay_id: number;
  channel: string;
  kind: string;
  data: string;
}

export class EventLog {
  private readonly db: DatabaseSync;
  private readonly insertGroup: StatementSync;
  private readonly byChannel: StatementSync;
  private readonly byKind: StatementSync;

  /** `path` is a file, or ':memory:' for an org without a data directory. */
  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    this.db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      CREATE TABLE IF NOT EXISTS stream_event (
        replay_id INTEGER PRIMARY KEY AUTOINCREMENT,
        channel TEXT NOT NULL,
        kind TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS stream_event_channel ON stream_event (channel, replay_id);
      DROP INDEX IF EXISTS stream_event_kind;
      CREATE TABLE IF NOT EXISTS stream_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
    `);
    this.insertGroup = this.db.prepare(insertSql(INSERT_GROUP));
    this.byChannel = this.db.prepare(
      'SELECT replay_id, channel, kind, data FROM stream_event WHERE channel = ? AND replay_id > ? AND replay_id <= ? ORDER BY replay_id LIMIT ?',
    );
    // /data/ChangeEvents reads by replay id range (the primary key), skipping platform events:
    // one index less to maintain on every event written.
    this.byKind = this.db.prepare(
      'SELECT replay_id, channel, kind, data FROM stream_event WHERE replay_id > ? AND replay_id <= ? AND kind = ? ORDER BY replay_id LIMIT ?',
    );
  }

  /**
   * Stores events in one transaction and gives each the next replay id, in order (rows
   * are inserted in groups: a multi-row INSERT costs far less per event on bulk loads).
   */
  append(events: readonly NewEvent[]): StoredEvent[] {
    if (events.length === 0) return [];
    const stored: StoredEvent[] = [];
    this.db.exec('BEGIN');
    try {
      for (let start = 0; start < events.length; start += INSERT_GROUP) {
        const group = events.slice(start, start + INSERT_GROUP);
        const params: Array<string | number> = [];
        for (const event of group) params.push(event.channel, event.kind, event.createdAt, JSON.stringify({ schema: event.schema, payload: event.payload, eventUuid: event.eventUuid }));
        const statement = group.length === INSERT_GROUP ? this.insertGroup : this.db.prepare(insertSql(group.length));
        const last = Number(statement.run(...params).lastInsertRowid);
        group.forEach((event, i) => {
          const replayId = last - group.length + 1 + i;
          stored.push({ replayId, channel: event.channel, kind: event.kind, data: toData(replayId, event.schema, event.payload, event.eventUuid) });
        });
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
    return stored;
  }

  /** The replay id of the newest event ever stored (0 when none), kept across purges and restarts. */
  latestReplayId(): number {
    const row = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'stream_event'").get() as { seq: number } | undefined;
    return row === undefined ? 0 : Number(row.seq);
  }

  /** Every event up to this replay id has left the retention window. */
  purgedThrough(): number {
    const row = this.db.prepare("SELECT value FROM stream_meta WHERE key = 'purgedThrough'").get() as { value: number } | undefined;
    return row === undefined ? 0 : Number(row.value);
  }

  /**
   * Where a subscription starting from `replayFrom` begins reading (exclusive), or undefined
   * when Salesforce would refuse the replay id. -1 starts after the newest event, -2 before
   * the oldest retained one; an id must lie inside the retained window.
   */
  replayStart(replayFrom: number): number | undefined {
    if (replayFrom === -1) return this.latestReplayId();
    if (replayFrom === -2) return this.purgedThrough();
    if (!Number.isInteger(replayFrom) || replayFrom < this.purgedThrough() || replayFrom > this.latestReplayId()) return undefined;
    return replayFrom;
  }

  /** Up to `limit` retained events after `after` and up to `upTo` (inclusive), oldest first. */
  read(filter: ReplayFilter, after: number, upTo: number, limit: number): StoredEvent[] {
    const rows = ('channel' in filter ? this.byChannel.all(filter.channel, after, upTo, limit) : this.byKind.all(after, upTo, filter.kind, limit)) as unknown as Row[];
    return rows.map((row) => {
      const body = JSON.parse(row.data) as { schema: string; payload: Record<string, unknown>; eventUuid?: string };
      return { replayId: row.replay_id, channel: row.channel, kind: row.kind as EventKind, data: toData(row.replay_id, body.schema, body.payload, body.eventUuid) };
    });
  }

  /** Drops events created before `cutoff` (epoch ms); returns how many were dropped. */
  purge(cutoff: number): number {
    const newest = this.db.prepare('SELECT MAX(replay_id) AS id FROM stream_event WHERE created_at < ?').get(cutoff) as { id: number | null };
    if (newest.id === null) return 0;
    this.db.exec('BEGIN');
    try {
      // Everything up to the newest expired event goes, so the retained window stays contiguous.
      const result = this.db.prepare('DELETE FROM stream_event WHERE replay_id <= ?').run(newest.id);
      this.db
        .prepare("INSERT INTO stream_meta (key, value) VALUES ('purgedThrough', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .run(newest.id);
      this.db.exec('COMMIT');
      return Number(result.changes);
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}

const INSERT_GROUP = 64;

/** One INSERT of `rows` events; rows of one statement get consecutive replay ids. */
function insertSql(rows: number): string {
  return `INSERT INTO stream_event (channel, kind, created_at, data) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?)').join(', ')}`;
}

function toData(replayId: number, schema: string, payload: Record<string, unknown>, eventUuid: string | undefined): EventData {
  return { schema, payload, event: eventUuid === undefined ? { replayId } : { EventUuid: eventUuid, replayId } };
}
