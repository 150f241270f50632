import { buildBlock, fingerprintOf, rosterFingerprint, seedToken, sortRoster, assertRunSeed, type Block } from './block';
import { describeIneligible, rateCap, repStatus, type IneligibleReason, type RepStatus } from './eligibility';
import { CoreInputError } from './errors';
import { MinHeap } from './heap';
import { parseInstant } from './instant';
import {
  DEFAULT_POLICY,
  assetToAssignSchema,
  type AssetToAssign,
  type AssetType,
  type AssignmentPolicy,
  type AssignmentState,
  type DrawMethod,
  type LedgerRow,
  type Rep,
  type RosterMember,
  type Station,
  type StratumState
} from './model';
import { stratumResolver } from './strata';

/**
 * Stratified permuted-block assignment for one station.
 *
 * Each stratum has an open block over its roster (the station's active reps with the
 * stratum's skills). The next asset goes to the eligible rep whose next unused slot comes
 * first in the block's seeded permutation. A rep who is ineligible for a while (off shift,
 * on leave, at a cap) keeps their slots and uses them when eligible again in the same block.
 * The block closes when all slots are used, or when the reps eligible now have used all of
 * theirs (the slots still held by ineligible reps are then forfeited); a change of roster
 * (hire, leaver, new skill or weight) closes it too. Nothing is carried into the next block.
 *
 * So every rep eligible when a block closes has received exactly their quota of it
 * (k x units): balance among reps who stayed eligible is exact, block by block.
 */
export interface AssignInput {
  station: Station;
  /** Reps of any station; those not listing this station are ignored. */
  reps: readonly Rep[];
  policy?: AssignmentPolicy;
  /** State after the previous run (or rebuildState from the ledger). */
  state: AssignmentState;
  /** New assets and those still waiting, in any order. */
  assets: readonly AssetToAssign[];
  now: Date;
  /** Run seed, written into the Seed__c of blocks this run opens. */
  seed: string;
  /** Open assets per rep at this station now. */
  wip: Readonly<Record<string, number>>;
  /** Ledger keys already written: those assets are skipped, never assigned twice. */
  existingKeys?: ReadonlySet<string>;
  /** Flow control: at most this many assignments now (releasePlan in core/flow). */
  releaseLimit?: number;
  /** Why the limit is what it is (the station that sets it), shown on every held-back asset. */
  releaseReason?: string;
  method?: DrawMethod;
}

export type WaitReason = 'station-inactive' | 'no-skilled-rep' | 'no-eligible-rep' | 'held-by-flow-control';

export interface WaitingAsset {
  assetId: string;
  assetType: AssetType;
  stratum: string;
  queuedAt: string;
  waitingMinutes: number;
  reason: WaitReason;
  detail: string;
}

export type CloseReason = 'complete' | 'eligible-reps-exhausted' | 'roster-changed';

export interface BlockOpened {
  kind: 'opened';
  station: string;
  stratum: string;
  block: number;
  seed: string;
  size: number;
  multiple: number;
  /** The eligibility snapshot of the block: who holds slots, with weights (sorted by id). */
  roster: RosterMember[];
  at: string;
}

export interface BlockClosed {
  kind: 'closed';
  station: string;
  stratum: string;
  block: number;
  seed: string;
  size: number;
  reason: CloseReason;
  used: Record<string, number>;
  /** Slots never used, per rep (reps ineligible when the block closed). */
  forfeited: Record<string, number>;
  at: string;
}

export type BlockEvent = BlockOpened | BlockClosed;

export interface AssignResult {
  /** Ledger rows in draw order. */
  rows: LedgerRow[];
  /** Assets no one can take now, oldest first. */
  waiting: WaitingAsset[];
  /** Ledger keys of assets skipped because they were already assigned. */
  skipped: string[];
  state: AssignmentState;
  blocks: BlockEvent[];
  /** Each station rep's eligibility when the run started. */
  eligibility: RepStatus[];
}

interface StratumRun {
  stratum: string;
  rosterIndex: Int32Array; // roster member -> station rep index
  roster: RosterMember[];
  fingerprint: string;
  block: Block | null;
  lastNumber: number;
  used: Int32Array;
  heap: MinHeap | null;
  /** Nobody on the roster can take an asset for the rest of this run (eligibility only falls). */
  blockedDetail: string | null;
  previous: StratumState | undefined;
}

