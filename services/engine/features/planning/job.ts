import { z } from 'zod';
import { InputError } from '../../core/calendar';
import { plan, PLAN_ROLES, type Measured, type PlanInput, type PlanResult, type PlanRole } from '../../core/planning';
import type { JobHandler } from '../../jobs/types';
import type { OrgClient } from '../../org/connection';
import { queryAll } from '../../org/reads';
import { soql } from '../../org/soql';
import { writeRecords } from '../../org/writes';
import { orgNames } from '../../org/names';
import { readMeasured } from './measured';
import { currentHeads, engineerLoad, inboundArrivals, sdrHandlingMinutes, type InboundArrivals } from './orgInputs';

/**
 * The "Capacity Plan" job: the plan for the bookings target in Scope__c, with the stations,
 * deal size and dials per lead measured in the org, heads today counted from Rep_Capacity__c,
 * the SDR's minutes per dial from the SDR station and inbound arrivals from Lead.Inbound__c.
 * The answer goes to Job_Run__c.Result__c of the run (upsert by Run_Key__c), where the
 * Planning console reads it: the console asks for a plan by writing Scope__c and Run_Now__c.
 *
 * Scope__c: { "targetBookings": 1200000, "periodDays": 91, "periodStart": "2027-01-01",
 * "measureDays": 180 } and, optionally, any part of the plan input file (docs/planning.md):
 * what the scope gives wins over what the org says.
 */
const DAY = 86_400_000;
/** Minutes an inbound SDR spends per inbound lead when the scope does not say (call + notes). */
export const DEFAULT_INBOUND_HANDLE_MINUTES = 6;

const positive = (field: string) => z.number({ error: `Scope__c.${field} must be a number` }).positive(`Scope__c.${field} must be above 0`);

export const planScopeSchema = z.looseObject({
  targetBookings: positive('targetBookings'),
  periodDays: z.number({ error: 'Scope__c.periodDays must be a whole number of days' }).int('Scope__c.periodDays must be a whole number of days').min(1).max(3660),
  periodStart: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Scope__c.periodStart must be a date, YYYY-MM-DD').optional(),
  measureDays: z.number().int().min(7, 'Scope__c.measureDays must be at least 7').max(3650).default(180),
  /** false: plan without inbound staffing even when inbound leads arrive. */
  inbound: z.union([z.literal(false), z.record(z.string(), z.unknown())]).optional(),
  sdr: z.record(z.string(), z.unknown()).optional()
});
export type PlanScope = z.infer<typeof planScopeSchema>;

export type InputSource = 'scope' | 'org' | 'default';

export interface OrgPlanFacts {
  measured: Measured & { window: { start: string; end: string } };
  heads: Partial<Record<PlanRole, number>>;
  sdrHandlingMinutes: number | null;
  inbound: InboundArrivals | null;
  /** Share of demos with a sales engineer and their mean hours, from Demo_Slot__c. */
  engineer: { shareOfDemos: number; hoursPerDemo: number } | null;
}

