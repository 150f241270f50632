/**
 * The line the floor runs on: stations and movement rules from config/default-line.json,
 * the same file admins load into a real org.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { FloorRow } from './sink';

const stationSchema = z.object({
  Key__c: z.string().min(1),
  Name: z.string().min(1),
  Role__c: z.string().min(1),
  Asset_Type__c: z.enum(['Lead', 'Account', 'Opportunity']),
  Handling_Minutes__c: z.number().positive(),
  Target_WIP__c: z.number().int().nonnegative(),
  SLA_Hours__c: z.number().positive().nullable(),
  Order__c: z.number().int(),
  Active__c: z.boolean(),
  Hourly_Cap_Override__c: z.number().int().positive().nullable().optional()
});

const ruleSchema = z.object({
  Key__c: z.string().min(1),
  Station: z.string().min(1),
  Outcome__c: z.string().min(1),
  Next_Station: z.string().min(1).nullable(),
  Next_Bin__c: z.string().min(1).nullable(),
  Reentry_Days__c: z.number().int().positive().optional(),
  Owner_Rule__c: z.enum(['Assign', 'Keep', 'Return To Booker'])
});

export const lineSchema = z
  .object({ stations: z.array(stationSchema).min(1), rules: z.array(ruleSchema) })
  .superRefine((line, ctx) => {
    const keys = new Set(line.stations.map((station) => station.Key__c));
    line.rules.forEach((rule, index) => {
      for (const [field, key] of [
        ['Station', rule.Station],
        ['Next_Station', rule.Next_Station]
      ] as const) {
        if (key !== null && !keys.has(key)) {
          ctx.addIssue({
            code: 'custom',
            path: ['rules', index, field],
            message: `station key "${key}" is not one of the stations`
          });
        }
      }
    });
  });

export type Line = z.infer<typeof lineSchema>;
export type LineStation = z.infer<typeof stationSchema>;

export const DEFAULT_LINE_PATH = path.resolve(__dirname, '../../../config/default-line.json');

export function loadLine(file = DEFAULT_LINE_PATH): Line {
  const parsed = lineSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${file}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is invalid'}; fix the line file (docs/data-model.md, Station__c)`
    );
  }
  return parsed.data;
}

export function stationRows(line: Line): FloorRow[] {
  return line.stations.map((station) => ({
    Name: station.Name,
    Key__c: station.Key__c,
    Role__c: station.Role__c,
    Asset_Type__c: station.Asset_Type__c,
    Handling_Minutes__c: station.Handling_Minutes__c,
    Target_WIP__c: station.Target_WIP__c,
    SLA_Hours__c: station.SLA_Hours__c,
    Order__c: station.Order__c,
    Active__c: station.Active__c,
    Hourly_Cap_Override__c: station.Hourly_Cap_Override__c ?? null
  }));
}

export function ruleRows(line: Line, stationIds: ReadonlyMap<string, string>): FloorRow[] {
  const idOf = (key: string | null): string | null => {
    if (key === null) return null;
    const id = stationIds.get(key);
    if (id === undefined) throw new Error(`station ${key} was not written before its rules`);
    return id;
  };
  return line.rules.map((rule) => ({
    Key__c: rule.Key__c,
    Station__c: idOf(rule.Station),
    Outcome__c: rule.Outcome__c,
    Next_Station__c: idOf(rule.Next_Station),
    Next_Bin__c: rule.Next_Bin__c,
    Reentry_Days__c: rule.Reentry_Days__c ?? null,
    Owner_Rule__c: rule.Owner_Rule__c
  }));
}
