import { z } from 'zod';
import { orgBoolean, orgNumber, orgText } from '../../core/orgValues';
import type { PlanRole } from '../../core/planning';

/**
 * What the org itself says about a plan's inputs besides the measured stations: heads per role
 * today (active Rep_Capacity__c by the role of their stations), the SDR's minutes per dial
 * (the SDR station's Handling_Minutes__c) and inbound arrivals per hour (Lead.Inbound__c).
 * Pure functions over records, so the rules are tested without an org.
 */
const DAY = 86_400_000;
const HOUR = 3_600_000;

export const stationRecordSchema = z.object({
  Key__c: orgText,
  Role__c: orgText,
  Handling_Minutes__c: orgNumber,
  Active__c: orgBoolean
});
export const repCapacityRecordSchema = z.object({
  Station_Keys__c: orgText,
  Demo_Target__c: orgNumber
});

/**
 * Heads today per plan role. A rep counts once, by the first of their stations. Account
 * Executive stations hold closers and sales engineers alike; the data model gives a demo
 * target (Demo_Target__c) to AEs only, so a rep there without one is an engineer.
 */
export function currentHeads(stationsRaw: readonly unknown[], repsRaw: readonly unknown[]): Partial<Record<PlanRole, number>> {
  const roleOf = new Map<string, string>();
  for (const s of stationsRaw.map((r) => stationRecordSchema.parse(r))) if (s.Key__c && s.Role__c) roleOf.set(s.Key__c, s.Role__c);
  const heads: Partial<Record<PlanRole, number>> = {};
  const add = (role: PlanRole) => {
    heads[role] = (heads[role] ?? 0) + 1;
  };
  for (const rep of repsRaw.map((r) => repCapacityRecordSchema.parse(r))) {
    const first = (rep.Station_Keys__c ?? '').split(';').map((k) => k.trim()).find((k) => k !== '');
    const role = first ? roleOf.get(first) : undefined;
    if (role === 'SDR' || role === 'Appointment Setter') add('sdr');
    else if (role === 'Coordinator') add('coordinator');
    else if (role === 'Sales Engineer') add('engineer');
    else if (role === 'Account Executive') add(rep.Demo_Target__c !== null && rep.Demo_Target__c > 0 ? 'closer' : 'engineer');
  }
  return heads;
}

/** Minutes per dial at the first active SDR station (by key), or null when there is none. */
export function sdrHandlingMinutes(stationsRaw: readonly unknown[]): number | null {
  const sdr = stationsRaw
    .map((r) => stationRecordSchema.parse(r))
    .filter((s) => s.Active__c && s.Role__c === 'SDR' && s.Handling_Minutes__c !== null && s.Handling_Minutes__c > 0)
    .sort((a, b) => String(a.Key__c).localeCompare(String(b.Key__c)))[0];
  return sdr ? (sdr.Handling_Minutes__c as number) : null;
}

export interface InboundArrivals {
  /** Inbound leads per hour for each hour of the busiest shift, in order. */
  arrivalsPerHour: number[];
  /** First hour of that shift (UTC, 0-23). */
  shiftStartHourUtc: number;
  /** Inbound leads counted and the working days they arrived over. */
  leads: number;
  workingDays: number;
}

/**
 * Inbound arrivals per hour of the day (UTC), averaged over the working days (Monday to Friday)
 * of the window, for the `shiftHours` consecutive hours that receive the most leads: the hours
 * the inbound SDRs must cover. Leads arriving on weekends are left out (nobody answers them
 * then, and counting them would inflate the weekday rate). Null when no inbound lead arrived.
 */
export function inboundArrivals(createdDates: readonly string[], window: { start: Date; end: Date }, shiftHours: number): InboundArrivals | null {
  const weekday = (ms: number) => {
    const d = new Date(ms).getUTCDay();
    return d >= 1 && d <= 5;
  };
  let workingDays = 0;
  for (let day = Math.floor(window.start.getTime() / DAY) * DAY; day < window.end.getTime(); day += DAY) if (weekday(day)) workingDays += 1;
  const byHour = new Array<number>(24).fill(0);
  let leads = 0;
  for (const iso of createdDates) {
    const ms = Date.parse(iso);
    if (!Number.isFinite(ms) || !weekday(ms)) continue;
    const hour = Math.floor((ms % DAY) / HOUR);
    byHour[hour] = (byHour[hour] ?? 0) + 1;
    leads += 1;
  }
  if (leads === 0 || workingDays === 0) return null;
  const hours = Math.min(24, Math.max(1, Math.ceil(shiftHours)));
  let best = 0;
  let bestTotal = -1;
  for (let start = 0; start < 24; start += 1) {
    let total = 0;
    for (let h = 0; h < hours; h += 1) total += byHour[(start + h) % 24] as number;
    if (total > bestTotal) {
      best = start;
      bestTotal = total;
    }
  }
  const arrivalsPerHour = Array.from({ length: hours }, (_, h) => (byHour[(best + h) % 24] as number) / workingDays);
  return { arrivalsPerHour, shiftStartHourUtc: best, leads, workingDays };
}

export const demoSlotRecordSchema = z.object({
  Engineer__c: orgText,
  Start__c: orgText,
  End__c: orgText
});

/**
 * The sales engineers' demo load from the demos of the window (Demo_Slot__c held, booked or
 * confirmed): the share of demos with an engineer and their mean length in hours. Null when no
 * demo had one, so the plan leaves engineers out rather than staffing them from nothing.
 */
export function engineerLoad(slotsRaw: readonly unknown[]): { shareOfDemos: number; hoursPerDemo: number; demos: number } | null {
  const slots = slotsRaw.map((r) => demoSlotRecordSchema.parse(r));
  const hours = slots
    .filter((s) => s.Engineer__c)
    .map((s) => (Date.parse(String(s.End__c)) - Date.parse(String(s.Start__c))) / HOUR)
    .filter((h) => Number.isFinite(h) && h > 0);
  if (hours.length === 0) return null;
  return { shareOfDemos: hours.length / slots.length, hoursPerDemo: hours.reduce((a, b) => a + b, 0) / hours.length, demos: slots.length };
}
