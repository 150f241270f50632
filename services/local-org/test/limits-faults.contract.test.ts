/**
 * API allowance and fault injection. The allowance follows Salesforce's daily API request
 * limit (REST API Developer Guide: "Limit Info Header"; Developer Limits and Allocations:
 * "API Request Limits and Allocations"); faults reproduce what clients of a real org must
 * survive (REST API Developer Guide: "Status Codes and Error Responses"; record locking:
 * UNABLE_TO_LOCK_ROW in "sObject Collections" results).
 */
import type { Connection } from 'jsforce';
import type { FaultRuleInput } from '../options';
import { leads, startOrg, type TestOrg } from './harness';

describe('daily API allowance', () => {
  let t: TestOrg;
  beforeAll(async () => {
    t = await startOrg({ dailyApiLimit: 5 });
  });
  afterAll(() => t.close());

  it('reports every call in Sforce-Limit-Info and answers 403 REQUEST_LIMIT_EXCEEDED past the limit', async () => {
    const token = await t.token();
    const seen: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const response = await t.http('/services/data/v62.0/limits', { token });
      expect(response.status).toBe(200);
      seen.push(response.headers.get('sforce-limit-info') ?? '');
    }
    expect(seen).toEqual(['api-usage=1/5', 'api-usage=2/5', 'api-usage=3/5', 'api-usage=4/5', 'api-usage=5/5']);
    const over = await t.http('/services/data/v62.0/limits', { token });
    expect(over.status).toBe(403);
    expect(over.headers.get('sforce-limit-info')).toBe('api-usage=5/5');
    expect(await over.json()).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
  });

  it('frees the allowance as calls leave the rolling 24-hour window', async () => {
    t.clock.advance(24 * 3600 * 1000 + 60_000);
    const token = await t.token();
    const response = await t.http('/services/data/v62.0/limits', { token });
    expect(response.status).toBe(200);
    expect(response.headers.get('sforce-limit-info')).toBe('api-usage=1/5');
  });

  it('is exposed to jsforce as conn.limitInfo', async () => {
    await t.http('/_local/limits', { method: 'POST', body: JSON.stringify({ limit: 1000, reset: true }) });
    const conn = await t.login();
    await conn.query('SELECT Id FROM User LIMIT 1');
    expect(conn.limitInfo?.apiUsage).toEqual({ used: 1, limit: 1000 });
  });
});

