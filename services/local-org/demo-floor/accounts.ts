/**
 * Accounts of the floor: one per company that reached a confirmed demo (its bin follows its
 * best deal: customer, active opportunity, check back), plus accounts placed in every other
 * bin and long-standing customers from before the two-year window, so that every bin and
 * every account station has work in it.
 */
import type { FameBand } from './behaviourModel';
import {
  FAMOUS_COMPANIES,
  INDUSTRIES,
  LEAD_ZONES,
  companyName,
  fictionalPhone,
  segmentByFame,
  slug,
  type ZoneInfo
} from './catalog';
import type { DealDraft } from './deals';
import { weighted, type FloorRng } from './random';
import type { FloorRow } from './sink';
import type { Member } from './team';
import { DAY, isoDateTime } from './timeZones';

/** Days after a win that a new customer spends at ONBOARDING before SERVICE. */
export const ONBOARDING_DAYS = 45;

export interface AccountState {
  /** 3 customer, 2 active opportunity, 1 check back, 0 other. */
  rank: number;
  bin: string;
  binEnteredMs: number;
  station: string | null;
  stationEnteredMs: number | null;
  type: string;
  ownerId: string;
  customerSinceMs: number | null;
  /** Annual contract value of a customer (sum of its won deals). */
  annualAmount: number;
  hasOverdueInvoice: boolean;
}

export interface AccountEntry {
  id: string;
  name: string;
  segment: string;
  zoneInfo: ZoneInfo;
  industry: string;
  phone: string;
  createdMs: number;
  state: AccountState;
  /** The state as last written to the org. */
  written: AccountState | null;
}

export interface AccountStations {
  ONBOARDING: string;
  SERVICE: string;
}

const zoneShares = weighted(LEAD_ZONES);

export class AccountBook {
  private readonly byName = new Map<string, AccountEntry>();
  private readonly pending: AccountEntry[] = [];
  readonly all: AccountEntry[] = [];

  constructor(
    private readonly rng: FloorRng,
    private readonly asOfMs: number,
    private readonly stations: AccountStations,
    private readonly onboarding: readonly Member[],
    private readonly service: readonly Member[]
  ) {}

  /** The account of a deal's company, created (pending insert) or updated by the deal's outcome. */
  merge(deal: DealDraft): AccountEntry {
    const state = this.stateOf(deal);
    let entry = this.byName.get(deal.company);
    if (entry === undefined) {
      entry = {
        id: '',
        name: deal.company,
        segment: deal.traits.segment,
        zoneInfo: deal.zoneInfo,
        industry: this.rng.pick(INDUSTRIES),
        phone: fictionalPhone(this.rng),
        createdMs: deal.createdMs,
        state,
        written: null
      };
      this.byName.set(deal.company, entry);
      this.pending.push(entry);
      this.all.push(entry);
      return entry;
    }
    entry.state = better(entry.state, state);
    return entry;
  }

  /** Accounts created since the last call, to be inserted now. */
  takePending(): AccountEntry[] {
    return this.pending.splice(0, this.pending.length);
  }

  /** Accounts whose state changed after they were written. */
  changed(): AccountEntry[] {
    return this.all.filter(
      (entry) => entry.written !== null && !sameState(entry.written, entry.state)
    );
  }

  /**
   * Accounts outside the lead flow: `perBin` in each prospect bin and `customers` customers
   * from before the window (they carry the invoices and cases of a mature book). "Nurture -
   * Active Opportunity" is not among them: an account is there because of an open deal, so it
   * comes from a deal (the lead flow's, or a direct deal's, generate.ts writeDirectDeals).
   */
  addStandalone(
    perBin: number,
    customers: number,
    owners: { unassigned: string; aes: readonly Member[] }
  ): AccountEntry[] {
    const created: AccountEntry[] = [];
    const bins = [
      'Cold',
      'Working',
      'Nurture - Check Back Quarterly',
      'Nurture - Dead Opportunity',
      'Avoid - Bad Fit',
      'Avoid - Duplicate'
    ];
    for (const bin of bins) {
      for (let i = 0; i < perBin; i += 1)
        created.push(
          this.standalone(bin, bin === 'Cold' ? owners.unassigned : this.rng.pick(owners.aes).id)
        );
    }
    for (let i = 0; i < customers; i += 1)
      created.push(this.standalone('Avoid - Current Client', ''));
    return created;
  }

  row(entry: AccountEntry): FloorRow {
    const { state } = entry;
    return {
      Name: entry.name,
      Type: state.type,
      Industry: entry.industry,
      Segment__c: entry.segment,
      Time_Zone__c: entry.zoneInfo.zone,
      Bin__c: state.bin,
      Bin_Entered_At__c: isoDateTime(state.binEnteredMs),
      Station__c: state.station,
      Station_Entered_At__c:
        state.stationEnteredMs === null ? null : isoDateTime(state.stationEnteredMs),
      OwnerId: state.ownerId,
      Has_Overdue_Invoice__c: state.hasOverdueInvoice,
      NumberOfEmployees:
        entry.segment === 'Enterprise' ? 5_000 : entry.segment === 'Mid-Market' ? 600 : 40,
      BillingCountry: entry.zoneInfo.country,
      BillingState: entry.zoneInfo.states[0] ?? null,
      Phone: entry.phone,
      Website: `https://www.${slug(entry.name)}.example`,
      CreatedDate: isoDateTime(entry.createdMs)
    };
  }

