import jsforce, { type Connection } from 'jsforce';
import { nextBestSlot } from '../../services/engine/core/calendar';
import { assignmentFeature } from '../../services/engine/features/assignment';
import { calendarFeature, searchSlots, type DemoRequestAnswer, type ReturnReport } from '../../services/engine/features/calendar';
import { createLogger } from '../../services/engine/observability/log';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { orgJobStore } from '../../services/engine/org/jobStore';
import { queryAll } from '../../services/engine/org/reads';
import { memoryReplayStore, subscribe, type StreamingMessage, type Subscription } from '../../services/engine/org/streaming';
import { startEngine, type RunningEngine } from '../../services/engine/service';
import { startTestOrg, type TestOrg } from '../support/localOrg';
import { waitFor } from '../support/eventually';

// User story: a sales coordinator works the Demo Calendar console, which only writes and reads
// records (Lightning Data Service, GraphQL): they ask for slots (a Demo_Request__c), the engine
// answers in the record with the ranked slots and the standings, they book by inserting the
// answer's Demo_Slot__c; a slot taken a moment earlier answers DUPLICATE_VALUE and the answer's
// next best slot books instead; an overlapping booking the key cannot see is cancelled by the
// engine; a cancelled or no-show demo sends the lead back to the SDR who booked it.
// Everything here goes through the org as the coordinator, with the engine running beside it.

interface RequestRow {
  Id: string;
  Status__c: string;
  Result__c: string | null;
  Message__c: string | null;
}

jest.setTimeout(60_000);

