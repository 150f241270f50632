import { dayFromIso, type Day } from './dates';
import type { OpportunityHistory } from './types';

/** Close day of a deal not known to be closed at the as-of date. */
export const OPEN: Day = 2_147_483_647;
/** No stage known: before the first stage-history row, or no history at all. */
export const UNKNOWN_STAGE = 0;

export interface Dictionaries {
  rep: string[];
  team: string[];
  product: string[];
  source: string[];
  segment: string[];
  /** Index 0 is "Open" (stage not known). */
  stage: string[];
  /** Stages deals entered the pipeline at (their stage on their creation day). */
  entryStage: string[];
}

/**
 * Everything the forecast may know at `asOf` (the start of that day), in columns. This is the
 * one place where leakage is decided: every model, baseline and calibration step reads deals
 * only through this table and the accessors below, never the raw history.
 *   - Deals created on or after the as-of date do not exist yet.
 *   - A deal closed before the as-of date shows its outcome, close date and amount.
 *   - A deal closing on or after it is open, with its stage, amount and expected close date
 *     only as far as stage-history rows dated before the as-of date tell, or as the export
 *     tells when the as-of date is on or after the snapshot (the export is then the present).
 */
export interface ClosedColumns {
  deal: Int32Array;
  created: Int32Array;
  close: Int32Array;
  won: Uint8Array;
  amount: Float64Array;
  product: Int32Array;
}

export interface KnownDeals {
  asOf: Day;
  snapshot: Day;
  /** First known close: history before it is outside the export's window (left truncation). */
  observedFrom: Day | null;
  n: number;
  ids: string[];
  created: Int32Array;
  close: Int32Array;
  won: Uint8Array;
  /** Amount of deals closed before the as-of date; NaN otherwise. */
  closedAmount: Float64Array;
  /** The export's present state of deals open at the snapshot, when asOf >= snapshot. */
  currentStage: Int32Array;
  currentAmount: Float64Array;
  currentCloseDay: Int32Array;
  rep: Int32Array;
  team: Int32Array;
  product: Int32Array;
  source: Int32Array;
  segment: Int32Array;
  /** Code (dict.entryStage) of the stage each deal had on its creation day, from the history. */
  entryStage: Int32Array;
  dict: Dictionaries;
  /** Stage-history rows dated before asOf and before the deal's known close (CSR by deal). */
  history: {
    offsets: Int32Array;
    day: Int32Array;
    stage: Int32Array;
    amount: Float64Array;
    closeDay: Int32Array;
  };
  useStages: boolean;
  /** List price per product code (NaN when none). */
  listPrice: Float64Array;
  /** Deals known closed, by close day; all deals by created day; open deals by created day. */
  closedByDay: Int32Array;
  /** Columns of the closed deals laid out in close-day order, for sequential scans. */
  closed: ClosedColumns;
  byCreated: Int32Array;
  openByCreated: Int32Array;
}

const NONE = '(none)';

/** The day after the latest date the export holds (open deals' expected close dates aside). */
export function resolveSnapshot(history: OpportunityHistory): Day {
  if (history.snapshotDate) return dayFromIso(history.snapshotDate, 'snapshotDate');
  let latest = -Infinity;
  for (const row of history.opportunities) {
    latest = Math.max(latest, dayFromIso(row.createdDate, 'createdDate'));
    if (row.isClosed && row.closeDate)
      latest = Math.max(latest, dayFromIso(row.closeDate, 'closeDate'));
  }
  for (const row of history.stageHistory ?? [])
    latest = Math.max(latest, dayFromIso(row.date, 'stageHistory.date'));
  return Number.isFinite(latest) ? latest + 1 : 0;
}

function codes(values: readonly string[]): { names: string[]; index: Map<string, number> } {
  const names = [...new Set(values)].sort();
  return { names, index: new Map(names.map((name, i) => [name, i])) };
}

type Row = OpportunityHistory['opportunities'][number];

