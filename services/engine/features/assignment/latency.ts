import { z } from 'zod';
import type { StreamingMessage } from '../../org/streaming';
import type { AssignRunResult } from './assignRun';

/**
 * Event-to-assignment latency: from the commit of a new lead in the org (the change event's
 * commitTimestamp, Change Data Capture Developer Guide, "ChangeEventHeader Fields") to the
 * run that assigned it having written its owner. A lead held back (flow control, no eligible
 * rep) is measured when a later run assigns it, so the histogram shows the queueing too.
 */
const header = z.object({ ChangeEventHeader: z.object({ changeType: z.string(), recordIds: z.array(z.string()), commitTimestamp: z.number() }) });

/** Leads remembered at most; beyond, the oldest are forgotten (a lead waiting that long is the queue's story, not latency). */
const MAX_PENDING = 20_000;
/**
 * Leads assigned before their event was handled, remembered at most: a run reads every lead
 * waiting, so it can take a lead whose event is still on its way (milliseconds behind); the
 * event then finds its lead here. Runs also assign leads that never get a CREATE event (a
 * re-entry, a rebalance), so this is kept short: a few minutes of arrivals.
 */
const MAX_AHEAD = 2_000;

type Record = (station: string, seconds: number) => void;

export class EventLatency {
  private readonly pending = new Map<string, number>();
  private readonly ahead = new Map<string, { station: string; at: number }>();

  constructor(
    private readonly record: Record | undefined,
    private readonly wallClock: () => number = Date.now
  ) {}

  /** Remembers the commit time of the leads a CREATE change event names (or measures them, if already assigned). */
  note(message: StreamingMessage): void {
    const parsed = header.safeParse(message.payload);
    if (!parsed.success || parsed.data.ChangeEventHeader.changeType !== 'CREATE') return;
    const committed = parsed.data.ChangeEventHeader.commitTimestamp;
    for (const id of parsed.data.ChangeEventHeader.recordIds) {
      const assigned = this.ahead.get(id);
      if (assigned) {
        this.ahead.delete(id);
        this.record?.(assigned.station, Math.max(0, (assigned.at - committed) / 1000));
        continue;
      }
      remember(this.pending, id, committed, MAX_PENDING);
    }
  }

  /** Seconds from commit to assignment for every lead the run assigned whose event was handled. */
  observe(result: AssignRunResult): void {
    if (result.dryRun || result.rows.length === 0) return;
    const now = this.wallClock();
    const failed = new Set(result.failed.map((failure) => failure.key.split(':').pop()));
    for (const row of result.rows) {
      if (failed.has(row.assetId)) continue;
      const committed = this.pending.get(row.assetId);
      if (committed === undefined) {
        remember(this.ahead, row.assetId, { station: result.station, at: now }, MAX_AHEAD);
        continue;
      }
      this.pending.delete(row.assetId);
      this.record?.(result.station, Math.max(0, (now - committed) / 1000));
    }
  }
}

/** Sets a key in a map that forgets its oldest key beyond `max`. */
function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  if (map.size >= max && !map.has(key)) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
}
