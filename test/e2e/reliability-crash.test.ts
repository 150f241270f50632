import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRng } from '../../services/engine/core/random';
import { AssignmentEngine } from '../../services/engine/features/assignment';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { count, queryAll } from '../../services/engine/org/reads';
import { writeRecords } from '../../services/engine/org/writes';
import { localOrgConfig } from '../../services/engine/cli/orgOption';
import { generateDemoFloor } from '../../services/local-org/demo-floor/generate';
import { StoreSink } from '../../services/local-org/demo-floor/storeSink';
import { createLocalOrg, type LocalOrg } from '../../services/local-org/server';

// User story (issue #9, crash safety): the engine is killed with SIGKILL at any point, in the
// middle of an assignment run, of a Bulk API 2.0 job or of a rebalance, and restarted by its
// orchestrator. After the last restart the org must be in the same state as after a run that
// was never interrupted: every lead assigned once, to an active rep, with its ledger row
// (Assignment__c) and no second one; the rebalance finished; no run log left "Running".
//
// The engine runs as a child process (the production entry point, services/engine/main.ts),
// and the org in this process, so the test sees every request the engine sends and can kill
// it at a chosen request of a chosen phase: deterministic coverage of each phase from a seed.
const ROOT = path.resolve(__dirname, '..', '..');
const NODE = path.join(ROOT, 'node_modules', '.bin', 'node');
const SEED = 'crash-1';
const WAITING = 400; // > bulk threshold: the sweep writes ledger rows and owners through Bulk API 2.0
const PREASSIGNED = 150; // rebalanced through collections
/**
 * One round per entry: a fresh org, its first incarnation killed inside this phase (at the
 * k-th request of it when k is given, else at a seeded one), the second at a seeded request.
 */
const ROUNDS: ReadonlyArray<[Phase, number?]> = [['startup'], ['composite'], ['bulk'], ['ingest', 2], ['composite'], ['bulk'], ['any']];
const STATION = 'SDR_CALL';

// Phases by the requests the engine sends: the first requests of a start (login, job sync),
// composite calls (the rebalance's reads and writes, the run log, the sweep's reads and
// owner updates) and Bulk API 2.0 ingest jobs (the sweep's ledger rows and owners).
// The second ingest job created is the owners' one: its ledger rows are already in the org.
type Phase = 'startup' | 'bulk' | 'ingest' | 'composite' | 'any';
const PHASES: Record<Phase, RegExp> = {
  startup: /./,
  bulk: /\/jobs\/ingest/,
  ingest: /^POST .*\/jobs\/ingest$/,
  composite: /^POST .*\/composite$/,
  any: /./
};

interface Tap {
  /** Calls `onRequest` for each request the engine sends. */
  onRequest?: (line: string) => void;
  lines: string[];
}

interface Scenario {
  org: LocalOrg;
  url: string;
  tap: Tap;
  client: OrgClient;
  jobId: string;
  leavingRep: string;
  /** Companies of the leads the leaving rep owned: each gets a Rebalance ledger row. */
  rebalanced: Set<string>;
  integrationId: string;
  close(): Promise<void>;
}

