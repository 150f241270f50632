import { randomBytes } from 'node:crypto';
import {
  DEFAULT_POLICY,
  assetFromRecord,
  assignBatch,
  assignmentRecordFromRow,
  ledgerKeyOf,
  ledgerRowFromRecord,
  rebuildState,
  repsFromRecords,
  stationsFromRecords,
  type AssetToAssign,
  type AssignmentPolicy,
  type LedgerRow,
  type Rep,
  type Station,
  type WaitingAsset
} from '../../core/assignment';
import { soql } from '../../org/soql';
import type { OrgClient } from '../../org/connection';
import { writeRecords, type RecordOutcome, type WriteOp } from '../../org/writes';
import { orgNames, type OrgNames } from '../../org/names';
import { queryMany, type Row } from './orgReads';

/**
 * One assignment run for one station, against the org: read the floor in one composite call
 * (stations, rep capacity with the users' active flag, WIP per rep, the assets waiting, the
 * ledger rows of the last rate window), continue the blocks, and write ledger rows + owners +
 * one ASSIGNED signal in as few composite calls as the collections allow (2 records per
 * assignment, 1,000 records per call), Bulk API 2.0 above the configured threshold.
 *
 * Idempotency: Assignment__c is upserted by Ledger_Key__c (`station:asset:visit`). An asset
 * that already has a ledger row for this visit is never drawn again: if its owner update was
 * lost (crash, failure) the run repairs the owner from the row instead.
 */
export const AVOID_AND_CLOSED_BINS = [
  'Avoid - Current Client',
  'Avoid - Bad Fit',
  'Avoid - Duplicate',
  'Nurture - Check Back Quarterly',
  'Nurture - Dead Opportunity'
] as const;

const REP_FIELDS = [
  'User__c',
  'Key__c',
  'Station_Keys__c',
  'Skills__c',
  'Weight__c',
  'Time_Zone__c',
  'Shift_Start_Hour__c',
  'Shift_End_Hour__c',
  'Working_Days__c',
  'Leave_Start__c',
  'Leave_End__c',
  'WIP_Cap__c',
  'Hourly_Cap_Override__c',
  'Active__c',
  'User__r.IsActive'
];
const STATION_FIELDS = ['Id', 'Key__c', 'Name', 'Role__c', 'Asset_Type__c', 'Handling_Minutes__c', 'Target_WIP__c', 'SLA_Hours__c', 'Order__c', 'Active__c', 'Hourly_Cap_Override__c'];
export const LEDGER_FIELDS = [
  'Ledger_Key__c',
  'Asset_Id__c',
  'Asset_Type__c',
  'Rep__c',
  'Station__c',
  'Stratum__c',
  'Block__c',
  'Block_Size__c',
  'Draw__c',
  'Seed__c',
  'Method__c',
  'Assigned_At__c'
];
/** Ledger rows this recent are re-read every run: the hourly cap window, with margin. */
const RECENT_WINDOW_MS = 2 * 3_600_000;

export class AssignSetupError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly fix: string
  ) {
    super(`${field} = ${JSON.stringify(value)}: ${fix}`);
    this.name = 'AssignSetupError';
  }
}

/** The open blocks' ledger rows, kept between runs so a warm run needs one read call. */
export interface LedgerCache {
  rows: Map<string, LedgerRow>;
}

export interface AssignRunOptions {
  station: string;
  now: Date;
  /** The "unassigned" owner: the integration user (leads waiting for the engine). */
  unassignedOwnerId: string;
  /** Leads with no station yet enter here (the line's entry station for leads). */
  takesUnstationed?: boolean;
  dryRun?: boolean;
  policy?: AssignmentPolicy;
  /** At most this many assets are assigned now (flow control). */
  releaseLimit?: number;
  /** At most this many waiting assets are read per run (oldest first). */
  batchLimit?: number;
  cache?: LedgerCache;
  seed?: string;
  /**
   * Rebalance: assign these records (already owned) instead of the waiting ones, each under
   * its own visit key, so the new ledger row never overwrites the original assignment's.
   */
  rebalance?: Array<{ record: Row; visit: string }>;
}

