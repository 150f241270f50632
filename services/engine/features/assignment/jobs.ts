import { dueForReentry, type Bin, type NurtureAsset } from '../../core/movement';
import { planRebalance, type OpenAsset } from '../../core/assignment';
import { soql } from '../../org/soql';
import type { OrgClient } from '../../org/connection';
import { writeRecords } from '../../org/writes';
import { floorFrom, floorQueries, policyFields, visitOf, type AssignRunOptions, type AssignRunResult } from './assignRun';
import { orgNames } from '../../org/names';
import { queryMany } from './orgReads';
import { moveCustomers, processDispositions } from './movementRun';

/**
 * The assignment feature's jobs beyond the real-time path: the re-entry of Check Back
 * Quarterly leads, the rebalancing of open leads, and the catch-up sweep. Each returns the
 * records it touched for the run log.
 */
export type AssignAt = (station: string, extra?: Partial<AssignRunOptions>) => Promise<AssignRunResult>;
/**
 * Runs work that reads assets' places and writes new ones so that no other such work overlaps
 * it (the engine's movement lane). Alone (the CLI), the work simply runs.
 */
export type Moving = <T>(work: () => Promise<T>) => Promise<T>;
const alone: Moving = (work) => work();

const CHECK_BACK: Bin = 'Nurture - Check Back Quarterly';
const DAY = 86_400_000;

/** Check Back Quarterly leads whose re-entry time has passed go back to the entry station. */
export async function reentry(
  client: OrgClient,
  options: { now: Date; station: string; unassignedOwnerId: string; assignAt: AssignAt; moving?: Moving }
): Promise<{ touched: number; summary: string }> {
  const moved = await (options.moving ?? alone)(() => reenterDue(client, options));
  if (moved.due === 0) return { touched: 0, summary: 'no Check Back Quarterly lead is due' };
  const assigned = await options.assignAt(options.station);
  return {
    touched: moved.written + assigned.rows.length,
    summary: `${moved.due} lead(s) re-entered ${options.station}; ${assigned.rows.length} assigned, ${assigned.waiting.length} waiting${moved.failed ? `; ${moved.failed} failed` : ''}`
  };
}

/** The due Check Back Quarterly leads, read and put back at the station in one piece of movement work. */
async function reenterDue(client: OrgClient, options: { now: Date; station: string; unassignedOwnerId: string }): Promise<{ due: number; written: number; failed: number }> {
  const names = orgNames(client);
  const { n, list } = names;
  const oldest = new Date(options.now.getTime() - 90 * DAY);
  const [stationRows = [], leads = []] = await queryMany(client, [
    floorQueries(names).stations,
    soql`SELECT Id, OwnerId, ${list(['Bin__c', 'Bin_Entered_At__c', 'Next_Action_At__c'])} FROM Lead WHERE IsConverted = false AND ${n('Bin__c')} = ${CHECK_BACK} AND (${n('Next_Action_At__c')} <= ${options.now} OR (${n('Next_Action_At__c')} = null AND ${n('Bin_Entered_At__c')} <= ${oldest})) LIMIT 2000`
  ]);
  const floor = floorFrom(stationRows, []);
  const stationId = floor.stationIdByKey.get(options.station);
  if (!stationId) throw new Error(`Re-entry: no Station__c with Key__c ${options.station}; set the job's Scope__c {"station": "<key>"}`);
  const nurture: NurtureAsset[] = leads.map((lead) => ({
    id: String(lead.Id),
    type: 'Lead',
    bin: (lead.Bin__c as Bin | null) ?? null,
    binEnteredAt: (lead.Bin_Entered_At__c as string | null) ?? null,
    nextActionAt: (lead.Next_Action_At__c as string | null) ?? null,
    ownerId: (lead.OwnerId as string | null) ?? null
  }));
  const due = dueForReentry(nurture, options.now, { Lead: options.station });
  if (due.length === 0) return { due: 0, written: 0, failed: 0 };
  // Re-entering leads wait for a fresh draw at the station, owned by the integration user.
  const [report] = await writeRecords(client, [
    {
      kind: 'update',
      sobject: 'Lead',
      records: due.map((entry) => names.record({ Id: entry.assetId, Bin__c: entry.to.bin, Station__c: stationId, OwnerId: options.unassignedOwnerId, Next_Action_At__c: null }))
    }
  ]);
  return { due: due.length, written: report?.succeeded.length ?? 0, failed: report?.failed.length ?? 0 };
}

