/**
 * The UI API GraphQL schema of the org, generated from its sObjects the way Salesforce
 * generates it (GraphQL API Developer Guide: "Query Record Objects", "Field Value Types",
 * "Paginate Results", "Field Operators", "Order By Schema"):
 *
 * ```graphql
 * query { uiapi { query { Lead(where: Lead_Filter, orderBy: Lead_OrderBy, first: Int, after: String) {
 *   edges { node { Id  Name { value displayValue }  Owner { Name { value } } } cursor }
 *   pageInfo { hasNextPage hasPreviousPage startCursor endCursor }  totalCount  pageResultCount } } } }
 * ```
 *
 * Every record type implements `Record` (Id, ApiName, WeakEtag, DisplayValue); each field
 * is a value object (`StringValue`, `PicklistValue`, `DateValue`, ...) with `value` and
 * `displayValue`; each lookup adds its parent relationship. `first` defaults to 10 and
 * may be at most 2000. What the org does not serve (child relationships, `aggregate`,
 * `objectInfos`, mutations) is simply absent, so a query using it gets GraphQL's
 * validation error rather than a wrong answer.
 */
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLError,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  Kind,
  valueFromASTUntyped,
  type FieldNode,
  type GraphQLFieldConfigMap,
  type GraphQLInputFieldConfigMap,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { FieldDef, FieldType, OrgSchema, SObjectDef } from '../schema/types';
import type { SObjectRecord } from '../store/types';
import { cursorOf, GraphqlQueryError, offsetAfter, orderByToSoql, RANGE_KEYS, whereToSoql } from './translate';

export const DEFAULT_FIRST = 10;
export const MAX_FIRST = 2000;

/** What resolvers need from the request. */
export interface GraphqlContext {
  /** Runs SOQL for the session user; records are read lazily. */
  runQuery(soql: string): { totalSize: number; records: IterableIterator<SObjectRecord>; close(): void };
  /** Variables as sent (GraphQL coercion reorders input objects; orderBy needs the written order). */
  rawVariables: Record<string, unknown>;
  /** The user's time zone, for date/time display values. */
  timeZone: string;
}

interface Box {
  value: unknown;
  displayValue: string | null;
  label?: string | null;
  format?: string | null;
}

function scalar(name: string, kind: 'string' | 'number', description: string): GraphQLScalarType {
  const accept = (value: unknown): unknown => {
    if (kind === 'number' ? typeof value === 'number' && Number.isFinite(value) : typeof value === 'string') return value;
    throw new TypeError(`${name} cannot represent ${JSON.stringify(value)}`);
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize: (value) => value,
    parseValue: accept,
    parseLiteral(ast: ValueNode) {
      if (kind === 'number' && (ast.kind === Kind.INT || ast.kind === Kind.FLOAT)) return Number(ast.value);
      if (kind === 'string' && ast.kind === Kind.STRING) return ast.value;
      throw new TypeError(`${name} cannot represent a ${ast.kind} literal`);
    },
  });
}

const SCALARS = {
  Date: scalar('Date', 'string', 'A date, yyyy-MM-dd.'),
  DateTime: scalar('DateTime', 'string', 'A date and time in UTC, ISO 8601.'),
  Time: scalar('Time', 'string', 'A time of day, HH:mm:ss.SSSZ.'),
  Long: scalar('Long', 'number', 'A 64-bit integer.'),
  Double: scalar('Double', 'number', 'A double-precision number.'),
  Currency: scalar('Currency', 'number', 'An amount of money.'),
  Percent: scalar('Percent', 'number', 'A percentage.'),
  Email: scalar('Email', 'string', 'An email address.'),
  PhoneNumber: scalar('PhoneNumber', 'string', 'A phone number.'),
  Url: scalar('Url', 'string', 'A URL.'),
  TextArea: scalar('TextArea', 'string', 'Text up to 255 characters with line breaks.'),
  LongTextArea: scalar('LongTextArea', 'string', 'Long text.'),
  Picklist: scalar('Picklist', 'string', 'A picklist value (API name).'),
  MultiPicklist: scalar('MultiPicklist', 'string', 'Semicolon-separated picklist values.'),
};

type ValueKind = keyof typeof VALUE_SPECS;

