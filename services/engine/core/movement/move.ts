import type { AssetType, LedgerRow } from '../assignment/model';
import { isAvoidBin, type Bin, type Outcome, type OwnerRule, type StationRule } from './rules';

/**
 * Movement: a disposition recorded at a station moves the asset by the station's rules.
 * The order of precedence, each step documented in docs/assignment.md:
 *  1. a disposition already processed moves nothing (Processed_At__c is set);
 *  2. a disposition about a station the asset has already left moves nothing;
 *  3. duplicates go to Avoid - Duplicate, customers to Avoid - Current Client, whatever the rule;
 *  4. the station rule for the outcome gives the next station, bin, owner rule, re-entry;
 *  5. an asset in an Avoid bin never re-enters a non-Avoid bin or a sales queue.
 */
export interface Disposition {
  id: string;
  assetId: string;
  assetType: AssetType;
  /** Station key where it was recorded. */
  station: string;
  repId: string | null;
  outcome: Outcome;
  /** Requested call-back time (Next_Action_At__c), ISO. */
  nextActionAt: string | null;
  /** Processed_At__c: set once the disposition has moved the asset. */
  processedAt: string | null;
}

export interface AssetState {
  id: string;
  type: AssetType;
  ownerId: string | null;
  /** Booked_By__c: the SDR who booked the meeting. */
  bookedById: string | null;
  bin: Bin | null;
  station: string | null;
  /** An account that has become a customer (or a lead of one). */
  isCustomer: boolean;
  isDuplicate: boolean;
}

export interface Place {
  station: string | null;
  bin: Bin | null;
  ownerId: string | null;
}

export interface Move {
  kind: 'move';
  dispositionId: string;
  assetId: string;
  assetType: AssetType;
  ruleKey: string | null;
  from: Place;
  /** ownerId null with owner.needsAssignment: the next station's assignment decides. */
  to: Place;
  owner: { rule: OwnerRule; needsAssignment: boolean };
  /** Next_Action_At__c to write: re-entry time or the requested call-back. */
  nextActionAt: string | null;
  /** A ledger row when the owner is named directly (Return To Booker). */
  ledgerRow: LedgerRow | null;
  /** Value for the disposition's Processed_At__c. */
  processedAt: string;
  notes: string[];
}

export interface NoMove {
  kind: 'none';
  dispositionId: string;
  reason: 'already-processed' | 'asset-moved-on';
  detail: string;
  /** Whether to stamp Processed_At__c anyway (a stale disposition is closed, not retried). */
  markProcessed: boolean;
}

export type MoveResult = Move | NoMove;

const DAY = 86_400_000;
const CHECK_BACK: Bin = 'Nurture - Check Back Quarterly';
/** Check Back Quarterly without a configured interval re-enters after 90 days. */
export const DEFAULT_CHECK_BACK_DAYS = 90;

function stay(d: Disposition, asset: AssetState, now: Date, note: string): Move {
  return {
    kind: 'move',
    dispositionId: d.id,
    assetId: asset.id,
    assetType: asset.type,
    ruleKey: null,
    from: { station: asset.station, bin: asset.bin, ownerId: asset.ownerId },
    to: { station: asset.station, bin: asset.bin, ownerId: asset.ownerId },
    owner: { rule: 'Keep', needsAssignment: false },
    nextActionAt: d.nextActionAt,
    ledgerRow: null,
    processedAt: now.toISOString(),
    notes: [note]
  };
}

export function moveForDisposition(d: Disposition, asset: AssetState, rules: ReadonlyMap<string, StationRule>, now: Date): MoveResult {
  if (d.processedAt) return { kind: 'none', dispositionId: d.id, reason: 'already-processed', detail: `processed at ${d.processedAt}`, markProcessed: false };
  if (asset.station !== null && asset.station !== d.station) {
    return {
      kind: 'none',
      dispositionId: d.id,
      reason: 'asset-moved-on',
      detail: `recorded at ${d.station} but the asset is now at ${asset.station}`,
      markProcessed: true
    };
  }
  const rule = rules.get(`${d.station}:${d.outcome}`) ?? null;
  const notes: string[] = [];
  let nextStation = rule ? rule.nextStation : asset.station;
  let nextBin: Bin | null = rule ? (rule.nextBin ?? asset.bin) : asset.bin;
  let ownerRule: OwnerRule = rule?.ownerRule ?? 'Keep';
  let reentryDays = rule?.reentryDays ?? null;

  if (d.outcome === 'Duplicate' || asset.isDuplicate) {
    nextBin = 'Avoid - Duplicate';
    nextStation = null;
    ownerRule = 'Keep';
    reentryDays = null;
    notes.push('duplicates go to Avoid - Duplicate');
  } else if (d.outcome === 'Current Client' || asset.isCustomer) {
    if (nextBin !== 'Avoid - Current Client') nextStation = null;
    nextBin = 'Avoid - Current Client';
    reentryDays = null;
    if (nextStation === null) ownerRule = 'Keep';
    notes.push('customers go to Avoid - Current Client');
  } else if (!rule) {
    return stay(d, asset, now, `no rule for ${d.station}:${d.outcome}: the asset stays where it is`);
  }

  if (isAvoidBin(asset.bin) && !isAvoidBin(nextBin)) {
    notes.push(`${asset.bin} never re-enters: stays in its bin, off the queues`);
    nextBin = asset.bin;
    nextStation = null;
    ownerRule = 'Keep';
    reentryDays = null;
  }
  if (nextBin === CHECK_BACK && reentryDays === null) reentryDays = DEFAULT_CHECK_BACK_DAYS;

  let ownerId: string | null = asset.ownerId;
  let needsAssignment = false;
  let ledgerRow: LedgerRow | null = null;
  if (ownerRule === 'Return To Booker') {
    if (asset.bookedById) {
      ownerId = asset.bookedById;
      ledgerRow = {
        ledgerKey: `${nextStation ?? d.station}:${asset.id}:d-${d.id}`.slice(0, 120),
        assetId: asset.id,
        assetType: asset.type,
        repId: asset.bookedById,
        station: nextStation ?? d.station,
        stratum: null,
        block: null,
        blockSize: null,
        draw: null,
        seed: null,
        method: 'Return To Booker',
        assignedAt: now.toISOString()
      };
    } else {
      ownerRule = 'Assign';
      notes.push('no Booked_By__c: assigned at the next station instead');
    }
  }
  if (ownerRule === 'Assign') {
    if (nextStation === null) {
      ownerRule = 'Keep';
      notes.push('no next station to assign at: owner kept');
    } else {
      ownerId = null;
      needsAssignment = true;
    }
  }
  const nextActionAt = reentryDays !== null ? new Date(now.getTime() + reentryDays * DAY).toISOString() : d.nextActionAt;
  return {
    kind: 'move',
    dispositionId: d.id,
    assetId: asset.id,
    assetType: asset.type,
    ruleKey: rule?.key ?? null,
    from: { station: asset.station, bin: asset.bin, ownerId: asset.ownerId },
    to: { station: nextStation, bin: nextBin, ownerId },
    owner: { rule: ownerRule, needsAssignment },
    nextActionAt,
    ledgerRow,
    processedAt: now.toISOString(),
    notes
  };
}
