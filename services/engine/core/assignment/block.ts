import { createRng, seedFrom, shuffleInPlace } from '../random';
import { CoreInputError } from './errors';
import type { AssignmentPolicy, RosterMember } from './model';
import { blockQuotas, planUnits } from './weights';

/**
 * A permuted block: k x units slots per roster rep, in a random order fixed by the block's
 * seed. Everything here is a function of (seed token, station, stratum, block number,
 * roster), so the audit regenerates any block from its ledger rows and its roster.
 */
export interface Block {
  station: string;
  stratum: string;
  number: number;
  seed: string;
  roster: RosterMember[];
  multiple: number;
  /** Slots per roster member (roster order). */
  quotas: number[];
  size: number;
  /** perm[slot] = roster index of the rep holding that slot. */
  perm: Int32Array;
  /** Slot positions of roster member i, ascending: slots[slotStart[i] .. slotStart[i+1]). */
  slotStart: Int32Array;
  slots: Int32Array;
  /** Roster index by rep id. */
  indexOf: Map<string, number>;
}

const RUN_SEED = /^[A-Za-z0-9_-]{1,30}$/;

export function assertRunSeed(runSeed: string): void {
  if (!RUN_SEED.test(runSeed)) {
    throw new CoreInputError('seed', runSeed, '1 to 30 characters from A-Z, a-z, 0-9, _ and -');
  }
}

function hex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

/** Identifies a roster (ids and weights): a change of either starts a new block. */
export function rosterFingerprint(roster: readonly RosterMember[]): string {
  return hex8(seedFrom(roster.map((m) => `${m.id}:${Math.round(m.weight * 100)}`).join(';')));
}

/** The Seed__c value of a block: the run seed that opened it and its roster fingerprint. */
export function seedToken(runSeed: string, roster: readonly RosterMember[]): string {
  assertRunSeed(runSeed);
  return `${runSeed}.${rosterFingerprint(roster)}`;
}

export function fingerprintOf(token: string): string {
  const dot = token.lastIndexOf('.');
  return dot < 0 ? '' : token.slice(dot + 1);
}

/** Rosters are kept sorted by id so that the same people always make the same block. */
export function sortRoster(roster: readonly RosterMember[]): RosterMember[] {
  return [...roster].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export interface BlockSpec {
  station: string;
  stratum: string;
  number: number;
  seed: string;
  /** Sorted by id (sortRoster). */
  roster: RosterMember[];
  policy: Pick<AssignmentPolicy, 'blockMultiples' | 'maxUnitsPerRep'>;
}

export function buildBlock(spec: BlockSpec): Block {
  if (spec.roster.length === 0) throw new CoreInputError('roster', [], 'at least one rep');
  const rng = createRng(`${spec.seed}|${spec.station}|${spec.stratum}|${spec.number}`);
  const multiple = rng.int(spec.policy.blockMultiples.min, spec.policy.blockMultiples.max);
  const plan = planUnits(
    spec.roster.map((m) => m.weight),
    spec.policy.maxUnitsPerRep
  );
  const quotas = blockQuotas(plan, multiple, rng);
  const size = quotas.reduce((s, q) => s + q, 0);
  const permList: number[] = [];
  quotas.forEach((q, i) => {
    for (let j = 0; j < q; j += 1) permList.push(i);
  });
  shuffleInPlace(permList, rng);
  const perm = Int32Array.from(permList);
  const slotStart = new Int32Array(spec.roster.length + 1);
  for (let i = 0; i < quotas.length; i += 1) slotStart[i + 1] = (slotStart[i] as number) + (quotas[i] as number);
  const fill = slotStart.slice(0, spec.roster.length);
  const slots = new Int32Array(size);
  for (let position = 0; position < size; position += 1) {
    const member = perm[position] as number;
    slots[fill[member] as number] = position;
    fill[member] = (fill[member] as number) + 1;
  }
  const indexOf = new Map(spec.roster.map((m, i) => [m.id, i] as const));
  return { ...spec, multiple, quotas, size, perm, slotStart, slots, indexOf };
}
