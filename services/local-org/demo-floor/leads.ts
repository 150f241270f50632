/**
 * One lead's life on the floor, drawn from the behaviour model: arrival, call attempts at the
 * lead's local business hours, each outcome drawn with the model's contact and meeting odds,
 * moves by the line's rules, and for a booked meeting the coordinator's confirmation, the
 * demo (or no-show and rebooking), the opportunity and its close. History runs to `asOf`;
 * what is still ahead is kept as the generator's ground truth, never written to the org.
 */
import {
  contactProbability,
  meetingProbability,
  type BehaviourModel,
  type FameBand,
  type LeadTraits,
  type Weekday
} from './behaviourModel';
import {
  INBOUND_SOURCES,
  LEAD_ZONES,
  INDUSTRIES,
  companyName,
  fictionalPhone,
  leadSourceShares,
  productShares,
  segmentByFame,
  slug,
  FIRST_NAMES,
  LAST_NAMES,
  type ZoneInfo
} from './catalog';
import {
  LIST_VENDORS,
  PARTNER_CAMPAIGN_KEY,
  listCampaignKey,
  showCampaignKey,
  webCampaignKey
} from './campaigns';
import type { DealClose, DealDraft, DealPlanner } from './deals';
import { weighted, type FloorRng, type Weighted } from './random';
import type { FloorRow } from './sink';
import type { Member, SkillIndex } from './team';
import {
  DAY,
  addWorkdays,
  isWorkday,
  isoDate,
  isoDateTime,
  localParts,
  localToUtc,
  nextWorkday
} from './timeZones';

const MINUTE = 60_000;
const HOUR_MS = 3_600_000;
const HISTORY_DAYS = 730;
/** Velocify: 93% of converted leads are reached by the sixth call, so a cadence stops there. */
export const MAX_ATTEMPTS = 6;
const REBOOK_ATTEMPTS = 3;
/** Days after an unanswered cadence's last call that the lead is parked for a quarterly check back. */
export const SWEEP_AFTER_DAYS = 14;
export const CONTACT_OUTCOMES: ReadonlySet<string> = new Set([
  'Meeting Booked',
  'Not Interested',
  'Call Back Requested',
  'Nurture',
  'Wrong Person',
  'Bad Fit',
  'Do Not Call',
  'Current Client',
  'Duplicate'
]);
const REASONS = weighted<string>([
  ['Timing', 0.3],
  ['Need', 0.2],
  ['Price', 0.15],
  ['No Budget', 0.12],
  ['Competitor', 0.1],
  ['Authority', 0.08],
  ['Other', 0.05]
]);
const EMPLOYEES: Record<string, readonly [number, number]> = {
  SMB: [5, 199],
  'Mid-Market': [200, 1_999],
  Enterprise: [2_000, 60_000]
};
const TITLES = [
  'Operations Manager',
  'VP Sales',
  'Head of Operations',
  'COO',
  'Sales Director',
  'Office Manager',
  'IT Director',
  'Founder'
] as const;

export interface Stations {
  SDR_CALL: string;
  COORDINATE: string;
  DEMO: string;
  PROPOSAL: string;
  ONBOARDING: string;
  SERVICE: string;
}

export interface DispositionDraft {
  row: FloorRow;
  /** Set when the disposition concerns the lead's opportunity (DEMO, PROPOSAL). */
  deal: boolean;
}

export interface LeadDraft {
  row: FloorRow;
  dispositions: DispositionDraft[];
  campaignKey: string | null;
  memberStatus: 'Sent' | 'Responded';
  createdMs: number;
  deal: DealDraft | null;
}

export interface LeadContext {
  model: BehaviourModel;
  asOfMs: number;
  stations: Stations;
  sdrs: SkillIndex;
  aes: SkillIndex;
  coordinators: readonly Member[];
  /** Owner of leads nobody has been assigned yet: the engine assigns them. */
  unassignedOwnerId: string;
  deals: DealPlanner;
}

