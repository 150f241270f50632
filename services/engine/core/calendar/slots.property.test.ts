import fc from 'fast-check';
import type { CalendarEntryInput, PersonInput } from './model';
import { findSlots } from './slots';

/**
 * Invariants of findSlots over random people, zones (with and without daylight saving,
 * half-hour and 45-minute offsets), shifts, leave, Events and booked demos, around the
 * 2026 daylight-saving transitions. Each is checked with an independent oracle: local
 * readings from Intl, not the calendar's own zone code.
 */
const ZONES = ['UTC', 'America/New_York', 'America/Los_Angeles', 'Europe/London', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/Santiago', 'Pacific/Chatham'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
// Near the 2026 transitions: US (Mar 8, Nov 1), EU (Mar 29, Oct 25), Lord Howe / Chatham / Santiago (Apr 5, Sep 6, Sep 27, Oct 4).
const ANCHORS = ['2026-03-05', '2026-03-26', '2026-04-02', '2026-09-03', '2026-09-24', '2026-10-01', '2026-10-22', '2026-10-29', '2026-06-15'].map((d) => Date.parse(`${d}T00:00:00Z`));
const MIN = 60_000;
const HOUR = 60 * MIN;

const readers = new Map<string, Intl.DateTimeFormat>();
function reading(ms: number, zone: string): { date: string; weekday: string; minute: number } {
  let f = readers.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    readers.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, weekday: String(p.weekday), minute: Number(p.hour) * 60 + Number(p.minute) };
}

const personArb = (role: 'AE' | 'Engineer', index: number) =>
  fc
    .record({
      timeZone: fc.constantFrom(...ZONES),
      startQuarter: fc.integer({ min: 0, max: 80 }),
      lengthQuarters: fc.integer({ min: 4, max: 48 }),
      workingDays: fc.subarray([...DAYS], { minLength: 1 }),
      leaveOffset: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null }),
      leaveLength: fc.integer({ min: 0, max: 3 }),
      demoTarget: fc.option(fc.integer({ min: 1, max: 30 }), { nil: null }),
      booked: fc.integer({ min: 0, max: 8 })
    })
    .map((r) => ({ ...r, userId: `${role}${index}`, role }));

const scenarioArb = fc
  .record({
    anchor: fc.constantFrom(...ANCHORS),
    nowOffsetMinutes: fc.integer({ min: 0, max: 4 * 24 * 60 }),
    aes: fc.integer({ min: 1, max: 4 }),
    engineers: fc.integer({ min: 0, max: 3 }),
    seed: fc.integer(),
    duration: fc.constantFrom(15, 30, 45, 60, 90),
    grid: fc.constantFrom(15, 30),
    buffer: fc.constantFrom(0, 10),
    needsEngineer: fc.boolean(),
    days: fc.integer({ min: 1, max: 10 })
  })
  .chain((s) =>
    fc.record({
      s: fc.constant(s),
      aes: fc.tuple(...Array.from({ length: s.aes }, (_, i) => personArb('AE', i))),
      engineers: s.engineers === 0 ? fc.constant([]) : fc.tuple(...Array.from({ length: s.engineers }, (_, i) => personArb('Engineer', i))),
      events: fc.array(fc.record({ who: fc.nat(), startMinutes: fc.integer({ min: -24 * 60, max: 12 * 24 * 60 }), minutes: fc.integer({ min: 5, max: 240 }) }), { maxLength: 40 })
    })
  );

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function build(x: Scenario) {
  const now = x.s.anchor + x.s.nowOffsetMinutes * MIN;
  const all = [...x.aes, ...x.engineers];
  const people: PersonInput[] = all.map((p) => {
    const start = p.startQuarter / 4;
    const end = Math.min(24, start + p.lengthQuarters / 4);
    const leaveStart = p.leaveOffset === null ? null : new Date(now + p.leaveOffset * 24 * HOUR).toISOString().slice(0, 10);
    const leaveEnd = p.leaveOffset === null ? null : new Date(now + (p.leaveOffset + p.leaveLength) * 24 * HOUR).toISOString().slice(0, 10);
    return {
      userId: p.userId,
      role: p.role,
      timeZone: p.timeZone,
      shiftStartHour: start,
      shiftEndHour: end,
      workingDays: p.workingDays,
      leave: leaveStart && leaveEnd ? [{ start: leaveStart, end: leaveEnd }] : [],
      demoTarget: p.demoTarget
    };
  });
  const monthStart = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1);
  const entries: CalendarEntryInput[] = [];
  x.aes.forEach((p) => {
    for (let k = 0; k < p.booked; k += 1) {
      const start = Math.min(now - HOUR, monthStart + k * 3 * HOUR);
      entries.push({ kind: 'demo', aeId: p.userId, start, end: start + HOUR, status: 'Held' });
    }
  });
  x.events.forEach((e, i) => {
    const owner = all[e.who % all.length];
    if (!owner) return;
    const start = now + e.startMinutes * MIN;
    if (i % 3 === 0) entries.push({ kind: 'demo', aeId: owner.role === 'AE' ? owner.userId : null, engineerId: owner.role === 'Engineer' ? owner.userId : null, start, end: start + e.minutes * MIN, status: i % 2 ? 'Booked' : 'Cancelled' });
    else entries.push({ kind: 'event', ownerId: owner.userId, start, end: start + e.minutes * MIN });
  });
  const result = findSlots(
    { demoType: { key: 'D', durationMinutes: x.s.duration, needsAE: true, needsEngineer: x.s.needsEngineer }, seed: x.s.seed, days: x.s.days, gridMinutes: x.s.grid, bufferMinutes: x.s.buffer, minNoticeMinutes: 30 },
    people,
    entries,
    now
  );
  return { now, people, entries, result };
}

