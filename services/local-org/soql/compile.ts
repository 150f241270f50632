/**
 * SOQL to SQLite. The query is parsed by @jetstreamapp/soql-parser-js, checked against the
 * schema, and turned into parameterised SQL: user values only ever travel as parameters.
 *
 * Supported (SOQL and SOSL Reference): field lists, FIELDS(ALL|STANDARD|CUSTOM), parent
 * relationship paths of any depth (polymorphic Who/What/Owner limited to the Name fields),
 * child relationship subqueries, WHERE with AND/OR/NOT, = != < <= > >= IN NOT IN LIKE,
 * semi-joins (`Id IN (SELECT ...)`), date and datetime values, date literals, date
 * functions, ORDER BY with NULLS FIRST|LAST, LIMIT, OFFSET (at most 2,000), COUNT(),
 * COUNT/COUNT_DISTINCT/SUM/AVG/MIN/MAX with GROUP BY, aliases and HAVING, USING SCOPE
 * Everything|Mine. Everything else is rejected with MALFORMED_QUERY, never guessed.
 *
 * SOQL semantics kept: text comparisons and ordering are case-insensitive; `!=` and NOT IN
 * match nulls; nulls sort first unless NULLS LAST is given (SOQL reference: ORDER BY).
 */
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import type {
  FieldType as SoqlFieldItem,
  FunctionExp,
  GroupByClause,
  HavingClause,
  OrderByClause,
  Query,
  Subquery,
  WhereClause,
} from '@jetstreamapp/soql-parser-js';
import type { FieldDef, OrgSchema, SObjectDef } from '../schema/types';
import type { SObjectRecord } from '../store/types';
import { fromDb, parseDateTime, formatDateTime } from '../store/values';
import { normalizeId } from '../store/ids';
import { dateLiteralRange, dayText, localDay, startOfDay } from './dates';
import { filterError, invalidField, invalidRelationship, invalidType, malformed, soqlError } from './errors';

export type SqlParam = string | number | null;

export interface SoqlEnv {
  schema: OrgSchema;
  now: Date;
  /** Running user's TimeZoneSidKey: date literals are whole days there. */
  timeZone: string;
  userId: string;
  queryAll: boolean;
}

export interface RecordPlan {
  kind: 'records';
  sobject: SObjectDef;
  /** Selects the matching row keys (`_seq`) in result order, LIMIT/OFFSET applied. */
  keySql: string;
  keyParams: SqlParam[];
  /** Selects the output columns of up to `n` rows by key (`?` placeholders, any order). */
  pageSql(n: number): string;
  columns: string[];
  toRecord(row: unknown[], urlBase: string): SObjectRecord;
  children: ChildPlan[];
}

export interface CountPlan {
  kind: 'count';
  sobject: SObjectDef;
  sql: string;
  params: SqlParam[];
}

export interface AggregatePlan {
  kind: 'aggregate';
  sobject: SObjectDef;
  sql: string;
  params: SqlParam[];
  columns: string[];
  toRecord(row: unknown[]): SObjectRecord;
  hasLimit: boolean;
}

export interface ChildPlan {
  key: string;
  /** Rows of the children of up to `n` parents: first column is the parent id. */
  sql(n: number): string;
  params: SqlParam[];
  limit: number | undefined;
  toRecord(row: unknown[], urlBase: string): SObjectRecord;
}

export type QueryPlan = RecordPlan | CountPlan | AggregatePlan;

const q = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;
const AGGREGATES = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);
const DATE_FUNCTIONS = new Set([
  'CALENDAR_YEAR', 'CALENDAR_MONTH', 'CALENDAR_QUARTER', 'DAY_IN_MONTH', 'DAY_IN_WEEK', 'DAY_IN_YEAR', 'DAY_ONLY',
  'FISCAL_YEAR', 'FISCAL_QUARTER', 'FISCAL_MONTH', 'HOUR_IN_DAY', 'WEEK_IN_MONTH', 'WEEK_IN_YEAR',
]);
/** Fields a polymorphic relationship exposes (the Name object). */
const NAME_OBJECT_FIELDS = ['Id', 'Name', 'Type', 'FirstName', 'LastName', 'Email', 'Phone', 'Title', 'Alias', 'Username', 'IsActive'];
const MAX_OFFSET = 2000;

class JoinSet {
  private readonly lines: string[] = [];
  private readonly aliases = new Map<string, string>();
  constructor(private readonly prefix: string) {}

  join(key: string, table: string, fromAlias: string, fkColumn: string): string {
    const existing = this.aliases.get(key.toLowerCase());
    if (existing !== undefined) return existing;
    const alias = `${this.prefix}j${this.aliases.size + 1}`;
    this.aliases.set(key.toLowerCase(), alias);
    // Deleted parents read as absent, as a cleared lookup does in Salesforce.
    this.lines.push(`LEFT JOIN ${q(table)} ${alias} ON ${alias}."Id" = ${fromAlias}.${q(fkColumn)} AND ${alias}."IsDeleted" = 0`);
    return alias;
  }

  sql(): string {
    return this.lines.join(' ');
  }
}

interface Step {
  lookup: FieldDef;
  name: string;
  targets: SObjectDef[];
}

interface Resolved {
  /** Canonical path: relationship names then the field name. */
  path: string[];
  steps: Step[];
  /** The field (for a polymorphic end: the first target's field, or a synthetic Type). */
  def: FieldDef;
  polymorphic: boolean;
}

interface Expr {
  sql: string;
  params: SqlParam[];
}

const TYPE_FIELD: FieldDef = {
  name: 'Type', label: 'Type', type: 'string', length: 40, precision: 0, scale: 0, custom: false, nillable: true, required: false,
  createable: false, updateable: false, filterable: true, sortable: true, groupable: true, calculated: false, formula: null,
  externalId: false, unique: false, caseSensitive: false, idLookup: false, nameField: false, autoNumber: false, defaultValue: null,
  defaultedOnCreate: false, picklistValues: [], restrictedPicklist: false, referenceTo: [], relationshipName: null, cascadeDelete: false,
  inlineHelpText: null,
};

let subqueryCounter = 0;

export function compileSoql(soql: string, env: SoqlEnv): QueryPlan {
  let parsed: Query;
  try {
    // Without options: passing any makes the parser rebuild its grammar on every call.
    parsed = parseQuery(soql);
  } catch (error) {
    throw parseFailure(soql, error as Error);
  }
  rejectLostNegations(soql, parsed);
  return new Compiler(soql, env, parsed, 't').compile();
}

/**
 * The parser drops a NOT when three are chained, each first inside the previous one's
 * parentheses (`NOT (NOT (NOT (x)))` and `NOT ((NOT ((NOT (x)) ...` parse like two). Counting NOT keywords outside string literals against the NOT nodes of
 * the parse keeps such a query from being answered with the wrong polarity.
 */
