/**
 * sObject Collections and Composite (REST API Developer Guide: "sObject Collections",
 * "Create Records Using sObject Collections", "Upsert Records Using sObject Collections",
 * "Delete Records Using sObject Collections", "Composite", "allOrNone Parameters in
 * Composite and Collections Requests").
 */
import type { Connection } from 'jsforce';
import { leads, startOrg, type TestOrg } from './harness';

let t: TestOrg;
let conn: Connection;

beforeAll(async () => {
  t = await startOrg();
  conn = await t.login();
});

afterAll(() => t.close());

const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
  const response = await t.http(`/services/data/v62.0${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, body: response.status === 204 ? undefined : await response.json() };
};

const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

describe('collections with partial failure', () => {
  it('allOrNone=false saves the valid records and reports each failure in order', async () => {
    const records = leads(200).map((record, i) => ({ attributes: { type: 'Lead' }, ...record, ...(i % 50 === 7 ? { Company: null } : {}) }));
    const { status, body } = await call('POST', '/composite/sobjects', { allOrNone: false, records });
    expect(status).toBe(200);
    const results = body as Array<{ id: string | null; success: boolean; errors: unknown[] }>;
    expect(results).toHaveLength(200);
    expect(results.filter((r) => !r.success).map((_, i) => i)).toHaveLength(4);
    expect(results[7]).toEqual({ id: null, success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Company]', fields: ['Company'] }] });
    expect(results[8]).toEqual({ id: expect.stringMatching(/^00Q/), success: true, errors: [] });
    expect((await conn.query("SELECT COUNT() FROM Lead WHERE LastName LIKE 'Lead %'")).totalSize).toBe(196);
  });

  it('allOrNone=true rolls every record back; the valid ones report ALL_OR_NONE_OPERATION_ROLLED_BACK', async () => {
    const before = (await conn.query('SELECT COUNT() FROM Account')).totalSize;
    const { body } = await call('POST', '/composite/sobjects', {
      allOrNone: true,
      records: [
        { attributes: { type: 'Account' }, Name: 'Kept?' },
        { attributes: { type: 'Account' }, Type: 'Prospect' },
        { attributes: { type: 'Contact' }, LastName: 'Kept?' },
      ],
    });
    expect(body).toEqual([
      { id: null, success: false, errors: [ROLLED_BACK] },
      { id: null, success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'] }] },
      { id: null, success: false, errors: [ROLLED_BACK] },
    ]);
    expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(before);
    expect((await conn.query("SELECT COUNT() FROM Contact WHERE LastName = 'Kept?'")).totalSize).toBe(0);
  });

  it('jsforce creates, updates and deletes arrays through collections', async () => {
    const created = await conn.sobject('Account').create([{ Name: 'A1' }, { Name: 'A2' }], { allOrNone: true });
    expect(created.every((r) => r.success)).toBe(true);
    const ids = created.map((r) => r.id as string);
    const updated = await conn.sobject('Account').update(ids.map((Id) => ({ Id, Industry: 'Banking' })));
    expect(updated.every((r) => r.success)).toBe(true);
    expect((await conn.query("SELECT COUNT() FROM Account WHERE Industry = 'Banking'")).totalSize).toBe(2);
    const deleted = await conn.sobject('Account').destroy(ids);
    expect(deleted.map((r) => r.success)).toEqual([true, true]);
  });

  it('updates report per-record errors for bad ids', async () => {
    const account = await conn.sobject('Account').create({ Name: 'Upd' });
    const { body } = await call('PATCH', '/composite/sobjects', {
      records: [
        { attributes: { type: 'Account' }, Id: account.id, Name: 'Upd 2' },
        { attributes: { type: 'Account' }, Id: 'garbage', Name: 'x' },
        { attributes: { type: 'Account' }, Name: 'no id' },
      ],
    });
    expect(body).toEqual([
      { id: account.id, success: true, errors: [] },
      { id: null, success: false, errors: [{ statusCode: 'MALFORMED_ID', message: 'malformed id garbage', fields: ['Id'] }] },
      { id: null, success: false, errors: [{ statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: ['Id'] }] },
    ]);
  });

  it('rejects more than 200 records and unknown fields for the whole request', async () => {
    const tooMany = await call('POST', '/composite/sobjects', { records: leads(201).map((r) => ({ attributes: { type: 'Lead' }, ...r })) });
    expect(tooMany.status).toBe(400);
    expect((tooMany.body as Array<{ errorCode: string }>)[0]?.errorCode).toBe('EXCEEDED_ID_LIMIT');
    const unknown = await call('POST', '/composite/sobjects', { records: [{ attributes: { type: 'Lead' }, LastName: 'x', Colour__c: 'red' }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual([{ message: "No such column 'Colour__c' on sobject of type Lead", errorCode: 'INVALID_FIELD' }]);
  });

  it('upserts a collection by external id with created flags', async () => {
    await conn.sobject('Station__c').create({ Key__c: 'EXISTING', Name: 'Old' });
    const { body } = await call('PATCH', '/composite/sobjects/Station__c/Key__c', {
      allOrNone: false,
      records: [
        { attributes: { type: 'Station__c' }, Key__c: 'EXISTING', Name: 'New' },
        { attributes: { type: 'Station__c' }, Key__c: 'FRESH', Name: 'Fresh' },
        { attributes: { type: 'Station__c' }, Name: 'No key' },
      ],
    });
    const results = body as Array<{ success: boolean; created?: boolean; errors: Array<{ statusCode: string }> }>;
    expect(results.map((r) => [r.success, r.created])).toEqual([
      [true, false],
      [true, true],
      [false, undefined],
    ]);
    expect(results[2]?.errors[0]?.statusCode).toBe('REQUIRED_FIELD_MISSING');
    const names = await conn.query("SELECT Key__c, Name FROM Station__c WHERE Key__c IN ('EXISTING', 'FRESH') ORDER BY Key__c");
    expect(names.records.map((r) => r.Name)).toEqual(['New', 'Fresh']);
  });

  it('retrieves records by ids with the listed fields, null for unknown ids', async () => {
    const created = await conn.sobject('Account').create([{ Name: 'R1' }, { Name: 'R2' }]);
    const ids = created.map((r) => r.id as string);
    const { body } = await call('GET', `/composite/sobjects/Account?ids=${ids.join(',')},${ids[0]?.replace(/.{6}$/, '000000')}&fields=Name`);
    const records = body as Array<{ Name: string } | null>;
    expect(records.slice(0, 2).map((r) => r?.Name)).toEqual(['R1', 'R2']);
    expect(records[2]).toBeNull();
  });

  it('deletes by ids with allOrNone=false and reports the unknown ones', async () => {
    const created = await conn.sobject('Account').create({ Name: 'Del' });
    const { body } = await call('DELETE', `/composite/sobjects?ids=${created.id},001xyz&allOrNone=false`);
    expect(body).toEqual([
      { id: created.id, success: true, errors: [] },
      { id: null, success: false, errors: [{ statusCode: 'MALFORMED_ID', message: 'malformed id 001xyz', fields: [] }] },
    ]);
  });
});

describe('composite', () => {
  it('chains subrequests with @{referenceId.field} references', async () => {
    const { status, body } = await call('POST', '/composite', {
      compositeRequest: [
        { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'refAccount', body: { Name: 'Composite Co' } },
        { method: 'POST', url: '/services/data/v62.0/sobjects/Contact', referenceId: 'refContact', body: { LastName: 'Chain', AccountId: '@{refAccount.id}' } },
        { method: 'GET', url: '/services/data/v62.0/query?q=SELECT+Id,Name,Account.Name+FROM+Contact+WHERE+Id+=+\'@{refContact.id}\'', referenceId: 'refQuery' },
        { method: 'GET', url: '/services/data/v62.0/sobjects/Contact/@{refQuery.records[0].Id}?fields=LastName', referenceId: 'refRead' },
      ],
    });
    expect(status).toBe(200);
    const responses = (body as { compositeResponse: Array<{ httpStatusCode: number; referenceId: string; body: Record<string, unknown>; httpHeaders: Record<string, string> }> }).compositeResponse;
    expect(responses.map((r) => [r.httpStatusCode, r.httpStatusCode >= 400 ? r.body : null])).toEqual([[201, null], [201, null], [200, null], [200, null]]);
    expect(responses[0]?.httpHeaders.Location).toBe(`/services/data/v62.0/sobjects/Account/${responses[0]?.body.id}`);
    expect(responses[2]?.body).toMatchObject({ totalSize: 1, records: [{ Name: 'Chain', Account: { Name: 'Composite Co' } }] });
    expect(responses[3]?.body).toMatchObject({ LastName: 'Chain' });
  });

  it('with allOrNone rolls everything back and halts the other subrequests', async () => {
    const { body } = await call('POST', '/composite', {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'ok', body: { Name: 'Rolled Back Co' } },
        { method: 'POST', url: '/services/data/v62.0/sobjects/Contact', referenceId: 'bad', body: { AccountId: '@{ok.id}' } },
        { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'later', body: { Name: 'Never' } },
      ],
    });
    const responses = (body as { compositeResponse: Array<{ httpStatusCode: number; referenceId: string; body: Array<{ errorCode: string }> }> }).compositeResponse;
    expect(responses.map((r) => [r.referenceId, r.httpStatusCode, r.body[0]?.errorCode])).toEqual([
      ['ok', 400, 'PROCESSING_HALTED'],
      ['bad', 400, 'REQUIRED_FIELD_MISSING'],
      ['later', 400, 'PROCESSING_HALTED'],
    ]);
    expect((await conn.query("SELECT COUNT() FROM Account WHERE Name IN ('Rolled Back Co', 'Never')")).totalSize).toBe(0);
  });

  it('without allOrNone keeps earlier work and halts only what depends on a failure', async () => {
    const { body } = await call('POST', '/composite', {
      compositeRequest: [
        { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'fails', body: {} },
        { method: 'POST', url: '/services/data/v62.0/sobjects/Contact', referenceId: 'depends', body: { LastName: 'D', AccountId: '@{fails.id}' } },
        { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'independent', body: { Name: 'Independent Co' } },
      ],
    });
    const responses = (body as { compositeResponse: Array<{ httpStatusCode: number; body: unknown }> }).compositeResponse;
    expect(responses.map((r) => r.httpStatusCode)).toEqual([400, 400, 201]);
    expect((responses[1]?.body as Array<{ errorCode: string }>)[0]?.errorCode).toBe('PROCESSING_HALTED');
  });
});
