import { timeIneligibility, wipCap } from './eligibility';
import type { Rep, Station } from './model';

/**
 * Which open assets a rebalance takes back from their owner: all of a rep who left the
 * station or is inactive or on leave, and a rep's newest assets beyond their WIP cap (the
 * oldest stay with the rep who has been working them). The job then reassigns the released
 * assets with assignBatch(method 'Rebalance'), through the same blocks, so the equality
 * guarantees hold for them too. Being off shift is not a reason: the rep is back tomorrow.
 */
export interface OpenAsset {
  id: string;
  ownerId: string;
  /** When the asset entered the station (oldest first stays). */
  enteredAt: string;
}

export interface RebalancePlan {
  release: Array<{ assetId: string; fromRepId: string; reason: 'inactive' | 'on-leave' | 'left-station' | 'not-a-rep' | 'over-wip-cap' }>;
}

export function planRebalance(station: Station, reps: readonly Rep[], open: readonly OpenAsset[], now: Date): RebalancePlan {
  const repById = new Map(reps.map((r) => [r.id, r] as const));
  const byOwner = new Map<string, OpenAsset[]>();
  for (const asset of open) {
    const list = byOwner.get(asset.ownerId) ?? [];
    list.push(asset);
    byOwner.set(asset.ownerId, list);
  }
  const release: RebalancePlan['release'] = [];
  for (const [ownerId, assets] of [...byOwner.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const rep = repById.get(ownerId);
    const sorted = [...assets].sort((a, b) => Date.parse(a.enteredAt) - Date.parse(b.enteredAt) || a.id.localeCompare(b.id));
    const whole = (reason: RebalancePlan['release'][number]['reason']): void => {
      for (const a of sorted) release.push({ assetId: a.id, fromRepId: ownerId, reason });
    };
    if (!rep) whole('not-a-rep');
    else if (!rep.active) whole('inactive');
    else if (!rep.stations.includes(station.key)) whole('left-station');
    else if (timeIneligibility(rep, now) === 'on-leave') whole('on-leave');
    else {
      const cap = wipCap(station, rep);
      for (const a of sorted.slice(Number.isFinite(cap) ? cap : sorted.length)) release.push({ assetId: a.id, fromRepId: ownerId, reason: 'over-wip-cap' });
    }
  }
  return { release };
}
