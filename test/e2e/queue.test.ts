import { QUEUE_DEFAULTS, nextCall } from '../../services/engine/core/queue';
import { queueFeature, type LeadsReplanReport, type LiveQueue, type RerankReport } from '../../services/engine/features/queue';
import { LiveQueue as LiveQueueClass } from '../../services/engine/features/queue/live';
import { createLogger } from '../../services/engine/observability/log';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { orgJobStore } from '../../services/engine/org/jobStore';
import { count, queryAll } from '../../services/engine/org/reads';
import { memoryReplayStore, subscribe, type StreamingMessage, type Subscription } from '../../services/engine/org/streaming';
import { startEngine, type RunningEngine } from '../../services/engine/service';
import { startTestOrg, type TestOrg } from '../support/localOrg';
import { waitFor } from '../support/eventually';

// User story: an SDR opens the Work Queue and finds the engine's ranked calls for them, in
// the lead's calling hours, never a do-not-call lead; when they record a disposition the
// engine re-ranks their queue at once (the next attempt spaced), a new inbound lead jumps to
// the top, and an event delivered twice changes nothing.

const AS_OF = Date.parse('2026-11-16T15:00:00.000Z'); // Monday 10:00 in New York
const WEEKDAYS = new Set(QUEUE_DEFAULTS.rules.callingHours.days);

function localHourAndDay(at: Date, zone: string): { hour: number; day: string } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23', weekday: 'short' }).formatToParts(at);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return { hour: Number(get('hour')) + Number(get('minute')) / 60, day: get('weekday') };
}

function inCallingHours(at: Date, zone: string): boolean {
  const { hour, day } = localHourAndDay(at, zone);
  const hours = QUEUE_DEFAULTS.rules.callingHours;
  return WEEKDAYS.has(day as never) && hour >= hours.startHour && hour < hours.endHour;
}

