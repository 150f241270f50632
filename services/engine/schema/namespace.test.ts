import fc from 'fast-check';
import {
  applyNamespace,
  isCustomName,
  NamespaceError,
  parseNamespace,
  relationshipName,
  stripNamespace,
  stripRecordNamespace
} from './namespace';
import { apiNames, OBJECT_NAMES, SOBJECTS } from './index';

// The rule being copied: in a namespaced package every custom object, custom field, custom
// relationship and platform event takes the prefix ns__; standard objects and standard fields
// (also the standard fields of custom objects: Id, Name, OwnerId, CreatedDate) never do.
// Salesforce Packaging guide, "Namespace Prefix"; Object Reference, "Custom Objects".

describe('applyNamespace', () => {
  it('prefixes custom objects, fields, relationships and events', () => {
    expect(applyNamespace('Station__c', 'asl')).toBe('asl__Station__c');
    expect(applyNamespace('Bin__c', 'asl')).toBe('asl__Bin__c');
    expect(applyNamespace('Station__r', 'asl')).toBe('asl__Station__r');
    expect(applyNamespace('Engine_Signal__e', 'asl')).toBe('asl__Engine_Signal__e');
    expect(applyNamespace('Disposition__ChangeEvent', 'asl')).toBe('asl__Disposition__ChangeEvent');
  });

  it('leaves standard objects and standard fields alone, also on custom objects', () => {
    for (const name of ['Lead', 'Account', 'LeadSource', 'Id', 'Name', 'OwnerId', 'CreatedDate', 'IsWon']) {
      expect(applyNamespace(name, 'asl')).toBe(name);
    }
  });

  it('prefixes each segment of a dotted path that is custom', () => {
    expect(applyNamespace('Lead.Bin__c', 'asl')).toBe('Lead.asl__Bin__c');
    expect(applyNamespace('Station__r.Name', 'asl')).toBe('asl__Station__r.Name');
    expect(applyNamespace('Station__c.Key__c', 'asl')).toBe('asl__Station__c.asl__Key__c');
  });

  it('does not prefix twice, nor names of another package', () => {
    expect(applyNamespace('asl__Bin__c', 'asl')).toBe('asl__Bin__c');
    expect(applyNamespace('other__Score__c', 'asl')).toBe('other__Score__c');
  });

  it('changes nothing with the empty namespace', () => {
    expect(applyNamespace('Station__c', '')).toBe('Station__c');
    expect(applyNamespace('Lead.Bin__c', '')).toBe('Lead.Bin__c');
  });
});

describe('stripNamespace', () => {
  it('removes this namespace only, case-insensitively', () => {
    expect(stripNamespace('asl__Bin__c', 'asl')).toBe('Bin__c');
    expect(stripNamespace('ASL__Bin__c', 'asl')).toBe('Bin__c');
    expect(stripNamespace('Lead.asl__Bin__c', 'asl')).toBe('Lead.Bin__c');
    expect(stripNamespace('asl__Station__r.Name', 'asl')).toBe('Station__r.Name');
    expect(stripNamespace('other__Score__c', 'asl')).toBe('other__Score__c');
    expect(stripNamespace('Name', 'asl')).toBe('Name');
  });

  it('changes nothing with the empty namespace', () => {
    expect(stripNamespace('asl__Bin__c', '')).toBe('asl__Bin__c');
  });

  it('strips record keys recursively (parent records and child query results)', () => {
    const record = {
      Id: '00Q000000000001AAA',
      asl__Bin__c: 'Cold',
      asl__Station__r: { Name: 'SDR Calling', asl__Key__c: 'SDR_CALL' },
      asl__Dispositions__r: { records: [{ asl__Outcome__c: 'No Answer' }] }
    };
    expect(stripRecordNamespace(record, 'asl')).toEqual({
      Id: '00Q000000000001AAA',
      Bin__c: 'Cold',
      Station__r: { Name: 'SDR Calling', Key__c: 'SDR_CALL' },
      Dispositions__r: { records: [{ Outcome__c: 'No Answer' }] }
    });
  });
});