function rejectLostNegations(soql: string, parsed: Query): void {
  const code = soql.replace(/'(?:\\.|[^'\\])*'/g, "''");
  const written = (code.match(/\bNOT\b(?!\s+IN\b)/gi) ?? []).length;
  let parsedCount = 0;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      if ((node as { operator?: unknown }).operator === 'NOT') parsedCount += 1;
      Object.values(node).forEach(visit);
    }
  };
  visit(parsed);
  if (parsedCount !== written) {
    throw malformed(soql, 'NOT', 'NOT nested three or more times directly is not supported by the local org; simplify the negation');
  }
}

function parseFailure(soql: string, error: Error): Error {
  const found = /found --> '(.*?)' <--|but found: '(.*?)'/s.exec(error.message);
  const token = found?.[1] ?? found?.[2];
  if (token !== undefined) return malformed(soql, token, `unexpected token: '${token}'`);
  const offset = /offset: (\d+)/.exec(error.message);
  if (offset !== null) {
    const char = soql[Number(offset[1])] ?? '';
    return malformed(soql, undefined, `line 1:${offset[1]} no viable alternative at character '${char}'`);
  }
  if (/NotAllInputParsed/.test(error.name) || /Redundant input/.test(error.message)) {
    const rest = /Redundant input, expecting EOF but found: (\S+)/.exec(error.message)?.[1];
    return malformed(soql, rest, `unexpected token: ${rest ?? 'end of query'}`);
  }
  return malformed(soql, undefined, `unexpected token: ${error.message.split('\n')[0]}`);
}

class Compiler {
  private readonly root: SObjectDef;
  private readonly alias: string;

  constructor(
    private readonly soql: string,
    private readonly env: SoqlEnv,
    private readonly query: Query | Subquery,
    private readonly prefix: string,
    root?: SObjectDef,
  ) {
    const name = (query as Query).sObject;
    if (root !== undefined) {
      this.root = root;
    } else {
      if (name === undefined) throw malformed(soql, undefined, 'unexpected token: FROM');
      const def = env.schema.find(name);
      if (def === undefined || !def.queryable) throw invalidType(soql, name);
      this.root = def;
    }
    this.alias = `${prefix}0`;
    this.rejectUnsupported();
  }

  compile(): QueryPlan {
    const fields = this.query.fields ?? [];
    const isCountAll = fields.length === 1 && fields[0]?.type === 'FieldFunctionExpression' && fields[0].functionName.toUpperCase() === 'COUNT' && fields[0].parameters.length === 0;
    if (isCountAll) return this.compileCount();
    if (fields.some((f) => f.type === 'FieldFunctionExpression' && f.functionName.toUpperCase() === 'COUNT' && f.parameters.length === 0)) {
      throw malformed(this.soql, 'COUNT', 'COUNT() must be the only element in the SELECT list.');
    }
    const isAggregate =
      this.query.groupBy !== undefined ||
      fields.some((f) => f.type === 'FieldFunctionExpression' && AGGREGATES.has(f.functionName.toUpperCase()));
    return isAggregate ? this.compileAggregate() : this.compileRecords();
  }

  private rejectUnsupported(): void {
    const query = this.query;
    if (query.withDataCategory !== undefined) throw malformed(this.soql, 'DATA', 'WITH DATA CATEGORY is not supported by the local org');
    if (query.usingScope !== undefined && !['everything', 'mine'].includes(query.usingScope.toLowerCase())) {
      throw malformed(this.soql, query.usingScope, `USING SCOPE ${query.usingScope} is not supported by the local org`);
    }
    if (query.offset !== undefined && query.offset > MAX_OFFSET) {
      throw soqlError('NUMBER_OUTSIDE_VALID_RANGE', this.soql, String(query.offset), `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
    }
  }

  // ---------- paths and expressions ----------

  private stripAlias(name: string): string {
    const alias = (this.query as Query).sObjectAlias;
    if (alias !== undefined && name.toLowerCase().startsWith(`${alias.toLowerCase()}.`)) return name.slice(alias.length + 1);
    return name;
  }

  resolve(rawPath: string): Resolved {
    const path = this.stripAlias(rawPath);
    const parts = path.split('.');
    const fieldName = parts.pop() as string;
    const steps: Step[] = [];
    let current: SObjectDef | undefined = this.root;
    for (const [index, part] of parts.entries()) {
      if (current === undefined) throw invalidRelationship(this.soql, path, part);
      const lookup = this.env.schema.relationship(current, part);
      if (lookup === undefined) throw invalidRelationship(this.soql, path, part);
      const targets = lookup.referenceTo.map((name) => this.env.schema.find(name)).filter((def): def is SObjectDef => def !== undefined);
      if (targets.length === 0) throw invalidRelationship(this.soql, path, part);
      steps.push({ lookup, name: lookup.relationshipName as string, targets });
      if (targets.length > 1) {
        if (index !== parts.length - 1) throw invalidField(this.soql, path, 'Name');
        current = undefined;
      } else {
        current = targets[0];
      }
    }
    const canonical = steps.map((step) => step.name);
    if (current === undefined) {
      const last = steps[steps.length - 1] as Step;
      const nameField = NAME_OBJECT_FIELDS.find((name) => name.toLowerCase() === fieldName.toLowerCase());
      if (nameField === undefined) throw invalidField(this.soql, path, 'Name');
      const def = nameField === 'Type' ? TYPE_FIELD : last.targets.map((t) => this.env.schema.field(t, nameField)).find((f) => f !== undefined);
      if (def === undefined) throw invalidField(this.soql, path, 'Name');
      return { path: [...canonical, def.name], steps, def, polymorphic: true };
    }
    const def = this.env.schema.field(current, fieldName);
    if (def === undefined) throw invalidField(this.soql, path, current.name);
    return { path: [...canonical, def.name], steps, def, polymorphic: false };
  }

  /** Alias of the table at the end of the (non-polymorphic) steps, or the polymorphic aliases. */
  private walk(resolved: Resolved, joins: JoinSet): { alias: string; polyAliases: Array<{ alias: string; def: SObjectDef }> } {
    let alias = this.alias;
    let key = '';
    for (const step of resolved.steps) {
      key = `${key}.${step.name}`;
      if (step.targets.length > 1) {
        const from = alias;
        return {
          alias,
          polyAliases: step.targets.map((def) => ({ alias: joins.join(`${key}:${def.name}`, def.name, from, step.lookup.name), def })),
        };
      }
      alias = joins.join(key, (step.targets[0] as SObjectDef).name, alias, step.lookup.name);
    }
    return { alias, polyAliases: [] };
  }

  column(resolved: Resolved, joins: JoinSet): string {
    const { alias, polyAliases } = this.walk(resolved, joins);
    if (!resolved.polymorphic) return `${alias}.${q(resolved.def.name)}`;
    if (resolved.def === TYPE_FIELD) return this.polyType(polyAliases);
    const present = polyAliases.filter((p) => this.env.schema.field(p.def, resolved.def.name) !== undefined);
    return present.length === 1 ? `${present[0]?.alias}.${q(resolved.def.name)}` : `COALESCE(${present.map((p) => `${p.alias}.${q(resolved.def.name)}`).join(', ')})`;
  }

  private polyType(polyAliases: Array<{ alias: string; def: SObjectDef }>): string {
    // Object names come from the schema, never from the query; quoted as SQL text all the same.
    const cases = polyAliases.map((p) => `WHEN ${p.alias}."Id" IS NOT NULL THEN '${p.def.name.replace(/'/g, "''")}'`).join(' ');
    return `CASE ${cases} END`;
  }

