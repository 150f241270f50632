import type { Router } from 'express';
import { z } from 'zod';
import { SlotConflictError } from '../../core/calendar';
import type { OrgClient } from '../../org/connection';
import { bookSlot } from './book';
import { CalendarSetupError, searchSlots } from './reads';

/**
 * The calendar's HTTP routes (EngineApi.routes), for scripts and for a console hosted
 * outside the org. Bodies are checked with zod; a taken slot answers 409 with the next best
 * slot, a setup problem (unknown demo type, rank not listed) 422 naming the field.
 */
const salesforceId = z.string().regex(/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/, 'a Salesforce record id');

export const slotSearchBody = z.object({
  type: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'a Demo_Type__c Key__c'),
  days: z.number().int().min(1).max(62).default(14),
  gridMinutes: z.union([z.literal(5), z.literal(10), z.literal(15), z.literal(20), z.literal(30), z.literal(60)]).default(30),
  city: z.string().trim().min(1).max(80).nullable().default(null),
  limit: z.number().int().min(1).max(500).default(50),
  seed: z.union([z.string().max(80), z.number()]).optional()
});

export const bookBody = slotSearchBody.omit({ limit: true }).extend({
  slot: z.string().regex(/^(\d{1,5}|[a-zA-Z0-9]{15,18}@\d{8}T\d{4}Z)$/, 'a rank from the search or a Slot_Key__c'),
  leadId: salesforceId.nullable().default(null),
  opportunityId: salesforceId.nullable().default(null),
  bookedBy: salesforceId.optional()
});

/** The seed when none is given: one per UTC day, so a listing and a booking by rank agree. */
export function dailySeed(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function calendarRoutes(client: OrgClient, clock: () => Date = () => new Date()) {
  return (router: Router): void => {
    router.post('/calendar/slots', async (req, res) => {
      const body = slotSearchBody.parse(req.body);
      const now = clock();
      try {
        const result = await searchSlots(client, { demoTypeKey: body.type, days: body.days, gridMinutes: body.gridMinutes, city: body.city, limit: body.limit, seed: body.seed ?? dailySeed(now), now });
        res.json(result);
      } catch (error) {
        if (error instanceof CalendarSetupError) return void res.status(422).json({ error: 'invalid_request', field: error.field, message: error.message });
        throw error;
      }
    });
    router.post('/calendar/book', async (req, res) => {
      const body = bookBody.parse(req.body);
      const now = clock();
      const bookedBy = body.bookedBy ?? client.userId;
      if (!bookedBy) return void res.status(400).json({ error: 'invalid_request', field: 'bookedBy', message: 'give the coordinator\u2019s user id as bookedBy' });
      try {
        const booking = await bookSlot(client, { demoTypeKey: body.type, days: body.days, gridMinutes: body.gridMinutes, city: body.city, seed: body.seed ?? dailySeed(now), now, slot: body.slot, leadId: body.leadId, opportunityId: body.opportunityId, bookedBy });
        res.status(201).json(booking);
      } catch (error) {
        if (error instanceof SlotConflictError) return void res.status(409).json({ error: 'slot_taken', slotKey: error.slotKey, message: error.message, next: error.next });
        if (error instanceof CalendarSetupError) return void res.status(422).json({ error: 'invalid_request', field: error.field, message: error.message });
        throw error;
      }
    });
  };
}
