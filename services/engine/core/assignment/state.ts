import { rateCap } from './eligibility';
import { parseInstant } from './instant';
import type { AssignmentState, LedgerRow, Station, StratumState } from './model';

/**
 * Rebuilds the assignment state of a station from ledger rows alone. The org layer passes
 * the rows of each stratum's latest block plus every row of the last rate window (a few
 * hours at most); older rows change nothing. Rows of other stations or of methods that do
 * not draw (Return To Booker, Override) are ignored.
 */
export function rebuildState(station: Pick<Station, 'key' | 'handlingMinutes' | 'hourlyCapOverride'>, rows: readonly LedgerRow[], now: Date): AssignmentState {
  const strata: Record<string, StratumState> = {};
  const recentDraws: Record<string, number[]> = {};
  const nowMs = now.getTime();
  const windowMs = Math.max(60, rateCap({ handlingMinutes: station.handlingMinutes, hourlyCapOverride: null }).windowMinutes) * 60_000;
  let lastText = '';
  let lastTime = 0;
  for (const row of rows) {
    if (row.station !== station.key) continue;
    if (row.method !== 'Permuted Block' && row.method !== 'Rebalance') continue;
    if (row.stratum === null || row.block === null || row.seed === null || row.blockSize === null) continue;
    const current = strata[row.stratum];
    if (!current || row.block > current.block) {
      strata[row.stratum] = { stratum: row.stratum, block: row.block, seed: row.seed, size: row.blockSize, used: { [row.repId]: 1 } };
    } else if (row.block === current.block) {
      current.used[row.repId] = (current.used[row.repId] ?? 0) + 1;
    }
    if (row.assignedAt !== lastText) {
      lastText = row.assignedAt;
      lastTime = parseInstant(row.assignedAt);
    }
    if (lastTime > nowMs - windowMs && lastTime <= nowMs) (recentDraws[row.repId] ??= []).push(lastTime);
  }
  for (const draws of Object.values(recentDraws)) draws.sort((a, b) => a - b);
  return { station: station.key, strata, recentDraws };
}

/** The blocks of the state, for the org layer to fetch their rows: `Stratum__c` and `Block__c`. */
export function openBlocks(state: AssignmentState): Array<{ stratum: string; block: number }> {
  return Object.values(state.strata).map((s) => ({ stratum: s.stratum, block: s.block }));
}