const RUNS = { numRuns: 150 };

describe('findSlots invariants', () => {
  it('never offers a slot that overlaps a busy interval (Event or holding demo, with the buffer) of its AE or engineer', () => {
    fc.assert(
      fc.property(scenarioArb, (x) => {
        const { entries, result } = build(x);
        const pad = x.s.buffer * MIN;
        for (const slot of result.slots) {
          for (const e of entries) {
            const start = Number(e.start) - pad;
            const end = Number(e.end) + pad;
            if (!(slot.startMs < end && start < slot.endMs)) continue;
            if (e.kind === 'event' && (e.ownerId === slot.aeId || e.ownerId === slot.engineerId)) return false;
            if (e.kind === 'demo' && e.status !== 'Cancelled' && [e.aeId, e.engineerId].some((id) => id && (id === slot.aeId || id === slot.engineerId))) return false;
          }
        }
        return true;
      }),
      RUNS
    );
  });

  it('never offers a slot outside working hours as the person\'s own clock reads them (working day, not on leave, within the shift)', () => {
    fc.assert(
      fc.property(scenarioArb, (x) => {
        const { people, result } = build(x);
        const byId = new Map(people.map((p) => [p.userId, p]));
        for (const slot of result.slots) {
          for (const id of [slot.aeId, slot.engineerId]) {
            if (!id) continue;
            const p = byId.get(id) as PersonInput & { shiftStartHour: number; shiftEndHour: number };
            const zone = p.timeZone;
            const first = reading(slot.startMs, zone);
            if (!(p.workingDays ?? []).includes(first.weekday as (typeof DAYS)[number])) return false;
            if ((p.leave ?? []).some((l) => first.date >= l.start && first.date <= l.end)) return false;
            for (let t = slot.startMs; t < slot.endMs; t += 5 * MIN) {
              const r = reading(t, zone);
              if (r.date !== first.date || r.minute < p.shiftStartHour * 60 || r.minute >= p.shiftEndHour * 60) return false;
            }
            const last = reading(slot.endMs - 1, zone);
            if (last.date !== first.date || last.minute >= p.shiftEndHour * 60) return false;
          }
        }
        return true;
      }),
      RUNS
    );
  });

  it('keeps slots inside the window, on the grid, of the demo length, with unique keys', () => {
    fc.assert(
      fc.property(scenarioArb, (x) => {
        const { now, result } = build(x);
        const keys = new Set(result.slots.map((s) => s.key.toLowerCase()));
        return (
          keys.size === result.slots.length &&
          result.slots.every(
            (s) => s.startMs >= now + 30 * MIN && s.endMs <= now + x.s.days * 24 * HOUR && s.startMs % (x.s.grid * MIN) === 0 && s.endMs - s.startMs === x.s.duration * MIN && (!x.s.needsEngineer || s.engineerId !== null)
          )
        );
      }),
      RUNS
    );
  });

  it('gives the first slot to the most behind AE among those with any open slot', () => {
    fc.assert(
      fc.property(scenarioArb, (x) => {
        const { people, entries, result } = build(x);
        const first = result.slots[0];
        if (!first) return true;
        const withSlots = new Set(result.slots.map((s) => s.ownerId));
        // Oracle: demos held or booked this month / target (the mean target for those without one).
        const month = new Date(result.period.start).getTime();
        const booked = (id: string) => entries.filter((e) => e.kind === 'demo' && e.aeId === id && e.status !== 'Cancelled' && Number(e.start) >= month && Number(e.start) < new Date(result.period.end).getTime()).length;
        const aes = people.filter((p) => p.role === 'AE');
        const targets = aes.map((p) => p.demoTarget).filter((t): t is number => typeof t === 'number' && t > 0);
        const fallback = targets.length ? targets.reduce((a, b) => a + b, 0) / targets.length : 1;
        const attainment = (id: string) => {
          const p = aes.find((a) => a.userId === id) as PersonInput;
          return booked(id) / (typeof p.demoTarget === 'number' && p.demoTarget > 0 ? p.demoTarget : fallback);
        };
        const best = Math.min(...[...withSlots].map(attainment));
        return Math.abs(attainment(first.ownerId) - best) < 1e-12;
      }),
      RUNS
    );
  });
});
