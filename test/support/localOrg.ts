import path from 'node:path';
import { generateDemoFloor, type FloorSummary } from '../../services/local-org/demo-floor/generate';
import { StoreSink } from '../../services/local-org/demo-floor/storeSink';
import { createLocalOrg, type LocalOrg } from '../../services/local-org/server';
import type { LocalOrgOptionsInput } from '../../services/local-org/options';
import { localOrgConfig } from '../../services/engine/cli/orgOption';
import type { EngineConfig } from '../../services/engine/config';

/**
 * End-to-end tests start a real local org on a loopback port, with the package's force-app
 * schema and (optionally) a small seeded demo floor, and talk to it over HTTP through the
 * engine's own org adapter: exactly the path a real org would take.
 */
export interface TestOrg {
  org: LocalOrg;
  url: string;
  floor?: FloorSummary;
  engineConfig(overrides?: Partial<EngineConfig>): EngineConfig;
  close(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');

export async function startTestOrg(
  options: { leads?: number; seed?: string; asOf?: string; org?: Partial<LocalOrgOptionsInput> } = {}
): Promise<TestOrg> {
  const org = createLocalOrg({ dataDir: ':memory:', forceAppDir: path.join(ROOT, 'force-app/main/default'), ...(options.org ?? {}) });
  let floor: FloorSummary | undefined;
  if (options.leads !== undefined) {
    floor = await generateDemoFloor(new StoreSink(org.store), {
      leads: options.leads,
      seed: options.seed ?? 'e2e',
      asOf: options.asOf ?? '2026-11-16T15:00:00.000Z'
    });
  }
  const { url } = await org.listen(0, '127.0.0.1');
  return {
    org,
    url,
    ...(floor ? { floor } : {}),
    engineConfig: (overrides = {}) => ({ ...localOrgConfig(url, {}), ...overrides }),
    close: () => org.close()
  };
}

/**
 * Removes the demo floor's stage-timer history (Stage_Event__c), for tests that measure what
 * their own moves write: the floor's past stays (SLA breaches, station-to-station shares)
 * would otherwise add to their counts. Written straight to the store: test setup, no API call.
 */
export function clearStageHistory(test: TestOrg): number {
  const ids: string[] = [];
  let page = test.org.store.query('SELECT Id FROM Stage_Event__c');
  for (;;) {
    for (const record of page.records) ids.push(String(record.Id));
    if (page.done || page.nextLocator === undefined) break;
    page = test.org.store.queryMore(page.nextLocator);
  }
  for (let start = 0; start < ids.length; start += 2000) test.org.store.deleteMany(ids.slice(start, start + 2000));
  return ids.length;
}
