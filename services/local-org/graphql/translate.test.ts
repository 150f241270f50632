/**
 * GraphQL filters and orderings as SOQL (GraphQL API Developer Guide: "Field Operators",
 * "Boolean Operators", "Date Filters", "Order By Schema"). The generated SOQL is parsed by
 * the same SOQL parser the org uses, so every translation is valid SOQL.
 */
import fc from 'fast-check';
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { field, lookup, sobject, text } from '../schema/build';
import type { OrgSchema, SObjectDef } from '../schema/types';
import { cursorOf, GraphqlQueryError, offsetAfter, orderByToSoql, whereToSoql } from './translate';

const user = sobject({ name: 'User', keyPrefix: '005', owner: false, fields: [text('Name', 121), text('Username', 80)] });
const lead = sobject({
  name: 'Lead',
  keyPrefix: '00Q',
  owner: true,
  fields: [text('LastName', 80), field('Attempt_Count__c', 'double', { precision: 4 }), field('Inbound__c', 'boolean'), field('Next_Action_At__c', 'datetime'), field('Close__c', 'date'), field('Bin__c', 'picklist'), field('Skills__c', 'multipicklist'), lookup('Booked_By__c', ['User'], 'Booked_By__r')],
});
const objects: SObjectDef[] = [user, lead];
const schema: OrgSchema = {
  objects: new Map(objects.map((o) => [o.name, o])),
  find: (name) => objects.find((o) => o.name.toLowerCase() === name.toLowerCase()),
  byKeyPrefix: (prefix) => objects.find((o) => o.keyPrefix === prefix),
  field: (object, name) => object.fields.find((f) => f.name.toLowerCase() === name.toLowerCase()),
  relationship: (object, name) => object.fields.find((f) => f.relationshipName?.toLowerCase() === name.toLowerCase()),
  childRelationship: () => undefined,
};

const soql = (where: Record<string, unknown>): string => whereToSoql(schema, lead, where);

describe('whereToSoql', () => {
  it('translates each operator', () => {
    expect(soql({ LastName: { eq: "O'Brien" } })).toBe("LastName = 'O\\'Brien'");
    expect(soql({ LastName: { ne: null } })).toBe('LastName != null');
    expect(soql({ Attempt_Count__c: { gt: 1, lte: 3 } })).toBe('(Attempt_Count__c > 1 AND Attempt_Count__c <= 3)');
    expect(soql({ Bin__c: { in: ['Cold', 'Working'] } })).toBe("Bin__c IN ('Cold', 'Working')");
    expect(soql({ Bin__c: { nin: ['Cold'] } })).toBe("Bin__c NOT IN ('Cold')");
    expect(soql({ LastName: { like: 'A%' } })).toBe("LastName LIKE 'A%'");
    expect(soql({ Skills__c: { includes: ['Spanish;French'] } })).toBe("Skills__c INCLUDES ('Spanish;French')");
    expect(soql({ Inbound__c: { eq: true } })).toBe('Inbound__c = true');
  });

  it('translates dates as values, literals and ranges', () => {
    expect(soql({ Close__c: { gte: { value: '2026-01-01' } } })).toBe('Close__c >= 2026-01-01');
    expect(soql({ Next_Action_At__c: { lt: { value: '2026-01-01T10:00:00+02:00' } } })).toBe('Next_Action_At__c < 2026-01-01T08:00:00Z');
    expect(soql({ Next_Action_At__c: { eq: { literal: 'TODAY' } } })).toBe('Next_Action_At__c = TODAY');
    expect(soql({ Close__c: { eq: { range: { last_n_days: 30 } } } })).toBe('Close__c = LAST_N_DAYS:30');
    expect(() => soql({ Close__c: { eq: { value: '2026-01-01', literal: 'TODAY' } } })).toThrow(GraphqlQueryError);
  });

  it('combines and, or, not and parent relationships', () => {
    expect(soql({ or: [{ LastName: { eq: 'A' } }, { and: [{ Inbound__c: { eq: false } }, { not: { Booked_By__r: { Username: { like: 'x%' } } } }] }] })).toBe(
      "(LastName = 'A' OR (Inbound__c = false AND (NOT (Booked_By__r.Username LIKE 'x%'))))",
    );
  });

  it('always produces SOQL the parser accepts, for any nesting of filters and any text', () => {
    const leaf = fc.oneof(
      fc.record({ LastName: fc.record({ eq: fc.string() }) }),
      fc.record({ Attempt_Count__c: fc.record({ lt: fc.integer({ min: -1000, max: 1000 }) }) }),
      fc.record({ Bin__c: fc.record({ in: fc.array(fc.string(), { minLength: 1, maxLength: 3 }) }) }),
      fc.record({ Booked_By__r: fc.record({ Name: fc.record({ like: fc.string() }) }) }),
    );
    const filter = fc.letrec<{ f: Record<string, unknown> }>((tie) => ({
      f: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.record({ and: fc.array(tie('f'), { minLength: 1, maxLength: 3 }) }),
        fc.record({ or: fc.array(tie('f'), { minLength: 1, maxLength: 3 }) }),
        fc.record({ not: tie('f') }),
      ),
    })).f;
    fc.assert(
      fc.property(filter, (where) => {
        const condition = soql(where);
        expect(() => parseQuery(`SELECT Id FROM Lead WHERE ${condition}`)).not.toThrow();
      }),
    );
  });

  it('refuses fields that are not on the object and operators without a value', () => {
    expect(() => soql({ Nope__c: { eq: 'x' } })).toThrow("Field 'Nope__c' is not filterable on Lead.");
    expect(() => soql({ Bin__c: { in: [] } })).toThrow('needs at least one value');
    expect(() => soql({ Attempt_Count__c: { lt: null } })).toThrow('needs a value');
  });
});

describe('orderByToSoql', () => {
  it('keeps the written order, with directions, nulls and parent fields', () => {
    expect(orderByToSoql(schema, lead, { Attempt_Count__c: { order: 'DESC', nulls: 'LAST' }, Booked_By__r: { Name: { order: 'ASC' } }, LastName: {} })).toEqual([
      'Attempt_Count__c DESC NULLS LAST',
      'Booked_By__r.Name ASC',
      'LastName ASC',
    ]);
  });
});

describe('cursors', () => {
  it('resume right after the record they point at', () => {
    fc.assert(fc.property(fc.nat({ max: 1_000_000 }), (offset) => expect(offsetAfter(cursorOf(offset))).toBe(offset + 1)));
    expect(cursorOf(0)).toBe('djE6MA==');
    expect(offsetAfter(null)).toBe(0);
    expect(() => offsetAfter('bm9wZQ==')).toThrow('Invalid cursor');
  });
});