export interface AssignRunResult {
  station: string;
  rows: LedgerRow[];
  repaired: number;
  waiting: WaitingAsset[];
  failed: RecordOutcome[];
  apiCalls: number;
  readCalls: number;
  dryRun: boolean;
}

export interface Floor {
  stations: Station[];
  stationIdByKey: Map<string, string>;
  stationKeyById: Map<string, string>;
  reps: Rep[];
  problems: string[];
}

export function floorFrom(stationRows: Row[], repRows: Row[]): Floor {
  const stations = stationsFromRecords(stationRows);
  const stationIdByKey = new Map<string, string>();
  for (const row of stationRows) if (typeof row.Id === 'string' && typeof row.Key__c === 'string') stationIdByKey.set(row.Key__c, row.Id);
  const stationKeyById = new Map([...stationIdByKey].map(([key, value]) => [value, key] as const));
  // A deactivated user cannot own records (INACTIVE_OWNER_OR_USER): they are off the roster.
  const reps = repsFromRecords(
    repRows.map((row) => ({ ...row, Active__c: row.Active__c === true && (row.User__r as { IsActive?: boolean } | null)?.IsActive !== false }))
  );
  return {
    stations: stations.values,
    stationIdByKey,
    stationKeyById,
    reps: reps.values,
    problems: [...stations.problems, ...reps.problems].map((problem) => problem.message)
  };
}

export { policyFields };

export function floorQueries(names: OrgNames): { stations: string; reps: string } {
  const { n, list } = names;
  return {
    stations: soql`SELECT ${list(STATION_FIELDS)} FROM ${n('Station__c')}`,
    reps: soql`SELECT ${list(REP_FIELDS)} FROM ${n('Rep_Capacity__c')}`
  };
}

export function newRunSeed(): string {
  return `r${randomBytes(6).toString('hex')}`;
}

/** The visit of an asset to its station: its station entry time, so a later visit gets a new key. */
export function visitOf(record: Row): number | string {
  const entered = record.Station_Entered_At__c;
  return typeof entered === 'string' && entered !== '' ? `v${Date.parse(entered).toString(36)}` : 1;
}

function policyFields(policy: AssignmentPolicy = DEFAULT_POLICY): string[] {
  const names = [...policy.strata.map((entry) => (typeof entry === 'string' ? entry : entry.field)), ...policy.skillFields];
  return [...new Set(['Id', 'CreatedDate', 'OwnerId', 'Station__c', 'Station_Entered_At__c', 'Fame_Band__c', ...names])];
}

function sortRows(rows: Iterable<LedgerRow>): LedgerRow[] {
  return [...rows].sort((a, b) => Date.parse(a.assignedAt) - Date.parse(b.assignedAt) || (a.block ?? 0) - (b.block ?? 0) || (a.draw ?? 0) - (b.draw ?? 0));
}

function latestBlocksQuery(names: OrgNames, stationKey: string): string {
  const { n } = names;
  return soql`SELECT ${n('Stratum__c')} stratum, MAX(${n('Block__c')}) block FROM ${n('Assignment__c')} WHERE ${n('Station__r.Key__c')} = ${stationKey} AND ${n('Method__c')} IN ('Permuted Block', 'Rebalance') GROUP BY ${n('Stratum__c')} LIMIT 2000`;
}

/**
 * Cold start (no cache): the rows of the latest block of every stratum and of the rate
 * window, in one query per 100 strata (keeps the WHERE clause far below SOQL's limit).
 */
