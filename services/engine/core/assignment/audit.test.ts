import { createRng } from '../random';
import { assignBatch, type BlockOpened } from './assign';
import { auditAssignments, capViolations, equalityReport, formatAuditReport, replayLedger, rosterSource, skillsOfStratum } from './audit';
import { calibrateEqualityTest } from './calibration';
import { emptyState, type LedgerRow } from './model';
import { makeLead, makeRep, makeStation, repId } from './testing';

const NOW = new Date('2024-05-06T15:00:00Z');
const station = makeStation({ hourlyCapOverride: 10_000 });
const reps = Array.from({ length: 4 }, (_, i) => makeRep(i));

function run(n: number, fields = (i: number) => ({ LeadSource: i % 2 ? 'Web' : 'List', Segment__c: 'SMB', Fame_Band__c: i % 3 ? 'Unknown' : 'Known' })) {
  const assets = Array.from({ length: n }, (_, i) => makeLead(i, NOW.toISOString(), fields(i)));
  const result = assignBatch({ station, reps, state: emptyState('SDR_CALL'), assets, now: NOW, seed: 'audit', wip: {} });
  const quality = new Map(assets.map((a) => [a.id, a.fields] as const));
  const opened = result.blocks.filter((b): b is BlockOpened => b.kind === 'opened');
  return { result, quality, opened };
}

describe('replay', () => {
  it('reproduces an untouched ledger from seeds and recorded rosters', () => {
    const { result, opened } = run(200);
    const replay = replayLedger(result.rows, rosterSource(opened));
    expect(replay).toMatchObject({ reproduced: true, rowsChecked: 200, problems: [] });
    expect(replay.blocksVerified).toBe(replay.blocks.length);
  });

  it('uses the current reps when no roster was recorded, if their fingerprint matches the seed', () => {
    const { result } = run(50);
    expect(replayLedger(result.rows, rosterSource([], reps)).reproduced).toBe(true);
    const changed = [...reps, makeRep(7)];
    const replay = replayLedger(result.rows, rosterSource([], changed));
    expect(replay.reproduced).toBe(false);
    expect(replay.blocksWithoutRoster.length).toBeGreaterThan(0);
  });

  it('finds the roster of a rep who has left since, from the rows of the block', () => {
    const { result } = run(50);
    const today = reps.slice(1); // rep 0 left after these blocks were drawn
    const replay = replayLedger(result.rows, rosterSource([], today));
    // Blocks where rep 0 drew are recovered (today's roster + the drawing reps).
    const withRep0 = new Set(result.rows.filter((r) => r.repId === repId(0)).map((r) => `${r.stratum}#${r.block}`));
    const verified = replay.blocks.filter((b) => b.verified).map((b) => `${b.stratum}#${b.block}`);
    for (const b of withRep0) expect(verified).toContain(b);
    expect(replay.problems).toEqual([]);
  });

  it('names a row whose rep was changed after the draw', () => {
    const { result, opened } = run(40);
    const tampered: LedgerRow[] = result.rows.map((r, i) => (i === 5 ? { ...r, repId: r.repId === repId(0) ? repId(1) : repId(0) } : r));
    const replay = replayLedger(tampered, rosterSource(opened));
    expect(replay.reproduced).toBe(false);
    expect(replay.problems.some((p) => p.ledgerKey === result.rows[5]?.ledgerKey && /belongs to/.test(p.problem))).toBe(true);
  });

  it('detects a slot used twice and a rep jumping over their own earlier slot', () => {
    const { result, opened } = run(40);
    const first = result.rows[0] as LedgerRow;
    const duplicate = replayLedger([...result.rows, { ...first, ledgerKey: 'SDR_CALL:extra:1', assetId: 'extra' }], rosterSource(opened));
    expect(duplicate.problems.map((p) => p.problem)).toContain(`slot ${first.draw} used twice`);
    // Drop a rep's first draw of block 1 but keep the later one: their slots are no longer a prefix.
    const block1 = result.rows.filter((r) => r.block === 1 && r.stratum === first.stratum);
    const rep = block1.find((r, i) => block1.findIndex((x) => x.repId === r.repId) !== i)?.repId;
    if (rep) {
      const firstOfRep = block1.find((r) => r.repId === rep) as LedgerRow;
      const skipped = replayLedger(result.rows.filter((r) => r !== firstOfRep), rosterSource(opened));
      expect(skipped.problems.some((p) => /skipped their own earlier slot/.test(p.problem))).toBe(true);
    }
  });

  it('reads the skills a stratum needs from its key', () => {
    expect(skillsOfStratum('LeadSource=Web|skills=es+crm')).toEqual(['crm', 'es']);
    expect(skillsOfStratum('LeadSource=Web')).toEqual([]);
  });
});

