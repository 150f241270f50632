import { z } from 'zod';
import { InputError } from '../calendar/orgRecord';
import { normInv } from '../campaigns/normal';
import { createRng, type Rng } from '../random';
import { agentsNeeded, type StaffingLevel } from './erlang';

/**
 * Capacity planning for a bookings target.
 *
 * Leads: wins needed = target / average deal; each station converts a measured share to the
 * next (lead -> contact -> meeting booked -> demo held -> won), so leads needed = wins /
 * product of the conversions, spread over the working days. A lead that enters today wins,
 * on average, after the sum of the stations' cycle times: leads for the period must start
 * arriving that many days before it.
 *
 * Heads: closers are the line's constraint (the drum) and are staffed at their standard, 20
 * meetings a week each. Every other role is support, sized so that it could feed the closers
 * at their full capacity (closers x 20 meetings a week, not just the planned demand) while
 * running at no more than the utilization cap (75 % by default). Work arrives at random; a
 * station near 100 % builds queues that starve the constraint, and the cap is the protective
 * margin that keeps support from ever being the bottleneck (Goldratt's subordination; queueing
 * delay grows as u / (1 - u), tripling from 75 % to 90 %).
 */
const rateOrCounts = z.union([
  z.number().gt(0).max(1),
  z.object({ converted: z.number().int().nonnegative(), entered: z.number().int().positive() }).refine((c) => c.converted <= c.entered && c.converted > 0, 'converted between 1 and entered')
]);

export const stageSchema = z.object({
  name: z.string().min(1),
  /** Share that moves on to the next station: a rate, or measured counts (gives a range). */
  conversion: rateOrCounts,
  /** Mean days from entering this station to reaching the next. */
  cycleDays: z.number().nonnegative()
});

const roleCost = { currentHeads: z.number().int().nonnegative().default(0), annualCost: z.number().nonnegative().default(0) };

export const planInputSchema = z.object({
  /** Bookings (won revenue) wanted in the period. */
  targetBookings: z.number().positive(),
  averageDealSize: z.number().positive(),
  /** Calendar days in the period and working days per week. */
  periodDays: z.number().int().positive(),
  workingDaysPerWeek: z.number().gt(0).max(7).default(5),
  /** First day of the period (YYYY-MM-DD), to date the first lead. */
  periodStart: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  /** Lead -> ... -> won, in order. The stage whose next step is "meeting booked" is named by meetingStage. */
  stages: z.array(stageSchema).min(1),
  /** Index of the stage that starts at "meeting booked" (default: the second-to-last but one: lead, contact, meeting, demo). */
  meetingStage: z.number().int().nonnegative().optional(),
  utilizationCap: z.number().gt(0).max(1).default(0.75),
  closer: z.object({ meetingsPerWeek: z.number().positive().default(20), ...roleCost }).default({ meetingsPerWeek: 20, currentHeads: 0, annualCost: 0 }),
  coordinator: z.object({ perCloser: z.number().nonnegative().default(1), ...roleCost }).default({ perCloser: 1, currentHeads: 0, annualCost: 0 }),
  engineer: z
    .object({ shareOfDemos: z.number().min(0).max(1), hoursPerDemo: z.number().nonnegative(), hoursPerWeek: z.number().positive().default(40), ...roleCost })
    .optional(),
  sdr: z.object({
    /** Dials per lead until it is dispositioned. */
    attemptsPerLead: z.number().positive(),
    /** Minutes per dial, wrap-up included: calls per hour = 60 / handlingMinutes. */
    handlingMinutes: z.number().positive(),
    shiftHours: z.number().positive().max(24).default(8),
    ...roleCost
  }),
  inbound: z
    .object({
      /** Inbound leads per hour: one rate for every shift hour, or one per hour of the shift. */
      arrivalsPerHour: z.union([z.number().nonnegative(), z.array(z.number().nonnegative()).min(1).max(24)]),
      handleMinutes: z.number().positive(),
      answerWithinMinutes: z.number().positive().default(5),
      targetServiceLevel: z.number().gt(0).lt(1).default(0.8),
      maxOccupancy: z.number().gt(0).max(1).default(0.85),
      shiftHours: z.number().positive().max(24).default(8),
      /** Share of paid time not on the phones (breaks, training, meetings). */
      shrinkage: z.number().min(0).lt(1).default(0.3),
      ...roleCost
    })
    .optional(),
  /** Seed and draws for the range of leads per day when conversions are given as counts. */
  seed: z.union([z.string(), z.number()]).default(1),
  draws: z.number().int().min(100).max(100_000).default(4000)
});
export type PlanInput = z.input<typeof planInputSchema>;
type Input = z.infer<typeof planInputSchema>;

