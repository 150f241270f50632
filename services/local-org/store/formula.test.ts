/** Validation rule formulas (Salesforce Help: "Formula Operators and Functions"). */
import { compileFormula, UnsupportedFormula, type FormulaScope, type FormulaValue } from './formula';

function scope(values: Record<string, FormulaValue>, prior?: Record<string, FormulaValue>): FormulaScope {
  const lower = (record: Record<string, FormulaValue>) => new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
  const now = lower(values);
  const before = prior === undefined ? undefined : lower(prior);
  return {
    value: (f) => now.get(f) ?? null,
    prior: (f) => before?.get(f) ?? null,
    hasField: (f) => now.has(f.toLowerCase()),
    isNew: prior === undefined,
    now: new Date('2026-03-18T12:00:00Z'),
  };
}

const fields = new Set(['leadsource', 'score__c', 'status', 'name', 'bin__c']);
const compile = (formula: string) => compileFormula(formula, (f) => fields.has(f.toLowerCase()));

describe('validation rule formulas', () => {
  it('evaluates the package rules', () => {
    const leadSource = compile('ISNEW() && ISBLANK(TEXT(LeadSource))');
    expect(leadSource(scope({ LeadSource: null }))).toBe(true);
    expect(leadSource(scope({ LeadSource: 'Web' }))).toBe(false);
    expect(leadSource(scope({ LeadSource: null }, { LeadSource: null }))).toBe(false);
    const score = compile('OR(Score__c < 1, Score__c > 10)');
    expect(score(scope({ Score__c: 0 }))).toBe(true);
    expect(score(scope({ Score__c: 5 }))).toBe(false);
    // A blank number compares as blank, not zero.
    expect(score(scope({ Score__c: null }))).toBe(false);
  });

  it('supports ISCHANGED, PRIORVALUE, ISPICKVAL, CASE, IF and string functions', () => {
    expect(compile('ISCHANGED(Status) && ISPICKVAL(PRIORVALUE(Status), "Closed")')(scope({ Status: 'Open' }, { Status: 'Closed' }))).toBe(true);
    expect(compile('CASE(Bin__c, "Cold", 1, "Working", 2, 0) = 2')(scope({ Bin__c: 'Working' }))).toBe(true);
    expect(compile('IF(LEN(Name) > 3, BEGINS(UPPER(Name), "AC"), false)')(scope({ Name: 'Acme' }))).toBe(true);
    expect(compile('NOT(CONTAINS(Name, "x")) && REGEX(Name, "[A-Z][a-z]+")')(scope({ Name: 'Acme' }))).toBe(true);
  });

  it('refuses what it cannot evaluate exactly', () => {
    expect(() => compile('Account.Name = "x"')).toThrow(UnsupportedFormula);
    expect(() => compile('$User.Id = OwnerId')).toThrow(UnsupportedFormula);
    expect(() => compile('VLOOKUP(Name, Name, Name)')).toThrow(UnsupportedFormula);
    expect(() => compile('Unknown__c > 1')).toThrow(UnsupportedFormula);
  });
});