const VALUE_SPECS = {
  IDValue: { scalar: GraphQLID as GraphQLScalarType, label: false, format: false },
  StringValue: { scalar: GraphQLString as GraphQLScalarType, label: true, format: false },
  TextAreaValue: { scalar: SCALARS.TextArea, label: true, format: false },
  LongTextAreaValue: { scalar: SCALARS.LongTextArea, label: true, format: false },
  EmailValue: { scalar: SCALARS.Email, label: false, format: false },
  PhoneNumberValue: { scalar: SCALARS.PhoneNumber, label: false, format: false },
  UrlValue: { scalar: SCALARS.Url, label: false, format: false },
  PicklistValue: { scalar: SCALARS.Picklist, label: true, format: false },
  MultiPicklistValue: { scalar: SCALARS.MultiPicklist, label: true, format: false },
  BooleanValue: { scalar: GraphQLBoolean as GraphQLScalarType, label: false, format: false },
  IntValue: { scalar: GraphQLInt as GraphQLScalarType, label: false, format: true },
  DoubleValue: { scalar: SCALARS.Double, label: false, format: true },
  CurrencyValue: { scalar: SCALARS.Currency, label: false, format: true },
  PercentValue: { scalar: SCALARS.Percent, label: false, format: true },
  DateValue: { scalar: SCALARS.Date, label: false, format: true },
  DateTimeValue: { scalar: SCALARS.DateTime, label: false, format: true },
  TimeValue: { scalar: SCALARS.Time, label: false, format: true },
};

const VALUE_OF_FIELD: Record<FieldType, ValueKind> = {
  id: 'IDValue',
  reference: 'IDValue',
  string: 'StringValue',
  textarea: 'TextAreaValue',
  email: 'EmailValue',
  phone: 'PhoneNumberValue',
  url: 'UrlValue',
  picklist: 'PicklistValue',
  multipicklist: 'MultiPicklistValue',
  boolean: 'BooleanValue',
  int: 'IntValue',
  double: 'DoubleValue',
  currency: 'CurrencyValue',
  percent: 'PercentValue',
  date: 'DateValue',
  datetime: 'DateTimeValue',
  time: 'TimeValue',
};

const VALUE_TYPES = Object.fromEntries(
  Object.entries(VALUE_SPECS).map(([name, spec]) => {
    const fields: GraphQLFieldConfigMap<Box, GraphqlContext> = { value: { type: spec.scalar }, displayValue: { type: GraphQLString } };
    if (spec.label) fields.label = { type: GraphQLString };
    if (spec.format) fields.format = { type: GraphQLString };
    return [name, new GraphQLObjectType<Box, GraphqlContext>({ name, fields })];
  }),
) as Record<ValueKind, GraphQLObjectType>;

const RESULT_ORDER = new GraphQLEnumType({ name: 'ResultOrder', values: { ASC: { value: 'ASC' }, DESC: { value: 'DESC' } } });
const NULL_ORDER = new GraphQLEnumType({ name: 'NullOrder', values: { FIRST: { value: 'FIRST' }, LAST: { value: 'LAST' } } });
const ORDER_BY_CLAUSE = new GraphQLInputObjectType({ name: 'OrderByClause', fields: { order: { type: RESULT_ORDER }, nulls: { type: NULL_ORDER } } });

const DATE_LITERALS = [
  'YESTERDAY', 'TODAY', 'TOMORROW', 'LAST_WEEK', 'THIS_WEEK', 'NEXT_WEEK', 'LAST_MONTH', 'THIS_MONTH', 'NEXT_MONTH',
  'LAST_90_DAYS', 'NEXT_90_DAYS', 'LAST_QUARTER', 'THIS_QUARTER', 'NEXT_QUARTER', 'LAST_YEAR', 'THIS_YEAR', 'NEXT_YEAR',
  'LAST_FISCAL_QUARTER', 'THIS_FISCAL_QUARTER', 'NEXT_FISCAL_QUARTER', 'LAST_FISCAL_YEAR', 'THIS_FISCAL_YEAR', 'NEXT_FISCAL_YEAR',
];
const DATE_LITERAL = new GraphQLEnumType({ name: 'DateLiteral', values: Object.fromEntries(DATE_LITERALS.map((v) => [v, { value: v }])) });
const DATE_RANGE = new GraphQLInputObjectType({ name: 'DateRange', fields: Object.fromEntries(RANGE_KEYS.map((k) => [k, { type: GraphQLInt }])) });
const DATE_INPUT = new GraphQLInputObjectType({ name: 'DateInput', fields: { value: { type: SCALARS.Date }, literal: { type: DATE_LITERAL }, range: { type: DATE_RANGE } } });
const DATETIME_INPUT = new GraphQLInputObjectType({
  name: 'DateTimeInput',
  fields: { value: { type: SCALARS.DateTime }, literal: { type: DATE_LITERAL }, range: { type: DATE_RANGE } },
});

