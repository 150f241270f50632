import fc from 'fast-check';
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { fields, id, like, recordId, soql, SoqlBuildError } from './soql';

// SOQL and SOSL Reference, "Quoted String Escape Sequences": \n \r \t \b \f \" \' \\ are the
// escapes SOQL understands inside a quoted string.
function unescapeSoql(literal: string): string {
  const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\', '%': '\\%', _: '\\_' };
  return literal.replace(/\\(.)/g, (_, char: string) => map[char] ?? `\\${char}`);
}

describe('the SOQL builder', () => {
  it('quotes and escapes hostile strings so they stay one literal', () => {
    const hostile = "x' OR Name != '' OR Name = 'y\\";
    const query = soql`SELECT Id FROM ${id('Lead')} WHERE Company = ${hostile}`;
    expect(query).toBe("SELECT Id FROM Lead WHERE Company = 'x\\' OR Name != \\'\\' OR Name = \\'y\\\\'");
    const parsed = parseQuery(query);
    expect(parsed.where?.left).toMatchObject({ field: 'Company', operator: '=' });
    expect((parsed.where as { right?: unknown } | undefined)?.right).toBeUndefined();
  });

  it('keeps any string a single literal that round-trips (fuzzed)', () => {
    const hostileChars = fc.constantFrom("'", '"', '\\', '\n', '\r', '\t', '%', '_', ' OR ', ' AND ', 'SELECT', ')', '(', ';', '--');
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), hostileChars), { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        const query = soql`SELECT Id FROM Lead WHERE Company = ${text} LIMIT 5`;
        const parsed = parseQuery(query);
        expect(parsed.limit).toBe(5);
        const condition = parsed.where?.left as { value?: string };
        expect((parsed.where as { right?: unknown } | undefined)?.right).toBeUndefined();
        const quoted = String(condition.value);
        expect(unescapeSoql(quoted.slice(1, -1))).toBe(text);
      }),
      { numRuns: 300 }
    );
  });

  it('escapes LIKE wildcards so user text matches literally', () => {
    expect(soql`SELECT Id FROM Lead WHERE Company LIKE ${like("50%_off's")}`).toBe(
      "SELECT Id FROM Lead WHERE Company LIKE '%50\\%\\_off\\'s%'"
    );
  });

  it('renders numbers, booleans, nulls, datetimes and IN lists', () => {
    const when = new Date('2026-11-22T10:15:30.123Z');
    expect(soql`SELECT Id FROM Lead WHERE Attempt_Count__c < ${6} AND DoNotCall = ${false} AND Bin__c != ${null} AND CreatedDate > ${when} AND LeadSource IN ${['Web', "Partner's"]}`).toBe(
      "SELECT Id FROM Lead WHERE Attempt_Count__c < 6 AND DoNotCall = false AND Bin__c != null AND CreatedDate > 2026-11-22T10:15:30Z AND LeadSource IN ('Web', 'Partner\\'s')"
    );
  });

  it('refuses identifiers, ids and numbers that are not what they claim', () => {
    expect(() => id('Lead WHERE Id != null')).toThrow(SoqlBuildError);
    expect(() => fields(['Id', 'Name; DELETE'])).toThrow(SoqlBuildError);
    expect(() => recordId("00Q' OR Id != '")).toThrow(SoqlBuildError);
    expect(() => soql`SELECT Id FROM Lead LIMIT ${Number.NaN}`).toThrow(SoqlBuildError);
    expect(() => soql`SELECT Id FROM Lead WHERE Id IN ${[]}`).toThrow(SoqlBuildError);
    expect(soql`SELECT ${fields(['Id', 'Owner.Name', 'asl__Bin__c'])} FROM Lead WHERE Id = ${recordId('00Q000000000001AAA')}`).toBe(
      "SELECT Id, Owner.Name, asl__Bin__c FROM Lead WHERE Id = '00Q000000000001AAA'"
    );
  });
});
