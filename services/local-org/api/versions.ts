/**
 * Versions (GET /services/data), Resources by Version (GET /services/data/vNN.N) and
 * Limits (GET /limits) (REST API Developer Guide: "Versions", "Resources by Version",
 * "Limits").
 */
import type { LocalOrgContext } from '../context';
import { supportedVersions } from './middleware';
import type { RestDispatcher } from './rest';

const SEASONS = ['Winter', 'Spring', 'Summer'];

/** 59.0 was Winter '24; three releases a year since. */
export function releaseLabel(version: string): string {
  const offset = Number.parseInt(version, 10) - 59;
  const cycle = Math.floor(offset / 3);
  const season = SEASONS[((offset % 3) + 3) % 3];
  return `${season} '${String(24 + cycle).padStart(2, '0')}`;
}

export function versionsBody(newest: string): Array<{ label: string; url: string; version: string }> {
  return supportedVersions(newest).map((version) => ({ label: releaseLabel(version), url: `/services/data/v${version}`, version }));
}

export function addVersionRoutes(rest: RestDispatcher): void {
  rest
    .add('GET', /^\/?$/, (_ctx, call) => {
      const base = call.base;
      const resources = ['sobjects', 'query', 'queryAll', 'composite', 'limits', 'graphql', 'jobs/ingest', 'jobs/query'];
      return { status: 200, body: Object.fromEntries(resources.map((name) => [name.replace('/', ''), `${base}/${name}`])) };
    })
    .add('GET', /^\/limits\/?$/, (ctx) => ({ status: 200, body: limitsBody(ctx) }));
}

function limitsBody(ctx: LocalOrgContext): Record<string, { Max: number; Remaining: number }> {
  const limit = (max: number, remaining: number = max): { Max: number; Remaining: number } => ({ Max: max, Remaining: remaining });
  // Salesforce counts 2 KB of data storage per record (Salesforce Help: "Data and File Storage Allocations").
  let records = 0;
  for (const def of ctx.schema.objects.values()) records += ctx.store.count(def.name);
  const dataMax = 1024 * 1024;
  return {
    ActiveScratchOrgs: limit(0),
    DailyApiRequests: limit(ctx.usage.max, ctx.usage.remaining()),
    DailyAsyncApexExecutions: limit(250000),
    DailyBulkApiBatches: limit(15000),
    DailyBulkV2QueryFileStorageMB: limit(976562),
    DailyBulkV2QueryJobs: limit(10000),
    DailyDurableGenericStreamingApiEvents: limit(1000000),
    DailyDurableStreamingApiEvents: limit(1000000),
    DailyGenericStreamingApiEvents: limit(10000),
    DailyStandardVolumePlatformEvents: limit(10000),
    DailyStreamingApiEvents: limit(1000000),
    DataStorageMB: limit(dataMax, Math.max(0, dataMax - Math.ceil((records * 2) / 1024))),
    FileStorageMB: limit(1024 * 1024),
    HourlyPublishedPlatformEvents: limit(250000),
    HourlyPublishedStandardVolumePlatformEvents: limit(100000),
    MonthlyPlatformEventsUsageEntitlement: limit(1500000),
    SingleEmail: limit(5000),
  };
}
