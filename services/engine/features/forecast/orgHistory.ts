import { z } from 'zod';
import {
  OpportunityHistoryRowSchema,
  StageHistoryRowSchema,
  type OpportunityHistory,
  type OpportunityHistoryRow,
  type StageHistoryRow
} from '../../core/forecast';
import type { OrgClient } from '../../org/connection';
import { bulkQuery, count, queryAll, type OrgRecord } from '../../org/reads';
import { soql } from '../../org/soql';
import { orgNames, type OrgNames } from '../../org/names';

/**
 * The forecast's history read from the org: every Opportunity (owner, team, product, source,
 * segment, amount, dates, outcome) and its OpportunityHistory stage rows, mapped to the
 * core's OpportunityHistorySchema. Small orgs are read by SOQL (queryAll pages through
 * nextRecordsUrl); above `bulkThreshold` opportunities the reads go through Bulk API 2.0
 * query jobs, which return CSV: relationship columns are named "Owner.Name", empty cells
 * mean null and booleans are the text "true"/"false" (Bulk API 2.0 Developer Guide, "Get
 * Results for a Query Job").
 */
export const OrgHistoryOptionsSchema = z.object({
  /** The export's snapshot date: stage and amount on the opportunity are as of this day. */
  snapshotDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'snapshotDate must be YYYY-MM-DD'),
  bulkThreshold: z.number().int().min(1).default(50_000)
});
export type OrgHistoryOptions = z.input<typeof OrgHistoryOptionsSchema>;

export interface OrgHistory {
  history: OpportunityHistory;
  via: 'rest' | 'bulk';
  /** Rows the org returned that the forecast cannot use, with why (e.g. closed before created). */
  skipped: Array<{ id: string; reason: string }>;
}

const text = (value: unknown): string | null =>
  value === null || value === undefined || value === '' ? null : String(value);
const bool = (value: unknown): boolean => value === true || value === 'true';
const num = (value: unknown): number | null => {
  const t = text(value);
  if (t === null) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
};
const day = (value: unknown): string | null => text(value)?.slice(0, 10) ?? null;

/** A value by dotted path, whether the record is nested JSON (REST) or flat CSV (Bulk). */
function pick(record: OrgRecord, path: string): unknown {
  if (path in record) return record[path];
  let current: unknown = record;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return null;
    current = (current as OrgRecord)[part];
  }
  return current;
}

async function readAll(client: OrgClient, query: string, viaBulk: boolean): Promise<OrgRecord[]> {
  if (!viaBulk) return queryAll(client, query);
  const rows: OrgRecord[] = [];
  await bulkQuery(client, query, (page) => {
    for (const row of page) rows.push(row);
  });
  return rows;
}

function opportunityQuery(names: OrgNames): string {
  return soql`SELECT Id, OwnerId, Owner.Name, ${names.n('Product__c')}, LeadSource, Account.${names.n('Segment__c')}, AccountId, Amount, CreatedDate, CloseDate, IsClosed, IsWon, StageName FROM Opportunity`;
}

function toRow(record: OrgRecord, names: OrgNames, teamByUser: Map<string, string>): unknown {
  const ownerId = text(pick(record, 'OwnerId'));
  return {
    id: text(pick(record, 'Id')),
    rep: text(pick(record, 'Owner.Name')) ?? ownerId,
    team: ownerId ? (teamByUser.get(ownerId) ?? null) : null,
    product: text(pick(record, names.api('Product__c'))),
    source: text(pick(record, 'LeadSource')),
    segment: text(pick(record, `Account.${names.api('Segment__c')}`)),
    account: text(pick(record, 'AccountId')),
    stage: text(pick(record, 'StageName')) ?? '',
    amount: num(pick(record, 'Amount')),
    createdDate: day(pick(record, 'CreatedDate')),
    closeDate: day(pick(record, 'CloseDate')),
    isClosed: bool(pick(record, 'IsClosed')),
    isWon: bool(pick(record, 'IsWon'))
  };
}

function toStageRow(record: OrgRecord): unknown {
  return {
    opportunityId: text(pick(record, 'OpportunityId')),
    date: day(pick(record, 'CreatedDate')),
    stage: text(pick(record, 'StageName')),
    amount: num(pick(record, 'Amount')),
    closeDate: day(pick(record, 'CloseDate'))
  };
}

/** Team of each rep: Rep_Capacity__c.Team__c by its User__c. */
async function teams(client: OrgClient, names: OrgNames): Promise<Map<string, string>> {
  const rows = await queryAll(
    client,
    soql`SELECT ${names.n('User__c')}, ${names.n('Team__c')} FROM ${names.n('Rep_Capacity__c')}`
  );
  const out = new Map<string, string>();
  for (const row of rows.map((r) => names.strip(r))) {
    const user = text(row.User__c);
    const team = text(row.Team__c);
    if (user && team) out.set(user, team);
  }
  return out;
}

export async function readOrgHistory(
  client: OrgClient,
  input: OrgHistoryOptions
): Promise<OrgHistory> {
  const options = OrgHistoryOptionsSchema.parse(input);
  const names = orgNames(client);
  const total = await count(client, 'SELECT COUNT() FROM Opportunity');
  const viaBulk = total > options.bulkThreshold;
  const teamByUser = await teams(client, names);
  const skipped: OrgHistory['skipped'] = [];
  const opportunities: OpportunityHistoryRow[] = [];
  for (const record of await readAll(client, opportunityQuery(names), viaBulk)) {
    const parsed = OpportunityHistoryRowSchema.safeParse(toRow(record, names, teamByUser));
    if (parsed.success) opportunities.push(parsed.data);
    else
      skipped.push({
        id: String(pick(record, 'Id')),
        reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
      });
  }
  const known = new Set(opportunities.map((o) => o.id));
  const stageHistory: StageHistoryRow[] = [];
  const historyQuery =
    'SELECT OpportunityId, CreatedDate, StageName, Amount, CloseDate FROM OpportunityHistory ORDER BY CreatedDate';
  for (const record of await readAll(client, historyQuery, viaBulk)) {
    const parsed = StageHistoryRowSchema.safeParse(toStageRow(record));
    if (parsed.success && known.has(parsed.data.opportunityId)) stageHistory.push(parsed.data);
  }
  return {
    history: { snapshotDate: options.snapshotDate, opportunities, stageHistory },
    via: viaBulk ? 'bulk' : 'rest',
    skipped
  };
}