function operators(name: string, operand: GraphQLInputType, ops: { order: boolean; like: boolean; lists: boolean; includes?: boolean }): GraphQLInputObjectType {
  const fields: GraphQLInputFieldConfigMap = { eq: { type: operand }, ne: { type: operand } };
  if (ops.order) Object.assign(fields, { lt: { type: operand }, gt: { type: operand }, lte: { type: operand }, gte: { type: operand } });
  if (ops.like) fields.like = { type: operand };
  if (ops.lists) Object.assign(fields, { in: { type: new GraphQLList(operand) }, nin: { type: new GraphQLList(operand) } });
  if (ops.includes === true) Object.assign(fields, { includes: { type: new GraphQLList(operand) }, excludes: { type: new GraphQLList(operand) } });
  return new GraphQLInputObjectType({ name, fields });
}

const OPERATORS = {
  ID: operators('IDOperators', GraphQLID, { order: true, like: false, lists: true }),
  String: operators('StringOperators', GraphQLString, { order: true, like: true, lists: true }),
  Picklist: operators('PicklistOperators', SCALARS.Picklist, { order: true, like: true, lists: true }),
  MultiPicklist: operators('MultiPicklistOperators', SCALARS.MultiPicklist, { order: false, like: false, lists: false, includes: true }),
  Boolean: operators('BooleanOperators', GraphQLBoolean, { order: false, like: false, lists: false }),
  Integer: operators('IntegerOperators', GraphQLInt, { order: true, like: false, lists: true }),
  Double: operators('DoubleOperators', SCALARS.Double, { order: true, like: false, lists: true }),
  Currency: operators('CurrencyOperators', SCALARS.Currency, { order: true, like: false, lists: true }),
  Percent: operators('PercentOperators', SCALARS.Percent, { order: true, like: false, lists: true }),
  Date: operators('DateOperators', DATE_INPUT, { order: true, like: false, lists: true }),
  DateTime: operators('DateTimeOperators', DATETIME_INPUT, { order: true, like: false, lists: true }),
};

function operatorsOf(type: FieldType): GraphQLInputObjectType | undefined {
  switch (type) {
    case 'id':
    case 'reference':
      return OPERATORS.ID;
    case 'picklist':
      return OPERATORS.Picklist;
    case 'multipicklist':
      return OPERATORS.MultiPicklist;
    case 'boolean':
      return OPERATORS.Boolean;
    case 'int':
      return OPERATORS.Integer;
    case 'double':
      return OPERATORS.Double;
    case 'currency':
      return OPERATORS.Currency;
    case 'percent':
      return OPERATORS.Percent;
    case 'date':
      return OPERATORS.Date;
    case 'datetime':
      return OPERATORS.DateTime;
    case 'time':
      return undefined;
    default:
      return OPERATORS.String;
  }
}

const PAGE_INFO = new GraphQLObjectType({
  name: 'PageInfo',
  fields: {
    hasNextPage: { type: new GraphQLNonNull(GraphQLBoolean) },
    hasPreviousPage: { type: new GraphQLNonNull(GraphQLBoolean) },
    startCursor: { type: GraphQLString },
    endCursor: { type: GraphQLString },
  },
});

