/**
 * Campaigns of the floor: one per purchased list and quarter, per trade show, per quarter of
 * website demo requests, and a standing partner programme. A lead's LeadSource and creation
 * date decide its list name and campaign.
 */
import type { FloorRng } from './random';
import type { FloorRow } from './sink';
import { DAY, isoDate } from './timeZones';

export const LIST_VENDORS = ['Apex Data', 'LeadForge', 'ProspectIQ'] as const;
const SHOWS = ['Ops Summit', 'Revenue World', 'Field Service Expo', 'SaaS Connect'] as const;

export interface CampaignSpec {
  key: string;
  name: string;
  type: string;
  startMs: number;
  endMs: number;
  budget: number;
}

export interface Quarter {
  year: number;
  /** 1..4 */
  q: number;
  startMs: number;
  /** Exclusive. */
  endMs: number;
}

export function quarterOf(ms: number): Quarter {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  const q = Math.floor(date.getUTCMonth() / 3) + 1;
  return { year, q, startMs: Date.UTC(year, (q - 1) * 3, 1), endMs: Date.UTC(year, q * 3, 1) };
}

/** The last calendar day of the quarter holding `ms` (midnight UTC of that day). */
export function quarterEndDay(ms: number): number {
  return quarterOf(ms).endMs - DAY;
}

function quarterLabel(quarter: Quarter): string {
  return `${quarter.year} Q${quarter.q}`;
}

export function listCampaignKey(vendor: string, ms: number): string {
  return `LIST:${vendor}:${quarterLabel(quarterOf(ms))}`;
}

export function showCampaignKey(ms: number): string {
  return `SHOW:${quarterLabel(quarterOf(ms))}`;
}

export function webCampaignKey(ms: number): string {
  return `WEB:${quarterLabel(quarterOf(ms))}`;
}

export const PARTNER_CAMPAIGN_KEY = 'PARTNER';

/** Every campaign the window [fromMs, toMs] needs, in a stable order. */
export function campaignCatalog(fromMs: number, toMs: number): CampaignSpec[] {
  const specs: CampaignSpec[] = [];
  let cursor = quarterOf(fromMs);
  let index = 0;
  while (cursor.startMs <= toMs) {
    const label = quarterLabel(cursor);
    for (const vendor of LIST_VENDORS) {
      specs.push({
        key: `LIST:${vendor}:${label}`,
        name: `${vendor} list ${label}`,
        type: 'Direct Mail',
        startMs: cursor.startMs,
        endMs: cursor.endMs - DAY,
        budget: 12_000
      });
    }
    const show = SHOWS[index % SHOWS.length] as string;
    specs.push({
      key: `SHOW:${label}`,
      name: `${show} ${label}`,
      type: 'Trade Show',
      startMs: cursor.startMs + 20 * DAY,
      endMs: cursor.startMs + 22 * DAY,
      budget: 40_000
    });
    specs.push({
      key: `WEB:${label}`,
      name: `Website demo requests ${label}`,
      type: 'Advertisement',
      startMs: cursor.startMs,
      endMs: cursor.endMs - DAY,
      budget: 25_000
    });
    cursor = quarterOf(cursor.endMs);
    index += 1;
  }
  specs.push({
    key: PARTNER_CAMPAIGN_KEY,
    name: 'Partner referral programme',
    type: 'Partners',
    startMs: quarterOf(fromMs).startMs,
    endMs: toMs + 365 * DAY,
    budget: 60_000
  });
  return specs;
}

export function campaignRow(
  spec: CampaignSpec,
  ownerId: string,
  asOfMs: number,
  rng: FloorRng
): FloorRow {
  const status =
    spec.startMs > asOfMs ? 'Planned' : spec.endMs < asOfMs ? 'Completed' : 'In Progress';
  return {
    Name: spec.name,
    Type: spec.type,
    Status: status,
    StartDate: isoDate(spec.startMs),
    EndDate: isoDate(spec.endMs),
    IsActive: status !== 'Completed',
    BudgetedCost: spec.budget,
    ActualCost: status === 'Planned' ? 0 : Math.round(spec.budget * (0.8 + 0.3 * rng.next())),
    OwnerId: ownerId
  };
}