async function buildScenario(): Promise<Scenario> {
  const org = createLocalOrg({ dataDir: ':memory:', forceAppDir: path.join(ROOT, 'force-app/main/default') });
  await generateDemoFloor(new StoreSink(org.store), { leads: 0, seed: SEED, asOf: new Date().toISOString() });
  const tap: Tap = { lines: [] };
  org.context.onListen((server: Server) =>
    server.prependListener('request', (req: IncomingMessage) => {
      if (req.url?.startsWith('/_local/')) return;
      const line = `${req.method} ${req.url?.split('?')[0]}`;
      tap.lines.push(line);
      tap.onRequest?.(line);
    })
  );
  const { url } = await org.listen(0, '127.0.0.1');
  const client = await connectOrg({ ...localOrgConfig(url, {}), writes: { bulkThreshold: 200 } });
  const integrationId = client.userId as string;

  // Nothing scheduled interferes; every SDR works around the clock with room to take all.
  const jobs = await queryAll(client, 'SELECT Id FROM Engine_Job__c');
  await mustWrite(client, 'update', 'Engine_Job__c', jobs.map((job) => ({ Id: job.Id, Enabled__c: false })));
  // Flow control (a downstream station over its WIP target holds leads back) is not under test.
  const stations = await queryAll(client, 'SELECT Id FROM Station__c');
  await mustWrite(client, 'update', 'Station__c', stations.map((station) => ({ Id: station.Id, Target_WIP__c: 100_000 })));
  const reps = await queryAll(client, `SELECT Id, User__c FROM Rep_Capacity__c WHERE Station_Keys__c LIKE '%${STATION}%'`);
  await mustWrite(
    client,
    'update',
    'Rep_Capacity__c',
    reps.map((rep) => ({ Id: rep.Id, Active__c: true, Working_Days__c: 'Mon;Tue;Wed;Thu;Fri;Sat;Sun', Shift_Start_Hour__c: 0, Shift_End_Hour__c: 24, WIP_Cap__c: 100_000, Hourly_Cap_Override__c: 100_000, Leave_Start__c: null, Leave_End__c: null }))
  );

  // Leads a rep owns, from an earlier run; then the rep leaves: the rebalance redraws them.
  await mustWrite(client, 'create', 'Lead', leadsNamed('B', PREASSIGNED));
  const setup = new AssignmentEngine(client, {});
  const first = await setup.assignNow(STATION, { seed: 'setup' });
  if (first.rows.length !== PREASSIGNED) throw new Error(`setup assigned ${first.rows.length} of ${PREASSIGNED} leads`);
  const byRep = new Map<string, number>();
  for (const row of first.rows) byRep.set(row.repId, (byRep.get(row.repId) ?? 0) + 1);
  const leavingRep = [...byRep].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] as string;
  const leaving = reps.find((rep) => rep.User__c === leavingRep);
  await mustWrite(client, 'update', 'Rep_Capacity__c', [{ Id: leaving?.Id, Active__c: false }]);
  const owned = await queryAll(client, `SELECT Company FROM Lead WHERE OwnerId = '${leavingRep}' AND Company LIKE 'B-%'`);
  const rebalanced = new Set(owned.map((lead) => String(lead.Company)));

  // New leads waiting for the engine's start-up sweep, and a rebalance requested with "run now".
  await mustWrite(client, 'create', 'Lead', leadsNamed('A', WAITING));
  const [job] = await mustWrite(client, 'create', 'Engine_Job__c', [
    { Name: 'Crash test rebalance', Type__c: 'Rebalance', Enabled__c: false, Run_Now__c: true, Scope__c: JSON.stringify({ stations: [STATION] }) }
  ]);
  tap.lines.length = 0;
  return { org, url, tap, client, jobId: job as string, leavingRep, rebalanced, integrationId, close: () => org.close() };
}

function leadsNamed(prefix: string, total: number): Array<Record<string, unknown>> {
  const sources = ['Web', 'Referral', 'Partner'];
  const segments = ['SMB', 'Mid-Market'];
  return Array.from({ length: total }, (_, index) => ({
    LastName: `Crash ${prefix}${index}`,
    Company: `${prefix}-${String(index).padStart(4, '0')}`,
    LeadSource: sources[index % sources.length],
    Segment__c: segments[index % segments.length]
  }));
}

async function mustWrite(client: OrgClient, kind: 'create' | 'update', sobject: string, records: Array<Record<string, unknown>>): Promise<string[]> {
  const [report] = await writeRecords(client, [{ kind, sobject, records }]);
  if (report?.failed.length) throw new Error(`${sobject} ${kind}: ${JSON.stringify(report.failed.slice(0, 3))}`);
  return (report?.succeeded ?? []).map((outcome) => outcome.id ?? outcome.key);
}

interface EngineProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
}