async function loadOpenBlocks(client: OrgClient, names: OrgNames, stationKey: string, since: Date, latest: Row[]): Promise<Row[]> {
  const { n, list } = names;
  const blocks = latest.filter((row) => typeof row.stratum === 'string' && typeof row.block === 'number');
  if (blocks.length === 0) return [];
  const queries: string[] = [];
  for (let start = 0; start < blocks.length; start += 100) {
    const clause = [
      ...(start === 0 ? [soql`${n('Assigned_At__c')} >= ${since}`] : []),
      ...blocks.slice(start, start + 100).map((row) => soql`(${n('Stratum__c')} = ${row.stratum as string} AND ${n('Block__c')} = ${row.block as number})`)
    ].join(' OR ');
    queries.push(`${soql`SELECT ${list(LEDGER_FIELDS)} FROM ${n('Assignment__c')} WHERE ${n('Station__r.Key__c')} = ${stationKey} AND (`}${clause}) ORDER BY ${names.api('Assigned_At__c')}, Id`);
  }
  return (await queryMany(client, queries)).flat();
}

export async function runAssignment(client: OrgClient, options: AssignRunOptions): Promise<AssignRunResult> {
  const callsBefore = client.apiCalls();
  const names = orgNames(client);
  const { n, list } = names;
  const policy = options.policy ?? DEFAULT_POLICY;
  const since = new Date(options.now.getTime() - RECENT_WINDOW_MS);
  const key = options.station;
  const stationFilter = options.takesUnstationed
    ? soql`(${n('Station__r.Key__c')} = ${key} OR ${n('Station__c')} = null)`
    : soql`${n('Station__r.Key__c')} = ${key}`;
  const base = floorQueries(names);
  const cache = options.cache ?? { rows: new Map<string, LedgerRow>() };
  // Warm (the running engine): the open blocks are cached, only the recent rows are re-read.
  const cold = cache.rows.size === 0;
  const reads = await queryMany(client, [
    base.stations,
    base.reps,
    soql`SELECT OwnerId, COUNT(Id) wip FROM Lead WHERE ${n('Station__r.Key__c')} = ${key} AND IsConverted = false GROUP BY OwnerId LIMIT 2000`,
    `${soql`SELECT ${list(policyFields(policy))} FROM Lead WHERE IsConverted = false AND OwnerId = ${options.unassignedOwnerId} AND ${n('Bin__c')} NOT IN ${[...AVOID_AND_CLOSED_BINS]} AND `}${stationFilter} ORDER BY ${names.api('Station_Entered_At__c')} ASC NULLS LAST, CreatedDate, Id LIMIT ${options.batchLimit ?? 2000}`,
    cold
      ? latestBlocksQuery(names, key)
      : soql`SELECT ${list(LEDGER_FIELDS)} FROM ${n('Assignment__c')} WHERE ${n('Station__r.Key__c')} = ${key} AND ${n('Assigned_At__c')} >= ${since} ORDER BY ${n('Assigned_At__c')}, Id`
  ]);
  const [stationRows = [], repRows = [], wipRows = [], assetRows = [], ledgerRows = []] = reads;
  const floor = floorFrom(stationRows, repRows);
  const station = floor.stations.find((candidate) => candidate.key === key);
  if (!station) {
    throw new AssignSetupError('--station', key, `no Station__c with Key__c ${key}; known: ${floor.stations.map((s) => s.key).join(', ') || 'none'}`);
  }
  const stationId = floor.stationIdByKey.get(key) as string;

  const recentRows = cold ? await loadOpenBlocks(client, names, key, since, ledgerRows) : ledgerRows;
  for (const raw of recentRows) {
    const row = ledgerRowFromRecord(raw, floor.stationKeyById);
    cache.rows.set(row.ledgerKey, row);
  }
  const readCalls = client.apiCalls() - callsBefore;
  const state = rebuildState(station, sortRows(cache.rows.values()), options.now);

  const wip: Record<string, number> = {};
  for (const row of wipRows) if (typeof row.OwnerId === 'string') wip[row.OwnerId] = Number(row.wip ?? 0);

  const repairs: Array<{ assetId: string; repId: string; needsStation: boolean }> = [];
  const assets: AssetToAssign[] = [];
  const needsStation = new Set<string>();
  const candidates = options.rebalance ?? assetRows.map((record) => ({ record, visit: visitOf(record) }));
  for (const { record, visit } of candidates) {
    const asset = assetFromRecord(record, 'Lead', policy, visit);
    const existing = cache.rows.get(ledgerKeyOf(key, asset));
    if (record.Station__c == null) needsStation.add(asset.id);
    if (existing) repairs.push({ assetId: asset.id, repId: existing.repId, needsStation: record.Station__c == null });
    else assets.push(asset);
  }

  const result = assignBatch({
    station,
    reps: floor.reps,
    policy,
    state,
    assets,
    now: options.now,
    seed: options.seed ?? newRunSeed(),
    wip,
    existingKeys: new Set(cache.rows.keys()),
    ...(options.rebalance ? { method: 'Rebalance' as const } : {}),
    ...(options.releaseLimit !== undefined ? { releaseLimit: options.releaseLimit } : {})
  });

  let failed: RecordOutcome[] = [];
  if (!options.dryRun && (result.rows.length > 0 || repairs.length > 0)) {
    failed = await writeAssignments(client, names, {
      rows: result.rows,
      repairs,
      stationId,
      stationIdByKey: floor.stationIdByKey,
      needsStation
    });
    for (const row of result.rows) cache.rows.set(row.ledgerKey, row);
    pruneCache(cache, result.state.strata, options.now);
  }
  return {
    station: key,
    rows: result.rows,
    repaired: repairs.length,
    waiting: result.waiting,
    failed,
    apiCalls: client.apiCalls() - callsBefore,
    readCalls,
    dryRun: options.dryRun === true
  };
}

/** Keeps the rows of open blocks and of the rate window; the rest can no longer matter. */
function pruneCache(cache: LedgerCache, open: Record<string, { block: number }>, now: Date): void {
  const since = now.getTime() - RECENT_WINDOW_MS;
  for (const [ledgerKey, row] of cache.rows) {
    const current = row.stratum === null ? undefined : open[row.stratum];
    const inOpenBlock = current !== undefined && row.block === current.block;
    if (!inOpenBlock && Date.parse(row.assignedAt) < since) cache.rows.delete(ledgerKey);
  }
}

interface AssignmentWrites {
  rows: LedgerRow[];
  repairs: Array<{ assetId: string; repId: string; needsStation: boolean }>;
  stationId: string;
  stationIdByKey: Map<string, string>;
  needsStation: Set<string>;
}

/**
 * Ledger rows first, owners second, in one request when they fit: a lost owner update is
 * repaired from its ledger row by the next run, while an owner without a ledger row could
 * not be audited. The ASSIGNED signal rides in the same composite call.
 */
async function writeAssignments(client: OrgClient, names: OrgNames, writes: AssignmentWrites): Promise<RecordOutcome[]> {
  const ledger = writes.rows.map((row) => names.record(assignmentRecordFromRow(row, writes.stationIdByKey)));
  const owners = [
    ...writes.rows.map((row) => ({ assetId: row.assetId, repId: row.repId, needsStation: writes.needsStation.has(row.assetId) })),
    ...writes.repairs
  ].map((entry) => names.record({ Id: entry.assetId, OwnerId: entry.repId, ...(entry.needsStation ? { Station__c: writes.stationId } : {}) }));
  const payload = JSON.stringify({ station: writes.stationId, assigned: writes.rows.map((row) => [row.assetId, row.repId]) });
  const ops: WriteOp[] = [
    { kind: 'upsert', sobject: names.api('Assignment__c'), externalIdField: names.api('Ledger_Key__c'), records: ledger },
    { kind: 'update', sobject: 'Lead', records: owners },
    {
      kind: 'create',
      sobject: names.api('Engine_Signal__e'),
      records: [names.record({ Kind__c: 'ASSIGNED', Record_Id__c: writes.stationId, Payload__c: payload.length <= 32_000 ? payload : JSON.stringify({ station: writes.stationId, count: writes.rows.length }) })]
    }
  ];
  const reports = await writeRecords(client, ops.filter((op) => op.records.length > 0));
  return reports.flatMap((report) => report.failed.map((failure) => ({ ...failure, key: `${report.sobject}:${failure.key}` })));
}
