import type { Rng } from '../random';
import { holmAdjust } from '../stats/binomial';
import { independenceTest, type IndependenceTest } from '../stats/contingency';
import type { BlockOpened } from './assign';
import { buildBlock, fingerprintOf, rosterFingerprint, sortRoster, type Block } from './block';
import { rateCap } from './eligibility';
import { parseInstant } from './instant';
import { DEFAULT_POLICY, type AssignmentPolicy, type LedgerRow, type Rep, type RosterMember, type Station } from './model';

/**
 * `asl audit`: replay the ledger and report on equality.
 *
 * Replay regenerates every block from its seed and roster and checks each ledger row
 * against it: the rep at the row's slot must be the row's rep, no slot is used twice, each
 * rep's slots are used in the block's order (the draw rule), and the block size matches.
 * What the seed decides is thus reproduced exactly; a row the seed did not produce is named.
 */
export interface BlockRef {
  station: string;
  stratum: string;
  block: number;
  seed: string;
}

/**
 * Where the audit finds a block's roster (its eligibility snapshot): given the block and its
 * ledger rows, the roster (ids and weights) or null. A roster is only ever used when its
 * fingerprint equals the one in the block's seed, so a wrong guess cannot pass as right.
 */
export type RosterSource = (ref: BlockRef, rows: readonly LedgerRow[]) => RosterMember[] | null;

function refKey(ref: BlockRef): string {
  return `${ref.station}\u0000${ref.stratum}\u0000${ref.block}\u0000${ref.seed}`;
}

/** The skills a stratum key names (strata.ts appends `|skills=a+b`). */
export function skillsOfStratum(stratum: string): string[] {
  const part = stratum.split('|').find((p) => p.startsWith('skills='));
  return part ? [...new Set(part.slice('skills='.length).split('+'))].sort() : [];
}

/**
 * Rosters from the recorded BlockOpened events first. Without a record, candidates are built
 * from the current reps: the station's roster today, that roster plus every rep with a draw
 * in the block (someone who has left since), and the drawing reps alone; the first whose
 * fingerprint matches the seed is the block's roster.
 */
export function rosterSource(opened: readonly BlockOpened[], currentReps: readonly Rep[] = []): RosterSource {
  const recorded = new Map(opened.map((e) => [refKey(e), e.roster] as const));
  const weightOf = new Map(currentReps.map((r) => [r.id, r.weight] as const));
  return (ref, rows) => {
    const found = recorded.get(refKey(ref));
    if (found) return found;
    const skills = skillsOfStratum(ref.stratum);
    const today = currentReps
      .filter((r) => r.active && r.stations.includes(ref.station) && skills.every((s) => r.skills.includes(s)))
      .map((r) => ({ id: r.id, weight: r.weight }));
    const drawing = [...new Set(rows.map((r) => r.repId))].map((id) => ({ id, weight: weightOf.get(id) ?? 1 }));
    const union = [...new Map([...today, ...drawing].map((m) => [m.id, m] as const)).values()];
    const wanted = fingerprintOf(ref.seed);
    for (const candidate of [today, union, drawing]) {
      const roster = sortRoster(candidate);
      if (roster.length > 0 && rosterFingerprint(roster) === wanted) return roster;
    }
    return null;
  };
}

export interface ReplayProblem {
  ledgerKey: string | null;
  block: BlockRef;
  problem: string;
}

export type BlockStatus = 'complete' | 'closed-early' | 'open';

export interface BlockAudit extends BlockRef {
  size: number;
  used: number;
  status: BlockStatus;
  verified: boolean;
  /** Draws per rep against the rep's quota (verified blocks only). */
  reps: Array<{ repId: string; weight: number; quota: number; used: number }>;
}

export interface ReplayReport {
  rowsChecked: number;
  blocksVerified: number;
  blocksWithoutRoster: BlockRef[];
  problems: ReplayProblem[];
  /** True when every row was checked against its regenerated block and none differed. */
  reproduced: boolean;
  blocks: BlockAudit[];
}

function isDraw(row: LedgerRow): boolean {
  return (row.method === 'Permuted Block' || row.method === 'Rebalance') && row.block !== null && row.stratum !== null && row.seed !== null;
}

