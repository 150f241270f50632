/**
 * Store behaviour the APIs rely on: transactions, change events after commit (Change Data
 * Capture Developer Guide: "Change Event Header Fields"), bulk inserts with per-record
 * results, audit fields for loaders, and persistence across restarts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalOrg } from '../server';
import type { ChangeEvent } from '../store/types';
import { FIXTURE_FORCE_APP, leads, testClock } from './harness';

describe('store', () => {
  const clock = testClock();
  const org = createLocalOrg({ forceAppDir: FIXTURE_FORCE_APP, clock: clock.now });
  const store = org.store;
  const changes: ChangeEvent[] = [];
  org.events.on('change', (event) => changes.push(event));
  afterAll(() => org.close());
  beforeEach(() => {
    changes.length = 0;
  });

  it('emits CREATE, UPDATE and DELETE change events with the changed fields', () => {
    const created = store.insert('Lead', { LastName: 'Event', Company: 'Co', LeadSource: 'Web' });
    clock.advance(1000);
    store.update('Lead', created.id as string, { Status: 'Working - Contacted', Bin__c: 'Working' });
    store.delete(created.id as string);
    expect(changes.map((c) => c.changeType)).toEqual(['CREATE', 'UPDATE', 'DELETE']);
    expect(changes[0]).toMatchObject({ entityName: 'Lead', recordIds: [created.id], commitUser: store.adminUserId, fields: { LastName: 'Event', Bin__c: 'Cold' } });
    expect(changes[1]?.changedFields).toEqual(expect.arrayContaining(['Status', 'Bin__c', 'LastModifiedDate']));
    expect(changes[1]?.changedFields).not.toContain('LastName');
    expect(changes[1]?.fields).toMatchObject({ Status: 'Working - Contacted', Bin__c: 'Working' });
    expect(changes[1]?.commitTimestamp).toBe(clock.now().getTime());
  });

  it('emits nothing for a rolled-back transaction and delays events to the outer commit', () => {
    expect(() =>
      store.transaction(() => {
        store.insert('Account', { Name: 'Rolled back' });
        expect(changes).toHaveLength(0);
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(changes).toHaveLength(0);
    expect(store.query("SELECT COUNT() FROM Account WHERE Name = 'Rolled back'").totalSize).toBe(0);
    store.transaction(() => {
      store.insert('Account', { Name: 'Committed' });
      expect(changes).toHaveLength(0);
    });
    expect(changes).toHaveLength(1);
  });

  it('inserts many records in one transaction with per-record results and the REST error codes', () => {
    const input = leads(1000).map((record, i) => (i === 10 ? { ...record, Bin__c: 'Nope' } : record));
    const results = store.insertMany('Lead', input, { allOrNone: false, silent: true });
    expect(results.filter((r) => r.success)).toHaveLength(999);
    expect(results[10]?.errors[0]?.statusCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    expect(changes).toHaveLength(0);
    const rolledBack = store.insertMany('Lead', input, { allOrNone: true });
    expect(rolledBack.filter((r) => r.errors[0]?.statusCode === 'ALL_OR_NONE_OPERATION_ROLLED_BACK')).toHaveLength(999);
  });

  it('lets a loader set audit fields and write history at past times', () => {
    const created = store.insert(
      'Opportunity',
      { Name: 'Old deal', StageName: 'Prospecting', CloseDate: '2024-06-30', Amount: 100, CreatedDate: '2024-01-02T10:00:00Z' },
      { setAuditFields: true, now: new Date('2024-01-02T10:00:00Z') },
    );
    store.update('Opportunity', created.id as string, { StageName: 'Closed Lost' }, { now: new Date('2024-05-01T09:00:00Z') });
    const opp = store.get('Opportunity', created.id as string, ['CreatedDate', 'LastModifiedDate', 'IsClosed', 'IsWon']);
    expect(opp).toMatchObject({ CreatedDate: '2024-01-02T10:00:00.000+0000', LastModifiedDate: '2024-05-01T09:00:00.000+0000', IsClosed: true, IsWon: false });
    const history = store.query(`SELECT StageName, CreatedDate FROM OpportunityHistory WHERE OpportunityId = '${created.id}' ORDER BY CreatedDate`);
    expect(history.records.map((r) => [r.StageName, r.CreatedDate])).toEqual([
      ['Prospecting', '2024-01-02T10:00:00.000+0000'],
      ['Closed Lost', '2024-05-01T09:00:00.000+0000'],
    ]);
    const denied = store.insert('Account', { Name: 'x', CreatedDate: '2024-01-01T00:00:00Z' });
    expect(denied.errors[0]?.statusCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
  });

  it('streams a whole query lazily for Bulk API query jobs', () => {
    const stream = store.stream("SELECT Name, Owner.Name FROM Lead WHERE LastName LIKE 'Lead %' ORDER BY Name");
    expect(stream.columns).toEqual(['Name', 'Owner.Name']);
    expect(stream.totalSize).toBe(999);
    let count = 0;
    for (const record of stream.records) {
      if (count === 0) expect(record).toMatchObject({ Name: 'Lead 00000', Owner: { Name: 'Local Admin' } });
      count += 1;
    }
    expect(count).toBe(999);
  });
});

describe('persistence', () => {
  it('keeps records, ids and custom key prefixes across a restart of the data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'local-org-data-'));
    const first = createLocalOrg({ dataDir, forceAppDir: FIXTURE_FORCE_APP });
    const station = first.store.insert('Station__c', { Key__c: 'KEEP' });
    const prefix = first.schema.find('Station__c')?.keyPrefix;
    const orgId = first.store.orgId;
    await first.close();
    const second = createLocalOrg({ dataDir, forceAppDir: FIXTURE_FORCE_APP });
    try {
      expect(second.store.orgId).toBe(orgId);
      expect(second.schema.find('Station__c')?.keyPrefix).toBe(prefix);
      expect(second.store.get('Station__c', station.id as string, ['Key__c'])).toMatchObject({ Key__c: 'KEEP' });
      const next = second.store.insert('Station__c', { Key__c: 'NEXT' });
      expect(next.id).not.toBe(station.id);
    } finally {
      await second.close();
    }
  });
});

describe("the package's force-app", () => {
  it('loads every object, field, value set and validation rule without warnings', () => {
    const org = createLocalOrg({ forceAppDir: join(__dirname, '..', '..', '..', 'force-app') });
    try {
      expect(org.warnings).toEqual([]);
      for (const name of ['Station__c', 'Station_Rule__c', 'Disposition__c', 'Assignment__c', 'Queue_Entry__c', 'Engine_Job__c', 'Job_Run__c']) {
        expect(org.schema.find(name)).toBeDefined();
      }
      expect(org.schema.field(org.schema.find('Lead')!, 'Bin__c')?.picklistValues.map((v) => v.value)).toContain('Avoid - Duplicate');
    } finally {
      void org.close();
    }
  });
});