  /** Id and type expressions of each relationship level of a resolved path. */
  relationshipLevels(resolved: Resolved, joins: JoinSet): Array<{ name: string; idSql: string; typeSql: string | null; staticType: string | null }> {
    const levels: Array<{ name: string; idSql: string; typeSql: string | null; staticType: string | null }> = [];
    let alias = this.alias;
    let key = '';
    for (const step of resolved.steps) {
      key = `${key}.${step.name}`;
      if (step.targets.length > 1) {
        const from = alias;
        const polyAliases = step.targets.map((def) => ({ alias: joins.join(`${key}:${def.name}`, def.name, from, step.lookup.name), def }));
        levels.push({
          name: step.name,
          idSql: `COALESCE(${polyAliases.map((p) => `${p.alias}."Id"`).join(', ')})`,
          typeSql: this.polyType(polyAliases),
          staticType: null,
        });
        break;
      }
      alias = joins.join(key, (step.targets[0] as SObjectDef).name, alias, step.lookup.name);
      levels.push({ name: step.name, idSql: `${alias}."Id"`, typeSql: null, staticType: (step.targets[0] as SObjectDef).name });
    }
    return levels;
  }

  // ---------- SELECT of records ----------

  private expandFields(items: SoqlFieldItem[]): SoqlFieldItem[] {
    const expanded: SoqlFieldItem[] = [];
    for (const item of items) {
      if (item.type === 'FieldFunctionExpression' && item.functionName.toUpperCase() === 'FIELDS') {
        const which = String(item.parameters[0] ?? '').toUpperCase();
        if (which !== 'STANDARD' && (this.query.limit === undefined || this.query.limit > 200)) {
          throw malformed(this.soql, 'FIELDS', 'The SOQL FIELDS function must have a LIMIT of at most 200');
        }
        for (const def of this.root.fields) {
          if (which === 'ALL' || (which === 'CUSTOM' && def.custom) || (which === 'STANDARD' && !def.custom)) {
            expanded.push({ type: 'Field', field: def.name });
          }
        }
        continue;
      }
      if (item.type === 'FieldFunctionExpression' && item.functionName.toLowerCase() === 'tolabel' && typeof item.parameters[0] === 'string') {
        // Labels equal values for every picklist the local org serves.
        expanded.push({ type: 'Field', field: item.parameters[0] });
        continue;
      }
      expanded.push(item);
    }
    return expanded;
  }

  compileRecords(): RecordPlan {
    const selectJoins = new JoinSet(`${this.prefix}s`);
    const filterJoins = new JoinSet(`${this.prefix}f`);
    const builder = new RecordBuilder(this.root);
    // Row layout of a page: _seq, Id, then the selected columns.
    const expressions: string[] = [`${this.alias}."_seq"`, `${this.alias}."Id"`];
    const seen = new Set<string>();
    const children: ChildPlan[] = [];
    const addColumn = (sql: string): number => expressions.push(sql) - 1;
    for (const item of this.expandFields(this.query.fields ?? [])) {
      switch (item.type) {
        case 'Field':
        case 'FieldRelationship': {
          const raw = item.type === 'Field' ? item.field : (item.rawValue ?? [...item.relationships, item.field].join('.'));
          if ((item as { alias?: string }).alias !== undefined && item.type === 'Field' && (item as { alias?: string }).alias !== raw) {
            throw malformed(this.soql, (item as { alias?: string }).alias, `unexpected token: ${(item as { alias?: string }).alias}`);
          }
          const resolved = this.resolve(raw);
          const key = resolved.path.join('.').toLowerCase();
          if (seen.has(key)) throw malformed(this.soql, raw, `duplicate field selected: ${resolved.path.join('.')}`);
          seen.add(key);
          const levels = this.relationshipLevels(resolved, selectJoins).map((level) => ({
            name: level.name,
            idIndex: addColumn(level.idSql),
            typeIndex: level.typeSql === null ? null : addColumn(level.typeSql),
            staticType: level.staticType,
          }));
          builder.addField(levels, resolved.def, addColumn(this.column(resolved, selectJoins)));
          break;
        }
        case 'FieldSubquery':
          children.push(this.compileChild(item.subquery));
          builder.addChild(item.subquery.relationshipName, children.length - 1);
          break;
        case 'FieldFunctionExpression':
          throw malformed(this.soql, item.functionName, `${item.functionName}() is only allowed in an aggregate query with GROUP BY or an aggregate function`);
        case 'FieldTypeof':
          throw malformed(this.soql, 'TYPEOF', 'TYPEOF is not supported by the local org');
      }
    }
    const where = this.whereSql(filterJoins);
    const order = this.orderSql(filterJoins, (fn) => this.dateFunctionSql(fn, filterJoins).sql);
    const limitParts = this.limitSql();
    const table = q(this.root.name);
    const keySql =
      `SELECT ${this.alias}."_seq" FROM ${table} ${this.alias} ${filterJoins.sql()} WHERE ${where.sql}` +
      ` ORDER BY ${[...order, `${this.alias}."_seq"`].join(', ')}${limitParts.sql}`;
    const selectList = expressions.join(', ');
    const joinSql = selectJoins.sql();
    return {
      kind: 'records',
      sobject: this.root,
      keySql,
      keyParams: [...where.params, ...limitParts.params],
      pageSql: (n) => `SELECT ${selectList} FROM ${table} ${this.alias} ${joinSql} WHERE ${this.alias}."_seq" IN (${placeholders(n)})`,
      columns: builder.columns(),
      toRecord: (row, urlBase) => builder.build(row, urlBase, 1),
      children,
    };
  }