interface LeadState {
  traits: LeadTraits;
  zone: string;
  createdMs: number;
  ownerId: string;
  bin: string;
  binEnteredMs: number;
  station: string | null;
  stationEnteredMs: number | null;
  attempts: number;
  lastAttemptMs: number | null;
  nextActionMs: number | null;
  bookedById: string | null;
  doNotCall: boolean;
  contacted: boolean;
  /** When the lead was converted (its deal was won); null while it is still a lead. */
  convertedMs: number | null;
  dispositions: DispositionDraft[];
}

type CadenceEnd =
  | { kind: 'meeting'; atMs: number; sdr: Member }
  | { kind: 'stopped' }
  | { kind: 'open' }
  | { kind: 'exhausted'; atMs: number };

const zoneShares: Weighted<ZoneInfo> = weighted(LEAD_ZONES);
const fameShares = (model: BehaviourModel): Weighted<FameBand> =>
  weighted<FameBand>([
    ['Unknown', model.fame.shares.Unknown],
    ['Known', model.fame.shares.Known],
    ['Famous', model.fame.shares.Famous]
  ]);

export class LeadSimulator {
  private readonly fame: Weighted<FameBand>;
  private readonly noContact: Weighted<string>;
  private readonly contactNoMeeting: Weighted<string>;
  private readonly windowStartMs: number;

  constructor(private readonly ctx: LeadContext) {
    this.fame = fameShares(ctx.model);
    this.noContact = weighted(Object.entries(ctx.model.outcomeShares.noContact));
    this.contactNoMeeting = weighted(Object.entries(ctx.model.outcomeShares.contactWithoutMeeting));
    this.windowStartMs = ctx.asOfMs - HISTORY_DAYS * DAY;
  }

