import { runAssignment, type LedgerCache } from '../../services/engine/features/assignment/assignRun';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { queryAll } from '../../services/engine/org/reads';
import { startTestOrg, type TestOrg } from '../support/localOrg';

const SDRS = "SELECT Id, User__c FROM Rep_Capacity__c WHERE Station_Keys__c LIKE '%SDR_CALL%' AND Active__c = true ORDER BY Key__c";

let serial = 0;
/** Inbound SMB web leads, one at a time. */
async function newWebLeads(client: OrgClient, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    serial += 1;
    await client.conn.sobject('Lead').create({ LastName: `Inbound ${serial}`, Company: `Inbound ${serial}`, LeadSource: 'Web', Segment__c: 'SMB' });
  }
}

/** Every SDR works around the clock with no other limit than `caps` (hourly cap, weight), so only the rate window decides. */
async function sdrsAroundTheClock(client: OrgClient, caps: Record<string, unknown>): Promise<Array<Record<string, unknown>>> {
  const reps = await queryAll(client, SDRS);
  await client.conn.sobject('Rep_Capacity__c').update(
    reps.map((rep) => ({ Id: String(rep.Id), Time_Zone__c: 'UTC', Shift_Start_Hour__c: 0, Shift_End_Hour__c: 24, Working_Days__c: 'Mon;Tue;Wed;Thu;Fri;Sat;Sun', Leave_Start__c: null, Leave_End__c: null, WIP_Cap__c: null, Skills__c: null, ...caps })),
    { allowRecursive: true }
  );
  return reps;
}

// User story: field visits take three hours, so a rep gets at most one new visit per three
// hours (the hourly cap follows from the handling time). A draw two and a half hours ago must
// still hold the rep back, although the engine re-reads only 65 minutes of the ledger by default.
const FIRST_RUN = new Date('2026-11-16T10:00:00.000Z');
const minutesAfter = (minutes: number) => new Date(FIRST_RUN.getTime() + minutes * 60_000);

describe('the rate window of a station whose task takes longer than an hour', () => {
  let test: TestOrg;
  let client: OrgClient;
  let integrationId: string;
  let sdrs: number;
  let fastRep: string;
  let fastRepCapacityId: string;

  const newLeads = (n: number) => newWebLeads(client, n);
  const run = (now: Date, dryRun = false) => runAssignment(client, { station: 'SDR_CALL', now, unassignedOwnerId: integrationId, takesUnstationed: true, dryRun, seed: `visits-${now.getTime()}` });

  beforeAll(async () => {
    test = await startTestOrg({ leads: 0, seed: 'rate-window-e2e' });
    client = await connectOrg(test.engineConfig());
    integrationId = client.userId as string;
    const reps = await sdrsAroundTheClock(client, { Hourly_Cap_Override__c: null });
    sdrs = reps.length;
    fastRep = String(reps[0]?.User__c);
    fastRepCapacityId = String(reps[0]?.Id);
    const [station] = await queryAll(client, "SELECT Id FROM Station__c WHERE Key__c = 'SDR_CALL'");
    await client.conn.sobject('Station__c').update({ Id: String(station?.Id), Handling_Minutes__c: 180, Hourly_Cap_Override__c: null, Target_WIP__c: 0 });
  }, 120_000);
  afterAll(async () => {
    await test?.close();
  });

  it('holds every rep back for the whole handling time, also when later blocks have opened, then lets each draw again', async () => {
    expect(sdrs).toBeGreaterThan(2);
    await newLeads(sdrs);
    const first = await run(FIRST_RUN);
    expect(first.rows).toHaveLength(sdrs);

    // One rep has a cap of 20 an hour: half an hour on, only they can draw, and their draws
    // open new blocks, so the first draws are no longer in any open block.
    await client.conn.sobject('Rep_Capacity__c').update({ Id: fastRepCapacityId, Hourly_Cap_Override__c: 20 });
    await newLeads(3);
    const fast = await run(minutesAfter(30));
    expect(fast.rows.map((row) => row.repId)).toEqual([fastRep, fastRep, fastRep]);

    // 150 minutes on: beyond the 65 minutes read by default, inside the 180-minute window of
    // the others; the fast rep's hour has passed.
    await newLeads(sdrs);
    const held = await run(minutesAfter(150), true);
    expect(held.rows.map((row) => row.repId)).toEqual(Array.from({ length: sdrs }, () => fastRep));

    // 181 minutes on, the first draws have left the window: every rep draws again.
    const after = await run(minutesAfter(181));
    expect(new Set(after.rows.map((row) => row.repId)).size).toBe(sdrs);
  });
});

