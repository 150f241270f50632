import { assignBatch, type AssignInput } from './assign';
import { replayLedger, rosterSource } from './audit';
import { emptyState, type AssetToAssign, type LedgerRow } from './model';
import { rebuildState } from './state';
import { leadId, makeLead, makeRep, makeStation, repId } from './testing';

const NOW = new Date('2024-05-06T15:00:00Z'); // a Monday
const at = (minutesAgo: number): string => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();

function leads(n: number, fields: AssetToAssign['fields'] = { LeadSource: 'Web', Segment__c: 'SMB' }, from = 0): AssetToAssign[] {
  return Array.from({ length: n }, (_, i) => makeLead(from + i, at(n - i), fields));
}

function base(overrides: Partial<AssignInput> = {}): AssignInput {
  return {
    station: makeStation({ hourlyCapOverride: 10_000 }),
    reps: Array.from({ length: 5 }, (_, i) => makeRep(i)),
    state: emptyState('SDR_CALL'),
    assets: [],
    now: NOW,
    seed: 'test-seed',
    wip: {},
    ...overrides
  };
}

function countBy(rows: readonly LedgerRow[], key: (r: LedgerRow) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return m;
}

describe('stratified permuted-block assignment', () => {
  it('gives every rep the same count in each completed block, in a seeded random order', () => {
    const result = assignBatch(base({ assets: leads(300) }));
    expect(result.rows).toHaveLength(300);
    const byBlock = new Map<number, LedgerRow[]>();
    for (const r of result.rows) byBlock.set(r.block as number, [...(byBlock.get(r.block as number) ?? []), r]);
    const complete = [...byBlock.values()].filter((rows) => rows.length === rows[0]?.blockSize);
    expect(complete.length).toBeGreaterThan(10);
    for (const rows of complete) {
      const counts = [...countBy(rows, (r) => r.repId).values()];
      expect(counts).toHaveLength(5);
      expect(new Set(counts).size).toBe(1);
    }
    // Block sizes vary (1x to 3x the five reps), so the last assignee of a block is not known.
    expect(new Set(result.rows.map((r) => r.blockSize))).toEqual(new Set([5, 10, 15]));
    // Same seed, same draws; another seed, other draws.
    expect(assignBatch(base({ assets: leads(300) })).rows).toEqual(result.rows);
    expect(assignBatch(base({ assets: leads(300), seed: 'other' })).rows.map((r) => r.repId)).not.toEqual(result.rows.map((r) => r.repId));
  });

  it('keeps strata apart: each stratum has its own blocks and balance', () => {
    const assets = [...leads(60, { LeadSource: 'Web', Segment__c: 'SMB' }), ...leads(60, { LeadSource: 'Event', Segment__c: 'Enterprise' }, 1000)];
    const result = assignBatch(base({ assets }));
    const strata = new Set(result.rows.map((r) => r.stratum));
    expect(strata).toEqual(new Set(['LeadSource=Web|Segment__c=SMB', 'LeadSource=Event|Segment__c=Enterprise']));
    for (const s of strata) {
      const counts = [...countBy(result.rows.filter((r) => r.stratum === s), (r) => r.repId).values()];
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(3);
    }
  });

  it('writes a complete ledger row with a deterministic idempotency key', () => {
    const [row] = assignBatch(base({ assets: leads(1) })).rows;
    expect(row).toMatchObject({
      ledgerKey: `SDR_CALL:${leadId(0)}:1`,
      assetId: leadId(0),
      assetType: 'Lead',
      station: 'SDR_CALL',
      stratum: 'LeadSource=Web|Segment__c=SMB',
      block: 1,
      method: 'Permuted Block',
      assignedAt: NOW.toISOString()
    });
    expect(row?.seed).toMatch(/^test-seed\.[0-9a-f]{8}$/);
    expect(row?.draw).toBeGreaterThanOrEqual(0);
  });

  it('skips assets whose ledger key already exists: a replayed event assigns nothing twice', () => {
    const first = assignBatch(base({ assets: leads(4) }));
    const again = assignBatch(base({ assets: leads(4), state: first.state, existingKeys: new Set(first.rows.map((r) => r.ledgerKey)) }));
    expect(again.rows).toHaveLength(0);
    expect(again.skipped).toHaveLength(4);
    expect(again.waiting).toHaveLength(0);
  });

  it('keeps weighted shares exact in each completed block (a ramping rep at 0.5)', () => {
    const reps = [makeRep(0), makeRep(1), makeRep(2, { weight: 0.5 })];
    const result = assignBatch(base({ reps, assets: leads(500) }));
    const byBlock = new Map<number, LedgerRow[]>();
    for (const r of result.rows) byBlock.set(r.block as number, [...(byBlock.get(r.block as number) ?? []), r]);
    for (const rows of byBlock.values()) {
      if (rows.length !== rows[0]?.blockSize) continue;
      const c = countBy(rows, (r) => r.repId);
      expect(c.get(repId(0))).toBe(c.get(repId(1)));
      expect((c.get(repId(0)) as number) / (c.get(repId(2)) as number)).toBe(2);
    }
  });

  it('never chooses a rep who is off shift, on leave, inactive, without the skill, or at a cap', () => {
    const reps = [
      makeRep(0),
      makeRep(1, { shiftStartHour: 0, shiftEndHour: 8 }), // off shift at 15:00 UTC
      makeRep(2, { leaveStart: '2024-05-01', leaveEnd: '2024-05-10' }),
      makeRep(3, { active: false }),
      makeRep(4, { wipCap: 3 }),
      makeRep(5, { hourlyCapOverride: 2 }),
      makeRep(6, { skills: ['es'] })
    ];
    const result = assignBatch(base({ reps, assets: leads(40), wip: { [repId(4)]: 1 } }));
    const c = countBy(result.rows, (r) => r.repId);
    for (const i of [1, 2, 3]) expect(c.get(repId(i))).toBeUndefined();
    expect(c.get(repId(4))).toBe(2); // WIP 1 + 2 = cap 3
    expect(c.get(repId(5))).toBe(2); // hourly cap 2
    expect((c.get(repId(0)) as number) + (c.get(repId(6)) as number)).toBe(36);
    const eligibility = new Map(result.eligibility.map((s) => [s.repId, s.reason]));
    expect(eligibility.get(repId(1))).toBe('off-shift');
    expect(eligibility.get(repId(2))).toBe('on-leave');
    expect(eligibility.has(repId(3))).toBe(false); // inactive reps are not on the station's roster
  });

  it('gives assets that need a skill only to reps with it, in a stratum of their own', () => {
    const reps = [makeRep(0, { skills: ['es'] }), makeRep(1), makeRep(2, { skills: ['es', 'fr'] })];
    const result = assignBatch(base({ reps, assets: leads(20, { LeadSource: 'Web', Segment__c: 'SMB', Language__c: 'ES' }) }));
    expect(new Set(result.rows.map((r) => r.repId))).toEqual(new Set([repId(0), repId(2)]));
    expect(result.rows[0]?.stratum).toBe('LeadSource=Web|Segment__c=SMB|skills=es');
    const none = assignBatch(base({ reps, assets: leads(2, { Language__c: 'de' }) }));
    expect(none.waiting.map((w) => w.reason)).toEqual(['no-skilled-rep', 'no-skilled-rep']);
  });

  it('derives the hourly cap from handling minutes: 2 minutes a call is 30 an hour', () => {
    const result = assignBatch(base({ station: makeStation(), reps: [makeRep(0)], assets: leads(45) }));
    expect(result.rows).toHaveLength(30);
    expect(result.waiting).toHaveLength(15);
    expect(result.waiting[0]?.detail).toBe('1 rep, none eligible: 1 at hourly cap');
  });

  it('counts the cap over a rolling hour, carried in the state', () => {
    const station = makeStation();
    const first = assignBatch(base({ station, reps: [makeRep(0)], assets: leads(30) }));
    const later = new Date(NOW.getTime() + 30 * 60_000);
    const half = assignBatch(base({ station, reps: [makeRep(0)], assets: leads(5, undefined, 100), now: later, state: first.state }));
    expect(half.rows).toHaveLength(0);
    const hourLater = new Date(NOW.getTime() + 60 * 60_000);
    const next = assignBatch(base({ station, reps: [makeRep(0)], assets: leads(5, undefined, 100), now: hourLater, state: first.state }));
    expect(next.rows).toHaveLength(5);
  });

  it('keeps the recent draws of a rep who leaves the roster for a run (found by the property tests)', () => {
    const station = makeStation({ handlingMinutes: 90 }); // one new asset per 90 minutes
    const rep = makeRep(0);
    const first = assignBatch(base({ station, reps: [rep], assets: leads(1) }));
    const away = assignBatch(base({ station, reps: [{ ...rep, active: false }], assets: [], state: first.state }));
    const back = assignBatch(base({ station, reps: [rep], assets: leads(1, undefined, 50), state: away.state }));
    expect(back.rows).toHaveLength(0);
    expect(back.waiting[0]?.detail).toMatch(/hourly cap/);
  });

  it('keeps unassignable assets in a visible queue, oldest first, and assigns them first when capacity frees', () => {
    const station = makeStation();
    const assets = leads(40);
    const shuffled = [...assets].reverse();
    const first = assignBatch(base({ station, reps: [makeRep(0)], assets: shuffled }));
    expect(first.rows.map((r) => r.assetId)).toEqual(assets.slice(0, 30).map((a) => a.id));
    expect(first.waiting.map((w) => w.assetId)).toEqual(assets.slice(30).map((a) => a.id));
    expect(first.waiting[0]?.waitingMinutes).toBe(10);
    const hourLater = new Date(NOW.getTime() + 61 * 60_000);
    const fresh = leads(5, undefined, 500).map((a) => ({ ...a, queuedAt: hourLater.toISOString() }));
    const waitingAssets = assets.filter((a) => first.waiting.some((w) => w.assetId === a.id));
    const second = assignBatch(base({ station, reps: [makeRep(0)], assets: [...fresh, ...waitingAssets], now: hourLater, state: first.state }));
    expect(second.rows.slice(0, 10).map((r) => r.assetId)).toEqual(waitingAssets.map((a) => a.id));
  });

  it('holds assets back when flow control limits the release', () => {
    const result = assignBatch(base({ assets: leads(10), releaseLimit: 4 }));
    expect(result.rows).toHaveLength(4);
    expect(result.waiting).toHaveLength(6);
    expect(result.waiting.every((w) => w.reason === 'held-by-flow-control')).toBe(true);
  });

  it('lets a rep who was briefly ineligible use their slots later in the same block', () => {
    // Rep 0 is at the hourly cap in the first run; the others go on. In the next run (cap
    // window passed) rep 0 draws the slots they missed, so the block still completes evenly.
    const station = makeStation({ hourlyCapOverride: 1 });
    const reps = [0, 1, 2].map((i) => makeRep(i, { hourlyCapOverride: i === 0 ? 0 : 100 }));
    const policy = { strata: [], skillFields: [], blockMultiples: { min: 3, max: 3 }, maxUnitsPerRep: 4 };
    const first = assignBatch(base({ station, reps, policy, assets: leads(6) }));
    expect(first.rows.every((r) => r.repId !== repId(0))).toBe(true);
    expect(first.rows.every((r) => r.block === 1)).toBe(true);
    const back = reps.map((r) => ({ ...r, hourlyCapOverride: 100 }));
    const second = assignBatch(base({ station, reps: back, policy, assets: leads(3, {}, 100), state: first.state, now: new Date(NOW.getTime() + 3_600_000) }));
    expect(second.rows.map((r) => r.repId)).toEqual([repId(0), repId(0), repId(0)]);
    expect(second.rows.every((r) => r.block === 1)).toBe(true);
  });

  it('closes the block when the roster changes and starts a new one over the new roster', () => {
    const first = assignBatch(base({ assets: leads(7) }));
    const reps = [...Array.from({ length: 5 }, (_, i) => makeRep(i)), makeRep(9)];
    const second = assignBatch(base({ reps, assets: leads(3, undefined, 100), state: first.state }));
    const closed = second.blocks.find((b) => b.kind === 'closed');
    expect(closed).toMatchObject({ kind: 'closed', reason: 'roster-changed' });
    const opened = second.blocks.find((b) => b.kind === 'opened');
    expect(opened?.kind === 'opened' && opened.roster.map((m) => m.id)).toContain(repId(9));
  });

  it('resumes from state rebuilt from the ledger exactly as from the state it returned', () => {
    const rows: LedgerRow[] = [];
    let carried = emptyState('SDR_CALL');
    let rebuilt = emptyState('SDR_CALL');
    for (let batch = 0; batch < 6; batch += 1) {
      const now = new Date(NOW.getTime() + batch * 600_000);
      const assets = leads(13, { LeadSource: batch % 2 ? 'Web' : 'List' }, batch * 100);
      const a = assignBatch(base({ station: makeStation(), assets, now, state: carried }));
      const b = assignBatch(base({ station: makeStation(), assets, now, state: rebuilt }));
      expect(b.rows).toEqual(a.rows);
      rows.push(...a.rows);
      carried = a.state;
      rebuilt = rebuildState(makeStation(), rows, now);
      expect(rebuilt.strata).toEqual(carried.strata);
    }
  });

  it('replays: every row is the rep the seeded block puts at its slot', () => {
    const result = assignBatch(base({ assets: leads(100) }));
    const replay = replayLedger(result.rows, rosterSource(result.blocks.filter((b) => b.kind === 'opened')));
    expect(replay.reproduced).toBe(true);
    expect(replay.rowsChecked).toBe(100);
  });

  it('reports an inactive station instead of assigning', () => {
    const result = assignBatch(base({ station: makeStation({ active: false }), assets: leads(2) }));
    expect(result.waiting.map((w) => w.reason)).toEqual(['station-inactive', 'station-inactive']);
  });

  it('rejects a run seed that cannot be logged in Seed__c', () => {
    expect(() => assignBatch(base({ seed: 'has spaces' }))).toThrow(/seed/);
  });
});
