import fc from 'fast-check';
import { fixedClock } from '../clock';
import { nextCall, planSdr, rankQueue, rerankAfterDisposition, QUEUE_DEFAULTS, type QueueInputRaw, type RankResult } from '.';
import type { Outcome } from './guidance';

/**
 * Property tests of the queue's hard rules. The local-time oracle here uses Intl directly, not
 * the queue's own time arithmetic, so a bug there cannot hide itself.
 */

const US_ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'];
const LEAD_ZONES = [...US_ZONES, 'America/Phoenix', 'Pacific/Honolulu', null, 'Not/AZone'];
const BINS = ['Cold', 'Working', 'Working', 'Nurture - Check Back Quarterly', 'Nurture - Dead Opportunity', 'Avoid - Duplicate', null];
const FAME = ['Unknown', 'Known', 'Famous'];
const MINUTE = 60_000;
const rules = QUEUE_DEFAULTS.rules;

const oracleFormat = new Map<string, Intl.DateTimeFormat>();
function oracle(zone: string, ms: number): { weekday: string; minutes: number } {
  let format = oracleFormat.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    oracleFormat.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { weekday: parts.weekday ?? '', minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

function inCallingHours(zone: string | null, ms: number): boolean {
  const zones = zone !== null && US_ZONES.concat(['America/Phoenix', 'Pacific/Honolulu']).includes(zone) ? [zone] : rules.fallbackTimeZones;
  return zones.every((z) => {
    const local = oracle(z, ms);
    return rules.callingHours.days.includes(local.weekday as never) && local.minutes >= rules.callingHours.startHour * 60 && local.minutes < rules.callingHours.endHour * 60;
  });
}

function onShift(rep: { Time_Zone__c: string; Shift_Start_Hour__c: number; Shift_End_Hour__c: number }, ms: number): boolean {
  const local = oracle(rep.Time_Zone__c, ms);
  return ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'].includes(local.weekday) && local.minutes >= rep.Shift_Start_Hour__c * 60 && local.minutes < rep.Shift_End_Hour__c * 60;
}

const arbNow = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') }).map((ms) => Math.floor(ms / MINUTE) * MINUTE);

const arbRep = (i: number) =>
  fc.record({
    User__c: fc.constant(`005REP00000000000${i}`),
    Time_Zone__c: fc.constantFrom(...US_ZONES),
    Shift_Start_Hour__c: fc.integer({ min: 7, max: 10 }),
    Shift_End_Hour__c: fc.integer({ min: 15, max: 19 }),
    Working_Days__c: fc.constant('Mon;Tue;Wed;Thu;Fri')
  });

const arbLead = (now: number, reps: number) =>
  fc.record({
    owner: fc.option(fc.integer({ min: 0, max: reps }), { nil: null }),
    zone: fc.constantFrom(...LEAD_ZONES),
    inbound: fc.boolean(),
    createdAgo: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 60 * 24 * 40 })),
    attempts: fc.integer({ min: 0, max: 8 }),
    lastAgo: fc.integer({ min: 0, max: 60 * 24 * 10 }),
    nextIn: fc.option(fc.integer({ min: -60 * 24, max: 60 * 24 * 100 }), { nil: null }),
    bin: fc.constantFrom(...BINS),
    dnc: fc.boolean(),
    converted: fc.boolean(),
    booked: fc.boolean(),
    source: fc.constantFrom('Web', 'Phone Inquiry', 'Purchased List', 'Trade Show', null),
    segment: fc.constantFrom('SMB', 'Mid-Market', 'Enterprise', null),
    company: fc.string({ maxLength: 12 }),
    fame: fc.constantFrom(...FAME)
  });

interface Floor {
  now: number;
  input: Omit<QueueInputRaw, 'leads' | 'reps'> & {
    reps: Array<{ User__c: string; Time_Zone__c: string; Shift_Start_Hour__c: number; Shift_End_Hour__c: number; Working_Days__c: string }>;
    leads: Array<Record<string, unknown> & { Id: string }>;
  };
}

const arbFloor: fc.Arbitrary<Floor> = arbNow.chain((now) =>
  fc.integer({ min: 1, max: 3 }).chain((repCount) =>
    fc
      .tuple(
        fc.tuple(...Array.from({ length: repCount }, (_, i) => arbRep(i))),
        fc.array(arbLead(now, repCount), { maxLength: 40 })
      )
      .map(([reps, leads]) => ({
        now,
        input: {
          station: { Handling_Minutes__c: 2 },
          reps,
          leads: leads.map((l, i) => ({
            Id: `00QLEAD${String(i).padStart(11, '0')}`,
            // owner === repCount points at a user who is not an SDR on this floor.
            OwnerId: l.owner === null ? null : `005REP00000000000${l.owner}`,
            CreatedDate: new Date(now - l.createdAgo * MINUTE).toISOString(),
            LeadSource: l.source,
            Inbound__c: l.inbound,
            Time_Zone__c: l.zone,
            Segment__c: l.segment,
            Bin__c: l.bin,
            Attempt_Count__c: l.attempts,
            Last_Attempt_At__c: l.attempts > 0 ? new Date(now - Math.min(l.lastAgo, l.createdAgo) * MINUTE).toISOString() : null,
            Next_Action_At__c: l.nextIn === null ? null : new Date(now + l.nextIn * MINUTE).toISOString(),
            Booked_By__c: l.booked ? `005REP00000000000${l.owner ?? 0}` : null,
            DoNotCall: l.dnc,
            IsConverted: l.converted,
            Company: l.company,
            Fame_Band__c: l.fame
          }))
        }
      }))
  )
);