  private compileChild(subquery: Subquery): ChildPlan {
    const relationship = this.env.schema.childRelationship(this.root, subquery.relationshipName);
    if (relationship === undefined) throw invalidRelationship(this.soql, subquery.relationshipName, subquery.relationshipName);
    const childDef = this.env.schema.find(relationship.childSObject) as SObjectDef;
    const child = new Compiler(this.soql, this.env, subquery, `${this.prefix}c${++subqueryCounter}_`, childDef);
    const plan = child.compileRecords();
    if (plan.children.length > 0) throw malformed(this.soql, subquery.relationshipName, 'Nesting of child relationship subqueries is not supported');
    const selectJoins = new JoinSet(`${child.prefix}s`);
    const filterJoins = new JoinSet(`${child.prefix}f`);
    // Rebuild the child's select with the parent key in front.
    const builder = new RecordBuilder(childDef);
    const expressions: string[] = [`${child.alias}.${q(relationship.field)}`, `${child.alias}."Id"`];
    const addColumn = (sql: string): number => expressions.push(sql) - 1;
    for (const item of child.expandFields(subquery.fields ?? [])) {
      if (item.type !== 'Field' && item.type !== 'FieldRelationship') throw malformed(this.soql, subquery.relationshipName, 'Only fields are supported in child subqueries');
      const raw = item.type === 'Field' ? item.field : (item.rawValue ?? [...item.relationships, item.field].join('.'));
      const resolved = child.resolve(raw);
      const levels = child.relationshipLevels(resolved, selectJoins).map((level) => ({
        name: level.name,
        idIndex: addColumn(level.idSql),
        typeIndex: level.typeSql === null ? null : addColumn(level.typeSql),
        staticType: level.staticType,
      }));
      builder.addField(levels, resolved.def, addColumn(child.column(resolved, selectJoins)));
    }
    const where = child.whereSql(filterJoins);
    const order = child.orderSql(filterJoins, (fn) => child.dateFunctionSql(fn, filterJoins).sql);
    const joins = `${selectJoins.sql()} ${filterJoins.sql()}`;
    return {
      key: relationship.relationshipName as string,
      sql: (n) =>
        `SELECT ${expressions.join(', ')} FROM ${q(childDef.name)} ${child.alias} ${joins} WHERE ${child.alias}.${q(relationship.field)} IN (${placeholders(n)}) AND ${where.sql}` +
        ` ORDER BY ${[...order, `${child.alias}."_seq"`].join(', ')}`,
      params: where.params,
      limit: subquery.limit,
      toRecord: (row, urlBase) => builder.build(row, urlBase, 1),
    };
  }

  private limitSql(): Expr {
    const { limit, offset } = this.query;
    if (limit === undefined && offset === undefined) return { sql: '', params: [] };
    return { sql: ' LIMIT ? OFFSET ?', params: [limit ?? -1, offset ?? 0] };
  }

  // ---------- WHERE ----------

  whereSql(joins: JoinSet): Expr {
    const parts: Expr[] = [];
    if (!this.env.queryAll) parts.push({ sql: `${this.alias}."IsDeleted" = 0`, params: [] });
    if (this.query.usingScope?.toLowerCase() === 'mine' && this.env.schema.field(this.root, 'OwnerId') !== undefined) {
      parts.push({ sql: `${this.alias}."OwnerId" = ?`, params: [this.env.userId] });
    }
    if (this.query.where !== undefined) {
      const tree = buildTree(this.soql, flattenWhere(this.query.where));
      parts.push(this.conditionTree(tree, joins));
    }
    if (parts.length === 0) return { sql: '1', params: [] };
    return { sql: parts.map((p) => `(${p.sql})`).join(' AND '), params: parts.flatMap((p) => p.params) };
  }

  private conditionTree(tree: Tree, joins: JoinSet, aggregateSql?: (fn: FunctionExp) => Expr): Expr {
    switch (tree.kind) {
      case 'not': {
        const inner = this.conditionTree(tree.arg, joins, aggregateSql);
        // NULL counts as false in SOQL, so NOT turns it into true.
        return { sql: `(${inner.sql}) IS NOT 1`, params: inner.params };
      }
      case 'and':
      case 'or': {
        const parts = tree.args.map((arg) => this.conditionTree(arg, joins, aggregateSql));
        return { sql: parts.map((p) => `(${p.sql})`).join(tree.kind === 'and' ? ' AND ' : ' OR '), params: parts.flatMap((p) => p.params) };
      }
      case 'cond':
        return this.condition(tree.cond, joins, aggregateSql);
    }
  }

  private condition(cond: Condition, joins: JoinSet, aggregateSql?: (fn: FunctionExp) => Expr): Expr {
    const operator = cond.operator.toUpperCase();
    if (operator === 'INCLUDES' || operator === 'EXCLUDES') throw malformed(this.soql, operator, `${operator} is not supported by the local org`);
    if (cond.fn !== undefined) {
      const fnName = (cond.fn.functionName ?? '').toUpperCase();
      const target = AGGREGATES.has(fnName) ? aggregateSql?.(cond.fn) : this.dateFunctionSql(cond.fn, joins);
      if (target === undefined) throw malformed(this.soql, fnName, `Aggregate functions are only allowed in HAVING: ${cond.fn.rawValue ?? fnName}`);
      const numeric: FieldDef = { ...TYPE_FIELD, name: cond.fn.rawValue ?? fnName, type: fnName === 'DAY_ONLY' ? 'date' : 'double' };
      const def = fnName === 'MIN' || fnName === 'MAX' || fnName === 'SUM' ? (this.aggregateArgDef(cond.fn) ?? numeric) : numeric;
      return this.comparison(target, def, operator, cond, cond.fn.rawValue ?? fnName);
    }
    const fieldName = cond.field as string;
    const resolved = this.resolve(fieldName);
    if (cond.valueQuery !== undefined) return this.semiJoin(resolved, joins, operator, cond.valueQuery, fieldName);
    if (!resolved.def.filterable) throw soqlError('INVALID_FIELD', this.soql, fieldName, `field '${resolved.def.name}' can not be filtered in a query call`);
    const column = { sql: this.column(resolved, joins), params: [] };
    return this.comparison(column, resolved.def, operator, cond, fieldName);
  }

  private aggregateArgDef(fn: FunctionExp): FieldDef | undefined {
    const arg = fn.parameters?.[0];
    return typeof arg === 'string' ? this.resolve(arg).def : undefined;
  }