/** Builds the schema; `schema` supplies the objects, their fields and relationships. */
export function buildUiApiSchema(schema: OrgSchema): GraphQLSchema {
  const objects = [...schema.objects.values()].filter((o) => o.queryable && !o.isPlatformEvent);
  const recordTypes = new Map<string, GraphQLObjectType>();
  const filters = new Map<string, GraphQLInputObjectType>();
  const orderBys = new Map<string, GraphQLInputObjectType>();

  const recordInterface: GraphQLInterfaceType = new GraphQLInterfaceType({
    name: 'Record',
    fields: {
      Id: { type: new GraphQLNonNull(GraphQLID) },
      ApiName: { type: new GraphQLNonNull(GraphQLString) },
      WeakEtag: { type: new GraphQLNonNull(SCALARS.Long) },
      DisplayValue: { type: GraphQLString },
    },
    resolveType: (record: SObjectRecord) => record.attributes.type,
  });

  const parentOf = (field: FieldDef): SObjectDef | undefined => {
    if (field.type !== 'reference' || field.relationshipName === null || field.referenceTo.length !== 1) return undefined;
    const target = schema.find(field.referenceTo[0] ?? '');
    return target !== undefined && objects.includes(target) ? target : undefined;
  };

  for (const object of objects) {
    recordTypes.set(
      object.name,
      new GraphQLObjectType<SObjectRecord, GraphqlContext>({
        name: object.name,
        interfaces: [recordInterface],
        fields: () => recordFields(object),
      }),
    );
    filters.set(object.name, new GraphQLInputObjectType({ name: `${object.name}_Filter`, fields: () => filterFields(object) }));
    orderBys.set(object.name, new GraphQLInputObjectType({ name: `${object.name}_OrderBy`, fields: () => orderByFields(object) }));
  }

  function recordFields(object: SObjectDef): GraphQLFieldConfigMap<SObjectRecord, GraphqlContext> {
    const fields: GraphQLFieldConfigMap<SObjectRecord, GraphqlContext> = {
      Id: { type: new GraphQLNonNull(GraphQLID), resolve: (r) => r.Id },
      ApiName: { type: new GraphQLNonNull(GraphQLString), resolve: () => object.name },
      WeakEtag: { type: new GraphQLNonNull(SCALARS.Long), resolve: (r) => weakEtag(r) },
      DisplayValue: { type: GraphQLString, resolve: (r) => (object.nameField === null ? null : ((r[object.nameField] as string | null | undefined) ?? null)) },
    };
    for (const field of object.fields) {
      if (field.name === 'Id') continue;
      fields[field.name] = { type: VALUE_TYPES[VALUE_OF_FIELD[field.type]], resolve: (r, _args, ctx) => box(field, r[field.name], ctx.timeZone) };
      const parent = parentOf(field);
      if (parent !== undefined && field.relationshipName !== null && fields[field.relationshipName] === undefined) {
        const relationship = field.relationshipName;
        fields[relationship] = { type: recordTypes.get(parent.name) as GraphQLOutputType, resolve: (r) => (r[relationship] as SObjectRecord | null | undefined) ?? null };
      }
    }
    return fields;
  }

  function filterFields(object: SObjectDef): GraphQLInputFieldConfigMap {
    const self = filters.get(object.name) as GraphQLInputObjectType;
    const fields: GraphQLInputFieldConfigMap = { and: { type: new GraphQLList(self) }, or: { type: new GraphQLList(self) }, not: { type: self } };
    for (const field of object.fields) {
      const ops = field.filterable ? operatorsOf(field.type) : undefined;
      if (ops !== undefined) fields[field.name] = { type: ops };
      const parent = parentOf(field);
      if (parent !== undefined && field.relationshipName !== null) fields[field.relationshipName] = { type: filters.get(parent.name) as GraphQLInputObjectType };
    }
    return fields;
  }

  function orderByFields(object: SObjectDef): GraphQLInputFieldConfigMap {
    const fields: GraphQLInputFieldConfigMap = {};
    for (const field of object.fields) {
      if (field.sortable) fields[field.name] = { type: ORDER_BY_CLAUSE };
      const parent = parentOf(field);
      if (parent !== undefined && field.relationshipName !== null) fields[field.relationshipName] = { type: orderBys.get(parent.name) as GraphQLInputObjectType };
    }
    return fields;
  }

  const queryFields: GraphQLFieldConfigMap<unknown, GraphqlContext> = {};
  for (const object of objects) {
    const node = recordTypes.get(object.name) as GraphQLObjectType;
    const edge = new GraphQLObjectType({ name: `${object.name}Edge`, fields: { node: { type: node }, cursor: { type: new GraphQLNonNull(GraphQLString) } } });
    const connection = new GraphQLObjectType({
      name: `${object.name}Connection`,
      fields: {
        edges: { type: new GraphQLList(edge) },
        pageInfo: { type: new GraphQLNonNull(PAGE_INFO) },
        totalCount: { type: new GraphQLNonNull(GraphQLInt) },
        pageResultCount: { type: new GraphQLNonNull(GraphQLInt) },
      },
    });
    queryFields[object.name] = {
      type: connection,
      args: {
        first: { type: GraphQLInt },
        after: { type: GraphQLString },
        where: { type: filters.get(object.name) as GraphQLInputObjectType },
        orderBy: { type: orderBys.get(object.name) as GraphQLInputObjectType },
      },
      resolve: (_parent, args: ConnectionArgs, ctx, info) => resolveConnection(schema, object, args, ctx, info),
    };
  }

  const recordQuery = new GraphQLObjectType({ name: 'RecordQuery', fields: queryFields });
  const uiapi = new GraphQLObjectType({ name: 'UIAPI', fields: { query: { type: new GraphQLNonNull(recordQuery), resolve: () => ({}) } } });
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { uiapi: { type: new GraphQLNonNull(uiapi), resolve: () => ({}) } } }),
    types: [...recordTypes.values()],
  });
}

interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  where?: Record<string, unknown> | null;
  orderBy?: Record<string, unknown> | null;
}

interface Connection {
  edges: Array<{ node: SObjectRecord; cursor: string }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
  pageResultCount: number;
}

function resolveConnection(schema: OrgSchema, object: SObjectDef, args: ConnectionArgs, ctx: GraphqlContext, info: GraphQLResolveInfo): Connection {
  try {
    const first = args.first ?? DEFAULT_FIRST;
    if (!Number.isInteger(first) || first < 0 || first > MAX_FIRST) throw new GraphqlQueryError(`first must be between 0 and ${MAX_FIRST}, not ${first}.`);
    const offset = offsetAfter(args.after);
    const soql = buildSoql(schema, object, args.where, rawArgument(info, 'orderBy', ctx.rawVariables), info);
    const result = ctx.runQuery(soql);
    const records: SObjectRecord[] = [];
    try {
      let position = 0;
      for (const record of result.records) {
        if (position >= offset + first) break;
        if (position >= offset) records.push(record);
        position += 1;
      }
    } finally {
      result.close();
    }
    const edges = records.map((node, i) => ({ node, cursor: cursorOf(offset + i) }));
    return {
      edges,
      pageInfo: {
        hasNextPage: offset + records.length < result.totalSize,
        hasPreviousPage: offset > 0,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
      totalCount: result.totalSize,
      pageResultCount: records.length,
    };
  } catch (error) {
    throw toGraphqlError(error);
  }
}

/** The SOQL answering one connection field: the selected fields, filter and order, Id last for stable pages. */
export function buildSoql(schema: OrgSchema, object: SObjectDef, where: Record<string, unknown> | null | undefined, orderBy: Record<string, unknown> | null | undefined, info: GraphQLResolveInfo): string {
  const fields = new Set<string>(['Id']);
  for (const fieldNode of info.fieldNodes) {
    const nodeSelection = findPath(fieldNode.selectionSet, ['edges', 'node'], info);
    for (const selection of nodeSelection) collectFields(schema, object, selection, '', fields, info, 0);
  }
  const condition = whereToSoql(schema, object, where);
  const order = orderByToSoql(schema, object, orderBy);
  if (!order.some((term) => /^Id (ASC|DESC)/.test(term))) order.push('Id ASC');
  return `SELECT ${[...fields].join(', ')} FROM ${object.name}${condition === '' ? '' : ` WHERE ${condition}`} ORDER BY ${order.join(', ')}`;
}

/** Selection sets reached by following field names (through fragments) from a selection set. */
function findPath(selectionSet: SelectionSetNode | undefined, path: string[], info: GraphQLResolveInfo): SelectionSetNode[] {
  if (selectionSet === undefined) return [];
  if (path.length === 0) return [selectionSet];
  const [head, ...rest] = path;
  const found: SelectionSetNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD && selection.name.value === head) found.push(...findPath(selection.selectionSet, rest, info));
    else if (selection.kind === Kind.INLINE_FRAGMENT) found.push(...findPath(selection.selectionSet, path, info));
    else if (selection.kind === Kind.FRAGMENT_SPREAD) found.push(...findPath(info.fragments[selection.name.value]?.selectionSet, path, info));
  }
  return found;
}

const MAX_PARENT_DEPTH = 5;