describe('hourly cap check from the ledger', () => {
  it('finds a rolling hour with more draws than the cap', () => {
    const base: LedgerRow = {
      ledgerKey: 'k',
      assetId: 'a',
      assetType: 'Lead',
      repId: repId(0),
      station: 'SDR_CALL',
      stratum: 's',
      block: 1,
      blockSize: 2,
      draw: 0,
      seed: 'x.00000000',
      method: 'Permuted Block',
      assignedAt: ''
    };
    const times = ['2024-05-06T10:00:00Z', '2024-05-06T10:30:00Z', '2024-05-06T10:59:00Z', '2024-05-06T12:00:00Z'];
    const rows = times.map((t, i) => ({ ...base, ledgerKey: `k${i}`, assignedAt: new Date(t).toISOString() }));
    const capped = makeStation({ hourlyCapOverride: 2 });
    expect(capViolations(rows, capped, [makeRep(0)])).toEqual([
      { repId: repId(0), station: 'SDR_CALL', at: '2024-05-06T10:59:00.000Z', countInWindow: 3, limit: 2, windowMinutes: 60 }
    ]);
    expect(capViolations(rows, makeStation({ hourlyCapOverride: 3 }), [makeRep(0)])).toEqual([]);
  });
});

describe('equality report', () => {
  it('counts per rep per stratum and finds the largest imbalance', () => {
    const { result, quality, opened } = run(120);
    const replay = replayLedger(result.rows, rosterSource(opened));
    const report = equalityReport(result.rows, replay, { quality, rng: createRng(1) });
    expect(report.rows).toBe(120);
    expect(report.strata.map((s) => s.stratum).sort()).toEqual(['LeadSource=List|Segment__c=SMB', 'LeadSource=Web|Segment__c=SMB']);
    for (const s of report.strata) expect(s.counts.reduce((sum, c) => sum + c.count, 0)).toBe(60);
    expect(report.largestImbalanceOverall?.imbalance).toBeLessThanOrEqual(3);
    expect(report.largestImbalanceWithinBlock.difference).toBe(0);
    expect(report.tests.map((t) => t.dimension)).toEqual(['LeadSource', 'Segment__c', 'Fame_Band__c']);
  });

  it('rejects when one rep gets all the famous leads', () => {
    const { result, quality } = run(400);
    const rigged = new Map(quality);
    for (const row of result.rows) {
      const fields = { ...(rigged.get(row.assetId) as Record<string, string>) };
      fields.Fame_Band__c = row.repId === repId(0) ? 'Famous' : 'Unknown';
      rigged.set(row.assetId, fields);
    }
    const report = equalityReport(result.rows, null, { quality: rigged, rng: createRng(2) });
    const fame = report.tests.find((t) => t.dimension === 'Fame_Band__c');
    expect(fame?.pValue).toBeLessThan(1e-10);
    expect(report.equal).toBe(false);
  });

  it('limits the report to the period asked for', () => {
    const { result, quality } = run(20);
    const report = equalityReport(result.rows, null, {
      quality,
      rng: createRng(1),
      period: { from: new Date(NOW.getTime() + 1), to: new Date(NOW.getTime() + 2) }
    });
    expect(report.rows).toBe(0);
  });

  it('prints a readable report for the CLI', () => {
    const { result, quality, opened } = run(80);
    const report = auditAssignments({ rows: result.rows, rosters: rosterSource(opened), equality: { quality, rng: createRng(3) }, caps: [{ station, reps }] });
    const text = formatAuditReport(report);
    expect(text).toMatch(/^Replay: REPRODUCED - 80 rows/);
    expect(text).toMatch(/Hourly caps: never exceeded/);
    expect(text).toMatch(/SDR_CALL rep x Fame_Band__c: X2=/);
  });
});

describe('calibration: the equality test on a floor of truly equal reps', () => {
  it('rejects at about its nominal 5% rate (Wilson 95% interval of the observed rate covers 5%)', () => {
    const result = calibrateEqualityTest({ runs: 250, reps: 12, leadsPerRun: 900, seed: 2024 });
    expect(result.fame.low).toBeLessThanOrEqual(0.05);
    expect(result.fame.high).toBeGreaterThanOrEqual(0.05);
    // Lead source and segment are strata: balanced by design, so their tests are conservative.
    expect(result.leadSource.rate).toBeLessThanOrEqual(0.05);
    expect(result.segment.rate).toBeLessThanOrEqual(0.05);
  });

  it('stays calibrated with the Monte Carlo p-value when expected counts are small', () => {
    const result = calibrateEqualityTest({ runs: 200, reps: 15, leadsPerRun: 120, seed: 7, fameShares: { Unknown: 0.8, Known: 0.15, Famous: 0.05 }, permutations: 400 });
    expect(result.monteCarloRuns).toBe(200);
    expect(result.fame.low).toBeLessThanOrEqual(0.05);
    expect(result.fame.high).toBeGreaterThanOrEqual(0.05);
  });
});
