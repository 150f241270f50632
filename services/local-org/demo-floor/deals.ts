/**
 * Opportunities of the floor: created when a coordinator confirms a demo, moved through the
 * standard stages after the demo, closed won or lost with the behaviour model's odds, amounts
 * and cycle lengths. Close dates follow the end-of-quarter pattern of real pipelines: reps
 * forecast the quarter end, push it a quarter when the deal slips, and a share of deals is
 * pulled into the last days of a quarter. Each change is an OpportunityHistory row.
 */
import {
  contactProbability,
  meetingProbability,
  winProbability,
  type BehaviourModel,
  type LeadTraits
} from './behaviourModel';
import { quarterEndDay, quarterOf } from './campaigns';
import type { ZoneInfo } from './catalog';
import type { FloorRng } from './random';
import type { FloorRow } from './sink';
import type { Member } from './team';
import { DAY, isoDate, isoDateTime } from './timeZones';

const HOUR = 3_600_000;
/** Share of closes pulled into the last ten days of their quarter (end-of-quarter push). */
export const QUARTER_END_PULL = 0.3;

/** Standard Opportunity stages (Salesforce's default sales process) and their probabilities. */
export const STAGE_PROBABILITY: Record<string, number> = {
  Qualification: 10,
  'Needs Analysis': 20,
  'Proposal/Price Quote': 75,
  'Negotiation/Review': 90,
  'Closed Won': 100,
  'Closed Lost': 0
};

export interface HistoryPoint {
  atMs: number;
  stage: string;
  amount: number;
  closeDayMs: number;
}

export interface DealDraft {
  company: string;
  traits: LeadTraits;
  product: string;
  listName: string | null;
  zoneInfo: ZoneInfo;
  ownerId: string;
  createdMs: number;
  amount: number;
  fitScore: number | null;
  stage: string;
  station: string | null;
  stationEnteredMs: number | null;
  closeDayMs: number;
  history: HistoryPoint[];
  closed: boolean;
  won: boolean;
  lostReason: string | null;
  /**
   * Ground truth for the oracle forecast: never written to the org. `cycleStartMs` is when
   * the close clock started (the demo, a rebooking's horizon, or an expansion's opening):
   * with the segment's cycle it gives the true close-date distribution (drawClose).
   */
  truth: { winProbability: number; trueCloseMs: number; willWin: boolean; cycleStartMs: number };
  type: 'New Customer' | 'Existing Customer - Upgrade';
}

export interface ExpansionOpening {
  company: string;
  segment: string;
  zoneInfo: ZoneInfo;
  product: string;
  ownerId: string;
  createdMs: number;
}

/** Upgrades are smaller than first deals and won more often (assumptions, docs/demo-floor.md). */
export const EXPANSION_SHARE = 0.3;
export const EXPANSION_WIN = 0.5;

export interface DealStations {
  DEMO: string;
  PROPOSAL: string;
}

export interface DealOpening {
  company: string;
  traits: LeadTraits;
  product: string;
  listName: string | null;
  zoneInfo: ZoneInfo;
  createdMs: number;
  ae: Pick<Member, 'id'>;
  demoMs: number;
}

export interface DealClose {
  closedMs: number;
  won: boolean;
  reason: string | null;
}

const LOST_REASONS = [
  'Price',
  'Timing',
  'Competitor',
  'No Budget',
  'Need',
  'Authority',
  'Other'
] as const;

export class DealPlanner {
  constructor(
    private readonly model: BehaviourModel,
    private readonly asOfMs: number,
    private readonly stations: DealStations
  ) {}

