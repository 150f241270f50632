import { assignmentRecordFromRow, type LedgerRow } from '../../core/assignment';
import { dispositionFromRecord, indexRules, moveForDisposition, rulesFromRecords, type AssetState, type Bin, type Disposition } from '../../core/movement';
import { soql } from '../../org/soql';
import type { OrgClient } from '../../org/connection';
import { writeRecords, type RecordOutcome, type WriteOp } from '../../org/writes';
import { floorFrom, floorQueries } from './assignRun';
import { orgNames } from '../../org/names';
import { queryMany, type Row } from './orgReads';

/**
 * Moves the assets of new dispositions by the station rules (core/movement), in one read
 * call and one write call per 1,000 records: lead place/owner/re-entry time, the
 * disposition's Processed_At__c (so a replayed event or a second sweep moves nothing twice),
 * the linked Queue_Entry__c closed as Done, a Return To Booker ledger row, and one MOVED
 * signal. Assets whose owner is to be assigned at the next station are handed to the
 * integration user; the caller then runs assignment at those stations.
 *
 * Lead dispositions only: dispositions about accounts and opportunities are left unprocessed
 * for the features that own those assets.
 */
export interface MovementOptions {
  /** Dispositions to process; without ids, every unprocessed lead disposition (oldest first). */
  ids?: readonly string[];
  now: Date;
  unassignedOwnerId: string;
  limit?: number;
}

export interface MovementResult {
  processed: number;
  moved: Array<{ dispositionId: string; assetId: string; to: { station: string | null; bin: string | null; ownerId: string | null }; notes: string[] }>;
  /** Stations where assets now wait for assignment. */
  assignAt: string[];
  failed: RecordOutcome[];
  problems: string[];
  apiCalls: number;
}

const DISPOSITION_FIELDS = ['Id', 'Asset_Id__c', 'Lead__c', 'Account__c', 'Opportunity__c', 'Station__c', 'Rep__c', 'Outcome__c', 'Next_Action_At__c', 'Processed_At__c', 'Queue_Entry__c'];
const RULE_FIELDS = ['Key__c', 'Station__c', 'Outcome__c', 'Next_Station__c', 'Next_Bin__c', 'Reentry_Days__c', 'Owner_Rule__c'];

