/**
 * The stage timers' history of the demo floor: the Stage_Event__c rows the package's
 * record-triggered flows (ASL_Lead_/ASL_Account_/ASL_Opportunity_Station_Event and
 * ASL_Lead_/ASL_Account_Bin_Event) would have written had the floor's two years been lived in
 * the org. The floor is loaded with flows off (storeSink.ts: the rows carry their own
 * historical stamps), so nothing writes these rows unless the generator does.
 *
 * `StageHistorySink` wraps the floor's sink and derives each asset's journey from the records
 * the generator writes (the asset's final Station__c/Bin__c and entry stamps, its dispositions,
 * an opportunity's stage history), so the history agrees with those records by construction
 * and needs no randomness: the same floor gives the same history. Lead and opportunity rows
 * are kept only until their batch's dispositions have been written (memory stays bounded);
 * accounts (a small share of the floor) and deals without dispositions yet are written by
 * `finish()`.
 */
import { ONBOARDING_DAYS } from './accounts';
import type { FloorRow, FloorSink, FloorValue, OpportunityWithHistory } from './sink';
import { DAY, isoDateTime } from './timeZones';

const MINUTE = 60_000;
const WRITE_CHUNK = 5_000;
/** The bin a deal's account sits in while the deal is open (AccountBook.stateOf). */
const ACTIVE_OPPORTUNITY = 'Nurture - Active Opportunity';
/**
 * What a lead batch writes after its leads. Any other write starts something new, so the
 * pending leads are complete and are flushed then: at the same point of the floor whatever the
 * batch size, which keeps the records (and a memory sink's ids) independent of it.
 */
const BATCH_TAIL: ReadonlySet<string> = new Set(['CampaignMember', 'Disposition__c']);

/** Bin a lead moves to on an SDR outcome (the line's SDR_CALL rules; LeadSimulator.nextCall). */
const SDR_BIN_MOVES: Readonly<Record<string, string>> = {
  Nurture: 'Nurture - Check Back Quarterly',
  'Not Interested': 'Nurture - Dead Opportunity',
  'Bad Fit': 'Avoid - Bad Fit',
  'Do Not Call': 'Avoid - Bad Fit',
  Duplicate: 'Avoid - Duplicate',
  'Current Client': 'Avoid - Current Client'
};

export type AssetType = 'Lead' | 'Account' | 'Opportunity';
export type StageKind = 'Station' | 'Bin';

/** One change of an asset's Station__c (a station id, or null: no station) or Bin__c. */
export interface Move {
  atMs: number;
  value: string | null;
  /** The user whose save made the change (Changed_By__c). */
  byId: string;
}

export interface StationInfo {
  name: string;
  slaHours: number | null;
}

export interface AssetRef {
  id: string;
  type: AssetType;
}

const LOOKUP: Readonly<Record<AssetType, string>> = {
  Lead: 'Lead__c',
  Account: 'Account__c',
  Opportunity: 'Opportunity__c'
};

/**
 * Orders the moves, keeps those up to the asset's current stamp, and ends them in the asset's
 * current value entered at its stamp (the open stay must equal the record). A move to the
 * value the asset already holds is no change (the flows fire on ISCHANGED) unless it re-stamps
 * the entry: the floor re-stamps a bin in one place (a meeting booked from Working), kept as a
 * stay from that bin to itself so the open stay still equals the record's stamp.
 */
export function normalizeMoves(moves: readonly Move[], current: Move | null): Move[] {
  const sorted = [...moves]
    .map((move, index) => ({ move, index }))
    .sort((a, b) => a.move.atMs - b.move.atMs || a.index - b.index)
    .map(({ move }) => move)
    .filter((move) => current === null || move.atMs <= current.atMs);
  if (current !== null) sorted.push(current);
  const out: Move[] = [];
  for (const move of sorted) {
    const last = out.at(-1);
    if (last === undefined) {
      // An asset never placed anywhere has no stays (the flows skip a blank value on create).
      if (move.value !== null) out.push(move);
      continue;
    }
    if (last.value !== move.value) out.push(move);
    else if (move === current && last.atMs !== move.atMs) out.push(move);
  }
  return out;
}