  /** The fields an update must send to bring the org's row to the entry's current state. */
  updateRow(entry: AccountEntry): FloorRow {
    const { state } = entry;
    return {
      Id: entry.id,
      Type: state.type,
      Bin__c: state.bin,
      Bin_Entered_At__c: isoDateTime(state.binEnteredMs),
      Station__c: state.station,
      Station_Entered_At__c:
        state.stationEnteredMs === null ? null : isoDateTime(state.stationEnteredMs),
      OwnerId: state.ownerId,
      Has_Overdue_Invoice__c: state.hasOverdueInvoice
    };
  }

  markWritten(entries: readonly AccountEntry[]): void {
    for (const entry of entries) entry.written = { ...entry.state };
  }

  private stateOf(deal: DealDraft): AccountState {
    if (deal.closed && deal.won) {
      const since = deal.closeDayMs;
      const onboarding = this.asOfMs - since < ONBOARDING_DAYS * DAY;
      return this.customerState(since, deal.amount, onboarding);
    }
    const at = deal.closed ? deal.closeDayMs : deal.createdMs;
    return {
      rank: deal.closed ? 1 : 2,
      bin: deal.closed ? 'Nurture - Check Back Quarterly' : 'Nurture - Active Opportunity',
      binEnteredMs: at,
      station: null,
      stationEnteredMs: null,
      type: 'Prospect',
      ownerId: deal.ownerId,
      customerSinceMs: null,
      annualAmount: 0,
      hasOverdueInvoice: false
    };
  }

  private customerState(sinceMs: number, annualAmount: number, onboarding: boolean): AccountState {
    const station = onboarding ? this.stations.ONBOARDING : this.stations.SERVICE;
    const owner = this.rng.pick(onboarding ? this.onboarding : this.service);
    return {
      rank: 3,
      bin: 'Avoid - Current Client',
      binEnteredMs: sinceMs,
      station,
      stationEnteredMs: onboarding ? sinceMs : Math.max(sinceMs + ONBOARDING_DAYS * DAY, sinceMs),
      type: 'Customer - Direct',
      ownerId: owner.id,
      customerSinceMs: sinceMs,
      annualAmount,
      hasOverdueInvoice: false
    };
  }

  private standalone(bin: string, ownerId: string): AccountEntry {
    const fame: FameBand = this.rng.chance(0.1) ? 'Known' : 'Unknown';
    const segment = segmentByFame[fame].draw(this.rng);
    const zoneInfo = zoneShares.draw(this.rng);
    const createdMs = this.asOfMs - this.rng.int(30, 1_500) * DAY;
    let name = companyName(this.rng, fame);
    if (bin === 'Avoid - Duplicate') name = `${this.rng.pick(FAMOUS_COMPANIES)} (duplicate)`;
    let state: AccountState;
    if (bin === 'Avoid - Current Client') {
      const sinceMs = this.asOfMs - this.rng.int(760, 1_800) * DAY;
      const size = segment === 'Enterprise' ? 120_000 : segment === 'Mid-Market' ? 30_000 : 6_000;
      state = this.customerState(sinceMs, Math.round(size * (0.5 + this.rng.next())), false);
    } else {
      const enteredMs = this.asOfMs - this.rng.int(1, 400) * DAY;
      state = {
        rank: 0,
        bin,
        binEnteredMs: Math.max(createdMs, enteredMs),
        station: null,
        stationEnteredMs: null,
        type: 'Prospect',
        ownerId,
        customerSinceMs: null,
        annualAmount: 0,
        hasOverdueInvoice: false
      };
    }
    const entry: AccountEntry = {
      id: '',
      name,
      segment,
      zoneInfo,
      industry: this.rng.pick(INDUSTRIES),
      phone: fictionalPhone(this.rng),
      createdMs: Math.min(createdMs, state.binEnteredMs),
      state,
      written: null
    };
    this.all.push(entry);
    return entry;
  }
}

function better(current: AccountState, next: AccountState): AccountState {
  if (current.rank === 3 && next.rank === 3) {
    return {
      ...current,
      annualAmount: current.annualAmount + next.annualAmount,
      customerSinceMs: Math.min(
        current.customerSinceMs ?? Infinity,
        next.customerSinceMs ?? Infinity
      )
    };
  }
  if (next.rank > current.rank) return next;
  if (next.rank === current.rank && next.binEnteredMs > current.binEnteredMs) return next;
  return current;
}

function sameState(a: AccountState, b: AccountState): boolean {
  return (
    a.bin === b.bin &&
    a.binEnteredMs === b.binEnteredMs &&
    a.station === b.station &&
    a.stationEnteredMs === b.stationEnteredMs &&
    a.type === b.type &&
    a.ownerId === b.ownerId &&
    a.hasOverdueInvoice === b.hasOverdueInvoice
  );
}
