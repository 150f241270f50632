/**
 * sObject Collections (REST API Developer Guide: "sObject Collections"): create, update,
 * upsert and delete up to 200 records in one call with allOrNone semantics, and retrieve
 * records of one type by id. Results are SaveResults in request order; with allOrNone the
 * records that were fine report ALL_OR_NONE_OPERATION_ROLLED_BACK. Requests that cannot be
 * deserialized (not a list, more than 200 records, no type, unknown fields) fail as a whole.
 */
import { z } from 'zod';
import { SalesforceError, notFound } from '../errors';
import type { LocalOrgContext } from '../context';
import type { SObjectDef } from '../schema/types';
import type { SaveOperation } from '../store/store';
import type { SObjectInput } from '../store/types';
import { objectOf, writeOptions } from './sobjects';
import type { RestCall, RestDispatcher, RestResult } from './rest';

const MAX_RECORDS = 200;
const MAX_RETRIEVE = 2000;

export function addCollectionRoutes(rest: RestDispatcher): void {
  rest
    .add('POST', /^\/composite\/sobjects\/?$/, (ctx, call) => save(ctx, call, 'insert'))
    .add('PATCH', /^\/composite\/sobjects\/?$/, (ctx, call) => save(ctx, call, 'update'))
    .add('DELETE', /^\/composite\/sobjects\/?$/, remove)
    .add('GET', /^\/composite\/sobjects\/([^/]+)\/?$/, (ctx, call, [name]) =>
      retrieve(ctx, call, name as string, splitList(call.query.get('ids')), splitList(call.query.get('fields'))),
    )
    .add('POST', /^\/composite\/sobjects\/([^/]+)\/?$/, (ctx, call, [name]) => {
      const body = (call.body ?? {}) as { ids?: unknown; fields?: unknown };
      return retrieve(ctx, call, name as string, stringList(body.ids), stringList(body.fields));
    })
    .add('PATCH', /^\/composite\/sobjects\/([^/]+)\/([^/]+)\/?$/, (ctx, call, [name, field]) => upsert(ctx, call, name as string, field as string));
}

function splitList(value: string | null): string[] {
  return value === null ? [] : value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

const collectionBodySchema = z.object({
  allOrNone: z.boolean().optional(),
  records: z.array(z.record(z.string(), z.unknown())),
});

type CollectionBody = { allOrNone: boolean; records: SObjectInput[] };

function parseBody(call: RestCall): CollectionBody {
  const records = (call.body as { records?: unknown } | undefined)?.records;
  if (Array.isArray(records) && records.length > MAX_RECORDS) {
    throw new SalesforceError('EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`, 400);
  }
  const parsed = collectionBodySchema.safeParse(call.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SalesforceError('JSON_PARSER_ERROR', `Cannot deserialize the request body: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`, 400);
  }
  return { allOrNone: parsed.data.allOrNone === true, records: parsed.data.records };
}

/** The type of a collection record, checked before anything is written. */
function typeOf(ctx: LocalOrgContext, record: SObjectInput): SObjectDef {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    throw new SalesforceError('JSON_PARSER_ERROR', 'Each record must be a JSON object', 400);
  }
  const type = (record.attributes as { type?: unknown } | undefined)?.type;
  if (typeof type !== 'string' || type === '') {
    throw new SalesforceError('INVALID_TYPE', 'No SObject Type defined in the attributes map of a record', 400);
  }
  const def = ctx.schema.find(type);
  if (def === undefined) {
    throw new SalesforceError('INVALID_TYPE', `sObject type '${type}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`, 400);
  }
  for (const key of Object.keys(record)) {
    if (key === 'attributes' || ctx.schema.field(def, key) !== undefined || ctx.schema.relationship(def, key) !== undefined) continue;
    throw new SalesforceError('INVALID_FIELD', `No such column '${key}' on sobject of type ${def.name}`, 400);
  }
  return def;
}

function save(ctx: LocalOrgContext, call: RestCall, kind: 'insert' | 'update'): RestResult {
  const { allOrNone, records } = parseBody(call);
  const operations: SaveOperation[] = records.map((record) => {
    const def = typeOf(ctx, record);
    return kind === 'insert' ? { kind, sobject: def.name, record } : { kind, sobject: def.name, record };
  });
  return { status: 200, body: ctx.store.saveMany(operations, writeOptions(ctx, call, { allOrNone })) };
}

function upsert(ctx: LocalOrgContext, call: RestCall, name: string, fieldName: string): RestResult {
  const def = objectOf(ctx, name);
  const field = ctx.schema.field(def, fieldName);
  if (field === undefined || !(field.externalId || field.idLookup)) {
    throw notFound(`Provided external ID field does not exist or is not accessible: ${fieldName}`);
  }
  const { allOrNone, records } = parseBody(call);
  const operations: SaveOperation[] = records.map((record) => {
    const recordDef = typeOf(ctx, record);
    if (recordDef.name !== def.name) {
      throw new SalesforceError('INVALID_TYPE', `Record of type ${recordDef.name} in an upsert of ${def.name}`, 400);
    }
    return { kind: 'upsert', sobject: def.name, externalIdField: field.name, record };
  });
  return { status: 200, body: ctx.store.saveMany(operations, writeOptions(ctx, call, { allOrNone })) };
}

function remove(ctx: LocalOrgContext, call: RestCall): RestResult {
  const ids = splitList(call.query.get('ids'));
  if (ids.length === 0) throw new SalesforceError('MISSING_ARGUMENT', 'ids parameter is required', 400);
  if (ids.length > MAX_RECORDS) {
    throw new SalesforceError('EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`, 400);
  }
  const allOrNone = call.query.get('allOrNone') === 'true';
  const operations: SaveOperation[] = ids.map((id) => ({ kind: 'delete', id }));
  return { status: 200, body: ctx.store.saveMany(operations, writeOptions(ctx, call, { allOrNone })) };
}

function retrieve(ctx: LocalOrgContext, call: RestCall, name: string, ids: string[], fields: string[]): RestResult {
  const def = objectOf(ctx, name);
  if (ids.length === 0) throw new SalesforceError('MISSING_ARGUMENT', 'ids parameter is required', 400);
  if (fields.length === 0) throw new SalesforceError('MISSING_ARGUMENT', 'fields parameter is required', 400);
  if (ids.length > MAX_RETRIEVE) throw new SalesforceError('EXCEEDED_ID_LIMIT', `cannot retrieve more than ${MAX_RETRIEVE} records`, 400);
  const records = ids.map((id) => {
    try {
      return ctx.store.get(def.name, id, fields, call.base);
    } catch (error) {
      if (error instanceof SalesforceError && error.errorCode === 'ENTITY_IS_DELETED') return null;
      throw error;
    }
  });
  return { status: 200, body: records };
}
