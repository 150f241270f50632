import { z } from 'zod';

/**
 * Suffixes that mark a custom (namespaceable) API name. Standard objects and standard fields,
 * including the standard fields of custom objects (Id, Name, OwnerId, CreatedDate), have none
 * and never take a prefix. Source: "Namespace Prefix" in the Salesforce Packaging guide, and
 * the API name suffixes of the Object Reference (__c, __r, __e, __mdt, __ChangeEvent, ...).
 */
const CUSTOM_SUFFIXES = new Set(['c', 'r', 'e', 'mdt', 'ChangeEvent', 'Share', 'History', 'Feed']);

/**
 * A namespace prefix as Salesforce allows it: 1-15 characters, letters, digits and single
 * underscores, starting with a letter and not ending with an underscore. Empty means "no
 * namespace" (unmanaged source, scratch orgs, the local org).
 */
export const namespaceSchema = z
  .string()
  .max(15, 'a namespace prefix has at most 15 characters')
  .regex(/^(?:[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?<!_))?$/, 'letters, digits and single underscores, starting with a letter');

export type Namespace = z.infer<typeof namespaceSchema>;

/** A namespace that Salesforce would reject, with what to do about it. */
export class NamespaceError extends Error {
  readonly field = 'ASL_NAMESPACE';
  constructor(
    readonly value: string,
    readonly reason: string
  ) {
    super(
      `ASL_NAMESPACE "${value}" is not a valid namespace prefix: ${reason}. ` +
        'Fix: set it to the namespace of sfdx-project.json (for example "asl"), or leave it empty for an unnamespaced org.'
    );
    this.name = 'NamespaceError';
  }
}

/** Validates a namespace from configuration (env, CLI flag) and returns it. */
export function parseNamespace(value: string | undefined): Namespace {
  const parsed = namespaceSchema.safeParse(value ?? '');
  if (!parsed.success) {
    throw new NamespaceError(value ?? '', parsed.error.issues.map((issue) => issue.message).join('; '));
  }
  return parsed.data;
}

interface Segment {
  prefix: string | null;
  base: string;
  suffix: string;
}

/** Splits one name segment into namespace, base and suffix, or null for a standard name. */
function splitCustom(segment: string): Segment | null {
  const parts = segment.split('__');
  if (parts.length === 2 && parts[0] && CUSTOM_SUFFIXES.has(parts[1] ?? '')) {
    return { prefix: null, base: parts[0], suffix: parts[1] as string };
  }
  if (parts.length === 3 && parts[0] && parts[1] && CUSTOM_SUFFIXES.has(parts[2] ?? '')) {
    return { prefix: parts[0], base: parts[1], suffix: parts[2] as string };
  }
  return null;
}

function mapSegments(name: string, fn: (segment: string) => string): string {
  return name.split('.').map(fn).join('.');
}

/**
 * Applies the namespace to an API name: `Station__c` -> `ns__Station__c`, `Lead.Bin__c` ->
 * `Lead.ns__Bin__c`, `Station__r.Name` -> `ns__Station__r.Name`. Standard names, and names
 * that already carry a namespace, are returned unchanged; an empty namespace changes nothing.
 */
export function applyNamespace(name: string, namespace: Namespace): string {
  if (!namespace) return name;
  return mapSegments(name, (segment) => {
    const custom = splitCustom(segment);
    return custom && custom.prefix === null ? `${namespace}__${segment}` : segment;
  });
}

/**
 * The reverse of applyNamespace: removes this namespace (compared case-insensitively, as
 * Salesforce does) from every segment. Other packages' prefixes are kept.
 */
export function stripNamespace(name: string, namespace: Namespace): string {
  if (!namespace) return name;
  const wanted = namespace.toLowerCase();
  return mapSegments(name, (segment) => {
    const custom = splitCustom(segment);
    if (!custom || custom.prefix === null || custom.prefix.toLowerCase() !== wanted) return segment;
    return `${custom.base}__${custom.suffix}`;
  });
}

/** Whether a name (one segment) is custom and so takes the package namespace. */
export function isCustomName(name: string): boolean {
  return splitCustom(name) !== null;
}

/**
 * The parent relationship name of a lookup field, for SOQL paths: `Station__c` -> `Station__r`
 * (namespace kept), `AccountId` -> `Account`, `OwnerId` -> `Owner`.
 */
export function relationshipName(lookupField: string): string {
  const custom = splitCustom(lookupField);
  if (custom) {
    if (custom.suffix !== 'c') throw new Error(`${lookupField} is not a lookup field name (expected a __c field)`);
    return `${custom.prefix ? `${custom.prefix}__` : ''}${custom.base}__r`;
  }
  if (!lookupField.endsWith('Id') || lookupField === 'Id') {
    throw new Error(`${lookupField} is not a lookup field name (expected a name ending in Id or __c)`);
  }
  return lookupField.slice(0, -2);
}

/**
 * Returns a copy of a record read from an org with this namespace removed from every key,
 * including parent records (`asl__Station__r`) and child query results, so core code sees
 * the unprefixed names of docs/data-model.md whatever the org.
 */
export function stripRecordNamespace(record: Record<string, unknown>, namespace: Namespace): Record<string, unknown> {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(value)) out[stripNamespace(key, namespace)] = strip(inner);
      return out;
    }
    return value;
  };
  return strip(record) as Record<string, unknown>;
}
