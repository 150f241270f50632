import { z } from 'zod';
import { HOLDING_STATUSES, resolveOverlap, type BookedSlot } from '../../core/calendar';
import type { OrgClient } from '../../org/connection';
import { orgNames } from '../../org/names';
import { queryAll, type OrgRecord } from '../../org/reads';
import { soql } from '../../org/soql';
import { writeRecords, type WriteOp } from '../../org/writes';
import { backOff, bookingsAround, eventsFor, eventSubject, isReleasedKey, releasedKey } from './book';
import { CANCELLED_EVENT_PREFIX } from './reads';

/**
 * What happens to a Demo_Slot__c after a person wrote it (the Demo Calendar console inserts
 * bookings through Lightning Data Service; an AE or coordinator sets Status__c):
 *
 * - confirmBookings: a booking another user inserted is checked for overlaps the unique key
 *   cannot see (another start, the same engineer) with core resolveOverlap (the earlier
 *   created booking stands); the loser is cancelled and its key released, and an
 *   Engine_Signal__e SLOT_CONFLICT tells the console. A booking that stands gets its Events in
 *   the AE's and engineer's calendars (once: an Event with the same Subject is not repeated).
 * - processReturns: a demo set to No Show or Cancelled sends its lead back to the SDR who booked
 *   it. The engine records a Disposition__c with that outcome at the lead's current station,
 *   and the movement rules do the rest (default line: DEMO:No Show, DEMO:Cancelled and
 *   COORDINATE:Cancelled go to SDR_CALL with Return To Booker). A cancelled demo also releases
 *   its key (the time can be booked again) and its Events are marked "Cancelled: " so the
 *   calendar no longer counts them as busy. Returned_At__c makes each demo handled once.
 */
const slotRowSchema = z.object({
  Id: z.string().min(15),
  CreatedById: z.string().nullish(),
  CreatedDate: z.string().nullish(),
  Slot_Key__c: z.string().nullish(),
  Demo_Type__c: z.string().nullish(),
  AE__c: z.string().nullish(),
  Engineer__c: z.string().nullish(),
  Start__c: z.string().nullish(),
  End__c: z.string().nullish(),
  Status__c: z.string().nullish(),
  Lead__c: z.string().nullish()
});
type SlotRow = z.infer<typeof slotRowSchema>;

const SLOT_FIELDS = ['Slot_Key__c', 'Demo_Type__c', 'AE__c', 'Engineer__c', 'Start__c', 'End__c', 'Status__c', 'Lead__c'];
const RETURN_STATUSES = ['No Show', 'Cancelled'] as const;
const BATCH = 200;

export interface ConfirmReport {
  confirmed: string[];
  /** Bookings cancelled because an earlier booking overlaps them. */
  conflicts: Array<{ id: string; key: string; conflictWith: string | null }>;
  eventsCreated: number;
  problems: string[];
}

export interface ReturnReport {
  returned: Array<{ id: string; leadId: string; outcome: string; dispositionId: string | null }>;
  released: string[];
  eventsCancelled: number;
  problems: string[];
}

async function readSlots(client: OrgClient, where: string): Promise<SlotRow[]> {
  const names = orgNames(client);
  const rows = await queryAll(client, `${soql`SELECT Id, CreatedById, CreatedDate, ${names.list(SLOT_FIELDS)} FROM ${names.n('Demo_Slot__c')} WHERE `}${where} ORDER BY CreatedDate, Id LIMIT ${BATCH}`);
  return rows.map((r) => slotRowSchema.parse(names.strip(r)));
}

async function typeKeys(client: OrgClient, rows: readonly SlotRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.map((r) => r.Demo_Type__c).filter((x): x is string => !!x))];
  if (ids.length === 0) return new Map();
  const names = orgNames(client);
  const types = await queryAll(client, soql`SELECT Id, ${names.n('Key__c')} FROM ${names.n('Demo_Type__c')} WHERE Id IN ${ids}`);
  return new Map(types.map(names.strip).map((t) => [String(t.Id), String(t.Key__c ?? '')]));
}

async function existingSubjects(client: OrgClient, subjects: readonly string[]): Promise<Set<string>> {
  if (subjects.length === 0) return new Set();
  const rows = await queryAll(client, soql`SELECT Subject FROM Event WHERE Subject IN ${[...new Set(subjects)]}`);
  return new Set(rows.map((r: OrgRecord) => String(r.Subject)));
}

