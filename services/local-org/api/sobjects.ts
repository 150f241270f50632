/**
 * sObject resources (REST API Developer Guide): Describe Global (/sobjects), sObject Basic
 * Information (/sobjects/X), sObject Describe (/sobjects/X/describe), sObject Rows
 * (GET/PATCH/DELETE /sobjects/X/id), create (POST /sobjects/X) and sObject Rows by External
 * ID (GET/PATCH/DELETE /sobjects/X/Field/value, upsert).
 */
import { SalesforceError, notFound } from '../errors';
import type { LocalOrgContext } from '../context';
import { describeGlobal, describeSObject, globalEntry } from '../schema/describe';
import type { SObjectDef } from '../schema/types';
import type { SaveResult, SObjectInput, WriteOptions } from '../store/types';
import { isValidId, normalizeId } from '../store/ids';
import { formatDateTime, parseDateTime } from '../store/values';
import type { RestCall, RestDispatcher, RestResult } from './rest';

const NAME = '([^/]+)';

export function addSObjectRoutes(rest: RestDispatcher): void {
  rest
    .add('GET', /^\/sobjects\/?$/, (ctx, call) => ({ status: 200, body: describeGlobal(ctx.schema.objects.values(), call.base) }))
    .add('GET', new RegExp(`^/sobjects/${NAME}/describe/?$`), (ctx, call, [name]) => ({
      status: 200,
      body: describeSObject(objectOf(ctx, name), call.base),
    }))
    .add('GET', new RegExp(`^/sobjects/${NAME}/updated/?$`), (ctx, call, [name]) => changedSince(ctx, call, objectOf(ctx, name), 'updated'))
    .add('GET', new RegExp(`^/sobjects/${NAME}/deleted/?$`), (ctx, call, [name]) => changedSince(ctx, call, objectOf(ctx, name), 'deleted'))
    .add('GET', new RegExp(`^/sobjects/${NAME}/?$`), basicInfo)
    .add('POST', new RegExp(`^/sobjects/${NAME}/?$`), create)
    .add('GET', new RegExp(`^/sobjects/${NAME}/${NAME}/?$`), (ctx, call, [name, id]) => read(ctx, call, objectOf(ctx, name), id as string))
    .add('PATCH', new RegExp(`^/sobjects/${NAME}/${NAME}/?$`), (ctx, call, [name, id]) => updateById(ctx, call, objectOf(ctx, name), id as string))
    .add('DELETE', new RegExp(`^/sobjects/${NAME}/${NAME}/?$`), (ctx, call, [name, id]) => deleteById(ctx, call, objectOf(ctx, name), id as string))
    .add('GET', new RegExp(`^/sobjects/${NAME}/${NAME}/${NAME}/?$`), readByExternalId)
    .add('PATCH', new RegExp(`^/sobjects/${NAME}/${NAME}/${NAME}/?$`), upsertByExternalId)
    .add('DELETE', new RegExp(`^/sobjects/${NAME}/${NAME}/${NAME}/?$`), deleteByExternalId);
}

export function objectOf(ctx: LocalOrgContext, name: string | undefined): SObjectDef {
  const def = name === undefined ? undefined : ctx.schema.find(name);
  if (def === undefined) throw notFound();
  return def;
}

/** Options every REST write passes to the store: the session user and record-level faults. */
export function writeOptions(ctx: LocalOrgContext, call: RestCall, extra: WriteOptions = {}): WriteOptions {
  const options: WriteOptions = { userId: call.session.userId, ...extra };
  if (call.injectFaults) options.injectRecordError = ctx.faults.recordFaults(call.faultTarget.method, call.faultTarget.path);
  return options;
}

/** The REST status of a failed save: NOT_FOUND -> 404, everything else 400 (a deleted target record is caught before saving). */
export function failedSave(result: SaveResult): RestResult {
  const status = result.errors.some((error) => error.statusCode === 'NOT_FOUND') ? 404 : 400;
  return {
    status,
    body: result.errors.map((error) => ({ message: error.message, errorCode: error.statusCode, fields: error.fields })),
  };
}

