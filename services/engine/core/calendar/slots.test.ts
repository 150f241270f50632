import type { CalendarEntryInput, PersonInput, SlotRequestInput } from './model';
import { InputError } from './orgRecord';
import { findSlots } from './slots';

const NOW = new Date('2026-11-23T12:00:00Z'); // a Monday
const at = (s: string) => Date.parse(s);
const ae = (userId: string, extra: Partial<PersonInput> = {}): PersonInput => ({ userId, role: 'AE', timeZone: 'UTC', shiftStartHour: 9, shiftEndHour: 17, ...extra });
const engineer = (userId: string, extra: Partial<PersonInput> = {}): PersonInput => ({ userId, role: 'Engineer', timeZone: 'UTC', shiftStartHour: 9, shiftEndHour: 17, ...extra });
const held = (aeId: string, n: number, engineerId: string | null = null): CalendarEntryInput[] =>
  Array.from({ length: n }, (_, i) => ({ kind: 'demo', aeId, engineerId, start: at(`2026-11-0${(i % 9) + 1}T10:00Z`), end: at(`2026-11-0${(i % 9) + 1}T11:00Z`), status: 'Held' }));
const AE_DEMO = { key: 'DEMO', durationMinutes: 60, needsAE: true, needsEngineer: false };
const TECH_DEMO = { key: 'TECH', durationMinutes: 60, needsAE: true, needsEngineer: true };
const request = (extra: Partial<SlotRequestInput> = {}): SlotRequestInput => ({ demoType: AE_DEMO, seed: 1, days: 7, ...extra });

