import {
  demoSlotRecordSchema,
  demoTypeFromRecord,
  demoTypeRecordSchema,
  entriesFromRecords,
  eventRecordSchema,
  findSlots,
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
}

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
  const demoType = await readDemoType(client, options.demoTypeKey);
  const from = new Date(Math.min(monthStart(options.now).getTime(), options.now.getTime() - DAY_MS));
  const to = new Date(options.now.getTime() + (options.days + 1) * DAY_MS);
  const [stations, capacity, events, slots] = await Promise.all([
    queryAll(client, soql`SELECT ${fields(selectFields(stationRoleRecordSchema, ns))} FROM ${names.n('Station__c')}`),
    queryAll(client, soql`SELECT ${fields(selectFields(repCapacityRecordSchema, ns))} FROM ${names.n('Rep_Capacity__c')} WHERE ${names.n('Active__c')} = true`),
    queryAll(client, soql`SELECT ${fields(selectFields(eventRecordSchema, ns))} FROM Event WHERE EndDateTime >= ${from} AND StartDateTime < ${to}`),
    queryAll(
      client,
      soql`SELECT ${fields(selectFields(demoSlotRecordSchema, ns))} FROM ${names.n('Demo_Slot__c')} WHERE ${names.n('End__c')} >= ${from} AND ${names.n('Start__c')} < ${to}`
    )
  ]);
  const roles = stationRoles(stations.map(names.strip));
  const people = peopleFromRecords(capacity.map(names.strip), roles);
  const entries = entriesFromRecords(events, slots.map(names.strip));
  const result = findSlots(
    {
      demoType,
      days: options.days,
      gridMinutes: options.gridMinutes ?? 30,
      city: options.city ?? null,
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
