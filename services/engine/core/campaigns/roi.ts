import { InputError } from '../calendar/orgRecord';
import type { Rng } from '../random';
import { wilsonInterval } from '../stats';
import { binomial } from './aa';
import type { Rate } from './lists';

/**
 * ROI by lead source, from first touch to closed-won. The source is the lead's LeadSource
 * (first touch); a win is the won opportunity the lead was converted into
 * (Lead.ConvertedOpportunityId, see leadWins), so revenue is credited to the source that
 * brought the lead, and the days from first touch to the win are measured. Cost per source is an input (what was spent on the source in
 * the window). Per source: leads, meetings, wins and their rates per lead (Wilson 95 %),
 * revenue, cost, cost per lead and per win, and ROI = (revenue - cost) / cost with a
 * bootstrap 95 % interval over leads.
 *
 * The bootstrap resamples the source's leads with replacement; each lead contributes its won
 * amount or zero. That is the same as drawing the number of wins K ~ Binomial(n, wins/n) and
 * then K won amounts with replacement, which costs O(wins) per replicate instead of O(leads).
 * The interval reflects sampling noise in which leads happened to close; it assumes the
 * window's leads and wins belong together (choose a window at least one sales cycle long).
 */
export interface RoiInput {
  /** LeadSource of every lead that entered in the window. */
  leadSources: readonly (string | null)[];
  /** LeadSource of every lead that booked a meeting. */
  meetingSources: readonly (string | null)[];
  /** Won deals of the leads: first-touch source, amount, days from first touch to closed-won. */
  wins: readonly { source: string | null; amount: number | null; daysToWin?: number | null }[];
  /** Spend per source in the window. */
  costs: Readonly<Record<string, number>>;
}

export interface SourceRoi {
  source: string;
  leads: number;
  meetings: number;
  wins: number;
  meetingRate: Rate;
  winRate: Rate;
  revenue: number;
  cost: number | null;
  costPerLead: number | null;
  costPerWin: number | null;
  roi: number | null;
  roiLow: number | null;
  roiHigh: number | null;
  /** Median days from the lead's first touch to closed-won (null without wins). */
  medianDaysToWin: number | null;
  note: string | null;
}

export const UNKNOWN_SOURCE = '(no source)';

function rate(count: number, n: number): Rate {
  const ci = wilsonInterval(count, n);
  return { count, rate: n ? count / n : 0, low: ci.low, high: ci.high };
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

function bootstrapRevenue(leads: number, amounts: readonly number[], replicates: number, rng: Rng): number[] {
  const out: number[] = [];
  const p = amounts.length / leads;
  for (let b = 0; b < replicates; b += 1) {
    const k = binomial(leads, p, rng);
    let sum = 0;
    for (let i = 0; i < k; i += 1) sum += amounts[rng.int(0, amounts.length - 1)] as number;
    out.push(sum);
  }
  return out.sort((x, y) => x - y);
}

export function roiBySource(input: RoiInput, options: { rng: Rng; replicates?: number }): SourceRoi[] {
  const replicates = options.replicates ?? 2000;
  const key = (s: string | null) => (s && s.trim() !== '' ? s : UNKNOWN_SOURCE);
  for (const [source, cost] of Object.entries(input.costs)) {
    if (!(Number.isFinite(cost) && cost >= 0)) throw new InputError(`costs.${source}`, cost, 'a spend of zero or more');
  }
  const leads = new Map<string, number>();
  const meetings = new Map<string, number>();
  const amounts = new Map<string, number[]>();
  const daysToWin = new Map<string, number[]>();
  for (const s of input.leadSources) leads.set(key(s), (leads.get(key(s)) ?? 0) + 1);
  for (const s of input.meetingSources) meetings.set(key(s), (meetings.get(key(s)) ?? 0) + 1);
  for (const w of input.wins) {
    if (w.amount !== null && !(Number.isFinite(w.amount) && w.amount >= 0)) throw new InputError('wins.amount', w.amount, 'an Amount of zero or more');
    const list = amounts.get(key(w.source)) ?? [];
    list.push(w.amount ?? 0);
    amounts.set(key(w.source), list);
    if (typeof w.daysToWin === 'number' && Number.isFinite(w.daysToWin)) daysToWin.set(key(w.source), [...(daysToWin.get(key(w.source)) ?? []), w.daysToWin]);
  }
  const sources = [...new Set([...leads.keys(), ...amounts.keys(), ...Object.keys(input.costs)])].sort();
  return sources.map((source) => {
    const n = leads.get(source) ?? 0;
    const won = amounts.get(source) ?? [];
    const revenue = won.reduce((a, b) => a + b, 0);
    const cost = input.costs[source] ?? null;
    const notes: string[] = [];
    if (cost === null) notes.push('no cost given: ROI not computed');
    if (n === 0 && won.length > 0) notes.push('wins without leads in the window: widen the window or check LeadSource values');
    if ((meetings.get(source) ?? 0) > n) notes.push('more meetings than leads: meetings from leads that entered before the window');
    let roi: number | null = null;
    let roiLow: number | null = null;
    let roiHigh: number | null = null;
    if (cost !== null && cost > 0) {
      roi = (revenue - cost) / cost;
      if (n > 0 && won.length > 0) {
        const boot = bootstrapRevenue(n, won, replicates, options.rng);
        roiLow = (quantile(boot, 0.025) - cost) / cost;
        roiHigh = (quantile(boot, 0.975) - cost) / cost;
      } else if (n > 0) {
        // No wins: revenue is zero in every resample; the interval is the point.
        roiLow = roi;
        roiHigh = roi;
        notes.push('no wins yet: the interval cannot show the chance of future wins');
      }
    } else if (cost === 0) notes.push('zero cost: ROI undefined');
    return {
      source,
      leads: n,
      meetings: meetings.get(source) ?? 0,
      wins: won.length,
      meetingRate: rate(Math.min(meetings.get(source) ?? 0, n), n),
      winRate: rate(Math.min(won.length, n), n),
      revenue,
      cost,
      costPerLead: cost !== null && n > 0 ? cost / n : null,
      costPerWin: cost !== null && won.length > 0 ? cost / won.length : null,
      roi,
      roiLow,
      roiHigh,
      medianDaysToWin: daysToWin.has(source) ? quantile([...(daysToWin.get(source) as number[])].sort((x, y) => x - y), 0.5) : null,
      note: notes.length ? notes.join('; ') : null
    };
  });
}