/** Open leads of reps who left, are inactive or on leave, or are over their WIP cap, redrawn. */
export async function rebalance(client: OrgClient, options: { now: Date; station: string; unassignedOwnerId: string; assignAt: AssignAt }): Promise<{ touched: number; summary: string; partial: boolean }> {
  const names = orgNames(client);
  const { n, list } = names;
  const base = floorQueries(names);
  const fieldsWanted = [...new Set([...policyFields(), 'OwnerId'])];
  const [stationRows = [], repRows = [], open = []] = await queryMany(client, [
    base.stations,
    base.reps,
    soql`SELECT ${list(fieldsWanted)} FROM Lead WHERE IsConverted = false AND ${n('Station__r.Key__c')} = ${options.station} AND OwnerId != ${options.unassignedOwnerId}`
  ]);
  const floor = floorFrom(stationRows, repRows);
  const station = floor.stations.find((candidate) => candidate.key === options.station);
  if (!station) throw new Error(`Rebalance: no Station__c with Key__c ${options.station}; set the job's Scope__c {"stations": ["<key>"]}`);
  const openAssets: OpenAsset[] = open.map((lead) => ({
    id: String(lead.Id),
    ownerId: String(lead.OwnerId),
    enteredAt: String(lead.Station_Entered_At__c ?? lead.CreatedDate)
  }));
  const plan = planRebalance(station, floor.reps, openAssets, options.now);
  if (plan.release.length === 0) return { touched: 0, summary: `${options.station}: nothing to rebalance`, partial: false };
  const byId = new Map(open.map((lead) => [String(lead.Id), lead] as const));
  const result = await options.assignAt(options.station, {
    rebalance: plan.release.map((entry) => ({ record: byId.get(entry.assetId) ?? { Id: entry.assetId }, visit: `${visitOf(byId.get(entry.assetId) ?? {})}-rb-${entry.fromRepId}`.slice(0, 40) }))
  });
  const waiting = result.waiting.length;
  return {
    touched: result.rows.length + result.repaired,
    summary: `${options.station}: ${plan.release.length} lead(s) released (${[...new Set(plan.release.map((r) => r.reason))].join(', ')}); ${result.rows.length} redrawn${waiting ? `, ${waiting} kept by their owner until a rep can take them` : ''}`,
    partial: waiting > 0 || result.failed.length > 0
  };
}

/** Anything the real-time path missed: unprocessed dispositions, customer accounts, then waiting leads. */
export async function catchUpSweep(
  client: OrgClient,
  options: { now: Date; stations: readonly string[]; unassignedOwnerId: string; assignAt: AssignAt; moving?: Moving }
): Promise<{ touched: number; summary: string; partial: boolean }> {
  const moving = options.moving ?? alone;
  let moved = 0;
  let failed = 0;
  // Dispositions in pages of 1,000 until none is left unprocessed (or one page changes nothing).
  for (let page = 0; page < 100; page += 1) {
    // A page at a time: live moves wait for one page, not for the whole backlog.
    const result = await moving(() => processDispositions(client, { now: options.now, unassignedOwnerId: options.unassignedOwnerId }));
    moved += result.processed;
    failed += result.failed.length;
    if (result.processed < 1000 || result.failed.length > 0) break;
  }
  // Accounts that became customers while nobody was listening.
  let customers = 0;
  for (let page = 0; page < 100; page += 1) {
    const result = await moving(() => moveCustomers(client));
    customers += result.moved.length - result.failed.length;
    failed += result.failed.length;
    if (result.moved.length < 2000 || result.failed.length > 0) break;
  }
  let assigned = 0;
  let waiting = 0;
  for (const station of options.stations) {
    let result = await options.assignAt(station);
    // A backlog beyond one query page (an import, a long outage): the rest in one Bulk API 2.0 run.
    if (result.backlog) {
      assigned += result.rows.length + result.repaired;
      failed += result.failed.length;
      result = await options.assignAt(station, { bulk: true });
    }
    assigned += result.rows.length + result.repaired;
    waiting += result.waiting.length;
    failed += result.failed.length;
  }
  return {
    touched: moved + customers + assigned,
    summary: `${moved} disposition(s) processed, ${customers} customer account(s) moved to Avoid - Current Client, ${assigned} lead(s) assigned, ${waiting} waiting${failed ? `, ${failed} write(s) failed` : ''}`,
    partial: failed > 0
  };
}