  simulate(rng: FloorRng): LeadDraft {
    const { asOfMs } = this.ctx;
    const fame = this.fame.draw(rng);
    const segment = segmentByFame[fame].draw(rng);
    const zoneInfo = zoneShares.draw(rng);
    const language = weighted(zoneInfo.languages).draw(rng);
    const product = productShares.draw(rng);
    const mode = rng.next();
    // 18% fresh list imports nobody has called yet; 0.5% inbound that arrived in the last
    // two hours (speed-to-lead work for the engine); the rest spread over two years.
    const source =
      mode < 0.18
        ? rng.chance(0.8)
          ? 'Purchased List'
          : 'Trade Show'
        : mode < 0.185
          ? rng.chance(0.7)
            ? 'Web'
            : 'Phone Inquiry'
          : leadSourceShares.draw(rng);
    const inbound = INBOUND_SOURCES.has(source);
    const traits: LeadTraits = { source, segment, inbound, fame };
    const createdMs = this.arrival(rng, mode, traits, zoneInfo.zone);
    const company = companyName(rng, fame);
    const { campaignKey, listName } = this.campaignFor(rng, source, createdMs);
    const fresh = mode < 0.185;

    const sdr = this.ctx.sdrs.pick(rng, language, product);
    const state: LeadState = {
      traits,
      zone: zoneInfo.zone,
      createdMs,
      ownerId: fresh ? this.ctx.unassignedOwnerId : sdr.id,
      bin: 'Cold',
      binEnteredMs: createdMs,
      station: fresh ? null : this.ctx.stations.SDR_CALL,
      stationEnteredMs: fresh ? null : createdMs,
      attempts: 0,
      lastAttemptMs: null,
      nextActionMs: null,
      bookedById: null,
      doNotCall: false,
      contacted: false,
      convertedMs: null,
      dispositions: []
    };

    let deal: DealDraft | null = null;
    if (!fresh) {
      const firstCall = this.firstCallMs(rng, traits, createdMs, zoneInfo.zone);
      if (firstCall >= asOfMs && createdMs > asOfMs - 21 * DAY) {
        // Not yet worked: still in the pool the engine assigns from.
        state.ownerId = this.ctx.unassignedOwnerId;
        state.station = null;
        state.stationEnteredMs = null;
      } else {
        deal = this.work(rng, state, sdr, firstCall, {
          company,
          language,
          product,
          listName,
          zoneInfo
        });
      }
    }

    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    const [minEmployees, maxEmployees] = EMPLOYEES[segment] ?? [5, 50];
    const row: FloorRow = {
      FirstName: firstName,
      LastName: lastName,
      Company: company,
      Title: rng.pick(TITLES),
      Email: `${firstName}.${lastName}@${slug(company)}.example`.toLowerCase(),
      Phone: fictionalPhone(rng),
      Country: zoneInfo.country,
      State: zoneInfo.states.length > 0 ? rng.pick(zoneInfo.states) : null,
      Industry: rng.pick(INDUSTRIES),
      NumberOfEmployees: rng.int(minEmployees, maxEmployees),
      LeadSource: source,
      Status: leadStatus(state),
      // ConvertedOpportunityId and ConvertedAccountId are set once the deal's records exist.
      IsConverted: state.convertedMs !== null,
      ConvertedDate: state.convertedMs === null ? null : isoDate(state.convertedMs),
      OwnerId: state.ownerId,
      DoNotCall: state.doNotCall,
      Bin__c: state.bin,
      Bin_Entered_At__c: isoDateTime(state.binEnteredMs),
      Station__c: state.station,
      Station_Entered_At__c:
        state.stationEnteredMs === null ? null : isoDateTime(state.stationEnteredMs),
      Segment__c: segment,
      Time_Zone__c: zoneInfo.zone,
      Language__c: language,
      Product_Interest__c: product,
      Inbound__c: inbound,
      Fame_Band__c: fame,
      Attempt_Count__c: state.attempts,
      Last_Attempt_At__c: state.lastAttemptMs === null ? null : isoDateTime(state.lastAttemptMs),
      Next_Action_At__c: state.nextActionMs === null ? null : isoDateTime(state.nextActionMs),
      Booked_By__c: state.bookedById,
      List_Name__c: listName,
      CreatedDate: isoDateTime(createdMs)
    };
    return {
      row,
      dispositions: state.dispositions,
      campaignKey,
      memberStatus: inbound || source === 'Trade Show' || state.contacted ? 'Responded' : 'Sent',
      createdMs,
      deal
    };
  }

  /** When the lead arrived. */
  private arrival(rng: FloorRng, mode: number, traits: LeadTraits, zone: string): number {
    const { asOfMs } = this.ctx;
    if (mode < 0.18) return importTime(asOfMs - rng.int(0, 20) * DAY);
    if (mode < 0.185) return roundToSecond(asOfMs - rng.int(1, 120) * MINUTE);
    const dayMs = this.windowStartMs + rng.next() * (asOfMs - this.windowStartMs);
    if (!traits.inbound) return Math.min(importTime(dayMs), asOfMs - MINUTE);
    // Inbound leads arrive when people browse: mostly local working hours, some evenings.
    const day = Math.floor(dayMs / DAY);
    const at =
      rng.chance(0.75) && isWorkday(day)
        ? localToUtc(zone, day, rng.int(8 * 60, 18 * 60 - 1)) + rng.int(0, 59) * 1000
        : day * DAY + rng.int(0, DAY / 1000 - 1) * 1000;
    return Math.min(at, asOfMs - MINUTE);
  }