function asBooked(row: SlotRow): BookedSlot {
  const ae = row.AE__c ?? null;
  const engineer = row.Engineer__c ?? null;
  return {
    key: row.Slot_Key__c ?? row.Id,
    ownerId: ae ?? engineer ?? '',
    aeId: ae,
    engineerId: engineer,
    startMs: Date.parse(row.Start__c ?? ''),
    endMs: Date.parse(row.End__c ?? ''),
    createdAt: Date.parse(row.CreatedDate ?? '')
  };
}

/**
 * Checks bookings written by people (not by the engine itself, whose bookSlot checks its own),
 * by id, or every upcoming one when no ids are given (the start-up sweep).
 */
export async function confirmBookings(client: OrgClient, options: { now: Date; ids?: readonly string[] }): Promise<ConfirmReport> {
  const names = orgNames(client);
  const holding = soql`${names.n('Status__c')} IN ${[...HOLDING_STATUSES]}`;
  const where = options.ids ? `${soql`Id IN ${[...options.ids]}`} AND ${holding}` : `${soql`${names.n('Start__c')} > ${options.now}`} AND ${holding}`;
  const rows = (await readSlots(client, where)).filter((r) => r.CreatedById !== client.userId && r.Slot_Key__c && !isReleasedKey(r.Slot_Key__c));
  const report: ConfirmReport = { confirmed: [], conflicts: [], eventsCreated: 0, problems: [] };
  if (rows.length === 0) return report;
  const keys = await typeKeys(client, rows);
  const subjects = rows.map((r) => eventSubject(keys.get(r.Demo_Type__c ?? '') ?? '', r.Slot_Key__c ?? ''));
  const existing = await existingSubjects(client, subjects);
  const events: Record<string, unknown>[] = [];
  const signals: Record<string, unknown>[] = [];
  for (const [i, row] of rows.entries()) {
    if (existing.has(subjects[i] ?? '')) continue;
    const mine = asBooked(row);
    if (!Number.isFinite(mine.startMs) || !Number.isFinite(mine.endMs)) {
      report.problems.push(`Demo_Slot__c(${row.Id}).Start__c/End__c: missing or unreadable; set both so the booking holds time`);
      continue;
    }
    const verdict = resolveOverlap(mine, await bookingsAround(client, mine));
    if (!verdict.keep) {
      await backOff(client, row.Id, mine.key, options.now);
      report.conflicts.push({ id: row.Id, key: mine.key, conflictWith: verdict.conflictWith?.key ?? null });
      signals.push({ Kind__c: 'SLOT_CONFLICT', Record_Id__c: row.Id, Payload__c: JSON.stringify({ key: mine.key, conflictWith: verdict.conflictWith?.key ?? null }) });
      continue;
    }
    const typeKey = keys.get(row.Demo_Type__c ?? '') ?? '';
    events.push(...eventsFor({ key: mine.key, aeId: mine.aeId, engineerId: mine.engineerId, start: new Date(mine.startMs).toISOString(), end: new Date(mine.endMs).toISOString() }, typeKey, row.Lead__c ?? null));
    report.confirmed.push(row.Id);
  }
  const ops: WriteOp[] = [
    { kind: 'create', sobject: 'Event', records: events },
    { kind: 'create', sobject: names.api('Engine_Signal__e'), records: signals.map((s) => names.record(s)) }
  ].filter((op): op is WriteOp => op.records.length > 0) as WriteOp[];
  if (ops.length === 0) return report;
  const [eventReport] = await writeRecords(client, ops);
  if (events.length > 0) {
    report.eventsCreated = eventReport?.succeeded.length ?? 0;
    for (const f of eventReport?.failed ?? []) report.problems.push(`Event ${f.key}: ${f.errorCode ?? 'error'} ${f.message ?? ''}; grant the integration user Edit Events`.trim());
  }
  return report;
}

/**
 * Sends the leads of No Show and Cancelled demos back (by id, or every one not yet handled),
 * releases cancelled keys and marks their Events cancelled. See the file comment.
 */