/** Midday on a weekday (13:00 in New York, 10:00 in Los Angeles), with some inbound leads just arrived. */
const arbBusyFloor: fc.Arbitrary<Floor> = fc
  .tuple(arbFloor, fc.integer({ min: 0, max: 51 }), fc.integer({ min: 0, max: 4 }), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }))
  .map(([floor, week, weekday, freshFlags]) => {
    const now = Date.parse('2026-01-05T18:00:00Z') + (week * 7 + weekday) * 86_400_000;
    const leads = floor.input.leads.map((lead, i) =>
      freshFlags[i]
        ? { ...lead, Inbound__c: true, Attempt_Count__c: 0, Next_Action_At__c: null, Booked_By__c: null, DoNotCall: false, IsConverted: false, Bin__c: 'Working', CreatedDate: new Date(now - (i % 7) * MINUTE).toISOString() }
        : lead
    );
    return { now, input: { ...floor.input, leads } };
  });

const rank = (floor: Floor): RankResult => rankQueue(floor.input as QueueInputRaw, fixedClock(new Date(floor.now)));
const entries = (result: RankResult) => result.queues.flatMap((q) => q.entries);
const RUNS = { numRuns: 150 };

describe('queue hard rules (property tests)', () => {
  it('never plans a call outside the lead\u2019s local calling hours or the SDR\u2019s shift', () => {
    fc.assert(
      fc.property(arbFloor, (floor) => {
        const result = rank(floor);
        const leads = new Map(floor.input.leads.map((l) => [l.Id, l]));
        const reps = new Map(floor.input.reps.map((r) => [r.User__c, r]));
        for (const entry of entries(result)) {
          const at = Date.parse(entry.plannedAt);
          expect(inCallingHours((leads.get(entry.assetId)?.Time_Zone__c as string | null) ?? null, at)).toBe(true);
          const rep = reps.get(entry.sdrId);
          expect(rep && onShift(rep, at)).toBe(true);
          expect(at).toBeGreaterThanOrEqual(Date.parse(entry.dueAt));
        }
      }),
      RUNS
    );
  });

  it('never plans an attempt past the limit, and moves leads at the limit to Nurture', () => {
    const limit: Record<string, number> = {
      'First Touch': rules.maxAttempts,
      'Follow Up': rules.maxAttempts,
      'Call Back': rules.maxAttempts,
      'Nurture Check Back': rules.maxAttemptsByPurpose['Nurture Check Back'] ?? rules.maxAttempts,
      'Rebook No Show': rules.maxAttemptsByPurpose['Rebook No Show'] ?? rules.maxAttempts
    };
    fc.assert(
      fc.property(arbFloor, (floor) => {
        const result = rank(floor);
        for (const entry of entries(result)) expect(entry.attemptNumber).toBeLessThanOrEqual(limit[entry.purpose] ?? rules.maxAttempts);
        const moved = new Set(result.moves.map((m) => m.assetId));
        for (const lead of floor.input.leads) {
          const pursued = (lead.Bin__c === 'Cold' || lead.Bin__c === 'Working' || lead.Bin__c === null) && !lead.DoNotCall && !lead.IsConverted;
          if (pursued && (lead.Attempt_Count__c as number) >= rules.maxAttempts && result.unassigned.every((u) => u.assetId !== lead.Id)) {
            expect(moved.has(lead.Id)).toBe(true);
          }
        }
      }),
      RUNS
    );
  });

  it('puts every inbound lead that is inside its 5-minute clock before every outbound call', () => {
    let checked = 0;
    fc.assert(
      fc.property(arbBusyFloor, (floor) => {
        const result = rank(floor);
        const reps = new Map(floor.input.reps.map((r) => [r.User__c, r]));
        for (const lead of floor.input.leads) {
          const rep = lead.OwnerId === null ? undefined : reps.get(lead.OwnerId as string);
          const fresh =
            rep !== undefined &&
            lead.Inbound__c === true &&
            lead.Attempt_Count__c === 0 &&
            lead.Next_Action_At__c === null &&
            lead.Booked_By__c === null &&
            !lead.DoNotCall &&
            !lead.IsConverted &&
            (lead.Bin__c === 'Cold' || lead.Bin__c === 'Working' || lead.Bin__c === null) &&
            floor.now - Date.parse(lead.CreatedDate as string) <= rules.inboundSlaMinutes * MINUTE &&
            inCallingHours(lead.Time_Zone__c as string | null, floor.now) &&
            onShift(rep, floor.now);
          if (!fresh) continue;
          const queue = result.queues.find((q) => q.sdrId === lead.OwnerId)?.entries ?? [];
          const position = queue.findIndex((e) => e.assetId === lead.Id);
          expect(position).toBeGreaterThanOrEqual(0);
          for (const earlier of queue.slice(0, position)) expect(earlier.inbound).toBe(true);
          checked += 1;
        }
      }),
      RUNS
    );
    // The property is not vacuous: the generator produced many fresh inbound leads.
    expect(checked).toBeGreaterThan(100);
  });

  it('gives the same order when company names and fame bands are shuffled between leads', () => {
    fc.assert(
      fc.property(arbFloor, fc.integer({ min: 1, max: 39 }), (floor, shift) => {
        const leads = floor.input.leads;
        const rotated = leads.map((lead, i) => {
          const donor = leads[(i + shift) % leads.length] ?? lead;
          return { ...lead, Company: donor.Company, Fame_Band__c: donor.Fame_Band__c };
        });
        const strip = (r: RankResult) => JSON.stringify({ q: r.queues, m: r.moves, c: r.closed, u: r.unassigned });
        expect(strip(rank({ ...floor, input: { ...floor.input, leads: rotated } }))).toBe(strip(rank(floor)));
      }),
      RUNS
    );
  });

  it('never queues a do-not-call lead', () => {
    fc.assert(
      fc.property(arbFloor, (floor) => {
        const dnc = new Set(floor.input.leads.filter((l) => l.DoNotCall).map((l) => l.Id));
        for (const entry of entries(rank(floor))) expect(dnc.has(entry.assetId)).toBe(false);
      }),
      RUNS
    );
  });

  it('leaks nothing: every lead is planned, moved, closed or unassigned, exactly once', () => {
    fc.assert(
      fc.property(arbFloor, (floor) => {
        const result = rank(floor);
        const seen = new Map<string, number>();
        const count = (id: string) => seen.set(id, (seen.get(id) ?? 0) + 1);
        entries(result).forEach((e) => count(e.assetId));
        result.moves.forEach((m) => count(m.assetId));
        result.closed.forEach((c) => count(c.assetId));
        result.unassigned.forEach((u) => count(u.assetId));
        result.queues.forEach((q) => q.unplannable.forEach(count));
        for (const lead of floor.input.leads) expect(seen.get(lead.Id)).toBe(1);
        expect(result.queues.every((q) => q.unplannable.length === 0)).toBe(true);
      }),
      RUNS
    );
  });

  it('hands the SDR the first planned entry when asked for the next call', () => {
    fc.assert(
      fc.property(arbFloor, (floor) => {
        const result = rank(floor);
        const clock = fixedClock(new Date(floor.now));
        for (const rep of floor.input.reps) {
          const next = nextCall(result.state, rep.User__c, clock);
          const first = planSdr(result.state, rep.User__c, clock, 1).entries[0];
          if (first !== undefined && first.plannedAt === new Date(floor.now).toISOString()) expect(next?.entryKey).toBe(first.entryKey);
          else expect(next).toBeNull();
        }
      }),
      RUNS
    );
  });

  it('keeps the rules and loses no lead through any sequence of dispositions', () => {
    const outcomes: Outcome[] = ['No Answer', 'Left Voicemail', 'Wrong Person', 'Bad Number', 'Call Back Requested', 'Meeting Booked', 'Not Interested', 'Nurture'];
    fc.assert(
      fc.property(arbFloor, fc.array(fc.tuple(fc.constantFrom(...outcomes), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 600 })), { maxLength: 30 }), (floor, steps) => {
        const result = rank(floor);
        const state = result.state;
        const gone = new Set<string>([...result.moves, ...result.closed, ...result.unassigned].map((a) => a.assetId));
        let now = floor.now;
        for (const [outcome, repIndex, gap] of steps) {
          now += gap * MINUTE;
          const clock = fixedClock(new Date(now));
          const rep = floor.input.reps[repIndex % floor.input.reps.length];
          const entry = rep ? planSdr(state, rep.User__c, clock, 1).entries[0] : undefined;
          if (!entry || entry.assetType !== 'Lead' || entry.slotId !== null) continue;
          const at = Date.parse(entry.plannedAt);
          const change = rerankAfterDisposition(
            state,
            { Lead__c: entry.assetId, Purpose__c: entry.purpose, Outcome__c: outcome, Next_Action_At__c: new Date(at + 86_400_000).toISOString(), CreatedDate: new Date(at).toISOString() },
            fixedClock(new Date(Math.max(now, at)))
          );
          change.moves.forEach((m) => gone.add(m.assetId));
          if (!state.tasks.has(`L:${entry.assetId}`)) gone.add(entry.assetId);
          for (const e of change.queues.flatMap((q) => q.entries)) {
            expect(e.attemptNumber).toBeLessThanOrEqual(rules.maxAttempts);
            const lead = floor.input.leads.find((l) => l.Id === e.assetId);
            expect(inCallingHours((lead?.Time_Zone__c as string | null) ?? null, Date.parse(e.plannedAt))).toBe(true);
          }
        }
        for (const lead of floor.input.leads) expect(state.tasks.has(`L:${lead.Id}`) || gone.has(lead.Id)).toBe(true);
      }),
      { numRuns: 100 }
    );
  });
});