function checkBlock(block: Block, rows: readonly LedgerRow[], ref: BlockRef, problems: ReplayProblem[]): Map<number, number> {
  const usedSlots = new Set<number>();
  const drawsByMember = new Map<number, number[]>();
  for (const row of rows) {
    const member = block.indexOf.get(row.repId);
    if (member === undefined) {
      problems.push({ ledgerKey: row.ledgerKey, block: ref, problem: `rep ${row.repId} is not on the block's roster` });
      continue;
    }
    if (row.blockSize !== block.size) {
      problems.push({ ledgerKey: row.ledgerKey, block: ref, problem: `block size ${row.blockSize} differs from the regenerated ${block.size}` });
    }
    const draw = row.draw ?? -1;
    if (draw < 0 || draw >= block.size) {
      problems.push({ ledgerKey: row.ledgerKey, block: ref, problem: `draw ${row.draw} is outside the block of ${block.size}` });
      continue;
    }
    if (block.perm[draw] !== member) {
      const holder = block.roster[block.perm[draw] as number]?.id;
      problems.push({ ledgerKey: row.ledgerKey, block: ref, problem: `slot ${draw} belongs to ${holder}, not ${row.repId}` });
      continue;
    }
    if (usedSlots.has(draw)) {
      problems.push({ ledgerKey: row.ledgerKey, block: ref, problem: `slot ${draw} used twice` });
      continue;
    }
    usedSlots.add(draw);
    const list = drawsByMember.get(member) ?? [];
    list.push(draw);
    drawsByMember.set(member, list);
  }
  const usedByMember = new Map<number, number>();
  for (const [member, draws] of drawsByMember) {
    draws.sort((a, b) => a - b);
    const first = block.slots.subarray(block.slotStart[member] as number, (block.slotStart[member] as number) + draws.length);
    if (draws.some((d, i) => d !== first[i])) {
      problems.push({
        ledgerKey: null,
        block: ref,
        problem: `rep ${block.roster[member]?.id} skipped their own earlier slot (draws ${draws.join(',')})`
      });
    }
    usedByMember.set(member, draws.length);
  }
  return usedByMember;
}

export function replayLedger(rows: readonly LedgerRow[], rosters: RosterSource, policy: AssignmentPolicy = DEFAULT_POLICY): ReplayReport {
  // station -> stratum -> block -> seed -> rows: no string built per row.
  const tree = new Map<string, Map<string, Map<number, Map<string, LedgerRow[]>>>>();
  const groupsList: Array<{ ref: BlockRef; rows: LedgerRow[] }> = [];
  const latest = new Map<string, number>();
  for (const row of rows) {
    if (!isDraw(row)) continue;
    let byStratum = tree.get(row.station);
    if (!byStratum) tree.set(row.station, (byStratum = new Map()));
    let byBlock = byStratum.get(row.stratum as string);
    if (!byBlock) byStratum.set(row.stratum as string, (byBlock = new Map()));
    let bySeed = byBlock.get(row.block as number);
    if (!bySeed) byBlock.set(row.block as number, (bySeed = new Map()));
    let list = bySeed.get(row.seed as string);
    if (!list) {
      bySeed.set(row.seed as string, (list = []));
      groupsList.push({ ref: { station: row.station, stratum: row.stratum as string, block: row.block as number, seed: row.seed as string }, rows: list });
      const sk = `${row.station}\u0000${row.stratum}`;
      latest.set(sk, Math.max(latest.get(sk) ?? 0, row.block as number));
    }
    list.push(row);
  }
  const problems: ReplayProblem[] = [];
  const blocksWithoutRoster: BlockRef[] = [];
  const blocks: BlockAudit[] = [];
  let rowsChecked = 0;
  let blocksVerified = 0;
  const ordered = groupsList.sort(
    (a, b) => a.ref.station.localeCompare(b.ref.station) || a.ref.stratum.localeCompare(b.ref.stratum) || a.ref.block - b.ref.block
  );
  for (const { ref, rows: blockRows } of ordered) {
    const roster = rosters(ref, blockRows);
    const isLatest = latest.get(`${ref.station}\u0000${ref.stratum}`) === ref.block;
    const size = blockRows[0]?.blockSize ?? 0;
    if (!roster || rosterFingerprint(sortRoster(roster)) !== fingerprintOf(ref.seed)) {
      blocksWithoutRoster.push(ref);
      blocks.push({ ...ref, size, used: blockRows.length, status: blockRows.length === size ? 'complete' : isLatest ? 'open' : 'closed-early', verified: false, reps: [] });
      continue;
    }
    const block = buildBlock({ ...ref, number: ref.block, roster: sortRoster(roster), policy });
    const before = problems.length;
    const used = checkBlock(block, blockRows, ref, problems);
    rowsChecked += blockRows.length;
    if (problems.length === before) blocksVerified += 1;
    const totalUsed = [...used.values()].reduce((s, u) => s + u, 0);
    blocks.push({
      ...ref,
      size: block.size,
      used: totalUsed,
      status: totalUsed === block.size ? 'complete' : isLatest ? 'open' : 'closed-early',
      verified: problems.length === before,
      reps: block.roster.map((m, i) => ({ repId: m.id, weight: m.weight, quota: block.quotas[i] as number, used: used.get(i) ?? 0 }))
    });
  }
  return {
    rowsChecked,
    blocksVerified,
    blocksWithoutRoster,
    problems,
    reproduced: problems.length === 0 && blocksWithoutRoster.length === 0,
    blocks
  };
}

