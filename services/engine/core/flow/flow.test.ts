import { makeStation } from '../assignment/testing';
import { lineFlow, type FlowInput } from './metrics';
import { stationKeyOf, visitFromRecord, type StageVisit } from './records';
import { countTransitions, releasePlan, transitionRates } from './release';

const T = Date.parse('2024-05-06T18:00:00Z');
const h = (hours: number): number => T - hours * 3_600_000;
let serial = 0;
const visit = (value: string, enteredHoursAgo: number, exitedHoursAgo: number | null, from: string | null = null): StageVisit => ({
  assetId: `a${(serial += 1)}`,
  kind: 'Station',
  value,
  from,
  enteredAt: h(enteredHoursAgo),
  exitedAt: exitedHoursAgo === null ? null : h(exitedHoursAgo)
});

const A = makeStation({ key: 'A', name: 'Calling', handlingMinutes: 2, targetWip: 10, slaHours: 48, order: 10 });
const B = makeStation({ key: 'B', name: 'Coordination', handlingMinutes: 6, targetWip: 5, slaHours: 4, order: 20 });
const C = makeStation({ key: 'C', name: 'Demo', handlingMinutes: 45, targetWip: 2, slaHours: 120, order: 30 });

function line(bOpen = 6): { input: FlowInput; visits: StageVisit[] } {
  const visits = [
    visit('A', 20, 5), // closed in window, 15 h, 5 h of it in the window
    visit('A', 8, 2), // closed in window, 6 h
    visit('A', 60, null), // open 60 h: breaches the 48 h SLA
    visit('A', 1, null),
    visit('A', 30, 12), // left before the window: no throughput, no WIP
    visit('B', 5, null, 'A'),
    visit('B', 2, null, 'A'),
    ...Array.from({ length: bOpen - 2 }, () => visit('B', 3, null))
  ];
  return {
    visits,
    input: {
      stations: [C, A, B],
      visits,
      now: new Date(T),
      windowHours: 10,
      staffing: { A: { headcount: 2, onShift: 1, hoursPerDay: 8 }, B: { headcount: 1, onShift: 1, hoursPerDay: 8 }, C: { headcount: 1, onShift: 0, hoursPerDay: 8 } },
      waiting: { A: 3 }
    }
  };
}

