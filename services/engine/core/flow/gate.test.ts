import fc from 'fast-check';
import { makeRep, makeStation } from '../assignment/testing';
import { headcounts, releaseGate } from './gate';
import { NO_LIMIT } from './release';

const NOW = new Date('2024-05-06T18:00:00Z');
const SDR = makeStation({ key: 'SDR', targetWip: 10, order: 10 });
const COORD = makeStation({ key: 'COORD', targetWip: 5, order: 20 });
const DEMO = makeStation({ key: 'DEMO', targetWip: 2, order: 30 });
const reps = [makeRep(0, { stations: ['SDR'] }), makeRep(1, { stations: ['SDR'] }), makeRep(2, { stations: ['COORD'] }), makeRep(3, { stations: ['DEMO'] }), makeRep(4, { stations: ['DEMO'], active: false })];
const edges = [
  { from: 'SDR', to: 'COORD' },
  { from: 'COORD', to: 'DEMO' },
  { from: 'COORD', to: 'SDR' }
];
const gate = (wipAt: Record<string, number>, ownWip = 0) => releaseGate({ station: 'SDR', stations: [SDR, COORD, DEMO], reps, wipAt, ownWip, edges, now: NOW });

describe('the release gate of an assignment run', () => {
  it('counts active reps per station for the WIP targets', () => {
    expect(headcounts([SDR, COORD, DEMO], reps)).toEqual({ SDR: 2, COORD: 1, DEMO: 1 });
  });

  it('holds the entry station at zero while a downstream station is at its target', () => {
    expect(gate({ COORD: 5, DEMO: 0 })).toMatchObject({ mayRelease: 0, limitedBy: 'COORD' });
    expect(gate({ COORD: 0, DEMO: 2 })).toMatchObject({ mayRelease: 0, limitedBy: 'DEMO' });
  });

  it('releases free downstream WIP divided by the share that reaches it', () => {
    // COORD: 3 free, half of SDR releases reach it (prior of one forward rule) -> 6.
    // DEMO: 2 free, a quarter reach it -> 8. Own: 20 - 4 = 16. The smallest wins.
    const g = gate({ COORD: 2, DEMO: 0 }, 4);
    expect(g).toMatchObject({ mayRelease: 6, limitedBy: 'COORD' });
    expect(g.stations).toEqual([
      { station: 'SDR', wip: 4, wipTarget: 20, headcount: 2 },
      { station: 'COORD', wip: 2, wipTarget: 5, headcount: 1 },
      { station: 'DEMO', wip: 0, wipTarget: 2, headcount: 1 }
    ]);
    expect(g.reach.find((r) => r.to === 'DEMO')?.expected).toBeCloseTo(0.25, 12);
  });

  it('uses the measured share where the history is long enough, and says which share was the prior', () => {
    // 200 SDR leavers in 90 days, 20 reached COORD (0.1); COORD had 5 leavers: too few, prior 0.5.
    const transitions = { exits: new Map([['SDR', 200], ['COORD', 5]]), moves: new Map([['SDR\u0000COORD', 20], ['COORD\u0000DEMO', 4]]), windowHours: 90 * 24 };
    const g = releaseGate({ station: 'SDR', stations: [SDR, COORD, DEMO], reps, wipAt: { COORD: 4, DEMO: 1 }, ownWip: 0, edges, transitions, now: NOW });
    // COORD: 1 free / 0.1 = 10; DEMO: 1 free / (0.1 x 0.5) = 20; own 20. COORD wins.
    expect(g).toMatchObject({ mayRelease: 10, limitedBy: 'COORD' });
    expect(g.reason).toContain('0.100 reach it per release (measured over 90 days)');
    expect(g.rates).toEqual([
      { from: 'SDR', to: 'COORD', share: 0.1, source: 'measured', exits: 200, moves: 20 },
      { from: 'COORD', to: 'DEMO', share: 0.5, source: 'prior', exits: 5, moves: 4 }
    ]);
    expect(g.reach.find((r) => r.to === 'DEMO')).toMatchObject({ expected: 0.05, source: 'prior' });
    const full = releaseGate({ station: 'SDR', stations: [SDR, COORD, DEMO], reps, wipAt: { COORD: 0, DEMO: 2 }, ownWip: 0, edges, transitions, now: NOW });
    expect(full.reason).toContain('cautious prior for COORD->DEMO: 5 exits from COORD in 90 days');
  });

  it('counts only what its own reps hold against the releasing station (its queue is what it releases)', () => {
    expect(gate({ SDR: 1_000, COORD: 0, DEMO: 0 }, 19)).toMatchObject({ mayRelease: 1, limitedBy: 'SDR' });
  });

  it('never releases more than any downstream station can absorb (property)', () => {
    fc.assert(
      fc.property(fc.nat(20), fc.nat(20), fc.nat(40), (coord, demo, own) => {
        const g = gate({ COORD: coord, DEMO: demo }, own);
        expect(g.mayRelease).toBeLessThan(NO_LIMIT);
        expect(g.mayRelease * 0.5).toBeLessThanOrEqual(Math.max(0, 5 - coord));
        expect(g.mayRelease * 0.25).toBeLessThanOrEqual(Math.max(0, 2 - demo));
        expect(g.mayRelease).toBeLessThanOrEqual(Math.max(0, 20 - own));
      })
    );
  });
});
