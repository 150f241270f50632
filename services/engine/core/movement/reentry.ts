import type { AssetType } from '../assignment/model';
import { DEFAULT_CHECK_BACK_DAYS } from './move';
import type { Bin } from './rules';

/**
 * Re-entry: which nurture assets are due back on the line at time t. Only Check Back
 * Quarterly re-enters, at Next_Action_At__c (set from the rule's Reentry_Days__c when the
 * asset entered the bin) or, if that is empty, 90 days after Bin_Entered_At__c. Dead
 * Opportunity has no interval and Avoid bins never re-enter.
 */
export interface NurtureAsset {
  id: string;
  type: AssetType;
  bin: Bin | null;
  binEnteredAt: string | null;
  nextActionAt: string | null;
  ownerId: string | null;
}

export interface Reentry {
  assetId: string;
  assetType: AssetType;
  dueAt: string;
  to: { station: string; bin: Bin };
  /** Re-entering assets are assigned afresh at the station, through the blocks. */
  needsAssignment: true;
  purpose: 'Nurture Check Back';
}

const DAY = 86_400_000;

export function dueForReentry(
  assets: readonly NurtureAsset[],
  now: Date,
  reentryStation: Readonly<Partial<Record<AssetType, string>>>
): Reentry[] {
  const due: Array<Reentry & { at: number }> = [];
  for (const asset of assets) {
    if (asset.bin !== 'Nurture - Check Back Quarterly') continue;
    const station = reentryStation[asset.type];
    if (!station) continue;
    const at = asset.nextActionAt
      ? Date.parse(asset.nextActionAt)
      : asset.binEnteredAt
        ? Date.parse(asset.binEnteredAt) + DEFAULT_CHECK_BACK_DAYS * DAY
        : Number.NaN;
    if (Number.isNaN(at) || at > now.getTime()) continue;
    due.push({ assetId: asset.id, assetType: asset.type, dueAt: new Date(at).toISOString(), at, to: { station, bin: 'Working' }, needsAssignment: true, purpose: 'Nurture Check Back' });
  }
  due.sort((a, b) => a.at - b.at || a.assetId.localeCompare(b.assetId));
  return due.map(({ at: _at, ...rest }) => rest);
}