describe('Demo Calendar console exchange, engine against the local org', () => {
  let test: TestOrg;
  let engineClient: OrgClient;
  let engine: RunningEngine;
  let coordinator: Connection;
  let otherCoordinator: Connection;
  let coordinatorId: string;
  let signals: StreamingMessage[];
  let signalSub: Subscription;
  let demo60: string;
  const leads: string[] = [];
  let sdrId: string;
  const stations = new Map<string, string>();
  /** Keys booked by this suite, to find open slots no test has taken. */
  const booked = new Set<string>();
  /** What the engine did with each Demo_Slot__c update it heard. */
  const returnReports: ReturnReport[] = [];

  async function login(username: string): Promise<Connection> {
    const conn = new jsforce.Connection({ oauth2: { loginUrl: test.url, clientId: 'e2e', clientSecret: 'e2e' }, version: '66.0' });
    await conn.login(username, 'local-org');
    return conn;
  }

  async function ask(fields: Record<string, unknown>): Promise<{ id: string; answer: DemoRequestAnswer }> {
    const created = (await coordinator.sobject('Demo_Request__c').create({ Status__c: 'Requested', ...fields })) as { id: string; success: boolean };
    expect(created.success).toBe(true);
    return { id: created.id, answer: await answerOf(created.id) };
  }

  async function answerOf(id: string): Promise<DemoRequestAnswer> {
    const row = await waitFor(`the engine's answer to ${id}`, async () => {
      const r = (await coordinator.sobject('Demo_Request__c').retrieve(id)) as unknown as RequestRow;
      return r.Status__c !== 'Requested' ? r : null;
    });
    if (row.Status__c !== 'Answered') throw new Error(`request ${id} ${row.Status__c}: ${row.Message__c}`);
    return JSON.parse(String(row.Result__c)) as DemoRequestAnswer;
  }

  async function slotRow(id: string): Promise<Record<string, unknown>> {
    return (await coordinator.sobject('Demo_Slot__c').retrieve(id)) as unknown as Record<string, unknown>;
  }

  beforeAll(async () => {
    test = await startTestOrg({ leads: 200, seed: 'calendar-console' });
    engineClient = await connectOrg(test.engineConfig());
    const logins = test.floor?.logins;
    if (!logins) throw new Error('no demo floor');
    coordinator = await login(logins.coordinator);
    const [other] = await queryAll(engineClient, `SELECT Username FROM User WHERE Title = 'Sales Coordinator' AND Username != '${logins.coordinator}' LIMIT 1`);
    otherCoordinator = other ? await login(String(other.Username)) : coordinator;
    coordinatorId = (await coordinator.identity()).user_id;
    demo60 = ((await engineClient.conn.sobject('Demo_Type__c').create({ Name: 'Product demo', Key__c: 'DEMO_60', Duration_Minutes__c: 60, Needs_AE__c: true, Needs_Engineer__c: false, Active__c: true })) as { id: string }).id;
    for (const row of await queryAll(engineClient, 'SELECT Id, Key__c FROM Station__c')) stations.set(String(row.Key__c), String(row.Id));
    sdrId = String((await queryAll(engineClient, "SELECT User__c FROM Rep_Capacity__c WHERE Station_Keys__c = 'SDR_CALL' LIMIT 1"))[0]?.User__c);
    // Three leads an SDR booked a meeting for: two wait at Demo Coordination, one is at Demo.
    const picked = await queryAll(engineClient, "SELECT Id FROM Lead WHERE IsConverted = false AND Bin__c = 'Working' LIMIT 3");
    expect(picked).toHaveLength(3);
    const at = ['COORDINATE', 'COORDINATE', 'DEMO'];
    await engineClient.conn.sobject('Lead').update(
      picked.map((lead, i) => ({ Id: String(lead.Id), Station__c: stations.get(at[i] ?? ''), Booked_By__c: sdrId, OwnerId: coordinatorId })),
      { allOrNone: true }
    );
    leads.push(...picked.map((lead) => String(lead.Id)));
    signals = [];
    signalSub = await subscribe(engineClient, '/event/Engine_Signal__e', memoryReplayStore(), async (message) => void signals.push(message), () => undefined);
    engine = await startEngine({
      config: test.engineConfig(),
      features: [assignmentFeature(), calendarFeature({ onReturned: (report) => void returnReports.push(report) })],
      jobStore: orgJobStore,
      replayStore: memoryReplayStore(),
      serveHttp: false,
      logger: createLogger({ level: (process.env.ASL_E2E_LOG as 'silent') ?? 'silent' })
    });
    // The engine's CometD subscriptions become live a moment after startEngine returns (the
    // handshake is asynchronous): ask until a request is answered through the stream.
    const warmUp = (await coordinator.sobject('Demo_Request__c').create({ Status__c: 'Requested', Demo_Type__c: demo60, Days__c: 1 })) as { id: string };
    const status = async () => ((await coordinator.sobject('Demo_Request__c').retrieve(warmUp.id)) as unknown as RequestRow).Status__c;
    await waitFor('the engine listening', async () => {
      if ((await status()) !== 'Requested') return true;
      await new Promise((resolve) => setTimeout(resolve, 250));
      if ((await status()) !== 'Requested') return true;
      await coordinator.sobject('Demo_Request__c').update({ Id: warmUp.id, Status__c: 'Requested' });
      return false;
    });
  }, 180_000);

  afterAll(async () => {
    signalSub?.cancel();
    await engine?.stop();
    await test?.close();
  });

  it('answers a request with ranked slots, the standings that ordered them, and the record to insert for each', async () => {
    const { id, answer } = await ask({ Demo_Type__c: demo60, Days__c: 14, Lead__c: leads[0] });
    expect(answer.requestId).toBe(id);
    expect(answer.slots.length).toBeGreaterThan(10);
    expect(answer.total).toBeGreaterThanOrEqual(answer.slots.length);
    // The first slot goes to the most behind AE, and the standings say why.
    expect(answer.slots[0]?.ownerId).toBe(answer.owners[0]?.userId);
    expect(answer.owners.map((o) => o.order)).toEqual(answer.owners.map((_, i) => i + 1));
    expect(answer.owners.every((o, i, all) => i === 0 || (all[i - 1]?.attainment ?? 0) <= o.attainment)).toBe(true);
    expect(answer.people[answer.slots[0]?.ownerId ?? '']).toMatch(/\w+ \w+/);
    for (const slot of answer.slots) {
      expect(slot.record).toMatchObject({ Slot_Key__c: slot.key, AE__c: slot.aeId, Start__c: slot.start, End__c: slot.end, Status__c: 'Booked', Lead__c: leads[0], Booked_By__c: coordinatorId, Demo_Type__c: demo60 });
    }
    // The fallbacks are core nextBestSlot over the answer's own ranking.
    const asSlots = answer.slots.map((s) => ({ ...s, startMs: Date.parse(s.start), endMs: Date.parse(s.end) }));
    for (const slot of asSlots) expect(slot.next).toBe(nextBestSlot(slot, asSlots)?.key ?? null);
    // The engine signalled the answer for the console to read it at once.
    await waitFor('the SLOTS signal', async () => signals.some((m) => (m.payload as { Record_Id__c?: string }).Record_Id__c === id));
    // Same request, same seed: the same ranking as the engine's own search.
    const search = await searchSlots(engineClient, { demoTypeKey: 'DEMO_60', days: 14, seed: id, now: new Date(answer.answeredAt), limit: 5 });
    expect(answer.slots.slice(0, 5).map((s) => s.key)).toEqual(search.slots.map((s) => s.key));
  });

  it('fails a request it cannot serve with the reason', async () => {
    const created = (await coordinator.sobject('Demo_Request__c').create({ Status__c: 'Requested', Demo_Type__c: demo60, Customer_Time_Zone__c: 'Central' })) as { id: string };
    const row = await waitFor('the failed answer', async () => {
      const r = (await coordinator.sobject('Demo_Request__c').retrieve(created.id)) as unknown as RequestRow;
      return r.Status__c === 'Failed' ? r : null;
    });
    expect(row.Message__c).toMatch(/Customer_Time_Zone__c: got "Central"\. give an IANA time zone/);
  });

  it('books the first slot, answers DUPLICATE_VALUE to the second coordinator, and the next best slot books', async () => {
    const { id, answer } = await ask({ Demo_Type__c: demo60, Days__c: 14, Lead__c: leads[0] });
    const first = answer.slots[0];
    if (!first) throw new Error('no slot');
    const mine = (await coordinator.sobject('Demo_Slot__c').create(first.record)) as { id: string; success: boolean };
    expect(mine.success).toBe(true);
    booked.add(first.key);
    // The other coordinator books the same slot from the same answer: the unique key refuses it.
    const theirs = await otherCoordinator.sobject('Demo_Slot__c').create(first.record).then(
      () => null,
      (error: { errorCode?: string }) => error
    );
    expect(theirs?.errorCode).toBe('DUPLICATE_VALUE');
    const next = answer.slots.find((s) => s.key === first.next);
    if (!next) throw new Error('no next best slot in the answer');
    expect(next.ownerId === first.ownerId && Date.parse(next.start) < Date.parse(first.end)).toBe(false);
    const fallback = (await otherCoordinator.sobject('Demo_Slot__c').create(next.record)) as { id: string; success: boolean };
    expect(fallback.success).toBe(true);
    booked.add(next.key);
    // The engine puts each booking in the AE's calendar.
    const events = await waitFor('the Events of both bookings', async () => {
      const rows = await queryAll(engineClient, `SELECT OwnerId, Subject, WhoId, StartDateTime FROM Event WHERE Subject IN ('Demo: DEMO_60 (${first.key})', 'Demo: DEMO_60 (${next.key})')`);
      return rows.length === 2 ? rows : null;
    });
    expect(events.map((e) => e.OwnerId).sort()).toEqual([first.aeId, next.aeId].sort());
    expect(events.every((e) => e.WhoId === leads[0])).toBe(true);
    // Asked again, the engine no longer offers either, and the standings count them.
    await coordinator.sobject('Demo_Request__c').update({ Id: id, Status__c: 'Requested' });
    const again = await answerOf(id);
    expect(again.answeredAt > answer.answeredAt).toBe(true);
    expect(again.slots.some((s) => booked.has(s.key))).toBe(false);
    const standing = again.owners.find((o) => o.userId === first.ownerId);
    const before = answer.owners.find((o) => o.userId === first.ownerId);
    expect(standing?.booked).toBe((before?.booked ?? 0) + (first.ownerId === next.ownerId ? 2 : 1));
  });

  it('cancels a booking that overlaps an earlier one of the same AE at another start', async () => {
    const { answer } = await ask({ Demo_Type__c: demo60, Days__c: 14 });
    const anchor = answer.slots.find((s) => answer.slots.some((o) => o.ownerId === s.ownerId && Date.parse(o.start) === Date.parse(s.start) + 30 * 60_000));
    if (!anchor) throw new Error('no AE with two overlapping open slots');
    const overlapping = answer.slots.find((o) => o.ownerId === anchor.ownerId && Date.parse(o.start) === Date.parse(anchor.start) + 30 * 60_000);
    if (!overlapping) throw new Error('unreachable');
    const earlier = (await coordinator.sobject('Demo_Slot__c').create(anchor.record)) as { id: string };
    booked.add(anchor.key);
    await waitFor('the earlier booking confirmed', async () => (await queryAll(engineClient, `SELECT Id FROM Event WHERE Subject = 'Demo: DEMO_60 (${anchor.key})'`)).length === 1);
    const later = (await otherCoordinator.sobject('Demo_Slot__c').create(overlapping.record)) as { id: string; success: boolean };
    expect(later.success).toBe(true);
    const cancelled = await waitFor('the overlapping booking cancelled', async () => {
      const row = await slotRow(later.id);
      return row.Status__c === 'Cancelled' ? row : null;
    });
    expect(cancelled.Slot_Key__c).toBe(`${overlapping.key}~x~${later.id}`);
    expect(cancelled.Returned_At__c).not.toBeNull();
    // The signal follows the cancellation (a separate write): the console hears it.
    await waitFor('the SLOT_CONFLICT signal', async () =>
      signals.some((m) => (m.payload as { Kind__c?: string; Record_Id__c?: string }).Kind__c === 'SLOT_CONFLICT' && (m.payload as { Record_Id__c?: string }).Record_Id__c === later.id)
    );
    expect((await slotRow(earlier.id)).Status__c).toBe('Booked');
    expect(await queryAll(engineClient, `SELECT Id FROM Event WHERE Subject = 'Demo: DEMO_60 (${overlapping.key})'`)).toEqual([]);
  });

  async function bookFor(leadId: string): Promise<{ id: string; key: string; aeId: string }> {
    const { answer } = await ask({ Demo_Type__c: demo60, Days__c: 14, Lead__c: leadId });
    const slot = answer.slots.find((s) => !booked.has(s.key));
    if (!slot) throw new Error('no open slot');
    const created = (await coordinator.sobject('Demo_Slot__c').create(slot.record)) as { id: string };
    booked.add(slot.key);
    await waitFor('the booking confirmed', async () => (await queryAll(engineClient, `SELECT Id FROM Event WHERE Subject = 'Demo: DEMO_60 (${slot.key})'`)).length === 1);
    return { id: created.id, key: slot.key, aeId: slot.aeId ?? '' };
  }

  async function leadBackAtSdr(leadId: string): Promise<Record<string, unknown>> {
    return waitFor(`lead ${leadId} back at SDR_CALL`, async () => {
      const [lead] = await queryAll(engineClient, `SELECT OwnerId, Station__c, Bin__c FROM Lead WHERE Id = '${leadId}'`);
      return lead && lead.Station__c === stations.get('SDR_CALL') ? lead : null;
    });
  }

  it('sends the lead of a cancelled demo back to its booker and frees the time', async () => {
    const leadId = leads[1] ?? '';
    const demo = await bookFor(leadId);
    await coordinator.sobject('Demo_Slot__c').update({ Id: demo.id, Status__c: 'Cancelled' });
    const lead = await leadBackAtSdr(leadId);
    expect(lead).toMatchObject({ OwnerId: sdrId, Bin__c: 'Working' });
    // The movement and the calendar each write in a few steps: wait for their last ones.
    const disposition = await waitFor('the disposition processed', async () => {
      const [row] = await queryAll(engineClient, `SELECT Outcome__c, Station__c, Rep__c, Processed_At__c FROM Disposition__c WHERE Lead__c = '${leadId}' AND Outcome__c = 'Cancelled'`);
      return row?.Processed_At__c ? row : null;
    });
    expect(disposition).toMatchObject({ Outcome__c: 'Cancelled', Station__c: stations.get('COORDINATE'), Rep__c: demo.aeId });
    const ledger = await waitFor('the Return To Booker ledger row', async () => {
      const [row] = await queryAll(engineClient, `SELECT Method__c, Rep__c FROM Assignment__c WHERE Asset_Id__c = '${leadId}' AND Method__c = 'Return To Booker'`);
      return row ?? null;
    });
    expect(ledger.Rep__c).toBe(sdrId);
    const slot = await waitFor('the key released', async () => {
      const row = await slotRow(demo.id);
      return String(row.Slot_Key__c).includes('~x~') ? row : null;
    });
    expect(slot.Returned_At__c).not.toBeNull();
    const event = await waitFor('the Event marked cancelled', async () => {
      const [row] = await queryAll(engineClient, `SELECT Subject FROM Event WHERE WhoId = '${leadId}'`);
      return row && String(row.Subject).startsWith('Cancelled: ') ? row : null;
    });
    expect(event.Subject).toBe(`Cancelled: Demo: DEMO_60 (${demo.key})`);
    // The AE's time is open again: the same key is offered and can be booked.
    const open = await searchSlots(engineClient, { demoTypeKey: 'DEMO_60', days: 14, seed: 'x', now: new Date(), limit: null });
    expect(open.slots.some((s) => s.key === demo.key)).toBe(true);
  });

  it('sends the lead of a no-show back to its booker, once', async () => {
    const leadId = leads[2] ?? '';
    const demo = await bookFor(leadId);
    await coordinator.sobject('Demo_Slot__c').update({ Id: demo.id, Status__c: 'No Show' });
    const lead = await leadBackAtSdr(leadId);
    expect(lead.OwnerId).toBe(sdrId);
    await waitFor('Returned_At__c', async () => (await slotRow(demo.id)).Returned_At__c !== null);
    // Saved again (any edit by a person): the demo is not sent back twice.
    const heard = returnReports.length;
    await coordinator.sobject('Demo_Slot__c').update({ Id: demo.id, City__c: 'Chicago' });
    await waitFor('the engine to handle the edit', async () => returnReports.length > heard);
    expect(returnReports.at(-1)?.returned).toEqual([]);
    // (The floor's leads carry their earlier calls; only the demo's outcome is new.)
    const dispositions = await queryAll(engineClient, `SELECT Outcome__c, Station__c FROM Disposition__c WHERE Lead__c = '${leadId}' AND Outcome__c IN ('No Show', 'Cancelled')`);
    expect(dispositions).toEqual([expect.objectContaining({ Outcome__c: 'No Show', Station__c: stations.get('DEMO') })]);
    // A no-show keeps its key: the time has passed and stays on record.
    expect((await slotRow(demo.id)).Slot_Key__c).toBe(demo.key);
  });
});
