import type { Outcome } from '../queue/guidance';
import { localParts, WEEKDAY_NAMES } from '../queue/localTime';
import type { SimLead } from './arrivals';
import type { BehaviourModel } from './behaviourModel';

/**
 * The true result of a dial, from the behaviour model (docs/behaviour-model.md, "How the
 * numbers combine"). Calls outside the modelled hours and days get half the nearest modelled
 * value, as that document prescribes.
 */
export interface CallResult {
  outcome: Outcome;
  connected: boolean;
  meeting: boolean;
  minutes: number;
  /** The lead's local time was outside 08:00-18:00 Monday to Friday. */
  offHours: boolean;
}

function nearestModelled(map: Record<string, number>, keys: readonly string[], index: number): number {
  const key = keys[Math.min(Math.max(index, 0), keys.length - 1)];
  return key === undefined ? 1 : (map[key] ?? 1);
}

const HOURS = ['8', '9', '10', '11', '12', '13', '14', '15', '16', '17'];
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'];

export function localFactors(model: BehaviourModel, zone: string, at: number): { hour: number; weekday: number; offHours: boolean } {
  const parts = localParts(zone, at);
  const inHours = parts.hour >= 8 && parts.hour <= 17;
  const inDays = parts.weekday >= 1 && parts.weekday <= 5;
  const hour = inHours
    ? (model.contact.localHourMultiplier[String(parts.hour)] ?? 1)
    : 0.5 * nearestModelled(model.contact.localHourMultiplier, HOURS, parts.hour < 8 ? 0 : HOURS.length - 1);
  const dayName = WEEKDAY_NAMES[parts.weekday] ?? 'Mon';
  const weekday = inDays
    ? (model.contact.weekdayMultiplier[dayName] ?? 1)
    : 0.5 * nearestModelled(model.contact.weekdayMultiplier, DAYS, parts.weekday === 6 ? DAYS.length - 1 : 0);
  return { hour, weekday, offHours: !(inHours && inDays) };
}

export function trueContact(model: BehaviourModel, lead: SimLead, at: number): { p: number; offHours: boolean } {
  const c = model.contact;
  const local = localFactors(model, lead.zone, at);
  let p = c.baseRate * (c.sourceMultiplier[lead.source] ?? 1) * (c.attemptMultiplier[Math.min(lead.dials + 1, c.attemptMultiplier.length) - 1] ?? 1);
  p *= local.hour * local.weekday * (c.fameMultiplier[lead.fame] ?? 1);
  if (lead.inbound) {
    const minutes = (at - lead.arrivedAt) / 60_000;
    const step = c.inboundSpeedToLead.find((s) => s.withinMinutes === null || minutes <= s.withinMinutes) ?? c.inboundSpeedToLead[c.inboundSpeedToLead.length - 1];
    p *= step?.multiplier ?? 1;
  }
  return { p: Math.min(model.maxProbability, p), offHours: local.offHours };
}

export function trueMeetingGivenContact(model: BehaviourModel, lead: SimLead): number {
  const m = model.meetingGivenContact;
  const p = m.base * (m.sourceMultiplier[lead.source] ?? 1) * (m.segmentMultiplier[lead.segment] ?? 1) * (lead.inbound ? m.inboundMultiplier : 1) * (m.fameMultiplier[lead.fame] ?? 1);
  return Math.min(model.maxProbability, p);
}

function draw(shares: Record<string, number>, u: number): Outcome {
  const entries = Object.entries(shares);
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let left = u * total;
  for (const [key, weight] of entries) {
    left -= weight;
    if (left < 0) return key as Outcome;
  }
  return (entries[entries.length - 1]?.[0] ?? 'No Answer') as Outcome;
}

/** One dial with uniforms u (contact, meeting, outcome share). */
export function sampleCall(model: BehaviourModel, lead: SimLead, at: number, u: readonly [number, number, number]): CallResult {
  const contact = trueContact(model, lead, at);
  const connected = u[0] < contact.p;
  const meeting = connected && u[1] < trueMeetingGivenContact(model, lead);
  const outcome: Outcome = meeting ? 'Meeting Booked' : connected ? draw(model.outcomeShares.contactWithoutMeeting, u[2]) : draw(model.outcomeShares.noContact, u[2]);
  const cm = model.callMinutes;
  const minutes = meeting ? cm.meeting : connected ? cm.contact : outcome === 'Left Voicemail' ? cm.voicemail : cm.noAnswer;
  return { outcome, connected, meeting, minutes, offHours: contact.offHours };
}