const MAX_EMPTY_BLOCKS = 64;

class StationRun {
  readonly rows: LedgerRow[] = [];
  readonly blocks: BlockEvent[] = [];
  readonly reps: Rep[];
  readonly statuses: RepStatus[];
  readonly eligible: Uint8Array;
  readonly reason: (IneligibleReason | null)[];
  readonly wip: Float64Array;
  readonly recent: Float64Array;
  readonly recentDraws: Map<string, number[]>;
  private readonly rosters = new Map<string, { roster: RosterMember[]; index: Int32Array }>();
  private readonly strata = new Map<string, StratumRun>();
  private readonly nowIso: string;

  constructor(private readonly input: AssignInput, private readonly policy: AssignmentPolicy) {
    const { station, now } = input;
    this.nowIso = now.toISOString();
    this.reps = input.reps.filter((r) => r.active && r.stations.includes(station.key));
    this.recentDraws = new Map();
    const nowMs = now.getTime();
    this.statuses = this.reps.map((rep) => {
      const status = repStatus(station, rep, now, input.wip[rep.id] ?? 0, input.state.recentDraws[rep.id]);
      const from = nowMs - status.rateWindowMinutes * 60_000;
      this.recentDraws.set(rep.id, (input.state.recentDraws[rep.id] ?? []).filter((t) => t > from && t <= nowMs));
      return status;
    });
    this.eligible = Uint8Array.from(this.statuses.map((s) => (s.eligible ? 1 : 0)));
    this.reason = this.statuses.map((s) => s.reason);
    this.wip = Float64Array.from(this.statuses.map((s) => s.wip));
    this.recent = Float64Array.from(this.statuses.map((s) => s.recentCount));
  }

  private rosterFor(skills: readonly string[]): { roster: RosterMember[]; index: Int32Array } {
    const cacheKey = skills.join('+');
    const cached = this.rosters.get(cacheKey);
    if (cached) return cached;
    const members = this.reps
      .map((rep, i) => ({ rep, i }))
      .filter(({ rep }) => skills.every((s) => rep.skills.includes(s)));
    const sorted = sortRoster(members.map(({ rep }) => ({ id: rep.id, weight: rep.weight })));
    const position = new Map(members.map(({ rep, i }) => [rep.id, i] as const));
    const built = { roster: sorted, index: Int32Array.from(sorted.map((m) => position.get(m.id) as number)) };
    this.rosters.set(cacheKey, built);
    return built;
  }

  stratumRun(stratum: string, skills: readonly string[]): StratumRun {
    let run = this.strata.get(stratum);
    if (run) return run;
    const { roster, index } = this.rosterFor(skills);
    const previous = this.input.state.strata[stratum];
    run = {
      stratum,
      rosterIndex: index,
      roster,
      fingerprint: rosterFingerprint(roster),
      block: null,
      lastNumber: previous?.block ?? 0,
      used: new Int32Array(roster.length),
      heap: null,
      blockedDetail: null,
      previous
    };
    if (previous && roster.length > 0) this.resume(run, previous);
    this.strata.set(stratum, run);
    return run;
  }

  /** Continue the open block if the roster is the one it was drawn for. */
  private resume(run: StratumRun, previous: StratumState): void {
    if (fingerprintOf(previous.seed) !== run.fingerprint) return;
    const block = buildBlock({
      station: this.input.station.key,
      stratum: run.stratum,
      number: previous.block,
      seed: previous.seed,
      roster: run.roster,
      policy: this.policy
    });
    if (block.size !== previous.size) return;
    for (const [repId, count] of Object.entries(previous.used)) {
      const member = block.indexOf.get(repId);
      if (member === undefined || count > (block.quotas[member] as number)) return;
      run.used[member] = count;
    }
    run.block = block;
  }