export async function processDispositions(client: OrgClient, options: MovementOptions): Promise<MovementResult> {
  const before = client.apiCalls();
  const names = orgNames(client);
  const { n, list } = names;
  const filter = options.ids
    ? soql`Id IN ${[...options.ids]} AND ${n('Lead__c')} != null`
    : soql`${n('Processed_At__c')} = null AND ${n('Lead__c')} != null`;
  const base = floorQueries(names);
  const [stationRows = [], ruleRows = [], dispositionRows = [], leadRows = []] = await queryMany(client, [
    base.stations,
    soql`SELECT ${list(RULE_FIELDS)} FROM ${n('Station_Rule__c')}`,
    `${soql`SELECT ${list(DISPOSITION_FIELDS)} FROM ${n('Disposition__c')} WHERE `}${filter} ORDER BY CreatedDate, Id LIMIT ${options.limit ?? 1000}`,
    `${soql`SELECT Id, OwnerId, ${list(['Booked_By__c', 'Bin__c', 'Station__c'])} FROM Lead WHERE Id IN (SELECT ${n('Lead__c')} FROM ${n('Disposition__c')} WHERE `}${filter})`
  ]);
  const floor = floorFrom(stationRows, []);
  const rules = indexRules(rulesFromRecords(ruleRows, floor.stationKeyById));
  const assets = new Map<string, AssetState>();
  for (const lead of leadRows) {
    assets.set(String(lead.Id), {
      id: String(lead.Id),
      type: 'Lead',
      ownerId: (lead.OwnerId as string | null) ?? null,
      bookedById: (lead.Booked_By__c as string | null) ?? null,
      bin: (lead.Bin__c as Bin | null) ?? null,
      station: typeof lead.Station__c === 'string' ? (floor.stationKeyById.get(lead.Station__c) ?? null) : null,
      isCustomer: false,
      isDuplicate: false
    });
  }

  const problems: string[] = [];
  const leadUpdates = new Map<string, Row>();
  const processed: Row[] = [];
  const queueDone: Row[] = [];
  const ledger: LedgerRow[] = [];
  const moved: MovementResult['moved'] = [];
  const assignAt = new Set<string>();
  for (const raw of dispositionRows) {
    let disposition: Disposition;
    try {
      disposition = dispositionFromRecord(raw, floor.stationKeyById);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
      continue;
    }
    const asset = assets.get(disposition.assetId);
    if (!asset) {
      problems.push(`Disposition__c(${disposition.id}): lead ${disposition.assetId} not found (deleted?)`);
      continue;
    }
    const move = moveForDisposition(disposition, asset, rules, options.now);
    if (move.kind === 'none') {
      if (move.markProcessed) processed.push({ Id: disposition.id, Processed_At__c: options.now.toISOString() });
      continue;
    }
    const ownerId = move.owner.needsAssignment ? options.unassignedOwnerId : move.to.ownerId;
    const toStationId = move.to.station ? (floor.stationIdByKey.get(move.to.station) ?? null) : null;
    leadUpdates.set(asset.id, {
      ...(leadUpdates.get(asset.id) ?? {}),
      Id: asset.id,
      Station__c: toStationId,
      Bin__c: move.to.bin,
      Next_Action_At__c: move.nextActionAt,
      ...(ownerId ? { OwnerId: ownerId } : {})
    });
    // Later dispositions of the same lead in this batch see where the earlier ones left it.
    asset.station = move.to.station;
    asset.bin = move.to.bin;
    asset.ownerId = ownerId;
    processed.push({ Id: disposition.id, Processed_At__c: move.processedAt });
    if (typeof raw.Queue_Entry__c === 'string') queueDone.push({ Id: raw.Queue_Entry__c, Status__c: 'Done' });
    if (move.ledgerRow) ledger.push(move.ledgerRow);
    if (move.owner.needsAssignment && move.to.station) assignAt.add(move.to.station);
    moved.push({ dispositionId: disposition.id, assetId: asset.id, to: { ...move.to, ownerId }, notes: move.notes });
  }

  const ops: WriteOp[] = [
    // The asset moves before its disposition is marked: a crash in between re-processes it,
    // which lands it in the same place (same rule, same key), rather than losing the move.
    { kind: 'update', sobject: 'Lead', records: [...leadUpdates.values()].map((record) => names.record(record)) },
    { kind: 'upsert', sobject: names.api('Assignment__c'), externalIdField: names.api('Ledger_Key__c'), records: ledger.map((row) => names.record(assignmentRecordFromRow(row, floor.stationIdByKey))) },
    { kind: 'update', sobject: names.api('Queue_Entry__c'), records: queueDone.map((record) => names.record(record)) },
    { kind: 'update', sobject: names.api('Disposition__c'), records: processed.map((record) => names.record(record)) }
  ];
  if (moved.length > 0) {
    const payload = JSON.stringify({ moved: moved.map((m) => [m.assetId, m.to.station, m.to.bin]) });
    ops.push({
      kind: 'create',
      sobject: names.api('Engine_Signal__e'),
      records: [names.record({ Kind__c: 'MOVED', Record_Id__c: moved[0]?.assetId ?? null, Payload__c: payload.length <= 32_000 ? payload : JSON.stringify({ count: moved.length }) })]
    });
  }
  const live = ops.filter((op) => op.records.length > 0);
  const reports = live.length > 0 ? await writeRecords(client, live) : [];
  return {
    processed: processed.length,
    moved,
    assignAt: [...assignAt],
    failed: reports.flatMap((report) => report.failed.map((failure) => ({ ...failure, key: `${report.sobject}:${failure.key}` }))),
    problems,
    apiCalls: client.apiCalls() - before
  };
}
