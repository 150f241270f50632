import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { OrgClient } from '../../org/connection';
import { apiNames, OBJECT_NAMES, SOBJECTS } from '../../schema';
import { validateCron } from '../../jobs/scheduler';
import { INTEGRATION_PERMISSION_SET } from './names';

/**
 * `asl doctor`: is this org ready for the engine? Each check answers findings with the fix an
 * admin applies. Only `fail` findings make the org "not ready"; `warn` is advice.
 */
export type Level = 'ok' | 'warn' | 'fail';
export interface Finding {
  check: string;
  level: Level;
  message: string;
  fix?: string;
}
export interface DoctorReport {
  ready: boolean;
  findings: Finding[];
}

type Check = (client: OrgClient, ctx: DoctorContext) => Promise<Finding[]>;
interface DoctorContext {
  /** An admin's session for what the integration user may not read (PermissionSetAssignment). */
  admin?: OrgClient;
  names: ReturnType<typeof apiNames>;
  version: string;
  flowsDir: string;
}

const anyRows = z.object({ totalSize: z.number(), records: z.array(z.record(z.string(), z.unknown())) });

async function rows(client: OrgClient, soql: string): Promise<Array<Record<string, unknown>>> {
  return anyRows.parse(await client.conn.query(soql)).records;
}

function errorCode(error: unknown): string {
  const e = error as { errorCode?: string; name?: string };
  return e.errorCode ?? e.name ?? 'ERROR';
}

export const checkMetadata: Check = async (client, { names }) => {
  const global = z.object({ sobjects: z.array(z.object({ name: z.string() })) }).parse(await client.conn.describeGlobal());
  const present = new Set(global.sobjects.map((o) => o.name));
  const missingObjects = OBJECT_NAMES.filter((o) => !present.has(names[o].name)).map((o) => names[o].name);
  if (missingObjects.length > 0) {
    return [{ check: 'metadata', level: 'fail', message: `objects missing: ${missingObjects.join(', ')}`, fix: 'deploy the package: scripts/deploy.sh <alias> (or install the managed package version)' }];
  }
  const missingFields: string[] = [];
  for (const object of OBJECT_NAMES) {
    const def = SOBJECTS[object] as { fields: Record<string, unknown> };
    const described = z.object({ fields: z.array(z.object({ name: z.string() })) }).parse(await client.conn.describe(names[object].name));
    const fields = new Set(described.fields.map((f) => f.name));
    const want = names[object].fields as Record<string, string>;
    for (const field of Object.keys(def.fields)) if (!fields.has(want[field] ?? field)) missingFields.push(`${names[object].name}.${want[field] ?? field}`);
  }
  if (missingFields.length > 0) {
    return [{ check: 'metadata', level: 'fail', message: `fields missing or not visible to the integration user: ${missingFields.slice(0, 10).join(', ')}${missingFields.length > 10 ? ` (+${missingFields.length - 10})` : ''}`, fix: `deploy the package and assign ${INTEGRATION_PERMISSION_SET} (field-level security hides fields it does not grant)` }];
  }
  return [{ check: 'metadata', level: 'ok', message: `${OBJECT_NAMES.length} objects and their fields present` }];
};

function packageFlows(flowsDir: string): string[] {
  if (!existsSync(flowsDir)) return [];
  return readdirSync(flowsDir).filter((f) => f.endsWith('.flow-meta.xml')).map((f) => f.replace(/\.flow-meta\.xml$/, ''));
}

