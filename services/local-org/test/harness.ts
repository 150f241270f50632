/**
 * Test harness for contract tests: a local org on 127.0.0.1:0 with the fixture force-app,
 * a controllable clock, and jsforce connections logged in the way a client would.
 */
import { join } from 'node:path';
import jsforce, { type Connection } from 'jsforce';
import { createLocalOrg, type LocalOrg } from '../server';
import type { LocalOrgOptionsInput } from '../options';

export const FIXTURE_FORCE_APP = join(__dirname, 'fixtures', 'force-app');
export const API_VERSION = '62.0';
export const LOCAL_PASSWORD = 'local-org';
export const ADMIN = 'admin@asl.local';

export interface TestClock {
  now(): Date;
  set(at: string | Date): void;
  advance(ms: number): void;
}

export function testClock(start = '2026-03-18T15:30:00.000Z'): TestClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at).getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

export interface TestOrg {
  org: LocalOrg;
  url: string;
  clock: TestClock;
  /** jsforce through the OAuth 2.0 password grant (the local-only shortcut). */
  login(username?: string): Promise<Connection>;
  /** A raw request with the bearer token of a fresh session (for status codes and headers jsforce hides). */
  http(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  token(username?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startOrg(options: LocalOrgOptionsInput = {}, clock: TestClock = testClock()): Promise<TestOrg> {
  const org = createLocalOrg({ forceAppDir: FIXTURE_FORCE_APP, clock: clock.now, timeZone: 'America/Chicago', ...options });
  const { url } = await org.listen(0);
  const login = async (username = ADMIN): Promise<Connection> => {
    const conn = new jsforce.Connection({ oauth2: { loginUrl: url, clientId: 'local', clientSecret: 'local' }, version: API_VERSION });
    await conn.login(username, LOCAL_PASSWORD);
    return conn;
  };
  const token = async (username = ADMIN): Promise<string> => (await login(username)).accessToken as string;
  let cachedToken: string | undefined;
  return {
    org,
    url,
    clock,
    login,
    token,
    async http(path, init = {}) {
      const bearer = init.token ?? (cachedToken ??= await token());
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${bearer}`);
      if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
      return fetch(`${url}${path}`, { ...init, headers });
    },
    close: () => org.close(),
  };
}

/** The error jsforce throws, with Salesforce's errorCode. */
export async function sfError(promise: PromiseLike<unknown>): Promise<{ errorCode: string; message: string; name: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { errorCode?: string; message: string; name: string };
    return { errorCode: e.errorCode ?? e.name, message: e.message, name: e.name };
  }
  throw new Error('expected the call to fail');
}

export function leads(count: number, extra: (i: number) => Record<string, unknown> = () => ({})): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => ({ LastName: `Lead ${String(i).padStart(5, '0')}`, Company: `Company ${i % 97}`, LeadSource: 'Web', ...extra(i) }));
}
