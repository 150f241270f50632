import { caseSafeId, clashes, demoSlotRecord, isSlotConflict, nextBestSlot, resolveOverlap, SlotConflictError, slotKey, type BookedSlot, type SlotLike } from './booking';
import { findSlots } from './slots';

const at = (s: string) => Date.parse(s);
const slot = (key: string, aeId: string, engineerId: string | null, start: string, minutes = 60): SlotLike => ({
  key,
  ownerId: aeId,
  aeId,
  engineerId,
  startMs: at(start),
  endMs: at(start) + minutes * 60_000
});

describe('slot keys (Demo_Slot__c.Slot_Key__c, unique and case-insensitive)', () => {
  it('joins the owner and the UTC start to the minute', () => {
    expect(slotKey('005000000000001AAA', '2026-11-23T09:00:00-06:00')).toBe('005000000000001AAA@20261123T1500Z');
    expect(slotKey('005000000000001AAA', at('2026-11-23T15:00:42.123Z'))).toBe('005000000000001AAA@20261123T1500Z');
  });

  it('uses the 18-character id, so ids that differ only in case never share a key (CASESAFEID algorithm)', () => {
    // Suffix bits mark upper-case letters five characters at a time: none -> A, all -> 5.
    expect(caseSafeId('005abcdefghijkl')).toBe('005abcdefghijklAAA');
    expect(caseSafeId('00ABCDEFGHIJKLM')).toBe('00ABCDEFGHIJKLM255'); // 00ABC: bits 2-4 = 28 -> '2'
    const lower = slotKey('005xx000001abcd', '2026-11-23T15:00Z');
    const upper = slotKey('005xx000001ABCD', '2026-11-23T15:00Z');
    expect(lower.toLowerCase()).not.toBe(upper.toLowerCase());
    expect(slotKey(caseSafeId('005xx000001abcd'), '2026-11-23T15:00Z')).toBe(lower);
    expect(caseSafeId('not-an-id')).toBe('not-an-id');
  });

  it('rejects an empty owner or a bad start, naming the argument', () => {
    expect(() => slotKey('', '2026-11-23T15:00Z')).toThrow(/slotKey\.ownerId/);
    expect(() => slotKey('005', 'tomorrow')).toThrow(/slotKey\.start/);
  });
});

describe('after a conflict', () => {
  const ranked = [
    slot('a@1500', 'a', 'e1', '2026-11-23T15:00Z'),
    slot('b@1500', 'b', 'e1', '2026-11-23T15:00Z'),
    slot('a@1530', 'a', 'e2', '2026-11-23T15:30Z'),
    slot('c@1500', 'c', 'e2', '2026-11-23T15:00Z'),
    slot('a@1700', 'a', 'e1', '2026-11-23T17:00Z')
  ];

  it('treats DUPLICATE_VALUE as a taken slot', () => {
    expect(isSlotConflict('DUPLICATE_VALUE')).toBe(true);
    expect(isSlotConflict('UNABLE_TO_LOCK_ROW')).toBe(false);
  });

  it('offers the same start with other people first, skipping everyone the taken slot holds', () => {
    // a@1500 holds a and e1 from 15:00 to 16:00: b@1500 needs e1; a@1530 needs a; c@1500 is free.
    expect(nextBestSlot(ranked[0] as SlotLike, ranked)?.key).toBe('c@1500');
  });

  it('follows the ranking when asked, and returns null when nothing is left', () => {
    expect(nextBestSlot(ranked[0] as SlotLike, ranked, { sameStartFirst: false })?.key).toBe('c@1500');
    expect(nextBestSlot(ranked[3] as SlotLike, ranked, { sameStartFirst: false })?.key).toBe('a@1500');
    expect(nextBestSlot(ranked[0] as SlotLike, ranked, { alsoTaken: [ranked[3] as SlotLike, ranked[4] as SlotLike] })).toBeNull();
  });

  it('builds a clear error with the next slot', () => {
    const error = new SlotConflictError('a@1500', ranked[3] as SlotLike);
    expect(error.message).toMatch(/a@1500 was just booked by someone else\. Next best slot: c@1500/);
    expect(new SlotConflictError('a@1500', null).message).toMatch(/no other slot is open.*more days/);
  });

  it('works on findSlots output: two coordinators, one rep, the second gets the next slot', () => {
    const people = [{ userId: 'ae1', role: 'AE' as const, timeZone: 'UTC', shiftStartHour: 9, shiftEndHour: 12 }];
    const { slots } = findSlots({ demoType: { key: 'D', durationMinutes: 60, needsAE: true, needsEngineer: false }, seed: 1, days: 1 }, people, [], new Date('2026-11-23T07:00:00Z'));
    const taken = slots[0] as SlotLike;
    const next = nextBestSlot(taken, slots);
    expect(next?.start).toBe('2026-11-23T10:00:00.000Z');
    expect(clashes(taken, next as SlotLike)).toBe(false);
  });
});

describe('overlapping bookings with different keys', () => {
  const booked = (key: string, aeId: string, engineerId: string | null, start: string, createdAt: number): BookedSlot => ({ ...slot(key, aeId, engineerId, start), createdAt });

  it('keeps the earlier created booking; both sides agree', () => {
    const mine = booked('a@1000', 'a', null, '2026-11-23T10:00Z', 2);
    const theirs = booked('a@1030', 'a', null, '2026-11-23T10:30Z', 1);
    expect(resolveOverlap(mine, [mine, theirs])).toEqual({ keep: false, conflictWith: theirs });
    expect(resolveOverlap(theirs, [mine, theirs])).toEqual({ keep: true, conflictWith: mine });
  });

  it('breaks equal creation stamps by key, and catches a shared engineer', () => {
    const x = booked('a@1000', 'a', 'e1', '2026-11-23T10:00Z', 5);
    const y = booked('b@1030', 'b', 'e1', '2026-11-23T10:30Z', 5);
    expect(resolveOverlap(x, [y]).keep).toBe(true);
    expect(resolveOverlap(y, [x]).keep).toBe(false);
    const z = booked('c@1100', 'c', 'e1', '2026-11-23T11:00Z', 1);
    expect(resolveOverlap(x, [z]).keep).toBe(true); // touching, not overlapping
  });
});

describe('the Demo_Slot__c record', () => {
  const s = { ...slot('005000000000001AAA@20261123T1500Z', '005000000000001AAA', null, '2026-11-23T15:00Z'), start: '2026-11-23T15:00:00.000Z', end: '2026-11-23T16:00:00.000Z' };

  it('uses the org\'s field names, with the namespace when there is one', () => {
    const plain = demoSlotRecord(s, { demoTypeId: 'a01', bookedBy: '005C', leadId: '00Q1' });
    expect(plain).toMatchObject({ Slot_Key__c: s.key, AE__c: s.aeId, Start__c: s.start, Status__c: 'Booked', Lead__c: '00Q1', Booked_By__c: '005C', Demo_Type__c: 'a01' });
    const namespaced = demoSlotRecord(s, { demoTypeId: 'a01', bookedBy: '005C', city: 'Chicago' }, 'asl');
    expect(namespaced).toMatchObject({ asl__Slot_Key__c: s.key, asl__City__c: 'Chicago', asl__Status__c: 'Booked' });
    expect(Object.keys(namespaced).every((k) => k.startsWith('asl__'))).toBe(true);
  });
});