describe('line flow metrics', () => {
  it('counts no SLA breach at a station where assets stay for good (no stay SLA)', () => {
    const service = makeStation({ key: 'S', name: 'Service', handlingMinutes: 15, targetWip: 200, slaHours: null, order: 60 });
    const flow = lineFlow({ ...line().input, stations: [service], visits: [visit('S', 2000, null), visit('S', 900, 1)] });
    expect(flow.stations[0]).toMatchObject({ slaHours: null, slaBreachesOpen: 0, slaBreachesClosed: 0, wip: 1 });
  });

  it('measures WIP, throughput, cycle time (measured and by Little\'s law) and SLA breaches', () => {
    const flow = lineFlow(line().input);
    expect(flow.stations.map((s) => s.key)).toEqual(['A', 'B', 'C']);
    const a = flow.stations[0];
    expect(a).toMatchObject({ wip: 2, wipTarget: 20, wipRatio: 0.1, waiting: 3, slaBreachesOpen: 1, slaBreachesClosed: 0, oldestOpenHours: 60, headcount: 2, onShift: 1 });
    expect(a?.arrivalsPerHour).toBeCloseTo(0.2, 12);
    expect(a?.throughputPerHour).toBeCloseTo(0.2, 12);
    expect(a?.throughputPerDay).toBeCloseTo(4.8, 12);
    expect(a?.averageWip).toBeCloseTo(2.2, 12); // (5 + 6 + 10 + 1) hours / 10
    expect(a?.cycleTimeLittleHours).toBeCloseTo(11, 12);
    expect(a?.cycleTime).toEqual({ n: 2, meanHours: 10.5, p50Hours: 10.5, p90Hours: expect.closeTo(14.1, 12) });
    expect(a?.capacityPerHour).toBeCloseTo(20, 12); // 2 people x 30/h x 8/24
  });

  it('agrees with Little\'s law in a steady state', () => {
    // One arrival an hour, each staying exactly 3 hours: L = 3, lambda = 1/h, W = 3 h.
    const visits = Array.from({ length: 200 }, (_, i) => visit('A', 200 - i, 197 - i > 0 ? 197 - i : null));
    const flow = lineFlow({ stations: [A], visits, now: new Date(T), windowHours: 100, staffing: { A: { headcount: 1, onShift: 1, hoursPerDay: 24 } } });
    const a = flow.stations[0];
    expect(a?.averageWip).toBeCloseTo(3, 12);
    expect(a?.throughputPerHour).toBeCloseTo(1, 12);
    expect(a?.cycleTimeLittleHours).toBeCloseTo(3, 12);
    expect(a?.cycleTime.meanHours).toBeCloseTo(3, 12);
  });

  it('names the bottleneck: highest utilization, over its WIP target', () => {
    const flow = lineFlow(line().input);
    const b = flow.stations.find((s) => s.key === 'B');
    expect(flow.bottleneck).toBe('B');
    expect(b).toMatchObject({ wip: 6, wipTarget: 5, constrained: true, isBottleneck: true });
    expect(flow.stations.filter((s) => s.isBottleneck)).toHaveLength(1);
  });

  it('treats a station with arrivals and nobody working it as the bottleneck', () => {
    const { input } = line();
    const flow = lineFlow({ ...input, visits: [...input.visits, visit('C', 1, null, 'B')], staffing: { ...input.staffing, C: { headcount: 0, onShift: 0, hoursPerDay: 0 } } });
    expect(flow.bottleneck).toBe('C');
    expect(flow.stations.find((s) => s.key === 'C')?.utilization).toBeNull();
  });
});

describe('release control', () => {
  const edges = [
    { from: 'A', to: 'B' },
    { from: 'B', to: 'C' },
    { from: 'B', to: 'A' } // backwards (cancelled): never part of the rope
  ];

  it('measures the share of a station\'s leavers that entered the next station, with the prior where history is thin', () => {
    const { visits } = line();
    const transitions = countTransitions(visits, new Date(T), 10);
    // A: 2 exits in the window, both entered B. B: no exits: the prior 1 / (2 edges + 1).
    const measured = transitionRates({ edges, transitions, minExits: 2 });
    expect(measured.get('A')?.get('B')).toMatchObject({ share: 1, source: 'measured', exits: 2, moves: 2 });
    expect(measured.get('B')?.get('C')).toMatchObject({ share: 1 / 3, source: 'prior', exits: 0 });
    // With the default minimum of exits, 2 are too few: A gets the prior of its one rule.
    expect(transitionRates({ edges, transitions }).get('A')?.get('B')).toMatchObject({ share: 0.5, source: 'prior' });
  });

  it('takes counted transitions from an aggregate: 12 of 40 leavers reached B', () => {
    const transitions = { exits: new Map([['A', 40]]), moves: new Map([['A\u0000B', 12]]), windowHours: 2160 };
    expect(transitionRates({ edges, transitions }).get('A')?.get('B')).toMatchObject({ share: 0.3, source: 'measured' });
    const { input } = line(4);
    const plan = releasePlan({ flow: lineFlow(input), edges, transitions, now: new Date(T), windowHours: 2160 });
    // B has 1 free; 0.3 reach it per release: floor(1 / 0.3) = 3.
    const a = plan.stations.find((s) => s.station === 'A');
    expect(a).toMatchObject({ mayRelease: 3, limitedBy: 'B' });
    expect(a?.reason).toMatch(/0\.300 reach it per release \(measured over 90 days\)/);
  });

  it('holds back the upstream release while a downstream station is over its WIP target', () => {
    const { input, visits } = line(6);
    const plan = releasePlan({ flow: lineFlow(input), edges, visits, now: new Date(T), windowHours: 10, minExits: 2 });
    const a = plan.stations.find((s) => s.station === 'A');
    expect(a).toMatchObject({ mayRelease: 0, limitedBy: 'B' });
    expect(plan.stations.find((s) => s.station === 'B')).toMatchObject({ mayRelease: 0, limitedBy: 'B' });
  });

  it('releases as much as the downstream free WIP allows at the measured conversion', () => {
    const { input, visits } = line(2);
    const plan = releasePlan({ flow: lineFlow(input), edges, visits, now: new Date(T), windowHours: 10, minExits: 2 });
    // B has 3 free; every one of A's leavers reached B: floor(3 / 1) = 3 (own headroom 18, C allows more).
    expect(plan.stations.find((s) => s.station === 'A')).toMatchObject({ mayRelease: 3, limitedBy: 'B' });
    // B: own headroom 3; C has 2 free and the prior 1/2 (one forward rule) reach it: 4.
    expect(plan.stations.find((s) => s.station === 'B')).toMatchObject({ mayRelease: 3, limitedBy: 'B' });
    expect(plan.reach.find((r) => r.from === 'A' && r.to === 'C')).toMatchObject({ expected: 0.5, source: 'prior' });
    expect(plan.reach.find((r) => r.from === 'A' && r.to === 'B')).toMatchObject({ expected: 1, source: 'measured' });
  });

  it('caps the entry station by the line WIP cap (CONWIP)', () => {
    const { input, visits } = line(2);
    const plan = releasePlan({ flow: lineFlow(input), edges, visits, now: new Date(T), windowHours: 10, lineWipCap: 5 });
    // Line WIP 2 (A) + 2 (B) = 4: one more may enter.
    expect(plan.stations.find((s) => s.station === 'A')).toMatchObject({ mayRelease: 1, limitedBy: 'line' });
  });
});

