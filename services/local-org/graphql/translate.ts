/**
 * UI API GraphQL filters and orderings as SOQL, so the org's one query engine answers both
 * (GraphQL API Developer Guide: "Filter Query Results", "Field Operators", "Boolean
 * Operators", "Order By Schema", "Date Filters").
 *
 * - `where: { Name: { eq: "x" }, Owner: { Name: { like: "A%" } } }` -> `Name = 'x' AND
 *   Owner.Name LIKE 'A%'`; several operators on one field are ANDed;
 * - `and: [...]`, `or: [...]`, `not: {...}` combine filters;
 * - eq/ne with null test for null; in/nin take lists; includes/excludes for
 *   multi-select picklists;
 * - date and datetime operands are `{ value }`, `{ literal: TODAY }` or
 *   `{ range: { last_n_days: 7 } }` (SOQL date literals);
 * - `orderBy: { Name: { order: DESC, nulls: LAST } }`, several fields in the order written.
 */
import type { FieldDef, OrgSchema, SObjectDef } from '../schema/types';

export class GraphqlQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraphqlQueryError';
  }
}

const COMPARISONS: Record<string, string> = { eq: '=', ne: '!=', lt: '<', gt: '>', lte: '<=', gte: '>=', like: 'LIKE' };
const LISTS: Record<string, string> = { in: 'IN', nin: 'NOT IN', includes: 'INCLUDES', excludes: 'EXCLUDES' };
const RANGE_LITERALS: Record<string, string> = {
  last_n_days: 'LAST_N_DAYS',
  next_n_days: 'NEXT_N_DAYS',
  n_days_ago: 'N_DAYS_AGO',
  last_n_weeks: 'LAST_N_WEEKS',
  next_n_weeks: 'NEXT_N_WEEKS',
  n_weeks_ago: 'N_WEEKS_AGO',
  last_n_months: 'LAST_N_MONTHS',
  next_n_months: 'NEXT_N_MONTHS',
  n_months_ago: 'N_MONTHS_AGO',
  last_n_quarters: 'LAST_N_QUARTERS',
  next_n_quarters: 'NEXT_N_QUARTERS',
  n_quarters_ago: 'N_QUARTERS_AGO',
  last_n_years: 'LAST_N_YEARS',
  next_n_years: 'NEXT_N_YEARS',
  n_years_ago: 'N_YEARS_AGO',
};
export const RANGE_KEYS = Object.keys(RANGE_LITERALS);

type Filter = Record<string, unknown>;