export async function processReturns(client: OrgClient, options: { now: Date; ids?: readonly string[] }): Promise<ReturnReport> {
  const names = orgNames(client);
  const base = soql`${names.n('Status__c')} IN ${[...RETURN_STATUSES]} AND ${names.n('Returned_At__c')} = null`;
  const rows = await readSlots(client, options.ids ? `${soql`Id IN ${[...options.ids]}`} AND ${base}` : base);
  const report: ReturnReport = { returned: [], released: [], eventsCancelled: 0, problems: [] };
  if (rows.length === 0) return report;
  const leadIds = [...new Set(rows.map((r) => r.Lead__c).filter((x): x is string => !!x))];
  const leads = leadIds.length ? await queryAll(client, soql`SELECT Id, ${names.n('Station__c')} FROM Lead WHERE Id IN ${leadIds}`) : [];
  const stationOf = new Map(leads.map(names.strip).map((l) => [String(l.Id), (l.Station__c as string | null) ?? null]));
  const keys = await typeKeys(client, rows);

  const dispositions: Array<{ row: SlotRow; record: Record<string, unknown> }> = [];
  const slotUpdates: Record<string, unknown>[] = [];
  const cancelledSubjects: string[] = [];
  for (const row of rows) {
    const key = row.Slot_Key__c ?? '';
    const update: Record<string, unknown> = { Id: row.Id, Returned_At__c: options.now.toISOString() };
    if (row.Status__c === 'Cancelled' && key && !isReleasedKey(key)) {
      update.Slot_Key__c = releasedKey(key, row.Id);
      cancelledSubjects.push(eventSubject(keys.get(row.Demo_Type__c ?? '') ?? '', key));
      report.released.push(row.Id);
    }
    slotUpdates.push(update);
    // A booking released by an overlap never happened: its lead stays where it is.
    if (!row.Lead__c || isReleasedKey(key)) continue;
    const station = stationOf.get(row.Lead__c) ?? null;
    if (!station) {
      report.problems.push(`Lead(${row.Lead__c}) of Demo_Slot__c(${row.Id}) has no Station__c: the movement rules cannot send it back; put it at its station and record the disposition by hand`);
      continue;
    }
    dispositions.push({
      row,
      record: names.record({ Lead__c: row.Lead__c, Asset_Id__c: row.Lead__c, Station__c: station, Rep__c: row.AE__c ?? row.Engineer__c ?? null, Outcome__c: row.Status__c })
    });
  }
  // The disposition goes first, and a demo is marked handled only once its disposition is
  // saved: a failure leaves it for the next event or sweep. A crash between the two records
  // the disposition again; the movement then finds the lead moved on and moves nothing.
  const failedRows = new Set<string>();
  if (dispositions.length > 0) {
    const [created] = await writeRecords(client, [{ kind: 'create', sobject: names.api('Disposition__c'), records: dispositions.map((d) => d.record) }]);
    dispositions.forEach((d, i) => {
      const failure = created?.failed.find((f) => f.key === `#${i}`);
      if (failure) {
        failedRows.add(d.row.Id);
        report.problems.push(`Disposition__c for Demo_Slot__c(${d.row.Id}): ${failure.errorCode ?? 'error'} ${failure.message ?? ''}`.trim());
        return;
      }
      const saved = created?.succeeded.find((x) => x.key === `#${i}`);
      report.returned.push({ id: d.row.Id, leadId: d.row.Lead__c ?? '', outcome: String(d.row.Status__c), dispositionId: saved?.id ?? null });
    });
  }
  const events = cancelledSubjects.length ? await queryAll(client, soql`SELECT Id, Subject FROM Event WHERE Subject IN ${cancelledSubjects}`) : [];
  const ops: WriteOp[] = [
    { kind: 'update', sobject: names.api('Demo_Slot__c'), records: slotUpdates.filter((u) => !failedRows.has(String(u.Id))).map((u) => names.record(u)) },
    { kind: 'update', sobject: 'Event', records: events.map((e) => ({ Id: String(e.Id), Subject: `${CANCELLED_EVENT_PREFIX}${String(e.Subject)}`.slice(0, 255) })) },
    { kind: 'create', sobject: names.api('Engine_Signal__e'), records: rows.map((r) => names.record({ Kind__c: 'DEMO_UPDATED', Record_Id__c: r.Id })) }
  ];
  const reports = await writeRecords(client, ops.filter((op) => op.records.length > 0));
  report.eventsCancelled = reports.find((r) => r.sobject === 'Event')?.succeeded.length ?? 0;
  for (const r of reports) for (const f of r.failed) report.problems.push(`${r.sobject} ${f.key}: ${f.errorCode ?? 'error'} ${f.message ?? ''}`.trim());
  return report;
}