  private campaignFor(
    rng: FloorRng,
    source: string,
    createdMs: number
  ): { campaignKey: string | null; listName: string | null } {
    switch (source) {
      case 'Purchased List': {
        const key = listCampaignKey(rng.pick(LIST_VENDORS), createdMs);
        return { campaignKey: key, listName: key.split(':').slice(1).join(' ') };
      }
      case 'Trade Show': {
        const key = showCampaignKey(createdMs);
        return { campaignKey: key, listName: `Badge scans ${key.slice(5)}` };
      }
      case 'Web':
        return { campaignKey: webCampaignKey(createdMs), listName: null };
      case 'Partner Referral':
        return { campaignKey: PARTNER_CAMPAIGN_KEY, listName: null };
      default:
        return { campaignKey: null, listName: null };
    }
  }

  /** Time of the first call: inbound leads by a response-time mix like HBR's audit; lists within ten workdays. */
  private firstCallMs(rng: FloorRng, traits: LeadTraits, createdMs: number, zone: string): number {
    if (!traits.inbound) {
      const day = addWorkdays(Math.floor(createdMs / DAY) + 1, rng.int(0, 10));
      return callTime(rng, zone, day);
    }
    const u = rng.next();
    const delayMinutes =
      u < 0.3
        ? rng.int(1, 5)
        : u < 0.5
          ? rng.int(6, 60)
          : u < 0.62
            ? rng.int(61, 120)
            : u < 0.85
              ? rng.int(121, 1440)
              : rng.int(1441, 4320);
    return snapToBusinessHours(rng, zone, createdMs + delayMinutes * MINUTE);
  }

  /** The SDR works the lead from the first call; returns the deal when a meeting got confirmed. */
  private work(
    rng: FloorRng,
    state: LeadState,
    sdr: Member,
    firstCallMs: number,
    info: DealInfo
  ): DealDraft | null {
    state.bin = 'Working';
    state.binEnteredMs = Math.min(firstCallMs, this.ctx.asOfMs);
    const end = this.cadence(rng, state, sdr, firstCallMs, MAX_ATTEMPTS, 'First Touch');
    if (end.kind === 'exhausted') this.sweep(state, end.atMs);
    if (end.kind !== 'meeting') return null;
    return this.meeting(rng, state, end.sdr, end.atMs, info, null);
  }

  /**
   * Calls until a terminal outcome, `maxCalls` calls, or `asOf`. Each call's outcome is
   * drawn from the behaviour model with the call's own attempt number, local hour and day.
   */
  private cadence(
    rng: FloorRng,
    state: LeadState,
    sdr: Member,
    startMs: number,
    maxCalls: number,
    firstPurpose: string
  ): CadenceEnd {
    const { asOfMs, model, stations } = this.ctx;
    let atMs = startMs;
    let purpose = firstPurpose;
    for (let call = 0; call < maxCalls; call += 1) {
      if (atMs >= asOfMs) {
        state.nextActionMs = atMs;
        return { kind: 'open' };
      }
      state.attempts += 1;
      state.lastAttemptMs = atMs;
      const local = localParts(state.zone, atMs);
      const pContact = contactProbability(model, state.traits, {
        attempt: state.attempts,
        localHour: local.hour,
        weekday: local.weekday as Weekday,
        minutesSinceCreated: (atMs - state.createdMs) / MINUTE
      });
      const contact = rng.chance(pContact);
      const meeting = contact && rng.chance(meetingProbability(model, state.traits));
      const outcome = meeting
        ? 'Meeting Booked'
        : contact
          ? this.contactNoMeeting.draw(rng)
          : this.noContact.draw(rng);
      if (contact) state.contacted = true;
      const minutes = meeting
        ? model.callMinutes.meeting
        : contact
          ? model.callMinutes.contact
          : outcome === 'Left Voicemail'
            ? model.callMinutes.voicemail
            : model.callMinutes.noAnswer;
      const disposition = this.disposition(rng, {
        atMs,
        station: stations.SDR_CALL,
        repId: sdr.id,
        purpose,
        outcome,
        attempt: state.attempts,
        seconds: Math.max(5, Math.round(minutes * 60 * (0.7 + 0.6 * rng.next()))),
        reason: outcome === 'Not Interested' ? REASONS.draw(rng) : null
      });
      state.dispositions.push({ row: disposition, deal: false });

      const next = this.nextCall(rng, state, outcome, atMs);
      disposition.Next_Action_At__c = next.nextMs === null ? null : isoDateTime(next.nextMs);
      if (outcome === 'Meeting Booked') return { kind: 'meeting', atMs, sdr };
      if (next.stop) return { kind: 'stopped' };
      if (call === maxCalls - 1) {
        state.nextActionMs = null;
        return { kind: 'exhausted', atMs };
      }
      atMs = next.nextMs ?? atMs;
      purpose =
        outcome === 'Call Back Requested'
          ? 'Call Back'
          : firstPurpose === 'Rebook No Show'
            ? 'Rebook No Show'
            : 'Follow Up';
    }
    return { kind: 'exhausted', atMs };
  }

