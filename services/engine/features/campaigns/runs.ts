import {
  allocate,
  analyzeCampaignTest,
  campaignMemberRecordSchema,
  campaignMemberUpdates,
  campaignTestFromRecord,
  campaignTestRecordSchema,
  campaignTestUpdate,
  dispositionRecordSchema,
  leadRecordSchema,
  leadWins,
  listLeads,
  listQuality,
  memberFromRecord,
  opportunityRecordSchema,
  roiBySource,
  roiInput,
  startResult,
  variantCounts,
  type CampaignResult,
  type CampaignTest,
  type ListReport,
  type SourceRoi
} from '../../core/campaigns';
import { selectFields } from '../../core/calendar';
import { createRng } from '../../core/random';
import type { OrgClient } from '../../org/connection';
import { queryAll, type OrgRecord } from '../../org/reads';
import { fields, soql } from '../../org/soql';
import { writeRecords } from '../../org/writes';
import { orgNames } from '../../org/names';

/**
 * Campaign tests in the org: allocate a test's campaign members to variants
 * (CampaignMember.Variant__c), look at the results with the sequential test and write
 * Campaign_Test__c, and the list-quality and ROI-by-source reports. See docs/campaigns.md.
 */
export class CampaignSetupError extends Error {
  constructor(
    readonly field: string,
    readonly value: string,
    readonly fix: string
  ) {
    super(`${field}: ${value}. ${fix}`);
    this.name = 'CampaignSetupError';
  }
}

const ID = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;
const IN_CHUNK = 200;

/** The Campaign_Test__c named by its own id, or the newest Draft/Running test of a Campaign id. */
export async function readCampaignTest(client: OrgClient, ref: string): Promise<CampaignTest> {
  if (!ID.test(ref)) throw new CampaignSetupError('--campaign', `"${ref}" is not a record id`, 'pass a Campaign id or a Campaign_Test__c id');
  const names = orgNames(client);
  const select = fields(selectFields(campaignTestRecordSchema, client.config.namespace));
  const rows = await queryAll(
    client,
    soql`SELECT ${select} FROM ${names.n('Campaign_Test__c')} WHERE (Id = ${ref} OR ${names.n('Campaign__c')} = ${ref}) AND ${names.n('Status__c')} IN ('Draft', 'Running', 'Stopped', 'Decided') ORDER BY CreatedDate DESC LIMIT 1`
  );
  const row = rows[0];
  if (!row) throw new CampaignSetupError('--campaign', `no Campaign_Test__c for ${ref}`, 'create a Campaign_Test__c (Campaign__c, Variants__c such as A;B, Seed__c) for the campaign');
  const test = campaignTestFromRecord(names.strip(row));
  if (!test.campaignId) throw new CampaignSetupError(`Campaign_Test__c(${test.id}).Campaign__c`, 'empty', 'set the campaign the test runs on');
  return test;
}

async function members(client: OrgClient, campaignId: string): Promise<OrgRecord[]> {
  const names = orgNames(client);
  const rows = await queryAll(client, soql`SELECT ${fields(selectFields(campaignMemberRecordSchema, client.config.namespace))} FROM CampaignMember WHERE CampaignId = ${campaignId} ORDER BY Id`);
  return rows.map(names.strip);
}

async function inChunks(ids: readonly string[], read: (chunk: string[]) => Promise<OrgRecord[]>): Promise<OrgRecord[]> {
  const out: OrgRecord[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) out.push(...(await read(ids.slice(i, i + IN_CHUNK))));
  return out;
}

async function dispositionsOf(client: OrgClient, leadIds: readonly string[]): Promise<OrgRecord[]> {
  const names = orgNames(client);
  const select = fields(selectFields(dispositionRecordSchema, client.config.namespace));
  const rows = await inChunks(leadIds, (chunk) => queryAll(client, soql`SELECT ${select} FROM ${names.n('Disposition__c')} WHERE ${names.n('Lead__c')} IN ${chunk}`));
  return rows.map(names.strip);
}

export interface AllocationRun {
  testId: string;
  members: number;
  newlyAllocated: number;
  byVariant: Record<string, number>;
  started: boolean;
}

/**
 * Gives every member without a variant its variant from the seeded permuted blocks; members
 * that have one keep it (allocate() replays the whole sequence, so a re-run changes nothing).
 * A Draft test becomes Running with a plan whose maximum sample is the members allocated.
 */
export async function allocateCampaign(client: OrgClient, ref: string): Promise<AllocationRun> {
  const names = orgNames(client);
  const test = await readCampaignTest(client, ref);
  if (test.status !== 'Draft' && test.status !== 'Running') throw new CampaignSetupError(`Campaign_Test__c(${test.id}).Status__c`, test.status, 'only Draft and Running tests take new members; start a new test');
  const raw = await members(client, test.campaignId as string);
  const parsed = raw.map((r) => memberFromRecord(r));
  const allocations = allocate(parsed, { variants: test.variants, weights: test.weights, seed: test.seed });
  const before = new Map(parsed.map((m) => [m.id, m.variant ?? null]));
  const changed = allocations.filter((a) => before.get(a.memberId) !== a.variant);
  const updates = campaignMemberUpdates(changed, client.config.namespace);
  const ops: Parameters<typeof writeRecords>[1] = [{ kind: 'update', sobject: 'CampaignMember', records: updates }];
  const started = test.status === 'Draft';
  if (started) {
    const result = startResult({ variants: test.variants, weights: test.weights, plan: { maxSampleSize: Math.max(parsed.length, 1), metric: test.metric } });
    ops.push({ kind: 'update', sobject: names.api('Campaign_Test__c'), records: [campaignTestUpdate(test.id, result, client.config.namespace)] });
  }
  const reports = await writeRecords(client, ops);
  const failed = reports.flatMap((r) => r.failed);
  if (failed.length) throw new CampaignSetupError('CampaignMember.Variant__c', `${failed.length} writes refused (first: ${failed[0]?.errorCode} ${failed[0]?.message})`, 'check the integration user\u2019s edit access to the campaign');
  const byVariant: Record<string, number> = Object.fromEntries(test.variants.map((v) => [v, 0]));
  for (const a of allocations) byVariant[a.variant] = (byVariant[a.variant] ?? 0) + 1;
  return { testId: test.id, members: parsed.length, newlyAllocated: changed.length, byVariant, started };
}

