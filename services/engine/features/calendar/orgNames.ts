import { applyNamespace, parseNamespace, stripRecordNamespace } from '../../schema';
import type { OrgClient } from '../../org/connection';
import type { OrgRecord } from '../../org/reads';
import { fields, id } from '../../org/soql';

/**
 * Namespaced names for the SOQL and writes of the calendar and campaign features: core code
 * and these features use the unprefixed names of docs/data-model.md; the org sees
 * `ns__Field__c` when the package is installed with a namespace.
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
