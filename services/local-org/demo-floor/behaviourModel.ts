/**
 * The behaviour model (config/behaviour-model.json, documented in docs/behaviour-model.md):
 * its schema and the probabilities the demo floor draws its history from. The engine's
 * simulator reads the same file with its own schema; this one must accept what that one
 * accepts and the formulas below are the ones the doc states.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const multiplier = z.number().nonnegative();
const probability = z.number().min(0).max(1);
const logNormal = z.object({ median: z.number().positive(), sigmaLog: z.number().nonnegative() });
const fameTable = z.object({ Unknown: multiplier, Known: multiplier, Famous: multiplier });
const hours = ['8', '9', '10', '11', '12', '13', '14', '15', '16', '17'] as const;
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] as const;

export const behaviourModelSchema = z.object({
  version: z.literal(1),
  sources: z
    .array(
      z.object({ id: z.string().min(1), citation: z.string().min(1), finding: z.string().min(1) })
    )
    .min(1),
  contact: z.object({
    baseRate: probability,
    sourceMultiplier: z.record(z.string(), multiplier),
    inboundSpeedToLead: z
      .array(z.object({ withinMinutes: z.number().positive().nullable(), multiplier }))
      .min(1)
      .refine((steps) => steps[steps.length - 1]?.withinMinutes === null, {
        message: 'the last inboundSpeedToLead step must have withinMinutes: null (any age)'
      }),
    attemptMultiplier: z.array(multiplier).min(6),
    localHourMultiplier: z.object(
      Object.fromEntries(hours.map((hour) => [hour, multiplier])) as Record<
        (typeof hours)[number],
        typeof multiplier
      >
    ),
    weekdayMultiplier: z.object(
      Object.fromEntries(WEEKDAYS.map((day) => [day, multiplier])) as Record<
        (typeof WEEKDAYS)[number],
        typeof multiplier
      >
    ),
    fameMultiplier: fameTable
  }),
  meetingGivenContact: z.object({
    base: probability,
    sourceMultiplier: z.record(z.string(), multiplier),
    segmentMultiplier: z.record(z.string(), multiplier),
    inboundMultiplier: multiplier,
    fameMultiplier: fameTable
  }),
  noShowRate: probability,
  demoToWin: z.object({ base: probability, segmentMultiplier: z.record(z.string(), multiplier) }),
  dealSize: z.record(z.string(), logNormal),
  callMinutes: z.object({
    noAnswer: multiplier,
    voicemail: multiplier,
    contact: multiplier,
    meeting: multiplier
  }),
  daysToClose: z.record(z.string(), logNormal),
  fame: z.object({ shares: fameTable }),
  outcomeShares: z.object({
    noContact: z.record(z.string(), multiplier),
    contactWithoutMeeting: z.record(z.string(), multiplier)
  }),
  maxProbability: probability.default(0.95)
});

export type BehaviourModel = z.infer<typeof behaviourModelSchema>;
export type FameBand = 'Unknown' | 'Known' | 'Famous';
export type Weekday = (typeof WEEKDAYS)[number];

export const DEFAULT_BEHAVIOUR_MODEL_PATH = path.resolve(
  __dirname,
  '../../../config/behaviour-model.json'
);

export class BehaviourModelError extends Error {
  constructor(file: string, detail: string) {
    super(`${file}: ${detail}. Fix the file against docs/behaviour-model.md.`);
    this.name = 'BehaviourModelError';
  }
}

export function loadBehaviourModel(file = DEFAULT_BEHAVIOUR_MODEL_PATH): BehaviourModel {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new BehaviourModelError(file, `cannot be read as JSON (${(error as Error).message})`);
  }
  const parsed = behaviourModelSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : issue.path.join('.');
    throw new BehaviourModelError(file, `${where || '(root)'} ${issue?.message ?? 'is invalid'}`);
  }
  return parsed.data;
}

/** What the model needs to know about a lead. */
export interface LeadTraits {
  source: string;
  segment: string;
  inbound: boolean;
  fame: FameBand;
}

/** What the model needs to know about one call. */
export interface CallContext {
  /** 1 for the first call. */
  attempt: number;
  /** Hour of the call in the lead's time zone, 0..23. */
  localHour: number;
  weekday: Weekday | 'Sat' | 'Sun';
  /** Minutes between the lead's creation and the call. */
  minutesSinceCreated: number;
}

export function speedMultiplier(
  model: BehaviourModel,
  lead: LeadTraits,
  minutesSinceCreated: number
): number {
  if (!lead.inbound) return 1;
  for (const step of model.contact.inboundSpeedToLead) {
    if (step.withinMinutes === null || minutesSinceCreated <= step.withinMinutes)
      return step.multiplier;
  }
  return 1;
}

function hourMultiplier(model: BehaviourModel, hour: number): number {
  const table = model.contact.localHourMultiplier as Record<string, number>;
  const exact = table[String(hour)];
  if (exact !== undefined) return exact;
  // Outside the modelled day: half the nearest modelled hour (docs/behaviour-model.md).
  return 0.5 * (hour < 8 ? (table['8'] ?? 1) : (table['17'] ?? 1));
}

function dayMultiplier(model: BehaviourModel, weekday: CallContext['weekday']): number {
  if (weekday === 'Sat') return 0.5 * model.contact.weekdayMultiplier.Fri;
  if (weekday === 'Sun') return 0.5 * model.contact.weekdayMultiplier.Mon;
  return model.contact.weekdayMultiplier[weekday];
}

export function contactProbability(
  model: BehaviourModel,
  lead: LeadTraits,
  call: CallContext
): number {
  const { contact } = model;
  const attempts = contact.attemptMultiplier;
  const attemptFactor = attempts[Math.min(Math.max(call.attempt, 1), attempts.length) - 1] ?? 1;
  const p =
    contact.baseRate *
    (contact.sourceMultiplier[lead.source] ?? 1) *
    speedMultiplier(model, lead, call.minutesSinceCreated) *
    attemptFactor *
    hourMultiplier(model, call.localHour) *
    dayMultiplier(model, call.weekday) *
    contact.fameMultiplier[lead.fame];
  return Math.min(model.maxProbability, p);
}

export function meetingProbability(model: BehaviourModel, lead: LeadTraits): number {
  const meeting = model.meetingGivenContact;
  const p =
    meeting.base *
    (meeting.sourceMultiplier[lead.source] ?? 1) *
    (meeting.segmentMultiplier[lead.segment] ?? 1) *
    (lead.inbound ? meeting.inboundMultiplier : 1) *
    meeting.fameMultiplier[lead.fame];
  return Math.min(model.maxProbability, p);
}

export function winProbability(model: BehaviourModel, segment: string): number {
  return Math.min(
    model.maxProbability,
    model.demoToWin.base * (model.demoToWin.segmentMultiplier[segment] ?? 1)
  );
}
