import type { IncomingMessage, Server } from 'node:http';
import path from 'node:path';
import { localOrgConfig } from '../../services/engine/cli/orgOption';
import type { EngineConfig } from '../../services/engine/config';
import { AssignmentEngine } from '../../services/engine/features/assignment';
import { connectOrg, type ConnectOptions, type OrgClient } from '../../services/engine/org/connection';
import { count, queryAll } from '../../services/engine/org/reads';
import { RequestLimitError } from '../../services/engine/org/retry';
import { writeRecords } from '../../services/engine/org/writes';
import { generateDemoFloor } from '../../services/local-org/demo-floor/generate';
import { StoreSink } from '../../services/local-org/demo-floor/storeSink';
import type { FaultRuleInput } from '../../services/local-org/options';
import { createLocalOrg, type LocalOrg } from '../../services/local-org/server';

// User story (issue #9, fault tolerance): whatever the org answers, the engine neither loses
// nor doubles a write, never hammers an org that asked it to wait, and says clearly when it
// cannot go on. One test per fault the local org injects (services/local-org/api/faults.ts),
// each driving the engine's own org adapter through jsforce over HTTP, and each citing the
// Salesforce documentation of the condition. (Per-record UNABLE_TO_LOCK_ROW in collections is
// covered in org-adapter.test.ts.)
const ROOT = path.resolve(__dirname, '..', '..');
const FAST_RETRY = { maxAttempts: 6, baseDelayMs: 20, maxDelayMs: 200 };

interface Sent {
  line: string;
  at: number;
}

