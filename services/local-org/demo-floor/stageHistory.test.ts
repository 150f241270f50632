/**
 * The floor's Stage_Event__c history against the semantics of the package's stage-timer flows
 * (force-app/main/default/flows/ASL_*_Station_Event and ASL_*_Bin_Event, docs/data-model.md
 * "Stage_Event__c"): one open stay per asset and kind, stays chained From -> To without
 * overlap, Duration_Minutes__c = exit - entry, SLA_Due_At__c = entry + the station's
 * SLA_Hours__c and SLA_Breached__c/Breached_At__c exactly when the stay ended after it, and the
 * open stay equal to the asset's current Station__c/Bin__c and entry stamp.
 */
import fc from 'fast-check';
import { generateDemoFloor } from './generate';
import { MemorySink, type FloorRow } from './sink';
import { normalizeMoves, stayRows, type Move, type StationInfo } from './stageHistory';

const AS_OF = '2026-11-20T15:00:00.000Z';
const AS_OF_MS = Date.parse(AS_OF);
const HOUR = 3_600_000;
const ASSET_OBJECTS = { Lead: 'Lead', Account: 'Account', Opportunity: 'Opportunity' } as const;

const msOf = (value: unknown): number | null => (typeof value === 'string' ? Date.parse(value) : null);

/** Checks one asset's stays of one kind; returns the open stay. */
function checkChain(stays: FloorRow[], sla: ReadonlyMap<string, number | null>): FloorRow {
  const sorted = [...stays].sort((a, b) => (msOf(a.Entered_At__c) ?? 0) - (msOf(b.Entered_At__c) ?? 0));
  const open = sorted.filter((stay) => stay.Exited_At__c === null);
  expect(open).toHaveLength(1);
  expect(sorted.at(-1)).toBe(open[0]);
  sorted.forEach((stay, index) => {
    const entered = msOf(stay.Entered_At__c) as number;
    const exited = msOf(stay.Exited_At__c);
    const previous = sorted[index - 1];
    // Chained: each stay starts where the previous ended and names what it left.
    if (previous === undefined) expect(stay.From_Value__c).toBeNull();
    else {
      expect(msOf(previous.Exited_At__c)).toBe(entered);
      expect(stay.From_Value__c).toBe(previous.To_Value__c);
    }
    expect(entered).toBeLessThanOrEqual(AS_OF_MS + HOUR);
    if (exited === null) expect(stay.Duration_Minutes__c).toBeNull();
    else {
      expect(exited).toBeGreaterThanOrEqual(entered);
      expect(stay.Duration_Minutes__c).toBeCloseTo((exited - entered) / 60_000, 2);
    }
    if (stay.Kind__c !== 'Station') return;
    const hours = typeof stay.To_Value__c === 'string' ? (sla.get(stay.To_Value__c) ?? null) : null;
    const due = hours === null ? null : entered + hours * HOUR;
    expect(msOf(stay.SLA_Due_At__c)).toBe(due);
    const breached = exited !== null && due !== null && exited > due;
    expect(stay.SLA_Breached__c).toBe(breached);
    expect(msOf(stay.Breached_At__c)).toBe(breached ? due : null);
  });
  return open[0] as FloorRow;
}