export interface CapViolation {
  repId: string;
  station: string;
  at: string;
  countInWindow: number;
  limit: number;
  windowMinutes: number;
}

/** Rolling-window check of the hourly cap, from the ledger alone (draw methods only). */
export function capViolations(rows: readonly LedgerRow[], station: Station, reps: readonly Rep[]): CapViolation[] {
  const byRep = new Map<string, number[]>();
  for (const row of rows) {
    if (row.station !== station.key || !isDraw(row)) continue;
    const list = byRep.get(row.repId) ?? [];
    list.push(Date.parse(row.assignedAt));
    byRep.set(row.repId, list);
  }
  const repById = new Map(reps.map((r) => [r.id, r] as const));
  const violations: CapViolation[] = [];
  for (const [repId, times] of byRep) {
    times.sort((a, b) => a - b);
    const cap = rateCap(station, repById.get(repId));
    const width = cap.windowMinutes * 60_000;
    let lo = 0;
    for (let hi = 0; hi < times.length; hi += 1) {
      // Every row at the same instant counts: extend hi over ties before testing.
      if (hi + 1 < times.length && times[hi + 1] === times[hi]) continue;
      while ((times[lo] as number) <= (times[hi] as number) - width) lo += 1;
      const count = hi - lo + 1;
      if (count > cap.limit) {
        violations.push({ repId, station: station.key, at: new Date(times[hi] as number).toISOString(), countInWindow: count, limit: cap.limit, windowMinutes: cap.windowMinutes });
      }
    }
  }
  return violations;
}

export interface RepCount {
  repId: string;
  count: number;
}

export interface StratumBalance {
  station: string;
  stratum: string;
  counts: RepCount[];
  /** Largest minus smallest count, each divided by the rep's weight relative to the largest. */
  imbalance: number;
  most: string | null;
  least: string | null;
}

export interface DimensionTest extends Omit<IndependenceTest, 'table' | 'rowLabels'> {
  station: string;
  dimension: string;
  /** Holm-adjusted across the dimensions of the station. */
  pHolm: number;
}

export interface EqualityReport {
  period: { from: string | null; to: string | null };
  rows: number;
  strata: StratumBalance[];
  largestImbalanceOverall: StratumBalance | null;
  /** Largest difference in weight-normalized draws between reps inside one closed block. */
  largestImbalanceWithinBlock: { block: BlockRef | null; difference: number; forfeitedSlots: number };
  tests: DimensionTest[];
  alpha: number;
  /** No test rejects at alpha after Holm's adjustment. */
  equal: boolean;
}

export interface EqualityOptions {
  /** Quality fields of each asset, by asset id (LeadSource, Segment__c, Fame_Band__c). */
  quality: ReadonlyMap<string, Readonly<Record<string, string | null | undefined>>>;
  dimensions?: readonly string[];
  period?: { from: Date; to: Date };
  alpha?: number;
  rng: Rng;
  /** Weights of reps, for the weight-normalized imbalance (default 1). */
  weights?: ReadonlyMap<string, number>;
  permutations?: number;
  monteCarlo?: 'auto' | 'always' | 'never';
}

export const DEFAULT_QUALITY_DIMENSIONS = ['LeadSource', 'Segment__c', 'Fame_Band__c'] as const;

