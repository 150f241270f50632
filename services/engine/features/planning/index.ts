import { selectFields } from '../../core/calendar';
import { dropRecommendation, fitData, fitLogistic, fitOpportunityRecordSchema, fitSurveyRecordSchema, winRateByBand, explainModel, type BandRate, type DropAdvice, type FitModel } from '../../core/fit';
import type { OrgClient } from '../../org/connection';
import { queryAll, type OrgRecord } from '../../org/reads';
import { fields, soql } from '../../org/soql';
import { orgNames } from '../../org/names';
import type { EngineFeature } from '../../service';
import { capacityPlanJob } from './job';

/**
 * Planning and fit analysis from the org's records: the measured stations for `asl plan
 * --org`, the "Capacity Plan" job the Planning console asks for, and win rate by fit band,
 * the logistic fit and drop advice for `asl fit analyze`.
 */
export function planningFeature(): EngineFeature {
  return { name: 'planning', jobs: (client) => ({ 'Capacity Plan': capacityPlanJob(client) }) };
}

export { readMeasured } from './measured';
export { capacityPlanJob, computeCapacityPlan, planInputFromScope, planScopeSchema, readPlanFacts, DEFAULT_INBOUND_HANDLE_MINUTES, type CapacityPlanResult, type PlanScope } from './job';
export { currentHeads, inboundArrivals, sdrHandlingMinutes } from './orgInputs';

async function read(client: OrgClient, query: string): Promise<OrgRecord[]> {
  const names = orgNames(client);
  return (await queryAll(client, query)).map(names.strip);
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
