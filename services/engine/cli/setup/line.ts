import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { OrgClient } from '../../org/connection';
import { apiNames } from '../../schema';
import { ConfigError } from '../../errors';

/** config/default-line.json: stations, then rules that name stations by Key__c. */
const stationSchema = z.object({
  Key__c: z.string().min(1).max(40),
  Name: z.string().min(1).max(80),
  Role__c: z.string(),
  Asset_Type__c: z.string(),
  Handling_Minutes__c: z.number().positive(),
  Target_WIP__c: z.number().int().nonnegative(),
  /** Empty (null) where assets stay for good, as customers at Service: no stay SLA. */
  SLA_Hours__c: z.number().positive().nullable(),
  Order__c: z.number().int(),
  Active__c: z.boolean()
});
const ruleSchema = z.object({
  Key__c: z.string().min(1).max(80),
  Station: z.string().min(1),
  Outcome__c: z.string(),
  Next_Station: z.string().nullish(),
  Next_Bin__c: z.string().nullish(),
  Reentry_Days__c: z.number().int().nullish(),
  Owner_Rule__c: z.string().nullish()
});
export const lineSchema = z.object({ stations: z.array(stationSchema).min(1), rules: z.array(ruleSchema) });
export type LineFile = z.infer<typeof lineSchema>;

export function readLine(file: string): LineFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError('--file', `${file}: ${(error as Error).message}`, 'pass a readable JSON line file such as config/default-line.json');
  }
  const parsed = lineSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`--file ${issue?.path.join('.') ?? ''}`, issue?.message ?? 'invalid', 'fix the line file');
  }
  for (const rule of parsed.data.rules) {
    for (const key of [rule.Station, rule.Next_Station]) {
      if (key !== undefined && key !== null && !parsed.data.stations.some((s) => s.Key__c === key)) {
        throw new ConfigError(`--file rules.${rule.Key__c}`, `names station ${key}, which the file does not define`, 'add the station or fix the rule');
      }
    }
  }
  return parsed.data;
}

type UpsertResult = { success: boolean; created?: boolean; errors?: unknown };

function failures(results: UpsertResult[] | UpsertResult): string[] {
  return (Array.isArray(results) ? results : [results]).filter((r) => !r.success).map((r) => JSON.stringify(r.errors));
}

/** Upserts stations then rules by Key__c, so loading twice changes nothing and edits are overwritten only for keys in the file. */
export async function loadLine(client: OrgClient, line: LineFile): Promise<{ stations: number; rules: number; created: number }> {
  const n = apiNames(client.config.namespace);
  const s = n.Station__c;
  const stations = line.stations.map((st) => ({
    Name: st.Name,
    [s.fields.Key__c]: st.Key__c,
    [s.fields.Role__c]: st.Role__c,
    [s.fields.Asset_Type__c]: st.Asset_Type__c,
    [s.fields.Handling_Minutes__c]: st.Handling_Minutes__c,
    [s.fields.Target_WIP__c]: st.Target_WIP__c,
    [s.fields.SLA_Hours__c]: st.SLA_Hours__c,
    [s.fields.Order__c]: st.Order__c,
    [s.fields.Active__c]: st.Active__c
  }));
  const stationResults = (await client.conn.sobject(s.name).upsert(stations, s.fields.Key__c, { allOrNone: true })) as unknown as UpsertResult[];
  const stationErrors = failures(stationResults);
  if (stationErrors.length > 0) throw new Error(`stations not loaded: ${stationErrors.join('; ')}`);
  const ids = new Map<string, string>();
  const found = (await client.conn.query(`SELECT Id, ${s.fields.Key__c} FROM ${s.name}`)) as unknown as { records: Array<Record<string, unknown>> };
  for (const row of found.records) ids.set(String(row[s.fields.Key__c]), String(row.Id));
  const r = n.Station_Rule__c;
  const rules = line.rules.map((rule) => ({
    [r.fields.Key__c]: rule.Key__c,
    [r.fields.Station__c]: ids.get(rule.Station),
    [r.fields.Outcome__c]: rule.Outcome__c,
    [r.fields.Next_Station__c]: rule.Next_Station == null ? null : ids.get(rule.Next_Station),
    [r.fields.Next_Bin__c]: rule.Next_Bin__c ?? null,
    [r.fields.Reentry_Days__c]: rule.Reentry_Days__c ?? null,
    [r.fields.Owner_Rule__c]: rule.Owner_Rule__c ?? null
  }));
  const ruleResults = rules.length === 0 ? [] : ((await client.conn.sobject(r.name).upsert(rules, r.fields.Key__c, { allOrNone: true })) as unknown as UpsertResult[]);
  const ruleErrors = failures(ruleResults);
  if (ruleErrors.length > 0) throw new Error(`rules not loaded: ${ruleErrors.join('; ')}`);
  const created = [...stationResults, ...ruleResults].filter((x) => x.created === true).length;
  return { stations: stations.length, rules: rules.length, created };
}
