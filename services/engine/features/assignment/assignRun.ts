import { randomBytes } from 'node:crypto';
import {
  DEFAULT_POLICY,
  assetFromRecord,
  encodeEngineState,
  drawsInSecondOf,
  engineStateIsCurrent,
  parseEngineState,
  stateFromEngineState,
  type AssignmentState,
  assignBatch,
  assignmentRecordFromRow,
  ledgerKeyOf,
  ledgerRowFromRecord,
  rebuildState,
  rateWindowMs,
  recentDrawsOf,
  isStationDraw,
  parseInstant,
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
import { withRetry } from '../../org/retry';
// bulkRun.ts imports this module's helpers too; both only call each other inside functions.
import { runLargeAssignment } from './bulkRun';
import { NO_LIMIT, releaseGate, stationKeyOf, transitionKey, type FlowEdge, type Gate, type TransitionCounts } from '../../core/flow';
import { z } from 'zod';

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
/**
 * Ledger rows this recent are re-read every run: the hourly cap window, with a margin for a
 * run that takes a while. A station whose rate window is longer (a task over an hour) has its
 * older rows read as well. Every row read costs each run, so the margin is short.
 */
const RATE_WINDOW_MARGIN_MS = 5 * 60_000;
export const RECENT_WINDOW_MS = 3_600_000 + RATE_WINDOW_MARGIN_MS;
/** Flow control measures the share of a station's leavers reaching the next station over this many days. */
export const FLOW_HISTORY_DAYS = 90;

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

/**
 * Ledger rows kept between runs of the running engine: once `complete` (read from the
 * ledger's latest blocks), the open blocks' rows, so that a run whose stored state cannot be
 * trusted still needs no extra read. During a run it also holds the rate window's rows.
 */
export interface LedgerCache {
  rows: Map<string, LedgerRow>;
  complete?: boolean;
  /**
   * The rate window as the running engine knows it after its last run: every draw in it by
   * ledger key, and the stored state that run left. While the station still holds that
   * state, the next run reads only the ledger rows from the state's time on, so a run's read
   * does not grow with the arrival rate; any other writer shows as a different state.
   */
  window?: RateWindow;
}

export interface RateWindow {
  stateAsOf: string;
  /** By ledger key: the rep and the time of the draw (epoch milliseconds). */
  draws: Map<string, { repId: string; at: number }>;
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
  /** Read every waiting lead through Bulk API 2.0 and write through it (bulkRun.ts): a backlog of any size in one run. */
  bulk?: boolean;
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
  /** Of the waiting, those held back by flow control (a downstream station is full). */
  held: number;
  /** The release gate of the run: how many the station could release and who set the limit. */
  gate: Gate;
  failed: RecordOutcome[];
  apiCalls: number;
  readCalls: number;
  /** Where the open blocks came from (stored state: no extra read). */
  stateSource: StateSource;
  /** Ledger rows of the rate window this run read: the whole window, or (the running engine) those since its last run. */
  ledgerRowsRead?: number;
  /** The run read as many waiting leads as it may (batchLimit): more are probably waiting. */
  backlog?: boolean;
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

/** Child records of a parent-to-child subquery in a REST query answer (null when none). */
const childPage = z.object({ done: z.boolean(), nextRecordsUrl: z.string().optional(), records: z.array(z.record(z.string(), z.unknown())) }).nullish();

function childRows(value: unknown, names: OrgNames): { rows: Row[]; next: string | undefined } {
  const parsed = childPage.safeParse(value);
  if (!parsed.success || !parsed.data) return { rows: [], next: undefined };
  const rows = parsed.data.records.map(({ attributes: _attributes, ...record }) => names.strip(record));
  return { rows, next: parsed.data.done ? undefined : parsed.data.nextRecordsUrl };
}

/** What the gate needs from the run's reads: the line's edges, the WIP at every station and the measured moves. */
export interface LineReads {
  edges: FlowEdge[];
  /** Exits and station-to-station moves of the last FLOW_HISTORY_DAYS, by station key. */
  transitions: TransitionCounts;
  /** Assets at each station (owned or waiting), by station key. */
  wipAt: Record<string, number>;
  /** Open assets per owner at the run's station. */
  wipByOwner: Record<string, number>;
}

/**
 * One aggregate over Stage_Event__c station visits that are open or closed within the
 * history window, per (station entered, station left, asset type): COUNT(Id) visits and
 * COUNT(Exited_At__c) those closed. It answers two questions in one query of the floor's
 * Composite (which already holds Salesforce's 5 queries):
 * - WIP of account and opportunity stations: visits not closed;
 * - moves for release control: a station's exits are its closed visits (closed within the
 *   window); the moves from X to Y are Y's visits entered from X. Those include a Y visit
 *   entered before the window and still open (an asset stuck at Y longer than the window),
 *   so a measured share can only err upward: toward holding back more, never less.
 * The flows write station Names into To_Value__c/From_Value__c: mapped to keys here.
 */
export function stageEventQuery(names: OrgNames, historySince: Date): string {
  const { n } = names;
  return soql`SELECT ${n('To_Value__c')} station, ${n('From_Value__c')} came, ${n('Asset_Type__c')} type, COUNT(Id) visits, COUNT(${n('Exited_At__c')}) closed FROM ${n('Stage_Event__c')} WHERE ${n('Kind__c')} = 'Station' AND (${n('Exited_At__c')} = null OR ${n('Exited_At__c')} >= ${historySince}) GROUP BY ${n('To_Value__c')}, ${n('From_Value__c')}, ${n('Asset_Type__c')} LIMIT 2000`;
}

/** WIP of account/opportunity stations and the measured transitions, from stageEventQuery's rows. */
export function stageEventCounts(rows: readonly Row[], stations: readonly Station[], historyDays: number): { wipAt: Record<string, number>; transitions: TransitionCounts } {
  const keyOf = stationKeyOf(stations);
  const wipAt: Record<string, number> = {};
  const exits = new Map<string, number>();
  const moves = new Map<string, number>();
  for (const row of rows) {
    if (typeof row.station !== 'string' || row.station === '') continue;
    const to = keyOf(row.station);
    const visits = Number(row.visits ?? 0);
    const closed = Number(row.closed ?? 0);
    // Leads are counted from Lead itself (Station__c, OwnerId): exact, and split by owner.
    if (row.type !== 'Lead') wipAt[to] = (wipAt[to] ?? 0) + (visits - closed);
    exits.set(to, (exits.get(to) ?? 0) + closed);
    if (typeof row.came === 'string' && row.came !== '') {
      const move = transitionKey(keyOf(row.came), to);
      moves.set(move, (moves.get(move) ?? 0) + visits);
    }
  }
  return { wipAt, transitions: { exits, moves, windowHours: historyDays * 24 } };
}

function lineReads(names: OrgNames, stationRows: Row[], leadWipRows: Row[], stageRows: Row[], floor: Floor, key: string): LineReads {
  const edges: FlowEdge[] = [];
  for (const station of stationRows) {
    const from = typeof station.Key__c === 'string' ? station.Key__c : null;
    for (const rule of childRows(station.Rules__r, names).rows) {
      const to = typeof rule.Next_Station__c === 'string' ? floor.stationKeyById.get(rule.Next_Station__c) : undefined;
      if (from && to) edges.push({ from, to });
    }
  }
  const wipAt: Record<string, number> = {};
  const wipByOwner: Record<string, number> = {};
  for (const row of leadWipRows) {
    const station = typeof row.Station__c === 'string' ? floor.stationKeyById.get(row.Station__c) : undefined;
    const count = Number(row.wip ?? 0);
    if (!station) continue;
    wipAt[station] = (wipAt[station] ?? 0) + count;
    if (station === key && typeof row.OwnerId === 'string') wipByOwner[row.OwnerId] = count;
  }
  const stage = stageEventCounts(stageRows, floor.stations, FLOW_HISTORY_DAYS);
  for (const [station, count] of Object.entries(stage.wipAt)) wipAt[station] = (wipAt[station] ?? 0) + count;
  return { edges, wipAt, wipByOwner, transitions: stage.transitions };
}

/**
 * The floor in one call, within the Composite limit of 5 queries (REST API Developer Guide,
 * "Composite": up to 5 subrequests can be sObject Collections or queries): stations with
 * their stored state, their rules and the station's ledger rows of the rate window as child
 * subqueries; reps; lead WIP per station and owner (one aggregate); the waiting leads; one
 * aggregate over the stage events (the WIP of account and opportunity stations and the moves
 * of the last FLOW_HISTORY_DAYS between stations, for release control: stageEventQuery).
 */
export async function readFloor(
  client: OrgClient,
  names: OrgNames,
  options: AssignRunOptions,
  since: Date,
  /** The bulk path reads the waiting leads through Bulk API 2.0: here it only counts them. */
  countOnly = false,
  /** `since` is the running engine's last stored state: the older draws are in its RateWindow. */
  incremental = false
): Promise<{ floor: Floor; assetRows: Row[]; recentRows: Row[]; recentSince: Date; storedState: unknown; line: LineReads; stationId: string }> {
  const { n, list } = names;
  const key = options.station;
  const policy = options.policy ?? DEFAULT_POLICY;
  const base = floorQueries(names);
  const stationsWithChildren = soql`SELECT ${list([...STATION_FIELDS, 'Engine_State__c'])}, (SELECT ${n('Next_Station__c')} FROM ${n('Rules__r')}), (SELECT ${list(LEDGER_FIELDS)} FROM ${n('Assignments__r')} WHERE ${n('Assigned_At__c')} >= ${since} AND ${n('Method__c')} IN ('Permuted Block', 'Rebalance') ORDER BY ${n('Assigned_At__c')}, Id) FROM ${n('Station__c')}`;
  const historySince = new Date(options.now.getTime() - FLOW_HISTORY_DAYS * 86_400_000);
  const [stationRows = [], repRows = [], leadWipRows = [], assetRows = [], stageRows = []] = await queryMany(client, [
    stationsWithChildren,
    base.reps,
    soql`SELECT ${n('Station__c')}, OwnerId, COUNT(Id) wip FROM Lead WHERE ${n('Station__c')} != null AND IsConverted = false GROUP BY ${n('Station__c')}, OwnerId LIMIT 2000`,
    countOnly ? `SELECT COUNT(Id) n FROM Lead WHERE ${waitingWhere(names, options)}` : `${waitingQuery(names, options, policy)} LIMIT ${options.batchLimit ?? 2000}`,
    stageEventQuery(names, historySince)
  ]);
  const floor = floorFrom(stationRows, repRows);
  const station = floor.stations.find((candidate) => candidate.key === key);
  if (!station) {
    throw new AssignSetupError('--station', key, `no Station__c with Key__c ${key}; known: ${floor.stations.map((s) => s.key).join(', ') || 'none'}`);
  }
  const stationId = floor.stationIdByKey.get(key) as string;
  const own = stationRows.find((row) => row.Id === stationId);
  const recent = childRows(own?.Assignments__r, names);
  const recentRows = recent.rows;
  for (let next = recent.next; next; ) {
    const url: string = next;
    const more = childRows(await withRetry(() => client.conn.request(url), client.config.retry, 'queryMore'), names);
    recentRows.push(...more.rows);
    next = more.next;
  }
  const recentSince = incremental ? since : windowStart(station, options.now, since);
  if (recentSince < since) recentRows.unshift(...(await ledgerRowsBetween(client, names, stationId, recentSince, since)));
  return { floor, assetRows, recentRows, recentSince, storedState: own?.Engine_State__c, line: lineReads(names, stationRows, leadWipRows, stageRows, floor, key), stationId };
}

/** Where a full read of the rate window starts: the default window, or a longer station's own. */
function windowStart(station: Station, now: Date, since: Date): Date {
  return new Date(Math.min(since.getTime(), now.getTime() - rateWindowMs(station) - RATE_WINDOW_MARGIN_MS));
}

/** The station's drawing ledger rows assigned from `from` (and before `to`), oldest first, all pages. */
async function ledgerRowsBetween(client: OrgClient, names: OrgNames, stationId: string, from: Date, to?: Date): Promise<Row[]> {
  const { n, list } = names;
  const before = to === undefined ? '' : soql` AND ${n('Assigned_At__c')} < ${to}`;
  const [rows = []] = await queryMany(client, [
    `${soql`SELECT ${list(LEDGER_FIELDS)} FROM ${n('Assignment__c')} WHERE ${n('Station__c')} = ${stationId} AND ${n('Assigned_At__c')} >= ${from}`}${before}${soql` AND ${n('Method__c')} IN ('Permuted Block', 'Rebalance') ORDER BY ${n('Assigned_At__c')}, Id`}`
  ]);
  return rows;
}

/** The leads waiting at the station for an owner (owned by the integration user, not in a closed bin). */
export function waitingWhere(names: OrgNames, options: Pick<AssignRunOptions, 'station' | 'takesUnstationed' | 'unassignedOwnerId'>): string {
  const { n } = names;
  const key = options.station;
  const stationFilter = options.takesUnstationed ? soql`(${n('Station__r.Key__c')} = ${key} OR ${n('Station__c')} = null)` : soql`${n('Station__r.Key__c')} = ${key}`;
  return `${soql`IsConverted = false AND OwnerId = ${options.unassignedOwnerId} AND ${n('Bin__c')} NOT IN ${[...AVOID_AND_CLOSED_BINS]} AND `}${stationFilter}`;
}

/** Oldest first, as the station's queue promises. */
export function waitingQuery(names: OrgNames, options: Pick<AssignRunOptions, 'station' | 'takesUnstationed' | 'unassignedOwnerId'>, policy: AssignmentPolicy): string {
  return `${soql`SELECT ${names.list(policyFields(policy))} FROM Lead WHERE `}${waitingWhere(names, options)} ORDER BY ${names.api('Station_Entered_At__c')} ASC NULLS LAST, CreatedDate, Id`;
}

/** Where the run's block state came from: the station's stored state, this process's cache, or the ledger. */
export type StateSource = 'stored' | 'cache' | 'ledger';

/** The blocks to continue; `storedAsOf` when the station's stored state is current (and stays so if the run draws nothing). */
export interface ResolvedState {
  state: AssignmentState;
  source: StateSource;
  storedAsOf?: string;
}

const secondOf = (instant: string): Date => new Date(Math.floor(parseInstant(instant) / 1000) * 1000);

/** Adds the station's draws among `rows` to `draws`, by ledger key. */
function addDraws(draws: RateWindow['draws'], rows: readonly LedgerRow[], stationKey: string): RateWindow['draws'] {
  for (const row of rows) if (isStationDraw(row, stationKey)) draws.set(row.ledgerKey, { repId: row.repId, at: parseInstant(row.assignedAt) });
  return draws;
}

/**
 * The running engine's incremental path: the stored state is the one its last run left and
 * the rows read since that state's time prove it current; the hourly caps then count the
 * draws it kept plus those rows. Null sends the run to a full read.
 */
function warmState(station: Station, warm: RateWindow, storedState: unknown, recent: LedgerRow[], since: Date, now: Date): ResolvedState | null {
  const stored = parseEngineState(storedState, station.key);
  if (!stored || stored.asOf !== warm.stateAsOf || !engineStateIsCurrent(stored, recent, since)) return null;
  addDraws(warm.draws, recent, station.key);
  return { state: { station: station.key, strata: stored.strata, recentDraws: recentDrawsOf(station, warm.draws.values(), now) }, source: 'stored', storedAsOf: stored.asOf };
}

/**
 * After a run: the window the next run may continue from, when the station's stored state is
 * known (`stateAsOf`: the state this run wrote, or the current one it left alone); else none,
 * and the next run reads the whole window. Draws older than any rate window are dropped.
 */
function keepWindow(cache: LedgerCache, station: Station, stateAsOf: string | undefined, read: LedgerRow[], drawn: LedgerRow[], now: Date): void {
  if (stateAsOf === undefined) {
    cache.window = undefined;
    return;
  }
  const draws = addDraws(cache.window?.draws ?? addDraws(new Map(), read, station.key), drawn, station.key);
  const oldest = windowStart(station, now, new Date(now.getTime() - RECENT_WINDOW_MS)).getTime();
  for (const [ledgerKey, draw] of draws) if (draw.at < oldest) draws.delete(ledgerKey);
  cache.window = { stateAsOf, draws };
}

/**
 * The blocks to continue. The stored state when the ledger proves it current (no read at
 * all); else the blocks this process kept (the running engine); else the ledger itself: the
 * latest block of each stratum (one aggregate), then those blocks' rows (two more calls).
 */
export async function blockState(
  client: OrgClient,
  names: OrgNames,
  station: Station,
  reads: { recentRows: LedgerRow[]; storedState: unknown; stationKeyById: Map<string, string> },
  cache: LedgerCache,
  since: Date,
  now: Date
): Promise<ResolvedState> {
  for (const row of reads.recentRows) cache.rows.set(row.ledgerKey, row);
  const stored = parseEngineState(reads.storedState, station.key);
  if (stored && engineStateIsCurrent(stored, reads.recentRows, since)) {
    return { state: stateFromEngineState(stored, station, reads.recentRows, now), source: 'stored', storedAsOf: stored.asOf };
  }
  if (cache.complete === true && cache.rows.size > 0) return { state: rebuildState(station, sortRows(cache.rows.values()), now), source: 'cache' };
  const [latest = []] = await queryMany(client, [latestBlocksQuery(names, station.key)]);
  for (const raw of await loadOpenBlocks(client, names, station.key, since, latest)) {
    const row = ledgerRowFromRecord(raw, reads.stationKeyById);
    cache.rows.set(row.ledgerKey, row);
  }
  cache.complete = true;
  return { state: rebuildState(station, sortRows(cache.rows.values()), now), source: 'ledger' };
}

export async function runAssignment(client: OrgClient, options: AssignRunOptions): Promise<AssignRunResult> {
  if (options.bulk && !options.rebalance && !options.dryRun) {
    // The large-run path keeps no cache: what this process kept is stale after it.
    options.cache?.rows.clear();
    if (options.cache) {
      options.cache.complete = false;
      options.cache.window = undefined;
    }
    return runLargeAssignment(client, options);
  }
  const callsBefore = client.apiCalls();
  const names = orgNames(client);
  const policy = options.policy ?? DEFAULT_POLICY;
  const key = options.station;
  const cache = options.cache ?? { rows: new Map<string, LedgerRow>() };
  const warm = cache.window;
  const fullSince = new Date(options.now.getTime() - RECENT_WINDOW_MS);
  const { floor, assetRows, recentRows, recentSince, storedState, line, stationId } = await readFloor(client, names, options, warm ? secondOf(warm.stateAsOf) : fullSince, false, warm !== undefined);
  const station = floor.stations.find((candidate) => candidate.key === key) as Station;
  let recent = recentRows.map((raw) => ledgerRowFromRecord(raw, floor.stationKeyById));
  let since = recentSince;
  let resolved = warm ? warmState(station, warm, storedState, recent, since, options.now) : null;
  if (warm && !resolved) {
    // Another writer, or a state this process did not leave: the whole window, once more.
    cache.window = undefined;
    since = windowStart(station, options.now, fullSince);
    recent = (await ledgerRowsBetween(client, names, stationId, since)).map((raw) => ledgerRowFromRecord(raw, floor.stationKeyById));
  }
  resolved ??= await blockState(client, names, station, { recentRows: recent, storedState, stationKeyById: floor.stationKeyById }, cache, since, options.now);
  const { state, source } = resolved;
  const readCalls = client.apiCalls() - callsBefore;
  const wip = line.wipByOwner;

  const repairs: Array<{ assetId: string; repId: string; needsStation: boolean }> = [];
  const assets: AssetToAssign[] = [];
  const needsStation = new Set<string>();
  const existingKeys = new Set(cache.rows.keys());
  const candidates = options.rebalance ?? assetRows.map((record) => ({ record, visit: visitOf(record) }));
  for (const { record, visit } of candidates) {
    const asset = assetFromRecord(record, 'Lead', policy, visit);
    const ledgerKey = ledgerKeyOf(key, asset);
    const existing = cache.rows.get(ledgerKey) ?? cache.window?.draws.get(ledgerKey);
    if (record.Station__c == null) needsStation.add(asset.id);
    if (existing) {
      existingKeys.add(ledgerKey);
      repairs.push({ assetId: asset.id, repId: existing.repId, needsStation: record.Station__c == null });
    } else assets.push(asset);
  }

  // Flow control: the station releases no more than its downstream stations can absorb.
  // A rebalance moves assets that are already at the station between reps, so it is not gated.
  const ownWip = Object.entries(wip).reduce((sum, [owner, count]) => (owner === options.unassignedOwnerId ? sum : sum + count), 0);
  const gate = releaseGate({ station: key, stations: floor.stations, reps: floor.reps, wipAt: line.wipAt, ownWip, edges: line.edges, transitions: line.transitions, now: options.now });
  const gated = !options.rebalance && gate.mayRelease < NO_LIMIT;
  const releaseLimit = Math.min(options.releaseLimit ?? Number.POSITIVE_INFINITY, gated ? gate.mayRelease : Number.POSITIVE_INFINITY);

  const result = assignBatch({
    station,
    reps: floor.reps,
    policy,
    state,
    assets,
    now: options.now,
    seed: options.seed ?? newRunSeed(),
    wip,
    existingKeys,
    ...(options.rebalance ? { method: 'Rebalance' as const } : {}),
    ...(Number.isFinite(releaseLimit) ? { releaseLimit, releaseReason: gated && releaseLimit === gate.mayRelease ? gate.reason : `--release-limit ${releaseLimit}` } : {})
  });
  const held = result.waiting.filter((entry) => entry.reason === 'held-by-flow-control').length;

  let failed: RecordOutcome[] = [];
  const engineState = result.rows.length > 0 ? encodeEngineState(result.state, options.now, drawsInSecondOf(recent, key, options.now) + result.rows.length) : undefined;
  if (!options.dryRun && (result.rows.length > 0 || repairs.length > 0)) {
    failed = await writeAssignments(client, names, {
      rows: result.rows,
      repairs,
      stationId,
      stationIdByKey: floor.stationIdByKey,
      needsStation,
      flow: { held, mayRelease: gated ? gate.mayRelease : null, limitedBy: gated ? gate.limitedBy : null },
      // Only a run that drew writes the state (a repair-only run leaves the blocks as they were).
      ...(engineState !== undefined ? { engineState } : {})
    });
    for (const row of result.rows) cache.rows.set(row.ledgerKey, row);
  }
  if (!options.dryRun) {
    const left = engineState === undefined ? resolved.storedAsOf : failed.length === 0 && engineState !== null ? options.now.toISOString() : undefined;
    keepWindow(cache, station, left, recent, result.rows, options.now);
  }
  // A dry run drew nothing: the open blocks are still the ones it started from.
  pruneCache(cache, (options.dryRun ? state : result.state).strata);
  return {
    station: key,
    rows: result.rows,
    repaired: repairs.length,
    waiting: result.waiting,
    held,
    gate,
    failed,
    apiCalls: client.apiCalls() - callsBefore,
    readCalls,
    stateSource: source,
    ledgerRowsRead: recent.length,
    backlog: !options.rebalance && assetRows.length >= (options.batchLimit ?? 2000),
    dryRun: options.dryRun === true
  };
}

/**
 * Keeps only the rows of open blocks between runs. The rate window's rows are read again by
 * every run (readFloor), so keeping them too would only hold a copy that grows with the
 * arrival rate.
 */
function pruneCache(cache: LedgerCache, open: Record<string, { block: number }>): void {
  for (const [ledgerKey, row] of cache.rows) {
    const current = row.stratum === null ? undefined : open[row.stratum];
    if (current === undefined || row.block !== current.block) cache.rows.delete(ledgerKey);
  }
}

interface AssignmentWrites {
  rows: LedgerRow[];
  repairs: Array<{ assetId: string; repId: string; needsStation: boolean }>;
  stationId: string;
  stationIdByKey: Map<string, string>;
  needsStation: Set<string>;
  flow: { held: number; mayRelease: number | null; limitedBy: string | null };
  /** The station's new stored state; null clears it (too large), absent leaves it. */
  engineState?: string | null;
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
  const payload = JSON.stringify({ station: writes.stationId, assigned: writes.rows.map((row) => [row.assetId, row.repId]), ...writes.flow });
  const ops: WriteOp[] = [
    { kind: 'upsert', sobject: names.api('Assignment__c'), externalIdField: names.api('Ledger_Key__c'), records: ledger },
    { kind: 'update', sobject: 'Lead', records: owners },
    {
      kind: 'create',
      sobject: names.api('Engine_Signal__e'),
      records: [names.record({ Kind__c: 'ASSIGNED', Record_Id__c: writes.stationId, Payload__c: payload.length <= 32_000 ? payload : JSON.stringify({ station: writes.stationId, count: writes.rows.length, ...writes.flow }) })]
    }
  ];
  // The state goes last: if it is not written, the ledger shows the run's rows as newer than
  // the stored state, and the next run rebuilds from the ledger.
  if (writes.engineState !== undefined) ops.push({ kind: 'update', sobject: names.api('Station__c'), records: [names.record({ Id: writes.stationId, Engine_State__c: writes.engineState })] });
  const reports = await writeRecords(client, ops.filter((op) => op.records.length > 0));
  return reports.flatMap((report) => report.failed.map((failure) => ({ ...failure, key: `${report.sobject}:${failure.key}` })));
}
