import { measuredStages, type Measured } from '../../core/planning';
import type { OrgClient } from '../../org/connection';
import { queryAll, type OrgRecord } from '../../org/reads';
import { dateOnly, soql } from '../../org/soql';
import { orgNames } from '../../org/names';

/** The plan's four stations measured from the org's records of the last `measureDays` (docs/planning.md). */
const DAY = 86_400_000;

async function read(client: OrgClient, query: string): Promise<OrgRecord[]> {
  const names = orgNames(client);
  return (await queryAll(client, query)).map(names.strip);
}

export async function readMeasured(client: OrgClient, now: Date, measureDays: number): Promise<Measured & { window: { start: string; end: string } }> {
  const names = orgNames(client);
  const start = new Date(now.getTime() - measureDays * DAY);
  const [leads, dispositions, opportunities] = await Promise.all([
    read(client, soql`SELECT Id, CreatedDate FROM Lead WHERE CreatedDate >= ${start} AND CreatedDate < ${now}`),
    read(client, soql`SELECT ${names.list(['Lead__c', 'Outcome__c'])}, CreatedDate FROM ${names.n('Disposition__c')} WHERE ${names.n('Lead__c')} != null AND CreatedDate >= ${start}`),
    read(client, soql`SELECT IsWon, Amount, CreatedDate, CloseDate FROM Opportunity WHERE IsClosed = true AND CloseDate >= ${dateOnly(start)} AND CloseDate <= ${dateOnly(now)}`)
  ]);
  return { ...measuredStages({ leads, dispositions, opportunities } as never), window: { start: start.toISOString(), end: now.toISOString() } };
}