describe('findSlots: who gets the first slot', () => {
  it('gives the first slot to the AE furthest below Demo_Target__c (lowest attainment)', () => {
    // a: 10 of 20 (50 %); b: 2 of 10 (20 %, most behind); c: 6 of 10 (60 %).
    const people = [ae('a', { demoTarget: 20 }), ae('b', { demoTarget: 10 }), ae('c', { demoTarget: 10 })];
    const result = findSlots(request(), people, [...held('a', 10), ...held('b', 2), ...held('c', 6)], NOW);
    expect(result.owners.map((o) => o.userId)).toEqual(['b', 'a', 'c']);
    expect(result.slots[0]?.ownerId).toBe('b');
    // Round robin: the top of the list shows each rep's earliest time in need order.
    expect(result.slots.slice(0, 3).map((s) => s.ownerId)).toEqual(['b', 'a', 'c']);
  });

  it('uses equal shares when no AE has a target: fewest demos this month first', () => {
    const people = [ae('a'), ae('b'), ae('c')];
    const result = findSlots(request(), people, [...held('a', 3), ...held('b', 1), ...held('c', 2)], NOW);
    expect(result.owners.map((o) => o.userId)).toEqual(['b', 'c', 'a']);
  });

  it('gives an AE without a target the mean target of the others', () => {
    const people = [ae('a', { demoTarget: 10 }), ae('b', { demoTarget: 30 }), ae('c')];
    // Mean target 20: c at 5/20 = 25 % is behind a at 3/10 = 30 % and b at 9/30 = 30 %.
    const result = findSlots(request(), people, [...held('a', 3), ...held('b', 9), ...held('c', 5)], NOW);
    expect(result.owners[0]).toMatchObject({ userId: 'c', effectiveTarget: 20, attainment: 0.25 });
  });

  it('counts only this period\'s demos that hold time (not cancelled, not no-shows)', () => {
    const entries: CalendarEntryInput[] = [
      ...held('a', 2),
      { kind: 'demo', aeId: 'b', start: at('2026-11-10T10:00Z'), end: at('2026-11-10T11:00Z'), status: 'Cancelled' },
      { kind: 'demo', aeId: 'b', start: at('2026-11-11T10:00Z'), end: at('2026-11-11T11:00Z'), status: 'No Show' },
      { kind: 'demo', aeId: 'b', start: at('2026-10-11T10:00Z'), end: at('2026-10-11T11:00Z'), status: 'Held' }
    ];
    const result = findSlots(request(), [ae('a'), ae('b')], entries, NOW);
    expect(result.owners.map((o) => [o.userId, o.booked])).toEqual([['b', 0], ['a', 2]]);
    expect(result.period).toEqual({ start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' });
  });

  it('pro-rates the monthly target for a period that is not a calendar month', () => {
    const result = findSlots(request({ period: { start: '2026-11-16T00:00:00Z', end: '2026-11-30T00:00:00Z' } }), [ae('a', { demoTarget: 20 })], [], NOW);
    expect(result.owners[0]?.effectiveTarget).toBeCloseTo((20 * 14) / (365.2425 / 12), 10);
  });

  it('breaks ties by the seeded draw: the same seed replays, other seeds vary the order', () => {
    const people = ['a', 'b', 'c', 'd', 'e'].map((id) => ae(id));
    const first = (seed: number) => findSlots(request({ seed }), people, [], NOW).owners.map((o) => o.userId).join('');
    expect(first(42)).toBe(first(42));
    const orders = new Set(Array.from({ length: 30 }, (_, i) => first(i)));
    expect(orders.size).toBeGreaterThan(5);
    const leaders = new Set(Array.from({ length: 60 }, (_, i) => first(i)[0]));
    expect(leaders.size).toBe(5);
  });
});

describe('findSlots: availability', () => {
  it('offers grid-aligned starts inside the shift, after the notice period, and none at weekends', () => {
    const result = findSlots(request({ gridMinutes: 30, minNoticeMinutes: 60, days: 7 }), [ae('a')], [], NOW);
    const starts = result.slots.map((s) => s.start);
    expect(starts[0]).toBe('2026-11-23T13:00:00.000Z');
    expect(starts).toContain('2026-11-23T16:00:00.000Z');
    expect(starts).not.toContain('2026-11-23T16:30:00.000Z'); // would end 17:30, after the shift
    expect(starts.some((s) => s.startsWith('2026-11-28') || s.startsWith('2026-11-29'))).toBe(false);
    expect(result.slots.every((s) => s.endMs - s.startMs === 60 * 60_000 && s.startMs % (30 * 60_000) === 0)).toBe(true);
  });

  it('skips Events and booked demos, with the buffer, and leave days', () => {
    const entries: CalendarEntryInput[] = [
      { kind: 'event', ownerId: 'a', start: at('2026-11-24T10:00Z'), end: at('2026-11-24T11:00Z') },
      { kind: 'demo', aeId: 'a', start: at('2026-11-24T14:00Z'), end: at('2026-11-24T15:00Z'), status: 'Booked' }
    ];
    const result = findSlots(request({ bufferMinutes: 15 }), [ae('a', { leave: [{ start: '2026-11-25', end: '2026-11-26' }] })], entries, NOW);
    const tuesday = result.slots.filter((s) => s.start.startsWith('2026-11-24')).map((s) => s.start.slice(11, 16));
    // Busy 09:45-11:15 and 13:45-15:15 with the buffer; the shift is 09:00-17:00.
    expect(tuesday).toEqual(['11:30', '12:00', '12:30', '15:30', '16:00']);
    expect(result.slots.some((s) => s.start.startsWith('2026-11-25') || s.start.startsWith('2026-11-26'))).toBe(false);
    expect(result.slots.some((s) => s.start.startsWith('2026-11-27'))).toBe(true);
  });

  it('pairs the least-loaded free engineer, and offers no slot when no engineer is free', () => {
    const people = [ae('a'), engineer('e1', { timeZone: 'Europe/Berlin', shiftStartHour: 9, shiftEndHour: 17 }), engineer('e2')];
    const entries: CalendarEntryInput[] = [
      ...held('a', 1, 'e2'),
      // e1 (fewer demos, so preferred) is busy Tuesday morning; e2 covers it.
      { kind: 'event', ownerId: 'e1', start: at('2026-11-24T09:00Z'), end: at('2026-11-24T12:00Z') },
      // Both engineers are busy Wednesday 13-15Z.
      { kind: 'event', ownerId: 'e1', start: at('2026-11-25T13:00Z'), end: at('2026-11-25T15:00Z') },
      { kind: 'event', ownerId: 'e2', start: at('2026-11-25T13:00Z'), end: at('2026-11-25T15:00Z') }
    ];
    const result = findSlots(request({ demoType: TECH_DEMO }), people, entries, NOW);
    expect(result.engineers.map((e) => e.userId)).toEqual(['e1', 'e2']);
    const byStart = new Map(result.slots.map((s) => [s.start, s.engineerId]));
    expect(byStart.get('2026-11-24T09:00:00.000Z')).toBe('e2');
    expect(byStart.get('2026-11-24T12:00:00.000Z')).toBe('e1');
    expect(byStart.get('2026-11-24T15:00:00.000Z')).toBe('e1');
    expect(byStart.get('2026-11-24T16:00:00.000Z')).toBe('e2'); // e1's shift ends 16:00Z (17:00 Berlin)
    expect([...byStart.keys()].filter((s) => s.startsWith('2026-11-25T13') || s.startsWith('2026-11-25T14'))).toEqual([]);
  });

  it('never pairs a person who is both AE and engineer with themselves', () => {
    const people = [ae('both'), engineer('both'), engineer('e2', { shiftStartHour: 13, shiftEndHour: 17 })];
    const result = findSlots(request({ demoType: TECH_DEMO }), people, [], NOW);
    expect(result.slots.length).toBeGreaterThan(0);
    expect(result.slots.every((s) => s.engineerId === 'e2' && s.startMs >= at(s.start.slice(0, 10) + 'T13:00Z'))).toBe(true);
  });

  it('ranks engineers for engineer-only demo types and keys the slot to the engineer', () => {
    const people = [ae('a'), engineer('e1'), engineer('e2')];
    const result = findSlots(request({ demoType: { key: 'DEEP_DIVE', durationMinutes: 30, needsAE: false, needsEngineer: true } }), people, held('x', 2, 'e1'), NOW);
    expect(result.owners.map((o) => o.userId)).toEqual(['e2', 'e1']);
    expect(result.slots[0]).toMatchObject({ ownerId: 'e2', aeId: null, engineerId: 'e2' });
    expect(result.slots[0]?.key.startsWith('e2@')).toBe(true);
  });

  it('keeps slots inside the customer\'s hours when given', () => {
    const result = findSlots(request({ customerWindow: { timeZone: 'America/Los_Angeles', startHour: 8, endHour: 12 } }), [ae('a')], [], NOW);
    // 08:00 Los Angeles = 16:00Z; the AE works until 17:00Z: only 16:00Z fits a 60-minute demo.
    expect(new Set(result.slots.map((s) => s.start.slice(11, 16)))).toEqual(new Set(['16:00']));
  });

  it('returns the top `limit` slots but reports the total', () => {
    const result = findSlots(request({ limit: 3 }), [ae('a'), ae('b')], [], NOW);
    expect(result.slots).toHaveLength(3);
    expect(result.total).toBeGreaterThan(3);
    expect(result.slots.map((s) => s.rank)).toEqual([1, 2, 3]);
  });

  it('ignores inactive people and honours ownerIds', () => {
    const result = findSlots(request({ ownerIds: ['b', 'c'] }), [ae('a'), ae('b'), ae('c', { active: false })], [], NOW);
    expect(new Set(result.slots.map((s) => s.ownerId))).toEqual(new Set(['b']));
  });
});

describe('findSlots: field meetings batched by place', () => {
  const ONSITE = { key: 'ONSITE', durationMinutes: 60, needsAE: true, needsEngineer: false, fieldMeeting: true };
  const visit = (aeId: string, day: string, city: string): CalendarEntryInput => ({ kind: 'demo', aeId, start: at(`${day}T10:00Z`), end: at(`${day}T11:00Z`), status: 'Booked', city });

  it('offers first the days a rep already meets customers in that city, then home-city days, and never a second city on one day', () => {
    const people = [ae('a', { city: 'Dallas' }), ae('b', { city: 'Chicago' })];
    const entries = [visit('a', '2026-11-25', 'chicago'), visit('a', '2026-11-24', 'Denver'), ...held('b', 5)];
    const result = findSlots(request({ demoType: ONSITE, city: 'Chicago', travelMinutes: 30 }), people, entries, NOW);
    const first = result.slots[0];
    expect(first).toMatchObject({ ownerId: 'a', tier: 0, city: 'Chicago' });
    expect(first?.start.startsWith('2026-11-25')).toBe(true);
    // Tier 0 (a on the 25th) before tier 1 (b at home) before tier 2 (a elsewhere).
    const tiers = result.slots.map((s) => s.tier);
    expect([...tiers].sort((x, y) => x - y)).toEqual(tiers);
    expect(result.slots.filter((s) => s.tier === 1).every((s) => s.ownerId === 'b')).toBe(true);
    // a is in Denver on the 24th: no Chicago meeting that day.
    expect(result.slots.some((s) => s.ownerId === 'a' && s.start.startsWith('2026-11-24'))).toBe(false);
    // Travel time around the Chicago meeting of the 25th (10-11Z): nothing from 9:30 to 11:30.
    const a25 = result.slots.filter((s) => s.ownerId === 'a' && s.start.startsWith('2026-11-25')).map((s) => s.start.slice(11, 16));
    expect(a25).not.toContain('09:00');
    expect(a25).toContain('11:30');
  });

  it('lets a rep visit two cities in a day when oneCityPerDay is off', () => {
    const result = findSlots(request({ demoType: ONSITE, city: 'Chicago', oneCityPerDay: false }), [ae('a')], [visit('a', '2026-11-24', 'Denver')], NOW);
    expect(result.slots.some((s) => s.start.startsWith('2026-11-24'))).toBe(true);
  });

  it('requires the city of a field meeting', () => {
    expect(() => findSlots(request({ demoType: ONSITE }), [ae('a')], [], NOW)).toThrow(/request\.city.*field meeting/);
  });
});

describe('findSlots: input errors name the field', () => {
  it('rejects an unknown time zone with the person and the field', () => {
    const call = () => findSlots(request(), [ae('a', { timeZone: 'Central' })], [], NOW);
    expect(call).toThrow(InputError);
    expect(call).toThrow(/people\[0\]\(a\)\.timeZone.*IANA time zone/);
  });

  it('rejects a demo type that needs nobody, and an inactive one', () => {
    expect(() => findSlots(request({ demoType: { ...AE_DEMO, needsAE: false } }), [ae('a')], [], NOW)).toThrow(/needs an AE, an engineer or both/);
    expect(() => findSlots(request({ demoType: { ...AE_DEMO, active: false } }), [ae('a')], [], NOW)).toThrow(/active demo type/);
  });

  it('rejects a grid that is not offered', () => {
    expect(() => findSlots(request({ gridMinutes: 7 }), [ae('a')], [], NOW)).toThrow(/gridMinutes.*one of 5, 10, 15, 20, 30, 60/);
  });
});
