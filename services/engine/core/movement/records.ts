import { z } from 'zod';
import type { ASSET_TYPES } from '../../schema/picklists';
import { CoreInputError } from '../assignment/errors';
import { orgText } from '../assignment/records';
import type { Disposition } from './move';
import { OUTCOMES } from './rules';

/** Disposition__c as the engine reads it (unprefixed names; Station__c is a record id). */
export const dispositionRecordSchema = z.object({
  Id: z.string().min(1),
  Asset_Id__c: orgText,
  Lead__c: orgText.optional(),
  Account__c: orgText.optional(),
  Opportunity__c: orgText.optional(),
  Station__c: z.string().min(1),
  Rep__c: orgText.optional(),
  Outcome__c: z.enum(OUTCOMES),
  Next_Action_At__c: orgText.optional(),
  Processed_At__c: orgText.optional()
});
export type DispositionRecord = z.input<typeof dispositionRecordSchema>;

export function dispositionFromRecord(raw: unknown, stationKeyById: ReadonlyMap<string, string>): Disposition {
  const parsed = dispositionRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? '');
    throw new CoreInputError(`Disposition__c.${field}`, raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[field] : raw, issue?.message ?? 'a disposition');
  }
  const d = parsed.data;
  const [assetType, assetId] = d.Opportunity__c
    ? (['Opportunity', d.Opportunity__c] as const)
    : d.Account__c
      ? (['Account', d.Account__c] as const)
      : d.Lead__c
        ? (['Lead', d.Lead__c] as const)
        : ([null, d.Asset_Id__c] as const);
  if (!assetId) throw new CoreInputError(`Disposition__c(${d.Id}).Asset_Id__c`, null, 'a Lead__c, Account__c, Opportunity__c or Asset_Id__c');
  const type = assetType ?? inferType(assetId);
  const station = stationKeyById.get(d.Station__c);
  if (!station) throw new CoreInputError(`Disposition__c(${d.Id}).Station__c`, d.Station__c, 'the id of a Station__c record');
  return {
    id: d.Id,
    assetId,
    assetType: type,
    station,
    repId: d.Rep__c ?? null,
    outcome: d.Outcome__c,
    nextActionAt: d.Next_Action_At__c ?? null,
    processedAt: d.Processed_At__c ?? null
  };
}

/** Record id key prefixes: 00Q Lead, 001 Account, 006 Opportunity (Salesforce standard prefixes). */
function inferType(id: string): (typeof ASSET_TYPES)[number] {
  if (id.startsWith('00Q')) return 'Lead';
  if (id.startsWith('001')) return 'Account';
  if (id.startsWith('006')) return 'Opportunity';
  throw new CoreInputError('Disposition__c.Asset_Id__c', id, 'a Lead (00Q), Account (001) or Opportunity (006) id');
}
