import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { register as registerBacktest } from '../../services/engine/cli/commands/backtest';
import { register as registerForecast } from '../../services/engine/cli/commands/forecast';
import { engineFeatures } from '../../services/engine/features';
import { forecastRefreshJob } from '../../services/engine/features/forecast';
import { refreshForecast } from '../../services/engine/features/forecast/refresh';
import { readOrgHistory } from '../../services/engine/features/forecast/orgHistory';
import type { EngineJob } from '../../services/engine/jobs/types';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { count, queryAll } from '../../services/engine/org/reads';
import { startTestOrg, type TestOrg } from '../support/localOrg';

// User story: RevOps schedules "Forecast Refresh"; the engine reads the opportunity history
// from the org, forecasts month, quarter and year with ranges and writes Forecast__c and
// Forecast_Line__c, which the Forecast console reads through the UI API GraphQL endpoint.
const AS_OF = '2026-11-16';
const NOW = new Date('2026-11-16T15:30:00.000Z');

function job(scope: Record<string, unknown>): EngineJob {
  return {
    id: 'a0J000000000001AAA',
    name: 'Forecast Refresh',
    type: 'Forecast Refresh',
    cron: null,
    scope,
    enabled: true,
    runNow: true
  };
}

const run = (handler: ReturnType<typeof forecastRefreshJob>, scope: Record<string, unknown>) =>
  handler({ job: job(scope), runKey: 'fc-run', now: NOW, signal: new AbortController().signal });

/** The console's own query text, so the test breaks if the console asks for something else. */
function consoleQuery(): string {
  const file = path.resolve(
    __dirname,
    '../../force-app/main/default/lwc/forecastConsole/forecastConsole.js'
  );
  const match = /FORECASTS_QUERY = gql`([\s\S]*?)`;/.exec(readFileSync(file, 'utf8'));
  if (!match?.[1]) throw new Error('FORECASTS_QUERY not found in forecastConsole.js');
  return match[1];
}