describe('fault injection', () => {
  let t: TestOrg;
  let conn: Connection;
  beforeAll(async () => {
    t = await startOrg({ faultSeed: 7 });
    conn = await t.login();
  });
  afterAll(() => t.close());
  afterEach(async () => {
    await t.http('/_local/faults', { method: 'DELETE' });
  });

  const addFaults = async (rules: FaultRuleInput[], seed?: number): Promise<void> => {
    const response = await t.http('/_local/faults', { method: 'POST', body: JSON.stringify({ rules, replace: true, ...(seed === undefined ? {} : { seed }) }) });
    expect(response.status).toBe(201);
  };

  it('answers 503 SERVER_UNAVAILABLE and 429 with Retry-After on matching requests only', async () => {
    await addFaults([
      { kind: 'http503', match: 'GET /services/data/v\\d+\\.\\d/query' },
      { kind: 'http429', match: '/limits$' },
    ]);
    const query = await t.http(`/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM User')}`);
    expect(query.status).toBe(503);
    expect(await query.json()).toEqual([{ message: 'Service Unavailable', errorCode: 'SERVER_UNAVAILABLE' }]);
    const limits = await t.http('/services/data/v62.0/limits');
    expect(limits.status).toBe(429);
    expect(limits.headers.get('retry-after')).toBe('1');
    expect((await t.http('/services/data/v62.0/sobjects')).status).toBe(200);
  });

  it('answers REQUEST_LIMIT_EXCEEDED on demand', async () => {
    await addFaults([{ kind: 'requestLimit', match: '/sobjects' }]);
    const response = await t.http('/services/data/v62.0/sobjects');
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
  });

  it('expires the session (INVALID_SESSION_ID); jsforce re-authenticates and carries on', async () => {
    const token = await t.token();
    await addFaults([{ kind: 'invalidSession', match: '/query', times: 1 }]);
    const first = await t.http(`/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM User')}`, { token });
    expect(first.status).toBe(401);
    // The token is really gone, as after a timeout.
    expect((await t.http('/services/data/v62.0/sobjects', { token })).status).toBe(401);
    await addFaults([{ kind: 'invalidSession', match: '/query', times: 1 }]);
    const result = await conn.query('SELECT Id FROM User');
    expect(result.totalSize).toBeGreaterThan(0);
  });

  it('fails records with UNABLE_TO_LOCK_ROW inside a 200 collection result, reproducibly for a seed', async () => {
    const failedIndexes = async (): Promise<number[]> => {
      await addFaults([{ kind: 'lockRow', match: 'POST /services/data/v\\d+\\.\\d/composite/sobjects', rate: 0.1 }], 99);
      const response = await t.http('/services/data/v62.0/composite/sobjects', {
        method: 'POST',
        body: JSON.stringify({ allOrNone: false, records: leads(200).map((r) => ({ attributes: { type: 'Lead' }, ...r })) }),
      });
      expect(response.status).toBe(200);
      const results = (await response.json()) as Array<{ success: boolean; errors: Array<{ statusCode: string; message: string }> }>;
      const failed = results.flatMap((r, i) => (r.success ? [] : [i]));
      for (const i of failed) expect(results[i]?.errors[0]?.statusCode).toBe('UNABLE_TO_LOCK_ROW');
      expect(results[failed[0] as number]?.errors[0]?.message).toMatch(/^unable to obtain exclusive access to this record/);
      return failed;
    };
    const first = await failedIndexes();
    expect(first.length).toBeGreaterThan(5);
    expect(first.length).toBeLessThan(40);
    expect(await failedIndexes()).toEqual(first);
  });

  it('fails a whole allOrNone collection when one record cannot be locked', async () => {
    await addFaults([{ kind: 'lockRow', match: '/composite/sobjects', rate: 1, times: 1 }]);
    const results = await conn.sobject('Account').create([{ Name: 'L1' }, { Name: 'L2' }], { allOrNone: true });
    expect(results.map((r) => r.success)).toEqual([false, false]);
    expect((await conn.query("SELECT COUNT() FROM Account WHERE Name IN ('L1', 'L2')")).totalSize).toBe(0);
  });

  it('delays responses by latencyMs and still answers', async () => {
    await addFaults([{ id: 'slow', kind: 'latency', match: '/sobjects$', latencyMs: 50 }]);
    expect((await t.http('/services/data/v62.0/sobjects')).status).toBe(200);
    const list = (await (await t.http('/_local/faults')).json()) as { rules: Array<{ id: string; injected: number }> };
    expect(list.rules).toEqual([expect.objectContaining({ id: 'slow', injected: 1 })]);
  });

  it('drops the connection without an answer', async () => {
    await addFaults([{ kind: 'drop', match: '/sobjects$' }]);
    await expect(t.http('/services/data/v62.0/sobjects')).rejects.toThrow();
  });

  it('applies start-up rules from options and removes a rule at runtime', async () => {
    const withRule = await startOrg({ faults: [{ id: 'boot', kind: 'http503', match: '/limits' }] });
    try {
      expect((await withRule.http('/services/data/v62.0/limits')).status).toBe(503);
      expect((await withRule.http('/_local/faults/boot', { method: 'DELETE' })).status).toBe(204);
      expect((await withRule.http('/services/data/v62.0/limits')).status).toBe(200);
    } finally {
      await withRule.close();
    }
  });

  it('rejects an invalid rule with INVALID_INPUT', async () => {
    const response = await t.http('/_local/faults', { method: 'POST', body: JSON.stringify({ kind: 'meteor', rate: 2 }) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as Array<{ errorCode: string }>)[0]?.errorCode).toBe('INVALID_INPUT');
  });
});
