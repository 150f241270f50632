import fc from 'fast-check';
import { createRng, type Rng } from '../random';
import { assignBatch, type AssignResult, type BlockOpened } from './assign';
import { capViolations, replayLedger, rosterSource } from './audit';
import { buildBlock } from './block';
import { rateCap } from './eligibility';
import { emptyState, type AssetToAssign, type AssignmentPolicy, type AssignmentState, type LedgerRow, type Rep, type Station } from './model';
import { WEEKDAYS, type Weekday } from './shift';
import { rebuildState } from './state';
import { makeRep, makeStation } from './testing';
import { planUnits } from './weights';

/**
 * Property tests over simulated floors: several runs over hours, reps with shifts in three
 * fixed-offset zones, leave, skills, WIP and hourly caps, weights, roster changes, and work
 * completing between runs. Eligibility is checked against an oracle written here from
 * scratch (fixed offsets, no Intl), not against the engine's own eligibility code.
 */
const ZONES: Array<{ zone: string; offsetHours: number }> = [
  { zone: 'UTC', offsetHours: 0 },
  { zone: 'Etc/GMT-3', offsetHours: 3 }, // POSIX sign: Etc/GMT-3 is UTC+3
  { zone: 'Etc/GMT+5', offsetHours: -5 }
];
const offsetOf = new Map(ZONES.map((z) => [z.zone, z.offsetHours] as const));
const START = Date.parse('2024-05-06T00:00:00Z');

interface Scenario {
  station: Station;
  policy: AssignmentPolicy;
  reps: Rep[];
  batches: Array<{ gapMinutes: number; arrivals: number; rosterChange: boolean }>;
  seed: number;
}

function oracleTimeEligible(rep: Rep, nowMs: number): boolean {
  if (!rep.active) return false;
  const local = new Date(nowMs + (offsetOf.get(rep.timeZone) as number) * 3_600_000);
  const date = local.toISOString().slice(0, 10);
  if ((rep.leaveStart === null || date >= rep.leaveStart) && (rep.leaveEnd === null || date <= rep.leaveEnd) && (rep.leaveStart || rep.leaveEnd)) return false;
  const hour = local.getUTCHours() + local.getUTCMinutes() / 60 + local.getUTCSeconds() / 3600;
  const day = WEEKDAYS[local.getUTCDay()] as Weekday;
  const yesterday = WEEKDAYS[(local.getUTCDay() + 6) % 7] as Weekday;
  const { shiftStartHour: s, shiftEndHour: e } = rep;
  if (s < e) return rep.workingDays.includes(day) && hour >= s && hour < e;
  return (hour >= s && rep.workingDays.includes(day)) || (hour < e && rep.workingDays.includes(yesterday));
}

const repArb = fc.record({
  weight: fc.constantFrom(1, 1, 1, 0.5, 0.75, 0.33),
  zone: fc.constantFrom(...ZONES.map((z) => z.zone)),
  start: fc.integer({ min: 0, max: 23 }),
  length: fc.integer({ min: 4, max: 24 }),
  days: fc.subarray([...WEEKDAYS], { minLength: 1 }),
  leave: fc.option(fc.integer({ min: 0, max: 3 }), { freq: 4 }),
  wipCap: fc.option(fc.integer({ min: 1, max: 12 }), { freq: 2 }),
  hourly: fc.option(fc.integer({ min: 0, max: 8 }), { freq: 3 }),
  spanish: fc.boolean()
});

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    reps: fc.array(repArb, { minLength: 1, maxLength: 7 }),
    handling: fc.constantFrom(2, 6, 15, 45, 90),
    maxMultiple: fc.integer({ min: 1, max: 3 }),
    batches: fc.array(fc.record({ gapMinutes: fc.integer({ min: 0, max: 240 }), arrivals: fc.integer({ min: 0, max: 25 }), rosterChange: fc.boolean() }), {
      minLength: 1,
      maxLength: 8
    }),
    seed: fc.integer()
  })
  .map(({ reps, handling, maxMultiple, batches, seed }) => ({
    station: makeStation({ handlingMinutes: handling, targetWip: 0 }),
    policy: { strata: ['LeadSource'], skillFields: ['Language__c'], blockMultiples: { min: 1, max: maxMultiple }, maxUnitsPerRep: 4 },
    reps: reps.map((r, i) =>
      makeRep(i, {
        weight: r.weight,
        timeZone: r.zone,
        shiftStartHour: r.start,
        shiftEndHour: r.length === 24 ? (r.start === 0 ? 24 : r.start) : (r.start + r.length) % 24 || 24,
        workingDays: r.days,
        leaveStart: r.leave === null ? null : `2024-05-0${6 + r.leave}`,
        leaveEnd: r.leave === null ? null : `2024-05-0${7 + r.leave}`,
        wipCap: r.wipCap,
        hourlyCapOverride: r.hourly,
        skills: r.spanish ? ['es'] : []
      })
    ).map((r) => (r.shiftStartHour === r.shiftEndHour ? { ...r, shiftStartHour: 0, shiftEndHour: 24 } : r)),
    batches,
    seed
  }));