/** FlowDefinitionView (Tooling-free, queryable with the REST API): ActiveVersionId is null for an inactive flow. */
export const checkFlows: Check = async (client, { flowsDir }) => {
  const expected = packageFlows(flowsDir);
  let records: Array<Record<string, unknown>>;
  try {
    records = await rows(client, "SELECT ApiName, ActiveVersionId FROM FlowDefinitionView WHERE ApiName LIKE 'ASL_%'");
  } catch (error) {
    return [{ check: 'flows', level: 'warn', message: `flow activation not checkable: FlowDefinitionView answered ${errorCode(error)} (the local org does not model it)`, fix: 'check Setup > Flows: every ASL_ flow must be Active' }];
  }
  const active = new Set(records.filter((r) => typeof r.ActiveVersionId === 'string' && r.ActiveVersionId !== '').map((r) => String(r.ApiName)));
  const found = new Set(records.map((r) => String(r.ApiName)));
  const missing = expected.filter((f) => !found.has(f));
  const inactive = [...found].filter((f) => !active.has(f));
  const findings: Finding[] = [];
  if (missing.length > 0) findings.push({ check: 'flows', level: 'fail', message: `flows missing: ${missing.join(', ')}`, fix: 'deploy the package (scripts/deploy.sh)' });
  if (inactive.length > 0) findings.push({ check: 'flows', level: 'fail', message: `flows inactive: ${inactive.join(', ')}`, fix: 'Setup > Flows > open each flow > Activate (the stage-timer stamps depend on them)' });
  if (findings.length === 0) findings.push({ check: 'flows', level: 'ok', message: `${active.size} ASL flows active` });
  return findings;
};

export const checkIntegrationUser: Check = async (client, { admin }) => {
  const userId = client.userId;
  if (!userId) return [{ check: 'integration user', level: 'fail', message: 'the session did not name its user', fix: 'log in as the integration user (asl connect)' }];
  let records: Array<Record<string, unknown>>;
  try {
    records = await rows(admin ?? client, `SELECT Id, PermissionSetId, PermissionSet.Name, PermissionSet.IsOwnedByProfile FROM PermissionSetAssignment WHERE AssigneeId = '${userId}'`);
  } catch (error) {
    // Object Reference, PermissionSetAssignment, "Special Access Rules": reading it needs View
    // Setup and Configuration, which a least-privilege integration user does not have.
    return [{ check: 'integration user', level: admin ? 'fail' : 'warn', message: `cannot read the integration user's permission set assignments (${errorCode(error)})`, fix: 'rerun as well with an admin session: asl doctor --org <engine config> --admin sf:<alias>' }];
  }
  const held = records
    .map((r) => r.PermissionSet as { Name?: string; IsOwnedByProfile?: boolean } | null)
    .filter((p): p is { Name: string; IsOwnedByProfile?: boolean } => p !== null && typeof p?.Name === 'string' && p.IsOwnedByProfile !== true)
    .map((p) => p.Name);
  const findings: Finding[] = [];
  if (!held.includes(INTEGRATION_PERMISSION_SET)) {
    findings.push({ check: 'integration user', level: 'fail', message: `${userId} does not hold ${INTEGRATION_PERMISSION_SET}`, fix: `sf org assign permset --name ${INTEGRATION_PERMISSION_SET} --on-behalf-of <integration username> (local org: asl permsets assign --org local --name ${INTEGRATION_PERMISSION_SET} --user <username>)` });
  }
  const extra = held.filter((name) => name !== INTEGRATION_PERMISSION_SET);
  if (extra.length > 0) {
    findings.push({ check: 'integration user', level: 'fail', message: `the integration user also holds ${extra.join(', ')}, which the engine does not need`, fix: 'remove those assignments (Setup > Users > the integration user > Permission Set Assignments): least privilege' });
  }
  if (findings.length === 0) findings.push({ check: 'integration user', level: 'ok', message: `holds ${INTEGRATION_PERMISSION_SET} and nothing else` });
  return findings;
};

