import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { InputError } from '../../core/calendar';
import { plan, PLAN_ROLES, type Measured, type PlanInput, type PlanResult, type PlanRole } from '../../core/planning';
import { readMeasured } from '../../features/planning';
import { connect, ORG_OPTION_HELP } from './orgFlags';

/**
 * `asl plan`: capacity planning for a bookings target (docs/planning.md). Inputs come from a
 * JSON file (--input), from flags, or both (flags override the file).
 */
const num = (flag: string) => z.coerce.number({ error: `--${flag} must be a number` });
const list = (flag: string) =>
  z.string().transform((v, ctx) => {
    const values = v.split(',').map((x) => Number(x.trim()));
    if (values.some((x) => !Number.isFinite(x))) {
      ctx.addIssue({ code: 'custom', message: `--${flag} must be numbers separated by commas, e.g. 0.3,0.2,0.8,0.25` });
      return z.NEVER;
    }
    return values;
  });

const byRole = (flag: string) =>
  z.string().transform((v, ctx) => {
    const out: Partial<Record<PlanRole, number>> = {};
    for (const pair of v.split(',')) {
      const [role, value] = pair.split('=').map((x) => x.trim());
      if (!(PLAN_ROLES as readonly string[]).includes(role ?? '') || !Number.isFinite(Number(value)) || value === '') {
        ctx.addIssue({ code: 'custom', message: `--${flag} takes role=number pairs, roles ${PLAN_ROLES.join(', ')}; got "${pair}"` });
        return z.NEVER;
      }
      out[role as PlanRole] = Number(value);
    }
    return out;
  });

const FlagsSchema = z.object({
  input: z.string().optional(),
  targetBookings: num('target-bookings').optional(),
  dealSize: num('deal-size').optional(),
  periodDays: num('period-days').optional(),
  periodStart: z.string().optional(),
  conversions: list('conversions').optional(),
  cycleDays: list('cycle-days').optional(),
  attemptsPerLead: num('attempts-per-lead').optional(),
  handlingMinutes: num('handling-minutes').optional(),
  shiftHours: num('shift-hours').optional(),
  utilizationCap: num('utilization-cap').optional(),
  inboundPerHour: list('inbound-per-hour').optional(),
  inboundHandleMinutes: num('inbound-handle-minutes').optional(),
  answerWithin: num('answer-within').optional(),
  serviceLevel: num('service-level').optional(),
  current: byRole('current').optional(),
  costs: byRole('costs').optional(),
  org: z.string().optional(),
  measureDays: z.coerce.number({ error: '--measure-days must be a number' }).int().min(7, '--measure-days must be at least 7').max(3650).default(180),
  json: z.boolean().default(false)
});
type Flags = z.infer<typeof FlagsSchema>;

/** Station names when conversions come from --conversions (lead, contact, meeting, demo held). */
export const DEFAULT_STAGE_NAMES = ['Lead to contact', 'Contact to meeting', 'Meeting to demo held', 'Demo held to won'];

