import { z } from 'zod';
import { InputError } from '../calendar/orgRecord';
import { predictWin, type FitModel } from './analysis';

/**
 * Which open deals to drop. A deal is flagged when the fit model predicts a win chance below
 * the threshold. Dropping it frees the selling hours it would still take; those hours are
 * worth what an hour of selling earns on average elsewhere (`valuePerHour`: won revenue per
 * selling hour). Keeping it is worth its expected revenue, win chance x amount. The expected
 * value of dropping is therefore
 *
 *   hours remaining x value per hour  -  win chance x amount,
 *
 * and the recommendation is to drop when the deal is flagged and that value is positive.
 * `confident` says the whole interval of the win chance lies below the threshold, i.e. even
 * an optimistic reading of the data predicts a loss.
 */
export const dropEconomicsSchema = z.object({
  /** Revenue an AE hour earns on average on other deals (won revenue / selling hours). */
  valuePerHour: z.number().nonnegative(),
  /** Selling hours an open deal still needs when the deal gives none. */
  defaultHoursRemaining: z.number().nonnegative().default(6)
});
export type DropEconomics = z.input<typeof dropEconomicsSchema>;

export interface OpenDeal {
  opportunityId: string;
  score: number;
  amount: number | null;
  hoursRemaining?: number | null;
}

export interface DropAdvice {
  opportunityId: string;
  score: number;
  winChance: number;
  winChanceLow: number;
  winChanceHigh: number;
  flagged: boolean;
  confident: boolean;
  hoursSaved: number;
  valueOfTimeSaved: number;
  expectedRevenueLost: number;
  /** valueOfTimeSaved - expectedRevenueLost. */
  expectedValueOfDropping: number;
  recommendDrop: boolean;
  explanation: string;
}

const money = (x: number) => Math.round(x).toLocaleString('en-US');
const pct = (x: number) => `${Math.round(x * 100)}%`;

export function dropRecommendation(openDeals: readonly OpenDeal[], model: FitModel, threshold: number, economics: DropEconomics): DropAdvice[] {
  if (!(threshold > 0 && threshold < 1)) throw new InputError('threshold', threshold, 'a win probability between 0 and 1, e.g. 0.1');
  if (model.separated) throw new InputError('model', 'separated', 'a model fitted on data where scores do not split wins and losses perfectly: collect more surveys');
  const e = dropEconomicsSchema.parse(economics);
  return openDeals
    .map((deal, i): DropAdvice => {
      if (!(Number.isInteger(deal.score) && deal.score >= 1 && deal.score <= 10)) throw new InputError(`openDeals[${i}](${deal.opportunityId}).score`, deal.score, 'a whole score from 1 to 10');
      const w = predictWin(model, deal.score);
      const amount = deal.amount ?? 0;
      const hours = deal.hoursRemaining ?? e.defaultHoursRemaining;
      const valueOfTimeSaved = hours * e.valuePerHour;
      const expectedRevenueLost = w.p * amount;
      const ev = valueOfTimeSaved - expectedRevenueLost;
      const flagged = w.p < threshold;
      const confident = w.high < threshold;
      const recommendDrop = flagged && ev > 0;
      const why = `Fit ${deal.score}/10: deals like this win about ${pct(w.p)} of the time (${pct(w.low)}-${pct(w.high)}).`;
      const trade = `Dropping it frees about ${hours} selling hours worth ${money(valueOfTimeSaved)} elsewhere, against ${money(expectedRevenueLost)} of expected revenue (${pct(w.p)} of ${money(amount)}).`;
      const verdict = !flagged
        ? `Keep: the win chance is above the ${pct(threshold)} threshold.`
        : recommendDrop
          ? `Drop${confident ? '' : ' (the interval reaches the threshold: review first)'}: the time is worth more than the expected revenue.`
          : 'Keep despite the low fit: the deal is large enough that its expected revenue exceeds the value of the time.';
      return {
        opportunityId: deal.opportunityId,
        score: deal.score,
        winChance: w.p,
        winChanceLow: w.low,
        winChanceHigh: w.high,
        flagged,
        confident,
        hoursSaved: hours,
        valueOfTimeSaved,
        expectedRevenueLost,
        expectedValueOfDropping: ev,
        recommendDrop,
        explanation: `${why} ${trade} ${verdict}`
      };
    })
    .sort((x, y) => y.expectedValueOfDropping - x.expectedValueOfDropping);
}
