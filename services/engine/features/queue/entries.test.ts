import fc from 'fast-check';
import { PURPOSES, type QueueEntry } from '../../core/queue';
import { CONSOLE_GUIDANCE_KEYS, EntryLedger, entryRecord } from './entries';

function entry(key: string, sdrId: string, rank: number, overrides: Partial<QueueEntry> = {}): QueueEntry {
  return {
    entryKey: key,
    sdrId,
    assetId: key.split(':')[0] ?? key,
    assetType: 'Lead',
    slotId: null,
    purpose: 'Follow Up',
    attemptNumber: 2,
    rank,
    dueAt: '2026-11-16T15:00:00.000Z',
    plannedAt: '2026-11-16T15:00:00.000Z',
    tier: 3,
    inbound: false,
    contactProbability: 0.07,
    expectedMeetings: 0.003,
    expectedMinutes: 1.2,
    meetingsPerHour: 0.15,
    guidanceKey: 'guidance.follow-up',
    allowedOutcomes: ['No Answer', 'Left Voicemail'],
    ...overrides
  };
}

const written = (records: ReadonlyArray<Record<string, unknown>>) => new Map(records.map((r, i) => [String(r.Entry_Key__c), `a0Q${String(i).padStart(15, '0')}`]));

describe('queue entries written to the org', () => {
  it('uses the Work Queue console guidance keys for every purpose (docs/consoles.md, Work Queue)', () => {
    expect(PURPOSES.map((purpose) => CONSOLE_GUIDANCE_KEYS[purpose])).toEqual([
      'FIRST_TOUCH',
      'FOLLOW_UP',
      'CALL_BACK',
      'NURTURE_CHECK_BACK',
      'REBOOK_NO_SHOW',
      'CONFIRM_DEMO',
      'COURTESY_CALL'
    ]);
    const record = entryRecord(entry('00Q1:call-back:3', 'U1', 1, { purpose: 'Call Back' }), '2026-11-16T15:00:00.000Z');
    expect(record).toMatchObject({ Guidance_Key__c: 'CALL_BACK', Allowed_Outcomes__c: 'No Answer;Left Voicemail', Status__c: 'Open', Lead__c: '00Q1', SDR__c: 'U1' });
  });

  it('writes only changed rows, withdraws rows no longer planned and closes the called entry as Done', () => {
    const ledger = new EntryLedger();
    ledger.seed([{ id: 'a0Q1', entryKey: 'stale:follow-up:2', sdrId: 'U1' }]);
    const plan = new Map([['U1', [entry('L1:first-touch:1', 'U1', 1), entry('L2:follow-up:2', 'U1', 2)]]]);
    const first = ledger.changes(plan, 't1');
    expect(first.map((r) => [r.Entry_Key__c, r.Status__c])).toEqual([
      ['L1:first-touch:1', 'Open'],
      ['L2:follow-up:2', 'Open'],
      ['stale:follow-up:2', 'Withdrawn']
    ]);
    ledger.commit(first, written(first));
    // Same plan again, later: nothing to send.
    expect(ledger.changes(plan, 't2')).toEqual([]);
    // L1 was called: its entry is Done, L2 moves up, L3 appears.
    const next = new Map([['U1', [entry('L2:follow-up:2', 'U1', 1), entry('L3:first-touch:1', 'U1', 2), entry('L1:follow-up:2', 'U1', 3)]]]);
    const second = ledger.changes(next, 't3', new Map([['L1:first-touch:1', 'Done']]));
    expect(second.map((r) => [r.Entry_Key__c, r.Status__c, r.Rank__c ?? null])).toEqual([
      ['L2:follow-up:2', 'Open', 1],
      ['L3:first-touch:1', 'Open', 2],
      ['L1:follow-up:2', 'Open', 3],
      ['L1:first-touch:1', 'Done', null]
    ]);
  });

  it('never withdraws an entry another SDR now holds, and never closes a row the org does not have', () => {
    const ledger = new EntryLedger();
    const a = ledger.changes(new Map([['U1', [entry('L1:first-touch:1', 'U1', 1)]]]), 't1');
    ledger.commit(a, written(a));
    // The lead changed hands: U2 plans the same call; U1's plan is empty.
    const moved = ledger.changes(new Map([['U1', []], ['U2', [entry('L1:first-touch:1', 'U2', 1)]]]), 't2', new Map([['never-written:x:1', 'Done']]));
    expect(moved).toEqual([expect.objectContaining({ Entry_Key__c: 'L1:first-touch:1', SDR__c: 'U2', Status__c: 'Open' })]);
  });

  it('leaves the org showing exactly the last plan of each SDR, whatever the sequence of plans', () => {
    const plans = fc.array(
      fc.record({ sdr: fc.constantFrom('U1', 'U2'), keys: fc.uniqueArray(fc.constantFrom('A', 'B', 'C', 'D', 'E'), { maxLength: 5 }) }),
      { minLength: 1, maxLength: 12 }
    );
    fc.assert(
      fc.property(plans, (sequence) => {
        const ledger = new EntryLedger();
        const org = new Map<string, { sdr: string; status: string }>();
        const last = new Map<string, string[]>();
        for (const step of sequence) {
          // A key is one lead's call: only one SDR plans it at a time (the last one to plan it).
          for (const [sdr, keys] of last) if (sdr !== step.sdr) last.set(sdr, keys.filter((key) => !(step.keys as readonly string[]).includes(key)));
          const records = ledger.changes(new Map([[step.sdr, step.keys.map((key, i) => entry(key, step.sdr, i + 1))]]), 't');
          for (const r of records) org.set(String(r.Entry_Key__c), { sdr: String(r.SDR__c ?? org.get(String(r.Entry_Key__c))?.sdr), status: String(r.Status__c) });
          ledger.commit(records, written(records));
          last.set(step.sdr, step.keys);
        }
        const open = [...org].filter(([, row]) => row.status === 'Open').map(([key, row]) => `${row.sdr}:${key}`).sort();
        const expected = [...last].flatMap(([sdr, keys]) => keys.map((key) => `${sdr}:${key}`)).sort();
        expect(open).toEqual(expected);
      })
    );
  });
});
