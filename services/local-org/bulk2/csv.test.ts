/**
 * CSV as Bulk API 2.0 writes it (Bulk API 2.0 Developer Guide: "Prepare CSV Files": every
 * supported delimiter and line ending, quotes doubled inside quoted values) must read back
 * as the same values with a standard CSV parser, whatever the text.
 */
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { COLUMN_DELIMITERS, csvLine, dialectOf, lineEndingMismatch, type ColumnDelimiter, type LineEnding } from './csv';
import { csvValue, locatorOf, startOf, valueAt } from './query';

describe('csvLine', () => {
  it('round-trips any values through a CSV parser for every delimiter and line ending', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '|', ';', '\t', '^', '`', '\n', '\r', 'é', '#') }), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(...(Object.keys(COLUMN_DELIMITERS) as ColumnDelimiter[])),
        fc.constantFrom<LineEnding>('LF', 'CRLF'),
        (rows, delimiter, lineEnding) => {
          const width = rows[0]?.length ?? 1;
          const table = rows.map((row) => Array.from({ length: width }, (_, i) => row[i] ?? ''));
          const dialect = dialectOf(delimiter, lineEnding);
          const text = table.map((row) => csvLine(row, dialect)).join('');
          expect(parse(text, { delimiter: dialect.delimiter, record_delimiter: dialect.eol })).toEqual(table);
        },
      ),
    );
  });
});

describe('lineEndingMismatch ("ClientInputError : LineEnding is invalid on user data")', () => {
  it('tells CRLF data in an LF job and LF data in a CRLF job from matching data', () => {
    expect(lineEndingMismatch('A,B\r\n1,2\r\n', 'LF')).toBe(true);
    expect(lineEndingMismatch('A,B\n1,2\n', 'CRLF')).toBe(true);
    expect(lineEndingMismatch('A,B\n1,2\n', 'LF')).toBe(false);
    expect(lineEndingMismatch('A,B\r\n1,2\r\n', 'CRLF')).toBe(false);
  });
});

describe('query result values ("Get Results for a Query Job")', () => {
  it('writes null empty, booleans true/false and datetimes in UTC with Z', () => {
    expect([null, true, false, 12.5, '2026-03-18T15:30:00.000+0000', '2026-03-18', 'text'].map(csvValue)).toEqual(['', 'true', 'false', '12.5', '2026-03-18T15:30:00.000Z', '2026-03-18', 'text']);
  });

  it('reads parent fields by dot path and gives null under a missing parent', () => {
    const record = { attributes: { type: 'Lead' }, Owner: { attributes: { type: 'User' }, Name: 'Ana' }, Station__r: null };
    expect(valueAt(record, 'Owner.Name')).toBe('Ana');
    expect(valueAt(record, 'Station__r.Name')).toBeNull();
  });

  it('makes opaque locators that decode to the row they start at, and refuses others', () => {
    expect(locatorOf(10000)).toBe('MTAwMDA'); // the guide's own example locator
    fc.assert(fc.property(fc.nat({ max: 5_000_000 }), (row) => expect(startOf(locatorOf(row), 5_000_000)).toBe(row)));
    expect(() => startOf('bm9wZQ', 10)).toThrow('Invalid locator');
    expect(() => startOf(locatorOf(11), 10)).toThrow('Invalid locator');
  });
});