export const PLAN_ROLES = ['closer', 'coordinator', 'engineer', 'sdr', 'inboundSdr'] as const;
export type PlanRole = (typeof PLAN_ROLES)[number];

export interface RoleHeads {
  role: PlanRole;
  /** Work per week in the role's unit (meetings, hours, calls, agent hours). */
  load: number;
  unit: string;
  /** Heads the planned demand needs at full capacity (before rounding and margin). */
  exactHeads: number;
  heads: number;
  currentHeads: number;
  deltaHeads: number;
  /** Utilization of the recommended heads at the planned demand. */
  utilization: number;
  /** Meetings per week this role's recommended heads can support at 100 %. */
  meetingCapacity: number | null;
  /** The same with today's heads. */
  currentMeetingCapacity: number | null;
  annualCost: number;
  payrollDeltaAnnual: number;
  payrollDeltaPeriod: number;
  basis: string;
}

export interface InboundHour {
  hour: number;
  arrivalsPerHour: number;
  level: StaffingLevel;
}

export interface PlanResult {
  winsNeeded: number;
  meetingsNeeded: number;
  leadsNeeded: number;
  workingDays: number;
  weeks: number;
  leadsPerDay: number;
  /** 10th-90th percentile of leads per day from the measured counts (null when rates were given). */
  leadsPerDayRange: { p10: number; p50: number; p90: number } | null;
  meetingsPerWeek: number;
  leadTimeDays: number;
  firstLeadDate: string | null;
  funnel: { name: string; conversion: number; cycleDays: number; entering: number }[];
  roles: RoleHeads[];
  /** The role that limits meetings with the recommended heads (the closer, by construction). */
  bottleneck: PlanRole;
  /** The role that limits meetings with today's heads (null when no current heads were given). */
  currentBottleneck: PlanRole | null;
  /** Meetings a week today's heads can hold, against the plan's meetingsPerWeek. */
  currentMeetingCapacity: number | null;
  payrollDeltaAnnual: number;
  payrollDeltaPeriod: number;
  inbound: { hours: InboundHour[]; peakAgents: number; agentHoursPerDay: number; heads: number } | null;
  utilizationCap: number;
}

const rateOf = (c: Input['stages'][number]['conversion']) => (typeof c === 'number' ? c : c.converted / c.entered);