export function knownAt(history: OpportunityHistory, asOf: Day): KnownDeals {
  const snapshot = resolveSnapshot(history);
  const present = asOf >= snapshot;
  const rows = history.opportunities;
  const keptAll = new Int32Array(rows.length);
  const createdAll = new Int32Array(rows.length);
  let n = 0;
  for (let r = 0; r < rows.length; r += 1) {
    const day = dayFromIso((rows[r] as Row).createdDate, 'createdDate');
    if (day < asOf) {
      keptAll[n] = r;
      createdAll[n] = day;
      n += 1;
    }
  }
  const kept = keptAll.subarray(0, n);
  // Codes follow the sorted names of the deals known at asOf only, so that nothing about later
  // deals (not even a new rep's name) can change the order in which the model sums. One pass
  // assigns first-seen codes, then they are renumbered in name order.
  const rep = new Dictionary();
  const team = new Dictionary();
  const product = new Dictionary();
  const source = new Dictionary();
  const segment = new Dictionary();
  const repCodes = new Int32Array(n);
  const teamCodes = new Int32Array(n);
  const productCodes = new Int32Array(n);
  const sourceCodes = new Int32Array(n);
  const segmentCodes = new Int32Array(n);
  const created = createdAll.slice(0, n);
  const close = new Int32Array(n).fill(OPEN);
  const won = new Uint8Array(n);
  const closedAmount = new Float64Array(n).fill(NaN);
  const currentAmount = new Float64Array(n).fill(NaN);
  const currentCloseDay = new Int32Array(n).fill(-1);
  const currentStageName = new Map<number, string>();
  let observedFrom: Day | null = null;
  const ids: string[] = new Array<string>(n);
  for (let i = 0; i < n; i += 1) {
    const row = rows[kept[i] as number] as Row;
    ids[i] = row.id;
    repCodes[i] = rep.code(row.rep);
    teamCodes[i] = team.code(row.team);
    productCodes[i] = product.code(row.product);
    sourceCodes[i] = source.code(row.source);
    segmentCodes[i] = segment.code(row.segment);
    const closeDay = row.isClosed && row.closeDate ? dayFromIso(row.closeDate, 'closeDate') : OPEN;
    if (closeDay < asOf) {
      close[i] = closeDay;
      won[i] = row.isWon ? 1 : 0;
      closedAmount[i] = row.amount ?? NaN;
      observedFrom = observedFrom === null ? closeDay : Math.min(observedFrom, closeDay);
    } else if (present && !row.isClosed) {
      currentStageName.set(i, row.stage);
      currentAmount[i] = row.amount ?? NaN;
      currentCloseDay[i] = row.closeDate ? dayFromIso(row.closeDate, 'closeDate') : -1;
    }
  }
  for (const name of Object.keys(history.listPrices ?? {})) product.code(name);
  const dict = {
    rep: rep.renumber(repCodes),
    team: team.renumber(teamCodes),
    product: product.renumber(productCodes),
    source: source.renumber(sourceCodes),
    segment: segment.renumber(segmentCodes)
  };
  const closedByDay = sortByDay(close, close, true);
  const indexById = new Map<string, number>();
  if ((history.stageHistory ?? []).length > 0) ids.forEach((id, i) => indexById.set(id, i));

  const stageRows = (history.stageHistory ?? [])
    .map((row) => ({
      row,
      i: indexById.get(row.opportunityId),
      day: dayFromIso(row.date, 'stageHistory.date')
    }))
    .filter(
      (entry): entry is { row: (typeof entry)['row']; i: number; day: number } =>
        entry.i !== undefined &&
        entry.day < asOf &&
        // Rows on or after the close are the close itself, except the row written at creation.
        (entry.day < (close[entry.i] as number) || entry.day === (created[entry.i] as number))
    );
  const useStages = stageRows.length > 0;
  const stageNames = codes([
    ...stageRows.map((entry) => entry.row.stage),
    ...(useStages ? currentStageName.values() : [])
  ]).names.filter((s) => s !== 'Open');
  const stageDict = ['Open', ...stageNames];
  const stageIndex = new Map(stageDict.map((name, i) => [name, i]));
  const currentStage = new Int32Array(n).fill(-1);
  if (useStages)
    for (const [i, name] of currentStageName) currentStage[i] = stageIndex.get(name) ?? 0;

  stageRows.sort((a, b) => a.i - b.i || a.day - b.day);
  const offsets = new Int32Array(n + 1);
  for (const entry of stageRows) offsets[entry.i + 1] = (offsets[entry.i + 1] as number) + 1;
  for (let i = 0; i < n; i += 1)
    offsets[i + 1] = (offsets[i + 1] as number) + (offsets[i] as number);
  const entry = entryStages(n, created, offsets, stageRows, stageDict);
  const listPrice = new Float64Array(dict.product.length).fill(NaN);
  const productIndex = new Map(dict.product.map((name, i) => [name, i]));
  for (const [name, price] of Object.entries(history.listPrices ?? {}))
    listPrice[productIndex.get(name) as number] = price;
  return {
    asOf,
    snapshot,
    observedFrom,
    n,
    ids,
    created,
    close,
    won,
    closedAmount,
    currentStage,
    currentAmount,
    currentCloseDay,
    rep: repCodes,
    team: teamCodes,
    product: productCodes,
    source: sourceCodes,
    segment: segmentCodes,
    entryStage: entry.codes,
    dict: { ...dict, stage: stageDict, entryStage: entry.names },
    history: {
      offsets,
      day: Int32Array.from(stageRows, (entry) => entry.day),
      stage: Int32Array.from(stageRows, (entry) => stageIndex.get(entry.row.stage) as number),
      amount: Float64Array.from(stageRows, (entry) => entry.row.amount ?? NaN),
      closeDay: Int32Array.from(stageRows, (entry) =>
        entry.row.closeDate ? dayFromIso(entry.row.closeDate, 'stageHistory.closeDate') : -1
      )
    },
    useStages,
    listPrice,
    closedByDay,
    closed: {
      deal: closedByDay,
      created: gather(closedByDay, created, new Int32Array(closedByDay.length)),
      close: gather(closedByDay, close, new Int32Array(closedByDay.length)),
      won: gather(closedByDay, won, new Uint8Array(closedByDay.length)),
      amount: gather(closedByDay, closedAmount, new Float64Array(closedByDay.length)),
      product: gather(closedByDay, productCodes, new Int32Array(closedByDay.length))
    },
    byCreated: sortByDay(created, null),
    openByCreated: sortByDay(created, close)
  };
}