function collectFields(schema: OrgSchema, object: SObjectDef, selectionSet: SelectionSetNode, prefix: string, out: Set<string>, info: GraphQLResolveInfo, depth: number): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      collectFields(schema, object, selection.selectionSet, prefix, out, info, depth);
      continue;
    }
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = info.fragments[selection.name.value];
      if (fragment !== undefined) collectFields(schema, object, fragment.selectionSet, prefix, out, info, depth);
      continue;
    }
    collectField(schema, object, selection, prefix, out, info, depth);
  }
}

function collectField(schema: OrgSchema, object: SObjectDef, selection: FieldNode, prefix: string, out: Set<string>, info: GraphQLResolveInfo, depth: number): void {
  const name = selection.name.value;
  if (name === '__typename' || name === 'ApiName') return;
  if (name === 'Id') out.add(`${prefix}Id`);
  else if (name === 'WeakEtag') out.add(`${prefix}SystemModstamp`);
  else if (name === 'DisplayValue') {
    if (object.nameField !== null) out.add(`${prefix}${object.nameField}`);
  } else if (object.fields.some((f) => f.name === name)) out.add(`${prefix}${name}`);
  else {
    const parentField = schema.relationship(object, name);
    const parent = parentField?.referenceTo[0] === undefined ? undefined : schema.find(parentField.referenceTo[0]);
    if (parent === undefined || selection.selectionSet === undefined) return;
    if (depth + 1 >= MAX_PARENT_DEPTH) throw new GraphqlQueryError(`Parent relationships can be followed at most ${MAX_PARENT_DEPTH} levels deep.`);
    out.add(`${prefix}${name}.Id`);
    collectFields(schema, parent, selection.selectionSet, `${prefix}${name}.`, out, info, depth + 1);
  }
}

/** An argument's value as written (input object keys keep their order), variables from the request body. */
function rawArgument(info: GraphQLResolveInfo, name: string, rawVariables: Record<string, unknown>): Record<string, unknown> | undefined {
  const node = info.fieldNodes[0]?.arguments?.find((arg) => arg.name.value === name);
  if (node === undefined) return undefined;
  const value = valueFromASTUntyped(node.value, rawVariables);
  return value === null || typeof value !== 'object' ? undefined : (value as Record<string, unknown>);
}

function weakEtag(record: SObjectRecord): number {
  const stamp = record.SystemModstamp;
  return typeof stamp === 'string' ? Date.parse(stamp.replace(/\+0000$/, 'Z')) : 0;
}

/** A field's value object, with Salesforce's display value for the kinds that have one. */
export function box(field: FieldDef, raw: unknown, timeZone: string): Box {
  const value = raw === undefined ? null : field.type === 'datetime' && typeof raw === 'string' ? raw.replace(/\+0000$/, 'Z') : raw;
  const spec = VALUE_SPECS[VALUE_OF_FIELD[field.type]];
  const result: Box = { value, displayValue: displayValue(field, value, timeZone) };
  if (spec.label) result.label = field.type === 'picklist' || field.type === 'multipicklist' ? result.displayValue : null;
  if (spec.format) result.format = null;
  return result;
}

const MONEY = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 18 });

function displayValue(field: FieldDef, value: unknown, timeZone: string): string | null {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case 'picklist':
      return field.picklistValues.find((p) => p.value === value)?.label ?? String(value);
    case 'multipicklist':
      return String(value)
        .split(';')
        .map((v) => field.picklistValues.find((p) => p.value === v)?.label ?? v)
        .join(';');
    case 'currency':
      return typeof value === 'number' ? MONEY.format(value) : null;
    case 'percent':
      return typeof value === 'number' ? `${NUMBER.format(value)}%` : null;
    case 'int':
    case 'double':
      return typeof value === 'number' ? NUMBER.format(value) : null;
    case 'date': {
      const [y, m, d] = String(value).split('-').map(Number);
      return y === undefined || m === undefined || d === undefined ? null : `${m}/${d}/${y}`;
    }
    case 'datetime': {
      const time = Date.parse(String(value));
      if (Number.isNaN(time)) return null;
      return new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(time);
    }
    default:
      return null;
  }
}

function toGraphqlError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const errorCode = typeof error === 'object' && error !== null && 'errorCode' in error ? String((error as { errorCode: unknown }).errorCode) : undefined;
  return new GraphQLError(message, {
    extensions: { classification: error instanceof GraphqlQueryError ? 'ValidationError' : 'DataFetchingException', ...(errorCode === undefined ? {} : { errorCode }) },
  });
}