function readInput(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`--input: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const json: unknown = JSON.parse(text);
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error('expected a JSON object');
    return json as Record<string, unknown>;
  } catch (error) {
    throw new Error(`--input: ${file} is not a plan JSON object: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/**
 * The file's inputs with the stations measured in the org (--org): measured stages and deal
 * size replace the file's; typed flags still win over both.
 */
export function withMeasured(file: Record<string, unknown>, measured: Measured): Record<string, unknown> {
  const sdr = (file.sdr as Record<string, unknown> | undefined) ?? {};
  return {
    ...file,
    stages: measured.stages,
    ...(measured.averageDealSize !== null ? { averageDealSize: measured.averageDealSize } : {}),
    ...(measured.attemptsPerLead !== null ? { sdr: { ...sdr, attemptsPerLead: measured.attemptsPerLead } } : {})
  };
}

/** The plan input from a file and flags (flags win). */
export function planInputFrom(flags: Flags, measured?: Measured): PlanInput {
  const fromFile = flags.input ? readInput(flags.input) : {};
  const file = measured ? withMeasured(fromFile, measured) : fromFile;
  const merged: Record<string, unknown> = {
    ...file,
    ...defined({ targetBookings: flags.targetBookings, averageDealSize: flags.dealSize, periodDays: flags.periodDays, periodStart: flags.periodStart, utilizationCap: flags.utilizationCap })
  };
  if (flags.conversions) {
    const days = flags.cycleDays ?? [];
    if (days.length !== 0 && days.length !== flags.conversions.length) throw new Error(`--cycle-days needs one value per conversion (${flags.conversions.length})`);
    merged.stages = flags.conversions.map((conversion, i) => ({ name: DEFAULT_STAGE_NAMES[i] ?? `Stage ${i + 1}`, conversion, cycleDays: days[i] ?? 0 }));
  } else if (flags.cycleDays) throw new Error('--cycle-days goes with --conversions');
  const sdr = defined({ attemptsPerLead: flags.attemptsPerLead, handlingMinutes: flags.handlingMinutes, shiftHours: flags.shiftHours });
  if (Object.keys(sdr).length) merged.sdr = { ...((file.sdr as object) ?? {}), ...sdr };
  const inbound = defined({
    arrivalsPerHour: flags.inboundPerHour ? (flags.inboundPerHour.length === 1 ? flags.inboundPerHour[0] : flags.inboundPerHour) : undefined,
    handleMinutes: flags.inboundHandleMinutes,
    answerWithinMinutes: flags.answerWithin,
    targetServiceLevel: flags.serviceLevel
  });
  if (Object.keys(inbound).length) merged.inbound = { ...((file.inbound as object) ?? {}), ...inbound };
  for (const role of PLAN_ROLES) {
    const key = role === 'inboundSdr' ? 'inbound' : role;
    const extra = defined({ currentHeads: flags.current?.[role], annualCost: flags.costs?.[role] });
    if (Object.keys(extra).length === 0) continue;
    if (key === 'inbound' && !merged.inbound) throw new Error('--current/--costs inboundSdr=... need the inbound inputs (--inbound-per-hour)');
    merged[key] = { ...((merged[key] as object) ?? {}), ...extra };
  }
  return merged as PlanInput;
}

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const n1 = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const pct = (x: number) => `${Math.round(x * 100)}%`;
const signed = (x: number) => (x > 0 ? `+${n0(x)}` : n0(x));

export function formatPlan(r: PlanResult): string {
  const lines = [
    `Wins needed ${n1(r.winsNeeded)}, meetings ${n1(r.meetingsNeeded)} (${n1(r.meetingsPerWeek)} a week), leads ${n0(r.leadsNeeded)} over ${n1(r.workingDays)} working days.`,
    `Leads per day: ${n1(r.leadsPerDay)}${r.leadsPerDayRange ? ` (80% range ${n1(r.leadsPerDayRange.p10)}-${n1(r.leadsPerDayRange.p90)} from the measured conversions)` : ''}.`,
    `Leads must arrive ${n1(r.leadTimeDays)} days before they close${r.firstLeadDate ? `: start by ${r.firstLeadDate}` : ''}.`,
    '',
    'Funnel:',
    ...r.funnel.map((f) => `  ${f.name.padEnd(24)} ${pct(f.conversion).padStart(5)}  ${n1(f.cycleDays).padStart(6)} days  ${n0(f.entering).padStart(9)} entering`),
    '',
    `Heads (support sized for the closers' full capacity at <= ${pct(r.utilizationCap)} utilization):`,
    '  role           need  heads  now  delta  utilization  payroll delta/yr  basis',
    ...r.roles.map((x) => `  ${x.role.padEnd(12)} ${n1(x.exactHeads).padStart(6)} ${String(x.heads).padStart(6)} ${String(x.currentHeads).padStart(4)} ${signed(x.deltaHeads).padStart(6)} ${pct(x.utilization).padStart(12)} ${signed(x.payrollDeltaAnnual).padStart(17)}  ${x.basis}`),
    '',
    `Bottleneck with these heads: ${r.bottleneck}.${r.currentBottleneck ? ` Today: ${r.currentBottleneck}, holding ${n1(r.currentMeetingCapacity ?? 0)} meetings a week against ${n1(r.meetingsPerWeek)} needed.` : ''}`,
    `Payroll delta: ${signed(r.payrollDeltaAnnual)} a year, ${signed(r.payrollDeltaPeriod)} for the period.`
  ];
  if (r.inbound) {
    lines.push('', `Inbound (Erlang C): peak ${r.inbound.peakAgents} agents, ${r.inbound.agentHoursPerDay} agent-hours a day, ${r.inbound.heads} heads.`);
    lines.push('  hour  leads/h  agents  within target  avg wait min  occupancy');
    for (const h of r.inbound.hours) lines.push(`  ${String(h.hour).padStart(4)} ${n1(h.arrivalsPerHour).padStart(8)} ${String(h.level.agents).padStart(7)} ${pct(h.level.serviceLevel).padStart(14)} ${n1(h.level.averageWaitMinutes).padStart(13)} ${pct(h.level.occupancy).padStart(10)}`);
  }
  return lines.join('\n');
}

/** Where each input can be set, for errors about missing inputs. */
const FLAG_OF: Record<string, string> = {
  targetBookings: '--target-bookings',
  averageDealSize: '--deal-size',
  periodDays: '--period-days',
  stages: '--conversions and --cycle-days',
  sdr: '--attempts-per-lead and --handling-minutes',
  'sdr.attemptsPerLead': '--attempts-per-lead',
  'sdr.handlingMinutes': '--handling-minutes',
  'inbound.handleMinutes': '--inbound-handle-minutes',
  'inbound.arrivalsPerHour': '--inbound-per-hour'
};

export function runPlan(input: PlanInput): PlanResult {
  try {
    return plan(input);
  } catch (error) {
    if (error instanceof InputError && error.value === undefined) {
      const flag = FLAG_OF[error.field];
      throw new Error(`${error.field} is missing: ${flag ? `set ${flag}, or ` : 'set '}"${error.field}" in the --input JSON (see docs/planning.md)`);
    }
    throw error;
  }
}

export function register(program: Command): void {
  program
    .command('plan')
    .description('Leads per day, heads per role, payroll delta and inbound SDR staffing for a bookings target')
    .option('--input <file>', 'plan inputs as JSON (see docs/planning.md); flags override it')
    .option('--target-bookings <amount>', 'bookings (won revenue) wanted in the period')
    .option('--deal-size <amount>', 'average won deal')
    .option('--period-days <n>', 'calendar days in the period')
    .option('--period-start <date>', 'first day of the period (YYYY-MM-DD)')
    .option('--conversions <list>', 'station conversions in order, e.g. 0.3,0.2,0.8,0.25 (lead>contact>meeting>demo>won)')
    .option('--cycle-days <list>', 'mean days in each station, e.g. 3,7,5,30')
    .option('--attempts-per-lead <n>', 'SDR dials per lead')
    .option('--handling-minutes <n>', 'SDR minutes per dial (calls per hour = 60 / this)')
    .option('--shift-hours <n>', 'SDR shift hours (default 8)')
    .option('--utilization-cap <share>', 'support utilization cap (default 0.75)')
    .option('--inbound-per-hour <list>', 'inbound leads per hour: one rate, or one per shift hour')
    .option('--inbound-handle-minutes <n>', 'minutes per inbound lead')
    .option('--answer-within <minutes>', 'speed-to-lead target in minutes (default 5)')
    .option('--service-level <share>', 'share of inbound leads called within the target (default 0.8)')
    .option('--current <pairs>', `heads today, e.g. closer=2,coordinator=1,sdr=3 (roles: ${PLAN_ROLES.join(', ')})`)
    .option('--costs <pairs>', 'annual cost per head, e.g. closer=140000,sdr=65000')
    .option('--org <target>', `measure conversion, timing, deal size and dials per lead in an org; ${ORG_OPTION_HELP}`)
    .option('--measure-days <n>', 'with --org: days of records to measure (default 180)')
    .option('--json', 'print the plan as JSON', false)
    .action(async (raw: Record<string, unknown>) => {
      const parsed = FlagsSchema.safeParse(raw);
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
      const measured = parsed.data.org !== undefined ? await readMeasured(await connect(parsed.data.org), new Date(), parsed.data.measureDays) : undefined;
      const result = runPlan(planInputFrom(parsed.data, measured));
      const out = measured ? { measured, plan: result } : result;
      process.stdout.write(parsed.data.json ? `${JSON.stringify(out, null, 2)}\n` : `${measured ? `Measured in the org from ${measured.window.start.slice(0, 10)} to ${measured.window.end.slice(0, 10)}.\n` : ''}${formatPlan(result)}\n`);
    });
}