  open(rng: FloorRng, opening: DealOpening): DealDraft {
    const size = this.model.dealSize[opening.traits.segment] ?? { median: 10_000, sigmaLog: 0.6 };
    const cycle = this.model.daysToClose[opening.traits.segment] ?? { median: 60, sigmaLog: 0.5 };
    const amount = roundAmount(rng.logNormal(size.median, size.sigmaLog));
    const closeDayMs = quarterEndDay(opening.demoMs + cycle.median * DAY);
    const deal: DealDraft = {
      company: opening.company,
      traits: opening.traits,
      product: opening.product,
      listName: opening.listName,
      zoneInfo: opening.zoneInfo,
      ownerId: opening.ae.id,
      createdMs: opening.createdMs,
      amount,
      fitScore: null,
      stage: 'Qualification',
      station: this.stations.DEMO,
      stationEnteredMs: opening.createdMs,
      closeDayMs,
      history: [],
      closed: false,
      won: false,
      lostReason: null,
      truth: { winProbability: 0, trueCloseMs: 0, willWin: false, cycleStartMs: 0 },
      type: 'New Customer'
    };
    this.record(deal, opening.createdMs);
    return deal;
  }

  /** The demo is still ahead at asOf: draw the rest of the deal's life as ground truth. */
  pendingDemo(rng: FloorRng, deal: DealDraft, demoMs: number, rebookAllowed: boolean): void {
    const win = winProbability(this.model, deal.traits.segment);
    const show = 1 - this.model.noShowRate;
    // A first no-show is called back for one rebooking; a second one loses the deal.
    const rebook = rebookAllowed ? this.rebookProbability(deal.traits) : 0;
    const shows = rng.chance(show) || (rng.chance(rebook) && rng.chance(show));
    const close = this.drawClose(rng, deal, demoMs);
    deal.truth = {
      winProbability: (show + (1 - show) * rebook * show) * win,
      trueCloseMs: close,
      willWin: shows && rng.chance(win),
      cycleStartMs: demoMs
    };
  }

  /** A no-show whose rebooking is still being called at asOf. */
  awaitingRebook(rng: FloorRng, deal: DealDraft): void {
    const win = winProbability(this.model, deal.traits.segment);
    const p = this.rebookProbability(deal.traits) * (1 - this.model.noShowRate);
    deal.truth = {
      winProbability: p * win,
      trueCloseMs: this.drawClose(rng, deal, this.asOfMs + 7 * DAY),
      willWin: rng.chance(p) && rng.chance(win),
      cycleStartMs: this.asOfMs + 7 * DAY
    };
  }

  noShow(deal: DealDraft, demoMs: number): void {
    deal.station = null;
    deal.stationEnteredMs = demoMs;
  }

  rebooked(deal: DealDraft, confirmMs: number, demoMs: number): void {
    deal.station = this.stations.DEMO;
    deal.stationEnteredMs = confirmMs;
    if (deal.closeDayMs < demoMs) {
      deal.closeDayMs = quarterEndDay(demoMs + 30 * DAY);
      this.record(deal, confirmMs);
    }
  }

  /**
   * The demo was held: the deal moves to PROPOSAL and runs to its close, which may lie past
   * asOf (then it stays open with its true outcome kept as ground truth).
   */
  demoHeld(rng: FloorRng, deal: DealDraft, demoMs: number): DealClose | null {
    return this.runToClose(rng, deal, demoMs, winProbability(this.model, deal.traits.segment));
  }

  /**
   * A direct deal (an AE's own prospect, outside the lead flow): opened with its demo booked,
   * then the same life as a lead's deal. A no-show is rebooked a week later with the same
   * chance pendingDemo assumes, and a second no-show loses it (closed, as the lead flow's
   * `lose`). Returns the close after a held demo when it happened before asOf.
   */
  direct(rng: FloorRng, opening: DealOpening): { deal: DealDraft; close: DealClose | null } {
    const deal = this.open(rng, opening);
    let demoMs = opening.demoMs;
    for (let booking = 1; ; booking += 1) {
      if (demoMs >= this.asOfMs) {
        this.pendingDemo(rng, deal, demoMs, booking === 1);
        return { deal, close: null };
      }
      if (rng.chance(1 - this.model.noShowRate)) {
        return { deal, close: this.demoHeld(rng, deal, demoMs) };
      }
      this.noShow(deal, demoMs + HOUR);
      if (booking === 2 || !rng.chance(this.rebookProbability(deal.traits))) {
        this.lose(deal, demoMs + DAY, 'Timing');
        return { deal, close: null };
      }
      const confirmMs = demoMs + DAY;
      demoMs += 7 * DAY;
      if (confirmMs >= this.asOfMs) {
        this.awaitingRebook(rng, deal);
        return { deal, close: null };
      }
      this.rebooked(deal, confirmMs, demoMs);
    }
  }

