import { z } from 'zod';
import { demoSlotRecord, InputError, nextBestSlot, type OwnerStanding, type Slot } from '../../core/calendar';
import type { OrgClient } from '../../org/connection';
import { orgNames } from '../../org/names';
import { queryAll } from '../../org/reads';
import { soql } from '../../org/soql';
import { writeRecords, type WriteOp } from '../../org/writes';
import { CalendarSetupError, searchSlots, type OrgSlotSearch } from './reads';

/**
 * The Demo Calendar console's side of the exchange. The console cannot call the engine (no
 * Apex, no HTTP from the LWC): it creates a Demo_Request__c (demo type, days, city, customer
 * zone, lead) with Status__c Requested, and the engine answers in the same record: Status__c
 * Answered with the ranked slots and the standings as JSON in Result__c, or Failed with the
 * reason in Message__c. Setting Status__c back to Requested asks for a fresh answer (after a
 * booking or a conflict). Each answer ends with an Engine_Signal__e SLOTS for the request.
 *
 * One source of truth: every slot in the answer carries the Demo_Slot__c fields to insert
 * (core demoSlotRecord: the Slot_Key__c the unique index holds, the people, the times) and the
 * key of the slot to offer if its insert answers DUPLICATE_VALUE (core nextBestSlot over the
 * answer's ranking). The console applies both as given; it ranks and keys nothing itself.
 */
export const ANSWER_VERSION = 1;
/** Slots per answer: enough for a coordinator's screen, small enough for Result__c. */
export const ANSWER_SLOTS = 30;
const DEFAULT_DAYS = 14;
const REQUEST_BATCH = 20;

const requestRowSchema = z.object({
  Id: z.string().min(15),
  CreatedById: z.string().min(15),
  Demo_Type__c: z.string().nullish(),
  Lead__c: z.string().nullish(),
  Days__c: z.number().nullish(),
  City__c: z.string().nullish(),
  Customer_Time_Zone__c: z.string().nullish(),
  Seed__c: z.string().nullish()
});
type RequestRow = z.infer<typeof requestRowSchema>;

export interface AnswerSlot {
  rank: number;
  key: string;
  ownerId: string;
  aeId: string | null;
  engineerId: string | null;
  start: string;
  end: string;
  tier: 0 | 1 | 2;
  city: string | null;
  /** The Demo_Slot__c to insert to book this slot, with the org's API names. */
  record: Record<string, unknown>;
  /** Key of the slot to offer if this one was just taken (core nextBestSlot), or null. */
  next: string | null;
}

export interface DemoRequestAnswer {
  version: typeof ANSWER_VERSION;
  requestId: string;
  answeredAt: string;
  seed: string | number;
  period: { start: string; end: string };
  demoType: { id: string | null; key: string; durationMinutes: number; needsAE: boolean; needsEngineer: boolean; fieldMeeting: boolean };
  city: string | null;
  customerTimeZone: string | null;
  /** Open slots in the window (before the answer's limit). */
  total: number;
  slots: AnswerSlot[];
  owners: OwnerStanding[];
  engineers: OwnerStanding[];
  /** User names of everyone named in slots and standings, by id. */
  people: Record<string, string>;
  problems: string[];
}

export interface AnswerReport {
  answered: string[];
  failed: Array<{ id: string; message: string }>;
}

/** At most this many skipped records are named in an answer (`asl calendar slots` lists all). */
const ANSWER_PROBLEMS = 50;

function cappedProblems(problems: readonly string[]): string[] {
  if (problems.length <= ANSWER_PROBLEMS) return [...problems];
  return [...problems.slice(0, ANSWER_PROBLEMS), `... and ${problems.length - ANSWER_PROBLEMS} more: run \`asl calendar slots\` to list them all`];
}

/** The answer for one request from a search (pure: the records to insert and the fallbacks). */
export function answerFromSearch(
  request: { id: string; leadId: string | null; bookedBy: string; customerTimeZone: string | null; city: string | null },
  search: OrgSlotSearch,
  people: Record<string, string>,
  namespace: string,
  now: Date
): DemoRequestAnswer {
  const listed: Slot[] = search.slots.slice(0, ANSWER_SLOTS);
  const slots = listed.map((slot) => ({
    rank: slot.rank,
    key: slot.key,
    ownerId: slot.ownerId,
    aeId: slot.aeId,
    engineerId: slot.engineerId,
    start: slot.start,
    end: slot.end,
    tier: slot.tier,
    city: slot.city,
    record: demoSlotRecord(slot, { demoTypeId: search.demoType.id ?? '', leadId: request.leadId, bookedBy: request.bookedBy, city: slot.city }, namespace),
    next: nextBestSlot(slot, listed)?.key ?? null
  }));
  const { id, key, durationMinutes, needsAE, needsEngineer, fieldMeeting } = search.demoType;
  return {
    version: ANSWER_VERSION,
    requestId: request.id,
    answeredAt: now.toISOString(),
    seed: search.seed,
    period: search.period,
    demoType: { id, key, durationMinutes, needsAE, needsEngineer, fieldMeeting },
    city: request.city,
    customerTimeZone: request.customerTimeZone,
    total: search.total,
    slots,
    owners: search.owners,
    engineers: search.engineers,
    people,
    problems: cappedProblems(search.problems)
  };
}

