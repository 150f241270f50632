import { z } from 'zod';
import type { QueueInputRaw, QueueRules } from '../../core/queue';
import type { OrgClient } from '../../org/connection';
import { queryAll, type OrgRecord } from '../../org/reads';
import { orgNames, type OrgNames } from '../../org/names';
import { soql } from '../../org/soql';

/**
 * What the queue reads from the org for a full ranking, in unprefixed names: the SDR station,
 * its reps' capacity, the open leads and accounts it may call, open high-priority cases,
 * booked demos, the disposition history (odds and meeting events), the station rules (to
 * know which outcomes the movement feature already moves) and the Open queue entries the
 * engine wrote before (to withdraw those no longer planned).
 */
export class QueueSetupError extends Error {
  constructor(
    readonly field: string,
    readonly value: string,
    readonly fix: string
  ) {
    super(`${field}: ${value}. ${fix}`);
    this.name = 'QueueSetupError';
  }
}

export const LEAD_FIELDS = [
  'Id',
  'OwnerId',
  'CreatedDate',
  'LeadSource',
  'Inbound__c',
  'Time_Zone__c',
  'Segment__c',
  'Bin__c',
  'Station__c',
  'Attempt_Count__c',
  'Last_Attempt_At__c',
  'Next_Action_At__c',
  'Booked_By__c',
  'DoNotCall',
  'IsConverted'
] as const;
const ACCOUNT_FIELDS = ['Id', 'OwnerId', 'Time_Zone__c', 'Segment__c', 'Bin__c', 'Station__c', 'Bin_Entered_At__c', 'Has_Overdue_Invoice__c'];
const REP_FIELDS = [
  'User__c',
  'Station_Keys__c',
  'Time_Zone__c',
  'Shift_Start_Hour__c',
  'Shift_End_Hour__c',
  'Working_Days__c',
  'Leave_Start__c',
  'Leave_End__c',
  'Hourly_Cap_Override__c',
  'Active__c'
];
const HISTORY_FIELDS = ['Id', 'Lead__c', 'Account__c', 'Rep__c', 'Purpose__c', 'Outcome__c', 'Attempt_Number__c', 'Next_Action_At__c', 'Duration_Seconds__c', 'CreatedDate'];

const stationRow = z.object({ Id: z.string(), Handling_Minutes__c: z.number().positive(), Hourly_Cap_Override__c: z.number().nullish() });
const entryRow = z.object({ Id: z.string(), Entry_Key__c: z.string(), SDR__c: z.string().nullish() });

export interface OpenEntry {
  id: string;
  entryKey: string;
  sdrId: string | null;
}

export interface QueueFloor {
  input: QueueInputRaw;
  stationId: string;
  /** Outcomes with a Station_Rule__c at the SDR station: the movement feature moves those assets. */
  ruledOutcomes: Set<string>;
  openEntries: OpenEntry[];
}

export interface FloorReadOptions {
  stationKey: string;
  rules: QueueRules;
  now: Date;
  historyDays: number;
}

async function read(client: OrgClient, names: OrgNames, query: string): Promise<OrgRecord[]> {
  return (await queryAll(client, query)).map((record) => names.strip(record));
}

export async function readStation(client: OrgClient, stationKey: string): Promise<z.infer<typeof stationRow>> {
  const names = orgNames(client);
  const { n, list } = names;
  const rows = await read(client, names, soql`SELECT Id, ${list(['Handling_Minutes__c', 'Hourly_Cap_Override__c'])} FROM ${n('Station__c')} WHERE ${n('Key__c')} = ${stationKey}`);
  const parsed = stationRow.safeParse(rows[0]);
  if (!parsed.success) {
    throw new QueueSetupError('Station__c.Key__c', `no station ${stationKey} with Handling_Minutes__c`, 'deploy the default line (config/default-line.json) or set the queue feature option stationKey');
  }
  return parsed.data;
}

/** The SDR station's active reps; a rep is on the station when its Station_Keys__c lists the key. */
export async function readReps(client: OrgClient, stationKey: string): Promise<OrgRecord[]> {
  const names = orgNames(client);
  const rows = await read(client, names, soql`SELECT ${names.list(REP_FIELDS)} FROM ${names.n('Rep_Capacity__c')} WHERE ${names.n('Active__c')} = true`);
  return rows
    .filter((row) => String(row.Station_Keys__c ?? '').split(';').map((key) => key.trim()).includes(stationKey))
    .map(({ Station_Keys__c: _keys, ...rest }) => rest);
}