/**
 * The stage each deal had at the end of its creation day ("Open" without a row that day), coded
 * in name order over the stages deals actually entered at: a history whose deals all start at
 * the same stage has one entry stage, and the win tree then leaves the level out.
 */
function entryStages(
  n: number,
  created: Int32Array,
  offsets: Int32Array,
  rows: ReadonlyArray<{ row: { stage: string }; day: number }>,
  stageDict: readonly string[]
): { codes: Int32Array; names: string[] } {
  if (rows.length === 0) return { codes: new Int32Array(n), names: [stageDict[0] as string] };
  const named = new Array<string>(n);
  for (let i = 0; i < n; i += 1) {
    let name = stageDict[0] as string;
    for (let r = offsets[i] as number; r < (offsets[i + 1] as number); r += 1) {
      const entry = rows[r] as { row: { stage: string }; day: number };
      if (entry.day !== created[i]) break;
      name = entry.row.stage;
    }
    named[i] = name;
  }
  const names = [...new Set(named)].sort();
  const index = new Map(names.map((name, c) => [name, c]));
  return { codes: Int32Array.from(named, (name) => index.get(name) as number), names };
}

/**
 * Indices of deals ordered by `days` (counting sort: stable, linear). With `filter`, only deals
 * whose filter day is OPEN (or, with `closedOnly`, not OPEN) are kept.
 */
function sortByDay(days: Int32Array, filter: Int32Array | null, closedOnly = false): Int32Array {
  const keep = (i: number): boolean =>
    filter === null || ((filter[i] as number) === OPEN) !== closedOnly;
  let min = Number.MAX_SAFE_INTEGER;
  let max = -Number.MAX_SAFE_INTEGER;
  let count = 0;
  for (let i = 0; i < days.length; i += 1) {
    if (!keep(i)) continue;
    const day = days[i] as number;
    if (day < min) min = day;
    if (day > max) max = day;
    count += 1;
  }
  const out = new Int32Array(count);
  if (count === 0) return out;
  const starts = new Int32Array(max - min + 2);
  for (let i = 0; i < days.length; i += 1)
    if (keep(i))
      starts[(days[i] as number) - min + 1] = (starts[(days[i] as number) - min + 1] as number) + 1;
  for (let d = 1; d < starts.length; d += 1)
    starts[d] = (starts[d] as number) + (starts[d - 1] as number);
  for (let i = 0; i < days.length; i += 1) {
    if (!keep(i)) continue;
    const slot = (days[i] as number) - min;
    out[starts[slot] as number] = i;
    starts[slot] = (starts[slot] as number) + 1;
  }
  return out;
}

function gather<T extends Int32Array | Uint8Array | Float64Array>(
  order: Int32Array,
  from: T,
  into: T
): T {
  for (let j = 0; j < order.length; j += 1) into[j] = from[order[j] as number] as number;
  return into;
}

/** Names to codes in first-seen order, renumbered by name at the end. */
class Dictionary {
  private readonly index = new Map<string, number>();
  private readonly names: string[] = [];

