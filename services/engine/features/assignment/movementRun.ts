import { assignmentRecordFromRow, type LedgerRow } from '../../core/assignment';
import { customerMoves, dispositionFromRecord, indexRules, isCustomer, moveForDisposition, rulesFromRecords, type AccountState, type AssetState, type Bin, type CustomerMove, type Disposition } from '../../core/movement';
import { soql } from '../../org/soql';
import type { OrgClient } from '../../org/connection';
import { writeRecords, type RecordOutcome, type WriteOp, type WriteReport } from '../../org/writes';
import { floorFrom, floorQueries } from './assignRun';
import { orgNames } from '../../org/names';
import { queryMany, type Row } from './orgReads';

/**
 * Moves the assets of new dispositions by the station rules (core/movement), in one read
 * call and two write phases of one call per 1,000 records each: first the moves (lead or
 * account place/owner/re-entry time, a Return To Booker ledger row), then, for the moves
 * that were written, the disposition's Processed_At__c (so a replayed event or a second
 * sweep moves nothing twice), the linked Queue_Entry__c closed as Done and one MOVED signal.
 * A disposition whose move failed stays unprocessed and is moved by the next run. Assets whose owner is to be assigned at the next station are handed to the
 * integration user; the caller then runs assignment at those stations.
 *
 * Lead and account dispositions; those about opportunities are left for the features that own
 * them. An account that is a customer (Type "Customer - ...", or a won opportunity) goes to
 * Avoid - Current Client whatever the outcome; a Duplicate outcome to Avoid - Duplicate.
 * Accounts are not assigned by the blocks: where a rule says Assign, the account keeps its
 * owner (noted on the move).
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
  // Lead or account dispositions, not those about an opportunity (see dispositionFromRecord).
  const ours = soql`(${n('Lead__c')} != null OR ${n('Account__c')} != null) AND ${n('Opportunity__c')} = null`;
  const filter = options.ids ? `${soql`Id IN ${[...options.ids]} AND `}${ours}` : `${soql`${n('Processed_At__c')} = null AND `}${ours}`;
  const base = floorQueries(names);
  const [stationRows = [], ruleRows = [], dispositionRows = [], leadRows = [], accountRows = []] = await queryMany(client, [
    base.stations,
    soql`SELECT ${list(RULE_FIELDS)} FROM ${n('Station_Rule__c')}`,
    `${soql`SELECT ${list(DISPOSITION_FIELDS)} FROM ${n('Disposition__c')} WHERE `}${filter} ORDER BY CreatedDate, Id LIMIT ${options.limit ?? 1000}`,
    `${soql`SELECT Id, OwnerId, ${list(['Booked_By__c', 'Bin__c', 'Station__c'])} FROM Lead WHERE Id IN (SELECT ${n('Lead__c')} FROM ${n('Disposition__c')} WHERE `}${filter})`,
    `${soql`SELECT Id, OwnerId, Type, ${list(['Bin__c', 'Station__c'])}, (SELECT Id FROM Opportunities WHERE IsWon = true LIMIT 1) FROM Account WHERE Id IN (SELECT ${n('Account__c')} FROM ${n('Disposition__c')} WHERE `}${filter})`
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
  for (const account of accountRows) {
    const won = (account.Opportunities as { records?: unknown[] } | null | undefined)?.records?.length ?? 0;
    assets.set(String(account.Id), {
      id: String(account.Id),
      type: 'Account',
      ownerId: (account.OwnerId as string | null) ?? null,
      bookedById: null,
      bin: (account.Bin__c as Bin | null) ?? null,
      station: typeof account.Station__c === 'string' ? (floor.stationKeyById.get(account.Station__c) ?? null) : null,
      isCustomer: isCustomer({ type: (account.Type as string | null) ?? null, hasWonOpportunity: won > 0 }),
      isDuplicate: false
    });
  }

  const problems: string[] = [];
  const leadUpdates = new Map<string, Row>();
  const accountUpdates = new Map<string, Row>();
  /** Stamps that need no write first (nothing to move: the asset had moved on). */
  const settled: Row[] = [];
  const afterMove: Array<{ stamp: Row; assetId: string }> = [];
  const pending: PendingMove[] = [];
  const ledger: LedgerRow[] = [];
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
      problems.push(`Disposition__c(${disposition.id}): ${disposition.assetType.toLowerCase()} ${disposition.assetId} not found (deleted?)`);
      continue;
    }
    const moved0 = moveForDisposition(disposition, asset, rules, options.now);
    // Accounts are not drawn through the blocks: an Assign rule keeps the account's owner.
    const move =
      moved0.kind === 'move' && asset.type === 'Account' && moved0.owner.needsAssignment
        ? { ...moved0, to: { ...moved0.to, ownerId: asset.ownerId }, owner: { rule: 'Keep' as const, needsAssignment: false }, notes: [...moved0.notes, `accounts are not assigned by the engine at ${moved0.to.station}: owner kept`] }
        : moved0;
    if (move.kind === 'none') {
      if (!move.markProcessed) continue;
      const stamp = { Id: disposition.id, Processed_At__c: options.now.toISOString() };
      // Closed because an earlier disposition of this batch moved the asset: only once that move is written.
      if (leadUpdates.has(asset.id) || accountUpdates.has(asset.id)) afterMove.push({ stamp, assetId: asset.id });
      else settled.push(stamp);
      continue;
    }
    const ownerId = move.owner.needsAssignment ? options.unassignedOwnerId : move.to.ownerId;
    const toStationId = move.to.station ? (floor.stationIdByKey.get(move.to.station) ?? null) : null;
    const updates = asset.type === 'Account' ? accountUpdates : leadUpdates;
    updates.set(asset.id, {
      ...(updates.get(asset.id) ?? {}),
      Id: asset.id,
      Station__c: toStationId,
      Bin__c: move.to.bin,
      // Accounts have no Next_Action_At__c (docs/data-model.md): their re-entry is not timed.
      ...(asset.type === 'Lead' ? { Next_Action_At__c: move.nextActionAt } : {}),
      ...(ownerId ? { OwnerId: ownerId } : {})
    });
    // Later dispositions of the same lead in this batch see where the earlier ones left it.
    asset.station = move.to.station;
    asset.bin = move.to.bin;
    asset.ownerId = ownerId;
    if (move.ledgerRow) ledger.push(move.ledgerRow);
    pending.push({
      stamp: { Id: disposition.id, Processed_At__c: move.processedAt },
      queueEntryId: typeof raw.Queue_Entry__c === 'string' ? raw.Queue_Entry__c : null,
      ledgerKey: move.ledgerRow?.ledgerKey ?? null,
      assignAt: move.owner.needsAssignment ? move.to.station : null,
      moved: { dispositionId: disposition.id, assetId: asset.id, to: { ...move.to, ownerId }, notes: move.notes }
    });
  }

  // Phase 1: the moves (and the stamps of dispositions that move nothing). A disposition is
  // stamped processed only once its move is written: a move that failed for good leaves its
  // disposition unprocessed, so the next run or sweep moves it again instead of losing it.
  const assetOps: WriteOp[] = [
    { kind: 'update', sobject: 'Lead', records: [...leadUpdates.values()].map((record) => names.record(record)) },
    { kind: 'update', sobject: 'Account', records: [...accountUpdates.values()].map((record) => names.record(record)) },
    { kind: 'upsert', sobject: names.api('Assignment__c'), externalIdField: names.api('Ledger_Key__c'), records: ledger.map((row) => names.record(assignmentRecordFromRow(row, floor.stationIdByKey))) },
    { kind: 'update', sobject: names.api('Disposition__c'), records: settled.map((record) => names.record(record)) }
  ];
  const first = await writeLive(client, assetOps);
  const failedIds = new Set([...(first[0]?.failed ?? []), ...(first[1]?.failed ?? [])].map((failure) => failure.key));
  const failedLedger = new Set((first[2]?.failed ?? []).map((failure) => failure.key));
  const written = pending.filter((p) => !failedIds.has(p.moved.assetId) && (p.ledgerKey === null || !failedLedger.has(p.ledgerKey)));
  const closed = afterMove.filter((entry) => !failedIds.has(entry.assetId) && written.some((p) => p.moved.assetId === entry.assetId));
  const unstamped = pending.length - written.length + afterMove.length - closed.length;
  if (unstamped > 0) problems.push(`${unstamped} disposition(s) not marked processed: their move was not written (retried by the next run or sweep)`);

  // Phase 2: the stamps of the moves that were written, their queue entries closed, one MOVED signal.
  const moved = written.map((p) => p.moved);
  const stampOps: WriteOp[] = [
    { kind: 'update', sobject: names.api('Disposition__c'), records: [...written.map((p) => p.stamp), ...closed.map((entry) => entry.stamp)].map((record) => names.record(record)) },
    { kind: 'update', sobject: names.api('Queue_Entry__c'), records: written.flatMap((p) => (p.queueEntryId ? [names.record({ Id: p.queueEntryId, Status__c: 'Done' })] : [])) }
  ];
  if (moved.length > 0) {
    const payload = JSON.stringify({ moved: moved.map((m) => [m.assetId, m.to.station, m.to.bin]) });
    stampOps.push({
      kind: 'create',
      sobject: names.api('Engine_Signal__e'),
      records: [names.record({ Kind__c: 'MOVED', Record_Id__c: moved[0]?.assetId ?? null, Payload__c: payload.length <= 32_000 ? payload : JSON.stringify({ count: moved.length }) })]
    });
  }
  const second = await writeLive(client, stampOps);
  return {
    processed: settled.length - (first[3]?.failed.length ?? 0) + written.length + closed.length - (second[0]?.failed.length ?? 0),
    moved,
    assignAt: [...new Set(written.flatMap((p) => (p.assignAt ? [p.assignAt] : [])))],
    failed: [...first, ...second].flatMap((report) => report.failed.map((failure) => ({ ...failure, key: `${report.sobject}:${failure.key}` }))),
    problems,
    apiCalls: client.apiCalls() - before
  };
}