/** Gamma(shape, 1) by Marsaglia & Tsang (2000), for Beta draws. */
function gamma(shape: number, rng: Rng): number {
  if (shape < 1) return gamma(shape + 1, rng) * rng.next() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normInv(Math.min(1 - 1e-16, Math.max(1e-16, rng.next())));
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

function beta(a: number, b: number, rng: Rng): number {
  const x = gamma(a, rng);
  return x / (x + gamma(b, rng));
}

/**
 * Leads per day drawn from the conversions' uncertainty: each measured stage is
 * Beta(converted + 1/2, entered - converted + 1/2) (Jeffreys), stages given as rates are fixed.
 */
function leadsPerDayRange(input: Input, winsNeeded: number, workingDays: number): PlanResult['leadsPerDayRange'] {
  if (input.stages.every((s) => typeof s.conversion === 'number')) return null;
  const rng = createRng(input.seed);
  const draws: number[] = [];
  for (let i = 0; i < input.draws; i += 1) {
    let product = 1;
    for (const s of input.stages) {
      const c = s.conversion;
      product *= typeof c === 'number' ? c : beta(c.converted + 0.5, c.entered - c.converted + 0.5, rng);
    }
    draws.push(winsNeeded / product / workingDays);
  }
  draws.sort((a, b) => a - b);
  const q = (p: number) => draws[Math.min(draws.length - 1, Math.floor(p * draws.length))] as number;
  return { p10: q(0.1), p50: q(0.5), p90: q(0.9) };
}

function role(
  name: PlanRole,
  spec: { currentHeads: number; annualCost: number },
  load: number,
  unit: string,
  perHead: number,
  heads: number,
  /** Meetings a week that this many heads can support at 100 %, or null when the role does not limit meetings. */
  capacity: ((heads: number) => number) | null,
  periodDays: number,
  basis: string
): RoleHeads {
  const delta = heads - spec.currentHeads;
  return {
    role: name,
    load,
    unit,
    exactHeads: perHead > 0 ? load / perHead : 0,
    heads,
    currentHeads: spec.currentHeads,
    deltaHeads: delta,
    utilization: heads > 0 && perHead > 0 ? load / (heads * perHead) : 0,
    meetingCapacity: capacity ? capacity(heads) : null,
    currentMeetingCapacity: capacity ? capacity(spec.currentHeads) : null,
    annualCost: spec.annualCost,
    payrollDeltaAnnual: delta * spec.annualCost,
    payrollDeltaPeriod: (delta * spec.annualCost * periodDays) / 365,
    basis
  };
}

/** The role with the least meeting capacity (ties go to the closer, the constraint by design). */
function bottleneckOf(roles: readonly RoleHeads[], capacity: (r: RoleHeads) => number | null): PlanRole {
  let best: RoleHeads | null = null;
  for (const r of roles) {
    const c = capacity(r);
    if (c === null) continue;
    if (!best || c < (capacity(best) as number) - 1e-9) best = r;
  }
  return best?.role ?? 'closer';
}

/** Ceil that ignores floating dust (3.0000000001 heads is 3). */
const ceil = (x: number) => Math.ceil(x - 1e-9);

function inboundPlan(input: NonNullable<Input['inbound']>): PlanResult['inbound'] {
  const rates = typeof input.arrivalsPerHour === 'number' ? Array.from<number>({ length: Math.ceil(input.shiftHours) }).fill(input.arrivalsPerHour) : input.arrivalsPerHour;
  const hours = rates.map((rate, hour) => ({ hour, arrivalsPerHour: rate, level: agentsNeeded(rate, input.handleMinutes, input.answerWithinMinutes, input.targetServiceLevel, input.maxOccupancy) }));
  const peakAgents = Math.max(...hours.map((h) => h.level.agents));
  const agentHoursPerDay = hours.reduce((a, h) => a + h.level.agents, 0);
  // Every hour needs its agents on the phones: at least the peak, and enough shifts to cover
  // the agent-hours, grossed up for the paid time spent off the phones.
  const heads = ceil(Math.max(peakAgents, agentHoursPerDay / input.shiftHours) / (1 - input.shrinkage));
  return { hours, peakAgents, agentHoursPerDay, heads };
}

export function plan(raw: PlanInput): PlanResult {
  const parsed = planInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw new InputError(path || 'plan', path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), raw), issue?.message ?? 'a valid plan input');
  }
  const input = parsed.data;
  const meetingStage = input.meetingStage ?? Math.max(0, input.stages.length - 2);
  if (meetingStage >= input.stages.length) throw new InputError('meetingStage', meetingStage, `an index below the number of stages (${input.stages.length})`);
  const weeks = input.periodDays / 7;
  const workingDays = weeks * input.workingDaysPerWeek;
  const winsNeeded = input.targetBookings / input.averageDealSize;
  const rates = input.stages.map((s) => rateOf(s.conversion));
  // Entering each stage, counted back from the wins.
  const entering: number[] = new Array<number>(rates.length);
  let flow = winsNeeded;
  for (let i = rates.length - 1; i >= 0; i -= 1) {
    flow /= rates[i] as number;
    entering[i] = flow;
  }
  const leadsNeeded = entering[0] as number;
  const meetingsNeeded = entering[meetingStage] as number;
  const meetingsPerWeek = meetingsNeeded / weeks;
  const leadTimeDays = input.stages.reduce((a, s) => a + s.cycleDays, 0);
  const firstLeadDate = input.periodStart ? new Date(Date.parse(`${input.periodStart}T00:00:00Z`) - Math.ceil(leadTimeDays) * 86_400_000).toISOString().slice(0, 10) : null;

  const cap = input.utilizationCap;
  const closers = ceil(meetingsPerWeek / input.closer.meetingsPerWeek);
  const constraintMeetings = closers * input.closer.meetingsPerWeek;
  const roles: RoleHeads[] = [
    role('closer', input.closer, meetingsPerWeek, 'meetings/week', input.closer.meetingsPerWeek, closers, (h) => h * input.closer.meetingsPerWeek, input.periodDays, `${input.closer.meetingsPerWeek} meetings a week per closer (the constraint, no margin)`),
    role(
      'coordinator',
      input.coordinator,
      closers * input.coordinator.perCloser,
      'closers supported',
      1,
      ceil(closers * input.coordinator.perCloser),
      input.coordinator.perCloser > 0 ? (h) => (h / input.coordinator.perCloser) * input.closer.meetingsPerWeek : null,
      input.periodDays,
      `${input.coordinator.perCloser} per closer`
    )
  ];
  if (input.engineer) {
    const e = input.engineer;
    const hoursPerMeeting = e.shareOfDemos * e.hoursPerDemo;
    const load = meetingsPerWeek * hoursPerMeeting;
    const heads = ceil((constraintMeetings * hoursPerMeeting) / (e.hoursPerWeek * cap));
    roles.push(
      role('engineer', e, load, 'demo hours/week', e.hoursPerWeek, heads, hoursPerMeeting > 0 ? (h) => (h * e.hoursPerWeek) / hoursPerMeeting : null, input.periodDays, `${Math.round(e.shareOfDemos * 100)}% of demos x ${e.hoursPerDemo} h, ${e.hoursPerWeek} h a week, sized for the closers' full capacity at ${Math.round(cap * 100)}%`)
    );
  }
  const s = input.sdr;
  const callsPerSdrWeek = (60 / s.handlingMinutes) * s.shiftHours * input.workingDaysPerWeek;
  const callsPerWeek = (leadsNeeded / weeks) * s.attemptsPerLead;
  const callsPerMeeting = (leadsNeeded * s.attemptsPerLead) / meetingsNeeded;
  const sdrs = ceil((constraintMeetings * callsPerMeeting) / (callsPerSdrWeek * cap));
  roles.push(
    role('sdr', s, callsPerWeek, 'calls/week', callsPerSdrWeek, sdrs, (h) => (h * callsPerSdrWeek) / callsPerMeeting, input.periodDays, `${(60 / s.handlingMinutes).toFixed(1)} calls an hour x ${s.shiftHours} h x ${input.workingDaysPerWeek} days, sized for the closers' full capacity at ${Math.round(cap * 100)}%`)
  );
  const inbound = input.inbound ? inboundPlan(input.inbound) : null;
  if (input.inbound && inbound) {
    const agentHoursPerWeek = inbound.agentHoursPerDay * input.workingDaysPerWeek;
    roles.push(role('inboundSdr', input.inbound, agentHoursPerWeek, 'agent hours/week', input.inbound.shiftHours * input.workingDaysPerWeek * (1 - input.inbound.shrinkage), inbound.heads, null, input.periodDays, `Erlang C: ${Math.round(input.inbound.targetServiceLevel * 100)}% called within ${input.inbound.answerWithinMinutes} min, occupancy <= ${Math.round(input.inbound.maxOccupancy * 100)}%, shrinkage ${Math.round(input.inbound.shrinkage * 100)}%`));
  }
  const anyCurrent = roles.some((r) => r.currentHeads > 0);
  const currentBottleneck = anyCurrent ? bottleneckOf(roles, (r) => r.currentMeetingCapacity) : null;
  const currentMeetingCapacity = anyCurrent ? Math.min(...roles.map((r) => r.currentMeetingCapacity ?? Number.POSITIVE_INFINITY)) : null;
  return {
    winsNeeded,
    meetingsNeeded,
    leadsNeeded,
    workingDays,
    weeks,
    leadsPerDay: leadsNeeded / workingDays,
    leadsPerDayRange: leadsPerDayRange(input, winsNeeded, workingDays),
    meetingsPerWeek,
    leadTimeDays,
    firstLeadDate,
    funnel: input.stages.map((st, i) => ({ name: st.name, conversion: rates[i] as number, cycleDays: st.cycleDays, entering: entering[i] as number })),
    roles,
    bottleneck: bottleneckOf(roles, (r) => r.meetingCapacity),
    currentBottleneck,
    currentMeetingCapacity,
    payrollDeltaAnnual: roles.reduce((a, r) => a + r.payrollDeltaAnnual, 0),
    payrollDeltaPeriod: roles.reduce((a, r) => a + r.payrollDeltaPeriod, 0),
    inbound,
    utilizationCap: cap
  };
}