export interface CapacityPlanResult {
  kind: 'capacity-plan';
  version: 1;
  computedAt: string;
  /** What was asked: the target and period of Scope__c. */
  target: { targetBookings: number; periodDays: number; periodStart: string | null; measureDays: number };
  /** The plan input used, and where each part came from. */
  input: PlanInput;
  sources: Record<string, InputSource>;
  measuredWindow: { start: string; end: string };
  inboundShiftStartHourUtc: number | null;
  plan: PlanResult;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Reads what the plan needs from the org (one query per object, in parallel). */
export async function readPlanFacts(client: OrgClient, now: Date, measureDays: number, inboundShiftHours: number): Promise<OrgPlanFacts> {
  const names = orgNames(client);
  const start = new Date(now.getTime() - measureDays * DAY);
  const strip = (rows: Record<string, unknown>[]) => rows.map(names.strip);
  const [measured, stations, reps, inbound, slots] = await Promise.all([
    readMeasured(client, now, measureDays),
    queryAll(client, soql`SELECT ${names.list(['Key__c', 'Role__c', 'Handling_Minutes__c', 'Active__c'])} FROM ${names.n('Station__c')}`).then(strip),
    queryAll(client, soql`SELECT ${names.list(['Station_Keys__c', 'Demo_Target__c'])} FROM ${names.n('Rep_Capacity__c')} WHERE ${names.n('Active__c')} = true`).then(strip),
    queryAll(client, soql`SELECT CreatedDate FROM Lead WHERE ${names.n('Inbound__c')} = true AND CreatedDate >= ${start} AND CreatedDate < ${now}`),
    queryAll(
      client,
      soql`SELECT ${names.list(['Engineer__c', 'Start__c', 'End__c'])} FROM ${names.n('Demo_Slot__c')} WHERE ${names.n('Start__c')} >= ${start} AND ${names.n('Start__c')} < ${now} AND ${names.n('Status__c')} IN ('Booked', 'Confirmed', 'Held')`
    ).then(strip)
  ]);
  const load = engineerLoad(slots);
  return {
    measured,
    heads: currentHeads(stations, reps),
    sdrHandlingMinutes: sdrHandlingMinutes(stations),
    inbound: inboundArrivals(
      inbound.map((r) => String(r.CreatedDate)),
      { start, end: now },
      inboundShiftHours
    ),
    engineer: load ? { shareOfDemos: load.shareOfDemos, hoursPerDemo: load.hoursPerDemo } : null
  };
}

/**
 * The plan input: the scope's own values first, then the org's facts, then defaults; `sources`
 * says which for each part the console shows (so a manager knows what was measured).
 */
export function planInputFromScope(scope: PlanScope, facts: OrgPlanFacts): { input: PlanInput; sources: Record<string, InputSource> } {
  const { measureDays: _measureDays, inbound: scopeInbound, sdr: scopeSdr, ...rest } = scope;
  const input: Record<string, unknown> = { ...rest };
  const sources: Record<string, InputSource> = { targetBookings: 'scope', periodDays: 'scope' };
  const pick = (key: string, fromScope: unknown, fromOrg: unknown, fallback?: unknown): unknown => {
    if (fromScope !== undefined) {
      sources[key] = 'scope';
      return fromScope;
    }
    if (fromOrg !== undefined && fromOrg !== null) {
      sources[key] = 'org';
      return fromOrg;
    }
    if (fallback !== undefined) sources[key] = 'default';
    return fallback;
  };
  input.stages = pick('stages', rest.stages, facts.measured.stages);
  input.averageDealSize = pick('averageDealSize', rest.averageDealSize, facts.measured.averageDealSize);
  const sdr: Record<string, unknown> = { ...(scopeSdr ?? {}) };
  sdr.attemptsPerLead = pick('sdr.attemptsPerLead', sdr.attemptsPerLead, facts.measured.attemptsPerLead);
  sdr.handlingMinutes = pick('sdr.handlingMinutes', sdr.handlingMinutes, facts.sdrHandlingMinutes);
  input.sdr = sdr;
  if (scopeInbound !== false) {
    const given = scopeInbound ?? {};
    const arrivals = pick('inbound.arrivalsPerHour', given.arrivalsPerHour, facts.inbound?.arrivalsPerHour);
    if (arrivals !== undefined) {
      input.inbound = { ...given, arrivalsPerHour: arrivals, handleMinutes: pick('inbound.handleMinutes', given.handleMinutes, undefined, DEFAULT_INBOUND_HANDLE_MINUTES) };
    }
  }
  const scopeEngineer = isObject(rest.engineer) ? rest.engineer : undefined;
  if (scopeEngineer || facts.engineer) {
    const engineer: Record<string, unknown> = { ...(scopeEngineer ?? {}) };
    engineer.shareOfDemos = pick('engineer.shareOfDemos', engineer.shareOfDemos, facts.engineer?.shareOfDemos);
    engineer.hoursPerDemo = pick('engineer.hoursPerDemo', engineer.hoursPerDemo, facts.engineer?.hoursPerDemo);
    input.engineer = engineer;
  }
  for (const role of PLAN_ROLES) {
    const key = role === 'inboundSdr' ? 'inbound' : role;
    const part = input[key];
    const orgHeads = facts.heads[role];
    if (key === 'engineer' && !isObject(part)) continue; // no demo load known: engineers are not planned
    if (key === 'inbound' && !isObject(part)) continue;
    const spec: Record<string, unknown> = isObject(part) ? { ...part } : {};
    spec.currentHeads = pick(`${role}.currentHeads`, spec.currentHeads, orgHeads, 0);
    input[key] = spec;
  }
  return { input: input as PlanInput, sources };
}

export async function computeCapacityPlan(client: OrgClient, scopeRaw: unknown, now: Date): Promise<CapacityPlanResult> {
  const parsed = planScopeSchema.safeParse(scopeRaw);
  if (!parsed.success) throw new InputError('Scope__c', scopeRaw, parsed.error.issues.map((i) => `${i.path.join('.') || 'scope'}: ${i.message}`).join('; '));
  const scope = parsed.data;
  const shiftHours = isObject(scope.inbound) && typeof scope.inbound.shiftHours === 'number' ? scope.inbound.shiftHours : 8;
  const facts = await readPlanFacts(client, now, scope.measureDays, shiftHours);
  const { input, sources } = planInputFromScope(scope, facts);
  let result: PlanResult;
  try {
    result = plan(input);
  } catch (error) {
    if (error instanceof InputError && error.value === undefined) {
      throw new InputError(`Scope__c.${error.field}`, undefined, `${error.expected}: the org does not give it; set "${error.field}" in the job's Scope__c (docs/planning.md)`);
    }
    throw error;
  }
  return {
    kind: 'capacity-plan',
    version: 1,
    computedAt: now.toISOString(),
    target: { targetBookings: scope.targetBookings, periodDays: scope.periodDays, periodStart: scope.periodStart ?? null, measureDays: scope.measureDays },
    input,
    sources,
    measuredWindow: facts.measured.window,
    inboundShiftStartHourUtc: sources['inbound.arrivalsPerHour'] === 'org' ? (facts.inbound?.shiftStartHourUtc ?? null) : null,
    plan: result
  };
}

const RESULT_LIMIT = 131_072;

/**
 * Engine_Signal__e JOB_RUN once the plan is in Result__c, so an open Planning console reads it
 * at once instead of on its next refresh. A lost signal costs only that: the plan is saved.
 */
async function announceResult(client: OrgClient, jobId: string, runKey: string): Promise<void> {
  const names = orgNames(client);
  await writeRecords(client, [{ kind: 'create', sobject: names.api('Engine_Signal__e'), records: [names.record({ Kind__c: 'JOB_RUN', Record_Id__c: jobId, Payload__c: JSON.stringify({ type: 'Capacity Plan', runKey }) })] }]).catch(() => undefined);
}

export function capacityPlanJob(client: OrgClient): JobHandler {
  return async ({ job, runKey, now }) => {
    const result = await computeCapacityPlan(client, job.scope, now);
    const names = orgNames(client);
    const json = JSON.stringify(result);
    if (json.length > RESULT_LIMIT) throw new Error(`Job_Run__c.Result__c: the plan is ${json.length} characters (limit ${RESULT_LIMIT}); give fewer stages or inbound hours in Scope__c`);
    const [report] = await writeRecords(client, [{ kind: 'upsert', sobject: names.api('Job_Run__c'), externalIdField: names.api('Run_Key__c'), records: [names.record({ Run_Key__c: runKey, Result__c: json })] }]);
    if (report?.failed.length) throw new Error(`Job_Run__c.Result__c: write refused (${report.failed[0]?.errorCode}: ${report.failed[0]?.message})`);
    await announceResult(client, job.id, runKey);
    const p = result.plan;
    return {
      recordsTouched: 1,
      summary: `${Math.round(result.target.targetBookings).toLocaleString('en-US')} in ${result.target.periodDays} days: ${p.leadsPerDay.toFixed(1)} leads a day, ${p.roles.map((r) => `${r.role} ${r.heads}`).join(', ')}; payroll delta ${Math.round(p.payrollDeltaAnnual).toLocaleString('en-US')} a year`
    };
  };
}