function normalizer(weights: ReadonlyMap<string, number> | undefined, repIds: Iterable<string>): (repId: string) => number {
  const ids = [...repIds];
  const max = Math.max(1e-9, ...ids.map((id) => weights?.get(id) ?? 1));
  return (id) => max / (weights?.get(id) ?? 1);
}

function balanceOf(station: string, stratum: string, counts: Map<string, number>, weights?: ReadonlyMap<string, number>): StratumBalance {
  const list = [...counts.entries()].map(([repId, count]) => ({ repId, count })).sort((a, b) => a.repId.localeCompare(b.repId));
  const scale = normalizer(weights, counts.keys());
  let most: RepCount | null = null;
  let least: RepCount | null = null;
  for (const c of list) {
    if (!most || c.count * scale(c.repId) > most.count * scale(most.repId)) most = c;
    if (!least || c.count * scale(c.repId) < least.count * scale(least.repId)) least = c;
  }
  const imbalance = most && least ? most.count * scale(most.repId) - least.count * scale(least.repId) : 0;
  return { station, stratum, counts: list, imbalance, most: most?.repId ?? null, least: least?.repId ?? null };
}

/**
 * The equality report over the rows of a period. Reps on the roster of a verified block in a
 * stratum but with no draws in the period count as zero, so a rep never assigned anything
 * shows up as the least served rather than vanishing from the table.
 */
export function equalityReport(rows: readonly LedgerRow[], replay: ReplayReport | null, options: EqualityOptions): EqualityReport {
  const from = options.period?.from.getTime() ?? Number.NEGATIVE_INFINITY;
  const to = options.period?.to.getTime() ?? Number.POSITIVE_INFINITY;
  let lastText = '';
  let lastTime = 0;
  const inPeriod = rows.filter((r) => {
    if (!isDraw(r)) return false;
    if (r.assignedAt !== lastText) {
      lastText = r.assignedAt;
      lastTime = parseInstant(r.assignedAt);
    }
    return lastTime >= from && lastTime < to;
  });
  const byStratum = new Map<string, { station: string; stratum: string; counts: Map<string, number> }>();
  const group = (station: string, stratum: string) => {
    const key = `${station}\u0000${stratum}`;
    let g = byStratum.get(key);
    if (!g) {
      g = { station, stratum, counts: new Map() };
      byStratum.set(key, g);
    }
    return g;
  };
  for (const block of replay?.blocks ?? []) {
    if (!block.verified) continue;
    const g = group(block.station, block.stratum);
    for (const rep of block.reps) if (!g.counts.has(rep.repId)) g.counts.set(rep.repId, 0);
  }
  for (const row of inPeriod) {
    const g = group(row.station, row.stratum as string);
    g.counts.set(row.repId, (g.counts.get(row.repId) ?? 0) + 1);
  }
  const strata = [...byStratum.values()].map((g) => balanceOf(g.station, g.stratum, g.counts, options.weights));
  const largestImbalanceOverall = strata.reduce<StratumBalance | null>((best, s) => (!best || s.imbalance > best.imbalance ? s : best), null);

  let within: EqualityReport['largestImbalanceWithinBlock'] = { block: null, difference: 0, forfeitedSlots: 0 };
  for (const block of replay?.blocks ?? []) {
    if (!block.verified || block.status === 'open') continue;
    const max = Math.max(...block.reps.map((r) => r.weight));
    const normalized = block.reps.map((r) => (r.used * max) / r.weight);
    const difference = Math.max(...normalized) - Math.min(...normalized);
    const forfeited = block.reps.reduce((s, r) => s + (r.quota - r.used), 0);
    within = {
      block: difference > within.difference ? { station: block.station, stratum: block.stratum, block: block.block, seed: block.seed } : within.block,
      difference: Math.max(difference, within.difference),
      forfeitedSlots: within.forfeitedSlots + forfeited
    };
  }

  const dimensions = options.dimensions ?? DEFAULT_QUALITY_DIMENSIONS;
  const tests: DimensionTest[] = [];
  const stations = [...new Set(inPeriod.map((r) => r.station))].sort();
  for (const station of stations) {
    const stationRows = inPeriod.filter((r) => r.station === station);
    const qualities = stationRows.map((row) => options.quality.get(row.assetId));
    const stationTests = dimensions.map((dimension) => {
      const columns = { row: [] as string[], col: [] as string[], stratum: [] as string[] };
      stationRows.forEach((row, k) => {
        const quality = qualities[k];
        if (!quality) return;
        const value = (quality[dimension] ?? '').trim();
        columns.row.push(row.repId);
        columns.col.push(value === '' ? '(none)' : value);
        columns.stratum.push(row.stratum as string);
      });
      const test = independenceTest(columns, {
        rng: options.rng,
        monteCarlo: options.monteCarlo ?? 'auto',
        ...(options.permutations ? { permutations: options.permutations } : {})
      });
      const { table: _table, rowLabels: _rows, ...rest } = test;
      return { station, dimension, ...rest, pHolm: 1 };
    });
    const adjusted = holmAdjust(stationTests.map((t) => t.pValue));
    stationTests.forEach((t, i) => (t.pHolm = adjusted[i] as number));
    tests.push(...stationTests);
  }
  const alpha = options.alpha ?? 0.05;
  return {
    period: { from: options.period?.from.toISOString() ?? null, to: options.period?.to.toISOString() ?? null },
    rows: inPeriod.length,
    strata,
    largestImbalanceOverall,
    largestImbalanceWithinBlock: within,
    tests,
    alpha,
    equal: tests.every((t) => t.pHolm >= alpha)
  };
}

