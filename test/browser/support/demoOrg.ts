/**
 * A local org on 127.0.0.1:0 with a small seeded demo floor (services/local-org/demo-floor),
 * for the browser tests. Everything the consoles show comes from this org.
 */
import path from 'node:path';
import jsforce, { type Connection } from 'jsforce';
import {
  generateDemoFloor,
  type FloorSummary
} from '../../../services/local-org/demo-floor/generate';
import { StoreSink } from '../../../services/local-org/demo-floor/storeSink';
import { createLocalOrg, type LocalOrg } from '../../../services/local-org/server';

export const LOCAL_PASSWORD = 'local-org';
export const API_VERSION = '62.0';

export interface DemoOrg {
  org: LocalOrg;
  url: string;
  summary: FloorSummary;
  /** A jsforce connection signed in with the org's local-only password grant. */
  login(username: string): Promise<Connection>;
  close(): Promise<void>;
}

export async function startDemoOrg(options: { leads: number; seed: string }): Promise<DemoOrg> {
  const org = createLocalOrg({
    dataDir: ':memory:',
    forceAppDir: path.resolve(__dirname, '../../../force-app/main/default')
  });
  try {
    // The floor's "now" is the current minute, so windows ending now (Line Monitor) see it.
    const asOf = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    const summary = await generateDemoFloor(new StoreSink(org.store), { ...options, asOf });
    const { url } = await org.listen(0);
    return {
      org,
      url,
      summary,
      async login(username) {
        const conn = new jsforce.Connection({
          oauth2: { loginUrl: url, clientId: 'browser-tests', clientSecret: 'browser-tests' },
          version: API_VERSION
        });
        await conn.login(username, LOCAL_PASSWORD);
        return conn;
      },
      close: () => org.close()
    };
  } catch (error) {
    await org.close();
    throw error;
  }
}

/** Every record of a query (jsforce follows nextRecordsUrl with autoFetch). */
export async function queryAll<T extends Record<string, unknown>>(
  conn: Connection,
  soql: string
): Promise<T[]> {
  const result = await conn.query<T>(soql, { autoFetch: true, maxFetch: 100_000 });
  return result.records;
}