/** Every engine started, so a failing test still ends them all. */
const children = new Set<ChildProcess>();

function startEngine(scenario: Scenario, stateDir: string): EngineProcess {
  const child = spawn(NODE, ['--import', 'tsx', path.join(ROOT, 'services/engine/main.ts'), '--state-dir', stateDir], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ASL_ORG_LOGIN_URL: scenario.url,
      ASL_ORG_AUTH: 'password',
      ASL_ORG_CLIENT_ID: 'asl-local-demo',
      ASL_ORG_USERNAME: 'engine.integration@asl-floor.example',
      ASL_ORG_PASSWORD: 'local-org',
      ASL_BULK_THRESHOLD: '200',
      ASL_LOG_LEVEL: 'info'
    },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  children.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => children.delete(child));
  return { child, exited, output: () => output };
}

interface Progress {
  waiting: number;
  stillWithLeaver: number;
  jobStatus: string | null;
  runNow: boolean;
}

async function progress(scenario: Scenario): Promise<Progress> {
  const { client } = scenario;
  const [job] = await queryAll(client, `SELECT Status__c, Run_Now__c FROM Engine_Job__c WHERE Id = '${scenario.jobId}'`);
  return {
    waiting: await count(client, `SELECT COUNT() FROM Lead WHERE Company LIKE 'A-%' AND OwnerId = '${scenario.integrationId}'`),
    stillWithLeaver: await count(client, `SELECT COUNT() FROM Lead WHERE Company LIKE 'B-%' AND OwnerId = '${scenario.leavingRep}'`),
    jobStatus: (job?.Status__c as string | null) ?? null,
    runNow: job?.Run_Now__c === true
  };
}

const isDone = (state: Progress): boolean => state.waiting === 0 && state.stillWithLeaver === 0 && state.jobStatus === 'Idle' && !state.runNow;