  code(name: string | null | undefined): number {
    const key = name || NONE;
    let code = this.index.get(key);
    if (code === undefined) {
      code = this.names.length;
      this.index.set(key, code);
      this.names.push(key);
    }
    return code;
  }

  /** Rewrites `codes` so that code order is name order; returns the sorted names. */
  renumber(codes: Int32Array): string[] {
    const sorted = [...this.names].sort();
    const rank = new Map(sorted.map((name, i) => [name, i]));
    const remap = Int32Array.from(this.names, (name) => rank.get(name) as number);
    for (let i = 0; i < codes.length; i += 1) codes[i] = remap[codes[i] as number] as number;
    return sorted;
  }
}

/** First position in `order` whose deal's day is >= day. */
export function lowerBound(order: Int32Array, days: Int32Array, day: Day): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((days[order[mid] as number] as number) < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Deals open at `day` (created before it, not closed before it), in ascending index order. */
export function openAt(k: KnownDeals, day: Day): Int32Array {
  const { created, close, deal } = k.closed;
  const first = lowerBoundDays(close, day);
  const end = lowerBound(k.openByCreated, k.created, day);
  const out = new Int32Array(close.length - first + end);
  let count = 0;
  for (let j = first; j < close.length; j += 1)
    if ((created[j] as number) < day) out[count++] = deal[j] as number;
  for (let j = 0; j < end; j += 1) out[count++] = k.openByCreated[j] as number;
  return out.subarray(0, count).sort();
}

/** First position in an ascending array of days whose day is >= day. */
export function lowerBoundDays(days: Int32Array, day: Day): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((days[mid] as number) < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Won value of deals closed in [start, end) (and before asOf). */
export function wonBetween(k: KnownDeals, start: Day, end: Day): number {
  const { close, won, amount } = k.closed;
  let total = 0;
  for (let j = lowerBoundDays(close, start); j < close.length; j += 1) {
    if ((close[j] as number) >= end) break;
    if (!won[j]) continue;
    const x = amount[j] as number;
    if (!Number.isNaN(x)) total += x;
  }
  return total;
}

/*
 * State at an origin `day` <= asOf (inner backtest origins use the same table): only rows
 * dated before `day`, and the export's present only when `day` is on or after the snapshot.
 */

export function isOpenAt(k: KnownDeals, i: number, day: Day): boolean {
  return (k.created[i] as number) < day && (k.close[i] as number) >= day;
}

/** Index of the last stage-history row of deal i dated before `day`, or -1. */
function lastRowBefore(k: KnownDeals, i: number, day: Day): number {
  const from = k.history.offsets[i] as number;
  let j = (k.history.offsets[i + 1] as number) - 1;
  while (j >= from && (k.history.day[j] as number) >= day) j -= 1;
  return j >= from ? j : -1;
}

export function stageAt(k: KnownDeals, i: number, day: Day): number {
  if (!k.useStages) return UNKNOWN_STAGE;
  const row = lastRowBefore(k, i, day);
  if (row >= 0) return k.history.stage[row] as number;
  if (day >= k.snapshot && (k.currentStage[i] as number) >= 0) return k.currentStage[i] as number;
  return UNKNOWN_STAGE;
}

/** The day a deal entered the stage it has on `day` (its creation day when no row says). */
export function stageEnteredAt(k: KnownDeals, i: number, day: Day): Day {
  const from = k.history.offsets[i] as number;
  let j = lastRowBefore(k, i, day);
  if (j < 0) return k.created[i] as number;
  const stage = k.history.stage[j] as number;
  while (j - 1 >= from && (k.history.stage[j - 1] as number) === stage) j -= 1;
  return Math.max(k.history.day[j] as number, k.created[i] as number);
}

export function amountAt(k: KnownDeals, i: number, day: Day): number {
  const from = k.history.offsets[i] as number;
  for (let j = lastRowBefore(k, i, day); j >= from; j -= 1) {
    const amount = k.history.amount[j] as number;
    if (!Number.isNaN(amount)) return amount;
  }
  return day >= k.snapshot ? (k.currentAmount[i] as number) : NaN;
}

/** The CRM's expected close date of an open deal as known on `day`, or -1. */
export function expectedCloseAt(k: KnownDeals, i: number, day: Day): Day {
  const from = k.history.offsets[i] as number;
  for (let j = lastRowBefore(k, i, day); j >= from; j -= 1) {
    const expected = k.history.closeDay[j] as number;
    if (expected >= 0) return expected;
  }
  return day >= k.snapshot ? (k.currentCloseDay[i] as number) : -1;
}