describe('stage event records', () => {
  it('reads a Bulk API CSV row with an empty exit as an open visit', () => {
    const v = visitFromRecord({
      Asset_Id__c: '00Q000000000001',
      Asset_Type__c: 'Lead',
      Kind__c: 'Station',
      From_Value__c: '',
      To_Value__c: 'SDR_CALL',
      Entered_At__c: '2024-05-06T10:00:00.000Z',
      Exited_At__c: ''
    });
    expect(v).toMatchObject({ value: 'SDR_CALL', from: null, exitedAt: null, enteredAt: Date.parse('2024-05-06T10:00:00Z') });
  });

  it('maps the station Name the stage-timer flows write to the station key (docs/data-model.md)', () => {
    const keyOf = stationKeyOf([A, B, C]);
    const v = visitFromRecord(
      { Asset_Id__c: 'x', Asset_Type__c: 'Lead', Kind__c: 'Station', From_Value__c: 'Calling', To_Value__c: 'Coordination', Entered_At__c: '2024-05-06T10:00:00.000Z', Exited_At__c: null },
      keyOf
    );
    expect(v).toMatchObject({ value: 'B', from: 'A' });
    // A value that already is a key stays one; a bin is never mapped.
    expect(keyOf('C')).toBe('C');
    const bin = visitFromRecord({ Asset_Id__c: 'x', Asset_Type__c: 'Lead', Kind__c: 'Bin', From_Value__c: 'Working', To_Value__c: 'Demo', Entered_At__c: '2024-05-06T10:00:00.000Z', Exited_At__c: null }, keyOf);
    expect(bin).toMatchObject({ value: 'Demo', from: 'Working' });
  });

  it('names the field of a bad date', () => {
    expect(() =>
      visitFromRecord({ Asset_Id__c: 'x', Asset_Type__c: 'Lead', Kind__c: 'Station', From_Value__c: null, To_Value__c: 'A', Entered_At__c: 'yesterday', Exited_At__c: null })
    ).toThrow(/Stage_Event__c.Entered_At__c/);
  });
});