// Technical story: at thousands of leads an hour, a run that re-read the whole hour of the
// ledger read more with every lead. The running engine keeps the window's draws and reads
// only what came after its own last run, and notices any other writer.
describe('the running engine reads the ledger incrementally', () => {
  let test: TestOrg;
  let client: OrgClient;
  let integrationId: string;
  let sdrs: number;
  const start = new Date('2026-11-16T10:00:00.000Z');
  const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
  const newLeads = (n: number) => newWebLeads(client, n);
  const cache: LedgerCache = { rows: new Map() };
  const run = (now: Date, withCache = true) => runAssignment(client, { station: 'SDR_CALL', now, unassignedOwnerId: integrationId, takesUnstationed: true, seed: `inc-${now.getTime()}`, ...(withCache ? { cache } : {}) });
  const perRep = (rows: Array<{ repId: string }>) => [...rows.reduce((m, row) => m.set(row.repId, (m.get(row.repId) ?? 0) + 1), new Map<string, number>()).values()];

  beforeAll(async () => {
    test = await startTestOrg({ leads: 0, seed: 'incremental-window-e2e' });
    client = await connectOrg(test.engineConfig());
    integrationId = client.userId as string;
    // Equal weights, one new lead an hour each.
    sdrs = (await sdrsAroundTheClock(client, { Hourly_Cap_Override__c: 1, Weight__c: 1 })).length;
    const [station] = await queryAll(client, "SELECT Id FROM Station__c WHERE Key__c = 'SDR_CALL'");
    await client.conn.sobject('Station__c').update({ Id: String(station?.Id), Target_WIP__c: 0 });
  }, 120_000);
  afterAll(async () => {
    await test?.close();
  });

  const oneEach = () => Array.from({ length: sdrs }, () => 1);

  it('counts the caps from the draws it kept, reading only the rows since its last state', async () => {
    await newLeads(sdrs);
    const first = await run(start);
    expect(perRep(first.rows)).toEqual(oneEach());
    expect(first.ledgerRowsRead).toBe(0);

    // Ten minutes on, every rep is at the cap: the kept draws say so, and only the first run's
    // own rows (at its state's second) are read again.
    await newLeads(sdrs);
    const capped = await run(at(10));
    expect(capped.rows).toHaveLength(0);
    expect(capped.waiting.every((entry) => entry.detail.includes('hourly cap'))).toBe(true);
    expect(capped.stateSource).toBe('stored');
    expect(capped.ledgerRowsRead).toBe(sdrs);

    // An hour on, the first draws have left the window.
    const later = await run(at(61));
    expect(perRep(later.rows)).toEqual(oneEach());
    expect(later.stateSource).toBe('stored');
    expect(later.ledgerRowsRead).toBe(sdrs);
  });

  it('reads the whole window again when another process has drawn meanwhile, and counts its draws', async () => {
    await newLeads(sdrs);
    const own = await run(at(122));
    expect(perRep(own.rows)).toEqual(oneEach());
    // `asl assign` from a laptop whose clock is 6 seconds behind, without this engine's cache:
    // the engine's draws are in its future, so it draws one more each, written before them.
    await newLeads(sdrs);
    const other = await run(new Date(at(122).getTime() - 6000), false);
    expect(perRep(other.rows)).toEqual(oneEach());

    // Now two an hour each: the laptop's draws and the engine's make two, so nobody may draw.
    const reps = await queryAll(client, SDRS);
    await client.conn.sobject('Rep_Capacity__c').update(reps.map((rep) => ({ Id: String(rep.Id), Hourly_Cap_Override__c: 2 })), { allowRecursive: true });
    await newLeads(sdrs);
    const next = await run(at(123));
    expect(next.rows).toHaveLength(0);
    expect(next.waiting).toHaveLength(sdrs);
    // Rows since the engine's own last state would miss the laptop's: the whole window (65
    // minutes) is read instead, with the draws at 61 and 122 minutes and the laptop's.
    expect(next.ledgerRowsRead).toBe(3 * sdrs);

    // The laptop's state is not the ledger's (the engine's draws came after it): the engine
    // rebuilds its blocks, and once it has drawn and stored a state, reads incrementally again.
    await client.conn.sobject('Rep_Capacity__c').update(reps.map((rep) => ({ Id: String(rep.Id), Hourly_Cap_Override__c: 3 })), { allowRecursive: true });
    const drawn = await run(at(124));
    expect(perRep(drawn.rows)).toEqual(oneEach());
    expect(drawn.stateSource).toBe('cache');
    const after = await run(at(125));
    expect(after.stateSource).toBe('stored');
    expect(after.ledgerRowsRead).toBe(sdrs);
  });
});
