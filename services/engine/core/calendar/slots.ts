import { createRng, shuffleInPlace, type Rng } from '../random';
import { freeIntervals, workingIntervals } from './availability';
import { caseSafeId, slotKeyTime } from './booking';
import { covers, intersect, type Interval } from './intervals';
import {
  calendarEntrySchema,
  HOLDING_STATUSES,
  personSchema,
  slotRequestSchema,
  type CalendarEntry,
  type CalendarEntryInput,
  type Person,
  type PersonInput,
  type SlotRequestInput
} from './model';
import { InputError } from './orgRecord';
import { DAY, localEpochDay, MINUTE } from './zone';

/**
 * Open demo slots for a demo type, ranked so the first slot goes to the rep who most needs
 * demos. See docs/calendar.md for the rules in plain words.
 *
 * Need: attainment = demos held or booked in the period / Demo_Target__c (pro-rated when the
 * period is not a month). The lowest attainment is the most behind. A rep without a target
 * takes the mean target of those who have one, so with no targets at all attainment orders
 * by demos booked: equal shares. Ties are broken by a seeded shuffle (request.seed), so the
 * order is fair between equals and can be replayed.
 *
 * Order of the list: round r holds each owner's r-th earliest slot, owners in need order. The
 * top of the list therefore shows the most behind rep's earliest time first, then the next
 * rep's earliest, and so on. Field meetings are ranked by tier first (see fieldTier).
 */
export interface Slot {
  rank: number;
  /** Demo_Slot__c.Slot_Key__c: the owner and the start; the org's unique index holds the booking. */
  key: string;
  demoType: string;
  /** The person the key belongs to: the AE, or the engineer for engineer-only types. */
  ownerId: string;
  aeId: string | null;
  engineerId: string | null;
  start: string;
  end: string;
  startMs: number;
  endMs: number;
  /** 0: the owner is already in this city that day; 1: owner's home city; 2: elsewhere (field meetings only). */
  tier: 0 | 1 | 2;
  city: string | null;
}

export interface OwnerStanding {
  userId: string;
  booked: number;
  target: number | null;
  /** Target used for the ranking (own, or the mean of the others', or 1). */
  effectiveTarget: number;
  attainment: number;
  /** 1 = the most behind. */
  order: number;
}

export interface SlotSearch {
  slots: Slot[];
  /** Owners in need order, with the figures that ordered them. */
  owners: OwnerStanding[];
  /** Engineers in the order they are paired (fewest demos in the period first). */
  engineers: OwnerStanding[];
  period: { start: string; end: string };
  seed: string | number;
  /** Total open slots before `limit`. */
  total: number;
}

const AVERAGE_MONTH_DAYS = 365.2425 / 12;

