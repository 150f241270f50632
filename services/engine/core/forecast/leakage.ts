import type { Rng } from '../random';
import { dayFromIso, isoFromDay } from './dates';
import { resolveSnapshot } from './known';
import type { OpportunityHistory, OpportunityHistoryRow, StageHistoryRow } from './types';

/**
 * The leakage self-test: a copy of the history in which everything dated on or after the
 * as-of date is rewritten at random (outcomes, close dates, amounts and stages of deals open
 * then; every deal created later, some dropped and some invented; stage-history rows dated
 * later). Deals and rows known before the as-of date keep their order. A forecast as of that
 * date must be identical, bit for bit, on both copies with the same seed.
 */
export function scrambleAfter(
  history: OpportunityHistory,
  asOfIso: string,
  rng: Rng
): { history: OpportunityHistory; changed: number } {
  const asOf = dayFromIso(asOfIso, 'asOf');
  const snapshot = resolveSnapshot(history);
  const present = asOf >= snapshot;
  const reps = [...new Set(history.opportunities.map((row) => row.rep))];
  const products = [...new Set(history.opportunities.map((row) => row.product ?? null))];
  const stages = [...new Set(history.opportunities.map((row) => row.stage))];
  const pick = <T>(items: readonly T[]): T => items[rng.int(0, items.length - 1)] as T;
  const later = (from: number): number => from + rng.int(0, 200);
  const randomOutcome = (
    created: number
  ): Pick<OpportunityHistoryRow, 'closeDate' | 'isClosed' | 'isWon' | 'stage' | 'amount'> => {
    const isClosed = rng.next() < 0.7;
    const isWon = isClosed && rng.next() < 0.5;
    return {
      isClosed,
      isWon,
      closeDate: isClosed || rng.next() < 0.5 ? isoFromDay(later(Math.max(created, asOf))) : null,
      stage: pick(stages),
      amount: rng.next() < 0.2 ? null : Math.round(rng.next() * 100_000)
    };
  };
  let changed = 0;
  const future: OpportunityHistoryRow[] = [];
  const kept: OpportunityHistoryRow[] = [];
  const futureIds = new Set<string>();
  for (const row of history.opportunities) {
    const created = dayFromIso(row.createdDate, 'createdDate');
    if (created >= asOf) {
      changed += 1;
      futureIds.add(row.id);
      if (rng.next() < 0.1) continue;
      const newCreated = later(asOf);
      future.push({
        ...row,
        rep: pick(reps),
        product: pick(products),
        createdDate: isoFromDay(newCreated),
        ...randomOutcome(newCreated)
      });
      continue;
    }
    const closedBefore =
      row.isClosed && row.closeDate !== null && dayFromIso(row.closeDate, 'closeDate') < asOf;
    if (closedBefore || present) {
      kept.push(row);
      continue;
    }
    changed += 1;
    kept.push({ ...row, ...randomOutcome(created) });
  }
  for (let i = 0; i < 25; i += 1) {
    const created = later(asOf);
    future.push({
      id: `scrambled-${i}`,
      rep: pick(reps),
      product: pick(products),
      createdDate: isoFromDay(created),
      ...randomOutcome(created)
    });
  }
  // Future deals go first: their position must not matter either.
  const opportunities = [...future, ...kept];
  const stageHistory: StageHistoryRow[] = [];
  for (const row of history.stageHistory ?? []) {
    if (dayFromIso(row.date, 'stageHistory.date') < asOf && !futureIds.has(row.opportunityId)) {
      stageHistory.push(row);
    } else if (rng.next() < 0.8) {
      changed += 1;
      stageHistory.push({
        ...row,
        date: isoFromDay(later(asOf)),
        stage: pick(stages),
        amount: Math.round(rng.next() * 50_000)
      });
    }
  }
  for (const row of kept.slice(0, 20)) {
    stageHistory.push({
      opportunityId: row.id,
      date: isoFromDay(later(asOf)),
      stage: pick(stages),
      amount: 1,
      closeDate: isoFromDay(later(asOf))
    });
  }
  return {
    history: { ...history, snapshotDate: isoFromDay(snapshot), opportunities, stageHistory },
    changed
  };
}

/** First path at which two JSON-like values differ, or null when they are identical. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (Object.is(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
    return `${path || '(root)'}: ${String(a)} vs ${String(b)}`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const diff = firstDifference(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      `${path}.${key}`
    );
    if (diff) return diff;
  }
  return null;
}
