import { applyNamespace, parseNamespace, stripRecordNamespace } from '../schema';
import type { OrgClient } from './connection';
import type { OrgRecord } from './reads';
import { fields, id } from './soql';

/**
 * Namespaced names for every feature's SOQL and writes: core code and the features use the
 * unprefixed names of docs/data-model.md; the org sees `ns__Field__c` when the package is
 * installed with a namespace (the same rule as schema/apiNames).
 */
export interface OrgNames {
  api(name: string): string;
  n(name: string): ReturnType<typeof id>;
  list(names: readonly string[]): ReturnType<typeof fields>;
  /** Record keys namespaced for a write (Id stays). */
  record(values: Record<string, unknown>): Record<string, unknown>;
  strip(record: OrgRecord): OrgRecord;
}

export function orgNames(client: OrgClient): OrgNames {
  const ns = parseNamespace(client.config.namespace);
  const api = (name: string) => applyNamespace(name, ns);
  return {
    api,
    n: (name) => id(api(name)),
    list: (names) => fields(names.map(api)),
    record: (values) => Object.fromEntries(Object.entries(values).map(([key, value]) => [key === 'Id' ? key : api(key), value])),
    strip: (record) => (ns ? stripRecordNamespace(record, ns) : record)
  };
}
