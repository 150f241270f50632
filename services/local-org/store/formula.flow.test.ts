/**
 * The formula evaluator's additions for flow formulas (Salesforce Help: "Formula Operators
 * and Functions", "Using Date, Date/Time, and Time Values in Formulas"): merge-field and path
 * references, date and datetime arithmetic in days, MAX MIN ROUND ABS FLOOR CEILING MOD.
 */
import fc from 'fast-check';
import { compileFormula, UnsupportedFormula, type FormulaScope, type FormulaValue } from './formula';

function scope(values: Record<string, FormulaValue>, prior?: Record<string, FormulaValue>): FormulaScope {
  const lower = (record: Record<string, FormulaValue>) => new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
  const now = lower(values);
  const before = prior === undefined ? undefined : lower(prior);
  return { value: (f) => now.get(f) ?? null, prior: (f) => before?.get(f) ?? null, hasField: (f) => now.has(f), isNew: prior === undefined, now: new Date('2026-03-18T12:00:00Z') };
}

const known = new Set(['$record.station__c', '$record.entered_at__c', 'get_open.entered_at__c', 'enteredat', '$record.station__r.name']);
const flow = (source: string) => compileFormula(source, (name) => known.has(name.toLowerCase()), { references: 'paths' });

describe('flow formulas', () => {
  it('reads merge fields and paths through the scope, and ISCHANGED compares with the prior value', () => {
    expect(flow('{!$Record.Station__r.Name} & "!"')(scope({ '$record.station__r.name': 'Demo' }))).toBe('Demo!');
    const changed = flow('ISNEW() || ISCHANGED({!$Record.Station__c})');
    expect(changed(scope({ '$record.station__c': 'a' }, { '$record.station__c': 'b' }))).toBe(true);
    expect(changed(scope({ '$record.station__c': 'a' }, { '$record.station__c': 'a' }))).toBe(false);
    expect(changed(scope({ '$record.station__c': 'a' }))).toBe(true);
  });

  it('computes the package\'s stay duration: datetime - datetime is days', () => {
    const duration = flow('MAX(0, ROUND(({!EnteredAt} - {!Get_Open.Entered_At__c}) * 1440, 2))');
    expect(duration(scope({ enteredat: '2026-03-18T17:00:30.000+0000', 'get_open.entered_at__c': '2026-03-18T15:30:00.000+0000' }))).toBe(90.5);
    expect(duration(scope({ enteredat: '2026-03-18T15:30:00.000+0000', 'get_open.entered_at__c': '2026-03-18T17:00:00Z' }))).toBe(0);
    expect(duration(scope({ enteredat: '2026-03-18T15:30:00.000+0000' }))).toBeNull();
  });

  it('moves dates and datetimes by days and compares them by instant', () => {
    expect(flow('{!EnteredAt} + 1.5')(scope({ enteredat: '2026-03-18T15:30:00.000+0000' }))).toBe('2026-03-20T03:30:00.000+0000');
    expect(flow('{!EnteredAt} - 1')(scope({ enteredat: '2026-03-01' }))).toBe('2026-02-28');
    expect(flow('{!EnteredAt} < {!Get_Open.Entered_At__c}')(scope({ enteredat: '2026-03-18T15:30:00.000+0000', 'get_open.entered_at__c': '2026-03-18T16:00:00Z' }))).toBe(true);
  });

  it('rounds half away from zero and handles blanks in the numeric functions', () => {
    const round = compileFormula('ROUND(Amount__c, 2)', (n) => n.toLowerCase() === 'amount__c');
    expect(round(scope({ amount__c: 1.005 }))).toBe(1.01);
    expect(round(scope({ amount__c: -2.5 }))).toBe(-2.5);
    expect(compileFormula('ROUND(Amount__c, 0)', () => true)(scope({ amount__c: -2.5 }))).toBe(-3);
    expect(compileFormula('MIN(3, Amount__c, 2)', () => true)(scope({ amount__c: null }))).toBeNull();
    expect(compileFormula('MOD(7, 3) + ABS(-2) + FLOOR(1.7) + CEILING(1.2)', () => true)(scope({}))).toBe(6);
  });

  it('keeps validation rules to their own fields: merge fields and paths are flow-only', () => {
    expect(() => compileFormula('{!$Record.Station__c} = "x"', () => true)).toThrow(UnsupportedFormula);
    expect(() => compileFormula('Station__r.Name = "x"', () => true)).toThrow(UnsupportedFormula);
    expect(() => flow('{!Unknown} = 1')).toThrow(UnsupportedFormula);
  });

  it('a duration in minutes is the exact difference of the two instants (property)', () => {
    const minutes = flow('({!EnteredAt} - {!Get_Open.Entered_At__c}) * 1440');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), (startSeconds, lengthSeconds) => {
        const from = new Date(Date.UTC(2000, 0, 1) + startSeconds * 1000);
        const to = new Date(from.getTime() + lengthSeconds * 1000);
        const text = (d: Date) => `${d.toISOString().slice(0, 23)}+0000`;
        const result = minutes(scope({ enteredat: text(to), 'get_open.entered_at__c': text(from) })) as number;
        expect(result).toBeCloseTo(lengthSeconds / 60, 6);
      }),
    );
  });
});
