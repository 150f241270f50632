import { z } from 'zod';
import { CoreInputError } from '../assignment/errors';
import { orgNumber, orgText } from '../assignment/records';
import { AVOID_BINS, BINS, OUTCOMES, OWNER_RULES } from '../../schema/picklists';

/** Value sets come from services/engine/schema, the engine's one source of org names and values. */
export { BINS, OUTCOMES, OWNER_RULES };
export type Bin = (typeof BINS)[number];
export type Outcome = (typeof OUTCOMES)[number];
export type OwnerRule = (typeof OWNER_RULES)[number];

/** Avoid bins never re-enter a queue; accepts an empty bin. */
export function isAvoidBin(bin: string | null | undefined): boolean {
  return typeof bin === 'string' && (AVOID_BINS as readonly string[]).includes(bin);
}

export const stationRuleSchema = z.object({
  key: z.string().min(1),
  station: z.string().min(1),
  outcome: z.enum(OUTCOMES),
  nextStation: z.string().min(1).nullable(),
  nextBin: z.enum(BINS).nullable(),
  reentryDays: z.number().int().min(0).nullable(),
  ownerRule: z.enum(OWNER_RULES)
});
export type StationRule = z.infer<typeof stationRuleSchema>;

/** A rule as in config/default-line.json (stations by key). */
export const configRuleSchema = z.object({
  Key__c: z.string().min(1),
  Station: z.string().min(1),
  Outcome__c: z.enum(OUTCOMES),
  Next_Station: z.string().min(1).nullable().optional(),
  Next_Bin__c: z.enum(BINS).nullable().optional(),
  Reentry_Days__c: z.number().int().min(0).nullable().optional(),
  Owner_Rule__c: z.enum(OWNER_RULES)
});

/** A Station_Rule__c record (stations by record id, values possibly CSV strings). */
export const stationRuleRecordSchema = z.object({
  Key__c: z.string().min(1),
  Station__c: z.string().min(1),
  Outcome__c: z.enum(OUTCOMES),
  Next_Station__c: orgText,
  Next_Bin__c: z.preprocess((v) => (v === '' ? null : v), z.enum(BINS).nullable()),
  Reentry_Days__c: orgNumber.optional(),
  Owner_Rule__c: z.enum(OWNER_RULES)
});

function parseOrThrow<T>(schema: z.ZodType<T>, raw: unknown, where: string): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? '');
  const value = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[field] : raw;
  throw new CoreInputError(`${where}.${field}`, value, issue?.message ?? 'a valid value');
}

export function rulesFromConfig(config: { rules: readonly unknown[] }): StationRule[] {
  return config.rules.map((raw, i) => {
    const r = parseOrThrow(configRuleSchema, raw, `rules[${i}]`);
    return {
      key: r.Key__c,
      station: r.Station,
      outcome: r.Outcome__c,
      nextStation: r.Next_Station ?? null,
      nextBin: r.Next_Bin__c ?? null,
      reentryDays: r.Reentry_Days__c ?? null,
      ownerRule: r.Owner_Rule__c
    };
  });
}

/** Rules from Station_Rule__c records; `stationKeyById` maps Station__c ids to keys. */
export function rulesFromRecords(records: readonly unknown[], stationKeyById: ReadonlyMap<string, string>): StationRule[] {
  return records.map((raw, i) => {
    const r = parseOrThrow(stationRuleRecordSchema, raw, `Station_Rule__c[${i}]`);
    const key = (id: string, field: string): string => {
      const found = stationKeyById.get(id);
      if (!found) throw new CoreInputError(`Station_Rule__c(${r.Key__c}).${field}`, id, 'the id of a Station__c record');
      return found;
    };
    return {
      key: r.Key__c,
      station: key(r.Station__c, 'Station__c'),
      outcome: r.Outcome__c,
      nextStation: r.Next_Station__c ? key(r.Next_Station__c, 'Next_Station__c') : null,
      nextBin: r.Next_Bin__c,
      reentryDays: r.Reentry_Days__c ?? null,
      ownerRule: r.Owner_Rule__c
    };
  });
}

/** Rules by `${station}:${outcome}`; two rules for one pair are a configuration error. */
export function indexRules(rules: readonly StationRule[]): Map<string, StationRule> {
  const index = new Map<string, StationRule>();
  for (const rule of rules) {
    const k = `${rule.station}:${rule.outcome}`;
    if (index.has(k)) throw new CoreInputError(`Station_Rule__c(${rule.key})`, k, 'one rule per station and outcome');
    index.set(k, rule);
  }
  return index;
}