  private semiJoin(resolved: Resolved, joins: JoinSet, operator: string, valueQuery: Query, token: string): Expr {
    if (operator !== 'IN' && operator !== 'NOT IN') throw malformed(this.soql, token, 'Semi join sub-selects are only allowed with IN and NOT IN');
    if (resolved.def.type !== 'id' && resolved.def.type !== 'reference') {
      throw malformed(this.soql, token, `Semi join sub-selects are only allowed on Id or reference fields, not ${resolved.path.join('.')}`);
    }
    const sub = new Compiler(this.soql, this.env, valueQuery, `${this.prefix}q${++subqueryCounter}_`);
    const fields = valueQuery.fields ?? [];
    const only = fields[0];
    if (fields.length !== 1 || only === undefined || (only.type !== 'Field' && only.type !== 'FieldRelationship')) {
      throw malformed(this.soql, valueQuery.sObject, 'The selected field in a semi join sub-select must be a single Id or reference field');
    }
    const subJoins = new JoinSet(`${sub.prefix}f`);
    const subResolved = sub.resolve(only.type === 'Field' ? only.field : (only.rawValue ?? only.field));
    if (subResolved.def.type !== 'id' && subResolved.def.type !== 'reference') {
      throw malformed(this.soql, only.type === 'Field' ? only.field : only.field, 'The selected field in a semi join sub-select must be an Id or reference field');
    }
    const subColumn = sub.column(subResolved, subJoins);
    const subWhere = sub.whereSql(subJoins);
    const subSql = `SELECT ${subColumn} FROM ${q(sub.root.name)} ${sub.alias} ${subJoins.sql()} WHERE ${subWhere.sql} AND ${subColumn} IS NOT NULL`;
    const column = this.column(resolved, joins);
    return operator === 'IN'
      ? { sql: `${column} IN (${subSql})`, params: subWhere.params }
      : { sql: `(${column} IS NULL OR ${column} NOT IN (${subSql}))`, params: subWhere.params };
  }

  private comparison(target: Expr, def: FieldDef, operator: string, cond: Condition, token: string): Expr {
    if (target.params.length > 0) throw new Error('filter targets carry no parameters');
    const values = Array.isArray(cond.value) ? cond.value : [cond.value as string];
    const types = Array.isArray(cond.literalType) ? cond.literalType : values.map(() => cond.literalType as string | undefined);
    const nValues = Array.isArray(cond.dateLiteralVariable) ? cond.dateLiteralVariable : values.map(() => cond.dateLiteralVariable as number | undefined);
    const col = target.sql;
    const literals = values.map((raw, i) => this.literal(def, types[i] ?? types[0], raw, nValues[i] ?? nValues[0], token, operator === 'LIKE'));
    if (operator === 'IN' || operator === 'NOT IN') {
      if (!Array.isArray(cond.value)) throw malformed(this.soql, token, `unexpected token: ${String(cond.value)}`);
      if (literals.some((l) => l.kind === 'range')) {
        const parts = literals.map((l) => this.rangeOrValue(col, l, '='));
        const sql = parts.map((p) => `(${p.sql})`).join(' OR ');
        return { sql: operator === 'IN' ? sql : `(${sql}) IS NOT 1`, params: parts.flatMap((p) => p.params) };
      }
      const scalars = literals.map((l) => (l.kind === 'value' ? l.value : null));
      const nonNull = scalars.filter((v) => v !== null);
      const hasNull = nonNull.length < scalars.length;
      if (operator === 'IN') {
        const inList = nonNull.length > 0 ? `${col} IN (${placeholders(nonNull.length)})` : '0';
        return { sql: hasNull ? `(${inList} OR ${col} IS NULL)` : inList, params: nonNull };
      }
      const notIn = nonNull.length > 0 ? `${col} NOT IN (${placeholders(nonNull.length)})` : '1';
      // NOT IN keeps nulls unless null itself is listed (SOQL null semantics).
      return { sql: hasNull ? `(${col} IS NOT NULL AND ${notIn})` : `(${col} IS NULL OR ${notIn})`, params: nonNull };
    }
    if (Array.isArray(cond.value)) throw malformed(this.soql, token, `unexpected token: (`);
    const literal = literals[0] as Literal;
    if (operator === 'LIKE') {
      if (!isTextual(def)) throw filterError(this.soql, token, `invalid operator on ${def.type} field: LIKE`);
      if (literal.kind !== 'value' || typeof literal.value !== 'string') throw filterError(this.soql, token, 'LIKE requires a string value');
      return { sql: `${col} LIKE ? ESCAPE '\\'`, params: [literal.value] };
    }
    return this.rangeOrValue(col, literal, operator);
  }

  private rangeOrValue(col: string, literal: Literal, operator: string): Expr {
    if (literal.kind === 'range') {
      const [start, end] = literal.bounds;
      switch (operator) {
        case '=':
          return { sql: `(${col} >= ? AND ${col} < ?)`, params: [start, end] };
        case '!=':
          return { sql: `(${col} IS NULL OR ${col} < ? OR ${col} >= ?)`, params: [start, end] };
        case '<':
          return { sql: `${col} < ?`, params: [start] };
        case '<=':
          return { sql: `${col} < ?`, params: [end] };
        case '>':
          return { sql: `${col} >= ?`, params: [end] };
        case '>=':
          return { sql: `${col} >= ?`, params: [start] };
      }
      throw malformed(this.soql, operator, `unexpected token: ${operator}`);
    }
    const value = literal.value;
    if (value === null) {
      if (operator === '=') return { sql: `${col} IS NULL`, params: [] };
      if (operator === '!=') return { sql: `${col} IS NOT NULL`, params: [] };
      // Ordering against null matches nothing, as in Salesforce.
      return { sql: '0', params: [] };
    }
    switch (operator) {
      case '=':
        return { sql: `${col} = ?`, params: [value] };
      case '!=':
        return { sql: `${col} IS NOT ?`, params: [value] };
      case '<':
      case '<=':
      case '>':
      case '>=':
        return { sql: `${col} ${operator} ?`, params: [value] };
    }
    throw malformed(this.soql, operator, `unexpected token: ${operator}`);
  }

