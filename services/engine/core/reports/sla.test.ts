import fc from 'fast-check';
import { breachFlags } from './sla';

describe('SLA breach flags for stays still open', () => {
  const now = new Date('2026-11-18T09:00:00Z');

  it('flags open, unflagged stays whose due time has passed, at their due time', () => {
    const flags = breachFlags(
      [
        { Id: 'late', SLA_Due_At__c: '2026-11-18T08:59:59.000+0000', Exited_At__c: null, SLA_Breached__c: false },
        { Id: 'due-now', SLA_Due_At__c: '2026-11-18T09:00:00Z', Exited_At__c: null, SLA_Breached__c: 'false' },
        { Id: 'flagged', SLA_Due_At__c: '2026-11-01T00:00:00Z', Exited_At__c: null, SLA_Breached__c: true },
        { Id: 'left', SLA_Due_At__c: '2026-11-01T00:00:00Z', Exited_At__c: '2026-11-02T00:00:00Z', SLA_Breached__c: false },
        { Id: 'csv', SLA_Due_At__c: '2026-11-17T00:00:00Z', Exited_At__c: '', SLA_Breached__c: 'false' }
      ],
      now
    );
    expect(flags).toEqual([
      { Id: 'late', SLA_Breached__c: true, Breached_At__c: '2026-11-18T08:59:59.000Z' },
      { Id: 'csv', SLA_Breached__c: true, Breached_At__c: '2026-11-17T00:00:00.000Z' }
    ]);
  });

  it('names the field of a stay it cannot judge', () => {
    expect(() => breachFlags([{ Id: 'x', SLA_Due_At__c: '', Exited_At__c: null, SLA_Breached__c: false }], now)).toThrow(/SLA_Due_At__c/);
    expect(() => breachFlags([{ Id: 'x', SLA_Due_At__c: 'soon', Exited_At__c: null, SLA_Breached__c: false }], now)).toThrow(/Stage_Event__c\(x\)\.SLA_Due_At__c: "soon"/);
  });

  it('flags exactly the open stays past due, never earlier than they were due (property)', () => {
    const stay = fc.record({ dueOffsetMinutes: fc.integer({ min: -10_000, max: 10_000 }), open: fc.boolean(), flagged: fc.boolean() });
    fc.assert(
      fc.property(fc.array(stay, { maxLength: 40 }), (stays) => {
        const rows = stays.map((s, i) => ({ Id: `s${i}`, SLA_Due_At__c: new Date(now.getTime() + s.dueOffsetMinutes * 60_000).toISOString(), Exited_At__c: s.open ? null : '2026-11-01T00:00:00Z', SLA_Breached__c: s.flagged }));
        const flags = breachFlags(rows, now);
        const expected = stays.flatMap((s, i) => (s.open && !s.flagged && s.dueOffsetMinutes < 0 ? [`s${i}`] : []));
        expect(flags.map((f) => f.Id)).toEqual(expected);
        for (const f of flags) expect(Date.parse(f.Breached_At__c)).toBeLessThan(now.getTime());
      })
    );
  });
});
