import { z } from 'zod';
import { BINS, CAMPAIGN_TEST_METRICS, CAMPAIGN_TEST_STATUSES, OUTCOMES, type CampaignTestMetric, type CampaignTestStatus } from '../../schema';
import { InputError, orgBoolean, orgNumber, orgRecordSchema, orgText, parseRecord } from '../calendar/orgRecord';
import type { Member } from './allocation';
import { leadFlags } from './outcomes';
import type { ListLead } from './lists';
import { campaignResultSchema, type CampaignResult, type VariantCounts } from './results';
import type { RoiInput } from './roi';
import type { InboundLead } from './routing';

/**
 * The org records campaigns read, by unprefixed API name, and their conversion to plain data.
 * selectFields(schema, namespace) gives the org layer its SOQL field list.
 */
export const campaignTestRecordSchema = orgRecordSchema('Campaign_Test__c', {
  Id: z.string().min(1),
  Campaign__c: orgText,
  Variants__c: orgText,
  Allocation__c: orgText,
  Metric__c: z.preprocess((v) => (v === '' ? null : v), z.enum(CAMPAIGN_TEST_METRICS).nullable()),
  Status__c: z.preprocess((v) => (v === '' || v === null || v === undefined ? 'Draft' : v), z.enum(CAMPAIGN_TEST_STATUSES)),
  Seed__c: orgText,
  Result__c: orgText
});

export const campaignMemberRecordSchema = orgRecordSchema('CampaignMember', {
  Id: z.string().min(1),
  CampaignId: z.string().min(1),
  LeadId: orgText,
  Variant__c: orgText
});

export const leadRecordSchema = orgRecordSchema('Lead', {
  Id: z.string().min(1),
  LeadSource: orgText,
  List_Name__c: orgText,
  IsConverted: orgBoolean,
  ConvertedOpportunityId: orgText,
  Inbound__c: orgBoolean,
  DoNotCall: orgBoolean,
  Bin__c: z.preprocess((v) => (v === '' || v === undefined ? null : v), z.enum(BINS).nullable()),
  CreatedDate: orgText
});

export const dispositionRecordSchema = orgRecordSchema('Disposition__c', {
  Lead__c: orgText,
  Outcome__c: z.enum(OUTCOMES)
});

export const opportunityRecordSchema = orgRecordSchema('Opportunity', {
  Id: z.string().min(1),
  LeadSource: orgText,
  IsWon: orgBoolean,
  IsClosed: orgBoolean,
  Amount: orgNumber,
  CloseDate: orgText
});