describe('the engine under injected org faults', () => {
  let org: LocalOrg;
  let url: string;
  const sent: Sent[] = [];
  let admin: OrgClient;
  let integrationId: string;

  const config = (overrides: Partial<EngineConfig> = {}): EngineConfig => ({ ...localOrgConfig(url, {}), retry: FAST_RETRY, ...overrides });
  const engineClient = (options: ConnectOptions = {}, overrides: Partial<EngineConfig> = {}) => connectOrg(config(overrides), options);
  const faults = async (rules: FaultRuleInput[]): Promise<void> => {
    await fetch(`${url}/_local/faults`, { method: 'DELETE' });
    if (rules.length === 0) return;
    const response = await fetch(`${url}/_local/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });
    if (!response.ok) throw new Error(`fault rules refused: ${response.status} ${await response.text()}`);
  };
  /** The requests sent since `from` whose "METHOD /path" matches. */
  const sentSince = (from: number, pattern: RegExp): Sent[] => sent.slice(from).filter((entry) => pattern.test(entry.line));
  const ledgerRows = (prefix: string, total: number, extra: Record<string, unknown> = {}) =>
    Array.from({ length: total }, (_, index) => ({ Ledger_Key__c: `FAULT:${prefix}-${index}:1`, Stratum__c: 'Web|SMB', Draw__c: index, ...extra }));
  const ledgerCount = (prefix: string) => count(admin, `SELECT COUNT() FROM Assignment__c WHERE Ledger_Key__c LIKE 'FAULT:${prefix}-%'`);

  beforeAll(async () => {
    org = createLocalOrg({ dataDir: ':memory:', forceAppDir: path.join(ROOT, 'force-app/main/default') });
    await generateDemoFloor(new StoreSink(org.store), { leads: 0, seed: 'faults', asOf: new Date().toISOString() });
    org.context.onListen((server: Server) =>
      server.prependListener('request', (req: IncomingMessage) => {
        if (!req.url?.startsWith('/_local/')) sent.push({ line: `${req.method} ${req.url?.split('?')[0]}`, at: Date.now() });
      })
    );
    ({ url } = await org.listen(0, '127.0.0.1'));
    admin = await connectOrg(config());
    integrationId = admin.userId as string;
    // SDRs on shift around the clock and no flow-control hold: the runs here assign all they read.
    const stations = await queryAll(admin, 'SELECT Id FROM Station__c');
    await writeRecords(admin, [{ kind: 'update', sobject: 'Station__c', records: stations.map((station) => ({ Id: station.Id, Target_WIP__c: 100_000 })) }]);
    const reps = await queryAll(admin, "SELECT Id FROM Rep_Capacity__c WHERE Station_Keys__c LIKE '%SDR_CALL%'");
    await writeRecords(admin, [
      {
        kind: 'update',
        sobject: 'Rep_Capacity__c',
        records: reps.map((rep) => ({ Id: rep.Id, Active__c: true, Working_Days__c: 'Mon;Tue;Wed;Thu;Fri;Sat;Sun', Shift_Start_Hour__c: 0, Shift_End_Hour__c: 24, WIP_Cap__c: 100_000, Hourly_Cap_Override__c: 100_000, Leave_Start__c: null, Leave_End__c: null }))
      }
    ]);
  }, 60_000);
  afterEach(async () => {
    await faults([]);
  });
  afterAll(async () => {
    await org?.close();
  });

  it('503 SERVER_UNAVAILABLE: retries the same idempotent request with backoff and writes each record once', async () => {
    // REST API Developer Guide, "Status Codes and Error Responses": 503 "The server is
    // unavailable to handle the request. Typically this issue occurs if the server is down for
    // maintenance or is currently overloaded" - a temporary condition: try again later.
    const client = await engineClient();
    await faults([{ kind: 'http503', match: '^POST .*/composite$', rate: 1, times: 2 }]);
    const from = sent.length;
    const [report] = await writeRecords(client, [{ kind: 'upsert', sobject: 'Assignment__c', externalIdField: 'Ledger_Key__c', records: ledgerRows('503', 30) }]);
    expect(report?.failed).toEqual([]);
    expect(sentSince(from, /composite$/)).toHaveLength(3); // two refused, the third written
    expect(await ledgerCount('503')).toBe(30);

    // Reads (GET) are retried the same way, by jsforce itself.
    await faults([{ kind: 'http503', match: '^GET .*/query', rate: 1, times: 2 }]);
    expect(await count(client, "SELECT COUNT() FROM Assignment__c WHERE Ledger_Key__c LIKE 'FAULT:503-%'")).toBe(30);
  });

  it('429 Too Many Requests: waits at least the Retry-After before trying again, then writes', async () => {
    // RFC 6585 section 4 (429 Too Many Requests): "The response representations SHOULD include
    // details explaining the condition, and MAY include a Retry-After header indicating how
    // long to wait before making a new request." The org sends Retry-After: 1.
    const client = await engineClient();
    await faults([{ kind: 'http429', match: '^POST .*/composite$', rate: 1, times: 2 }]);
    const from = sent.length;
    const [report] = await writeRecords(client, [{ kind: 'upsert', sobject: 'Assignment__c', externalIdField: 'Ledger_Key__c', records: ledgerRows('429', 10) }]);
    expect(report?.failed).toEqual([]);
    const tries = sentSince(from, /composite$/);
    expect(tries).toHaveLength(3);
    for (let index = 1; index < tries.length; index += 1) {
      expect((tries[index] as Sent).at - (tries[index - 1] as Sent).at).toBeGreaterThanOrEqual(950);
    }
    expect(await ledgerCount('429')).toBe(10);
  });

  it('403 REQUEST_LIMIT_EXCEEDED (daily limit): stops at once, sends nothing while the window is closed, resumes after it', async () => {
    // Salesforce Developer Limits and Allocations Quick Reference, "API Request Limits and
    // Allocations": past the 24-hour allowance the org answers 403 REQUEST_LIMIT_EXCEEDED
    // "TotalRequests Limit exceeded." to every call; more calls cannot succeed before usage
    // falls, so retrying only spends what is left of the caller's patience.
    const client = await engineClient({ limitPauseMs: 1500 });
    const engine = new AssignmentEngine(client, {});
    await writeRecords(admin, [
      {
        kind: 'create',
        sobject: 'Lead',
        records: Array.from({ length: 12 }, (_, index) => ({ LastName: `Limit ${index}`, Company: `LIMIT-${index}`, LeadSource: 'Web', Segment__c: 'SMB' }))
      }
    ]);
    await faults([{ kind: 'requestLimit', match: '^(GET|POST|PATCH) /services/data', rate: 1 }]);
    const from = sent.length;
    await expect(engine.assignNow('SDR_CALL')).rejects.toThrow(RequestLimitError);
    expect(sentSince(from, /./)).toHaveLength(1); // one refused call, no retry
    // Events keep arriving while the window is closed: none of them reaches the org.
    for (let index = 0; index < 10; index += 1) await expect(engine.assignNow('SDR_CALL')).rejects.toThrow(/daily API request limit/);
    expect(sentSince(from, /./)).toHaveLength(1);
    expect(client.pausedUntil?.()).toBeGreaterThan(Date.now());

    // The window reopens: the next run goes through and assigns everything that waited.
    await faults([]);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const run = await engine.assignNow('SDR_CALL');
    expect(run.failed).toEqual([]);
    expect(await count(admin, `SELECT COUNT() FROM Lead WHERE Company LIKE 'LIMIT-%' AND OwnerId = '${integrationId}'`)).toBe(0);
    expect(await count(admin, "SELECT COUNT() FROM Lead WHERE Company LIKE 'LIMIT-%'")).toBe(12);
  });

  it('a new lead whose run fails: the listener has already moved on; the failure is logged with the next event and the next run assigns the lead', async () => {
    const client = await engineClient();
    const engine = new AssignmentEngine(client, {});
    const [arrivals] = engine.listeners();
    const [created] = await writeRecords(admin, [{ kind: 'create', sobject: 'Lead', records: [{ LastName: 'Unlucky', Company: 'FAILED-RUN-1', LeadSource: 'Web', Segment__c: 'SMB' }] }]);
    const leadId = String(created?.succeeded[0]?.id);
    const event = (replayId: number) => ({ payload: { ChangeEventHeader: { changeType: 'CREATE', recordIds: [leadId], commitTimestamp: Date.now() } }, event: { replayId } });

    // Every read of the run answers 503 until the retries are spent.
    await faults([{ kind: 'http503', match: '^POST /services/data/v[0-9.]+/composite$', rate: 1 }]);
    await arrivals?.handle(event(1));
    await engine.idle();
    await faults([]);
    expect(await count(admin, `SELECT COUNT() FROM Lead WHERE Id = '${leadId}' AND OwnerId = '${integrationId}'`)).toBe(1);

    // The next event carries the failure to the engine's event-error log, and asks for a run.
    await expect(arrivals?.handle(event(2))).rejects.toThrow(/assignment: a run at SDR_CALL failed \(.*\); its leads wait for the next run or the Catch Up Sweep/);
    await engine.idle();
    expect(await count(admin, `SELECT COUNT() FROM Lead WHERE Id = '${leadId}' AND OwnerId = '${integrationId}'`)).toBe(0);
    await expect(arrivals?.handle(event(3))).resolves.toBeUndefined();
  });

  it('INVALID_SESSION_ID: logs in again once and goes on; a fresh session refused again fails clearly', async () => {
    // REST API Developer Guide, "Status Codes and Error Responses": 401 "The session ID or
    // OAuth token used has expired or is invalid" - obtain a new token (OAuth 2.0, "Token
    // expiry") and send the request again; a new token refused too is not a timing problem.
    const client = await engineClient();
    await faults([{ kind: 'invalidSession', match: '^GET /services/data/.*/query', rate: 1, times: 1 }]);
    let from = sent.length;
    expect(await count(client, "SELECT COUNT() FROM Assignment__c WHERE Ledger_Key__c LIKE 'FAULT:503-%'")).toBe(30);
    expect(sentSince(from, /oauth2\/token/)).toHaveLength(1);

    const refused = await engineClient();
    await faults([{ kind: 'invalidSession', match: '^GET /services/data/.*/query', rate: 1 }]);
    from = sent.length;
    const failure = await count(refused, 'SELECT COUNT() FROM Lead').catch((error: unknown) => error);
    // jsforce wraps the refresh failure ("Unable to refresh session due to: ..."); the engine's
    // AuthError message names the cause and the fix.
    expect(failure).toBeInstanceOf(Error);
    expect(String((failure as Error).message)).toMatch(/Unable to refresh session due to: the org refused a freshly issued session; check the integration user/);
    expect(sentSince(from, /oauth2\/token/)).toHaveLength(1); // once, not a login loop
    expect(sentSince(from, /query/)).toHaveLength(2);
  });

  it('timeouts: a request with no answer is abandoned after the request timeout and sent again', async () => {
    // A hung connection must not stall a run: jsforce's default fetch timeout is 30 minutes;
    // the engine bounds every request (org/connection.ts) and repeats only what is safe to
    // repeat (an upsert by external id, REST API Developer Guide, "Upsert a Record Using an
    // External ID": the same request again updates the record it created).
    const client = await engineClient({ requestTimeoutMs: 400 });
    await faults([{ kind: 'latency', match: '^POST .*/composite$', rate: 1, times: 1, latencyMs: 1500 }]);
    const from = sent.length;
    const [report] = await writeRecords(client, [{ kind: 'upsert', sobject: 'Assignment__c', externalIdField: 'Ledger_Key__c', records: ledgerRows('slow', 20) }]);
    expect(report?.failed).toEqual([]);
    expect(sentSince(from, /composite$/)).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the slow first request lands late
    expect(await ledgerCount('slow')).toBe(20);

    await faults([{ kind: 'latency', match: '^GET .*/query', rate: 1, times: 1, latencyMs: 1500 }]);
    expect(await count(client, "SELECT COUNT() FROM Assignment__c WHERE Ledger_Key__c LIKE 'FAULT:slow-%'")).toBe(20);
  });

  it('dropped connections: an upsert is sent again; a create is never sent twice', async () => {
    // A dropped connection leaves it unknown whether the org saved the request. Upserts by
    // external id and updates by Id are safe to send again; a create is not (it would insert a
    // second record), so the engine reports the failure and the next run repairs from the ledger.
    const client = await engineClient();
    await faults([{ kind: 'drop', match: '^POST .*/composite$', rate: 1, times: 1 }]);
    let from = sent.length;
    const [report] = await writeRecords(client, [{ kind: 'upsert', sobject: 'Assignment__c', externalIdField: 'Ledger_Key__c', records: ledgerRows('drop', 15) }]);
    expect(report?.failed).toEqual([]);
    expect(sentSince(from, /composite$/)).toHaveLength(2);
    expect(await ledgerCount('drop')).toBe(15);

    await faults([{ kind: 'drop', match: '^POST .*/composite$', rate: 1, times: 1 }]);
    from = sent.length;
    const created = writeRecords(client, [{ kind: 'create', sobject: 'Lead', records: [{ LastName: 'Dropped', Company: 'DROP-1' }] }]);
    await expect(created).rejects.toThrow(/socket hang up|ECONNRESET|terminated|fetch failed|other side closed/i);
    expect(sentSince(from, /composite$/)).toHaveLength(1);
    expect(await count(admin, "SELECT COUNT() FROM Lead WHERE Company = 'DROP-1'")).toBeLessThanOrEqual(1);
  });

  it('partial Bulk API 2.0 failures: only the failed rows go again, through collections; a bad row is reported, not retried', async () => {
    // Bulk API 2.0 Developer Guide, "Get Job Failed Record Results": each failed row comes back
    // with sf__Error ("UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record");
    // the other rows are saved. A lock is temporary, a bad value is not.
    const client = await engineClient({}, { writes: { bulkThreshold: 200 } });
    await faults([{ kind: 'lockRow', match: '^BULK /jobs/ingest/Assignment__c', rate: 0.2 }]);
    const rows: Array<Record<string, unknown>> = ledgerRows('bulk', 600);
    rows[7] = { ...rows[7], Draw__c: 'not a number' };
    const from = sent.length;
    const [report] = await writeRecords(client, [{ kind: 'upsert', sobject: 'Assignment__c', externalIdField: 'Ledger_Key__c', records: rows }]);
    const locked = ((await (await fetch(`${url}/_local/faults`)).json()) as { rules: Array<{ injected: number }> }).rules[0]?.injected ?? 0;
    expect(locked).toBeGreaterThan(0);
    expect(report?.failed).toEqual([expect.objectContaining({ key: 'FAULT:bulk-7:1' })]);
    expect(report?.succeeded).toHaveLength(599);
    // One ingest job, and the locked rows (fewer than 1,000) again in a single composite call.
    expect(sentSince(from, /^POST .*\/jobs\/ingest$/)).toHaveLength(1);
    expect(sentSince(from, /^POST .*\/composite$/)).toHaveLength(1);
    expect(await ledgerCount('bulk')).toBe(599);
  });
});