/** Runs `asl <args>` with the forecasting commands registered and returns what it printed. */
async function asl(args: string[]): Promise<string> {
  const program = new Command('asl').exitOverride();
  registerBacktest(program);
  registerForecast(program);
  let out = '';
  const spy = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
  try {
    await program.parseAsync(['node', 'asl', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('forecast refresh against the local org', () => {
  let test: TestOrg;
  let client: OrgClient;

  beforeAll(async () => {
    test = await startTestOrg({ leads: 3000, seed: 'forecast' });
    client = await connectOrg(test.engineConfig());
  }, 120_000);
  afterAll(async () => {
    await test?.close();
  });

  it('maps the org history to the forecast shape, the same by SOQL and by Bulk API 2.0', async () => {
    const rest = await readOrgHistory(client, { snapshotDate: AS_OF });
    const bulk = await readOrgHistory(client, { snapshotDate: AS_OF, bulkThreshold: 1 });
    expect(rest.via).toBe('rest');
    expect(bulk.via).toBe('bulk');
    expect(rest.history.opportunities.length).toBe(
      await count(client, 'SELECT COUNT() FROM Opportunity')
    );
    expect(rest.history.opportunities.length).toBeGreaterThan(50);
    const byId = (rows: typeof rest.history.opportunities) =>
      [...rows].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(bulk.history.opportunities)).toEqual(byId(rest.history.opportunities));
    expect(bulk.history.stageHistory?.length).toBe(rest.history.stageHistory?.length);
    expect(rest.history.opportunities.some((o) => o.team)).toBe(true);
    expect(rest.history.opportunities.some((o) => o.segment && o.product && o.source)).toBe(true);
    expect(rest.history.opportunities.some((o) => !o.isClosed)).toBe(true);
  }, 120_000);

  it('writes month, quarter and year forecasts with ordered ranges, by rep, team, product and total, and re-runs without duplicates', async () => {
    const handler = forecastRefreshJob(client);
    const first = await run(handler, { seed: 7, options: { draws: 2000 } });
    expect(first.partial).toBeFalsy();
    expect(first.summary).toContain('seed 7');
    const forecasts = await queryAll(
      client,
      `SELECT Id, Key__c, Period_Type__c, Period_Start__c, As_Of__c, Method__c, Backtest_WAPE__c, Backtest_Coverage__c, Expected__c, P10__c, P50__c, P90__c FROM Forecast__c WHERE As_Of__c = ${AS_OF}`
    );
    expect(new Set(forecasts.map((f) => f.Period_Type__c))).toEqual(
      new Set(['Month', 'Quarter', 'Year'])
    );
    for (const f of forecasts) {
      expect(Number(f.P10__c)).toBeLessThanOrEqual(Number(f.P50__c));
      expect(Number(f.P50__c)).toBeLessThanOrEqual(Number(f.P90__c));
      expect(String(f.Method__c)).toMatch(/^asl-/);
      // Every period type carries its backtest accuracy; the year's comes from the year-to-go
      // backtest of 2025 (the floor's history starts in January 2025), standing on the first
      // of each month of 2025 it can be fitted at.
      expect(Number(f.Backtest_WAPE__c)).toBeGreaterThan(0);
      expect(Number(f.Backtest_Coverage__c)).toBeGreaterThanOrEqual(0);
      expect(String(f.Method__c)).not.toContain('no ');
    }
    const lines = await queryAll(
      client,
      'SELECT Key__c, Forecast__c, Dimension__c, Dimension_Value__c, P10__c, P50__c, P90__c FROM Forecast_Line__c'
    );
    const ids = new Set(forecasts.map((f) => f.Id));
    expect(lines.every((l) => ids.has(l.Forecast__c))).toBe(true);
    for (const f of forecasts) {
      const own = lines.filter((l) => l.Forecast__c === f.Id);
      expect(new Set(own.map((l) => l.Dimension__c))).toEqual(
        new Set(['Total', 'Rep', 'Team', 'Product'])
      );
    }
    for (const l of lines) {
      expect(Number(l.P10__c)).toBeLessThanOrEqual(Number(l.P50__c));
      expect(Number(l.P50__c)).toBeLessThanOrEqual(Number(l.P90__c));
    }
    expect(first.recordsTouched).toBe(forecasts.length + lines.length);

    await run(handler, { seed: 7, options: { draws: 2000 } });
    expect(await count(client, 'SELECT COUNT() FROM Forecast__c')).toBe(forecasts.length);
    expect(await count(client, 'SELECT COUNT() FROM Forecast_Line__c')).toBe(lines.length);
  }, 300_000);

  it('the Forecast console query reads the records from the GraphQL endpoint', async () => {
    const version = client.config.org.apiVersion;
    const response = await client.conn.request<{
      data?: {
        uiapi: {
          query: {
            Forecast__c: { edges: Array<{ node: Record<string, { value: unknown } | string> }> };
          };
        };
      };
      errors?: unknown[];
    }>({
      method: 'POST',
      url: `/services/data/v${version}/graphql`,
      body: JSON.stringify({
        query: consoleQuery(),
        variables: { periodType: 'Quarter', pageSize: 50 }
      }),
      headers: { 'content-type': 'application/json' }
    });
    expect(response.errors ?? []).toEqual([]);
    const nodes = response.data?.uiapi.query.Forecast__c.edges.map((e) => e.node) ?? [];
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      expect((node.Period_Type__c as { value: unknown }).value).toBe('Quarter');
      expect((node.As_Of__c as { value: unknown }).value).toBe(AS_OF);
      expect(Number((node.P10__c as { value: unknown }).value)).toBeLessThanOrEqual(
        Number((node.P90__c as { value: unknown }).value)
      );
      expect((node.Backtest_WAPE__c as { value: unknown }).value).not.toBeNull();
    }
  }, 60_000);

  it('does not write when asked only to compute', async () => {
    const before = await count(client, 'SELECT COUNT() FROM Forecast__c');
    const result = await refreshForecast(
      client,
      {
        asOf: '2026-10-01',
        seed: 1,
        write: false,
        backtestMonths: 0,
        backtestQuarters: 0,
        options: { draws: 500 }
      },
      NOW
    );
    expect(result.records.forecasts.length).toBeGreaterThan(0);
    expect(result.written.forecasts).toBe(0);
    expect(await count(client, 'SELECT COUNT() FROM Forecast__c')).toBe(before);
  }, 120_000);

  it('asl forecast --org writes the same records as the job (no duplicates) and prints JSON', async () => {
    const before = await count(client, 'SELECT COUNT() FROM Forecast__c');
    const out = JSON.parse(
      await asl([
        'forecast',
        '--org',
        test.url,
        '--as-of',
        AS_OF,
        '--seed',
        '7',
        '--draws',
        '2000',
        '--json'
      ])
    );
    expect(out.asOf).toBe(AS_OF);
    expect(out.seed).toBe(7);
    expect(out.written.forecasts).toBeGreaterThan(0);
    expect(out.written.failed).toEqual([]);
    // Engine_Signal__e FORECAST, for the console to refresh (platform events cannot be queried
    // back with SOQL, so the publish result is what is checked).
    expect(out.written.signal).toBe(true);
    expect(out.accuracy.month.source).toBe('backtest');
    // Same method, periods and as-of date as the job's run: the keys match, so it updates.
    expect(await count(client, 'SELECT COUNT() FROM Forecast__c')).toBe(before);
  }, 120_000);

  it('asl backtest --org reads the history from the org and scores every method', async () => {
    const out = JSON.parse(
      await asl([
        'backtest',
        '--org',
        test.url,
        '--as-of',
        AS_OF,
        '--from',
        '2026-05-01',
        '--to',
        '2026-10-01',
        '--draws',
        '500',
        '--json'
      ])
    );
    expect(out.source).toContain('SOQL');
    expect(out.rows.map((r: { period: string }) => r.period)).toEqual([
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10'
    ]);
    expect(out.scores.map((s: { method: string }) => s.method)).toEqual([
      'model',
      'lastPeriod',
      'trailing3',
      'seasonalNaive',
      'stageWeighted'
    ]);
    expect(out.leakage.every((l: { passed: boolean }) => l.passed)).toBe(true);
  }, 300_000);

  it("runs the floor's own Forecast Refresh job as scheduled: its scope's periods and dimensions, as of the day it runs", async () => {
    const record = (
      await queryAll(
        client,
        "SELECT Id, Name, Scope__c FROM Engine_Job__c WHERE Type__c = 'Forecast Refresh'"
      )
    )[0];
    const scope = JSON.parse(String(record?.Scope__c)) as Record<string, unknown>;
    // The floor's job (services/local-org/demo-floor/jobs.ts) names the periods it forecasts;
    // whatever they are, the run writes exactly those.
    const periods = scope.periods as string[];
    expect(periods).toEqual(expect.arrayContaining(['Month', 'Quarter']));
    const handler = forecastRefreshJob(client);
    const result = await handler({
      job: { ...job({ ...scope, options: { draws: 1000 } }), id: String(record?.Id) },
      runKey: 'fc-floor',
      now: new Date('2026-11-17T06:00:00.000Z'),
      signal: new AbortController().signal
    });
    expect(result.summary).toContain('as of 2026-11-17, seed 1');
    const written = await queryAll(
      client,
      'SELECT Period_Type__c FROM Forecast__c WHERE As_Of__c = 2026-11-17'
    );
    expect(new Set(written.map((f) => f.Period_Type__c))).toEqual(new Set(periods));
    expect(result.partial).toBeFalsy();
  }, 120_000);

  it('rejects a scope it does not understand, naming the field', async () => {
    await expect(run(forecastRefreshJob(client), { perods: ['Month'] })).rejects.toThrow(/perods/);
    await expect(run(forecastRefreshJob(client), { periods: ['Week'] })).rejects.toThrow(
      /Month, Quarter and Year/
    );
  });

  it('writes the lines through Bulk API 2.0 when there are more than the bulk threshold, parents by external id', async () => {
    const bulkClient = await connectOrg(test.engineConfig({ writes: { bulkThreshold: 200 } }));
    const asOf = '2026-11-18';
    const result = await refreshForecast(
      bulkClient,
      {
        asOf,
        seed: 3,
        backtestMonths: 0,
        backtestQuarters: 0,
        // Two years of months and quarters: enough lines to pass the 200-record threshold.
        options: { draws: 500, horizon: { months: 24, quarters: 8, years: 2 } }
      },
      NOW
    );
    expect(result.records.lines.length).toBeGreaterThan(200);
    expect(result.written.failed).toEqual([]);
    expect(result.written.lines).toBe(result.records.lines.length);
    const parents = await queryAll(client, `SELECT Id FROM Forecast__c WHERE As_Of__c = ${asOf}`);
    const lines = await count(
      client,
      `SELECT COUNT() FROM Forecast_Line__c WHERE Forecast__r.As_Of__c = ${asOf}`
    );
    expect(parents.length).toBe(result.records.forecasts.length);
    expect(lines).toBe(result.records.lines.length);
  }, 120_000);

  it('is one of the engine features, as the Forecast Refresh job handler', () => {
    const feature = engineFeatures().find((f) => f.name === 'forecast');
    expect(Object.keys(feature?.jobs?.(client) ?? {})).toEqual(['Forecast Refresh']);
  });
});
