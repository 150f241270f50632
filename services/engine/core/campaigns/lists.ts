import type { Rng } from '../random';
import { holmAdjust, independenceTest, wilsonInterval } from '../stats';

/**
 * Lead-list quality: for each purchased or imported list (Lead.List_Name__c), how many leads
 * were reached, qualified (meeting booked) and had bad data, each rate with a Wilson 95 %
 * interval; a chi-square test of whether the lists differ at all (with a Monte Carlo p-value
 * when counts are small); and each list against all the others, Holm-adjusted, so "list X is
 * worse" is only said when it holds after looking at every list.
 */
export interface ListLead {
  listName: string | null;
  contacted: boolean;
  qualified: boolean;
  badData: boolean;
}

export interface Rate {
  count: number;
  rate: number;
  low: number;
  high: number;
}

export interface ListQuality {
  listName: string;
  leads: number;
  contact: Rate;
  qualification: Rate;
  /** Qualified among the contacted: separates the list from the callers. */
  qualificationPerContact: Rate;
  badData: Rate;
  /** This list against all others (Holm-adjusted p-values). */
  contactVsRest: { p: number; direction: 'higher' | 'lower' | 'same' };
  qualificationVsRest: { p: number; direction: 'higher' | 'lower' | 'same' };
}

export interface ListTest {
  statistic: number;
  df: number;
  pValue: number;
  method: 'asymptotic' | 'monte-carlo';
}

export interface ListReport {
  lists: ListQuality[];
  /** Do contact rates differ between lists? Do qualification rates? */
  contactDiffers: ListTest;
  qualificationDiffers: ListTest;
  alpha: number;
}

/** Leads without a list name are grouped here. */
export const NO_LIST = '(no list)';

function rate(count: number, n: number): Rate {
  const ci = wilsonInterval(count, n);
  return { count, rate: n ? count / n : 0, low: ci.low, high: ci.high };
}

function test(leads: readonly ListLead[], pick: (l: ListLead) => boolean, rng: Rng): ListTest {
  const t = independenceTest(
    leads.map((l) => ({ row: l.listName ?? NO_LIST, col: pick(l) ? 'yes' : 'no' })),
    { rng, monteCarlo: 'auto', permutations: 2000 }
  );
  return { statistic: t.statistic, df: t.df, pValue: t.pValue, method: t.method };
}

function vsRest(leads: readonly ListLead[], name: string, pick: (l: ListLead) => boolean, rng: Rng): { p: number; diff: number } {
  const rows = leads.map((l) => ({ row: (l.listName ?? NO_LIST) === name ? 'this' : 'rest', col: pick(l) ? 'yes' : 'no' }));
  const t = independenceTest(rows, { rng, monteCarlo: 'auto', permutations: 2000 });
  const own = rows.filter((r) => r.row === 'this');
  const rest = rows.filter((r) => r.row === 'rest');
  const share = (xs: typeof rows) => (xs.length ? xs.filter((x) => x.col === 'yes').length / xs.length : 0);
  return { p: t.pValue, diff: share(own) - share(rest) };
}

export function listQuality(leads: readonly ListLead[], options: { rng: Rng; alpha?: number }): ListReport {
  const alpha = options.alpha ?? 0.05;
  const names = [...new Set(leads.map((l) => l.listName ?? NO_LIST))].sort();
  const contacted = (l: ListLead) => l.contacted;
  const qualified = (l: ListLead) => l.qualified;
  const contactRest = names.map((n) => vsRest(leads, n, contacted, options.rng));
  const qualRest = names.map((n) => vsRest(leads, n, qualified, options.rng));
  const contactAdj = holmAdjust(contactRest.map((r) => r.p));
  const qualAdj = holmAdjust(qualRest.map((r) => r.p));
  const direction = (p: number, diff: number) => (p > alpha ? 'same' : diff > 0 ? 'higher' : 'lower') as 'higher' | 'lower' | 'same';
  const lists = names.map((name, i): ListQuality => {
    const own = leads.filter((l) => (l.listName ?? NO_LIST) === name);
    const reached = own.filter(contacted);
    return {
      listName: name,
      leads: own.length,
      contact: rate(reached.length, own.length),
      qualification: rate(own.filter(qualified).length, own.length),
      qualificationPerContact: rate(reached.filter(qualified).length, reached.length),
      badData: rate(own.filter((l) => l.badData).length, own.length),
      contactVsRest: { p: contactAdj[i] as number, direction: direction(contactAdj[i] as number, (contactRest[i] as { diff: number }).diff) },
      qualificationVsRest: { p: qualAdj[i] as number, direction: direction(qualAdj[i] as number, (qualRest[i] as { diff: number }).diff) }
    };
  });
  return { lists, contactDiffers: test(leads, contacted, options.rng), qualificationDiffers: test(leads, qualified, options.rng), alpha };
}