/**
 * The Stage_Event__c rows of one asset and kind, as the flows write them: each move closes the
 * open stay (exit, duration, SLA breach when it ends after its due time) and opens the next,
 * From_Value__c naming what it left; the last stay stays open. A station stay's values are the
 * station's Name and carry SLA_Due_At__c = entry + SLA_Hours__c; a move to no station opens a
 * blank stay (To_Value__c empty, no SLA), as `{!$Record.Station__r.Name}` is then empty.
 */
export function stayRows(
  asset: AssetRef,
  kind: StageKind,
  moves: readonly Move[],
  stations: ReadonlyMap<string, StationInfo>
): FloorRow[] {
  const rows: FloorRow[] = [];
  const label = (value: string | null): string | null => {
    if (value === null || kind === 'Bin') return value;
    const station = stations.get(value);
    if (station === undefined)
      throw new Error(`stage history: asset ${asset.id} moves to station ${value}, which the floor never wrote`);
    return station.name;
  };
  moves.forEach((move, index) => {
    const next = moves[index + 1];
    const sla = kind === 'Station' && move.value !== null ? (stations.get(move.value)?.slaHours ?? null) : null;
    const dueMs = sla === null ? null : move.atMs + sla * 3_600_000;
    const breached = next !== undefined && dueMs !== null && next.atMs > dueMs;
    const row: Record<string, FloorValue> = {
      Kind__c: kind,
      Asset_Id__c: asset.id,
      Asset_Type__c: asset.type,
      [LOOKUP[asset.type]]: asset.id,
      From_Value__c: index === 0 ? null : label(moves[index - 1]?.value ?? null),
      To_Value__c: label(move.value),
      Entered_At__c: isoDateTime(move.atMs),
      Exited_At__c: next === undefined ? null : isoDateTime(next.atMs),
      Duration_Minutes__c:
        next === undefined ? null : Math.max(0, Math.round(((next.atMs - move.atMs) / MINUTE) * 100) / 100),
      Changed_By__c: move.byId,
      OwnerId: move.byId,
      CreatedDate: isoDateTime(move.atMs)
    };
    if (kind === 'Station') {
      row.SLA_Due_At__c = dueMs === null ? null : isoDateTime(dueMs);
      row.SLA_Breached__c = breached;
      row.Breached_At__c = breached && dueMs !== null ? isoDateTime(dueMs) : null;
    }
    rows.push(row);
  });
  return rows;
}

interface Disposition {
  atMs: number;
  station: string | null;
  outcome: string;
  repId: string;
}

interface PendingLead {
  row: FloorRow;
  id: string;
  dispositions: Disposition[];
}

interface PendingOpportunity {
  row: FloorRow;
  id: string;
  history: FloorRow[];
  moves: Move[];
}

interface AccountRecord {
  id: string;
  createdMs: number;
  first: FloorRow;
  last: FloorRow;
}

const ms = (value: FloorValue | undefined): number | null =>
  typeof value === 'string' && value !== '' ? Date.parse(value) : null;
const text = (value: FloorValue | undefined): string | null =>
  typeof value === 'string' && value !== '' ? value : null;

/** The value an asset holds now and when it entered it, from its record. */
function currentMove(row: FloorRow, field: 'Station' | 'Bin', fallbackMs: number, byId: string): Move | null {
  const value = text(row[`${field}__c`]);
  const atMs = ms(row[`${field}_Entered_At__c`]);
  if (value === null && atMs === null) return null;
  return { value, atMs: atMs ?? fallbackMs, byId };
}

/**
 * A FloorSink that passes every write through and writes, alongside, the Stage_Event__c
 * history of the leads, opportunities and accounts it sees. It relies on the generator's
 * order: stations before assets, an asset's dispositions after the asset, a batch's leads
 * after its opportunities (generate.ts).
 */