export const checkLine: Check = async (client, { names }) => {
  const s = names.Station__c;
  const stations = await rows(client, `SELECT Id FROM ${s.name} WHERE ${s.fields.Active__c} = true`);
  const rules = await rows(client, `SELECT Id FROM ${names.Station_Rule__c.name}`);
  const r = names.Rep_Capacity__c;
  const reps = await rows(client, `SELECT Id FROM ${r.name} WHERE ${r.fields.Active__c} = true`);
  const findings: Finding[] = [];
  const load = 'asl line load --org <org> (loads config/default-line.json; edit it or the records in the org)';
  findings.push(stations.length === 0
    ? { check: 'stations', level: 'fail', message: 'no active Station__c records', fix: load }
    : { check: 'stations', level: 'ok', message: `${stations.length} active stations` });
  findings.push(rules.length === 0
    ? { check: 'rules', level: 'fail', message: 'no Station_Rule__c records: dispositions would move nothing', fix: load }
    : { check: 'rules', level: 'ok', message: `${rules.length} station rules` });
  findings.push(reps.length === 0
    ? { check: 'rep capacity', level: 'fail', message: 'no active Rep_Capacity__c rows: nobody can be assigned work', fix: 'create one Rep_Capacity__c per rep (User, Station Keys, shift, Active) on the Rep Capacity tab' }
    : { check: 'rep capacity', level: 'ok', message: `${reps.length} active reps with capacity` });
  return findings;
};

/** Upper bound of runs a day for a cron expression: minute x hour matches (day fields assumed to match). */
export function runsPerDay(expression: string): number {
  const fields = expression.trim().split(/\s+/);
  const [minute = '*', hour = '*'] = fields.length === 6 ? fields.slice(1) : fields;
  return matches(minute, 60) * matches(hour, 24) * (fields.length === 6 ? Math.max(1, matches(fields[0] ?? '0', 60)) : 1);
}

function matches(field: string, size: number): number {
  const hit = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '*', stepText] = part.split('/');
    const step = stepText ? Number(stepText) : 1;
    const [lo, hi] = range === '*' ? [0, size - 1] : range.includes('-') ? range.split('-').map(Number) : [Number(range), stepText ? size - 1 : Number(range)];
    for (let v = lo ?? 0; v <= (hi ?? size - 1); v += Math.max(1, step)) hit.add(v);
  }
  return Math.max(1, hit.size);
}

export const checkJobs: Check = async (client, { names }) => {
  const j = names.Engine_Job__c;
  const jobs = await rows(client, `SELECT Name, ${j.fields.Cron__c}, ${j.fields.Enabled__c} FROM ${j.name}`);
  const enabled = jobs.filter((job) => job[j.fields.Enabled__c] === true);
  const valid = enabled.filter((job) => validateCron((job[j.fields.Cron__c] as string | null) ?? null) === undefined);
  const findings: Finding[] = [];
  for (const job of enabled.filter((x) => !valid.includes(x))) {
    findings.push({ check: 'jobs', level: 'warn', message: `job "${String(job.Name)}": ${validateCron((job[j.fields.Cron__c] as string | null) ?? null) ?? ''}`, fix: 'fix Cron__c on the Engine Jobs tab' });
  }
  findings.push(valid.length === 0
    ? { check: 'jobs', level: 'fail', message: 'no enabled Engine_Job__c with a valid cron', fix: 'Engine Jobs tab: create a job (e.g. Rebalance, Cron__c "0 */2 * * *") and tick Enabled' }
    : { check: 'jobs', level: 'ok', message: `${valid.length} jobs scheduled` });
  return findings;
};

