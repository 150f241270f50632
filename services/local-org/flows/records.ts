/**
 * Records as a flow sees them ($Record, $Record__Prior, record variables, Get Records
 * results) and the reads a flow makes.
 *
 * Reads go straight to the store's tables (one table per object, named after it, one column
 * per field, soft-deleted rows flagged `IsDeleted`; see store/store.ts) with prepared
 * statements: an after-save flow runs a Get Records for every saved record, so a bulk load
 * of 100,000 leads must not parse 100,000 SOQL strings.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { FieldDef, SObjectDef } from '../schema/types';
import type { Row } from '../store/behaviors';
import type { FieldValue, SObjectInput } from '../store/types';
import { fromDb, toDb, type DbValue } from '../store/values';
import { logicSql, type Logic } from './logic';

export type FlowScalar = string | number | boolean | null;
export type FlowValue = FlowScalar | FlowRecord | FlowRecord[] | FlowScalar[];

/** One record: values read from a stored row, overlaid with the values the flow assigned. */
export class FlowRecord {
  private readonly assigned = new Map<string, { field: FieldDef; value: FieldValue }>();

  constructor(
    readonly def: SObjectDef,
    private readonly row: Row | null = null,
  ) {}

  get(field: FieldDef): FieldValue {
    const own = this.assigned.get(field.name);
    if (own !== undefined) return own.value;
    if (this.row === null) return field.type === 'boolean' ? false : null;
    return fromDb(field, this.row[field.name]);
  }

  set(field: FieldDef, value: FieldValue): void {
    this.assigned.set(field.name, { field, value });
  }

  get id(): string | null {
    const own = this.assigned.get('Id');
    const value = own !== undefined ? own.value : this.row?.Id;
    return typeof value === 'string' ? value : null;
  }

  /** Fields the flow assigned, in assignment order. */
  changes(): Array<{ field: FieldDef; value: FieldValue }> {
    return [...this.assigned.values()];
  }

  /**
   * The input of a Create Records (every loaded or assigned createable field) or an Update
   * Records by reference (the Id and the assigned fields), as the store accepts it.
   */
  toInput(mode: 'create' | 'update'): SObjectInput {
    const input: SObjectInput = {};
    if (mode === 'update') {
      input.Id = this.id;
      for (const { field, value } of this.assigned.values()) if (field.updateable) input[field.name] = value;
      return input;
    }
    if (this.row === null) {
      for (const { field, value } of this.assigned.values()) if (field.createable) input[field.name] = value;
      return input;
    }
    // A record read from the org and created again (a copy): its set createable fields.
    for (const field of this.def.fields) {
      const value = this.get(field);
      if (field.createable && value !== null) input[field.name] = value;
    }
    return input;
  }
}

export type FilterOperator = 'EqualTo' | 'NotEqualTo' | 'GreaterThan' | 'GreaterThanOrEqualTo' | 'LessThan' | 'LessThanOrEqualTo' | 'StartsWith' | 'EndsWith' | 'Contains' | 'IsNull';

export const FILTER_OPERATORS: ReadonlySet<string> = new Set<FilterOperator>([
  'EqualTo',
  'NotEqualTo',
  'GreaterThan',
  'GreaterThanOrEqualTo',
  'LessThan',
  'LessThanOrEqualTo',
  'StartsWith',
  'EndsWith',
  'Contains',
  'IsNull',
]);

export interface RecordFilter {
  field: FieldDef;
  operator: FilterOperator;
  value: FlowValue;
}

export interface RecordQuery {
  def: SObjectDef;
  filters: RecordFilter[];
  logic: Logic;
  sort?: { field: FieldDef; descending: boolean };
  limit?: number;
}

const q = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;
const COMPARISONS: Record<string, string> = { GreaterThan: '>', GreaterThanOrEqualTo: '>=', LessThan: '<', LessThanOrEqualTo: '<=' };

