import { selectFields } from '../../core/calendar';
import { dropRecommendation, fitData, fitLogistic, fitOpportunityRecordSchema, fitSurveyRecordSchema, winRateByBand, explainModel, type BandRate, type DropAdvice, type FitModel } from '../../core/fit';
import { measuredStages, type Measured } from '../../core/planning';
import type { OrgClient } from '../../org/connection';
import { queryAll, type OrgRecord } from '../../org/reads';
import { dateOnly, fields, soql } from '../../org/soql';
import { orgNames } from '../../org/names';

/**
 * Planning and fit analysis from the org's records: the measured stations for `asl plan
 * --org`, and win rate by fit band, the logistic fit and drop advice for `asl fit analyze`.
 */
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

export interface FitAnalysis {
  closed: number;
  open: number;
  unscored: number;
  bands: BandRate[];
  model: FitModel;
  explanation: string;
  threshold: number;
  advice: DropAdvice[];
}

export async function analyzeFit(client: OrgClient, options: { threshold: number; valuePerHour: number; hoursRemaining?: number }): Promise<FitAnalysis> {
  const ns = client.config.namespace;
  const names = orgNames(client);
  const [opportunities, surveys] = await Promise.all([
    read(client, soql`SELECT ${fields(selectFields(fitOpportunityRecordSchema, ns))} FROM Opportunity`),
    read(client, soql`SELECT ${fields(selectFields(fitSurveyRecordSchema, ns))} FROM ${names.n('Fit_Survey__c')}`)
  ]);
  const data = fitData(opportunities, surveys);
  const model = fitLogistic(data.closed);
  const advice = model.separated
    ? []
    : dropRecommendation(data.open, model, options.threshold, { valuePerHour: options.valuePerHour, ...(options.hoursRemaining !== undefined ? { defaultHoursRemaining: options.hoursRemaining } : {}) });
  return { closed: data.closed.length, open: data.open.length, unscored: data.unscored, bands: winRateByBand(data.closed), model, explanation: explainModel(model), threshold: options.threshold, advice };
}
