import { toQueueEntryRecord, type Purpose, type QueueEntry } from '../../core/queue';

/**
 * Which Queue_Entry__c rows are Open in the org and what they say, so that a re-rank writes
 * only the rows that changed and withdraws the rows no longer planned. Entry keys are stable
 * for the same call (core/queue entryKeyOf), so writes are upserts by Entry_Key__c and a
 * replayed write changes nothing.
 */

/** Guidance keys the Work Queue console resolves to its ASL_Guidance_* labels (docs/consoles.md). */
export const CONSOLE_GUIDANCE_KEYS: Readonly<Record<Purpose, string>> = {
  'First Touch': 'FIRST_TOUCH',
  'Follow Up': 'FOLLOW_UP',
  'Call Back': 'CALL_BACK',
  'Nurture Check Back': 'NURTURE_CHECK_BACK',
  'Rebook No Show': 'REBOOK_NO_SHOW',
  'Confirm Demo': 'CONFIRM_DEMO',
  'Courtesy Call': 'COURTESY_CALL'
};

export type EntryRecord = Record<string, string | number | null>;

/** The Queue_Entry__c fields for an entry, with the console's guidance vocabulary. */
export function entryRecord(entry: QueueEntry, rankedAt: string): EntryRecord {
  return { ...toQueueEntryRecord(entry, rankedAt), Guidance_Key__c: CONSOLE_GUIDANCE_KEYS[entry.purpose] };
}

/** Everything but Ranked_At__c: a row whose signature is unchanged is not re-sent. */
function signature(record: EntryRecord): string {
  const { Ranked_At__c: _rankedAt, ...rest } = record;
  return JSON.stringify(rest);
}

interface Known {
  id: string | null;
  sdrId: string | null;
  signature: string | null;
}

export type ClosedStatus = 'Done' | 'Withdrawn';

export class EntryLedger {
  private readonly open = new Map<string, Known>();

  seed(rows: ReadonlyArray<{ id: string; entryKey: string; sdrId: string | null }>): void {
    this.open.clear();
    for (const row of rows) this.open.set(row.entryKey, { id: row.id, sdrId: row.sdrId, signature: null });
  }

  size(): number {
    return this.open.size;
  }

  keyOfId(id: string): string | undefined {
    for (const [key, known] of this.open) if (known.id === id) return key;
    return undefined;
  }

  openKeys(sdrId: string): string[] {
    return [...this.open].filter(([, known]) => known.sdrId === sdrId).map(([key]) => key);
  }

  /**
   * The upserts that make the org show exactly `plans` (sdrId -> its top entries) for those
   * SDRs: new or changed entries, withdrawals of their other Open rows, and `closed` keys
   * (the called entry Done) when the org has them.
   */
  changes(plans: ReadonlyMap<string, readonly QueueEntry[]>, rankedAt: string, closed: ReadonlyMap<string, ClosedStatus> = new Map()): EntryRecord[] {
    const records: EntryRecord[] = [];
    const planned = new Set<string>();
    for (const entries of plans.values()) {
      for (const entry of entries) {
        planned.add(entry.entryKey);
        const record = entryRecord(entry, rankedAt);
        if (this.open.get(entry.entryKey)?.signature !== signature(record)) records.push(record);
      }
    }
    const ending = new Map<string, ClosedStatus>();
    for (const [key, status] of closed) if (this.open.has(key) && !planned.has(key)) ending.set(key, status);
    for (const sdrId of plans.keys()) {
      for (const key of this.openKeys(sdrId)) if (!planned.has(key) && !ending.has(key)) ending.set(key, 'Withdrawn');
    }
    for (const [key, status] of ending) records.push({ Entry_Key__c: key, Status__c: status });
    return records;
  }

  /** Records what the org now holds, for the records that were written. */
  commit(records: readonly EntryRecord[], written: ReadonlyMap<string, string | undefined>): void {
    for (const record of records) {
      const key = String(record.Entry_Key__c);
      if (!written.has(key)) continue;
      if (record.Status__c === 'Open') {
        const id = written.get(key) ?? this.open.get(key)?.id ?? null;
        this.open.set(key, { id, sdrId: typeof record.SDR__c === 'string' ? record.SDR__c : null, signature: signature(record) });
      } else {
        this.open.delete(key);
      }
    }
  }
}