export async function readLeads(client: OrgClient, stationId: string, rules: QueueRules, ids?: readonly string[]): Promise<OrgRecord[]> {
  const names = orgNames(client);
  const { n, list } = names;
  const bins = [...rules.activeBins, rules.nurtureBin];
  const base = soql`SELECT ${list(LEAD_FIELDS)} FROM Lead WHERE IsConverted = false AND ${n('Bin__c')} IN ${bins} AND (${n('Station__c')} = ${stationId} OR ${n('Station__c')} = null)`;
  if (!ids) return read(client, names, base);
  const rows: OrgRecord[] = [];
  for (let from = 0; from < ids.length; from += LEAD_IDS_PER_QUERY) {
    rows.push(...(await read(client, names, `${base}${soql` AND Id IN ${ids.slice(from, from + LEAD_IDS_PER_QUERY)}`}`)));
  }
  return rows;
}

/**
 * A query travels in the URL of a GET, and Salesforce caps URI plus headers at 16,384 bytes
 * (Salesforce Help 000386264, "Maximum number of rows returned by SOQL queries over the REST
 * API": 414 URI Too Long beyond it); 200 quoted, URL-encoded 18-character ids take about
 * 6,000 bytes, leaving room for the select list, the filters and the headers.
 */
const LEAD_IDS_PER_QUERY = 200;

export async function readFloor(client: OrgClient, options: FloorReadOptions): Promise<QueueFloor> {
  const names = orgNames(client);
  const { n, list } = names;
  const station = await readStation(client, options.stationKey);
  const bins = [...options.rules.activeBins, options.rules.nurtureBin];
  const since = new Date(options.now.getTime() - options.historyDays * 86_400_000);
  const [reps, leads, accounts, cases, demoSlots, history, ruleRows, entryRows] = await Promise.all([
    readReps(client, options.stationKey),
    readLeads(client, station.Id, options.rules),
    read(client, names, soql`SELECT ${list(ACCOUNT_FIELDS)} FROM Account WHERE ${n('Bin__c')} IN ${bins} AND ${n('Station__c')} = ${station.Id}`),
    read(client, names, soql`SELECT Id, AccountId, Priority, IsClosed FROM Case WHERE IsClosed = false AND Priority IN ${options.rules.highPriorityCaseValues}`),
    read(client, names, soql`SELECT Id, ${list(['Lead__c', 'Booked_By__c', 'Start__c', 'Status__c'])} FROM ${n('Demo_Slot__c')} WHERE ${n('Status__c')} = 'Booked' AND ${n('Start__c')} > ${options.now}`),
    read(client, names, soql`SELECT ${list(HISTORY_FIELDS)} FROM ${n('Disposition__c')} WHERE CreatedDate >= ${since}`),
    read(client, names, soql`SELECT ${list(['Outcome__c'])} FROM ${n('Station_Rule__c')} WHERE ${n('Station__c')} = ${station.Id}`),
    read(client, names, soql`SELECT Id, ${list(['Entry_Key__c', 'SDR__c'])} FROM ${n('Queue_Entry__c')} WHERE ${n('Status__c')} = 'Open'`)
  ]);
  return {
    input: {
      station: { Id: station.Id, Handling_Minutes__c: station.Handling_Minutes__c, Hourly_Cap_Override__c: station.Hourly_Cap_Override__c ?? null },
      reps: reps as QueueInputRaw['reps'],
      leads: leads as QueueInputRaw['leads'],
      accounts: accounts as NonNullable<QueueInputRaw['accounts']>,
      cases: cases as NonNullable<QueueInputRaw['cases']>,
      demoSlots: demoSlots as NonNullable<QueueInputRaw['demoSlots']>,
      // Dispositions without a known outcome or purpose value cannot inform the odds.
      history: history.filter((row) => typeof row.Outcome__c === 'string') as NonNullable<QueueInputRaw['history']>
    },
    stationId: station.Id,
    ruledOutcomes: new Set(ruleRows.map((row) => String(row.Outcome__c))),
    openEntries: entryRows.flatMap((row) => {
      const parsed = entryRow.safeParse(row);
      return parsed.success ? [{ id: parsed.data.Id, entryKey: parsed.data.Entry_Key__c, sdrId: parsed.data.SDR__c ?? null }] : [];
    })
  };
}
