import { z } from 'zod';
import { orgBoolean, orgNumber, orgText } from '../orgValues';
import { apiNames, type FieldName, type ObjectName } from '../../schema';

/**
 * Helpers shared by calendar, campaigns and fit for reading org records. Core code sees the
 * unprefixed names of docs/data-model.md (the org layer strips the namespace with
 * stripRecordNamespace); the keys of every record schema are checked by the compiler against
 * services/engine/schema, so a misspelt field does not compile. `selectFields` turns a schema
 * back into the namespaced names the org layer puts in its SOQL.
 */

/** An input the core cannot work with: the field, the value found and what would be accepted. */
export class InputError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly expected: string
  ) {
    super(`${field}: got ${JSON.stringify(value)}; expected ${expected}`);
    this.name = 'InputError';
  }
}

/** Values come from REST JSON (typed) or Bulk API 2.0 CSV (all strings, empty for null). */
export { orgBoolean, orgNumber, orgText };

/** A record schema whose keys must be field names of `object` in services/engine/schema. */
export function orgRecordSchema<O extends ObjectName, S extends z.ZodRawShape>(
  object: O,
  shape: S & { [K in keyof S]: K extends FieldName<O> ? unknown : never }
): z.ZodObject<S> & { readonly sobject: O } {
  return Object.assign(z.object(shape as S), { sobject: object });
}

/** The namespaced API names of the fields a record schema reads, for the org layer's SELECT. */
export function selectFields<O extends ObjectName>(schema: { readonly sobject: O; readonly shape: object }, namespace = ''): string[] {
  const names = apiNames(namespace)[schema.sobject].fields as Readonly<Record<string, string>>;
  return Object.keys(schema.shape).map((field) => names[field] ?? field);
}

/** Parses one record, or throws an InputError naming `Object.Field` (with the record id when known). */
export function parseRecord<T>(schema: z.ZodType<T> & { readonly sobject: string }, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? '');
  const record = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const id = typeof record.Id === 'string' ? `(${record.Id})` : '';
  throw new InputError(`${schema.sobject}${id}.${field}`, field ? record[field] : raw, issue?.message ?? 'a valid value');
}

/** A parse that keeps going: good records become values, bad ones named problems. */
export interface Parsed<T> {
  values: T[];
  problems: InputError[];
}

export function parseAll<T>(raws: readonly unknown[], parse: (raw: unknown) => T | null): Parsed<T> {
  const values: T[] = [];
  const problems: InputError[] = [];
  for (const raw of raws) {
    try {
      const value = parse(raw);
      if (value !== null) values.push(value);
    } catch (error) {
      if (error instanceof InputError) problems.push(error);
      else throw error;
    }
  }
  return { values, problems };
}
