import { z } from 'zod';
import { InputError, orgBoolean, orgNumber, orgRecordSchema, orgText, parseRecord } from '../calendar/orgRecord';
import type { FitObservation } from './analysis';
import type { OpenDeal } from './drop';

/**
 * The org records the fit analysis reads, by unprefixed API name. The score of a deal is its
 * latest Fit_Survey__c (by Surveyed_At__c) or, without a survey, Opportunity.Fit_Score__c.
 */
export const fitSurveyRecordSchema = orgRecordSchema('Fit_Survey__c', {
  Opportunity__c: z.string().min(1),
  Score__c: orgNumber,
  Surveyed_At__c: orgText
});

export const fitOpportunityRecordSchema = orgRecordSchema('Opportunity', {
  Id: z.string().min(1),
  IsClosed: orgBoolean,
  IsWon: orgBoolean,
  Amount: orgNumber,
  Fit_Score__c: orgNumber
});

function latestScores(surveys: readonly unknown[]): Map<string, number> {
  const latest = new Map<string, { at: string; score: number }>();
  for (const raw of surveys) {
    const s = parseRecord(fitSurveyRecordSchema, raw);
    // An unscored survey (saved before scoring) says nothing yet.
    if (s.Score__c === null) continue;
    const at = s.Surveyed_At__c ?? '';
    const seen = latest.get(s.Opportunity__c);
    if (!seen || at > seen.at) latest.set(s.Opportunity__c, { at, score: s.Score__c });
  }
  return new Map([...latest].map(([id, v]) => [id, v.score]));
}

export interface FitData {
  closed: FitObservation[];
  open: OpenDeal[];
  /** Opportunities without any score. */
  unscored: number;
}

/** Closed deals (for the analysis) and open deals (for the recommendation), with their scores. */
export function fitData(opportunities: readonly unknown[], surveys: readonly unknown[]): FitData {
  const scores = latestScores(surveys);
  const out: FitData = { closed: [], open: [], unscored: 0 };
  for (const raw of opportunities) {
    const o = parseRecord(fitOpportunityRecordSchema, raw);
    const score = scores.get(o.Id) ?? o.Fit_Score__c;
    if (score === null) {
      out.unscored += 1;
      continue;
    }
    if (!(Number.isInteger(score) && score >= 1 && score <= 10)) throw new InputError(`Opportunity(${o.Id}).Fit_Score__c`, score, 'a whole score from 1 to 10');
    if (o.IsClosed) out.closed.push({ opportunityId: o.Id, score, won: o.IsWon });
    else out.open.push({ opportunityId: o.Id, score, amount: o.Amount });
  }
  return out;
}