interface Trace {
  results: AssignResult[];
  inputs: Array<{ reps: Rep[]; assets: AssetToAssign[]; now: number; wipBefore: Map<string, number>; state: AssignmentState }>;
  rows: LedgerRow[];
  opened: BlockOpened[];
}

function mutateRoster(reps: Rep[], rng: Rng): Rep[] {
  const i = rng.int(0, reps.length - 1);
  return reps.map((r, j) => (j === i ? { ...r, active: !r.active } : r));
}

/** Runs the scenario; `rebuild` resumes every run from state rebuilt from the ledger. */
function simulate(s: Scenario, rebuild: boolean): Trace {
  const rng = createRng(s.seed);
  let reps = s.reps;
  let state: AssignmentState = emptyState(s.station.key);
  let now = START + rng.int(0, 23) * 3_600_000;
  const wip = new Map<string, number>(reps.map((r) => [r.id, rng.int(0, 3)]));
  let waiting: AssetToAssign[] = [];
  let next = 0;
  const trace: Trace = { results: [], inputs: [], rows: [], opened: [] };
  for (const batch of s.batches) {
    now += batch.gapMinutes * 60_000;
    if (batch.rosterChange) reps = mutateRoster(reps, rng);
    for (const [id, w] of wip) {
      let left = w;
      for (let k = 0; k < w; k += 1) if (rng.next() < 0.4) left -= 1;
      wip.set(id, left);
    }
    const arrivals: AssetToAssign[] = Array.from({ length: batch.arrivals }, () => {
      const id = `00Q${String(next++).padStart(15, '0')}`;
      return {
        id,
        type: 'Lead',
        queuedAt: new Date(now - rng.int(0, 30) * 60_000).toISOString(),
        fields: { LeadSource: rng.next() < 0.5 ? 'Web' : 'List', Language__c: rng.next() < 0.25 ? 'es' : null },
        visit: 1
      };
    });
    const assets = [...waiting, ...arrivals];
    const input = { reps, assets, now, wipBefore: new Map(wip), state };
    const used = rebuild ? rebuildState(s.station, trace.rows, new Date(now)) : state;
    const result = assignBatch({
      station: s.station,
      reps,
      policy: s.policy,
      state: used,
      assets,
      now: new Date(now),
      seed: `sim${s.seed & 0xffff}`,
      wip: Object.fromEntries(wip)
    });
    trace.inputs.push(input);
    trace.results.push(result);
    trace.rows.push(...result.rows);
    trace.opened.push(...result.blocks.filter((b): b is BlockOpened => b.kind === 'opened'));
    for (const row of result.rows) wip.set(row.repId, (wip.get(row.repId) ?? 0) + 1);
    state = result.state;
    const assigned = new Set(result.rows.map((r) => r.assetId));
    waiting = assets.filter((a) => !assigned.has(a.id));
  }
  return trace;
}