  private literal(def: FieldDef, literalType: string | undefined, raw: string, n: number | undefined, token: string, like: boolean): Literal {
    const type = (literalType ?? '').toUpperCase();
    const typeName = soqlTypeName(def);
    const quotedError = (): Error => filterError(this.soql, token, `value of filter criterion for field '${def.name}' must be of type ${typeName} and should not be enclosed in quotes`);
    if (type === 'NULL') return { kind: 'value', value: null };
    switch (def.type) {
      case 'boolean':
        if (type !== 'BOOLEAN') throw type === 'STRING' ? quotedError() : filterError(this.soql, token, `value of filter criterion for field '${def.name}' must be of type boolean`);
        return { kind: 'value', value: raw.toUpperCase() === 'TRUE' ? 1 : 0 };
      case 'int':
      case 'double':
      case 'currency':
      case 'percent':
        if (type !== 'INTEGER' && type !== 'DECIMAL') throw type === 'STRING' ? quotedError() : filterError(this.soql, token, `value of filter criterion for field '${def.name}' must be of type ${typeName}`);
        return { kind: 'value', value: Number(raw) };
      case 'date':
      case 'datetime': {
        if (type === 'DATE_LITERAL' || type === 'DATE_N_LITERAL') return this.dateRange(def, raw, n);
        if (type === 'STRING') throw quotedError();
        if (def.type === 'date' && type === 'DATE') return { kind: 'value', value: raw };
        if (def.type === 'datetime' && type === 'DATETIME') {
          const parsed = parseDateTime(raw);
          if (parsed === undefined) throw malformed(this.soql, raw, `line 1: invalid datetime: ${raw}`);
          return { kind: 'value', value: formatDateTime(parsed) };
        }
        throw filterError(this.soql, token, `value of filter criterion for field '${def.name}' must be of type ${typeName} and should not be enclosed in quotes`);
      }
      case 'id':
      case 'reference': {
        if (type !== 'STRING') throw filterError(this.soql, token, `value of filter criterion for field '${def.name}' must be of type id and should be enclosed in quotes`);
        const text = unescapeSoql(raw, false);
        if (like) return { kind: 'value', value: unescapeSoql(raw, true) };
        if (text === '') return { kind: 'value', value: null };
        const id = normalizeId(text);
        if (id === undefined) throw filterError(this.soql, token, `invalid ID field: ${text}`);
        return { kind: 'value', value: id };
      }
      default:
        if (type !== 'STRING') {
          throw filterError(this.soql, token, `value of filter criterion for field '${def.name}' must be of type string and should be enclosed in quotes`);
        }
        return { kind: 'value', value: emptyToNull(unescapeSoql(raw, like), like) };
    }
  }

  private dateRange(def: FieldDef, raw: string, n: number | undefined): Literal {
    const today = localDay(this.env.now, this.env.timeZone);
    const range = dateLiteralRange(raw, n, today);
    if (range === undefined) throw malformed(this.soql, raw.split(':')[0], `unexpected token: ${raw}`);
    if (def.type === 'date') return { kind: 'range', bounds: [dayText(range.start), dayText(range.end)] };
    return {
      kind: 'range',
      bounds: [formatDateTime(startOfDay(range.start, this.env.timeZone)), formatDateTime(startOfDay(range.end, this.env.timeZone))],
    };
  }

  dateFunctionSql(fn: FunctionExp, joins: JoinSet): Expr {
    const name = (fn.functionName ?? '').toUpperCase();
    if (!DATE_FUNCTIONS.has(name)) throw malformed(this.soql, fn.functionName, `${fn.functionName ?? 'function'}() is not supported by the local org`);
    const arg = fn.parameters?.[0];
    if (typeof arg !== 'string') throw malformed(this.soql, fn.functionName, `${name}() with convertTimezone() is not supported by the local org`);
    const resolved = this.resolve(arg);
    if (resolved.def.type !== 'date' && resolved.def.type !== 'datetime') {
      throw malformed(this.soql, arg, `${name}() requires a date or dateTime field, not ${resolved.path.join('.')}`);
    }
    const c = this.column(resolved, joins);
    const day = `substr(${c}, 1, 10)`;
    const sqlByName: Record<string, string> = {
      CALENDAR_YEAR: `CAST(substr(${c}, 1, 4) AS INTEGER)`,
      FISCAL_YEAR: `CAST(substr(${c}, 1, 4) AS INTEGER)`,
      CALENDAR_MONTH: `CAST(substr(${c}, 6, 2) AS INTEGER)`,
      FISCAL_MONTH: `CAST(substr(${c}, 6, 2) AS INTEGER)`,
      CALENDAR_QUARTER: `((CAST(substr(${c}, 6, 2) AS INTEGER) + 2) / 3)`,
      FISCAL_QUARTER: `((CAST(substr(${c}, 6, 2) AS INTEGER) + 2) / 3)`,
      DAY_IN_MONTH: `CAST(substr(${c}, 9, 2) AS INTEGER)`,
      DAY_IN_WEEK: `(CAST(strftime('%w', ${day}) AS INTEGER) + 1)`,
      DAY_IN_YEAR: `CAST(strftime('%j', ${day}) AS INTEGER)`,
      WEEK_IN_YEAR: `((CAST(strftime('%j', ${day}) AS INTEGER) - 1) / 7 + 1)`,
      WEEK_IN_MONTH: `((CAST(substr(${c}, 9, 2) AS INTEGER) - 1) / 7 + 1)`,
      HOUR_IN_DAY: `CAST(substr(${c}, 12, 2) AS INTEGER)`,
      DAY_ONLY: day,
    };
    if ((name === 'HOUR_IN_DAY' || name === 'DAY_ONLY') && resolved.def.type !== 'datetime') {
      throw malformed(this.soql, arg, `${name}() requires a dateTime field`);
    }
    return { sql: `CASE WHEN ${c} IS NULL THEN NULL ELSE ${sqlByName[name]} END`, params: [] };
  }

  // ---------- ORDER BY ----------

  orderSql(joins: JoinSet, fnSql: (fn: FunctionExp) => string): string[] {
    const clauses = this.query.orderBy === undefined ? [] : Array.isArray(this.query.orderBy) ? this.query.orderBy : [this.query.orderBy];
    return clauses.map((clause: OrderByClause) => {
      let sql: string;
      if ('fn' in clause && clause.fn !== undefined) {
        sql = fnSql(clause.fn);
      } else {
        const field = (clause as { field: string }).field;
        const resolved = this.resolve(field);
        if (!resolved.def.sortable) throw soqlError('INVALID_FIELD', this.soql, field, `field '${resolved.def.name}' can not be sorted in a query call`);
        sql = this.column(resolved, joins);
      }
      const direction = clause.order === 'DESC' ? 'DESC' : 'ASC';
      // SOQL sorts nulls first unless told otherwise (SOQL reference: ORDER BY).
      const nulls = clause.nulls === 'LAST' ? 'NULLS LAST' : 'NULLS FIRST';
      return `${sql} ${direction} ${nulls}`;
    });
  }

  // ---------- COUNT() ----------

  private compileCount(): CountPlan {
    if (this.query.groupBy !== undefined) throw malformed(this.soql, 'GROUP', 'COUNT() and GROUP BY can not be used together');
    const joins = new JoinSet(`${this.prefix}f`);
    const where = this.whereSql(joins);
    const limit = this.limitSql();
    const inner = `SELECT 1 FROM ${q(this.root.name)} ${this.alias} ${joins.sql()} WHERE ${where.sql}${limit.sql}`;
    return { kind: 'count', sobject: this.root, sql: `SELECT COUNT(*) FROM (${inner})`, params: [...where.params, ...limit.params] };
  }