async function userNames(client: OrgClient, ids: readonly string[]): Promise<Record<string, string>> {
  if (ids.length === 0) return {};
  const rows = await queryAll(client, soql`SELECT Id, Name FROM User WHERE Id IN ${[...new Set(ids)]}`);
  return Object.fromEntries(rows.map((r) => [String(r.Id), String(r.Name ?? r.Id)]));
}

async function demoTypeKeys(client: OrgClient, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const names = orgNames(client);
  const rows = await queryAll(client, soql`SELECT Id, ${names.n('Key__c')} FROM ${names.n('Demo_Type__c')} WHERE Id IN ${[...new Set(ids)]}`);
  return new Map(rows.map(names.strip).map((r) => [String(r.Id), String(r.Key__c ?? '')]));
}

function problemOf(error: unknown): string | null {
  if (error instanceof CalendarSetupError || error instanceof InputError) return error.message;
  return null;
}

async function answerOne(client: OrgClient, row: RequestRow, typeKey: string | undefined, now: Date): Promise<DemoRequestAnswer> {
  if (!row.Demo_Type__c || !typeKey) throw new CalendarSetupError('Demo_Request__c.Demo_Type__c', row.Demo_Type__c ? `demo type ${row.Demo_Type__c} has no Key__c` : 'empty', 'choose an active demo type');
  const days = row.Days__c ?? DEFAULT_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > 62) throw new CalendarSetupError('Demo_Request__c.Days__c', `got ${days}`, 'give a whole number of days from 1 to 62');
  const seed = row.Seed__c || row.Id;
  const city = row.City__c?.trim() || null;
  const customerTimeZone = row.Customer_Time_Zone__c?.trim() || null;
  const search = await searchSlots(client, { demoTypeKey: typeKey, days, city, customerTimeZone, seed, now, limit: null });
  const named = [...search.slots.slice(0, ANSWER_SLOTS).flatMap((s) => [s.aeId, s.engineerId]), ...search.owners.map((o) => o.userId), ...search.engineers.map((e) => e.userId)];
  const people = await userNames(client, named.filter((x): x is string => x !== null));
  return answerFromSearch({ id: row.Id, leadId: row.Lead__c ?? null, bookedBy: row.CreatedById, customerTimeZone, city }, search, people, client.config.namespace, now);
}

/**
 * Answers the requests waiting (Status__c Requested), oldest first, or only `ids` among them.
 * A request the calendar cannot serve (unknown type, bad zone, field meeting without a city)
 * is marked Failed with the reason; an unexpected error is thrown for the caller to log.
 */
export async function answerRequests(client: OrgClient, options: { now: Date; ids?: readonly string[] }): Promise<AnswerReport> {
  const names = orgNames(client);
  const fields = names.list(['Demo_Type__c', 'Lead__c', 'Days__c', 'City__c', 'Customer_Time_Zone__c', 'Seed__c']);
  const filter = options.ids ? soql` AND Id IN ${[...options.ids]}` : '';
  const rows = (
    await queryAll(client, `${soql`SELECT Id, CreatedById, ${fields} FROM ${names.n('Demo_Request__c')} WHERE ${names.n('Status__c')} = 'Requested'`}${filter} ORDER BY CreatedDate LIMIT ${REQUEST_BATCH}`)
  ).map((r) => requestRowSchema.parse(names.strip(r)));
  if (rows.length === 0) return { answered: [], failed: [] };
  const keys = await demoTypeKeys(client, rows.map((r) => r.Demo_Type__c).filter((x): x is string => !!x));
  const updates: Record<string, unknown>[] = [];
  const report: AnswerReport = { answered: [], failed: [] };
  for (const row of rows) {
    try {
      const answer = await answerOne(client, row, row.Demo_Type__c ? keys.get(row.Demo_Type__c) : undefined, options.now);
      updates.push({ Id: row.Id, Status__c: 'Answered', Result__c: JSON.stringify(answer), Message__c: null, Seed__c: String(answer.seed).slice(0, 40), Answered_At__c: options.now.toISOString() });
      report.answered.push(row.Id);
    } catch (error) {
      const message = problemOf(error);
      if (message === null) throw error;
      updates.push({ Id: row.Id, Status__c: 'Failed', Result__c: null, Message__c: message.slice(0, 255), Answered_At__c: options.now.toISOString() });
      report.failed.push({ id: row.Id, message });
    }
  }
  const ops: WriteOp[] = [
    { kind: 'update', sobject: names.api('Demo_Request__c'), records: updates.map((u) => names.record(u)) },
    { kind: 'create', sobject: names.api('Engine_Signal__e'), records: rows.map((r) => names.record({ Kind__c: 'SLOTS', Record_Id__c: r.Id })) }
  ];
  const reports = await writeRecords(client, ops);
  const failed = reports.flatMap((r) => r.failed);
  if (failed.length > 0) throw new CalendarSetupError('Demo_Request__c', `answer not written: ${failed.map((f) => `${f.errorCode}: ${f.message}`).join('; ')}`, 'check the integration user\u2019s edit access to Demo_Request__c');
  return report;
}
