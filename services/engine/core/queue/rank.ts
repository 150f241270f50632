import type { Clock } from '../clock';
import type { OddsModel } from './odds';
import { parseQueueInput, type QueueInput, type QueueInputRaw } from './records';
import { buildQueueState, planSdr, type BuildOptions, type ClosedAsset, type QueueEntry, type QueueState, type SdrQueue } from './state';
import type { AssetMove } from './tasks';

export interface RankOptions extends BuildOptions {
  /** Entries planned per SDR (default: rules.planLimit, null meaning all open tasks). */
  limit?: number;
}

export interface RankResult {
  rankedAt: string;
  queues: SdrQueue[];
  /** Assets the queue moves out (called out after the attempt limit, bad number, do-not-call). */
  moves: AssetMove[];
  /** Assets that are not the SDR station's to call (other bins, stations, converted). */
  closed: ClosedAsset[];
  /** Assets whose owner is not an active SDR: the assignment job must place them. */
  unassigned: ClosedAsset[];
  odds: OddsModel;
  /** The live state, to pass to rerankAfterDisposition and upsertLead. */
  state: QueueState;
}

/**
 * Full ranking of a floor: every lead and account of the SDR station ends in exactly one of
 * queues (callable now or waiting for its due time), moves, closed or unassigned.
 */
export function rankQueue(input: QueueInputRaw | QueueInput, clock: Clock, options: RankOptions = {}): RankResult {
  const parsed = parseQueueInput(input);
  const built = buildQueueState(parsed, clock, options);
  const limit = options.limit ?? built.state.rules.planLimit ?? Infinity;
  const queues = [...built.state.reps.keys()].sort().map((sdrId) => planSdr(built.state, sdrId, clock, limit));
  return {
    rankedAt: clock().toISOString(),
    queues,
    moves: built.moves,
    closed: built.closed,
    unassigned: built.unassigned,
    odds: built.state.odds,
    state: built.state
  };
}

/** The Queue_Entry__c record for an entry (unprefixed API names; the org layer adds the namespace). */
export function toQueueEntryRecord(entry: QueueEntry, rankedAt: string): Record<string, string | number | null> {
  return {
    Entry_Key__c: entry.entryKey,
    SDR__c: entry.sdrId,
    Lead__c: entry.assetType === 'Lead' ? entry.assetId : null,
    Account__c: entry.assetType === 'Account' ? entry.assetId : null,
    Asset_Id__c: entry.assetId,
    Rank__c: entry.rank,
    Purpose__c: entry.purpose,
    Due_At__c: entry.dueAt,
    Guidance_Key__c: entry.guidanceKey,
    Allowed_Outcomes__c: entry.allowedOutcomes.join(';'),
    Attempt_Number__c: entry.attemptNumber,
    Status__c: 'Open',
    Ranked_At__c: rankedAt,
    Expected_Value__c: Math.round(entry.expectedMeetings * 1e6) / 1e6
  };
}