function monthOf(now: number): { start: number; end: number } {
  const d = new Date(now);
  return { start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
}

function normCity(city: string | null | undefined): string | null {
  const c = (city ?? '').trim().toLowerCase();
  return c === '' ? null : c;
}

/** Demos per person in the period: holding statuses, as AE and as engineer. */
function demoCounts(entries: readonly CalendarEntry[], period: { start: number; end: number }): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of entries) {
    if (e.kind !== 'demo' || !HOLDING_STATUSES.includes(e.status) || e.start < period.start || e.start >= period.end) continue;
    for (const id of [e.aeId, e.engineerId]) if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** Need order: lowest attainment first, ties in a seeded random order. */
export function standings(people: readonly Person[], counts: ReadonlyMap<string, number>, targetScale: number, rng: Rng): OwnerStanding[] {
  const scale = targetScale;
  const targets = people.map((p) => (p.demoTarget !== null && p.demoTarget > 0 ? p.demoTarget * scale : null));
  const known = targets.filter((t): t is number => t !== null);
  const fallback = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 1;
  const rows = people.map((p, i) => {
    const booked = counts.get(p.userId) ?? 0;
    const effectiveTarget = targets[i] ?? fallback;
    return { userId: p.userId, booked, target: targets[i] ?? null, effectiveTarget, attainment: booked / effectiveTarget, order: 0 };
  });
  // Shuffle, then a stable sort: equal attainments keep the seeded order.
  shuffleInPlace(rows, rng);
  rows.sort((a, b) => a.attainment - b.attainment);
  rows.forEach((r, i) => (r.order = i + 1));
  return rows;
}

function groupByPerson(entries: readonly CalendarEntry[]): Map<string, CalendarEntry[]> {
  const byPerson = new Map<string, CalendarEntry[]>();
  const add = (id: string | null, e: CalendarEntry) => {
    if (!id) return;
    const list = byPerson.get(id);
    if (list) list.push(e);
    else byPerson.set(id, [e]);
  };
  for (const e of entries) {
    if (e.kind === 'event') add(e.ownerId, e);
    else {
      add(e.aeId, e);
      if (e.engineerId !== e.aeId) add(e.engineerId, e);
    }
  }
  return byPerson;
}

/** Cities of a person's held/booked field demos, by their local day. */
function fieldDays(person: Person, entries: readonly CalendarEntry[]): Map<number, Set<string>> {
  const days = new Map<number, Set<string>>();
  for (const e of entries) {
    if (e.kind !== 'demo' || !HOLDING_STATUSES.includes(e.status)) continue;
    const city = normCity(e.city);
    if (!city) continue;
    const day = localEpochDay(e.start, person.timeZone);
    const set = days.get(day) ?? new Set<string>();
    set.add(city);
    days.set(day, set);
  }
  return days;
}

/**
 * Field meetings are batched by place: a day on which the rep already meets customers in the
 * requested city comes first (tier 0), then days in the rep's home city (tier 1), then any
 * other free day (tier 2). A day with meetings in another city is not offered when
 * oneCityPerDay is on (the default): one rep, one city per day.
 */
function fieldTier(person: Person, day: number, city: string, days: ReadonlyMap<number, Set<string>>, oneCityPerDay: boolean): 0 | 1 | 2 | null {
  const cities = days.get(day);
  if (cities?.has(city)) return 0;
  if (cities && cities.size > 0 && oneCityPerDay) return null;
  return normCity(person.city) === city ? 1 : 2;
}

interface Candidate {
  owner: Person;
  start: number;
  end: number;
  engineerId: string | null;
  tier: 0 | 1 | 2;
}

function parseInputs(request: SlotRequestInput, people: readonly PersonInput[], entries: readonly CalendarEntryInput[]) {
  const req = slotRequestSchema.safeParse(request);
  if (!req.success) {
    const issue = req.error.issues[0];
    throw new InputError(`request.${issue?.path.join('.') ?? ''}`, undefined, issue?.message ?? 'a valid slot request');
  }
  const persons = people.map((p, i) => {
    const parsed = personSchema.safeParse(p);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') ?? '';
      throw new InputError(`people[${i}](${(p as { userId?: string }).userId ?? '?'}).${field}`, (p as Record<string, unknown>)[String(issue?.path[0])], issue?.message ?? 'a valid person');
    }
    return parsed.data;
  });
  const parsedEntries = entries.map((e, i) => {
    const parsed = calendarEntrySchema.safeParse(e);
    if (!parsed.success) throw new InputError(`entries[${i}].${parsed.error.issues[0]?.path.join('.') ?? ''}`, e, parsed.error.issues[0]?.message ?? 'an event or demo');
    return parsed.data;
  });
  return { req: req.data, persons, parsedEntries };
}

/**
 * Open slots for `request.demoType` from `now` (plus notice) to `now + days`, for `people`
 * (AEs and engineers), given their `entries` (Events and Demo_Slot__c bookings, including the
 * period's earlier demos, which count against targets). Pure: same inputs, same answer.
 */
