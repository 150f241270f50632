import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { generateFloor } from './arrivals';
import { BehaviourModelError, parseBehaviourModel } from './behaviourModel';
import { compareRuns, formatReport, runSeed } from './compare';
import { runFloor } from './floor';
import { POLICIES, type PolicyFactory } from './policies';
import { ScenarioSchema } from './scenario';
import { meanInterval, percentile, ratioInterval } from './stats';
import { localFactors, trueContact } from './truth';

const MODEL_FILE = path.resolve(__dirname, '../../../../config/behaviour-model.json');
const model = parseBehaviourModel(JSON.parse(readFileSync(MODEL_FILE, 'utf8')), MODEL_FILE);
const small = ScenarioSchema.parse({ sdrs: 2, weeks: 1, inboundPerSdrWeekday: 4, listLeadsPerSdrWeek: 40 });
const policy = (key: string): PolicyFactory => POLICIES[key] as PolicyFactory;

describe('behaviour model (config/behaviour-model.json)', () => {
  it('reads the shipped model', () => {
    expect(model.contact.baseRate).toBeGreaterThan(0);
  });

  it('names the field that is wrong in a broken model', () => {
    const broken = JSON.parse(readFileSync(MODEL_FILE, 'utf8'));
    delete broken.contact.baseRate;
    expect(() => parseBehaviourModel(broken, 'broken.json')).toThrow(BehaviourModelError);
    expect(() => parseBehaviourModel(broken, 'broken.json')).toThrow(/contact\.baseRate/);
  });

  it('combines the contact odds as docs/behaviour-model.md writes them', () => {
    const floor = generateFloor(model, small, 1);
    const lead = { ...(floor.leads.find((l) => !l.inbound) as (typeof floor.leads)[number]), source: 'Purchased List', fame: 'Unknown' as const, zone: 'America/Chicago', dials: 0 };
    // Thursday 8 January 2026, 16:30 in Chicago.
    const thursday = Date.parse('2026-01-08T22:30:00Z');
    const c = model.contact;
    const expected = c.baseRate * (c.sourceMultiplier['Purchased List'] ?? 1) * (c.attemptMultiplier[0] ?? 1) * (c.localHourMultiplier['16'] ?? 1) * (c.weekdayMultiplier.Thu ?? 1) * (c.fameMultiplier.Unknown ?? 1);
    expect(trueContact(model, lead, thursday).p).toBeCloseTo(expected, 10);
  });

  it('gives calls outside the modelled hours half the nearest modelled value', () => {
    // 19:00 in Chicago on a Thursday: half of the 17:00 value.
    const c = model.contact;
    expect(localFactors(model, 'America/Chicago', Date.parse('2026-01-09T01:00:00Z'))).toMatchObject({ hour: 0.5 * (c.localHourMultiplier['17'] ?? 1), offHours: true });
    // Saturday 10:00: half of Friday's value.
    expect(localFactors(model, 'America/Chicago', Date.parse('2026-01-10T16:00:00Z'))).toMatchObject({ weekday: 0.5 * (c.weekdayMultiplier.Fri ?? 1), offHours: true });
  });
});

describe('SDR floor simulation', () => {
  it('replays a run exactly from its seed', () => {
    expect(runFloor(model, small, policy('fifo'), 7)).toEqual(runFloor(model, small, policy('fifo'), 7));
    expect(runFloor(model, small, policy('ours'), 7)).toEqual(runFloor(model, small, policy('ours'), 7));
  });

  it('gives every policy the same arrivals (common random numbers)', () => {
    const a = generateFloor(model, small, 3);
    const b = generateFloor(model, small, 3);
    const summary = (f: typeof a) => f.leads.map((l) => [l.arrivedAt, l.owner, l.inbound, l.source, l.zone, l.fame]);
    expect(summary(a)).toEqual(summary(b));
    expect(summary(generateFloor(model, small, 4))).not.toEqual(summary(a));
  });

  it('runs the queue policy with no call outside local hours and no leak, whatever the seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const run = runFloor(model, ScenarioSchema.parse({ sdrs: 2, weeks: 2, inboundPerSdrWeekday: 4, listLeadsPerSdrWeek: 40 }), policy('ours'), seed);
        expect(run.dials).toBeGreaterThan(0);
        expect(run.offHoursCalls).toBe(0);
        expect(run.leaked).toBe(0);
      }),
      { numRuns: 5 }
    );
  });

  it('shows the behaviours the baselines stand for: off-hours calls, and self-selection drawn to famous names', () => {
    const fifo = runFloor(model, small, policy('fifo'), 11);
    expect(fifo.offHoursCalls).toBeGreaterThan(0);
    const floor = generateFloor(model, small, 11);
    const famousLeads = floor.leads.filter((l) => l.fame === 'Famous').length;
    const unknownLeads = floor.leads.filter((l) => l.fame === 'Unknown').length;
    // Count self-selection dials per fame band by wrapping its choice.
    let famousDials = 0;
    let unknownDials = 0;
    const counting: PolicyFactory = (ctx) => {
      const inner = policy('self')(ctx);
      return {
        ...inner,
        next(sdr, now) {
          const lead = inner.next(sdr, now);
          if (lead?.fame === 'Famous') famousDials += 1;
          if (lead?.fame === 'Unknown') unknownDials += 1;
          return lead;
        }
      };
    };
    runFloor(model, small, counting, 11);
    expect(famousLeads).toBeGreaterThan(0);
    expect(famousDials / famousLeads).toBeGreaterThan(1.2 * (unknownDials / unknownLeads));
  });

  it('reports every policy with intervals over seeds and paired ratios against ours', () => {
    const seeds = [1, 2];
    const runs = seeds.map((seed) => runSeed(model, small, ['ours', 'fifo'], seed));
    const report = compareRuns(small, seeds, ['ours', 'fifo'], runs);
    expect(report.policies.map((p) => p.name)).toEqual(['Queue (ours)', 'FIFO']);
    expect(report.ratios).toHaveLength(1);
    expect(report.ratios[0]?.meetingsPerSdrHour.n).toBeGreaterThan(0);
    expect(formatReport(report)).toContain('| FIFO');
  });
});

describe('statistics over seeds', () => {
  it('computes a Student-t interval', () => {
    const i = meanInterval([1, 2, 3]);
    expect(i.mean).toBe(2);
    expect(i.high - i.mean).toBeCloseTo((4.303 * 1) / Math.sqrt(3), 3);
  });

  it('gives a ratio of 1 with no width for identical pairs', () => {
    expect(ratioInterval([2, 3, 4], [2, 3, 4])).toMatchObject({ mean: 1, low: 1, high: 1 });
  });

  it('takes nearest-rank percentiles, with never-called leads as infinity', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, Infinity], 0.95)).toBe(Infinity);
  });
});
