import request from 'supertest';
import { SlotConflictError } from '../../services/engine/core/calendar';
import { bookSlot, calendarRoutes, searchSlots } from '../../services/engine/features/calendar';
import { createEngineHttp } from '../../services/engine/http/app';
import { createLogger } from '../../services/engine/observability/log';
import { createMetrics } from '../../services/engine/observability/metrics';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { count, queryAll } from '../../services/engine/org/reads';
import { startTestOrg, type TestOrg } from '../support/localOrg';

// User story: two sales coordinators book demos from the slots the engine proposes; the most
// behind AE is offered first, and when both grab the same slot at once exactly one booking
// stands while the other is told clearly and offered the next best slot.
describe('demo calendar against the local org', () => {
  let test: TestOrg;
  let coordinatorA: OrgClient;
  let coordinatorB: OrgClient;
  let leadId: string;
  const now = new Date();
  const seed = 'calendar-e2e';

  beforeAll(async () => {
    test = await startTestOrg({ leads: 200, seed: 'calendar' });
    coordinatorA = await connectOrg(test.engineConfig());
    coordinatorB = await connectOrg(test.engineConfig());
    await coordinatorA.conn.sobject('Demo_Type__c').create({ Name: 'Product demo', Key__c: 'DEMO_60', Duration_Minutes__c: 60, Needs_AE__c: true, Needs_Engineer__c: false, Active__c: true });
    await coordinatorA.conn.sobject('Demo_Type__c').create({ Name: 'Technical demo', Key__c: 'TECH_90', Duration_Minutes__c: 90, Needs_AE__c: true, Needs_Engineer__c: true, Active__c: true });
    // The default line seats the floor's engineers at SALES_ENGINEERING (role Sales Engineer):
    // the calendar must see them as engineers, never as AEs.
    const engineers = await queryAll(coordinatorA, "SELECT Id FROM User WHERE Title = 'Sales Engineer'");
    const engineerIds = engineers.map((u) => String(u.Id));
    const capacity = await queryAll(coordinatorA, `SELECT Station_Keys__c FROM Rep_Capacity__c WHERE User__c IN ('${engineerIds.join("','")}')`);
    expect(capacity.length).toBeGreaterThan(0);
    expect(capacity.every((c) => String(c.Station_Keys__c) === 'SALES_ENGINEERING')).toBe(true);
    leadId = String((await queryAll(coordinatorA, 'SELECT Id FROM Lead LIMIT 1'))[0]?.Id);
  }, 120_000);
  afterAll(async () => {
    await test?.close();
  });

  it('proposes open slots with the most behind AE first', async () => {
    const result = await searchSlots(coordinatorA, { demoTypeKey: 'DEMO_60', days: 14, seed, now, limit: 30 });
    expect(result.problems).toEqual([]);
    expect(result.total).toBeGreaterThan(30);
    expect(result.slots[0]?.ownerId).toBe(result.owners[0]?.userId);
    expect(result.slots.every((s) => s.engineerId === null && s.endMs - s.startMs === 60 * 60_000)).toBe(true);
    const tech = await searchSlots(coordinatorA, { demoTypeKey: 'TECH_90', days: 14, seed, now, limit: 5 });
    expect(tech.slots).toHaveLength(5);
    expect(tech.slots.every((s) => s.engineerId !== null && s.engineerId !== s.aeId)).toBe(true);
  });

  it('names the known demo types when the key is wrong', async () => {
    await expect(searchSlots(coordinatorA, { demoTypeKey: 'NOPE', days: 14, seed, now })).rejects.toThrow(/use one of: DEMO_60, DISCOVERY_DEMO, ONSITE_VISIT, TECH_90, TECHNICAL_DEMO/);
  });

  it('lets exactly one of two concurrent bookings of one slot win, and offers the loser the next slot', async () => {
    const { slots } = await searchSlots(coordinatorA, { demoTypeKey: 'TECH_90', days: 14, seed, now, limit: 10 });
    const target = slots[0];
    if (!target) throw new Error('no slot to book');
    // Both coordinators look at the same open listing, then both book its first slot at once:
    // the org's unique Slot_Key__c lets one insert through and answers DUPLICATE_VALUE to the other.
    const listingA = await searchSlots(coordinatorA, { demoTypeKey: 'TECH_90', days: 14, seed, now });
    const listingB = await searchSlots(coordinatorB, { demoTypeKey: 'TECH_90', days: 14, seed, now });
    const book = (client: OrgClient, listing: typeof listingA) =>
      bookSlot(client, { demoTypeKey: 'TECH_90', days: 14, seed, now, slot: target.key, leadId, bookedBy: client.userId ?? '', listing });
    // With the listing given, both reach the insert (the slot is in both listings); the only
    // SlotConflictError after an insert of one key is the DUPLICATE_VALUE answer.
    const outcomes = await Promise.allSettled([book(coordinatorA, listingA), book(coordinatorB, listingB)]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const conflict = lost[0]?.reason as SlotConflictError;
    expect(conflict).toBeInstanceOf(SlotConflictError);
    expect(conflict.message).toMatch(/was just booked by someone else\. Next best slot: /);
    expect(conflict.next?.key).not.toBe(target.key);
    // The next slot shares no person with the taken one at an overlapping time.
    const next = conflict.next;
    const overlapping = next !== null && next.startMs < target.endMs && target.startMs < next.endMs;
    if (overlapping) expect([next.aeId, next.engineerId]).not.toContain(target.aeId);

    expect(await count(coordinatorA, `SELECT COUNT() FROM Demo_Slot__c WHERE Slot_Key__c = '${target.key}'`)).toBe(1);
    const events = await queryAll(coordinatorA, `SELECT OwnerId, WhoId, StartDateTime FROM Event WHERE WhoId = '${leadId}'`);
    expect(events.map((e) => e.OwnerId).sort()).toEqual([target.aeId, target.engineerId].sort());
    // The booked slot is no longer offered.
    const after = await searchSlots(coordinatorA, { demoTypeKey: 'TECH_90', days: 14, seed, now });
    expect(after.slots.some((s) => s.key === target.key)).toBe(false);
  });

  it('serves search and booking over HTTP with validated bodies', async () => {
    const app = createEngineHttp({
      token: 'test-token',
      logger: createLogger({ level: 'silent' }),
      metrics: createMetrics(),
      api: { ready: () => ({ ready: true, reasons: [] }), listJobs: async () => [], runJob: async () => ({ started: false }), routes: calendarRoutes(coordinatorA, () => now) }
    });
    const auth = { authorization: 'Bearer test-token' };
    const bad = await request(app).post('/calendar/slots').set(auth).send({ type: 'DEMO_60', days: 100 });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('days');
    const listed = await request(app).post('/calendar/slots').set(auth).send({ type: 'DEMO_60', limit: 3, seed });
    expect(listed.status).toBe(200);
    expect(listed.body.slots).toHaveLength(3);
    const key = listed.body.slots[0].key as string;
    const booked = await request(app).post('/calendar/book').set(auth).send({ type: 'DEMO_60', slot: key, leadId, seed });
    expect(booked.status).toBe(201);
    const again = await request(app).post('/calendar/book').set(auth).send({ type: 'DEMO_60', slot: key, leadId, seed });
    expect(again.status).toBe(409);
    expect(again.body.next.key).not.toBe(key);
  });
});