  /**
   * A repeat order or upgrade for an existing customer, opened by its account team at
   * PROPOSAL; it follows the same stages and close-date pattern as a new deal.
   */
  expansion(
    rng: FloorRng,
    opening: ExpansionOpening
  ): { deal: DealDraft; close: DealClose | null } {
    const size = this.model.dealSize[opening.segment] ?? { median: 10_000, sigmaLog: 0.6 };
    const traits: LeadTraits = {
      source: 'Other',
      segment: opening.segment,
      inbound: false,
      fame: 'Unknown'
    };
    const deal: DealDraft = {
      company: opening.company,
      traits,
      product: opening.product,
      listName: null,
      zoneInfo: opening.zoneInfo,
      ownerId: opening.ownerId,
      createdMs: opening.createdMs,
      amount: roundAmount(rng.logNormal(size.median * EXPANSION_SHARE, 0.5)),
      fitScore: null,
      stage: 'Qualification',
      station: this.stations.PROPOSAL,
      stationEnteredMs: opening.createdMs,
      closeDayMs: quarterEndDay(opening.createdMs + 30 * DAY),
      history: [],
      closed: false,
      won: false,
      lostReason: null,
      truth: { winProbability: 0, trueCloseMs: 0, willWin: false, cycleStartMs: 0 },
      type: 'Existing Customer - Upgrade'
    };
    this.record(deal, opening.createdMs);
    const close = this.runToClose(rng, deal, opening.createdMs + HOUR, EXPANSION_WIN);
    return { deal, close };
  }

  private runToClose(
    rng: FloorRng,
    deal: DealDraft,
    demoMs: number,
    win: number
  ): DealClose | null {
    const won = rng.chance(win);
    const closeMs = this.drawClose(rng, deal, demoMs);
    // Fit surveys after a demo score higher for deals that go on to win.
    deal.fitScore = Math.max(1, Math.min(10, Math.round((won ? 7 : 5) + rng.normal() * 1.8)));
    deal.station = this.stations.PROPOSAL;
    deal.stationEnteredMs = demoMs + HOUR;
    const cycle = closeMs - demoMs;
    const events: Array<{ atMs: number; apply: () => void }> = [
      { atMs: demoMs + HOUR, apply: () => void (deal.stage = 'Needs Analysis') },
      {
        atMs: demoMs + Math.min(rng.int(3, 7) * DAY, 0.4 * cycle),
        apply: () => void (deal.stage = 'Proposal/Price Quote')
      }
    ];
    if (won || rng.chance(0.5)) {
      const discount = won ? 0.9 + 0.1 * rng.next() : 1;
      events.push({
        atMs: closeMs - Math.min(10 * DAY, 0.25 * cycle),
        apply: () => {
          deal.stage = 'Negotiation/Review';
          deal.amount = roundAmount(deal.amount * discount);
        }
      });
    }
    // A forecast quarter end that passes before the close is pushed to the next quarter.
    let forecastEnd = deal.closeDayMs;
    while (forecastEnd + DAY <= closeMs) {
      const pushedTo = quarterEndDay(forecastEnd + 2 * DAY);
      events.push({
        atMs: Math.max(forecastEnd - DAY + 17 * HOUR, demoMs + 2 * HOUR),
        apply: () => void (deal.closeDayMs = pushedTo)
      });
      forecastEnd = pushedTo;
    }
    const reason = won
      ? null
      : (LOST_REASONS[Math.floor(rng.next() * LOST_REASONS.length)] ?? 'Other');
    events.push({ atMs: closeMs, apply: () => this.close(deal, closeMs, won, reason) });
    events.sort((a, b) => a.atMs - b.atMs);

    deal.truth = { winProbability: win, trueCloseMs: closeMs, willWin: won, cycleStartMs: demoMs };
    for (const event of events) {
      if (event.atMs >= this.asOfMs) return null;
      event.apply();
      this.record(deal, event.atMs);
    }
    return { closedMs: closeMs, won, reason };
  }