/** The SOQL condition of a `where` argument, or '' when it filters nothing. */
export function whereToSoql(schema: OrgSchema, object: SObjectDef, where: Filter | null | undefined, prefix = ''): string {
  if (where === null || where === undefined) return '';
  const parts: string[] = [];
  for (const [key, operand] of Object.entries(where)) {
    if (operand === undefined) continue;
    if (key === 'and' || key === 'or') {
      const list = (operand as Filter[] | null) ?? [];
      const inner = list.map((f) => whereToSoql(schema, object, f, prefix)).filter((s) => s !== '');
      if (inner.length > 0) parts.push(inner.length === 1 ? (inner[0] as string) : `(${inner.join(key === 'and' ? ' AND ' : ' OR ')})`);
      continue;
    }
    if (key === 'not') {
      const inner = whereToSoql(schema, object, operand as Filter, prefix);
      if (inner !== '') parts.push(`(NOT ${wrap(inner)})`);
      continue;
    }
    parts.push(...fieldConditions(schema, object, key, operand as Filter, prefix));
  }
  if (parts.length === 0) return '';
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' AND ')})`;
}

function fieldConditions(schema: OrgSchema, object: SObjectDef, key: string, operand: Filter | null, prefix: string): string[] {
  const field = schema.field(object, key);
  if (field !== undefined && field.name === key) return operatorConditions(field, `${prefix}${field.name}`, operand ?? {});
  const parentField = schema.relationship(object, key);
  const target = parentField?.referenceTo[0] === undefined ? undefined : schema.find(parentField.referenceTo[0]);
  if (parentField === undefined || target === undefined) throw new GraphqlQueryError(`Field '${key}' is not filterable on ${object.name}.`);
  const inner = whereToSoql(schema, target, operand, `${prefix}${parentField.relationshipName}.`);
  return inner === '' ? [] : [inner];
}

function operatorConditions(field: FieldDef, path: string, operators: Filter): string[] {
  const out: string[] = [];
  for (const [op, raw] of Object.entries(operators)) {
    if (raw === undefined) continue;
    const comparison = COMPARISONS[op];
    if (comparison !== undefined) {
      if (raw === null) {
        if (op !== 'eq' && op !== 'ne') throw new GraphqlQueryError(`Operator '${op}' of ${field.name} needs a value.`);
        out.push(`${path} ${comparison} null`);
      } else {
        out.push(`${path} ${comparison} ${literal(field, raw, op === 'like')}`);
      }
      continue;
    }
    const list = LISTS[op];
    if (list === undefined) throw new GraphqlQueryError(`Operator '${op}' is not supported on ${field.name}.`);
    const values = (raw as unknown[] | null) ?? [];
    if (values.length === 0) throw new GraphqlQueryError(`Operator '${op}' of ${field.name} needs at least one value.`);
    out.push(`${path} ${list} (${values.map((v) => literal(field, v, false)).join(', ')})`);
  }
  return out;
}

/** A SOQL literal for a field's operand. */
export function literal(field: FieldDef, raw: unknown, like: boolean): string {
  switch (field.type) {
    case 'boolean':
      if (typeof raw !== 'boolean') throw new GraphqlQueryError(`${field.name} compares with true or false.`);
      return String(raw);
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      const n = typeof raw === 'number' ? raw : Number(raw);
      if (!Number.isFinite(n)) throw new GraphqlQueryError(`${field.name} compares with a number, not ${JSON.stringify(raw)}.`);
      return String(n);
    }
    case 'date':
    case 'datetime':
      return like ? quote(String(raw)) : dateOperand(field, raw);
    default:
      if (typeof raw !== 'string' && typeof raw !== 'number') throw new GraphqlQueryError(`${field.name} compares with a string.`);
      return quote(String(raw));
  }
}

function dateOperand(field: FieldDef, raw: unknown): string {
  const input = (typeof raw === 'object' && raw !== null ? raw : { value: raw }) as { value?: unknown; literal?: unknown; range?: Record<string, unknown> };
  const given = [input.value, input.literal, input.range].filter((v) => v !== undefined && v !== null).length;
  if (given !== 1) throw new GraphqlQueryError(`${field.name} takes exactly one of value, literal or range.`);
  if (typeof input.literal === 'string') return input.literal;
  if (input.range !== undefined && input.range !== null) {
    const entries = Object.entries(input.range).filter(([, n]) => n !== undefined && n !== null);
    const [key, n] = entries[0] ?? [];
    const soql = key === undefined ? undefined : RANGE_LITERALS[key];
    if (entries.length !== 1 || soql === undefined || !Number.isInteger(n)) throw new GraphqlQueryError(`${field.name}: a range takes one of ${RANGE_KEYS.join(', ')} with a whole number.`);
    return `${soql}:${String(n)}`;
  }
  const value = String(input.value);
  if (field.type === 'date') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new GraphqlQueryError(`${field.name} takes a date like 2024-05-01, not ${value}.`);
    return value;
  }
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(time)) throw new GraphqlQueryError(`${field.name} takes a datetime like 2024-05-01T13:45:00Z, not ${value}.`);
  return new Date(time).toISOString().replace('.000Z', 'Z');
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function wrap(condition: string): string {
  return condition.startsWith('(') && condition.endsWith(')') ? condition : `(${condition})`;
}

/** `ORDER BY` terms of an `orderBy` argument, in the order the request wrote them. */
export function orderByToSoql(schema: OrgSchema, object: SObjectDef, orderBy: Filter | null | undefined, prefix = ''): string[] {
  if (orderBy === null || orderBy === undefined) return [];
  const terms: string[] = [];
  for (const [key, clause] of Object.entries(orderBy)) {
    if (clause === undefined || clause === null) continue;
    const field = schema.field(object, key);
    if (field !== undefined && field.name === key) {
      const { order, nulls } = clause as { order?: string; nulls?: string };
      terms.push(`${prefix}${field.name}${order === 'DESC' ? ' DESC' : ' ASC'}${nulls === undefined ? '' : ` NULLS ${nulls}`}`);
      continue;
    }
    const parentField = schema.relationship(object, key);
    const target = parentField?.referenceTo[0] === undefined ? undefined : schema.find(parentField.referenceTo[0]);
    if (parentField === undefined || target === undefined) throw new GraphqlQueryError(`Field '${key}' is not sortable on ${object.name}.`);
    terms.push(...orderByToSoql(schema, target, clause as Filter, `${prefix}${parentField.relationshipName}.`));
  }
  return terms;
}

/** Cursor of the record at 0-based position `offset` (Salesforce's look like base64 of `v1:<n>`). */
export function cursorOf(offset: number): string {
  return Buffer.from(`v1:${offset}`).toString('base64');
}

/** Position after a cursor, or a GraphqlQueryError for a cursor this org never made. */
export function offsetAfter(cursor: string | null | undefined): number {
  if (cursor === null || cursor === undefined) return 0;
  const match = /^v1:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (match === null) throw new GraphqlQueryError(`Invalid cursor: ${cursor}`);
  return Number(match[1]) + 1;
}
