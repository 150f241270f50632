import { z } from 'zod';
import { ASSET_TYPES, STAGE_EVENT_KINDS } from '../../schema/picklists';
import { CoreInputError } from '../assignment/errors';
import { orgNumber, orgText } from '../assignment/records';

/**
 * Stage_Event__c, written by the record-triggered flows: one record per visit of a station
 * or bin. To_Value__c is the station entered (Station__c.Key__c) or the bin; From_Value__c
 * the one left; Exited_At__c is empty while the asset is still there.
 */
export const stageEventRecordSchema = z.object({
  Asset_Id__c: z.string().min(1),
  Asset_Type__c: z.enum(ASSET_TYPES),
  Kind__c: z.enum(STAGE_EVENT_KINDS),
  From_Value__c: orgText,
  To_Value__c: orgText,
  Entered_At__c: z.string().min(1),
  Exited_At__c: orgText,
  Duration_Minutes__c: orgNumber.optional()
});
export type StageEventRecord = z.input<typeof stageEventRecordSchema>;

export interface StageVisit {
  assetId: string;
  kind: 'Station' | 'Bin';
  /** The station key (or bin) visited. */
  value: string;
  /** Where the asset came from, if anywhere. */
  from: string | null;
  enteredAt: number;
  exitedAt: number | null;
}

function instant(text: string, field: string): number {
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new CoreInputError(field, text, 'an ISO 8601 date-time');
  return t;
}

export function visitFromRecord(raw: unknown): StageVisit {
  const parsed = stageEventRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CoreInputError(`Stage_Event__c.${issue?.path.join('.') ?? ''}`, raw, issue?.message ?? 'a stage event');
  }
  const e = parsed.data;
  if (!e.To_Value__c) throw new CoreInputError(`Stage_Event__c(${e.Asset_Id__c}).To_Value__c`, e.To_Value__c, 'the station key or bin entered');
  return {
    assetId: e.Asset_Id__c,
    kind: e.Kind__c,
    value: e.To_Value__c,
    from: e.From_Value__c,
    enteredAt: instant(e.Entered_At__c, 'Stage_Event__c.Entered_At__c'),
    exitedAt: e.Exited_At__c ? instant(e.Exited_At__c, 'Stage_Event__c.Exited_At__c') : null
  };
}