/** Bayeux handshake (Streaming API Developer Guide: "Clients and Timeouts", /meta/handshake). */
export const checkStreaming: Check = async (client, { version }) => {
  const url = `${client.conn.instanceUrl}/cometd/${version}`;
  try {
    client.noteCall();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${client.conn.accessToken ?? ''}` },
      body: JSON.stringify([{ channel: '/meta/handshake', version: '1.0', minimumVersion: '1.0', supportedConnectionTypes: ['long-polling'] }])
    });
    const body = z.array(z.object({ successful: z.boolean().optional(), error: z.string().optional() })).parse(await response.json());
    if (body[0]?.successful === true) return [{ check: 'streaming', level: 'ok', message: 'CometD handshake succeeded' }];
    return [{ check: 'streaming', level: 'fail', message: `CometD handshake refused: ${body[0]?.error ?? `HTTP ${response.status}`}`, fix: 'grant the integration user "API Enabled" and Change Data Capture on Lead/Account/Opportunity (Setup > Change Data Capture)' }];
  } catch (error) {
    return [{ check: 'streaming', level: 'fail', message: `CometD unreachable at ${url}: ${(error as Error).message}`, fix: 'allow outbound HTTPS from the engine host to the instance URL' }];
  }
};

/**
 * Expected daily API use (docs/admin-setup.md "API budget"): 4 calls per lead arriving (read,
 * owner + ledger write, queue write: worst case, one lead at a time) plus 20 calls per job run.
 */
export function expectedDailyCalls(leadsPerDay: number, jobRunsPerDay: number): number {
  return Math.ceil(leadsPerDay * 4 + jobRunsPerDay * 20);
}

export const checkApiBudget: Check = async (client, { names, version }) => {
  const limits = z.object({ DailyApiRequests: z.object({ Max: z.number(), Remaining: z.number() }) }).parse(await client.conn.request(`/services/data/v${version}/limits`));
  const week = await rows(client, `SELECT Id FROM ${names.Lead.name} WHERE CreatedDate = LAST_N_DAYS:7`).catch(() => []);
  const leadsPerDay = week.length / 7;
  const j = names.Engine_Job__c;
  const jobs = await rows(client, `SELECT ${j.fields.Cron__c} FROM ${j.name} WHERE ${j.fields.Enabled__c} = true`);
  const runs = jobs.map((job) => job[j.fields.Cron__c]).filter((c): c is string => typeof c === 'string' && validateCron(c) === undefined).reduce((sum, c) => sum + runsPerDay(c), 0);
  const expected = expectedDailyCalls(leadsPerDay, runs);
  const { Remaining: remaining, Max: max } = limits.DailyApiRequests;
  const message = `${remaining}/${max} API requests left today; expected engine use ${expected}/day (${leadsPerDay.toFixed(1)} leads/day, ${runs} job runs/day)`;
  if (expected > remaining) return [{ check: 'api budget', level: 'fail', message, fix: 'buy more API calls, or run jobs less often (Cron__c)' }];
  if (expected > remaining / 2) return [{ check: 'api budget', level: 'warn', message, fix: 'the engine would use over half of what is left: schedule jobs less often' }];
  return [{ check: 'api budget', level: 'ok', message }];
};

export const CHECKS: ReadonlyArray<[string, Check]> = [
  ['metadata', checkMetadata],
  ['flows', checkFlows],
  ['integration user', checkIntegrationUser],
  ['line', checkLine],
  ['jobs', checkJobs],
  ['streaming', checkStreaming],
  ['api budget', checkApiBudget]
];

export async function runDoctor(client: OrgClient, options: { flowsDir?: string; admin?: OrgClient } = {}): Promise<DoctorReport> {
  const ctx: DoctorContext = {
    ...(options.admin ? { admin: options.admin } : {}),
    names: apiNames(client.config.namespace),
    version: client.config.org.apiVersion,
    flowsDir: options.flowsDir ?? path.resolve(__dirname, '../../../../force-app/main/default/flows')
  };
  const findings: Finding[] = [];
  for (const [name, check] of CHECKS) {
    try {
      findings.push(...(await check(client, ctx)));
    } catch (error) {
      findings.push({ check: name, level: 'fail', message: `check failed: ${(error as Error).message}`, fix: 'see the message; rerun asl doctor' });
    }
  }
  return { ready: findings.every((f) => f.level !== 'fail'), findings };
}

export function formatDoctor(report: DoctorReport): string {
  const mark: Record<Level, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };
  const lines = report.findings.map((f) => `${mark[f.level]} ${f.check}: ${f.message}${f.fix && f.level !== 'ok' ? `\n     fix: ${f.fix}` : ''}`);
  lines.push(report.ready ? 'READY: the org is ready for the engine' : 'NOT READY: fix the FAIL lines above and rerun asl doctor');
  return lines.join('\n');
}