interface PendingMove {
  stamp: Row;
  queueEntryId: string | null;
  ledgerKey: string | null;
  assignAt: string | null;
  moved: MovementResult['moved'][number];
}

/** writeRecords for the ops that have records; a report (maybe empty) per op, in order. */
async function writeLive(client: OrgClient, ops: WriteOp[]): Promise<WriteReport[]> {
  const live = ops.filter((op) => op.records.length > 0);
  const reports = live.length > 0 ? await writeRecords(client, live) : [];
  return ops.map((op) => (op.records.length > 0 ? (reports[live.indexOf(op)] as WriteReport) : { sobject: op.sobject, succeeded: [], failed: [] }));
}

/**
 * Accounts that have become customers (Type "Customer - ...", or a won opportunity) and are
 * not yet in Avoid - Current Client move there (core/movement/customers.ts), in one read call
 * and one write call per 1,000 accounts. Run by the catch-up sweep and on account changes.
 */
export async function moveCustomers(client: OrgClient, options: { ids?: readonly string[]; limit?: number } = {}): Promise<{ moved: CustomerMove[]; failed: RecordOutcome[]; apiCalls: number }> {
  const before = client.apiCalls();
  const names = orgNames(client);
  const { n, list } = names;
  const only = options.ids ? soql` AND Id IN ${[...options.ids]}` : '';
  const [stationRows = [], accountRows = []] = await queryMany(client, [
    floorQueries(names).stations,
    `${soql`SELECT Id, Type, ${list(['Bin__c', 'Station__c'])}, (SELECT Id FROM Opportunities WHERE IsWon = true LIMIT 1) FROM Account WHERE (${n('Bin__c')} = null OR ${n('Bin__c')} != 'Avoid - Current Client') AND (Type LIKE 'Customer%' OR Id IN (SELECT AccountId FROM Opportunity WHERE IsWon = true))`}${only} ORDER BY Id LIMIT ${options.limit ?? 2000}`
  ]);
  const floor = floorFrom(stationRows, []);
  const postSale = new Set(floor.stations.filter((s) => s.role === 'Onboarding' || s.role === 'Service').map((s) => s.key));
  const accounts: AccountState[] = accountRows.map((row) => ({
    id: String(row.Id),
    type: (row.Type as string | null) ?? null,
    hasWonOpportunity: ((row.Opportunities as { records?: unknown[] } | null | undefined)?.records?.length ?? 0) > 0,
    bin: (row.Bin__c as Bin | null) ?? null,
    station: typeof row.Station__c === 'string' ? (floor.stationKeyById.get(row.Station__c) ?? null) : null
  }));
  const moved = customerMoves(accounts, postSale);
  if (moved.length === 0) return { moved, failed: [], apiCalls: client.apiCalls() - before };
  const payload = JSON.stringify({ moved: moved.map((m) => [m.accountId, m.to.station, m.to.bin]) });
  const [report] = await writeRecords(client, [
    {
      kind: 'update',
      sobject: 'Account',
      records: moved.map((m) => names.record({ Id: m.accountId, Bin__c: m.to.bin, Station__c: m.to.station === null ? null : (floor.stationIdByKey.get(m.to.station) ?? null) }))
    },
    { kind: 'create', sobject: names.api('Engine_Signal__e'), records: [names.record({ Kind__c: 'MOVED', Record_Id__c: moved[0]?.accountId ?? null, Payload__c: payload.length <= 32_000 ? payload : JSON.stringify({ count: moved.length }) })] }
  ]);
  return { moved, failed: report?.failed ?? [], apiCalls: client.apiCalls() - before };
}
