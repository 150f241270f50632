/**
 * The SOQL-to-SQL translation agrees with SOQL's semantics (SOQL and SOSL Reference:
 * "Comparison Operators", "Logical Operators"; `!=` and NOT IN match nulls, ordering
 * comparisons never match null, NOT of an unmatched condition matches) on random WHERE
 * clauses over random records.
 */
import fc from 'fast-check';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { loadSchema } from '../schema';
import { Store } from '../store/store';

interface Row {
  Attempt_Count__c: number | null;
  Status: string;
  Email: string | null;
}

type Cond =
  | { kind: 'cmp'; field: 'Attempt_Count__c'; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: number | null }
  | { kind: 'in'; field: 'Attempt_Count__c'; not: boolean; values: number[] }
  | { kind: 'email'; op: '=' | '!='; value: string | null }
  | { kind: 'status'; op: '=' | '!=' | 'LIKE'; value: string }
  | { kind: 'not'; arg: Cond }
  | { kind: 'and' | 'or'; args: Cond[] };

const leaf: fc.Arbitrary<Cond> = fc.oneof(
  fc.record({
    kind: fc.constant('cmp' as const),
    field: fc.constant('Attempt_Count__c' as const),
    op: fc.constantFrom('=', '!=', '<', '<=', '>', '>=' as const),
    value: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
  }),
  fc.record({ kind: fc.constant('in' as const), field: fc.constant('Attempt_Count__c' as const), not: fc.boolean(), values: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }) }),
  fc.record({ kind: fc.constant('email' as const), op: fc.constantFrom('=', '!=' as const), value: fc.option(fc.constantFrom('a@x.io', 'b@x.io'), { nil: null }) }),
  fc.record({ kind: fc.constant('status' as const), op: fc.constantFrom('=', '!=', 'LIKE' as const), value: fc.constantFrom('Open - Not Contacted', 'working - contacted', 'Open%', '%Contacted') }),
);

const cond: fc.Arbitrary<Cond> = fc.letrec<{ c: Cond }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ kind: fc.constant('not' as const), arg: tie('c') }),
    fc.record({ kind: fc.constantFrom('and', 'or' as const), args: fc.array(tie('c'), { minLength: 2, maxLength: 3 }) }),
  ),
})).c;

const literal = (v: number | string | null): string => (v === null ? 'null' : typeof v === 'number' ? String(v) : `'${v}'`);

function soql(c: Cond): string {
  switch (c.kind) {
    case 'cmp':
      return `${c.field} ${c.op} ${literal(c.value)}`;
    case 'in':
      return `${c.field} ${c.not ? 'NOT IN' : 'IN'} (${c.values.join(', ')})`;
    case 'email':
      return `Email ${c.op} ${literal(c.value)}`;
    case 'status':
      return `Status ${c.op} ${literal(c.value)}`;
    case 'not':
      return `NOT (${soql(c.arg)})`;
    default:
      return c.args.map((a) => `(${soql(a)})`).join(c.kind === 'and' ? ' AND ' : ' OR ');
  }
}

function like(value: string, pattern: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'i');
  return re.test(value);
}

function matches(c: Cond, r: Row): boolean {
  switch (c.kind) {
    case 'cmp': {
      const v = r.Attempt_Count__c;
      if (c.value === null) return c.op === '=' ? v === null : c.op === '!=' ? v !== null : false;
      if (c.op === '!=') return v !== c.value;
      if (v === null) return false;
      return { '=': v === c.value, '<': v < c.value, '<=': v <= c.value, '>': v > c.value, '>=': v >= c.value }[c.op];
    }
    case 'in':
      return c.not ? r.Attempt_Count__c === null || !c.values.includes(r.Attempt_Count__c) : r.Attempt_Count__c !== null && c.values.includes(r.Attempt_Count__c);
    case 'email':
      return c.op === '=' ? r.Email === c.value : r.Email !== c.value;
    case 'status':
      if (c.op === 'LIKE') return like(r.Status, c.value);
      return (r.Status.toLowerCase() === c.value.toLowerCase()) === (c.op === '=');
    case 'not':
      return !matches(c.arg, r);
    case 'and':
      return c.args.every((a) => matches(a, r));
    case 'or':
      return c.args.some((a) => matches(a, r));
  }
}

const rowArb: fc.Arbitrary<Row> = fc.record({
  Attempt_Count__c: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
  Status: fc.constantFrom('Open - Not Contacted', 'Working - Contacted'),
  Email: fc.option(fc.constantFrom('a@x.io', 'b@x.io', 'c@x.io'), { nil: null }),
});

describe('WHERE translation', () => {
  // The fixture package adds Lead.Attempt_Count__c, a Number(4,0).
  const { schema } = loadSchema({ forceAppDir: join(__dirname, '..', 'test', 'fixtures', 'force-app') });

  const storeWith = (rows: Row[]): { store: Store; ids: (string | null)[] } => {
    const store = new Store({ db: new DatabaseSync(':memory:'), schema, events: new EventEmitter(), now: () => new Date('2026-03-18T12:00:00Z'), org: { name: 'p', timeZone: 'UTC', adminUsername: 'a@p.io' } });
    const ids = store.insertMany('Lead', rows.map((r) => ({ LastName: 'x', Company: 'y', LeadSource: 'Web', ...r })), { silent: true }).map((r) => r.id);
    return { store, ids };
  };

  it('answers two chained negations and refuses three rather than answer with the wrong polarity', () => {
    const { store } = storeWith([
      { Attempt_Count__c: 1, Status: 'Open - Not Contacted', Email: null },
      { Attempt_Count__c: null, Status: 'Open - Not Contacted', Email: null },
    ]);
    try {
      expect(store.query('SELECT Id FROM Lead WHERE NOT (NOT (Attempt_Count__c = 1))').records).toHaveLength(1);
      expect(store.query('SELECT Id FROM Lead WHERE NOT ((NOT (Attempt_Count__c = 1)) AND (Attempt_Count__c = null))').records).toHaveLength(1);
      for (const where of ['NOT (NOT (NOT (Attempt_Count__c = 1)))', "NOT ((NOT ((NOT (Attempt_Count__c = null)) AND (Status = 'x'))) AND (Attempt_Count__c = null))"]) {
        expect(() => store.query(`SELECT Id FROM Lead WHERE ${where}`)).toThrow(/NOT nested/);
      }
    } finally {
      store.close();
    }
  });

  it('matches exactly the records a SOQL evaluator would', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 25 }), cond, (rows, where) => {
        const { store, ids } = storeWith(rows);
        try {
          const text = soql(where);
          let answer: Set<unknown>;
          try {
            answer = new Set(store.query(`SELECT Id FROM Lead WHERE ${text}`).records.map((r) => r.Id));
          } catch (error) {
            // The parser loses a NOT when three are chained, each first inside the previous one's
            // parentheses (however many: `NOT ((NOT ((NOT (x` too); the org must then refuse, never
            // answer. 20,000 runs found no other shape of refusal.
            expect((error as Error).message).toContain('NOT nested');
            expect(text).toMatch(/NOT \(+NOT \(+NOT/);
            return;
          }
          const got = answer;
          const expected = new Set(ids.filter((_, i) => matches(where, rows[i] as Row)));
          expect([...got].sort()).toEqual([...expected].sort());
        } finally {
          store.close();
        }
      }),
      { numRuns: 300 },
    );
  });
});