function splitList(text: string | null): string[] {
  return (text ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export interface CampaignTest {
  id: string;
  campaignId: string | null;
  variants: string[];
  weights: number[];
  metric: CampaignTestMetric;
  status: CampaignTestStatus;
  seed: string;
  result: CampaignResult | null;
}

/** A Campaign_Test__c: variants "A;B;C", weights "50;25;25" (equal when empty), the result JSON. */
export function campaignTestFromRecord(raw: unknown): CampaignTest {
  const r = parseRecord(campaignTestRecordSchema, raw);
  const at = `Campaign_Test__c(${r.Id})`;
  const variants = splitList(r.Variants__c);
  if (variants.length < 2) throw new InputError(`${at}.Variants__c`, r.Variants__c, 'two or more variant names separated by ";" (e.g. A;B)');
  const weightTexts = splitList(r.Allocation__c);
  const weights = weightTexts.length === 0 ? variants.map(() => 1) : weightTexts.map(Number);
  if (weights.length !== variants.length || weights.some((w) => !(w > 0))) {
    throw new InputError(`${at}.Allocation__c`, r.Allocation__c, `${variants.length} positive weights separated by ";" (e.g. 50;50), or empty for equal shares`);
  }
  if (!r.Seed__c) throw new InputError(`${at}.Seed__c`, r.Seed__c, 'a seed (any text), written when the test starts, so the allocation can be replayed');
  let result: CampaignResult | null = null;
  if (r.Result__c) {
    let json: unknown;
    try {
      json = JSON.parse(r.Result__c);
    } catch {
      throw new InputError(`${at}.Result__c`, r.Result__c.slice(0, 60), 'the JSON the engine wrote (do not edit it by hand)');
    }
    const parsed = campaignResultSchema.safeParse(json);
    if (!parsed.success) throw new InputError(`${at}.Result__c`, r.Result__c.slice(0, 60), `the engine's result JSON (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
    result = parsed.data;
  }
  return { id: r.Id, campaignId: r.Campaign__c, variants, weights, metric: r.Metric__c ?? 'Meeting', status: r.Status__c, seed: r.Seed__c, result };
}

export function memberFromRecord(raw: unknown, stratumOf?: (leadId: string | null) => string | null): Member {
  const r = parseRecord(campaignMemberRecordSchema, raw);
  return { id: r.Id, variant: r.Variant__c, stratum: stratumOf ? stratumOf(r.LeadId) : null };
}

/**
 * Conversions per variant for the test's metric. Contact and Meeting come from the lead's
 * dispositions; Won needs the ids of leads whose opportunity was won (leadWins).
 */
export function variantCounts(test: Pick<CampaignTest, 'variants' | 'metric'>, members: readonly unknown[], dispositions: readonly unknown[], wonLeadIds: ReadonlySet<string> = new Set()): VariantCounts[] {
  const flags = leadFlags(dispositions.map((d) => parseRecord(dispositionRecordSchema, d)).map((d) => ({ leadId: d.Lead__c, outcome: d.Outcome__c })));
  const counts = new Map(test.variants.map((v) => [v, { variant: v, trials: 0, conversions: 0 }]));
  for (const raw of members) {
    const m = parseRecord(campaignMemberRecordSchema, raw);
    const c = m.Variant__c ? counts.get(m.Variant__c) : undefined;
    if (!c) continue;
    c.trials += 1;
    const f = m.LeadId ? flags.get(m.LeadId) : undefined;
    const converted = test.metric === 'Contact' ? Boolean(f?.contacted) : test.metric === 'Meeting' ? Boolean(f?.qualified) : m.LeadId !== null && wonLeadIds.has(m.LeadId);
    if (converted) c.conversions += 1;
  }
  return [...counts.values()];
}

/** Leads with their list and outcome flags, for listQuality. */
export function listLeads(leads: readonly unknown[], dispositions: readonly unknown[]): ListLead[] {
  const flags = leadFlags(dispositions.map((d) => parseRecord(dispositionRecordSchema, d)).map((d) => ({ leadId: d.Lead__c, outcome: d.Outcome__c })));
  return leads.map((raw) => {
    const l = parseRecord(leadRecordSchema, raw);
    const f = flags.get(l.Id);
    return { listName: l.List_Name__c, contacted: Boolean(f?.contacted), qualified: Boolean(f?.qualified) || l.IsConverted, badData: Boolean(f?.badData) };
  });
}

/** A won deal traced back to the lead it came from. */
export interface LeadWin {
  leadId: string;
  /** The lead's LeadSource: the first touch. */
  source: string | null;
  amount: number | null;
  /** Days from the lead's arrival (first touch) to the opportunity's CloseDate. */
  daysToWin: number | null;
}

const DAY_MS = 86_400_000;

/**
 * Won opportunities joined to their leads by Lead.ConvertedOpportunityId, the link Salesforce
 * sets when it converts a lead (Object Reference, Lead: ConvertedOpportunityId). A won deal no
 * lead converted into (an upgrade, an opportunity entered directly) has no first touch and is
 * not counted; a converted lead whose opportunity is not in `opportunities` is not a win.
 */
export function leadWins(leads: readonly unknown[], opportunities: readonly unknown[]): LeadWin[] {
  const won = new Map(opportunities.map((raw) => parseRecord(opportunityRecordSchema, raw)).filter((o) => o.IsWon).map((o) => [o.Id, o]));
  const out: LeadWin[] = [];
  for (const raw of leads) {
    const l = parseRecord(leadRecordSchema, raw);
    const o = l.ConvertedOpportunityId ? won.get(l.ConvertedOpportunityId) : undefined;
    if (!o) continue;
    const touched = l.CreatedDate ? Date.parse(l.CreatedDate) : Number.NaN;
    const closed = o.CloseDate ? Date.parse(`${o.CloseDate.slice(0, 10)}T00:00:00Z`) : Number.NaN;
    const days = Number.isFinite(touched) && Number.isFinite(closed) ? Math.max(0, (closed - touched) / DAY_MS) : null;
    out.push({ leadId: l.Id, source: l.LeadSource, amount: o.Amount, daysToWin: days });
  }
  return out;
}

/** ROI input from leads, their dispositions, and opportunities: wins are the leads' own won deals. */
export function roiInput(leads: readonly unknown[], dispositions: readonly unknown[], opportunities: readonly unknown[], costs: Readonly<Record<string, number>>): RoiInput {
  const parsedLeads = leads.map((raw) => parseRecord(leadRecordSchema, raw));
  const flags = leadFlags(dispositions.map((d) => parseRecord(dispositionRecordSchema, d)).map((d) => ({ leadId: d.Lead__c, outcome: d.Outcome__c })));
  return {
    leadSources: parsedLeads.map((l) => l.LeadSource),
    meetingSources: parsedLeads.filter((l) => flags.get(l.Id)?.qualified).map((l) => l.LeadSource),
    wins: leadWins(leads, opportunities).map((w) => ({ source: w.source, amount: w.amount, daysToWin: w.daysToWin })),
    costs
  };
}

/** A Lead record (and the campaign it answered, if any) as routeCampaignLead takes it. */
export function inboundLeadFromRecord(raw: unknown, campaignId: string | null): InboundLead {
  const l = parseRecord(leadRecordSchema, raw);
  if (!l.CreatedDate) throw new InputError(`Lead(${l.Id}).CreatedDate`, null, 'the lead creation time');
  return { id: l.Id, inbound: l.Inbound__c, campaignId, bin: l.Bin__c, doNotCall: l.DoNotCall, isConverted: l.IsConverted, arrivedAt: l.CreatedDate };
}