/** Oracle eligibility of every rep just before row `upTo` of a run. */
function oracleEligible(s: Scenario, trace: Trace, run: number, upTo: number): Map<string, boolean> {
  const input = trace.inputs[run] as Trace['inputs'][number];
  const rows = (trace.results[run] as AssignResult).rows.slice(0, upTo);
  const earlier = trace.results.slice(0, run).flatMap((r) => r.rows);
  const out = new Map<string, boolean>();
  for (const rep of input.reps) {
    const cap = rateCap(s.station, rep);
    const from = input.now - cap.windowMinutes * 60_000;
    const recent = earlier.filter((r) => r.repId === rep.id && Date.parse(r.assignedAt) > from).length;
    const inRun = rows.filter((r) => r.repId === rep.id).length;
    const wipCap = rep.wipCap ?? Number.POSITIVE_INFINITY;
    const ok =
      rep.stations.includes(s.station.key) &&
      oracleTimeEligible(rep, input.now) &&
      (input.wipBefore.get(rep.id) ?? 0) + inRun < wipCap &&
      recent + inRun < cap.limit;
    out.set(rep.id, ok);
  }
  return out;
}

const RUNS = { numRuns: 120 };

describe('assignment properties', () => {
  it('never chooses an ineligible rep or one without the skill, and never exceeds a cap', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const trace = simulate(s, false);
        trace.results.forEach((result, run) => {
          const input = trace.inputs[run] as Trace['inputs'][number];
          const repById = new Map(input.reps.map((r) => [r.id, r] as const));
          result.rows.forEach((row, i) => {
            expect(oracleEligible(s, trace, run, i).get(row.repId)).toBe(true);
            const asset = input.assets.find((a) => a.id === row.assetId) as AssetToAssign;
            if (asset.fields.Language__c) expect(repById.get(row.repId)?.skills).toContain('es');
          });
          for (const rep of input.reps) {
            const total = (input.wipBefore.get(rep.id) ?? 0) + result.rows.filter((r) => r.repId === rep.id).length;
            if (rep.wipCap !== null && result.rows.some((r) => r.repId === rep.id)) expect(total).toBeLessThanOrEqual(rep.wipCap);
          }
        });
        const lastReps = trace.inputs[trace.inputs.length - 1]?.reps ?? [];
        const allReps = [...new Map([...s.reps, ...lastReps].map((r) => [r.id, r] as const)).values()];
        expect(capViolations(trace.rows, s.station, allReps)).toEqual([]);
      }),
      RUNS
    );
  });

  it('ends every asset assigned or visibly waiting, oldest first, none dropped or doubled', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const trace = simulate(s, false);
        trace.results.forEach((result, run) => {
          const ids = (trace.inputs[run] as Trace['inputs'][number]).assets.map((a) => a.id).sort();
          const out = [...result.rows.map((r) => r.assetId), ...result.waiting.map((w) => w.assetId)].sort();
          expect(out).toEqual(ids);
          const times = result.waiting.map((w) => Date.parse(w.queuedAt));
          expect(times).toEqual([...times].sort((a, b) => a - b));
          for (const w of result.waiting) expect(w.detail.length).toBeGreaterThan(0);
        });
        const keys = trace.rows.map((r) => r.ledgerKey);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      RUNS
    );
  });

  it('gives every rep eligible when a block closes exactly their quota; weighted quotas within one slot of exact', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const trace = simulate(s, false);
        const openedBy = new Map(trace.opened.map((o) => [`${o.stratum}#${o.block}`, o] as const));
        for (const opened of trace.opened) {
          const block = buildBlock({ station: opened.station, stratum: opened.stratum, number: opened.block, seed: opened.seed, roster: opened.roster, policy: s.policy });
          const plan = planUnits(opened.roster.map((m) => m.weight), s.policy.maxUnitsPerRep);
          const wMax = Math.max(...opened.roster.map((m) => m.weight));
          const h = (w: number): number => Math.round(w * 100);
          const first = opened.roster[0] as { weight: number };
          opened.roster.forEach((m, i) => {
            // Exact plans: quotas exactly proportional to weights. Otherwise within one slot.
            if (plan.exact) expect((block.quotas[i] as number) * h(first.weight)).toBe((block.quotas[0] as number) * h(m.weight));
            else expect(Math.abs((block.quotas[i] as number) - (block.multiple * m.weight) / wMax)).toBeLessThan(1);
          });
        }
        trace.results.forEach((result, run) => {
          for (const event of result.blocks) {
            if (event.kind !== 'closed' || event.reason === 'roster-changed') continue;
            const opened = openedBy.get(`${event.stratum}#${event.block}`);
            if (!opened) continue;
            // The close happens just before the first draw of the next block of the stratum.
            const at = result.rows.findIndex((r) => r.stratum === event.stratum && r.block === event.block + 1);
            const eligible = oracleEligible(s, trace, run, at < 0 ? result.rows.length : at);
            const block = buildBlock({ station: opened.station, stratum: opened.stratum, number: opened.block, seed: opened.seed, roster: opened.roster, policy: s.policy });
            opened.roster.forEach((m, i) => {
              const used = event.used[m.id] ?? 0;
              if (eligible.get(m.id)) expect(used).toBe(block.quotas[i]);
              if ((event.forfeited[m.id] ?? 0) > 0) expect(eligible.get(m.id)).toBe(false);
            });
          }
        });
      }),
      RUNS
    );
  });

  it('replays exactly: every row matches its seeded block, and the same inputs give the same ledger', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const trace = simulate(s, false);
        const replay = replayLedger(trace.rows, rosterSource(trace.opened), s.policy);
        expect(replay.problems).toEqual([]);
        expect(replay.reproduced).toBe(true);
        expect(simulate(s, false).rows).toEqual(trace.rows);
      }),
      RUNS
    );
  });

  it('resumes from state rebuilt from ledger rows alone exactly as from carried state', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        expect(simulate(s, true).rows).toEqual(simulate(s, false).rows);
      }),
      RUNS
    );
  });

  it('keeps always-eligible equal reps within one block multiple of each other in every stratum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 1, max: 3 }), fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 6 }), fc.integer(), (n, maxMultiple, sizes, seed) => {
        const reps = Array.from({ length: n }, (_, i) => makeRep(i));
        const station = makeStation({ hourlyCapOverride: 100_000, targetWip: 0 });
        const policy = { strata: ['LeadSource'], skillFields: [], blockMultiples: { min: 1, max: maxMultiple }, maxUnitsPerRep: 4 };
        const rng = createRng(seed);
        let state = emptyState('SDR_CALL');
        const counts = new Map<string, Map<string, number>>();
        let next = 0;
        sizes.forEach((size, b) => {
          const assets = Array.from({ length: size }, () => ({
            id: `00Q${String(next++).padStart(15, '0')}`,
            type: 'Lead' as const,
            queuedAt: new Date(START + b * 60_000).toISOString(),
            fields: { LeadSource: rng.next() < 0.5 ? 'Web' : 'List' }
          }));
          const result = assignBatch({ station, reps, policy, state, assets, now: new Date(START + b * 60_000), seed: 'eq', wip: {} });
          state = result.state;
          expect(result.rows).toHaveLength(size);
          for (const row of result.rows) {
            const c = counts.get(row.stratum as string) ?? new Map(reps.map((r) => [r.id, 0] as const));
            c.set(row.repId, (c.get(row.repId) as number) + 1);
            counts.set(row.stratum as string, c);
          }
          for (const c of counts.values()) {
            const values = [...c.values()];
            expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(maxMultiple);
          }
        });
      }),
      { numRuns: 200 }
    );
  });
});