async function waitDone(scenario: Scenario, engine: EngineProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await progress(scenario);
    if (isDone(state)) return;
    if (engine.child.exitCode !== null) throw new Error(`the engine exited (${engine.child.exitCode}) before finishing: ${JSON.stringify(state)}\n${engine.output()}`);
    if (Date.now() > deadline) throw new Error(`the engine did not finish within ${timeoutMs} ms: ${JSON.stringify(state)}\n${engine.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The last incarnation may find nothing left to do; it must still have started fully. */
async function waitRunning(engine: EngineProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!engine.output().includes('"msg":"engine running"')) {
    if (engine.child.exitCode !== null || Date.now() > deadline) throw new Error(`the engine did not start: ${engine.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopGracefully(engine: EngineProcess): Promise<void> {
  await waitRunning(engine, 30_000);
  engine.child.kill('SIGTERM');
  const code = await engine.exited;
  if (code !== 0) throw new Error(`the engine stopped with code ${code}: ${engine.output()}`);
}

/** The end state that must not depend on crashes (the draws themselves are random per run). */
interface EndState {
  leads: number;
  ledgerRows: number;
  problems: string[];
  jobRunsLeftRunning: number;
  lastJobOutcome: string | null;
}

async function endState(scenario: Scenario): Promise<EndState> {
  const { client } = scenario;
  const reps = await queryAll(client, `SELECT User__c, Active__c FROM Rep_Capacity__c WHERE Station_Keys__c LIKE '%${STATION}%'`);
  const active = new Set(reps.filter((rep) => rep.Active__c === true).map((rep) => String(rep.User__c)));
  const leads = await queryAll(client, "SELECT Id, Company, OwnerId FROM Lead WHERE Company LIKE 'A-%' OR Company LIKE 'B-%'");
  const ledger = await queryAll(client, `SELECT Asset_Id__c, Rep__c, Method__c, Stratum__c, Block__c, Block_Size__c, Draw__c FROM Assignment__c`);
  const rowsByLead = new Map<string, Array<Record<string, unknown>>>();
  for (const row of ledger) rowsByLead.set(String(row.Asset_Id__c), [...(rowsByLead.get(String(row.Asset_Id__c)) ?? []), row]);
  const problems: string[] = [];
  for (const lead of leads) {
    const rows = rowsByLead.get(String(lead.Id)) ?? [];
    const owner = String(lead.OwnerId);
    const company = String(lead.Company);
    if (!active.has(owner)) problems.push(`${company} is owned by ${owner}, not an active ${STATION} rep`);
    const expected = scenario.rebalanced.has(company) ? ['Permuted Block', 'Rebalance'] : ['Permuted Block'];
    const methods = rows.map((row) => String(row.Method__c)).sort();
    if (JSON.stringify(methods) !== JSON.stringify(expected)) problems.push(`${company} has ledger rows ${JSON.stringify(methods)}, expected ${JSON.stringify(expected)}`);
    const latest = rows.find((row) => row.Method__c === expected[expected.length - 1]);
    if (latest && latest.Rep__c !== owner) problems.push(`${company}: ledger says ${String(latest.Rep__c)}, owner is ${owner}`);
  }
  // The blocks: a draw position is used once, and no block holds more draws than its size.
  const positions = new Map<string, number>();
  const blockFill = new Map<string, { rows: number; size: number }>();
  for (const row of ledger) {
    const block = `${String(row.Stratum__c)}#${String(row.Block__c)}`;
    const position = `${block}#${String(row.Draw__c)}`;
    positions.set(position, (positions.get(position) ?? 0) + 1);
    const fill = blockFill.get(block) ?? { rows: 0, size: Number(row.Block_Size__c) };
    fill.rows += 1;
    blockFill.set(block, fill);
  }
  for (const [position, uses] of positions) if (uses > 1) problems.push(`draw ${position} was used ${uses} times`);
  for (const [block, fill] of blockFill) if (fill.rows > fill.size) problems.push(`block ${block} holds ${fill.rows} draws, its size is ${fill.size}`);
  const runs = await queryAll(client, `SELECT Outcome__c, Started_At__c FROM Job_Run__c WHERE Engine_Job__c = '${scenario.jobId}' ORDER BY Started_At__c DESC`);
  return {
    leads: leads.length,
    ledgerRows: ledger.length,
    problems,
    jobRunsLeftRunning: runs.filter((run) => run.Outcome__c === 'Running').length,
    lastJobOutcome: (runs[0]?.Outcome__c as string | undefined) ?? null
  };
}

function phaseCounts(lines: readonly string[]): Record<Phase, number> {
  const matching = (pattern: RegExp) => lines.filter((line) => pattern.test(line)).length;
  return { startup: 6, bulk: matching(PHASES.bulk), ingest: matching(PHASES.ingest), composite: matching(PHASES.composite), any: lines.length };
}

/** What a kill interrupted, read from the org right after it. */
interface KillRecord {
  phase: Phase;
  at: number;
  /** The request that triggered the kill (undefined: the incarnation finished first). */
  request?: string;
  state: Progress;
  /** Ledger rows of the waiting leads whose owner update had not landed yet. */
  ledgerAhead: number;
}

async function ledgerAhead(scenario: Scenario): Promise<number> {
  const waiting = await queryAll(scenario.client, `SELECT Id FROM Lead WHERE Company LIKE 'A-%' AND OwnerId = '${scenario.integrationId}'`);
  if (waiting.length === 0) return 0;
  const ids = new Set(waiting.map((lead) => String(lead.Id)));
  const rows = await queryAll(scenario.client, "SELECT Asset_Id__c FROM Assignment__c WHERE Method__c = 'Permuted Block'");
  return rows.filter((row) => ids.has(String(row.Asset_Id__c))).length;
}

/** Starts the engine and SIGKILLs it when the at-th request of the phase arrives. */
async function killedIncarnation(scenario: Scenario, stateDir: string, phase: Phase, at: number): Promise<KillRecord> {
  const engine = startEngine(scenario, stateDir);
  let seen = 0;
  let request: string | undefined;
  scenario.tap.onRequest = (line) => {
    if (request === undefined && PHASES[phase].test(line) && ++seen >= at) {
      request = line;
      engine.child.kill('SIGKILL');
    }
  };
  // An incarnation that finishes its work before the kill point is killed while idle.
  const outcome = await Promise.race([engine.exited.then(() => 'exited' as const), waitDone(scenario, engine, 30_000).then(() => 'done' as const)]).catch(() => 'exited' as const);
  if (outcome === 'done' && request === undefined) engine.child.kill('SIGKILL');
  await engine.exited;
  scenario.tap.onRequest = undefined;
  return { phase, at, ...(request ? { request } : {}), state: await progress(scenario), ledgerAhead: await ledgerAhead(scenario) };
}

describe('crash safety: the engine killed with SIGKILL resumes and ends as if never killed', () => {
  let stateRoot: string;
  const scenarios: Scenario[] = [];
  beforeAll(() => {
    stateRoot = mkdtempSync(path.join(os.tmpdir(), 'asl-crash-'));
    // A killed client leaves its request half-read: the org logs "aborted", which is expected here.
    const log = console.error.bind(console);
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      if (String(args[0]).startsWith('[local-org] unexpected error') && /aborted|ECONNRESET/.test(String(args[1]))) return;
      log(...args);
    });
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    jest.restoreAllMocks();
    for (const scenario of scenarios) await scenario.close();
    rmSync(stateRoot, { recursive: true, force: true });
  });

  it('reaches the reference end state after kills at seeded points of every phase', async () => {
    // The reference: one uninterrupted engine.
    const reference = await buildScenario();
    scenarios.push(reference);
    const uninterrupted = startEngine(reference, path.join(stateRoot, 'reference'));
    await waitDone(reference, uninterrupted, 60_000);
    await stopGracefully(uninterrupted);
    const expected = await endState(reference);
    expect(expected.problems).toEqual([]);
    expect(expected).toMatchObject({ leads: WAITING + PREASSIGNED, ledgerRows: WAITING + PREASSIGNED + reference.rebalanced.size, jobRunsLeftRunning: 0, lastJobOutcome: 'Succeeded' });
    const counts = phaseCounts(reference.tap.lines);
    await reference.close();
    scenarios.length = 0;

    // Each round: the same scenario in a fresh org, killed inside the round's phase, then at a
    // random request of what is left, then restarted to the end.
    const rng = createRng(SEED);
    const kills: KillRecord[] = [];
    for (const [round, [phase, fixed]] of ROUNDS.entries()) {
      const crashed = await buildScenario();
      scenarios.push(crashed);
      const stateDir = path.join(stateRoot, `round-${round}`);
      kills.push(await killedIncarnation(crashed, stateDir, phase, fixed ?? 1 + rng.int(0, counts[phase] - 1)));
      kills.push(await killedIncarnation(crashed, stateDir, 'any', 1 + rng.int(0, Math.max(0, Math.floor(counts.any / 2) - 1))));
      const last = startEngine(crashed, stateDir);
      await waitDone(crashed, last, 30_000);
      await stopGracefully(last);
      const actual = await endState(crashed);
      expect({ round, phase, ...actual }).toEqual({ round, phase, ...expected });
      await crashed.close();
      scenarios.length = 0;
    }

    // The kills really interrupted each phase (the plan is not vacuous): a rebalance in flight,
    // a Bulk API 2.0 job with leads still waiting, ledger rows written before their owners.
    const summary = JSON.stringify(kills);
    expect(kills.some((kill) => kill.state.jobStatus === 'Running') ? 'mid-rebalance' : summary).toBe('mid-rebalance');
    expect(kills.some((kill) => kill.request !== undefined && PHASES.bulk.test(kill.request) && kill.state.waiting > 0) ? 'mid-bulk' : summary).toBe('mid-bulk');
    expect(kills.some((kill) => kill.ledgerAhead > 0) ? 'mid-assignment' : summary).toBe('mid-assignment');
  }, 180_000);
});
