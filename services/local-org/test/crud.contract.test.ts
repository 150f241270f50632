/**
 * sObject CRUD, upsert by external id and the error bodies of failed writes, through
 * jsforce and raw HTTP (REST API Developer Guide: "Create a Record", "Get Field Values from
 * a Standard Object Record", "Update a Record", "Delete a Record", "Insert or Update
 * (Upsert) a Record Using an External ID", "Status Codes and Error Responses").
 */
import type { Connection } from 'jsforce';
import { makeId } from '../store/ids';
import { sfError, startOrg, type TestOrg } from './harness';

let t: TestOrg;
let conn: Connection;

beforeAll(async () => {
  t = await startOrg();
  conn = await t.login();
});

afterAll(() => t.close());

const post = (path: string, body: unknown, method = 'POST'): Promise<Response> =>
  t.http(`/services/data/v62.0${path}`, { method, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('create, read, update, delete', () => {
  it('creates a record: 201 with { id, success, errors } and an 18-character id of the object', async () => {
    const response = await post('/sobjects/Lead', { LastName: 'Ng', Company: 'Acme', LeadSource: 'Web' });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: string; success: boolean; errors: unknown[] };
    expect(body).toEqual({ id: expect.stringMatching(/^00Q[A-Za-z0-9]{15}$/), success: true, errors: [] });
  });

  it('reads all fields or the listed ones, with defaults and derived fields', async () => {
    const created = await conn.sobject('Lead').create({ FirstName: 'Ada', LastName: 'Lovelace', Company: 'Engines', LeadSource: 'Web' });
    const lead = await conn.sobject('Lead').retrieve(created.id as string);
    expect(lead).toMatchObject({ Name: 'Ada Lovelace', Status: 'Open - Not Contacted', Bin__c: 'Cold', IsConverted: false, IsDeleted: false });
    const some = await t.http(`/services/data/v62.0/sobjects/Lead/${created.id}?fields=Name,Company`);
    expect(await some.json()).toEqual({ attributes: { type: 'Lead', url: `/services/data/v62.0/sobjects/Lead/${created.id}` }, Name: 'Ada Lovelace', Company: 'Engines' });
  });

  it('updates with 204 and stamps LastModifiedDate', async () => {
    const created = await conn.sobject('Lead').create({ LastName: 'Hopper', Company: 'Navy', LeadSource: 'Web' });
    t.clock.advance(60_000);
    const response = await post(`/sobjects/Lead/${created.id}`, { Status: 'Working - Contacted' }, 'PATCH');
    expect(response.status).toBe(204);
    const lead = await conn.sobject('Lead').retrieve(created.id as string);
    expect(lead.Status).toBe('Working - Contacted');
    expect(lead.LastModifiedDate).not.toBe(lead.CreatedDate);
    expect(lead.LastModifiedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
  });

  it('deletes with 204; the record then reads as deleted', async () => {
    const created = await conn.sobject('Lead').create({ LastName: 'Temp', Company: 'Temp', LeadSource: 'Web' });
    expect((await t.http(`/services/data/v62.0/sobjects/Lead/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    const again = await t.http(`/services/data/v62.0/sobjects/Lead/${created.id}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual([{ message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED' }]);
  });

  it('answers 404 NOT_FOUND for an unknown record, object or external id field', async () => {
    const missing = await t.http(`/services/data/v62.0/sobjects/Lead/${makeId('00Q', 999999)}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    expect((await t.http('/services/data/v62.0/sobjects/Leed/describe')).status).toBe(404);
    const notAnId = await t.http('/services/data/v62.0/sobjects/Lead/xyz');
    expect(await notAnId.json()).toEqual([{ errorCode: 'NOT_FOUND', message: 'Provided external ID field does not exist or is not accessible: xyz' }]);
  });

  it('keeps the history of Opportunity stage, amount and close date in OpportunityHistory (Object Reference: OpportunityHistory)', async () => {
    const created = await conn.sobject('Opportunity').create({ Name: 'Big deal', StageName: 'Prospecting', CloseDate: '2026-06-30', Amount: 50000 });
    t.clock.advance(3_600_000);
    await conn.sobject('Opportunity').update({ Id: created.id as string, StageName: 'Closed Won' });
    await conn.sobject('Opportunity').update({ Id: created.id as string, Description: 'not tracked' });
    const opp = await conn.sobject('Opportunity').retrieve(created.id as string);
    expect(opp).toMatchObject({ IsClosed: true, IsWon: true, Probability: 100, ForecastCategoryName: 'Closed', ForecastCategory: 'Closed', ExpectedRevenue: 50000, FiscalYear: 2026, FiscalQuarter: 2 });
    const history = await conn.query(`SELECT StageName, Amount, Probability, ForecastCategory FROM OpportunityHistory WHERE OpportunityId = '${created.id}' ORDER BY CreatedDate`);
    expect(history.records.map((r) => [r.StageName, r.Probability, r.ForecastCategory])).toEqual([
      ['Prospecting', 10, 'Pipeline'],
      ['Closed Won', 100, 'Closed'],
    ]);
  });
});

describe('error bodies of failed writes', () => {
  const expectError = async (response: Response, status: number, errorCode: string, fields?: string[]): Promise<string> => {
    expect(response.status).toBe(status);
    const body = (await response.json()) as Array<{ errorCode: string; message: string; fields?: string[] }>;
    expect(body).toHaveLength(1);
    expect(body[0]?.errorCode).toBe(errorCode);
    if (fields !== undefined) expect(body[0]?.fields).toEqual(fields);
    return body[0]?.message ?? '';
  };

  it('REQUIRED_FIELD_MISSING names every missing field', async () => {
    const message = await expectError(await post('/sobjects/Lead', { FirstName: 'x', LeadSource: 'Web' }), 400, 'REQUIRED_FIELD_MISSING', ['LastName', 'Company']);
    expect(message).toBe('Required fields are missing: [LastName, Company]');
  });

  it('INVALID_FIELD for an unknown field, INVALID_FIELD_FOR_INSERT_UPDATE for a read-only one', async () => {
    const unknown = await expectError(await post('/sobjects/Lead', { LastName: 'x', Company: 'y', Colour__c: 'red' }), 400, 'INVALID_FIELD');
    expect(unknown).toBe("No such column 'Colour__c' on sobject of type Lead");
    await expectError(await post('/sobjects/Lead', { LastName: 'x', Company: 'y', LeadSource: 'Web', IsDeleted: true }), 400, 'INVALID_FIELD_FOR_INSERT_UPDATE', ['IsDeleted']);
  });

  it('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST for a value outside a global value set', async () => {
    const message = await expectError(await post('/sobjects/Lead', { LastName: 'x', Company: 'y', LeadSource: 'Web', Bin__c: 'Lukewarm' }), 400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', ['Bin__c']);
    expect(message).toBe('Bin: bad value for restricted picklist field: Lukewarm');
  });

  it('STRING_TOO_LONG past the field length', async () => {
    const message = await expectError(await post('/sobjects/Station__c', { Key__c: 'K'.repeat(41) }), 400, 'STRING_TOO_LONG', ['Key__c']);
    expect(message).toContain('(max length=40)');
  });

  it('DUPLICATE_VALUE on a unique external id, case-insensitively', async () => {
    const first = await conn.sobject('Station__c').create({ Name: 'Demo', Key__c: 'DEMO' });
    const message = await expectError(await post('/sobjects/Station__c', { Name: 'Demo 2', Key__c: 'demo' }), 400, 'DUPLICATE_VALUE', ['Key__c']);
    expect(message).toBe(`duplicate value found: Key__c duplicates value on record with id: ${first.id}`);
  });

  it('MALFORMED_ID, FIELD_INTEGRITY_EXCEPTION and INVALID_CROSS_REFERENCE_KEY for bad lookups', async () => {
    const base = { LastName: 'x', Company: 'y', LeadSource: 'Web' };
    await expectError(await post('/sobjects/Lead', { ...base, Station__c: 'not-an-id' }), 400, 'MALFORMED_ID', ['Station__c']);
    const lead = await conn.sobject('Lead').create(base);
    await expectError(await post('/sobjects/Lead', { ...base, Station__c: lead.id }), 400, 'FIELD_INTEGRITY_EXCEPTION', ['Station__c']);
    const station = await conn.sobject('Station__c').create({ Key__c: 'GONE' });
    await conn.sobject('Station__c').destroy(station.id as string);
    await expectError(await post('/sobjects/Lead', { ...base, Station__c: station.id }), 400, 'ENTITY_IS_DELETED', ['Station__c']);
    await expectError(await post('/sobjects/Lead', { ...base, Station__c: makeId(t.org.schema.find('Station__c')?.keyPrefix ?? 'a00', 999999) }), 400, 'INVALID_CROSS_REFERENCE_KEY', ['Station__c']);
  });

  it('JSON_PARSER_ERROR for a body that is not JSON or has a value of the wrong type', async () => {
    const message = await expectError(await post('/sobjects/Lead', '{"LastName": "x",'), 400, 'JSON_PARSER_ERROR');
    expect(message).toContain('at [line:1, column:18]');
    await expectError(await post('/sobjects/Lead', { LastName: 'x', Company: 'y', LeadSource: 'Web', Attempt_Count__c: 'many' }), 400, 'JSON_PARSER_ERROR', ['Attempt_Count__c']);
  });

  it('NUMBER_OUTSIDE_VALID_RANGE past the precision of a number field', async () => {
    await expectError(await post('/sobjects/Lead', { LastName: 'x', Company: 'y', LeadSource: 'Web', Attempt_Count__c: 12345 }), 400, 'NUMBER_OUTSIDE_VALID_RANGE', ['Attempt_Count__c']);
  });

  it('FIELD_CUSTOM_VALIDATION_EXCEPTION from an active validation rule in force-app', async () => {
    const message = await expectError(await post('/sobjects/Lead', { LastName: 'x', Company: 'y' }), 400, 'FIELD_CUSTOM_VALIDATION_EXCEPTION', ['LeadSource']);
    expect(message).toBe('Choose a Lead Source.');
    await expectError(await post('/sobjects/Station__c', { Key__c: 'SCORE', Score__c: 101 }), 400, 'FIELD_CUSTOM_VALIDATION_EXCEPTION', ['Score__c']);
  });

  it('jsforce surfaces the errorCode of a failed single create', async () => {
    const error = await sfError(conn.sobject('Lead').create({ LastName: 'x' }));
    expect(error.errorCode).toBe('REQUIRED_FIELD_MISSING');
  });
});

describe('upsert by external id (REST API: "Insert or Update (Upsert) a Record Using an External ID")', () => {
  it('creates with 201, updates with 200 and { created }', async () => {
    const created = await post('/sobjects/Station__c/Key__c/SDR_CALL', { Name: 'SDR calls' }, 'PATCH');
    expect(created.status).toBe(201);
    const createdBody = (await created.json()) as { id: string; created: boolean };
    expect(createdBody).toMatchObject({ success: true, errors: [], created: true });
    const updated = await post('/sobjects/Station__c/Key__c/SDR_CALL', { Name: 'SDR first calls' }, 'PATCH');
    expect(updated.status).toBe(200);
    expect(await updated.json()).toEqual({ id: createdBody.id, success: true, errors: [], created: false });
    const viaJsforce = await conn.sobject('Station__c').upsert({ Key__c: 'SDR_CALL', Score__c: 5 }, 'Key__c');
    expect(viaJsforce).toMatchObject({ id: createdBody.id, success: true, created: false });
  });

  it('answers 300 with the candidate URLs when a non-unique external id matches several records', async () => {
    await conn.sobject('Station__c').create([
      { Key__c: 'N1', Region__c: 'North' },
      { Key__c: 'N2', Region__c: 'North' },
    ]);
    const response = await post('/sobjects/Station__c/Region__c/North', { Score__c: 1 }, 'PATCH');
    expect(response.status).toBe(300);
    const urls = (await response.json()) as string[];
    expect(urls).toHaveLength(2);
    expect(urls[0]).toMatch(/^\/services\/data\/v62\.0\/sobjects\/Station__c\/[A-Za-z0-9]{18}$/);
  });

  it('404s for a field that is not an external id', async () => {
    const response = await post('/sobjects/Station__c/Score__c/1', { Name: 'x' }, 'PATCH');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual([{ errorCode: 'NOT_FOUND', message: 'Provided external ID field does not exist or is not accessible: Score__c' }]);
  });

  it('sets a lookup by the parent external id (relationship field in the body)', async () => {
    const created = await conn.sobject('Lead').create({ LastName: 'Ref', Company: 'Ref', LeadSource: 'Web', Station__r: { Key__c: 'SDR_CALL' } } as Record<string, unknown>);
    const lead = await conn.query(`SELECT Station__r.Key__c FROM Lead WHERE Id = '${created.id}'`);
    expect(lead.records[0]).toMatchObject({ Station__r: { Key__c: 'SDR_CALL' } });
  });
});

describe('custom object behaviour from force-app', () => {
  it('numbers auto-number names, cascades master-detail deletes and clears SetNull lookups', async () => {
    const station = await conn.sobject('Station__c').create({ Key__c: 'CASCADE' });
    const visit = await conn.sobject('Visit__c').create({ Station__c: station.id, Visited_On__c: '2026-03-01' });
    const lead = await conn.sobject('Lead').create({ LastName: 'L', Company: 'C', LeadSource: 'Web', Station__c: station.id });
    expect((await conn.sobject('Visit__c').retrieve(visit.id as string)).Name).toMatch(/^V-\d{4}$/);
    await conn.sobject('Station__c').destroy(station.id as string);
    expect((await conn.query(`SELECT COUNT() FROM Visit__c WHERE Id = '${visit.id}'`)).totalSize).toBe(0);
    expect((await conn.sobject('Lead').retrieve(lead.id as string)).Station__c).toBeNull();
  });

  it('publishes a platform event: 201 with OPERATION_ENQUEUED, nothing stored', async () => {
    const messages: unknown[] = [];
    t.org.events.on('platformEvent', (message) => messages.push(message));
    const response = await post('/sobjects/Signal__e', { Kind__c: 'RERANKED' });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: string; success: boolean; errors: Array<{ statusCode: string }> };
    expect(body.success).toBe(true);
    expect(body.errors[0]?.statusCode).toBe('OPERATION_ENQUEUED');
    expect(messages).toMatchObject([{ eventName: 'Signal__e', id: body.id, fields: { Kind__c: 'RERANKED' } }]);
  });
});

describe('activities, cases and campaign members (Object Reference: Event, Task, Case, CampaignMember)', () => {
  it('derives Event end and duration, and reads polymorphic Who and What', async () => {
    const lead = await conn.sobject('Lead').create({ FirstName: 'Pat', LastName: 'Who', Company: 'Poly', LeadSource: 'Web' });
    const account = await conn.sobject('Account').create({ Name: 'What Co' });
    const event = await conn.sobject('Event').create({ Subject: 'Demo', StartDateTime: '2026-03-20T15:00:00Z', DurationInMinutes: 45, WhoId: lead.id, WhatId: account.id });
    expect(event.success).toBe(true);
    const result = await conn.query(`SELECT EndDateTime, ActivityDate, Who.Name, Who.Type, What.Name FROM Event WHERE Id = '${event.id}'`);
    expect(result.records[0]).toMatchObject({
      EndDateTime: '2026-03-20T15:45:00.000+0000',
      ActivityDate: '2026-03-20',
      Who: { attributes: { type: 'Lead' }, Name: 'Pat Who', Type: 'Lead' },
      What: { attributes: { type: 'Account' }, Name: 'What Co' },
    });
    const missing = await post('/sobjects/Event', { Subject: 'No time' });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as Array<{ errorCode: string }>)[0]?.errorCode).toBe('REQUIRED_FIELD_MISSING');
  });

  it('closes Tasks and Cases from their status', async () => {
    const task = await conn.sobject('Task').create({ Subject: 'Call', Status: 'Completed' });
    expect(await conn.sobject('Task').retrieve(task.id as string)).toMatchObject({ IsClosed: true, Priority: 'Normal' });
    const kase = await conn.sobject('Case').create({ Subject: 'Broken' });
    const open = await conn.sobject('Case').retrieve(kase.id as string);
    expect(open).toMatchObject({ Status: 'New', IsClosed: false, ClosedDate: null, CaseNumber: expect.stringMatching(/^\d{8}$/) });
    await conn.sobject('Case').update({ Id: kase.id as string, Status: 'Closed' });
    expect(await conn.sobject('Case').retrieve(kase.id as string)).toMatchObject({ IsClosed: true, ClosedDate: expect.any(String) });
  });

  it('adds a lead to a campaign once', async () => {
    const campaign = await conn.sobject('Campaign').create({ Name: 'Spring webinar' });
    const lead = await conn.sobject('Lead').create({ LastName: 'Member', Company: 'M', LeadSource: 'Web' });
    const member = await conn.sobject('CampaignMember').create({ CampaignId: campaign.id, LeadId: lead.id, Status: 'Responded' });
    expect(await conn.sobject('CampaignMember').retrieve(member.id as string)).toMatchObject({ Type: 'Lead', HasResponded: true, LeadOrContactId: lead.id });
    const again = await post('/sobjects/CampaignMember', { CampaignId: campaign.id, LeadId: lead.id });
    expect(((await again.json()) as Array<{ errorCode: string }>)[0]?.errorCode).toBe('DUPLICATE_VALUE');
  });
});

describe('replication (REST API: "Get a List of Updated Records", "Get a List of Deleted Records")', () => {
  it('lists ids updated and deleted in a time window', async () => {
    const start = new Date(t.clock.now().getTime() - 60_000);
    const kept = await conn.sobject('Account').create({ Name: 'Replicated' });
    const gone = await conn.sobject('Account').create({ Name: 'Replicated and deleted' });
    await conn.sobject('Account').destroy(gone.id as string);
    t.clock.advance(120_000);
    const end = t.clock.now();
    const updated = await conn.sobject('Account').updated(start.toISOString(), end.toISOString());
    expect(updated.ids).toContain(kept.id);
    expect(updated.ids).not.toContain(gone.id);
    const deleted = await conn.sobject('Account').deleted(start.toISOString(), end.toISOString());
    expect(deleted.deletedRecords.map((r) => r.id)).toEqual([gone.id]);
  });
});
