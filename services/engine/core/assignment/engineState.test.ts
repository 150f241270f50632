import fc from 'fast-check';
import { assignBatch } from './assign';
import { emptyState, type AssignmentState, type LedgerRow } from './model';
import { drawsInSecondOf, encodeEngineState, engineStateIsCurrent, parseEngineState, rebuildState, stateFromEngineState } from './state';
import { makeLead, makeRep, makeStation } from './testing';

// The stored state (Station__c.Engine_State__c) must continue the blocks exactly as the
// ledger would: runs continued from it draw the same reps as runs continued from a rebuild.
const station = makeStation({ hourlyCapOverride: 1000, targetWip: 0 });
const reps = Array.from({ length: 7 }, (_, i) => makeRep(i, { weight: i === 0 ? 0.5 : 1 }));
const START = Date.parse('2024-05-06T09:00:00Z');
const SOURCES = ['Web', 'List', 'Event'];

function run(state: AssignmentState, at: number, count: number, from: number, seed: string) {
  const assets = Array.from({ length: count }, (_, i) => makeLead(from + i, new Date(at - 1000 + i).toISOString(), { LeadSource: SOURCES[(from + i) % 3] }));
  return assignBatch({ station, reps, state, assets, now: new Date(at), seed, wip: {} });
}

describe('the stored engine state', () => {
  it('continues the blocks exactly as a rebuild from the ledger does (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 2, maxLength: 6 }), (sizes) => {
        let fromStored = emptyState(station.key);
        let fromLedger = emptyState(station.key);
        const ledger: LedgerRow[] = [];
        let next = 0;
        sizes.forEach((size, k) => {
          const at = START + k * 20 * 60_000;
          const a = run(fromStored, at, size, next, `s${k}`);
          const b = run(fromLedger, at, size, next, `s${k}`);
          expect(a.rows).toEqual(b.rows);
          next += size;
          ledger.push(...a.rows);
          const stored = parseEngineState(encodeEngineState(a.state, new Date(at), a.rows.length), station.key);
          expect(stored).not.toBeNull();
          const since = new Date(at + 60_000 - 2 * 3_600_000);
          const recent = ledger.filter((row) => Date.parse(row.assignedAt) >= since.getTime());
          expect(engineStateIsCurrent(stored!, recent, since)).toBe(true);
          fromStored = stateFromEngineState(stored!, station, recent, new Date(at + 60_000));
          fromLedger = rebuildState(station, ledger, new Date(at + 60_000));
          expect(fromStored.strata).toEqual(fromLedger.strata);
        });
      }),
      { numRuns: 50 }
    );
  });

  it('is not trusted when the ledger shows a later run, a missing row, or when it is older than the window read', () => {
    const at = START;
    const first = run(emptyState(station.key), at, 10, 0, 'a');
    const stored = parseEngineState(encodeEngineState(first.state, new Date(at), first.rows.length), station.key)!;
    const since = new Date(at - 3_600_000);
    expect(engineStateIsCurrent(stored, first.rows, since)).toBe(true);
    // A later run wrote rows but not the state (its state update failed).
    const later = run(first.state, at + 60_000, 3, 10, 'b');
    expect(engineStateIsCurrent(stored, [...first.rows, ...later.rows], since)).toBe(false);
    // One of the run's ledger rows was not written.
    expect(engineStateIsCurrent(stored, first.rows.slice(1), since)).toBe(false);
    // Written before the window that was read: rows after it could be missing from the read.
    expect(engineStateIsCurrent(stored, first.rows, new Date(at + 1000))).toBe(false);
    // Another station's or an unreadable state is ignored.
    expect(parseEngineState(encodeEngineState(first.state, new Date(at), 10), 'DEMO')).toBeNull();
    expect(parseEngineState('{"v":1', station.key)).toBeNull();
  });

  it('stays current when several runs draw in the same second, each counting the draws of that second', () => {
    // The running engine can run several times a second; SOQL compares date-times to the second.
    const since = new Date(START - 3_600_000);
    const first = run(emptyState(station.key), START + 100, 2, 0, 'a');
    const firstStored = parseEngineState(encodeEngineState(first.state, new Date(START + 100), drawsInSecondOf([], station.key, new Date(START + 100)) + first.rows.length), station.key)!;
    expect(engineStateIsCurrent(firstStored, first.rows, since)).toBe(true);
    const second = run(first.state, START + 600, 3, 2, 'b');
    const ledger = [...first.rows, ...second.rows];
    // Counting only its own 3 rows, the second run's state would look stale beside the first run's 2.
    const ownOnly = parseEngineState(encodeEngineState(second.state, new Date(START + 600), second.rows.length), station.key)!;
    expect(engineStateIsCurrent(ownOnly, ledger, since)).toBe(false);
    const counted = drawsInSecondOf(first.rows, station.key, new Date(START + 600));
    expect(counted).toBe(2);
    const secondStored = parseEngineState(encodeEngineState(second.state, new Date(START + 600), counted + second.rows.length), station.key)!;
    expect(engineStateIsCurrent(secondStored, ledger, since)).toBe(true);
    // The next second starts a new count.
    expect(drawsInSecondOf(ledger, station.key, new Date(START + 1000))).toBe(0);
  });
});