export interface AuditInput {
  rows: readonly LedgerRow[];
  rosters: RosterSource;
  policy?: AssignmentPolicy;
  equality: EqualityOptions;
  /** Station and reps per station key, for the hourly-cap check (optional). */
  caps?: ReadonlyArray<{ station: Station; reps: readonly Rep[] }>;
}

export interface AuditReport {
  replay: ReplayReport;
  capViolations: CapViolation[];
  equality: EqualityReport;
}

/** The whole audit: replay, caps and equality. */
export function auditAssignments(input: AuditInput): AuditReport {
  const replay = replayLedger(input.rows, input.rosters, input.policy);
  const violations = (input.caps ?? []).flatMap(({ station, reps }) => capViolations(input.rows, station, reps));
  return { replay, capViolations: violations, equality: equalityReport(input.rows, replay, input.equality) };
}

function fmtP(p: number): string {
  return p < 0.0001 ? p.toExponential(2) : p.toFixed(4);
}

/** The report as text lines, for `asl audit` without --json. */
export function formatAuditReport(report: AuditReport): string {
  const lines: string[] = [];
  const r = report.replay;
  lines.push(`Replay: ${r.reproduced ? 'REPRODUCED' : 'NOT REPRODUCED'} - ${r.rowsChecked} rows in ${r.blocksVerified} blocks checked against their seeds`);
  if (r.blocksWithoutRoster.length > 0) lines.push(`  ${r.blocksWithoutRoster.length} block(s) without a recorded roster could not be checked`);
  for (const p of r.problems.slice(0, 20)) lines.push(`  ${p.ledgerKey ?? '(block)'} [${p.block.stratum} #${p.block.block}]: ${p.problem}`);
  if (r.problems.length > 20) lines.push(`  ... and ${r.problems.length - 20} more`);
  lines.push(`Hourly caps: ${report.capViolations.length === 0 ? 'never exceeded' : `${report.capViolations.length} window(s) over the cap`}`);
  const e = report.equality;
  lines.push(`Equality over ${e.rows} assignments in ${e.strata.length} strata`);
  if (e.largestImbalanceOverall) {
    const o = e.largestImbalanceOverall;
    lines.push(`  largest imbalance overall: ${o.imbalance.toFixed(2)} (${o.most} vs ${o.least} in ${o.stratum})`);
  }
  lines.push(
    `  largest imbalance within a closed block: ${e.largestImbalanceWithinBlock.difference.toFixed(2)}; slots forfeited by reps ineligible at block close: ${e.largestImbalanceWithinBlock.forfeitedSlots}`
  );
  for (const t of e.tests) {
    lines.push(
      `  ${t.station} rep x ${t.dimension}: X2=${t.statistic.toFixed(2)} df=${t.df} p=${fmtP(t.pValue)} (${t.method}${t.method === 'monte-carlo' ? `, B=${t.permutations}` : ''}) Holm p=${fmtP(t.pHolm)}`
    );
  }
  lines.push(`Verdict at alpha=${e.alpha}: ${e.equal ? 'no evidence that lead quality differs between reps' : 'lead quality differs between reps'}`);
  return lines.join('\n');
}
