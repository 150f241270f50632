/**
 * Benchmark: find demo slots (issue 8, target: at most 200 ms for 50 reps and 10 engineers
 * over 2 weeks).
 *
 *   tsx scripts/bench/calendar.ts                 # default scenario, 200 timed runs, Markdown
 *   tsx scripts/bench/calendar.ts --runs 500 --json
 *
 * The scenario is seeded: 50 AEs in four zones (one with an overnight shift pattern is not
 * used: all day shifts), 10 engineers in two zones, each person with 2-5 Events per working
 * day of 15-120 minutes, demos already booked this month, and a few people on leave. Each
 * timed run calls findSlots with inputs as the org layer would pass them (plain records,
 * validated inside), so validation, availability, pairing, ranking and key building are all
 * in the time. The first call is reported apart (cold: JIT and Intl caches empty).
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { z } from 'zod';
import { findSlots, type CalendarEntryInput, type PersonInput, type SlotRequestInput } from '../../services/engine/core/calendar';
import { createRng, type Rng } from '../../services/engine/core/random';

const AE_ZONES = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/London'];
const ENGINEER_ZONES = ['America/Chicago', 'Europe/Berlin'];
const CITIES = ['Chicago', 'Dallas', 'Denver', 'Boston'];
const HOUR = 3_600_000;
const MINUTE = 60_000;

export interface Scenario {
  people: PersonInput[];
  entries: CalendarEntryInput[];
  now: Date;
}

function busyDays(rng: Rng, userId: string, from: number, days: number, entries: CalendarEntryInput[]): void {
  for (let d = 0; d < days; d += 1) {
    const count = rng.int(2, 5);
    for (let k = 0; k < count; k += 1) {
      const start = from + d * 24 * HOUR + rng.int(0, 47) * 30 * MINUTE;
      entries.push({ kind: 'event', ownerId: userId, start, end: start + rng.int(1, 8) * 15 * MINUTE });
    }
  }
}

export function scenario(seed: number, aes = 50, engineers = 10, days = 14): Scenario {
  const rng = createRng(seed);
  const now = new Date('2026-11-16T13:07:00Z');
  const monthStart = Date.UTC(2026, 10, 1);
  const people: PersonInput[] = [];
  const entries: CalendarEntryInput[] = [];
  for (let i = 0; i < aes; i += 1) {
    const userId = `005AE${String(i).padStart(10, '0')}`;
    people.push({
      userId,
      role: 'AE',
      timeZone: AE_ZONES[i % AE_ZONES.length] as string,
      shiftStartHour: 8 + (i % 3) * 0.5,
      shiftEndHour: 17 + (i % 2),
      demoTarget: [20, 30, null][i % 3] ?? null,
      city: CITIES[i % CITIES.length] as string,
      leave: i % 17 === 0 ? [{ start: '2026-11-19', end: '2026-11-24' }] : []
    });
    busyDays(rng, userId, now.getTime(), days, entries);
    const booked = rng.int(0, 12);
    for (let k = 0; k < booked; k += 1) {
      const start = monthStart + rng.int(0, 14) * 24 * HOUR + rng.int(14, 20) * HOUR;
      entries.push({ kind: 'demo', aeId: userId, start, end: start + HOUR, status: 'Held', city: k % 3 === 0 ? (CITIES[k % 4] as string) : null });
    }
  }
  for (let i = 0; i < engineers; i += 1) {
    const userId = `005SE${String(i).padStart(10, '0')}`;
    people.push({ userId, role: 'Engineer', timeZone: ENGINEER_ZONES[i % 2] as string, shiftStartHour: 7, shiftEndHour: 19 });
    busyDays(rng, userId, now.getTime(), days, entries);
  }
  return { people, entries, now };
}

const DEMO_TYPES: Record<string, SlotRequestInput['demoType']> = {
  'AE + engineer, 60 min': { key: 'TECH_DEMO', durationMinutes: 60, needsAE: true, needsEngineer: true },
  'AE only, 30 min': { key: 'INTRO_DEMO', durationMinutes: 30, needsAE: true, needsEngineer: false },
  'field meeting, 90 min': { key: 'ONSITE', durationMinutes: 90, needsAE: true, needsEngineer: false, fieldMeeting: true }
};

function quantile(sorted: readonly number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

export function run(runs: number, grid: number) {
  const s = scenario(7);
  return Object.entries(DEMO_TYPES).map(([label, demoType]) => {
    const request: SlotRequestInput = { demoType, days: 14, gridMinutes: grid, seed: 'bench', city: demoType.fieldMeeting ? 'Chicago' : null };
    const t0 = performance.now();
    const first = findSlots(request, s.people, s.entries, s.now);
    const cold = performance.now() - t0;
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const c = process.cpuUsage();
      const t = performance.now();
      findSlots({ ...request, seed: i }, s.people, s.entries, s.now);
      times.push(performance.now() - t);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
    }
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    return {
      demoType: label,
      gridMinutes: grid,
      people: s.people.length,
      entries: s.entries.length,
      slots: first.total,
      coldMs: cold,
      p50Ms: quantile(times, 0.5),
      p95Ms: quantile(times, 0.95),
      maxMs: times[times.length - 1] as number,
      cpuP50Ms: quantile(cpu, 0.5),
      cpuP95Ms: quantile(cpu, 0.95)
    };
  });
}

if (require.main === module) {
  const program = new Command('bench-calendar')
    .option('--runs <n>', 'timed runs per demo type', '200')
    .option('--json', 'print JSON lines', false)
    .parse(process.argv);
  const opts = z.object({ runs: z.coerce.number().int().min(1).max(100_000), json: z.boolean() }).parse(program.opts());
  const rows = [...run(opts.runs, 30), ...run(opts.runs, 15)];
  if (opts.json) {
    for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
  } else {
    process.stdout.write(`Machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${opts.runs} timed runs each; 1-min load average ${os.loadavg()[0]?.toFixed(1)} at the end\n\n`);
    process.stdout.write('| demo type | grid | people | busy entries | open slots | cold ms | p50 ms | p95 ms | max ms | CPU p50 ms | CPU p95 ms |\n|---|---|---|---|---|---|---|---|---|---|---|\n');
    for (const r of rows) {
      process.stdout.write(
        `| ${r.demoType} | ${r.gridMinutes} min | ${r.people} | ${r.entries} | ${r.slots} | ${r.coldMs.toFixed(1)} | ${r.p50Ms.toFixed(1)} | ${r.p95Ms.toFixed(1)} | ${r.maxMs.toFixed(1)} | ${r.cpuP50Ms.toFixed(1)} | ${r.cpuP95Ms.toFixed(1)} |\n`
      );
    }
  }
}