  /** Applies the line's rule for an SDR outcome; says whether calling stops and when the next call is. */
  private nextCall(
    rng: FloorRng,
    state: LeadState,
    outcome: string,
    atMs: number
  ): { stop: boolean; nextMs: number | null } {
    const move = (bin: string, station: string | null): void => {
      state.bin = bin;
      state.binEnteredMs = atMs;
      state.station = station;
      state.stationEnteredMs = station === null ? null : atMs;
    };
    switch (outcome) {
      case 'Nurture':
        move('Nurture - Check Back Quarterly', null);
        state.nextActionMs = atMs + 90 * DAY;
        return { stop: true, nextMs: state.nextActionMs };
      case 'Not Interested':
        move('Nurture - Dead Opportunity', null);
        state.nextActionMs = null;
        return { stop: true, nextMs: null };
      case 'Bad Fit':
        move('Avoid - Bad Fit', null);
        return { stop: true, nextMs: null };
      case 'Do Not Call':
        move('Avoid - Bad Fit', null);
        state.doNotCall = true;
        return { stop: true, nextMs: null };
      case 'Duplicate':
        move('Avoid - Duplicate', null);
        return { stop: true, nextMs: null };
      case 'Current Client':
        move('Avoid - Current Client', null);
        return { stop: true, nextMs: null };
      case 'Meeting Booked':
        return { stop: true, nextMs: null };
      case 'Call Back Requested': {
        const day = addWorkdays(localParts(state.zone, atMs).dayIndex + 1, rng.int(0, 4));
        state.nextActionMs = callTime(rng, state.zone, day);
        return { stop: false, nextMs: state.nextActionMs };
      }
      default: {
        // No rule for no-answer outcomes: the lead stays; the next attempt follows a cadence
        // of a few hours (inbound, same day) or one to three workdays.
        const local = localParts(state.zone, atMs);
        const sameDay = state.traits.inbound && state.attempts <= 2 && local.hour < 15;
        state.nextActionMs = sameDay
          ? atMs + rng.int(60, 180) * MINUTE
          : callTime(rng, state.zone, addWorkdays(local.dayIndex + 1, rng.int(0, 2)));
        return { stop: false, nextMs: state.nextActionMs };
      }
    }
  }

