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

export class EventLatency {
  private readonly pending = new Map<string, number>();

  constructor(private readonly wallClock: () => number = Date.now) {}

  /** Remembers the commit time of the leads a CREATE change event names. */
  note(message: StreamingMessage): void {
    const parsed = header.safeParse(message.payload);
    if (!parsed.success || parsed.data.ChangeEventHeader.changeType !== 'CREATE') return;
    for (const id of parsed.data.ChangeEventHeader.recordIds) {
      if (this.pending.size >= MAX_PENDING) {
        const oldest = this.pending.keys().next().value;
        if (oldest !== undefined) this.pending.delete(oldest);
      }
      this.pending.set(id, parsed.data.ChangeEventHeader.commitTimestamp);
    }
  }

  /** Seconds from commit to assignment for every remembered lead the run assigned. */
  observe(result: AssignRunResult, record: ((station: string, seconds: number) => void) | undefined): void {
    if (result.dryRun || this.pending.size === 0) return;
    const now = this.wallClock();
    const failed = new Set(result.failed.map((failure) => failure.key.split(':').pop()));
    for (const row of result.rows) {
      const committed = this.pending.get(row.assetId);
      if (committed === undefined || failed.has(row.assetId)) continue;
      this.pending.delete(row.assetId);
      record?.(result.station, Math.max(0, (now - committed) / 1000));
    }
  }
}