  // ---------- aggregates ----------

  private compileAggregate(): AggregatePlan {
    const joins = new JoinSet(`${this.prefix}f`);
    const groupItems = this.query.groupBy === undefined ? [] : Array.isArray(this.query.groupBy) ? this.query.groupBy : [this.query.groupBy];
    const groups = groupItems.map((item: GroupByClause) => {
      if ('fn' in item && item.fn !== undefined) {
        const name = (item.fn.functionName ?? '').toUpperCase();
        if (name === 'ROLLUP' || name === 'CUBE') throw malformed(this.soql, name, `GROUP BY ${name} is not supported by the local org`);
        return { key: (item.fn.rawValue ?? name).toLowerCase().replace(/\s/g, ''), sql: this.dateFunctionSql(item.fn, joins).sql };
      }
      const field = (item as { field: string }).field;
      const resolved = this.resolve(field);
      if (!resolved.def.groupable) throw malformed(this.soql, field, `field '${resolved.def.name}' can not be grouped in a query call`);
      return { key: resolved.path.join('.').toLowerCase(), sql: this.column(resolved, joins) };
    });
    const expressions: string[] = [];
    const outputs: Array<{ key: string; kind: 'count' | 'number' | 'field'; def: FieldDef | null }> = [];
    const aggregateExpr = (fn: FunctionExp): Expr => {
      const name = (fn.functionName ?? '').toUpperCase();
      const arg = fn.parameters?.[0];
      if (typeof arg !== 'string') throw malformed(this.soql, fn.functionName, `${name}() needs a field`);
      const resolved = this.resolve(arg);
      const col = this.column(resolved, joins);
      const numeric = ['int', 'double', 'currency', 'percent'].includes(resolved.def.type);
      if ((name === 'SUM' || name === 'AVG') && !numeric) {
        throw malformed(this.soql, arg, `field ${resolved.path.join('.')} does not support aggregate operator ${name}`);
      }
      if ((name === 'MIN' || name === 'MAX') && resolved.def.type === 'boolean') {
        throw malformed(this.soql, arg, `field ${resolved.path.join('.')} does not support aggregate operator ${name}`);
      }
      const sql = name === 'COUNT_DISTINCT' ? `COUNT(DISTINCT ${col})` : `${name}(${col})`;
      return { sql, params: [] };
    };
    let exprIndex = 0;
    for (const item of this.query.fields ?? []) {
      if (item.type === 'FieldFunctionExpression') {
        const name = item.functionName.toUpperCase();
        const key = item.alias ?? `expr${exprIndex++}`;
        if (AGGREGATES.has(name)) {
          expressions.push(aggregateExpr(item).sql);
          const argDef = typeof item.parameters[0] === 'string' ? this.resolve(item.parameters[0]).def : null;
          outputs.push({ key, kind: name === 'COUNT' || name === 'COUNT_DISTINCT' ? 'count' : name === 'AVG' ? 'number' : 'field', def: argDef });
        } else if (DATE_FUNCTIONS.has(name)) {
          const fnKey = item.rawValue?.toLowerCase().replace(/\s/g, '') ?? '';
          const group = groups.find((g) => g.key === fnKey);
          if (group === undefined) throw malformed(this.soql, item.functionName, `${item.rawValue ?? name} must be grouped: add it to GROUP BY`);
          expressions.push(group.sql);
          outputs.push({ key, kind: name === 'DAY_ONLY' ? 'field' : 'count', def: name === 'DAY_ONLY' ? { ...TYPE_FIELD, type: 'date' } : null });
        } else {
          throw malformed(this.soql, item.functionName, `${item.functionName}() is not supported by the local org`);
        }
        continue;
      }
      if (item.type === 'Field' || item.type === 'FieldRelationship') {
        const raw = item.type === 'Field' ? item.field : (item.rawValue ?? [...item.relationships, item.field].join('.'));
        const resolved = this.resolve(raw);
        const group = groups.find((g) => g.key === resolved.path.join('.').toLowerCase());
        if (group === undefined) throw malformed(this.soql, raw, `Field must be grouped or aggregated: ${resolved.path.join('.')}`);
        expressions.push(group.sql);
        outputs.push({ key: (item as { alias?: string }).alias ?? resolved.def.name, kind: 'field', def: resolved.def });
        continue;
      }
      throw malformed(this.soql, undefined, 'Only fields and aggregate functions can be selected in an aggregate query');
    }
    const where = this.whereSql(joins);
    let havingSql = '';
    let havingParams: SqlParam[] = [];
    if (this.query.having !== undefined) {
      const tree = buildTree(this.soql, flattenWhere(this.query.having as HavingClause as WhereClause));
      const having = this.conditionTree(tree, joins, aggregateExpr);
      havingSql = ` HAVING ${having.sql}`;
      havingParams = having.params;
    }
    const order = this.orderSql(joins, (fn) => {
      const name = (fn.functionName ?? '').toUpperCase();
      return AGGREGATES.has(name) ? aggregateExpr(fn).sql : this.dateFunctionSql(fn, joins).sql;
    });
    const limit = this.limitSql();
    const groupSql = groups.length > 0 ? ` GROUP BY ${groups.map((g) => g.sql).join(', ')}` : '';
    const orderSql = order.length > 0 ? ` ORDER BY ${order.join(', ')}` : '';
    const sql = `SELECT ${expressions.join(', ')} FROM ${q(this.root.name)} ${this.alias} ${joins.sql()} WHERE ${where.sql}${groupSql}${havingSql}${orderSql}${limit.sql}`;
    return {
      kind: 'aggregate',
      sobject: this.root,
      sql,
      params: [...where.params, ...havingParams, ...limit.params],
      columns: outputs.map((o) => o.key),
      hasLimit: this.query.limit !== undefined,
      toRecord: (row) => {
        const record: SObjectRecord = { attributes: { type: 'AggregateResult' } };
        outputs.forEach((output, i) => {
          const raw = row[i];
          if (output.kind === 'count') record[output.key] = raw === null || raw === undefined ? null : Number(raw);
          else if (output.kind === 'number') record[output.key] = raw === null || raw === undefined ? null : Number(raw);
          else record[output.key] = output.def === null ? (raw as string) : fromDb(output.def, raw);
        });
        return record;
      },
    };
  }
}

// ---------- WHERE tree ----------

interface Condition {
  field?: string;
  fn?: FunctionExp;
  operator: string;
  value?: string | string[];
  literalType?: string | string[];
  dateLiteralVariable?: number | number[];
  valueQuery?: Query;
}

