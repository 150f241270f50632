import { auditAssignments, ledgerRowFromRecord, rosterSource, type AuditReport, type LedgerRow } from '../../core/assignment';
import { createRng } from '../../core/random';
import { soql } from '../../org/soql';
import type { OrgClient } from '../../org/connection';
import { floorFrom, floorQueries, LEDGER_FIELDS } from './assignRun';
import { orgNames } from '../../org/names';
import { queryMany, type Row } from './orgReads';

/**
 * `asl audit` against an org: reads the ledger of a period (whole blocks: every row of each
 * block that has a row in the period, so each block can be regenerated from its seed), the
 * quality fields of the assigned leads, and today's reps (for rosters not recorded), then
 * runs the pure audit: replay, hourly caps and the equality report with p-values.
 */
export interface AuditOptions {
  from: Date;
  to: Date;
  station?: string;
  /** Seed of the permutation tests (the report is reproducible). */
  seed?: string;
}

export interface OrgAudit {
  report: AuditReport;
  rows: number;
  apiCalls: number;
}

const IDS_PER_QUERY = 300;

export async function auditFromOrg(client: OrgClient, options: AuditOptions): Promise<OrgAudit> {
  const before = client.apiCalls();
  const names = orgNames(client);
  const { n, list } = names;
  const stationClause = options.station ? soql` AND ${n('Station__r.Key__c')} = ${options.station}` : '';
  const base = floorQueries(names);
  const [stationRows = [], repRows = [], periodRows = []] = await queryMany(client, [
    base.stations,
    base.reps,
    `${soql`SELECT ${list(LEDGER_FIELDS)} FROM ${n('Assignment__c')} WHERE ${n('Assigned_At__c')} >= ${options.from} AND ${n('Assigned_At__c')} < ${options.to}`}${stationClause}`
  ]);
  const floor = floorFrom(stationRows, repRows);
  // Blocks that straddle the period's edges are read whole, so replay sees every slot.
  const seeds = [...new Set(periodRows.map((row) => row.Seed__c).filter((seed): seed is string => typeof seed === 'string'))];
  const blockQueries: string[] = [];
  for (let start = 0; start < seeds.length; start += IDS_PER_QUERY) {
    blockQueries.push(`${soql`SELECT ${list(LEDGER_FIELDS)} FROM ${n('Assignment__c')} WHERE ${n('Seed__c')} IN ${seeds.slice(start, start + IDS_PER_QUERY)}`}${stationClause}`);
  }
  const byKey = new Map<string, Row>();
  for (const row of [...periodRows, ...(await queryMany(client, blockQueries)).flat()]) byKey.set(String(row.Ledger_Key__c), row);
  const rows: LedgerRow[] = [...byKey.values()]
    .map((raw) => ledgerRowFromRecord(raw, floor.stationKeyById))
    .sort((a, b) => Date.parse(a.assignedAt) - Date.parse(b.assignedAt) || (a.block ?? 0) - (b.block ?? 0) || (a.draw ?? 0) - (b.draw ?? 0));

  const leadIds = [...new Set(rows.filter((row) => row.assetType === 'Lead').map((row) => row.assetId))];
  const leadQueries: string[] = [];
  for (let start = 0; start < leadIds.length; start += IDS_PER_QUERY) {
    leadQueries.push(soql`SELECT Id, LeadSource, ${list(['Segment__c', 'Fame_Band__c'])} FROM Lead WHERE Id IN ${leadIds.slice(start, start + IDS_PER_QUERY)}`);
  }
  const quality = new Map<string, Record<string, string | null>>();
  for (const lead of (await queryMany(client, leadQueries)).flat()) {
    quality.set(String(lead.Id), { LeadSource: (lead.LeadSource as string | null) ?? null, Segment__c: (lead.Segment__c as string | null) ?? null, Fame_Band__c: (lead.Fame_Band__c as string | null) ?? null });
  }
  const report = auditAssignments({
    rows,
    rosters: rosterSource([], floor.reps),
    equality: { quality, period: { from: options.from, to: options.to }, rng: createRng(options.seed ?? 'audit'), weights: new Map(floor.reps.map((rep) => [rep.id, rep.weight] as const)) },
    caps: floor.stations.filter((station) => !options.station || station.key === options.station).map((station) => ({ station, reps: floor.reps }))
  });
  return { report, rows: rows.length, apiCalls: client.apiCalls() - before };
}

/** Job_Run__c.Result__c holds at most 131,072 characters (its field length). */
const RESULT_LIMIT = 131_072;

/**
 * The audit as the Line Monitor reads it from Job_Run__c.Result__c: the replay verdict, the
 * largest imbalances and the equality tests with p-values; per-stratum counts when they fit.
 */
export function auditResultJson(audit: OrgAudit, scope: { station?: string | undefined; from: Date; to: Date }): string {
  const { replay, equality, capViolations } = audit.report;
  const summary = {
    kind: 'audit',
    station: scope.station ?? null,
    period: { from: scope.from.toISOString(), to: scope.to.toISOString() },
    rows: audit.rows,
    replay: { reproduced: replay.reproduced, rowsChecked: replay.rowsChecked, blocksVerified: replay.blocksVerified, blocksWithoutRoster: replay.blocksWithoutRoster.length, problems: replay.problems.slice(0, 50) },
    capViolations: capViolations.length,
    equal: equality.equal,
    alpha: equality.alpha,
    largestImbalanceOverall: equality.largestImbalanceOverall,
    largestImbalanceWithinBlock: equality.largestImbalanceWithinBlock,
    tests: equality.tests.map((t) => ({ station: t.station, dimension: t.dimension, statistic: t.statistic, df: t.df, pValue: t.pValue, pHolm: t.pHolm, method: t.method, n: t.n }))
  };
  const full = JSON.stringify({ ...summary, strata: equality.strata });
  return full.length <= RESULT_LIMIT ? full : JSON.stringify({ ...summary, strata: null, strataOmitted: `${equality.strata.length} strata do not fit in Result__c; run asl audit for the counts` });
}
