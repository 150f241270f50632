import { z } from 'zod';

/**
 * The simulated floor: who works when, and how many leads arrive. These are the floor's
 * assumptions (not prospect behaviour, which is the behaviour model's); each default is
 * explained in docs/call-queue.md.
 */
const shares = z.record(z.string(), z.number().nonnegative());

export const ScenarioSchema = z.object({
  /** Monday 00:00 UTC on which the simulation starts. */
  start: z.string().default('2026-01-05T00:00:00.000Z'),
  weeks: z.number().int().min(1).max(52).default(4),
  sdrs: z.number().int().min(1).max(500).default(10),
  /** SDR home zones, assigned round-robin. */
  sdrZones: z.array(z.string()).min(1).default(['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles']),
  shiftStartHour: z.number().min(0).max(24).default(8),
  shiftEndHour: z.number().min(0).max(24).default(17),
  /** Station timing: calls per SDR hour are capped at 60 / handlingMinutes, so a call slot lasts at least this long. */
  handlingMinutes: z.number().positive().default(2),
  inboundPerSdrWeekday: z.number().nonnegative().default(6),
  /** Weekend inbound arrivals as a share of a weekday's. */
  weekendInboundShare: z.number().nonnegative().default(0.25),
  /** Purchased-list leads loaded every Monday, per SDR. */
  listLeadsPerSdrWeek: z.number().nonnegative().default(150),
  leadZones: shares.default({ 'America/New_York': 0.47, 'America/Chicago': 0.29, 'America/Denver': 0.07, 'America/Los_Angeles': 0.17 }),
  inboundSources: shares.default({ Web: 0.7, 'Phone Inquiry': 0.15, 'Partner Referral': 0.15 }),
  listSources: shares.default({ 'Purchased List': 0.8, 'Trade Show': 0.2 }),
  segments: shares.default({ SMB: 0.5, 'Mid-Market': 0.35, Enterprise: 0.15 }),
  /** Relative inbound arrival rate by local hour 0..23 (web forms peak in business hours). */
  inboundHourWeights: z
    .array(z.number().nonnegative())
    .length(24)
    .default([0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.3, 0.6, 1, 1.4, 1.6, 1.6, 1.3, 1.5, 1.6, 1.4, 1.2, 0.9, 0.6, 0.5, 0.4, 0.3, 0.3, 0.2]),
  /** A requested call-back is for 1 to this many business days later, at a random local business hour. */
  callBackMaxDays: z.number().int().min(1).default(3),
  /** Demos are held 1 to this many business days after booking. */
  demoMaxDays: z.number().int().min(1).default(5),
  /** An open lead untouched for this many days at the end is leaked. */
  staleDays: z.number().positive().default(7),
  /** An idle SDR looks again after this many minutes (or at once when a lead is assigned). */
  idlePollMinutes: z.number().positive().default(5),
  /** Minutes a self-selecting SDR spends choosing each call. The issue says choosing takes "a large share of the day", but no source puts a number on it, so the default is 0 (the most favourable case for that baseline). */
  selfSelectionChoosingMinutes: z.number().nonnegative().default(0),
  /** How often the queue policy refits its odds on its own call history (the engine's nightly job; weekly here, which learns slower). */
  refitDays: z.number().int().min(1).default(7)
});
export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
