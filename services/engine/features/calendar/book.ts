import {
  demoSlotRecord,
  HOLDING_STATUSES,
  isSlotConflict,
  nextBestSlot,
  resolveOverlap,
  SlotConflictError,
  type BookedSlot,
  type Slot,
  type SlotLike
} from '../../core/calendar';
import type { OrgClient } from '../../org/connection';
import { queryAll } from '../../org/reads';
import { writeRecords } from '../../org/writes';
import { soql } from '../../org/soql';
import { CalendarSetupError, searchSlots, type OrgSlotSearch, type SearchOptions } from './reads';
import { orgNames } from '../../org/names';

/**
 * Booking a demo. The hold is the org's unique index on Demo_Slot__c.Slot_Key__c: of two
 * coordinators inserting the same key exactly one insert goes through, the other gets
 * DUPLICATE_VALUE and is offered the next best slot. Overlaps the key cannot see (another
 * start, or the same engineer on two AEs' slots) are settled after the insert by
 * resolveOverlap(): the earlier created booking stands, and the loser renames its key and
 * cancels itself, so the slot key stays free for a later booking of that time.
 */
export interface BookOptions extends SearchOptions {
  /** A rank from the search (1 = first) or a Slot_Key__c. */
  slot: string;
  leadId?: string | null;
  opportunityId?: string | null;
  bookedBy: string;
  /** The listing the coordinator booked from; searched afresh when absent. */
  listing?: OrgSlotSearch;
}

export interface Booking {
  slot: Slot;
  demoSlotId: string;
  eventIds: string[];
  seed: string | number;
}

export function pickSlot(search: OrgSlotSearch, ref: string): Slot {
  if (/^\d+$/.test(ref)) {
    const rank = Number(ref);
    const slot = search.slots.find((s) => s.rank === rank);
    if (!slot) throw new CalendarSetupError('--slot', `no slot ranked ${rank} (the search found ${search.slots.length})`, 'run `asl calendar slots` and pick a listed rank or key');
    return slot;
  }
  const slot = search.slots.find((s) => s.key.toLowerCase() === ref.toLowerCase());
  if (slot) return slot;
  // Not open any more (booked since the listing): offer what nextBestSlot would for that key.
  const taken = slotFromKey(ref, search.demoType.durationMinutes);
  throw new SlotConflictError(ref, taken ? nextBestSlot(taken, search.slots) : (search.slots[0] ?? null));
}

