import { apiNames, type DemoSlotStatus } from '../../schema';
import { overlaps } from './intervals';
import { InputError } from './orgRecord';

/**
 * Booking a slot. The atomic hold is the org's: Demo_Slot__c.Slot_Key__c is a unique
 * External ID, so of two coordinators inserting the same key only one insert succeeds and
 * the other gets DUPLICATE_VALUE (Salesforce "StatusCode" list, SOAP API Developer Guide:
 * "DUPLICATE_VALUE: You can't store a duplicate value for a field that requires unique
 * values"). The org side treats that code as a conflict and offers nextBestSlot().
 *
 * The key only catches the same owner at the same start. Two overlapping bookings with
 * different starts (10:00 and 10:30 for one-hour demos), or the same engineer on two AEs'
 * slots, are caught after the insert: each side re-reads the person's bookings around the
 * slot and calls resolveOverlap(); both sides compute the same winner, so exactly one backs off.
 */
const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_15 = /^[a-zA-Z0-9]{15}$/;
const ID_18 = /^[a-zA-Z0-9]{18}$/;

/**
 * The 18-character, case-insensitive-safe form of a Salesforce id (the CASESAFEID()
 * algorithm: SOAP API Developer Guide, "ID Field Type"). Slot_Key__c is case-insensitive
 * unique, so two 15-character ids that differ only in case must not make equal keys.
 * Values that are not Salesforce ids are returned unchanged.
 */
export function caseSafeId(id: string): string {
  if (!ID_15.test(id) && !ID_18.test(id)) return id;
  const id15 = id.slice(0, 15);
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_CHARS[bits];
  }
  return id15 + suffix;
}

/** The time part of a slot key: UTC start to the minute, e.g. `20261123T1500Z`. */
export function slotKeyTime(startMs: number): string {
  const iso = new Date(Math.floor(startMs / 60_000) * 60_000).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}

/** Slot_Key__c: owner (case-safe id) + UTC start to the minute, e.g. `005...AAQ@20261123T1500Z`. */
export function slotKey(ownerId: string, start: string | number | Date): string {
  const ms = start instanceof Date ? start.getTime() : typeof start === 'number' ? start : Date.parse(start);
  if (!Number.isFinite(ms)) throw new InputError('slotKey.start', start, 'an ISO 8601 date-time or epoch milliseconds');
  if (ownerId.trim() === '') throw new InputError('slotKey.ownerId', ownerId, 'the user id of the AE (or engineer)');
  return `${caseSafeId(ownerId)}@${slotKeyTime(ms)}`;
}

/** What a ranked slot needs for the conflict rules. */
export interface SlotLike {
  key: string;
  ownerId: string;
  aeId: string | null;
  engineerId: string | null;
  startMs: number;
  endMs: number;
}

function people(slot: SlotLike): string[] {
  return [slot.aeId, slot.engineerId, slot.ownerId].filter((id): id is string => id !== null);
}

/** Whether two slots need one person at overlapping times. */
export function clashes(a: SlotLike, b: SlotLike): boolean {
  if (!overlaps({ start: a.startMs, end: a.endMs }, { start: b.startMs, end: b.endMs })) return false;
  const ids = new Set(people(a));
  return people(b).some((id) => ids.has(id));
}

/**
 * The slot to offer after `conflicted` was taken by someone else. Every slot that needs a
 * person of the conflicted slot at an overlapping time is gone too. By default a slot at the
 * same start with other people comes first (the customer was promised that time), then the
 * ranking order; with `sameStartFirst: false`, ranking order only.
 */
export function nextBestSlot<S extends SlotLike>(conflicted: SlotLike, ranked: readonly S[], options: { sameStartFirst?: boolean; alsoTaken?: readonly SlotLike[] } = {}): S | null {
  const taken = [conflicted, ...(options.alsoTaken ?? [])];
  const open = ranked.filter((s) => s.key !== conflicted.key && !taken.some((t) => clashes(s, t)));
  if (options.sameStartFirst ?? true) {
    const same = open.find((s) => s.startMs === conflicted.startMs);
    if (same) return same;
  }
  return open[0] ?? null;
}

/** Salesforce's error code for a unique-field collision (the slot is already held). */
export const DUPLICATE_VALUE = 'DUPLICATE_VALUE';

export function isSlotConflict(errorCode: string): boolean {
  return errorCode === DUPLICATE_VALUE;
}

/** A booking as read back from the org after inserting, for the overlap check. */
export interface BookedSlot extends SlotLike {
  /** Demo_Slot__c.CreatedDate: the earlier booking wins. */
  createdAt: number;
}

/**
 * After inserting `mine`, given the bookings the org now holds around it (for its people),
 * decide whether it stands. The earliest created wins; equal stamps fall back to the key,
 * so both coordinators reach the same answer and exactly one backs off.
 */
export function resolveOverlap(mine: BookedSlot, others: readonly BookedSlot[]): { keep: boolean; conflictWith: BookedSlot | null } {
  const rivals = others.filter((o) => o.key !== mine.key && clashes(mine, o));
  const beats = (a: BookedSlot, b: BookedSlot) => a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.key.toLowerCase() < b.key.toLowerCase());
  const winner = rivals.find((r) => beats(r, mine)) ?? null;
  return { keep: winner === null, conflictWith: winner ?? rivals[0] ?? null };
}

/** A typed error for the coordinator: the slot is taken, here is the next best one. */
export class SlotConflictError extends Error {
  constructor(
    readonly slotKey: string,
    readonly next: SlotLike | null
  ) {
    super(
      next
        ? `Slot ${slotKey} was just booked by someone else. Next best slot: ${next.key} (${new Date(next.startMs).toISOString()}).`
        : `Slot ${slotKey} was just booked by someone else, and no other slot is open in the search window. Search again with more days.`
    );
    this.name = 'SlotConflictError';
  }
}

export interface BookingDetails {
  demoTypeId: string;
  leadId?: string | null;
  opportunityId?: string | null;
  bookedBy: string;
  status?: DemoSlotStatus;
  city?: string | null;
}

/**
 * The Demo_Slot__c record to insert for a slot, keyed by the org's API names (namespace
 * applied). The org side inserts it and maps DUPLICATE_VALUE on Slot_Key__c to a conflict.
 */
export function demoSlotRecord(slot: SlotLike & { start: string; end: string; city?: string | null }, details: BookingDetails, namespace = ''): Record<string, unknown> {
  const f = apiNames(namespace).Demo_Slot__c.fields;
  return {
    [f.Slot_Key__c]: slot.key,
    [f.Demo_Type__c]: details.demoTypeId,
    [f.AE__c]: slot.aeId,
    [f.Engineer__c]: slot.engineerId,
    [f.Start__c]: slot.start,
    [f.End__c]: slot.end,
    [f.Status__c]: details.status ?? 'Booked',
    [f.Lead__c]: details.leadId ?? null,
    [f.Opportunity__c]: details.opportunityId ?? null,
    [f.Booked_By__c]: details.bookedBy,
    [f.City__c]: details.city ?? slot.city ?? null
  };
}
