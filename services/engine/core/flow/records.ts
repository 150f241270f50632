import { z } from 'zod';
import { ASSET_TYPES, STAGE_EVENT_KINDS } from '../../schema/picklists';
import { CoreInputError } from '../assignment/errors';
import { orgNumber, orgText } from '../assignment/records';

/**
 * Stage_Event__c, written by the record-triggered flows: one record per visit of a station
 * or bin. For a station visit To_Value__c is the *Name* of the station entered
 * (`{!$Record.Station__r.Name}` in the ASL_*_Station_Event flows, docs/data-model.md), not
 * its Key__c, and From_Value__c the Name of the one left; for a bin visit both are bin
 * values. Exited_At__c is empty while the asset is still there. Everything in the engine
 * works by station key, so readers map names to keys (stationKeyOf).
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
  /** Where the asset came from (station key, or bin), if anywhere. */
  from: string | null;
  enteredAt: number;
  exitedAt: number | null;
}

function instant(text: string, field: string): number {
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new CoreInputError(field, text, 'an ISO 8601 date-time');
  return t;
}

/**
 * The station key a Stage_Event__c value names: the flows write the station's Name; a value
 * that already is a key (rows written before the flows were fixed, or by hand) stays a key.
 * An unknown value is returned as it is (a renamed or deleted station).
 */
export function stationKeyOf(stations: ReadonlyArray<{ key: string; name?: string | null }>): (value: string) => string {
  const byName = new Map<string, string>();
  for (const s of stations) if (s.name) byName.set(s.name, s.key);
  // A key wins over a name that happens to equal another station's key.
  for (const s of stations) byName.set(s.key, s.key);
  return (value) => byName.get(value) ?? value;
}

/** A visit from its record; `keyOf` (stationKeyOf) maps station names to keys. */
export function visitFromRecord(raw: unknown, keyOf: (value: string) => string = (value) => value): StageVisit {
  const parsed = stageEventRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CoreInputError(`Stage_Event__c.${issue?.path.join('.') ?? ''}`, raw, issue?.message ?? 'a stage event');
  }
  const e = parsed.data;
  if (!e.To_Value__c) throw new CoreInputError(`Stage_Event__c(${e.Asset_Id__c}).To_Value__c`, e.To_Value__c, 'the name of the station or the bin entered');
  const station = e.Kind__c === 'Station';
  return {
    assetId: e.Asset_Id__c,
    kind: e.Kind__c,
    value: station ? keyOf(e.To_Value__c) : e.To_Value__c,
    from: e.From_Value__c && station ? keyOf(e.From_Value__c) : e.From_Value__c,
    enteredAt: instant(e.Entered_At__c, 'Stage_Event__c.Entered_At__c'),
    exitedAt: e.Exited_At__c ? instant(e.Exited_At__c, 'Stage_Event__c.Exited_At__c') : null
  };
}
