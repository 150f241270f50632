import { applyNamespace, parseNamespace } from '../../schema';
import { fields, id } from '../../org/soql';
import type { OrgClient } from '../../org/connection';

/**
 * API names for this org: docs/data-model.md names with the configured namespace applied
 * (the same rule as schema/apiNames), as SOQL identifiers or as record keys for writes.
 */
export interface OrgNames {
  /** One name or path (`Station__r.Key__c`) as a SOQL identifier. */
  n(name: string): ReturnType<typeof id>;
  /** A SELECT list. */
  list(names: readonly string[]): ReturnType<typeof fields>;
  /** A record to write, its keys namespaced. */
  record(values: Record<string, unknown>): Record<string, unknown>;
  /** The name itself, namespaced (for sobject names in writes and channels). */
  api(name: string): string;
}

export function orgNames(client: OrgClient): OrgNames {
  const ns = parseNamespace(client.config.namespace);
  const api = (name: string) => applyNamespace(name, ns);
  return {
    n: (name) => id(api(name)),
    list: (names) => fields(names.map(api)),
    record: (values) => Object.fromEntries(Object.entries(values).map(([key, value]) => [key === 'Id' ? key : api(key), value])),
    api
  };
}