  private buildHeap(run: StratumRun): MinHeap {
    const block = run.block as Block;
    const heap = new MinHeap(run.roster.length);
    for (let m = 0; m < run.roster.length; m += 1) {
      const used = run.used[m] as number;
      if (used < (block.quotas[m] as number) && this.eligible[run.rosterIndex[m] as number] === 1) {
        heap.push(m, block.slots[(block.slotStart[m] as number) + used] as number);
      }
    }
    return heap;
  }

  private close(run: StratumRun, reason: CloseReason): void {
    const block = run.block;
    if (!block && !run.previous) return;
    const used: Record<string, number> = {};
    const forfeited: Record<string, number> = {};
    if (block) {
      block.roster.forEach((m, i) => {
        const u = run.used[i] as number;
        if (u > 0) used[m.id] = u;
        const left = (block.quotas[i] as number) - u;
        if (left > 0) forfeited[m.id] = left;
      });
    } else if (run.previous) {
      Object.assign(used, run.previous.used);
    }
    this.blocks.push({
      kind: 'closed',
      station: this.input.station.key,
      stratum: run.stratum,
      block: block?.number ?? (run.previous as StratumState).block,
      seed: block?.seed ?? (run.previous as StratumState).seed,
      size: block?.size ?? (run.previous as StratumState).size,
      reason,
      used,
      forfeited,
      at: this.nowIso
    });
  }

  private open(run: StratumRun): void {
    run.lastNumber += 1;
    const block = buildBlock({
      station: this.input.station.key,
      stratum: run.stratum,
      number: run.lastNumber,
      seed: seedToken(this.input.seed, run.roster),
      roster: run.roster,
      policy: this.policy
    });
    run.block = block;
    run.used.fill(0);
    run.heap = this.buildHeap(run);
    this.blocks.push({
      kind: 'opened',
      station: this.input.station.key,
      stratum: run.stratum,
      block: block.number,
      seed: block.seed,
      size: block.size,
      multiple: block.multiple,
      roster: run.roster,
      at: this.nowIso
    });
  }

  /** The roster member who gets the next asset of this stratum, or -1. */
  private popEligible(run: StratumRun): number {
    const heap = run.heap as MinHeap;
    while (heap.size > 0) {
      const m = heap.peek();
      if (this.eligible[run.rosterIndex[m] as number] === 1) return m;
      heap.pop();
    }
    return -1;
  }

  draw(run: StratumRun): number {
    if (run.blockedDetail !== null) return -1;
    if (run.block && !run.heap) run.heap = this.buildHeap(run);
    let member = run.block ? this.popEligible(run) : -1;
    for (let attempt = 0; member < 0 && attempt < MAX_EMPTY_BLOCKS; attempt += 1) {
      if (!this.anyEligible(run)) {
        run.blockedDetail = describeIneligible(Array.from(run.rosterIndex, (i) => this.reason[i] as IneligibleReason | null));
        return -1;
      }
      if (run.block || run.previous) {
        const stale = !run.block && run.previous !== undefined;
        this.close(run, stale ? 'roster-changed' : this.isComplete(run) ? 'complete' : 'eligible-reps-exhausted');
        run.previous = undefined;
      }
      this.open(run);
      member = this.popEligible(run);
    }
    return member;
  }

  private isComplete(run: StratumRun): boolean {
    const block = run.block as Block;
    let used = 0;
    for (const u of run.used) used += u;
    return used === block.size;
  }

  private anyEligible(run: StratumRun): boolean {
    for (const i of run.rosterIndex) if (this.eligible[i] === 1) return true;
    return false;
  }

  /** Records the draw of member m and returns the slot it used. */
  take(run: StratumRun, m: number): number {
    const block = run.block as Block;
    const heap = run.heap as MinHeap;
    const used = run.used[m] as number;
    const slot = block.slots[(block.slotStart[m] as number) + used] as number;
    run.used[m] = used + 1;
    if (used + 1 < (block.quotas[m] as number)) {
      heap.replaceTop(m, block.slots[(block.slotStart[m] as number) + used + 1] as number);
    } else {
      heap.pop();
    }
    const r = run.rosterIndex[m] as number;
    this.wip[r] = (this.wip[r] as number) + 1;
    this.recent[r] = (this.recent[r] as number) + 1;
    const status = this.statuses[r] as RepStatus;
    if (status.wipCap !== null && (this.wip[r] as number) >= status.wipCap) {
      this.eligible[r] = 0;
      this.reason[r] = 'wip-cap';
    } else if ((this.recent[r] as number) >= status.rateLimit) {
      this.eligible[r] = 0;
      this.reason[r] = 'hourly-cap';
    }
    return slot;
  }