export class StageHistorySink implements FloorSink {
  private readonly stations = new Map<string, StationInfo & { key: string }>();
  private readonly stationByKey = new Map<string, string>();
  private readonly leads = new Map<string, PendingLead>();
  private readonly opportunities = new Map<string, PendingOpportunity>();
  /** Lead -> its opportunity, once a disposition names both. */
  private readonly dealOfLead = new Map<string, string>();
  private readonly accounts = new Map<string, AccountRecord>();
  /** Accounts opened by a deal: `${AccountId}|${CreatedDate ms}` of every opportunity. */
  private readonly dealOpened = new Set<string>();
  private written = 0;

  constructor(private readonly inner: FloorSink) {}

  /** Stage_Event__c rows written so far. */
  get count(): number {
    return this.written;
  }

  async insert(objectName: string, rows: FloorRow[]): Promise<string[]> {
    if (!BATCH_TAIL.has(objectName)) await this.flushLeads();
    const ids = await this.inner.insert(objectName, rows);
    rows.forEach((row, index) => this.observe(objectName, row, ids[index] as string));
    return ids;
  }

  async update(objectName: string, rows: FloorRow[]): Promise<void> {
    await this.flushLeads();
    await this.inner.update(objectName, rows);
    if (objectName !== 'Account') return;
    for (const row of rows) {
      const record = this.accounts.get(String(row.Id));
      if (record !== undefined) record.last = { ...record.last, ...row };
    }
  }

  async insertOpportunities(items: OpportunityWithHistory[]): Promise<string[]> {
    await this.flushLeads();
    const ids = await this.inner.insertOpportunities(items);
    items.forEach((item, index) => {
      const id = ids[index] as string;
      this.opportunities.set(id, { row: item.row, id, history: item.history, moves: [] });
      const created = ms(item.row.CreatedDate);
      if (typeof item.row.AccountId === 'string' && created !== null)
        this.dealOpened.add(`${item.row.AccountId}|${created}`);
    });
    return ids;
  }

  /** Writes what is still pending (the last batch, every account); returns the rows written in all. */
  async finish(): Promise<number> {
    await this.flushLeads();
    await this.write(
      [...this.opportunities.values()].flatMap((opportunity) => this.opportunityRows(opportunity))
    );
    this.opportunities.clear();
    await this.write([...this.accounts.values()].flatMap((account) => this.accountRows(account)));
    this.accounts.clear();
    return this.written;
  }

  private observe(objectName: string, row: FloorRow, id: string): void {
    switch (objectName) {
      case 'Station__c': {
        const key = String(row.Key__c);
        const sla = typeof row.SLA_Hours__c === 'number' ? row.SLA_Hours__c : null;
        this.stations.set(id, { key, name: String(row.Name), slaHours: sla });
        this.stationByKey.set(key, id);
        return;
      }
      case 'Lead':
        this.leads.set(id, { row, id, dispositions: [] });
        return;
      case 'Account':
        this.accounts.set(id, { id, createdMs: ms(row.CreatedDate) ?? 0, first: row, last: row });
        return;
      case 'Disposition__c':
        this.disposition(row);
        return;
      default:
    }
  }

  private disposition(row: FloorRow): void {
    const atMs = ms(row.CreatedDate);
    if (atMs === null) return;
    const entry: Disposition = {
      atMs,
      station: text(row.Station__c),
      outcome: String(row.Outcome__c),
      repId: String(row.Rep__c)
    };
    const leadId = text(row.Lead__c);
    const opportunityId = text(row.Opportunity__c);
    if (leadId !== null && opportunityId !== null) this.dealOfLead.set(leadId, opportunityId);
    if (leadId !== null) this.leads.get(leadId)?.dispositions.push(entry);
    const stationKey = entry.station === null ? null : this.stations.get(entry.station)?.key;
    const dealId = opportunityId ?? (leadId === null ? null : this.dealOfLead.get(leadId));
    const deal = dealId === undefined || dealId === null ? undefined : this.opportunities.get(dealId);
    if (deal === undefined) return;
    // The opportunity's own moves: a no-show takes it off DEMO; a rebooking's confirmation
    // (a lead disposition, once the lead has a deal) puts it back.
    if (stationKey === 'DEMO' && entry.outcome === 'No Show')
      deal.moves.push({ atMs, value: null, byId: entry.repId });
    if (stationKey === 'COORDINATE' && entry.outcome === 'Confirmed' && opportunityId === null)
      deal.moves.push({ atMs, value: this.stationByKey.get('DEMO') ?? null, byId: entry.repId });
  }