/** Reads the counts per variant now, adds a look, writes Result__c, P_Value__c, Winner__c, Status__c. */
export async function campaignResults(client: OrgClient, ref: string, now: Date): Promise<CampaignResult & { testId: string }> {
  const names = orgNames(client);
  const test = await readCampaignTest(client, ref);
  if (test.status === 'Draft') throw new CampaignSetupError(`Campaign_Test__c(${test.id}).Status__c`, 'Draft', 'allocate the members first: asl campaign allocate --campaign <id>');
  const raw = await members(client, test.campaignId as string);
  const leadIds = raw.map((m) => m.LeadId).filter((x): x is string => typeof x === 'string');
  const dispositions = await dispositionsOf(client, leadIds);
  // A member is a trial once it has been worked (one disposition or more): a lead nobody has
  // called yet had no chance to convert, and counting it would spend the whole planned sample
  // at the first look when the list is allocated up front.
  const worked = new Set(dispositions.map((d) => d.Lead__c));
  const won = test.metric === 'Won' ? await wonLeadIds(client, leadIds) : new Set<string>();
  const counts = variantCounts(test, raw.filter((m) => worked.has(m.LeadId)), dispositions, won);
  const previous = test.result ?? startResult({ variants: test.variants, weights: test.weights, plan: { maxSampleSize: Math.max(raw.length, 1), metric: test.metric } });
  const result = analyzeCampaignTest(previous, counts, now);
  const [report] = await writeRecords(client, [{ kind: 'update', sobject: names.api('Campaign_Test__c'), records: [campaignTestUpdate(test.id, result, client.config.namespace)] }]);
  if (report?.failed.length) throw new CampaignSetupError('Campaign_Test__c.Result__c', `write refused: ${report.failed[0]?.errorCode} ${report.failed[0]?.message}`, 'check the integration user\u2019s edit access');
  return { ...result, testId: test.id };
}

/** Leads among `leadIds` converted into an opportunity that was won (Lead.ConvertedOpportunityId). */
async function wonLeadIds(client: OrgClient, leadIds: readonly string[]): Promise<Set<string>> {
  const names = orgNames(client);
  const ns = client.config.namespace;
  const leads = (await inChunks(leadIds, (chunk) => queryAll(client, soql`SELECT ${fields(selectFields(leadRecordSchema, ns))} FROM Lead WHERE Id IN ${chunk} AND ConvertedOpportunityId != null`))).map(names.strip);
  const opportunityIds = leads.map((l) => l.ConvertedOpportunityId).filter((x): x is string => typeof x === 'string');
  const won = (await inChunks(opportunityIds, (chunk) => queryAll(client, soql`SELECT ${fields(selectFields(opportunityRecordSchema, ns))} FROM Opportunity WHERE Id IN ${chunk} AND IsWon = true`))).map(names.strip);
  return new Set(leadWins(leads, won).map((w) => w.leadId));
}

async function allLeads(client: OrgClient): Promise<OrgRecord[]> {
  const names = orgNames(client);
  return (await queryAll(client, soql`SELECT ${fields(selectFields(leadRecordSchema, client.config.namespace))} FROM Lead`)).map(names.strip);
}

async function allLeadDispositions(client: OrgClient): Promise<OrgRecord[]> {
  const names = orgNames(client);
  return (await queryAll(client, soql`SELECT ${fields(selectFields(dispositionRecordSchema, client.config.namespace))} FROM ${names.n('Disposition__c')} WHERE ${names.n('Lead__c')} != null`)).map(names.strip);
}

/** Contact and qualification rate per lead list, with intervals and a test across lists. */
export async function listQualityReport(client: OrgClient, seed: string): Promise<ListReport> {
  const [leads, dispositions] = await Promise.all([allLeads(client), allLeadDispositions(client)]);
  return listQuality(listLeads(leads, dispositions), { rng: createRng(seed) });
}

/** Leads, meetings and won revenue per lead source, and return on the given costs. */
export async function roiReport(client: OrgClient, costs: Readonly<Record<string, number>>, seed: string): Promise<SourceRoi[]> {
  const names = orgNames(client);
  const [leads, dispositions, opportunities] = await Promise.all([
    allLeads(client),
    allLeadDispositions(client),
    queryAll(client, soql`SELECT ${fields(selectFields(opportunityRecordSchema, client.config.namespace))} FROM Opportunity WHERE IsClosed = true`).then((rows) => rows.map(names.strip))
  ]);
  return roiBySource(roiInput(leads, dispositions, opportunities, costs), { rng: createRng(seed) });
}