/** Thrown for a filter value the field cannot hold (the element's fault path handles it). */
export class FilterValueError extends Error {}

export class RecordReader {
  private readonly statements = new Map<string, StatementSync>();

  constructor(private readonly db: DatabaseSync) {}

  /** A live record by Id, or null (relationship paths to deleted records read as null). */
  byId(def: SObjectDef, id: string): FlowRecord | null {
    if (def.isPlatformEvent) return null;
    const row = this.statement(`SELECT * FROM ${q(def.name)} WHERE "Id" = ? AND "IsDeleted" = 0`).get(id) as Row | undefined;
    return row === undefined ? null : new FlowRecord(def, row);
  }

  /** Get Records: live records matching the filters, in the sort order (SOQL's, nulls first ascending). */
  find(query: RecordQuery): FlowRecord[] {
    const { sql, params } = this.select(query, '*');
    const rows = this.statement(sql).all(...params) as Row[];
    return rows.map((row) => new FlowRecord(query.def, row));
  }

  /** Ids of the live records matching the filters (Update Records by conditions). */
  findIds(query: RecordQuery): string[] {
    const { sql, params } = this.select(query, '"Id"');
    return (this.statement(sql).all(...params) as Array<{ Id: string }>).map((row) => row.Id);
  }

  private select(query: RecordQuery, columns: string): { sql: string; params: DbValue[] } {
    const params: DbValue[] = [];
    // Numbered parameters: custom logic ("2 AND 1") may order conditions differently from the list.
    const bind = (value: DbValue): string => {
      params.push(value);
      return `?${params.length}`;
    };
    const parts = query.filters.map((filter) => `(${filterSql(filter, bind)})`);
    const where = parts.length === 0 ? '' : ` AND ${logicSql(query.logic, parts)}`;
    const order = query.sort === undefined ? '' : `${q(query.sort.field.name)} ${query.sort.descending ? 'DESC' : 'ASC'}, `;
    const limit = query.limit === undefined ? '' : ` LIMIT ${query.limit}`;
    return { sql: `SELECT ${columns} FROM ${q(query.def.name)} WHERE "IsDeleted" = 0${where} ORDER BY ${order}"_seq"${limit}`, params };
  }

  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      if (this.statements.size > 500) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

function stored(field: FieldDef, value: FlowValue): DbValue {
  if (typeof value === 'object' && value !== null) throw new FilterValueError(`${field.name}: a filter compares with one value, not a record or a collection`);
  try {
    // Filters compare; they do not write, so picklist restrictions and lengths do not apply.
    return toDb({ ...field, restrictedPicklist: false, length: 0 }, value);
  } catch (error) {
    throw new FilterValueError(`${field.name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** SQL of one condition, with SOQL's null semantics (`!=` matches nulls, `= null` finds blanks). */
function filterSql(filter: RecordFilter, bind: (value: DbValue) => string): string {
  const column = q(filter.field.name);
  if (filter.operator === 'IsNull') return filter.value === true || filter.value === 'true' ? `${column} IS NULL` : `${column} IS NOT NULL`;
  const value = stored(filter.field, filter.value);
  switch (filter.operator) {
    case 'EqualTo':
      return value === null ? `${column} IS NULL` : `${column} = ${bind(value)}`;
    case 'NotEqualTo':
      return value === null ? `${column} IS NOT NULL` : `${column} IS NULL OR ${column} != ${bind(value)}`;
    case 'StartsWith':
    case 'EndsWith':
    case 'Contains': {
      const escaped = String(value ?? '').replace(/[\\%_]/g, (c) => `\\${c}`);
      const pattern = filter.operator === 'StartsWith' ? `${escaped}%` : filter.operator === 'EndsWith' ? `%${escaped}` : `%${escaped}%`;
      return `${column} LIKE ${bind(pattern)} ESCAPE '\\'`;
    }
    default:
      return value === null ? '0' : `${column} ${COMPARISONS[filter.operator] as string} ${bind(value)}`;
  }
}
