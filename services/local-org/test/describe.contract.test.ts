/**
 * Versions, resources, limits and describe (REST API Developer Guide: "Versions",
 * "Resources by Version", "Limits", "Describe Global", "sObject Basic Information",
 * "sObject Describe").
 */
import type { Connection } from 'jsforce';
import { startOrg, type TestOrg } from './harness';

let t: TestOrg;
let conn: Connection;

beforeAll(async () => {
  t = await startOrg({ apiVersion: '62.0' });
  conn = await t.login();
});

afterAll(() => t.close());

describe('versions and resources', () => {
  it('lists API versions without a session, newest last', async () => {
    const response = await fetch(`${t.url}/services/data`);
    const versions = (await response.json()) as Array<{ version: string; url: string; label: string }>;
    expect(versions.at(-1)).toEqual({ label: "Winter '25", url: '/services/data/v62.0', version: '62.0' });
    expect(versions.map((v) => v.version)).toContain('31.0');
  });

  it('lists the resources of a version and 404s an unknown version', async () => {
    const resources = (await (await t.http('/services/data/v62.0')).json()) as Record<string, string>;
    expect(resources).toMatchObject({ sobjects: '/services/data/v62.0/sobjects', query: '/services/data/v62.0/query', composite: '/services/data/v62.0/composite', limits: '/services/data/v62.0/limits' });
    const unknown = await t.http('/services/data/v99.0/sobjects');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
  });

  it('reports DailyApiRequests in /limits', async () => {
    const limits = (await conn.request('/services/data/v62.0/limits')) as Record<string, { Max: number; Remaining: number }>;
    expect(limits.DailyApiRequests?.Max).toBe(100000);
    expect(limits.DailyApiRequests?.Remaining).toBeLessThan(100000);
    expect(limits.DataStorageMB?.Max).toBeGreaterThan(0);
  });
});

describe('describe', () => {
  it('describeGlobal lists standard, custom and platform-event objects with their key prefixes', async () => {
    const global = await conn.describeGlobal();
    const byName = new Map(global.sobjects.map((s) => [s.name, s]));
    expect(byName.get('Lead')?.keyPrefix).toBe('00Q');
    expect(byName.get('Account')?.keyPrefix).toBe('001');
    expect(byName.get('Opportunity')?.keyPrefix).toBe('006');
    expect(byName.get('Station__c')).toMatchObject({ custom: true, queryable: true, keyPrefix: expect.stringMatching(/^a[0-9A-Za-z]{2}$/) });
    expect(byName.get('Signal__e')).toMatchObject({ custom: true, queryable: false, keyPrefix: expect.stringMatching(/^e/) });
    expect(global.maxBatchSize).toBe(200);
  });

  it('describes standard fields, custom fields from force-app and global value set picklists', async () => {
    const lead = await conn.sobject('Lead').describe();
    const field = (name: string) => lead.fields.find((f) => f.name === name);
    expect(field('Id')).toMatchObject({ type: 'id', nillable: false, createable: false });
    expect(field('LastName')).toMatchObject({ type: 'string', length: 80, nillable: false, createable: true });
    expect(field('Name')).toMatchObject({ nameField: true, createable: false });
    expect(field('OwnerId')).toMatchObject({ type: 'reference', referenceTo: ['User'], relationshipName: 'Owner', defaultedOnCreate: true });
    expect(field('Bin__c')).toMatchObject({
      custom: true,
      type: 'picklist',
      restrictedPicklist: true,
      defaultValue: 'Cold',
      picklistValues: [
        { active: true, defaultValue: true, label: 'Cold', validFor: null, value: 'Cold' },
        { active: true, defaultValue: false, label: 'Working', validFor: null, value: 'Working' },
        { active: true, defaultValue: false, label: 'Avoid - Bad Fit', validFor: null, value: 'Avoid - Bad Fit' },
      ],
    });
    expect(field('Station__c')).toMatchObject({ type: 'reference', referenceTo: ['Station__c'], relationshipName: 'Station__r', soapType: 'tns:ID' });
    expect(field('Attempt_Count__c')).toMatchObject({ type: 'double', precision: 4, scale: 0 });
  });

  it('describes external ids, child relationships and derived fields', async () => {
    const station = await conn.sobject('Station__c').describe();
    expect(station.fields.find((f) => f.name === 'Key__c')).toMatchObject({ externalId: true, unique: true, idLookup: true, nillable: false });
    expect(station.childRelationships).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ childSObject: 'Lead', field: 'Station__c', relationshipName: 'Leads__r', cascadeDelete: false }),
        expect.objectContaining({ childSObject: 'Visit__c', field: 'Station__c', relationshipName: 'Visits__r', cascadeDelete: true }),
      ]),
    );
    const opportunity = await conn.sobject('Opportunity').describe();
    expect(opportunity.fields.find((f) => f.name === 'IsWon')).toMatchObject({ type: 'boolean', createable: false, updateable: false });
    expect(opportunity.fields.find((f) => f.name === 'StageName')?.picklistValues?.map((p) => p.value)).toContain('Closed Won');
  });

  it('answers sObject basic information with recent items', async () => {
    await conn.sobject('Account').create({ Name: 'Recent Co' });
    const info = (await conn.request('/services/data/v62.0/sobjects/Account')) as { objectDescribe: { name: string }; recentItems: Array<{ Name: string }> };
    expect(info.objectDescribe.name).toBe('Account');
    expect(info.recentItems[0]?.Name).toBe('Recent Co');
  });
});