/** The owner and start a Slot_Key__c names (`<userId>@YYYYMMDDTHHMMZ`), as a slot of the type's length. */
export function slotFromKey(key: string, durationMinutes: number): SlotLike | null {
  const match = /^([a-zA-Z0-9]{15,18})@(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z$/.exec(key);
  if (!match) return null;
  const [, owner, y, mo, d, h, mi] = match as unknown as [string, string, string, string, string, string, string];
  const startMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  return { key, ownerId: owner, aeId: owner, engineerId: null, startMs, endMs: startMs + durationMinutes * 60_000 };
}

/** The bookings (holding statuses) that need a person of `slot` at an overlapping time, itself included. */
export async function bookingsAround(client: OrgClient, slot: SlotLike): Promise<BookedSlot[]> {
  const names = orgNames(client);
  const ids = [slot.aeId, slot.engineerId].filter((x): x is string => x !== null);
  const rows = await queryAll(
    client,
    soql`SELECT Id, CreatedDate, ${names.list(['Slot_Key__c', 'AE__c', 'Engineer__c', 'Start__c', 'End__c'])} FROM ${names.n('Demo_Slot__c')}
      WHERE (${names.n('AE__c')} IN ${ids} OR ${names.n('Engineer__c')} IN ${ids}) AND ${names.n('Start__c')} < ${new Date(slot.endMs)}
      AND ${names.n('End__c')} > ${new Date(slot.startMs)} AND ${names.n('Status__c')} IN ${[...HOLDING_STATUSES]}`
  );
  return rows.map(names.strip).map((r) => {
    const ae = (r.AE__c as string | null) ?? null;
    const engineer = (r.Engineer__c as string | null) ?? null;
    return {
      key: String(r.Slot_Key__c ?? r.Id),
      ownerId: ae ?? engineer ?? '',
      aeId: ae,
      engineerId: engineer,
      startMs: Date.parse(String(r.Start__c)),
      endMs: Date.parse(String(r.End__c)),
      createdAt: Date.parse(String(r.CreatedDate))
    };
  });
}

/** The key a cancelled booking takes, so the slot key is free for a later booking of that time. */
export function releasedKey(key: string, id: string): string {
  return `${key}~x~${id}`;
}

/** Whether a Slot_Key__c was released by releasedKey (an overlap loser or a cancellation). */
export function isReleasedKey(key: string): boolean {
  return key.includes('~x~');
}

/**
 * Cancels a booking that lost an overlap. Returned_At__c is set too: the demo never happened,
 * so its lead is not sent back to the SDR (see lifecycle.ts).
 */
export async function backOff(client: OrgClient, id: string, key: string, now: Date): Promise<void> {
  const names = orgNames(client);
  // The cancelled row keeps no claim on the key: a later booking of the same time must insert.
  await writeRecords(client, [
    { kind: 'update', sobject: names.api('Demo_Slot__c'), records: [names.record({ Id: id, Status__c: 'Cancelled', Slot_Key__c: releasedKey(key, id), Returned_At__c: now.toISOString() })] }
  ]);
}

/** The Subject of the Event a booked demo puts in each person's calendar. */
export function eventSubject(demoTypeKey: string, key: string): string {
  return `Demo: ${demoTypeKey} (${key})`;
}

export function eventsFor(slot: Pick<SlotLike, 'key' | 'aeId' | 'engineerId'> & { start: string; end: string }, demoTypeKey: string, leadId: string | null): Record<string, unknown>[] {
  const people = [slot.aeId, slot.engineerId].filter((x): x is string => x !== null);
  return people.map((ownerId) => ({
    OwnerId: ownerId,
    Subject: eventSubject(demoTypeKey, slot.key),
    StartDateTime: slot.start,
    EndDateTime: slot.end,
    ...(leadId ? { WhoId: leadId } : {})
  }));
}

export async function bookSlot(client: OrgClient, options: BookOptions): Promise<Booking> {
  const search = options.listing ?? (await searchSlots(client, { ...options, limit: null }));
  const slot = pickSlot(search, options.slot);
  const names = orgNames(client);
  const record = demoSlotRecord(
    slot,
    { demoTypeId: search.demoType.id ?? '', leadId: options.leadId ?? null, opportunityId: options.opportunityId ?? null, bookedBy: options.bookedBy, city: slot.city },
    client.config.namespace
  );
  const [report] = await writeRecords(client, [{ kind: 'create', sobject: names.api('Demo_Slot__c'), records: [record] }]);
  const failure = report?.failed[0];
  if (failure) {
    if (failure.errorCode && isSlotConflict(failure.errorCode)) throw new SlotConflictError(slot.key, nextBestSlot(slot, search.slots));
    throw new CalendarSetupError('Demo_Slot__c', `insert refused: ${failure.errorCode ?? 'error'} ${failure.message ?? ''}`.trim(), 'check the integration user\u2019s access to Demo_Slot__c and the lead id');
  }
  const demoSlotId = report?.succeeded[0]?.id ?? '';
  const around = await bookingsAround(client, slot);
  const mine = around.find((b) => b.key.toLowerCase() === slot.key.toLowerCase());
  if (mine) {
    const verdict = resolveOverlap(mine, around);
    if (!verdict.keep) {
      await backOff(client, demoSlotId, slot.key, options.now);
      throw new SlotConflictError(slot.key, nextBestSlot(slot, search.slots, { alsoTaken: verdict.conflictWith ? [verdict.conflictWith] : [] }));
    }
  }
  const [events] = await writeRecords(client, [{ kind: 'create', sobject: 'Event', records: eventsFor(slot, search.demoType.key, options.leadId ?? null) }]);
  if (events?.failed.length) {
    throw new CalendarSetupError('Event', `demo ${demoSlotId} is booked but its Event was refused: ${events.failed.map((f) => `${f.errorCode}: ${f.message}`).join('; ')}`, 'create the Event by hand or grant the integration user Edit Events');
  }
  return { slot, demoSlotId, eventIds: events?.succeeded.map((s) => s.id ?? '') ?? [], seed: search.seed };
}