  /** Writes the pending leads and the opportunities of their deals (their dispositions are all in). */
  private async flushLeads(): Promise<void> {
    if (this.leads.size === 0) return;
    const rows: FloorRow[] = [];
    for (const lead of this.leads.values()) {
      rows.push(...this.leadRows(lead));
      const dealId = this.dealOfLead.get(lead.id);
      const deal = dealId === undefined ? undefined : this.opportunities.get(dealId);
      if (deal !== undefined) {
        rows.push(...this.opportunityRows(deal));
        this.opportunities.delete(deal.id);
      }
      this.dealOfLead.delete(lead.id);
    }
    this.leads.clear();
    await this.write(rows);
  }

  /** A lead's journey: LeadSimulator's moves, replayed from its dispositions. */
  private leadRows(lead: PendingLead): FloorRow[] {
    const { row } = lead;
    const createdMs = ms(row.CreatedDate) ?? 0;
    const owner = String(row.OwnerId);
    const sdrCall = this.stationByKey.get('SDR_CALL') ?? null;
    const stationMoves: Move[] = [];
    const binMoves: Move[] = [{ atMs: createdMs, value: 'Cold', byId: owner }];
    // A lead that was ever worked sat at SDR_CALL from its arrival.
    if (text(row.Station__c) !== null || lead.dispositions.length > 0)
      stationMoves.push({ atMs: createdMs, value: sdrCall, byId: owner });
    let bin = 'Cold';
    const move = (atMs: number, byId: string, station: string | null | undefined, nextBin?: string): void => {
      if (station !== undefined) stationMoves.push({ atMs, value: station, byId });
      if (nextBin !== undefined) {
        binMoves.push({ atMs, value: nextBin, byId });
        bin = nextBin;
      }
    };
    for (const d of lead.dispositions) {
      const key = d.station === null ? null : this.stations.get(d.station)?.key;
      if (key === 'SDR_CALL') {
        if (bin === 'Cold') move(d.atMs, d.repId, undefined, 'Working');
        const next = SDR_BIN_MOVES[d.outcome];
        if (next !== undefined) move(d.atMs, d.repId, null, next);
        else if (d.outcome === 'Meeting Booked')
          move(d.atMs, d.repId, this.stationByKey.get('COORDINATE') ?? null);
      } else if (key === 'COORDINATE' && d.outcome === 'Confirmed') {
        // The asset goes on as the opportunity; the lead waits in its bin.
        move(d.atMs, d.repId, null, ACTIVE_OPPORTUNITY);
      } else if (key === 'DEMO' && d.outcome === 'No Show') {
        move(d.atMs, d.repId, sdrCall, 'Working');
      } else if (key === 'PROPOSAL' && (d.outcome === 'Closed Won' || d.outcome === 'Closed Lost')) {
        move(d.atMs, d.repId, undefined, d.outcome === 'Closed Won' ? 'Avoid - Current Client' : 'Nurture - Check Back Quarterly');
      }
    }
    const asset: AssetRef = { id: lead.id, type: 'Lead' };
    const binNow = currentMove(row, 'Bin', createdMs, owner);
    // A lead that left its station without a disposition (the catch-up sweep) left with its bin.
    const stationNow = currentMove(row, 'Station', ms(row.Bin_Entered_At__c) ?? createdMs, owner) ??
      (stationMoves.length > 0 ? { value: null, atMs: lastLeave(stationMoves, ms(row.Bin_Entered_At__c) ?? createdMs), byId: owner } : null);
    return [
      ...stayRows(asset, 'Station', normalizeMoves(stationMoves, stationNow), this.stations),
      ...stayRows(asset, 'Bin', normalizeMoves(binMoves, binNow), this.stations)
    ];
  }

