import fc from 'fast-check';
import { parseInstant } from './instant';

describe('parseInstant', () => {
  it('agrees with Date.parse on the forms the org writes', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-12-31T23:59:59Z'), noInvalidDate: true }), fc.integer({ min: -14 * 60, max: 14 * 60 }), (date, offset) => {
        const iso = date.toISOString();
        expect(parseInstant(iso)).toBe(Date.parse(iso));
        expect(parseInstant(iso.slice(0, 19) + 'Z')).toBe(Date.parse(iso.slice(0, 19) + 'Z'));
        const sign = offset < 0 ? '-' : '+';
        const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
        const mm = String(Math.abs(offset) % 60).padStart(2, '0');
        const sf = `${iso.slice(0, 23)}${sign}${hh}${mm}`; // Salesforce REST: 2024-05-06T15:00:00.000+0000
        expect(parseInstant(sf)).toBe(Date.parse(`${iso.slice(0, 23)}${sign}${hh}:${mm}`));
        expect(parseInstant(`${iso.slice(0, 23)}${sign}${hh}:${mm}`)).toBe(Date.parse(`${iso.slice(0, 23)}${sign}${hh}:${mm}`));
      }),
      { numRuns: 2000 }
    );
  });

  it('rolls impossible days over like Date.parse and falls back to it for other forms', () => {
    expect(parseInstant('2023-02-29T00:00:00Z')).toBe(Date.parse('2023-02-29T00:00:00Z'));
    expect(parseInstant('2023-04-31T00:00:00.000+0000')).toBe(Date.parse('2023-04-31T00:00:00.000+0000'));
    expect(parseInstant('2024-02-29T00:00:00Z')).toBe(Date.parse('2024-02-29T00:00:00Z'));
    expect(parseInstant('2024-05-06')).toBe(Date.parse('2024-05-06'));
    expect(parseInstant('not a date')).toBeNaN();
  });
});
