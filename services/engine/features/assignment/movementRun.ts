import { assignmentRecordFromRow, type LedgerRow } from '../../core/assignment';
import { customerMoves, dispositionFromRecord, indexRules, isCustomer, moveForDisposition, rulesFromRecords, type AccountState, type AssetState, type Bin, type CustomerMove, type Disposition } from '../../core/movement';
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
      if (move.markProcessed) processed.push({ Id: disposition.id, Processed_At__c: options.now.toISOString() });
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
    { kind: 'update', sobject: 'Account', records: [...accountUpdates.values()].map((record) => names.record(record)) },
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