function bodyObject(call: RestCall, def: SObjectDef): SObjectInput {
  const body = call.body;
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SalesforceError('JSON_PARSER_ERROR', `Cannot deserialize instance of ${def.name} from ${Array.isArray(body) ? 'START_ARRAY' : 'VALUE_STRING'} value or request may be missing a required field`, 400);
  }
  return body as SObjectInput;
}

function basicInfo(ctx: LocalOrgContext, call: RestCall, [name]: string[]): RestResult {
  const def = objectOf(ctx, name);
  const recent = def.queryable && !def.isPlatformEvent ? recentItems(ctx, call, def) : [];
  return { status: 200, body: { objectDescribe: globalEntry(def, call.base), recentItems: recent } };
}

function recentItems(ctx: LocalOrgContext, call: RestCall, def: SObjectDef): unknown[] {
  const nameField = def.nameField === null ? '' : `, ${def.nameField}`;
  const page = ctx.store.query(`SELECT Id${nameField} FROM ${def.name} ORDER BY LastModifiedDate DESC LIMIT 10`.replace('LastModifiedDate', def.fields.some((f) => f.name === 'LastModifiedDate') ? 'LastModifiedDate' : 'CreatedDate'), {
    userId: call.session.userId,
    urlBase: call.base,
  });
  return page.records;
}

/**
 * Get Updated / Get Deleted (REST API: "Get a List of Updated Records", "Get a List of
 * Deleted Records"): ids whose SystemModstamp falls in [start, end], at most 30 days apart.
 */
function changedSince(ctx: LocalOrgContext, call: RestCall, def: SObjectDef, which: 'updated' | 'deleted'): RestResult {
  const start = parseDateTime(call.query.get('start') ?? '');
  const end = parseDateTime(call.query.get('end') ?? '');
  if (start === undefined || end === undefined || end < start) {
    throw new SalesforceError('INVALID_REPLICATION_DATE', 'start and end must be dateTime values (ISO 8601) with start before end', 400);
  }
  if (end.getTime() - start.getTime() > 30 * 86_400_000) {
    throw new SalesforceError('INVALID_REPLICATION_DATE', 'the date range must not exceed 30 days', 400);
  }
  // Salesforce covers whole minutes: the end is truncated to the minute.
  const latest = new Date(Math.floor(end.getTime() / 60_000) * 60_000);
  const soql = `SELECT Id, SystemModstamp FROM ${def.name} WHERE SystemModstamp >= ${formatIso(start)} AND SystemModstamp < ${formatIso(latest)} AND IsDeleted = ${which === 'deleted'}`;
  const stream = ctx.store.stream(soql, { queryAll: which === 'deleted', userId: call.session.userId });
  const rows = [...stream.records];
  if (which === 'updated') {
    return { status: 200, body: { ids: rows.map((row) => row.Id), latestDateCovered: formatDateTime(latest) } };
  }
  return {
    status: 200,
    body: {
      deletedRecords: rows.map((row) => ({ id: row.Id, deletedDate: row.SystemModstamp })),
      earliestDateAvailable: formatDateTime(start),
      latestDateCovered: formatDateTime(latest),
    },
  };
}

function formatIso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function create(ctx: LocalOrgContext, call: RestCall, [name]: string[]): RestResult {
  const def = objectOf(ctx, name);
  const result = ctx.store.insert(def.name, bodyObject(call, def), writeOptions(ctx, call));
  if (!result.success) return failedSave(result);
  return { status: 201, body: result, headers: { Location: `${call.base}/sobjects/${def.name}/${result.id}` } };
}

function fieldList(call: RestCall): string[] | undefined {
  const fields = call.query.get('fields');
  return fields === null || fields.trim() === '' ? undefined : fields.split(',').map((f) => f.trim()).filter((f) => f !== '');
}

function read(ctx: LocalOrgContext, call: RestCall, def: SObjectDef, id: string): RestResult {
  if (!isValidId(id)) {
    // A segment that is not an id reads as an external id field name (sObject Rows by External ID).
    throw notFound(`Provided external ID field does not exist or is not accessible: ${id}`);
  }
  const record = ctx.store.get(def.name, id, fieldList(call), call.base);
  if (record === null) throw notFound();
  return { status: 200, body: record };
}