type Token = { t: '(' } | { t: ')' } | { t: 'NOT' } | { t: 'AND' } | { t: 'OR' } | { t: 'cond'; cond: Condition };
type Tree = { kind: 'and' | 'or'; args: Tree[] } | { kind: 'not'; arg: Tree } | { kind: 'cond'; cond: Condition };

function flattenWhere(where: WhereClause): Token[] {
  const tokens: Token[] = [];
  let node: WhereClause | undefined = where;
  while (node !== undefined) {
    const left = node.left as (Condition & { openParen?: number; closeParen?: number }) | null;
    const operator = (node as { operator?: string }).operator;
    if (left === null || (left.field === undefined && left.fn === undefined)) {
      for (let i = 0; i < (left?.openParen ?? 0); i += 1) tokens.push({ t: '(' });
      if (operator === 'NOT') tokens.push({ t: 'NOT' });
      node = (node as { right?: WhereClause }).right;
      continue;
    }
    for (let i = 0; i < (left.openParen ?? 0); i += 1) tokens.push({ t: '(' });
    tokens.push({ t: 'cond', cond: left });
    for (let i = 0; i < (left.closeParen ?? 0); i += 1) tokens.push({ t: ')' });
    if (operator === 'AND' || operator === 'OR') tokens.push({ t: operator });
    else if (operator === 'NOT') tokens.push({ t: 'NOT' });
    node = (node as { right?: WhereClause }).right;
  }
  return tokens;
}

function buildTree(soql: string, tokens: Token[]): Tree {
  let pos = 0;
  const term = (): Tree => {
    const token = tokens[pos++];
    if (token === undefined) throw malformed(soql, undefined, 'unexpected end of WHERE clause');
    if (token.t === 'NOT') return { kind: 'not', arg: term() };
    if (token.t === '(') {
      const inner = expr();
      if (tokens[pos++]?.t !== ')') throw malformed(soql, undefined, 'unbalanced parentheses in WHERE clause');
      return inner;
    }
    if (token.t === 'cond') return { kind: 'cond', cond: token.cond };
    throw malformed(soql, token.t, `unexpected token: ${token.t}`);
  };
  const expr = (): Tree => {
    const first = term();
    const args = [first];
    let kind: 'and' | 'or' | undefined;
    while (tokens[pos]?.t === 'AND' || tokens[pos]?.t === 'OR') {
      const op = (tokens[pos++] as { t: 'AND' | 'OR' }).t;
      const next = op === 'AND' ? 'and' : 'or';
      // SOQL requires parentheses when AND and OR are mixed at one level.
      if (kind !== undefined && kind !== next) throw malformed(soql, op, `unexpected token: ${op}`);
      kind = next;
      args.push(term());
    }
    return kind === undefined ? first : { kind, args };
  };
  const tree = expr();
  if (pos !== tokens.length) throw malformed(soql, undefined, 'unbalanced parentheses in WHERE clause');
  return tree;
}

// ---------- values ----------

type Literal = { kind: 'value'; value: SqlParam } | { kind: 'range'; bounds: [string, string] };

function isTextual(def: FieldDef): boolean {
  return ['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'id', 'reference'].includes(def.type);
}

function soqlTypeName(def: FieldDef): string {
  return ({ datetime: 'dateTime', int: 'integer', currency: 'currency', percent: 'double', double: 'double' } as Record<string, string>)[def.type] ?? def.type;
}

/** SOQL string literal body: `\'` `\"` `\\` `\n` `\r` `\t` `\b` `\f`; `\%` `\_` stay escaped for LIKE. */
export function unescapeSoql(raw: string, like: boolean): string {
  const body = raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2 ? raw.slice(1, -1) : raw;
  return body.replace(/\\(.)/g, (_match, c: string) => {
    switch (c) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case '%':
      case '_':
        return like ? `\\${c}` : c;
      case '\\':
        return like ? '\\\\' : '\\';
      default:
        return c;
    }
  });
}

/** Salesforce stores '' as null, so `Field = ''` finds blanks. */
function emptyToNull(value: string, like: boolean): string | null {
  return value === '' && !like ? null : value;
}

function placeholders(n: number): string {
  return n <= 0 ? '' : `?${',?'.repeat(n - 1)}`;
}

// ---------- records ----------

type OutNode =
  | { kind: 'field'; key: string; index: number; def: FieldDef }
  | { kind: 'rel'; key: string; idIndex: number; typeIndex: number | null; staticType: string | null; children: OutNode[] }
  | { kind: 'child'; key: string; plan: number };

class RecordBuilder {
  private readonly nodes: OutNode[] = [];
  private readonly paths: string[] = [];

  constructor(private readonly root: SObjectDef) {}

  addField(levels: Array<{ name: string; idIndex: number; typeIndex: number | null; staticType: string | null }>, def: FieldDef, index: number): void {
    let list = this.nodes;
    for (const level of levels) {
      let rel = list.find((node): node is Extract<OutNode, { kind: 'rel' }> => node.kind === 'rel' && node.key === level.name);
      if (rel === undefined) {
        rel = { kind: 'rel', key: level.name, idIndex: level.idIndex, typeIndex: level.typeIndex, staticType: level.staticType, children: [] };
        list.push(rel);
      }
      list = rel.children;
    }
    list.push({ kind: 'field', key: def.name, index, def });
    this.paths.push([...levels.map((l) => l.name), def.name].join('.'));
  }

  addChild(relationshipName: string, plan: number): void {
    this.nodes.push({ kind: 'child', key: relationshipName, plan });
    this.paths.push(relationshipName);
  }

  columns(): string[] {
    return [...this.paths];
  }

  /** `row[idIndex]` holds the record id; child results are attached by the caller under their key. */
  build(row: unknown[], urlBase: string, idIndex: number): SObjectRecord {
    return this.object(this.nodes, row, urlBase, this.root.name, row[idIndex] as string);
  }

  private object(nodes: OutNode[], row: unknown[], urlBase: string, type: string, id: string): SObjectRecord {
    const record: SObjectRecord = { attributes: { type, url: `${urlBase}/sobjects/${type}/${id}` } };
    for (const node of nodes) {
      if (node.kind === 'field') {
        record[node.key] = fromDb(node.def, row[node.index]);
      } else if (node.kind === 'rel') {
        const relId = row[node.idIndex];
        const relType = node.staticType ?? (node.typeIndex === null ? null : (row[node.typeIndex] as string | null));
        record[node.key] = relId === null || relId === undefined || relType === null ? null : this.object(node.children, row, urlBase, relType, relId as string);
      } else {
        record[node.key] = null;
      }
    }
    return record;
  }
}