describe('the demo floor stage history', () => {
  let sink: MemorySink;
  let counts: Record<string, number>;
  beforeAll(async () => {
    sink = new MemorySink();
    const summary = await generateDemoFloor(sink, { leads: 3_000, seed: 'stage-history', asOf: AS_OF, batchSize: 1_000 });
    counts = summary.manifest.counts;
  });

  it('gives every placed asset one chained history per kind whose open stay is the asset now', () => {
    const stations = sink.rows('Station__c');
    const nameOf = new Map(stations.map((s) => [String(s.Id), String(s.Name)]));
    const sla = new Map(stations.map((s) => [String(s.Name), typeof s.SLA_Hours__c === 'number' ? s.SLA_Hours__c : null]));
    const events = sink.rows('Stage_Event__c');
    expect(counts.Stage_Event__c).toBe(events.length);
    const byAsset = new Map<string, FloorRow[]>();
    for (const event of events) {
      const key = `${String(event.Asset_Id__c)}|${String(event.Kind__c)}`;
      byAsset.set(key, [...(byAsset.get(key) ?? []), event]);
      // The lookup names the asset, as the flows' Create_Event does.
      expect(event[`${String(event.Asset_Type__c)}__c`]).toBe(event.Asset_Id__c);
      expect(event.Changed_By__c).toEqual(expect.any(String));
    }
    let checked = 0;
    for (const [type, objectName] of Object.entries(ASSET_OBJECTS)) {
      for (const asset of sink.rows(objectName)) {
        for (const kind of ['Station', 'Bin'] as const) {
          if (type === 'Opportunity' && kind === 'Bin') continue;
          const stays = byAsset.get(`${String(asset.Id)}|${kind}`) ?? [];
          const value = asset[`${kind}__c`] ?? null;
          if (stays.length === 0) {
            // Never placed anywhere: no history (a fresh lead, an account without a station).
            expect(value).toBeNull();
            continue;
          }
          for (const stay of stays) expect(stay.Asset_Type__c).toBe(type);
          const open = checkChain(stays, sla);
          checked += 1;
          if (value === null) {
            // Left its last station: the flows open a blank stay (no station, no SLA).
            expect(open.To_Value__c).toBeNull();
            const stamp = asset[`${kind}_Entered_At__c`];
            if (stamp !== null && stamp !== undefined) expect(open.Entered_At__c).toBe(stamp);
            continue;
          }
          expect(open.To_Value__c).toBe(kind === 'Station' ? nameOf.get(String(value)) : value);
          expect(msOf(open.Entered_At__c)).toBe(msOf(asset[`${kind}_Entered_At__c`]));
        }
      }
    }
    expect(checked).toBeGreaterThan(3_000);
  });

  it('follows the journeys: leads go SDR Calling -> Demo Coordination, deals Demo -> Proposal, customers Onboarding -> Service', () => {
    const events = sink.rows('Stage_Event__c');
    const moves = new Set(events.map((e) => `${String(e.Asset_Type__c)}:${String(e.From_Value__c)}->${String(e.To_Value__c)}`));
    expect(moves).toContain('Lead:SDR Calling->Demo Coordination');
    expect(moves).toContain('Lead:Cold->Working');
    expect(moves).toContain('Lead:Working->Nurture - Active Opportunity');
    expect(moves).toContain('Opportunity:Demo->Proposal and Close');
    expect(moves).toContain('Account:Onboarding->Service and Repeat Orders');
    // Some stays breached their SLA, some did not.
    const closedStations = events.filter((e) => e.Kind__c === 'Station' && e.Exited_At__c !== null && e.SLA_Due_At__c !== null);
    const breached = closedStations.filter((e) => e.SLA_Breached__c === true).length;
    expect(breached).toBeGreaterThan(0);
    expect(breached).toBeLessThan(closedStations.length);
  });

  it('is the same history for the same floor', async () => {
    const again = new MemorySink();
    await generateDemoFloor(again, { leads: 3_000, seed: 'stage-history', asOf: AS_OF, batchSize: 1_000 });
    expect(again.rows('Stage_Event__c')).toEqual(sink.rows('Stage_Event__c'));
  });
});

describe('stayRows', () => {
  const stations = new Map<string, StationInfo>([
    ['s1', { name: 'One', slaHours: 2 }],
    ['s2', { name: 'Two', slaHours: null }]
  ]);
  const moveArb = fc.record({
    atMs: fc.integer({ min: 0, max: 30 * 24 }).map((h) => Date.UTC(2026, 0, 1) + h * HOUR),
    value: fc.constantFrom('s1', 's2', null),
    byId: fc.constant('005000000000001AAA')
  });

  it('chains any journey into stays without overlap, one open, breaches as the flow computes them', () => {
    fc.assert(
      fc.property(fc.array(moveArb, { maxLength: 12 }), moveArb, (moves: Move[], current: Move) => {
        const normalized = normalizeMoves(moves, current);
        const rows = stayRows({ id: '00Q000000000001AAA', type: 'Lead' }, 'Station', normalized, stations);
        if (rows.length === 0) {
          expect(current.value).toBeNull();
          return;
        }
        const open = checkChain(rows, new Map([['One', 2], ['Two', null]]));
        expect(open.To_Value__c).toBe(current.value === null ? null : stations.get(current.value)?.name);
        expect(msOf(open.Entered_At__c)).toBe(current.atMs);
      }),
      { numRuns: 300 }
    );
  });

  it('flags a stay that ends after its due time and not one that ends at it (the flow compares with >)', () => {
    const t0 = Date.UTC(2026, 0, 1);
    const at = (h: number, value: string | null): Move => ({ atMs: t0 + h * HOUR, value, byId: 'u' });
    const rows = stayRows({ id: 'a', type: 'Lead' }, 'Station', [at(0, 's1'), at(2, 's1'), at(5, null)], stations);
    expect(rows.map((r) => r.SLA_Breached__c)).toEqual([false, true, false]);
    expect(rows[1]?.Breached_At__c).toBe(new Date(t0 + 4 * HOUR).toISOString());
  });
});