export function findSlots(request: SlotRequestInput, people: readonly PersonInput[], entries: readonly CalendarEntryInput[], now: Date | number): SlotSearch {
  const { req, persons, parsedEntries } = parseInputs(request, people, entries);
  const nowMs = typeof now === 'number' ? now : now.getTime();
  const type = req.demoType;
  if (!type.active) throw new InputError('request.demoType.active', false, 'an active demo type');
  const city = normCity(req.city);
  if (type.fieldMeeting && !city) throw new InputError('request.city', req.city, `the City__c of the meeting: demo type ${type.key} is a field meeting`);

  const grid = req.gridMinutes * MINUTE;
  const from = Math.ceil((nowMs + req.minNoticeMinutes * MINUTE) / grid) * grid;
  const to = nowMs + req.days * DAY;
  const duration = type.durationMinutes * MINUTE;
  const padMinutes = type.fieldMeeting ? Math.max(req.bufferMinutes, req.travelMinutes) : req.bufferMinutes;
  const period = req.period ?? monthOf(nowMs);
  // Demo_Target__c is per month: used as is for a calendar month, pro-rated for other periods.
  const targetScale = req.period === null ? 1 : (period.end - period.start) / DAY / AVERAGE_MONTH_DAYS;
  const rng = createRng(req.seed);

  const active = persons.filter((p) => p.active);
  const ownerRole = type.needsAE ? 'AE' : 'Engineer';
  const owners = active.filter((p) => p.role === ownerRole && (req.ownerIds === null || req.ownerIds.includes(p.userId)));
  const pairEngineer = type.needsAE && type.needsEngineer;
  const engineers = pairEngineer ? active.filter((p) => p.role === 'Engineer') : [];
  const counts = demoCounts(parsedEntries, period);
  const ownerOrder = standings(owners, counts, targetScale, rng.fork());
  const engineerOrder = standings(engineers, counts, targetScale, rng.fork());

  const byPerson = groupByPerson(parsedEntries);
  const w = req.customerWindow;
  const customer = w ? workingIntervals({ timeZone: w.timeZone, shiftStartHour: w.startHour, shiftEndHour: w.endHour, workingDays: w.workingDays }, from, to) : null;
  const freeOf = (p: Person): Interval[] => {
    const free = freeIntervals(p, byPerson.get(p.userId) ?? [], from, to, padMinutes);
    return customer ? intersect(free, customer) : free;
  };
  const engineerById = new Map(engineers.map((e) => [e.userId, e]));
  const engineerFree = engineerOrder.map((s) => ({ id: s.userId, free: freeOf(engineerById.get(s.userId) as Person) }));
  const ownerById = new Map(owners.map((o) => [o.userId, o]));

  const perOwner: Candidate[][] = ownerOrder.map((standing) => {
    const owner = ownerById.get(standing.userId) as Person;
    const days = type.fieldMeeting ? fieldDays(owner, byPerson.get(owner.userId) ?? []) : null;
    const out: Candidate[] = [];
    for (const free of freeOf(owner)) {
      for (let start = Math.ceil(free.start / grid) * grid; start + duration <= free.end; start += grid) {
        const end = start + duration;
        let tier: 0 | 1 | 2 | null = 0;
        if (days && city) tier = fieldTier(owner, localEpochDay(start, owner.timeZone), city, days, req.oneCityPerDay);
        if (tier === null) continue;
        let engineerId: string | null = null;
        if (pairEngineer) {
          // A person who is both AE and engineer cannot be paired with themselves.
          const match = engineerFree.find((e) => e.id !== owner.userId && covers(e.free, start, end));
          if (!match) continue;
          engineerId = match.id;
        }
        out.push({ owner, start, end, engineerId, tier });
      }
    }
    return out;
  });

  const ranked = interleave(perOwner);
  const total = ranked.length;
  const kept = req.limit === null ? ranked : ranked.slice(0, req.limit);
  // Many slots share a start: format each instant and each owner id once.
  const isoOf = memo((ms: number) => new Date(ms).toISOString());
  const keyTimeOf = memo(slotKeyTime);
  const ownerKey = new Map(owners.map((o) => [o.userId, caseSafeId(o.userId)]));
  const slots = kept.map(
    (c, i): Slot => ({
      rank: i + 1,
      key: `${ownerKey.get(c.owner.userId) as string}@${keyTimeOf(c.start)}`,
      demoType: type.key,
      ownerId: c.owner.userId,
      aeId: type.needsAE ? c.owner.userId : null,
      engineerId: type.needsAE ? c.engineerId : c.owner.userId,
      start: isoOf(c.start),
      end: isoOf(c.end),
      startMs: c.start,
      endMs: c.end,
      tier: c.tier,
      city: type.fieldMeeting ? req.city : null
    })
  );
  return {
    slots,
    owners: ownerOrder,
    engineers: engineerOrder,
    period: { start: new Date(period.start).toISOString(), end: new Date(period.end).toISOString() },
    seed: req.seed,
    total
  };
}

function memo<T>(fn: (ms: number) => T): (ms: number) => T {
  const cache = new Map<number, T>();
  return (ms) => {
    let v = cache.get(ms);
    if (v === undefined) {
      v = fn(ms);
      cache.set(ms, v);
    }
    return v;
  };
}

/** Tier first; within a tier, round r takes each owner's r-th earliest slot in need order. */
function interleave(perOwner: readonly Candidate[][]): Candidate[] {
  const out: Candidate[] = [];
  for (const tier of [0, 1, 2] as const) {
    const lists = perOwner.map((list) => list.filter((c) => c.tier === tier));
    const longest = Math.max(0, ...lists.map((l) => l.length));
    for (let round = 0; round < longest; round += 1) {
      for (const list of lists) {
        const c = list[round];
        if (c) out.push(c);
      }
    }
  }
  return out;
}
