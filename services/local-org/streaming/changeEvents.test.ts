/**
 * Change event payloads, as Change Data Capture delivers them over CometD
 * (Change Data Capture Developer Guide: "Change Event Message Structure", "ChangeEventHeader
 * Fields", "Get Compound Fields in Change Events", "Change Event Body Fields").
 */
import { field, lookup, sobject, text } from '../schema/build';
import type { OrgSchema, SObjectDef } from '../schema/types';
import type { ChangeEvent } from '../store/types';
import { changeEventChannel, changeEventName, resolveChannel } from './channels';
import { ChangeEventBuilder } from './changeEvents';

function schemaOf(objects: SObjectDef[]): OrgSchema {
  const find = (name: string): SObjectDef | undefined => objects.find((o) => o.name.toLowerCase() === name.toLowerCase());
  return {
    objects: new Map(objects.map((o) => [o.name, o])),
    find,
    byKeyPrefix: (prefix) => objects.find((o) => o.keyPrefix === prefix),
    field: (object, name) => object.fields.find((f) => f.name.toLowerCase() === name.toLowerCase()),
    relationship: (object, name) => object.fields.find((f) => f.relationshipName?.toLowerCase() === name.toLowerCase()),
    childRelationship: () => undefined,
  };
}

const lead = sobject({
  name: 'Lead',
  keyPrefix: '00Q',
  owner: true,
  nameField: 'Name',
  fields: [
    text('FirstName', 40),
    text('LastName', 80),
    field('Name', 'string', { calculated: false, createable: false, updateable: false }),
    text('Company', 255),
    text('Street', 255),
    text('City', 40),
    field('Fame_Score__c', 'double', { calculated: true, formula: '1' }),
  ],
});
const disposition = sobject({ name: 'Disposition__c', keyPrefix: 'a01', owner: true, fields: [lookup('Lead__c', ['Lead'], 'Lead__r'), text('Outcome__c', 40)] });
const signal = sobject({ name: 'Engine_Signal__e', keyPrefix: 'e00', owner: false, fields: [text('Kind__c', 40)] });
const schema = schemaOf([lead, disposition, signal]);

function change(overrides: Partial<ChangeEvent>): ChangeEvent {
  return { entityName: 'Lead', changeType: 'CREATE', recordIds: ['00Q8d0000000001AAA'], changedFields: [], commitTimestamp: 1_700_000_000_000, commitUser: '0058d0000000001AAA', fields: {}, ...overrides };
}

describe('change event channels', () => {
  it('names standard, custom and all-entity channels as Salesforce does', () => {
    expect(changeEventName('Lead')).toBe('LeadChangeEvent');
    expect(changeEventChannel('Disposition__c')).toBe('/data/Disposition__ChangeEvent');
    expect(resolveChannel('/data/ChangeEvents', schema, () => true)).toEqual({ kind: 'allChanges', channel: '/data/ChangeEvents' });
    expect(resolveChannel('/data/Disposition__ChangeEvent', schema, () => true)).toMatchObject({ kind: 'change', entityName: 'Disposition__c' });
    expect(resolveChannel('/event/Engine_Signal__e', schema, () => true)).toMatchObject({ kind: 'platformEvent', eventName: 'Engine_Signal__e' });
  });

  it('has no channel for unknown objects, wrong case, unselected entities or platform events as change events', () => {
    expect(resolveChannel('/data/FooChangeEvent', schema, () => true)).toBeUndefined();
    expect(resolveChannel('/data/leadChangeEvent', schema, () => true)).toBeUndefined();
    expect(resolveChannel('/data/LeadChangeEvent', schema, () => false)).toBeUndefined();
    expect(resolveChannel('/data/Engine_Signal__ChangeEvent', schema, () => true)).toBeUndefined();
    expect(resolveChannel('/event/Lead', schema, () => true)).toBeUndefined();
    expect(resolveChannel('/data/*', schema, () => true)).toBeUndefined();
  });
});

describe('ChangeEventBuilder', () => {
  it('sends every body field on CREATE, null when empty, with the compound Name nested and no formula fields', () => {
    const builder = new ChangeEventBuilder(schema, 0);
    const built = builder.build(change({ fields: { FirstName: 'Ada', LastName: 'Lovelace', Company: 'Analytical', Name: 'Ada Lovelace' } }));
    const payload = builder.expand(built?.payload ?? {});
    expect(payload).toMatchObject({
      ChangeEventHeader: { entityName: 'Lead', changeType: 'CREATE', changedFields: [], nulledFields: [], diffFields: [], sequenceNumber: 1, commitUser: '0058d0000000001AAA' },
      Name: { FirstName: 'Ada', LastName: 'Lovelace' },
      Company: 'Analytical',
      Address: null,
      OwnerId: null,
    });
    expect(payload).not.toHaveProperty('Id');
    expect(payload).not.toHaveProperty('Fame_Score__c');
    expect(payload).not.toHaveProperty('FirstName');
  });

  it('sends only changed fields on UPDATE and names compound components CompoundField.ComponentField', () => {
    const built = new ChangeEventBuilder(schema, 0).build(
      change({ changeType: 'UPDATE', changedFields: ['LastName', 'City', 'LastModifiedDate'], fields: { LastName: 'Byron', City: null, LastModifiedDate: '2024-01-01T00:00:00.000+0000' } }),
    );
    expect(built?.payload.ChangeEventHeader).toMatchObject({ changeType: 'UPDATE', changedFields: ['Name.LastName', 'Address.City', 'LastModifiedDate'] });
    // CometD JSON writes datetimes in UTC with Z.
    expect(built?.payload).toEqual({ ChangeEventHeader: expect.any(Object), Name: { LastName: 'Byron' }, Address: { City: null }, LastModifiedDate: '2024-01-01T00:00:00.000Z' });
  });

  it('stores CREATE bodies without their nulls; expand restores every field, compounds included', () => {
    const builder = new ChangeEventBuilder(schema, 0);
    const stored = builder.build(change({ fields: { LastName: 'Lovelace', City: 'London' } }))?.payload as Record<string, unknown>;
    expect(stored).not.toHaveProperty('OwnerId');
    expect(stored).toMatchObject({ Name: { LastName: 'Lovelace' }, Address: { City: 'London' } });
    expect(builder.expand(stored)).toMatchObject({ OwnerId: null, Company: null, Name: { FirstName: null, LastName: 'Lovelace' }, Address: { Street: null, City: 'London' } });
  });

  it('sends no body fields on DELETE', () => {
    const built = new ChangeEventBuilder(schema, 0).build(change({ changeType: 'DELETE', fields: { LastName: 'x' } }));
    expect(Object.keys(built?.payload ?? {})).toEqual(['ChangeEventHeader']);
  });

  it('numbers the changes of one transaction 1..n under one transactionKey and commitNumber; the next transaction gets new ones', async () => {
    const builder = new ChangeEventBuilder(schema, 41);
    const first = builder.build(change({}))?.payload.ChangeEventHeader as Record<string, unknown>;
    const second = builder.build(change({ recordIds: ['00Q8d0000000002AAA'] }))?.payload.ChangeEventHeader as Record<string, unknown>;
    await Promise.resolve();
    const third = builder.build(change({}))?.payload.ChangeEventHeader as Record<string, unknown>;
    expect([first.sequenceNumber, second.sequenceNumber, third.sequenceNumber]).toEqual([1, 2, 1]);
    expect(second.transactionKey).toBe(first.transactionKey);
    expect(third.transactionKey).not.toBe(first.transactionKey);
    expect([first.commitNumber, second.commitNumber, third.commitNumber]).toEqual([42, 42, 43]);
  });
});