const identifier = fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,10}(_[A-Za-z0-9]{1,6}){0,2}$/);
const suffix = fc.constantFrom('c', 'r', 'e', 'mdt');
const customName = fc.tuple(identifier, suffix).map(([base, s]) => `${base}__${s}`);
const standardName = identifier;
const namespace = fc.stringMatching(/^[a-z][a-z0-9]{0,14}$/);
const anyName = fc.oneof(customName, standardName);
const path = fc.array(anyName, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('.'));

describe('namespace properties', () => {
  it('strip(apply(name)) is the name, for any namespace and any path', () => {
    fc.assert(fc.property(path, namespace, (name, ns) => stripNamespace(applyNamespace(name, ns), ns) === name));
  });

  it('apply is idempotent', () => {
    fc.assert(fc.property(path, namespace, (name, ns) => applyNamespace(applyNamespace(name, ns), ns) === applyNamespace(name, ns)));
  });

  it('only custom segments change, and they gain exactly the prefix', () => {
    fc.assert(
      fc.property(path, namespace, (name, ns) => {
        const before = name.split('.');
        const after = applyNamespace(name, ns).split('.');
        return before.every((segment, i) => (isCustomName(segment) ? after[i] === `${ns}__${segment}` : after[i] === segment));
      })
    );
  });
});

describe('parseNamespace', () => {
  it('accepts empty and valid prefixes', () => {
    expect(parseNamespace(undefined)).toBe('');
    expect(parseNamespace('')).toBe('');
    expect(parseNamespace('asl')).toBe('asl');
    expect(parseNamespace('my_ns2')).toBe('my_ns2');
  });

  it.each(['1asl', 'asl__x', 'asl_', 'a-b', 'abcdefghijklmnop'])('rejects %s with the field and the fix', (bad) => {
    expect(() => parseNamespace(bad)).toThrow(NamespaceError);
    expect(() => parseNamespace(bad)).toThrow(/ASL_NAMESPACE .*Fix:/);
  });
});

describe('relationshipName', () => {
  it('turns lookup fields into the relationship used in SOQL paths', () => {
    expect(relationshipName('Station__c')).toBe('Station__r');
    expect(relationshipName('asl__Station__c')).toBe('asl__Station__r');
    expect(relationshipName('AccountId')).toBe('Account');
    expect(relationshipName('OwnerId')).toBe('Owner');
  });

  it('rejects names that are not lookups', () => {
    expect(() => relationshipName('Id')).toThrow(/not a lookup/);
    expect(() => relationshipName('Engine_Signal__e')).toThrow(/not a lookup/);
  });
});

describe('apiNames', () => {
  it('gives unprefixed names without a namespace', () => {
    const names = apiNames('');
    expect(names.Station__c.name).toBe('Station__c');
    expect(names.Lead.fields.Bin__c).toBe('Bin__c');
  });

  it('prefixes every custom object and field and no standard one', () => {
    const names = apiNames('asl');
    expect(names.Lead.name).toBe('Lead');
    expect(names.Lead.fields.LeadSource).toBe('LeadSource');
    expect(names.Lead.fields.Bin__c).toBe('asl__Bin__c');
    expect(names.Station__c.name).toBe('asl__Station__c');
    expect(names.Station__c.fields.Name).toBe('Name');
    expect(names.Station__c.fields.OwnerId).toBe('OwnerId');
    expect(names.Engine_Signal__e.name).toBe('asl__Engine_Signal__e');
    for (const object of OBJECT_NAMES) {
      const fields: Record<string, string> = names[object].fields;
      for (const field of Object.keys(SOBJECTS[object].fields)) {
        expect(fields[field]).toBe(field.endsWith('__c') ? `asl__${field}` : field);
      }
    }
  });

  it('validates the namespace', () => {
    expect(() => apiNames('bad__ns')).toThrow(NamespaceError);
  });
});
