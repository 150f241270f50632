import { applyNamespace, parseNamespace, type Namespace } from './namespace';
import { SOBJECTS, type FieldName, type ObjectName } from './objects';

export * from './namespace';
export * from './objects';
export * from './picklists';
export * from './access';

/** The API names of one object in an org: its name and its fields, namespace applied. */
export interface ObjectApiNames<O extends ObjectName> {
  readonly name: string;
  readonly fields: { readonly [F in FieldName<O>]: string };
}

export type ApiNames = { readonly [O in ObjectName]: ObjectApiNames<O> };

/**
 * Every object and field name the engine uses, for an org with this namespace:
 * `apiNames('asl').Lead.fields.Bin__c === 'asl__Bin__c'`, `apiNames('').Station__c.name ===
 * 'Station__c'`. Use it (never string literals) wherever a name goes to the org: SOQL,
 * DML payloads, streaming channels. The namespace is validated first.
 */
export function apiNames(namespace: Namespace | string = ''): ApiNames {
  const ns = parseNamespace(namespace);
  const out: Record<string, { name: string; fields: Record<string, string> }> = {};
  for (const [object, def] of Object.entries(SOBJECTS)) {
    const fields: Record<string, string> = {};
    for (const field of Object.keys(def.fields)) fields[field] = applyNamespace(field, ns);
    out[object] = { name: applyNamespace(object, ns), fields };
  }
  return out as unknown as ApiNames;
}