function updateById(ctx: LocalOrgContext, call: RestCall, def: SObjectDef, rawId: string): RestResult {
  const id = normalizeId(rawId);
  if (id === undefined) throw notFound(`Provided external ID field does not exist or is not accessible: ${rawId}`);
  if (ctx.store.get(def.name, id, ['Id']) === null) throw notFound();
  const result = ctx.store.update(def.name, id, bodyObject(call, def), writeOptions(ctx, call));
  return result.success ? { status: 204 } : failedSave(result);
}

function deleteById(ctx: LocalOrgContext, call: RestCall, def: SObjectDef, rawId: string): RestResult {
  const id = normalizeId(rawId);
  if (id === undefined) throw notFound(`Provided external ID field does not exist or is not accessible: ${rawId}`);
  if (ctx.store.get(def.name, id, ['Id']) === null) throw notFound();
  const result = ctx.store.saveMany([{ kind: 'delete', id, sobject: def.name }], writeOptions(ctx, call))[0] as SaveResult;
  return result.success ? { status: 204 } : failedSave(result);
}

function externalField(ctx: LocalOrgContext, def: SObjectDef, fieldName: string): string {
  const field = ctx.schema.field(def, fieldName);
  if (field === undefined || !(field.externalId || field.idLookup)) {
    throw notFound(`Provided external ID field does not exist or is not accessible: ${fieldName}`);
  }
  return field.name;
}

function matches(ctx: LocalOrgContext, def: SObjectDef, field: string, value: string): string[] {
  if (field === 'Id') {
    const id = normalizeId(value);
    return id !== undefined && ctx.store.get(def.name, id, ['Id']) !== null ? [id] : [];
  }
  return ctx.store.findIdsByField(def.name, field, value);
}

/** 300 Multiple Choices lists the URLs of the matching records (sObject Rows by External ID). */
function multipleChoices(call: RestCall, def: SObjectDef, ids: string[]): RestResult {
  return { status: 300, body: ids.map((id) => `${call.base}/sobjects/${def.name}/${id}`) };
}

function readByExternalId(ctx: LocalOrgContext, call: RestCall, [name, fieldName, value]: string[]): RestResult {
  const def = objectOf(ctx, name);
  const field = externalField(ctx, def, fieldName as string);
  const ids = matches(ctx, def, field, value as string);
  if (ids.length === 0) throw notFound();
  if (ids.length > 1) return multipleChoices(call, def, ids);
  return read(ctx, call, def, ids[0] as string);
}

function upsertByExternalId(ctx: LocalOrgContext, call: RestCall, [name, fieldName, value]: string[]): RestResult {
  const def = objectOf(ctx, name);
  const field = externalField(ctx, def, fieldName as string);
  const body = bodyObject(call, def);
  const inBody = Object.entries(body).find(([key]) => key.toLowerCase() === field.toLowerCase());
  if (inBody !== undefined && String(inBody[1]) !== value) {
    throw new SalesforceError('INVALID_FIELD', `The value of the external ID field ${field} in the request body doesn't match the value in the URL: ${value}`, 400, [field]);
  }
  const ids = matches(ctx, def, field, value as string);
  if (ids.length > 1) return multipleChoices(call, def, ids);
  const record = field === 'Id' ? { ...body, Id: value } : { ...body, [field]: value };
  const result = ctx.store.upsert(def.name, field, record, writeOptions(ctx, call));
  if (!result.success) return failedSave(result);
  // Since API 46.0 an update by external id answers 200 with the result, a create 201.
  return result.created === true
    ? { status: 201, body: result, headers: { Location: `${call.base}/sobjects/${def.name}/${result.id}` } }
    : { status: 200, body: result };
}

function deleteByExternalId(ctx: LocalOrgContext, call: RestCall, [name, fieldName, value]: string[]): RestResult {
  const def = objectOf(ctx, name);
  const field = externalField(ctx, def, fieldName as string);
  const ids = matches(ctx, def, field, value as string);
  if (ids.length === 0) throw notFound();
  if (ids.length > 1) return multipleChoices(call, def, ids);
  return deleteById(ctx, call, def, ids[0] as string);
}