  /**
   * A booked meeting: the coordinator confirms it, the opportunity is created at DEMO, the
   * demo is held or missed; a no-show goes back to the SDR who booked it for one rebooking.
   */
  private meeting(
    rng: FloorRng,
    state: LeadState,
    sdr: Member,
    bookedMs: number,
    info: DealInfo,
    existing: DealDraft | null
  ): DealDraft | null {
    const { asOfMs, stations, model } = this.ctx;
    state.bookedById = sdr.id;
    state.bin = 'Working';
    state.binEnteredMs = bookedMs;
    state.station = stations.COORDINATE;
    state.stationEnteredMs = bookedMs;
    const demoDay = addWorkdays(localParts(state.zone, bookedMs).dayIndex + 1, rng.int(1, 7));
    const demoMs = localToUtc(state.zone, demoDay, rng.int(9, 16) * 60);
    const confirmMs = bookedMs + rng.int(15, 240) * MINUTE;
    if (confirmMs >= asOfMs) {
      state.nextActionMs = confirmMs;
      if (existing !== null) this.ctx.deals.pendingDemo(rng, existing, demoMs, false);
      return existing;
    }
    const coordinator = rng.pick(this.ctx.coordinators);
    state.dispositions.push({
      row: this.disposition(rng, {
        atMs: confirmMs,
        station: stations.COORDINATE,
        repId: coordinator.id,
        purpose: 'Confirm Demo',
        outcome: 'Confirmed',
        attempt: null,
        seconds: rng.int(120, 420),
        reason: null
      }),
      deal: false
    });
    // COORDINATE:Confirmed moves the asset to DEMO as an opportunity; the lead waits in its bin.
    state.bin = 'Nurture - Active Opportunity';
    state.binEnteredMs = confirmMs;
    state.station = null;
    state.stationEnteredMs = null;
    state.nextActionMs = null;

    const deal =
      existing ??
      this.ctx.deals.open(rng, {
        ...info,
        traits: state.traits,
        createdMs: confirmMs,
        ae: this.ctx.aes.pick(rng, info.language, info.product),
        demoMs
      });
    if (existing !== null) this.ctx.deals.rebooked(deal, confirmMs, demoMs);

    if (demoMs >= asOfMs) {
      this.ctx.deals.pendingDemo(rng, deal, demoMs, existing === null);
      return deal;
    }
    const noShow = rng.chance(model.noShowRate);
    const demoEndMs = demoMs + 45 * MINUTE;
    state.dispositions.push({
      row: this.disposition(rng, {
        atMs: demoEndMs,
        station: stations.DEMO,
        repId: deal.ownerId,
        purpose: null,
        outcome: noShow ? 'No Show' : 'Demo Held',
        attempt: null,
        seconds: noShow ? rng.int(300, 900) : rng.int(1800, 3600),
        reason: null
      }),
      deal: true
    });
    if (!noShow) {
      const close = this.ctx.deals.demoHeld(rng, deal, demoMs);
      if (close !== null) this.closed(rng, state, deal, close);
      return deal;
    }
    // DEMO:No Show returns the lead to the SDR who booked it (Return To Booker).
    state.ownerId = sdr.id;
    state.bin = 'Working';
    state.binEnteredMs = demoEndMs;
    state.station = stations.SDR_CALL;
    state.stationEnteredMs = demoEndMs;
    this.ctx.deals.noShow(deal, demoEndMs);
    if (existing !== null) {
      // A second no-show: the opportunity is lost and the lead waits at the SDR.
      this.ctx.deals.lose(deal, demoMs + DAY, 'Timing');
      state.nextActionMs = demoMs + DAY;
      return deal;
    }
    const rebookStart = callTime(
      rng,
      state.zone,
      addWorkdays(localParts(state.zone, demoMs).dayIndex + 1, 0)
    );
    const end = this.cadence(rng, state, sdr, rebookStart, REBOOK_ATTEMPTS, 'Rebook No Show');
    if (end.kind === 'meeting') return this.meeting(rng, state, end.sdr, end.atMs, info, deal);
    if (end.kind === 'open') {
      this.ctx.deals.awaitingRebook(rng, deal);
      return deal;
    }
    this.ctx.deals.lose(deal, (state.lastAttemptMs ?? demoMs) + HOUR_MS, 'Timing');
    if (end.kind === 'exhausted') this.sweep(state, end.atMs);
    return deal;
  }

