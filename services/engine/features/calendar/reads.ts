import {
  demoSlotRecordSchema,
  demoTypeFromRecord,
  demoTypeRecordSchema,
  entriesFromRecords,
  eventRecordSchema,
  findSlots,
  isValidTimeZone,
  peopleFromRecords,
  repCapacityRecordSchema,
  selectFields,
  stationRoleRecordSchema,
  stationRoles,
  type DemoType,
  type InputError,
  type SlotSearch
} from '../../core/calendar';
import type { OrgClient } from '../../org/connection';
import { queryAll } from '../../org/reads';
import { fields, soql } from '../../org/soql';
import { orgNames } from '../../org/names';

/**
 * What the calendar reads from the org for one search: the demo type, the people (capacity
 * rows whose stations have the Account Executive or Sales Engineer role), every Event and
 * Demo_Slot__c from the start of the target period to the end of the search window.
 */
export class CalendarSetupError extends Error {
  constructor(
    readonly field: string,
    readonly value: string,
    readonly fix: string
  ) {
    super(`${field}: ${value}. ${fix}`);
    this.name = 'CalendarSetupError';
  }
}

export interface SearchOptions {
  demoTypeKey: string;
  days: number;
  gridMinutes?: number;
  city?: string | null;
  limit?: number | null;
  seed: string | number;
  now: Date;
  /** The customer's IANA zone: slots then also fall inside the customer's working day. */
  customerTimeZone?: string | null;
}

/** The customer's working day when only their zone is known (Demo_Request__c.Customer_Time_Zone__c). */
export const CUSTOMER_DAY = { startHour: 9, endHour: 17, workingDays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] as const };

/**
 * Events of demos that were cancelled: the engine renames their Subject with this prefix when
 * a Demo_Slot__c is cancelled, and the calendar no longer counts them as busy time.
 */
export const CANCELLED_EVENT_PREFIX = 'Cancelled: ';

export interface OrgSlotSearch extends SlotSearch {
  demoType: DemoType;
  /** Records the calendar could not use, named (field, value, fix): fix them in the org. */
  problems: string[];
}

const DAY_MS = 86_400_000;

function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

export async function readDemoType(client: OrgClient, key: string): Promise<DemoType> {
  const names = orgNames(client);
  const select = fields(selectFields(demoTypeRecordSchema, client.config.namespace));
  const rows = await queryAll(client, soql`SELECT ${select} FROM ${names.n('Demo_Type__c')} WHERE ${names.n('Key__c')} = ${key} LIMIT 1`);
  const row = rows[0];
  if (!row) {
    const known = await queryAll(client, soql`SELECT ${names.n('Key__c')} FROM ${names.n('Demo_Type__c')} WHERE ${names.n('Active__c')} = true ORDER BY ${names.n('Key__c')} LIMIT 50`);
    const keys = known.map((r) => String(names.strip(r).Key__c)).join(', ');
    throw new CalendarSetupError('--type', `no Demo_Type__c with Key__c "${key}"`, keys ? `use one of: ${keys}` : 'create a Demo_Type__c record (Key__c, Duration_Minutes__c, Needs_AE__c / Needs_Engineer__c) first');
  }
  const type = demoTypeFromRecord(names.strip(row));
  if (!type.active) throw new CalendarSetupError('--type', `Demo_Type__c "${key}" is not active`, 'check Active__c on the demo type or pick another');
  return type;
}

export async function searchSlots(client: OrgClient, options: SearchOptions): Promise<OrgSlotSearch> {
  const names = orgNames(client);
  const ns = client.config.namespace;
  const zone = options.customerTimeZone?.trim() || null;
  if (zone && !isValidTimeZone(zone)) throw new CalendarSetupError('Customer_Time_Zone__c', `got "${zone}"`, 'give an IANA time zone such as America/Chicago, or leave it empty');
  const demoType = await readDemoType(client, options.demoTypeKey);
  const from = new Date(Math.min(monthStart(options.now).getTime(), options.now.getTime() - DAY_MS));
  const to = new Date(options.now.getTime() + (options.days + 1) * DAY_MS);
  const [stations, capacity, events, slots] = await Promise.all([
    queryAll(client, soql`SELECT ${fields(selectFields(stationRoleRecordSchema, ns))} FROM ${names.n('Station__c')}`),
    queryAll(client, soql`SELECT ${fields(selectFields(repCapacityRecordSchema, ns))} FROM ${names.n('Rep_Capacity__c')} WHERE ${names.n('Active__c')} = true`),
    queryAll(client, soql`SELECT ${fields([...selectFields(eventRecordSchema, ns), 'Subject'])} FROM Event WHERE EndDateTime >= ${from} AND StartDateTime < ${to}`),
    queryAll(
      client,
      soql`SELECT ${fields(selectFields(demoSlotRecordSchema, ns))} FROM ${names.n('Demo_Slot__c')} WHERE ${names.n('End__c')} >= ${from} AND ${names.n('Start__c')} < ${to}`
    )
  ]);
  const roles = stationRoles(stations.map(names.strip));
  const people = peopleFromRecords(capacity.map(names.strip), roles);
  const busyEvents = events.filter((e) => !String(e.Subject ?? '').startsWith(CANCELLED_EVENT_PREFIX));
  // All-day events block the owner's local day: the people's zones place them.
  const zones = new Map(people.values.map((p) => [p.userId, p.timeZone]));
  const entries = entriesFromRecords(busyEvents, slots.map(names.strip), (ownerId) => zones.get(ownerId));
  const result = findSlots(
    {
      demoType,
      days: options.days,
      gridMinutes: options.gridMinutes ?? 30,
      city: options.city ?? null,
      customerWindow: zone ? { timeZone: zone, ...CUSTOMER_DAY, workingDays: [...CUSTOMER_DAY.workingDays] } : null,
      seed: options.seed,
      limit: options.limit ?? null
    },
    people.values,
    entries.values,
    options.now
  );
  const problems = [...people.problems, ...entries.problems].map((p: InputError) => p.message);
  return { ...result, demoType, problems };
}