  /** An opportunity's journey: its stations from the stage history and its dispositions. */
  private opportunityRows(deal: PendingOpportunity): FloorRow[] {
    const { row } = deal;
    const createdMs = ms(row.CreatedDate) ?? 0;
    const owner = String(row.OwnerId);
    const proposal = this.stationByKey.get('PROPOSAL') ?? null;
    const start = row.Type === 'Existing Customer - Upgrade' ? proposal : (this.stationByKey.get('DEMO') ?? null);
    const moves: Move[] = [{ atMs: createdMs, value: start, byId: owner }, ...deal.moves];
    const analysis = deal.history.find((point) => point.StageName === 'Needs Analysis');
    const analysisMs = ms(analysis?.CreatedDate);
    if (analysisMs !== null) moves.push({ atMs: analysisMs, value: proposal, byId: owner });
    const closed = deal.history.find((point) => point.StageName === 'Closed Won' || point.StageName === 'Closed Lost');
    const closedMs = ms(closed?.CreatedDate);
    if (closedMs !== null) moves.push({ atMs: closedMs, value: null, byId: owner });
    const fallback = closedMs ?? Math.max(...moves.map((m) => m.atMs));
    const now = currentMove(row, 'Station', fallback, owner) ?? { value: null, atMs: lastLeave(moves, fallback), byId: owner };
    return stayRows({ id: deal.id, type: 'Opportunity' }, 'Station', normalizeMoves(moves, now), this.stations);
  }

  /**
   * An account's journey: opened by a deal in "Nurture - Active Opportunity", then the states
   * the floor wrote (insert, then update); a customer spends ONBOARDING_DAYS at ONBOARDING
   * before SERVICE. A standalone account's history starts at its recorded bin entry.
   */
  private accountRows(account: AccountRecord): FloorRow[] {
    const { first, last } = account;
    const owner = String(last.OwnerId ?? first.OwnerId);
    const binMoves: Move[] = [];
    if (this.dealOpened.has(`${account.id}|${account.createdMs}`))
      binMoves.push({ atMs: account.createdMs, value: ACTIVE_OPPORTUNITY, byId: owner });
    const firstBin = currentMove(first, 'Bin', account.createdMs, owner);
    if (firstBin !== null) binMoves.push(firstBin);
    const stationMoves: Move[] = [];
    const firstStation = currentMove(first, 'Station', account.createdMs, owner);
    if (firstStation !== null && firstStation.value !== null) stationMoves.push(firstStation);
    const stationNow = currentMove(last, 'Station', account.createdMs, owner);
    const service = this.stationByKey.get('SERVICE');
    const onboarding = this.stationByKey.get('ONBOARDING');
    if (stationNow !== null && stationNow.value === service && onboarding !== undefined)
      stationMoves.push({ atMs: stationNow.atMs - ONBOARDING_DAYS * DAY, value: onboarding, byId: owner });
    const asset: AssetRef = { id: account.id, type: 'Account' };
    return [
      ...stayRows(asset, 'Station', normalizeMoves(stationMoves, stationNow), this.stations),
      ...stayRows(asset, 'Bin', normalizeMoves(binMoves, currentMove(last, 'Bin', account.createdMs, owner)), this.stations)
    ];
  }

  private async write(rows: FloorRow[]): Promise<void> {
    for (let start = 0; start < rows.length; start += WRITE_CHUNK)
      await this.inner.insert('Stage_Event__c', rows.slice(start, start + WRITE_CHUNK));
    this.written += rows.length;
  }
}

/** When an asset now at no station left its last one: its last recorded move, or `fallbackMs`. */
function lastLeave(moves: readonly Move[], fallbackMs: number): number {
  const last = [...moves].sort((a, b) => a.atMs - b.atMs).at(-1);
  return last !== undefined && last.value === null ? last.atMs : Math.max(fallbackMs, last?.atMs ?? fallbackMs);
}