  /**
   * A lead still unreached after its cadence is parked for a quarterly check back two weeks
   * after the last attempt (as the engine's catch-up sweep does), so Working holds live work.
   * No disposition is written: nobody spoke to the lead.
   */
  private sweep(state: LeadState, lastAttemptMs: number): void {
    const sweptMs = lastAttemptMs + SWEEP_AFTER_DAYS * DAY;
    if (sweptMs >= this.ctx.asOfMs) return;
    state.bin = 'Nurture - Check Back Quarterly';
    state.binEnteredMs = sweptMs;
    state.station = null;
    state.stationEnteredMs = null;
    state.nextActionMs = lastAttemptMs + 90 * DAY;
  }

  /**
   * PROPOSAL:Closed Won sends the account to onboarding and converts the lead into its won
   * opportunity (the lead's work is done; its ConvertedOpportunityId traces the win back to
   * the first touch); Closed Lost checks back in 90 days and the lead stays a lead.
   */
  private closed(rng: FloorRng, state: LeadState, deal: DealDraft, close: DealClose): void {
    state.dispositions.push({
      row: this.disposition(rng, {
        atMs: close.closedMs,
        station: this.ctx.stations.PROPOSAL,
        repId: deal.ownerId,
        purpose: null,
        outcome: close.won ? 'Closed Won' : 'Closed Lost',
        attempt: null,
        seconds: rng.int(900, 2400),
        reason: close.reason
      }),
      deal: true
    });
    state.bin = close.won ? 'Avoid - Current Client' : 'Nurture - Check Back Quarterly';
    state.binEnteredMs = close.closedMs;
    if (close.won) state.convertedMs = close.closedMs;
    state.nextActionMs = close.won ? null : close.closedMs + 90 * DAY;
  }

  private disposition(
    rng: FloorRng,
    call: {
      atMs: number;
      station: string;
      repId: string;
      purpose: string | null;
      outcome: string;
      attempt: number | null;
      seconds: number;
      reason: string | null;
    }
  ): FloorRow {
    return {
      Station__c: call.station,
      Rep__c: call.repId,
      Purpose__c: call.purpose,
      Outcome__c: call.outcome,
      Reason_Code__c: call.reason,
      Duration_Seconds__c: call.seconds,
      Next_Action_At__c: null,
      Attempt_Number__c: call.attempt,
      Processed_At__c: isoDateTime(call.atMs + rng.int(1, 20) * 1000),
      CreatedDate: isoDateTime(call.atMs)
    };
  }
}

export interface DealInfo {
  company: string;
  language: string;
  product: string;
  listName: string | null;
  zoneInfo: ZoneInfo;
}

function leadStatus(state: LeadState): string {
  if (state.convertedMs !== null) return 'Closed - Converted';
  if (state.bin.startsWith('Avoid') || state.bin === 'Nurture - Dead Opportunity')
    return 'Closed - Not Converted';
  return state.contacted ? 'Working - Contacted' : 'Open - Not Contacted';
}

/** Lists are imported at 13:00 UTC on a workday. */
function importTime(dayMs: number): number {
  return nextWorkday(Math.floor(dayMs / DAY)) * DAY + 13 * 3_600_000;
}

function roundToSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** A call at a uniformly drawn minute of the local working day 08:00-17:59. */
export function callTime(rng: FloorRng, zone: string, localDay: number): number {
  return (
    localToUtc(zone, nextWorkday(localDay), rng.int(8 * 60, 18 * 60 - 1)) + rng.int(0, 59) * 1000
  );
}

/** The instant itself if it is inside local working hours, else early in the next working morning. */
export function snapToBusinessHours(rng: FloorRng, zone: string, ms: number): number {
  const local = localParts(zone, ms);
  if (isWorkday(local.dayIndex) && local.hour >= 8 && local.hour < 18) return roundToSecond(ms);
  const day =
    local.hour >= 18 || !isWorkday(local.dayIndex)
      ? nextWorkday(local.dayIndex + (local.hour >= 18 ? 1 : 0))
      : local.dayIndex;
  return localToUtc(zone, day, 8 * 60 + rng.int(0, 90)) + rng.int(0, 59) * 1000;
}