  stateOut(): AssignmentState {
    const strata: Record<string, StratumState> = { ...this.input.state.strata };
    for (const run of this.strata.values()) {
      if (!run.block) continue;
      const used: Record<string, number> = {};
      run.roster.forEach((m, i) => {
        if ((run.used[i] as number) > 0) used[m.id] = run.used[i] as number;
      });
      strata[run.stratum] = { stratum: run.stratum, block: run.block.number, seed: run.block.seed, size: run.block.size, used };
    }
    const recentDraws: Record<string, number[]> = {};
    const nowMs = this.input.now.getTime();
    // Reps off the roster this run (inactive, moved) keep their recent draws: they count
    // against the cap again if the rep comes back within the window.
    const keepFrom = nowMs - Math.max(60, rateCap(this.input.station).windowMinutes) * 60_000;
    for (const [repId, draws] of Object.entries(this.input.state.recentDraws)) {
      if (this.recentDraws.has(repId)) continue;
      const kept = draws.filter((t) => t > keepFrom && t <= nowMs);
      if (kept.length > 0) recentDraws[repId] = kept;
    }
    this.reps.forEach((rep, r) => {
      const before = this.recentDraws.get(rep.id) ?? [];
      const added = (this.recent[r] as number) - (this.statuses[r] as RepStatus).recentCount;
      const draws = added > 0 ? before.concat(new Array<number>(added).fill(nowMs)) : before;
      if (draws.length > 0) recentDraws[rep.id] = draws;
    });
    return { station: this.input.station.key, strata, recentDraws };
  }
}

/** `2024-05-06T15:00:00.000Z`: the form toISOString and the org's CSV write, which sorts as text in time order. */
function isCanonicalUtc(text: string): boolean {
  return text.length === 24 && text.charCodeAt(23) === 90 && text.charCodeAt(10) === 84 && text.charCodeAt(19) === 46;
}

/**
 * Processing order: oldest first, ties by id. The sort is skipped when the org already
 * returned the assets in that order (ORDER BY Station_Entered_At__c, Id), the usual case;
 * the check then compares the canonical ISO strings as text, so a million assets cost no
 * date parsing at all (a queue time is parsed only for an asset that ends up waiting).
 */
function processingOrder(assets: readonly AssetToAssign[]): { order: Int32Array; queuedMs: (index: number) => number } {
  const order = new Int32Array(assets.length);
  for (let i = 0; i < order.length; i += 1) order[i] = i;
  const parseAt = (i: number): number => {
    const t = parseInstant((assets[i] as AssetToAssign).queuedAt);
    if (Number.isNaN(t)) throw new CoreInputError(`assets[${i}].queuedAt`, (assets[i] as AssetToAssign).queuedAt, 'an ISO 8601 date-time');
    return t;
  };
  let sorted = true;
  for (let i = 1; i < assets.length && sorted; i += 1) {
    const a = assets[i - 1] as AssetToAssign;
    const b = assets[i] as AssetToAssign;
    if (isCanonicalUtc(a.queuedAt) && isCanonicalUtc(b.queuedAt)) {
      sorted = a.queuedAt < b.queuedAt || (a.queuedAt === b.queuedAt && a.id <= b.id);
    } else {
      sorted = false;
    }
  }
  if (sorted) {
    return { order, queuedMs: parseAt };
  }
  const queuedMs = new Float64Array(assets.length);
  for (let i = 0; i < assets.length; i += 1) queuedMs[i] = parseAt(i);
  const before = (x: number, y: number): number => {
    const dt = (queuedMs[x] as number) - (queuedMs[y] as number);
    if (dt !== 0) return dt;
    const a = (assets[x] as AssetToAssign).id;
    const b = (assets[y] as AssetToAssign).id;
    return a < b ? -1 : a > b ? 1 : 0;
  };
  return { order: order.sort(before), queuedMs: (i) => queuedMs[i] as number };
}