  /** Closed lost without a demo (no rebooking, or a second no-show). */
  lose(deal: DealDraft, atMs: number, reason: string): void {
    const at = Math.min(atMs, this.asOfMs - HOUR);
    deal.truth = { winProbability: 0, trueCloseMs: at, willWin: false, cycleStartMs: at };
    this.close(deal, at, false, reason);
    this.record(deal, at);
  }

  opportunityRow(deal: DealDraft, accountId: string): FloorRow {
    return {
      Name: `${deal.company} - ${deal.product}`,
      AccountId: accountId,
      OwnerId: deal.ownerId,
      StageName: deal.stage,
      Amount: deal.amount,
      CloseDate: isoDate(deal.closeDayMs),
      LeadSource: deal.traits.source,
      Type: deal.type,
      Station__c: deal.station,
      Station_Entered_At__c:
        deal.stationEnteredMs === null ? null : isoDateTime(deal.stationEnteredMs),
      Product__c: deal.product,
      Fit_Score__c: deal.fitScore,
      Lead_Source_Detail__c: deal.listName,
      CreatedDate: isoDateTime(deal.createdMs)
    };
  }

  historyRows(deal: DealDraft): FloorRow[] {
    return deal.history.map((point) => {
      const probability = STAGE_PROBABILITY[point.stage] ?? 0;
      return {
        StageName: point.stage,
        Amount: point.amount,
        CloseDate: isoDate(point.closeDayMs),
        Probability: probability,
        ExpectedRevenue: Math.round((point.amount * probability) / 100),
        CreatedDate: isoDateTime(point.atMs),
        CreatedById: deal.ownerId
      };
    });
  }

  private close(deal: DealDraft, atMs: number, won: boolean, reason: string | null): void {
    deal.closed = true;
    deal.won = won;
    deal.stage = won ? 'Closed Won' : 'Closed Lost';
    deal.closeDayMs = Math.floor(atMs / DAY) * DAY;
    deal.lostReason = reason;
    deal.station = null;
    deal.stationEnteredMs = null;
  }

  private record(deal: DealDraft, atMs: number): void {
    deal.history.push({
      atMs,
      stage: deal.stage,
      amount: deal.amount,
      closeDayMs: deal.closeDayMs
    });
  }

  /** Days from the demo to the close, log-normal, with a share pulled to the quarter's end. */
  private drawClose(rng: FloorRng, deal: DealDraft, demoMs: number): number {
    const cycle = this.model.daysToClose[deal.traits.segment] ?? { median: 60, sigmaLog: 0.5 };
    let closeMs = demoMs + Math.max(1, rng.logNormal(cycle.median, cycle.sigmaLog)) * DAY;
    if (rng.chance(QUARTER_END_PULL)) {
      const quarterEnd = quarterOf(closeMs).endMs;
      closeMs = Math.max(closeMs, quarterEnd - rng.int(1, 10) * DAY + 15 * HOUR);
    }
    return Math.floor(closeMs / 60_000) * 60_000;
  }

  /**
   * Probability that a no-show is rebooked within the three rebook calls, at the model's
   * average hour and day (multipliers 1): approximate, used only for open deals' ground truth.
   */
  private rebookProbability(traits: LeadTraits): number {
    const meeting = meetingProbability(this.model, traits);
    let miss = 1;
    for (let attempt = 2; attempt <= 4; attempt += 1) {
      const contact = contactProbability(
        {
          ...this.model,
          contact: {
            ...this.model.contact,
            localHourMultiplier: flat(this.model.contact.localHourMultiplier),
            weekdayMultiplier: flat(this.model.contact.weekdayMultiplier)
          }
        },
        traits,
        { attempt, localHour: 10, weekday: 'Wed', minutesSinceCreated: 14 * 24 * 60 }
      );
      miss *= 1 - contact * meeting;
    }
    return 1 - miss;
  }
}

function flat<T extends Record<string, number>>(table: T): T {
  return Object.fromEntries(Object.keys(table).map((key) => [key, 1])) as T;
}

function roundAmount(value: number): number {
  return Math.max(500, Math.round(value / 50) * 50);
}