describe('the call queue in the org (engine feature against the local org)', () => {
  let test: TestOrg;
  let client: OrgClient;
  let engine: RunningEngine;
  let queue: LiveQueue;
  let signals: StreamingMessage[];
  let signalSub: Subscription;
  const reranks: RerankReport[] = [];
  const leadReplans: LeadsReplanReport[] = [];
  const t0 = Date.now();
  const clock = () => new Date(AS_OF + (Date.now() - t0));
  let stationId: string;
  let dncLeadId: string;

  beforeAll(async () => {
    test = await startTestOrg({ leads: 400, seed: 'queue-e2e', asOf: new Date(AS_OF).toISOString(), org: { clock } });
    client = await connectOrg(test.engineConfig());
    const [station] = (await queryAll(client, "SELECT Id FROM Station__c WHERE Key__c = 'SDR_CALL'")) as Array<{ Id: string }>;
    stationId = String(station?.Id);
    // A do-not-call lead that would otherwise be called: the rule must be what keeps it out.
    const [candidate] = (await queryAll(
      client,
      `SELECT Id FROM Lead WHERE IsConverted = false AND Bin__c IN ('Cold','Working') AND Station__c = '${stationId}' AND DoNotCall = false LIMIT 1`
    )) as Array<{ Id: string }>;
    dncLeadId = String(candidate?.Id);
    await client.conn.sobject('Lead').update({ Id: dncLeadId, DoNotCall: true });
    // The assignment feature is not part of this test: its work (owners for the unassigned
    // Cold leads) is done here by hand, so each SDR has first touches to make.
    const sdrIds = ((await queryAll(client, "SELECT User__c FROM Rep_Capacity__c WHERE Station_Keys__c = 'SDR_CALL' AND Active__c = true")) as Array<{ User__c: string }>).map((row) => row.User__c);
    const cold = (await queryAll(client, `SELECT Id FROM Lead WHERE IsConverted = false AND Bin__c = 'Cold' AND DoNotCall = false AND Id != '${dncLeadId}'`)) as Array<{ Id: string }>;
    const owners = cold.slice(0, 190).map((lead, index) => ({ Id: lead.Id, OwnerId: sdrIds[index % sdrIds.length], Station__c: stationId }));
    await client.conn.sobject('Lead').update(owners, { allOrNone: true });
    signals = [];
    signalSub = await subscribe(client, '/event/Engine_Signal__e', memoryReplayStore(), async (message) => void signals.push(message), () => undefined);
    engine = await startEngine({
      config: test.engineConfig(),
      features: [
        queueFeature({ topN: 50 }, { clock, onCreated: (created) => (queue = created), onRerank: (report) => reranks.push(report), onLeadsReplanned: (report) => leadReplans.push(report) })
      ],
      jobStore: orgJobStore,
      replayStore: memoryReplayStore(),
      serveHttp: false,
      logger: createLogger({ level: 'silent' })
    });
  }, 120_000);

  afterAll(async () => {
    signalSub?.cancel();
    await engine?.stop();
    await test?.close();
  });

  it('accounts for every open lead of every SDR after a full rank', async () => {
    const state = queue.current();
    expect(state).not.toBeNull();
    const sdrIds = [...(state?.reps.keys() ?? [])];
    expect(sdrIds.length).toBeGreaterThan(1);
    const leads = (await queryAll(
      client,
      `SELECT Id, OwnerId FROM Lead WHERE IsConverted = false AND Bin__c IN ('Cold','Working','Nurture - Check Back Quarterly') AND (Station__c = '${stationId}' OR Station__c = null)`
    )) as Array<{ Id: string; OwnerId: string }>;
    const owned = leads.filter((lead) => sdrIds.includes(lead.OwnerId));
    expect(owned.length).toBeGreaterThan(50);
    const dry = await queue.rankAll({ dryRun: true });
    const moved = new Set(dry.moves.map((move) => move.assetId));
    const unaccounted = owned.filter((lead) => !state?.tasks.has(`L:${lead.Id}`) && !moved.has(lead.Id));
    expect(unaccounted).toEqual([]);
    // The org holds each SDR's top entries, ranked 1..n, at most topN of them.
    const entries = (await queryAll(client, "SELECT SDR__c, Rank__c, Guidance_Key__c, Allowed_Outcomes__c FROM Queue_Entry__c WHERE Status__c = 'Open'")) as Array<{
      SDR__c: string;
      Rank__c: number;
      Guidance_Key__c: string;
      Allowed_Outcomes__c: string;
    }>;
    for (const sdrId of sdrIds) {
      const ranks = entries.filter((entry) => entry.SDR__c === sdrId).map((entry) => entry.Rank__c).sort((a, b) => a - b);
      const expected = Math.min(50, state?.bySdr.get(sdrId)?.size ?? 0);
      expect(ranks).toEqual(Array.from({ length: expected }, (_, index) => index + 1));
    }
    // docs/consoles.md, Work Queue: the keys the console resolves to its guidance labels.
    const keys = new Set(['FIRST_TOUCH', 'FOLLOW_UP', 'CALL_BACK', 'NURTURE_CHECK_BACK', 'REBOOK_NO_SHOW', 'CONFIRM_DEMO', 'COURTESY_CALL']);
    expect(entries.every((entry) => keys.has(entry.Guidance_Key__c))).toBe(true);
    expect(entries.every((entry) => entry.Allowed_Outcomes__c.split(';').includes('No Answer'))).toBe(true);
    // The engine published one RERANKED signal per SDR, addressed by the SDR's user id.
    await waitFor('RERANKED signals', async () => sdrIds.every((sdrId) => signals.some((s) => s.payload.Kind__c === 'RERANKED' && s.payload.Record_Id__c === sdrId)));
  });

  it('never queues an entry outside the lead local calling hours at its due time, nor a do-not-call lead', async () => {
    const entries = (await queryAll(client, "SELECT Due_At__c, Lead__c, Lead__r.Time_Zone__c, Lead__r.DoNotCall FROM Queue_Entry__c WHERE Status__c = 'Open' AND Lead__c != null")) as Array<{
      Due_At__c: string;
      Lead__c: string;
      Lead__r: { Time_Zone__c: string | null; DoNotCall: boolean };
    }>;
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      const zones = entry.Lead__r.Time_Zone__c ? [entry.Lead__r.Time_Zone__c] : QUEUE_DEFAULTS.rules.fallbackTimeZones;
      for (const zone of zones) expect({ lead: entry.Lead__c, due: entry.Due_At__c, zone, ok: inCallingHours(new Date(entry.Due_At__c), zone) }).toMatchObject({ ok: true });
    }
    expect(entries.some((entry) => entry.Lead__r.DoNotCall)).toBe(false);
    expect(queue.current()?.tasks.has(`L:${dncLeadId}`)).toBe(false);
  });

  it('re-ranks the SDR when a No Answer disposition is created, spacing the next attempt', async () => {
    const state = queue.current();
    const top = (await queryAll(
      client,
      "SELECT Id, Entry_Key__c, SDR__c, Lead__c, Purpose__c, Attempt_Number__c FROM Queue_Entry__c WHERE Status__c = 'Open' AND Lead__c != null AND Purpose__c IN ('First Touch','Follow Up') AND Attempt_Number__c < 5 ORDER BY Rank__c LIMIT 1"
    )) as Array<{ Id: string; Entry_Key__c: string; SDR__c: string; Lead__c: string; Purpose__c: string; Attempt_Number__c: number }>;
    const entry = top[0];
    if (!entry) throw new Error('no open first-touch or follow-up entry to call');
    const before = state?.tasks.get(`L:${entry.Lead__c}`);
    const inbound = before?.inbound === true;
    const signalsBefore = signals.length;
    const created = (await client.conn.sobject('Disposition__c').create({
      Lead__c: entry.Lead__c,
      Asset_Id__c: entry.Lead__c,
      Rep__c: entry.SDR__c,
      Station__c: stationId,
      Queue_Entry__c: entry.Id,
      Purpose__c: entry.Purpose__c,
      Outcome__c: 'No Answer',
      Attempt_Number__c: entry.Attempt_Number__c,
      Duration_Seconds__c: 35
    })) as { id: string };
    const report = await waitFor('the re-rank', async () => reranks.find((r) => r.dispositionId === created.id));
    expect(report.skipped).toBeUndefined();
    expect(report.sdrIds).toEqual([entry.SDR__c]);
    const [lead] = (await queryAll(client, `SELECT Attempt_Count__c, Last_Attempt_At__c FROM Lead WHERE Id = '${entry.Lead__c}'`)) as Array<{ Attempt_Count__c: number; Last_Attempt_At__c: string }>;
    expect(lead?.Attempt_Count__c).toBe(entry.Attempt_Number__c);
    const [disposition] = (await queryAll(client, `SELECT CreatedDate FROM Disposition__c WHERE Id = '${created.id}'`)) as Array<{ CreatedDate: string }>;
    const spacing = QUEUE_DEFAULTS.rules.spacingMinutes[inbound ? 'inbound' : 'outbound'][entry.Attempt_Number__c - 1] as number;
    const next = queue.current()?.tasks.get(`L:${entry.Lead__c}`);
    expect(next?.attempts).toBe(entry.Attempt_Number__c);
    expect(next?.dueAt).toBeGreaterThanOrEqual(Date.parse(String(disposition?.CreatedDate)) + spacing * 60_000);
    const [old] = (await queryAll(client, `SELECT Status__c FROM Queue_Entry__c WHERE Id = '${entry.Id}'`)) as Array<{ Status__c: string }>;
    expect(old?.Status__c).toBe('Done');
    // Any entry written for the next attempt is due no earlier than the spacing allows.
    const nextEntries = (await queryAll(client, `SELECT Due_At__c FROM Queue_Entry__c WHERE Lead__c = '${entry.Lead__c}' AND Status__c = 'Open'`)) as Array<{ Due_At__c: string }>;
    for (const row of nextEntries) expect(Date.parse(row.Due_At__c)).toBeGreaterThanOrEqual(Date.parse(String(disposition?.CreatedDate)) + spacing * 60_000);
    await waitFor('the RERANKED signal for the SDR', async () => signals.slice(signalsBefore).some((s) => s.payload.Kind__c === 'RERANKED' && s.payload.Record_Id__c === entry.SDR__c));

    // Replay: the same disposition again (a redelivered event), then as a restarted engine would.
    const rows = await count(client, 'SELECT COUNT() FROM Queue_Entry__c');
    const again = await queue.applyDisposition({ Id: created.id, Lead__c: entry.Lead__c, Outcome__c: 'No Answer', Purpose__c: entry.Purpose__c, CreatedDate: disposition?.CreatedDate ?? null });
    expect(again?.skipped).toBe('already handled');
    const restarted = new LiveQueueClass(client, { topN: 50 }, { clock });
    const replay = await restarted.applyDisposition({ Id: created.id, Lead__c: entry.Lead__c, Outcome__c: 'No Answer', Purpose__c: entry.Purpose__c, CreatedDate: disposition?.CreatedDate ?? null });
    expect(replay?.skipped).toMatch(/already applied/);
    const [leadAfter] = (await queryAll(client, `SELECT Attempt_Count__c, Last_Attempt_At__c FROM Lead WHERE Id = '${entry.Lead__c}'`)) as Array<{ Attempt_Count__c: number; Last_Attempt_At__c: string }>;
    expect(leadAfter).toEqual(lead);
    expect(await count(client, 'SELECT COUNT() FROM Queue_Entry__c')).toBe(rows);
  }, 30_000);

  it('ranks a new inbound lead owned by an SDR on shift first', async () => {
    const state = queue.current();
    const onShift = [...(state?.reps.keys() ?? [])].find((sdrId) => state && nextCall(state, sdrId, clock) !== null);
    if (!onShift) throw new Error('no SDR on shift at the test clock');
    const created = (await client.conn.sobject('Lead').create({
      LastName: 'Inbound',
      Company: 'Unknown Co',
      LeadSource: 'Web',
      Inbound__c: true,
      Time_Zone__c: 'America/New_York',
      Bin__c: 'Cold',
      Station__c: stationId,
      OwnerId: onShift,
      Phone: '+1 555 0100'
    })) as { id: string };
    const first = await waitFor('the inbound lead on top', async () => {
      const rows = (await queryAll(client, `SELECT Lead__c, Purpose__c, Guidance_Key__c FROM Queue_Entry__c WHERE SDR__c = '${onShift}' AND Status__c = 'Open' AND Rank__c = 1`)) as Array<{
        Lead__c: string;
        Purpose__c: string;
        Guidance_Key__c: string;
      }>;
      return rows.find((row) => row.Lead__c === created.id);
    });
    expect(first).toEqual({ Lead__c: created.id, Purpose__c: 'First Touch', Guidance_Key__c: 'FIRST_TOUCH' });
  });

  it('runs the Rerank job RevOps schedules: a full ranking logged as a Job_Run__c', async () => {
    const job = (await client.conn.sobject('Engine_Job__c').create({ Name: 'Nightly rerank', Type__c: 'Rerank', Cron__c: '0 2 * * *', Enabled__c: true, Run_Now__c: true })) as { id: string };
    await engine.scheduler.sync();
    const run = await waitFor('the Rerank run', async () => {
      const rows = (await queryAll(client, `SELECT Outcome__c, Records_Touched__c FROM Job_Run__c WHERE Engine_Job__c = '${job.id}'`)) as Array<{ Outcome__c: string; Records_Touched__c: number | null }>;
      return rows.find((row) => row.Outcome__c !== 'Running');
    }, 30_000);
    expect(run.Outcome__c).toBe('Succeeded');
    // Every SDR's Open entries are still ranked 1..n after the job: nothing duplicated.
    const entries = (await queryAll(client, "SELECT SDR__c, Rank__c FROM Queue_Entry__c WHERE Status__c = 'Open'")) as Array<{ SDR__c: string; Rank__c: number }>;
    const bySdr = new Map<string, number[]>();
    for (const entry of entries) bySdr.set(entry.SDR__c, [...(bySdr.get(entry.SDR__c) ?? []), entry.Rank__c]);
    for (const ranks of bySdr.values()) expect(ranks.sort((a, b) => a - b)).toEqual(Array.from({ length: ranks.length }, (_, index) => index + 1));
  }, 40_000);

  it('coalesces lead changes that arrive during a re-plan into one follow-up re-plan, losing none', async () => {
    const state = queue.current();
    if (!state) throw new Error('no live state');
    const sdrIds = [...state.reps.keys()];
    const owned = [...state.tasks.values()].filter((task) => task.assetType === 'Lead').map((task) => task.assetId);
    expect(owned.length).toBeGreaterThan(40);
    const [first, ...rest] = owned.slice(0, 40) as [string, ...string[]];
    await queue.leadsSettled();
    const from = leadReplans.length;
    const running = queue.leadsChanged([first]);
    // One turn later the first re-plan has taken its lead and waits on the org; 39 more
    // events (each lead twice, as a create and an owner change would come) arrive meanwhile.
    await new Promise((resolve) => setImmediate(resolve));
    const during = rest.flatMap((id) => [queue.leadsChanged([id]), queue.leadsChanged([id])]);
    await running;
    await Promise.all(during);
    const replans = leadReplans.slice(from);
    expect(replans.map((report) => report.leadIds)).toEqual([[first], rest]);

    // Through the org: 40 leads change owner in one request; every one ends up in its new
    // SDR's queue (none lost), in fewer re-plans than there were leads.
    const moving = owned.slice(40, 80);
    const newOwner = new Map(moving.map((id) => [id, sdrIds[(sdrIds.indexOf(state.tasks.get(`L:${id}`)?.sdrId ?? '') + 1) % sdrIds.length] as string]));
    const before = leadReplans.length;
    await client.conn.sobject('Lead').update(moving.map((id) => ({ Id: id, OwnerId: newOwner.get(id) })), { allOrNone: true });
    await waitFor('every moved lead in its new SDR queue', async () => moving.every((id) => queue.current()?.tasks.get(`L:${id}`)?.sdrId === newOwner.get(id)), 20_000);
    await queue.leadsSettled();
    const covering = leadReplans.slice(before).filter((report) => report.leadIds.some((id) => newOwner.has(id)));
    expect(covering.length).toBeGreaterThan(0);
    expect(covering.length).toBeLessThan(moving.length);
    for (const id of moving) expect(covering.some((report) => report.leadIds.includes(id))).toBe(true);
  }, 40_000);

  // Last: it stops the engine. A graceful stop (SIGTERM) writes the re-plans it accepted.
  it('a graceful stop returns only after the leads it accepted are re-planned', async () => {
    const state = queue.current();
    const leadIds = [...(state?.tasks.keys() ?? [])].filter((key) => key.startsWith('L:')).slice(0, 5).map((key) => key.slice(2));
    expect(leadIds).toHaveLength(5);
    let replanned = false;
    const accepted = queue.leadsChanged(leadIds).then(() => (replanned = true));
    const stopping = engine.stop();
    await stopping;
    expect(replanned).toBe(true);
    await accepted;
    engine = undefined as unknown as RunningEngine;
  });
});