/** The idempotency key of an asset's visit to a station: `${station}:${assetId}:${visit}`. */
export function ledgerKeyOf(stationKey: string, asset: Pick<AssetToAssign, 'id' | 'visit'>): string {
  return `${stationKey}:${asset.id}:${asset.visit ?? 1}`;
}

export function assignBatch(input: AssignInput): AssignResult {
  const policy = input.policy ?? DEFAULT_POLICY;
  assertRunSeed(input.seed);
  if (input.state.station !== input.station.key) {
    throw new CoreInputError('state.station', input.state.station, `the state of station ${input.station.key}`);
  }
  const method = input.method ?? 'Permuted Block';
  const run = new StationRun(input, policy);
  const resolve = stratumResolver(policy, input.now);
  const nowMs = input.now.getTime();
  const nowIso = input.now.toISOString();
  const waiting: WaitingAsset[] = [];
  const skipped: string[] = [];
  const limit = input.releaseLimit ?? Number.POSITIVE_INFINITY;
  const heldDetail = `held back: release limit of ${limit} reached (${input.releaseReason ?? 'a downstream station is over its WIP target'})`;
  const stationKey = input.station.key;
  const keyPrefix = `${stationKey}:`;
  const wait = (asset: AssetToAssign, index: number, stratum: string, reason: WaitReason, detail: string): void => {
    const queued = queuedMs(index);
    waiting.push({
      assetId: asset.id,
      assetType: asset.type,
      stratum,
      queuedAt: asset.queuedAt,
      waitingMinutes: Math.max(0, (nowMs - queued) / 60_000),
      reason,
      detail
    });
  };
  const existing = input.existingKeys !== undefined && input.existingKeys.size > 0 ? input.existingKeys : null;
  const { order, queuedMs } = processingOrder(input.assets);
  for (const index of order) {
    const asset = input.assets[index] as AssetToAssign;
    // One key string per asset: built here only when there are keys to check against.
    const ledgerKey = existing ? ledgerKeyOf(stationKey, asset) : null;
    if (ledgerKey !== null && existing?.has(ledgerKey)) {
      skipped.push(ledgerKey);
      continue;
    }
    const { key: stratum, skills } = resolve(asset.fields);
    if (!input.station.active) {
      wait(asset, index, stratum, 'station-inactive', `station ${stationKey} is not active`);
      continue;
    }
    if (run.rows.length >= limit) {
      wait(asset, index, stratum, 'held-by-flow-control', heldDetail);
      continue;
    }
    const stratumRun = run.stratumRun(stratum, skills);
    if (stratumRun.roster.length === 0) {
      wait(asset, index, stratum, 'no-skilled-rep', `no active rep at ${stationKey} has the skills ${skills.join(', ') || '(none)'}`);
      continue;
    }
    const member = run.draw(stratumRun);
    if (member < 0) {
      wait(asset, index, stratum, 'no-eligible-rep', stratumRun.blockedDetail ?? 'no eligible rep');
      continue;
    }
    const block = stratumRun.block as Block;
    const slot = run.take(stratumRun, member);
    run.rows.push({
      ledgerKey: ledgerKey ?? (asset.visit === undefined || asset.visit === 1 ? keyPrefix + asset.id + ':1' : ledgerKeyOf(stationKey, asset)),
      assetId: asset.id,
      assetType: asset.type,
      repId: (stratumRun.roster[member] as RosterMember).id,
      station: stationKey,
      stratum,
      block: block.number,
      blockSize: block.size,
      draw: slot,
      seed: block.seed,
      method,
      assignedAt: nowIso
    });
  }
  return { rows: run.rows, waiting, skipped, state: run.stateOut(), blocks: run.blocks, eligibility: run.statuses };
}

/** Validates assets that arrive from outside core (CLI files, HTTP bodies). */
export function parseAssets(raw: unknown[]): AssetToAssign[] {
  return raw.map((a, i) => {
    const parsed = assetToAssignSchema.safeParse(a);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CoreInputError(`assets[${i}].${issue?.path.join('.') ?? ''}`, a, issue?.message ?? 'an asset');
    }
    return parsed.data;
  });
}
