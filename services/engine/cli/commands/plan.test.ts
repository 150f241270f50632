import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { plan } from '../../core/planning';
import { register as registerPlan } from './plan';

/** Runs `asl <args>` with only these commands registered and returns what it printed. */
async function run(args: string[]): Promise<string> {
  const program = new Command('asl').exitOverride();
  registerPlan(program);
  let out = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'asl', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

const FLAGS = ['--target-bookings', '1200000', '--deal-size', '24000', '--period-days', '91', '--conversions', '0.3,0.2,0.8,0.25', '--cycle-days', '3,7,5,30', '--attempts-per-lead', '4', '--handling-minutes', '2'];

describe('asl plan (RevOps plans heads and leads for a bookings target)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'asl-plan-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints leads per day, heads per role, payroll delta and the bottleneck from flags', async () => {
    const text = await run(['plan', ...FLAGS, '--current', 'closer=2,sdr=3', '--costs', 'closer=140000,sdr=65000']);
    expect(text).toMatch(/Leads per day: 64\.1\./);
    expect(text).toMatch(/closer\s+1\.0\s+1\s+2\s+-1/);
    expect(text).toMatch(/Payroll delta: -205,000 a year/);
    expect(text).toMatch(/Bottleneck with these heads: closer\./);
  });

  it('prints the same plan as JSON as the core computes, from a file with flags overriding it', async () => {
    const file = path.join(dir, 'plan.json');
    writeFileSync(
      file,
      JSON.stringify({
        targetBookings: 600000,
        averageDealSize: 24000,
        periodDays: 91,
        stages: [
          { name: 'Lead to contact', conversion: 0.3, cycleDays: 3 },
          { name: 'Contact to meeting', conversion: 0.2, cycleDays: 7 },
          { name: 'Meeting to demo held', conversion: 0.8, cycleDays: 5 },
          { name: 'Demo held to won', conversion: 0.25, cycleDays: 30 }
        ],
        sdr: { attemptsPerLead: 4, handlingMinutes: 2 },
        inbound: { arrivalsPerHour: 6, handleMinutes: 6 }
      })
    );
    const result = JSON.parse(await run(['plan', '--input', file, '--target-bookings', '1200000', '--json']));
    expect(result.winsNeeded).toBe(50);
    const expected = plan({
      targetBookings: 1200000,
      averageDealSize: 24000,
      periodDays: 91,
      stages: [
        { name: 'Lead to contact', conversion: 0.3, cycleDays: 3 },
        { name: 'Contact to meeting', conversion: 0.2, cycleDays: 7 },
        { name: 'Meeting to demo held', conversion: 0.8, cycleDays: 5 },
        { name: 'Demo held to won', conversion: 0.25, cycleDays: 30 }
      ],
      sdr: { attemptsPerLead: 4, handlingMinutes: 2 },
      inbound: { arrivalsPerHour: 6, handleMinutes: 6 }
    });
    expect(result).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(result.inbound.heads).toBeGreaterThan(0);
  });

  it('runs the example input of docs/planning.md as written', async () => {
    const doc = readFileSync(path.resolve(__dirname, '../../../../docs/planning.md'), 'utf8');
    const example = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const file = path.join(dir, 'doc-example.json');
    writeFileSync(file, example as string);
    const result = JSON.parse(await run(['plan', '--input', file, '--json']));
    expect(result.winsNeeded).toBe(50);
    expect(result.leadsPerDayRange.p10).toBeLessThan(result.leadsPerDay);
    expect(result.inbound.heads).toBeGreaterThan(0);
    expect(result.roles.map((r: { role: string }) => r.role)).toEqual(['closer', 'coordinator', 'engineer', 'sdr', 'inboundSdr']);
  });

  it('says which flag or JSON field is missing', async () => {
    await expect(run(['plan', '--target-bookings', '1000'])).rejects.toThrow(/averageDealSize is missing: set --deal-size, or "averageDealSize" in the --input JSON/);
    await expect(run(['plan', ...FLAGS.slice(0, 6), '--cycle-days', '1,2'])).rejects.toThrow(/--cycle-days goes with --conversions/);
    await expect(run(['plan', '--input', path.join(dir, 'missing.json')])).rejects.toThrow(/--input: cannot read/);
  });
});
