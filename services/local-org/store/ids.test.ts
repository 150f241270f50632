/**
 * Record ids (SOAP API Developer Guide: "ID Field Type": 15-character case-sensitive ids and
 * their 18-character case-insensitive form with a 3-character case checksum).
 */
import fc from 'fast-check';
import { customKeyPrefix, idSuffix, isValidId, makeId, normalizeId, sequenceOf, to18 } from './ids';

describe('record ids', () => {
  it('computes the case checksum of a known id', () => {
    // A user id and its 18-character form as Salesforce shows them.
    expect(to18('00558000001N0Ke')).toBe('00558000001N0KeAAK');
    expect(idSuffix('000000000000000')).toBe('AAA');
    expect(idSuffix('AAAAAAAAAAAAAAA')).toBe('555');
  });

  it('makes 18-character ids with the key prefix that sort by sequence', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 62 ** 8 }), (n) => {
        const id = makeId('00Q', n);
        const next = makeId('00Q', n + 1);
        return id.length === 18 && id.startsWith('00Q') && isValidId(id) && sequenceOf(id) === n && id.slice(0, 15) < next.slice(0, 15);
      }),
    );
  });

  it('tells ids that differ only in case apart by their 18-character form', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z0-9]{15}$/), (id15) => {
        const flipped = id15.replace(/[a-zA-Z]/, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()));
        fc.pre(flipped !== id15);
        return to18(id15).toLowerCase() !== to18(flipped).toLowerCase();
      }),
    );
  });

  it('normalizes 15-character ids and rejects a wrong checksum', () => {
    expect(normalizeId('00558000001N0Ke')).toBe('00558000001N0KeAAK');
    expect(normalizeId('00558000001N0KeAAA')).toBeUndefined();
    expect(normalizeId('not an id')).toBeUndefined();
  });

  it('gives custom objects stable, distinct prefixes', () => {
    const taken = new Set(['001', '003']);
    const a = customKeyPrefix('Station__c', taken);
    expect(customKeyPrefix('Station__c', taken)).toBe(a);
    expect(customKeyPrefix('Station__c', new Set([...taken, a]))).not.toBe(a);
    expect(a).toMatch(/^a[0-9A-Za-z]{2}$/);
  });
});
