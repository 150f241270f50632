import { z } from 'zod';
import type { OrgClient } from '../../org/connection';
import { orgNames } from '../../org/names';
import type { StreamingMessage } from '../../org/streaming';
import type { EngineFeature } from '../../service';
import { calendarRoutes } from './http';
import { confirmBookings, processReturns, type ConfirmReport, type ReturnReport } from './lifecycle';
import { answerRequests, type AnswerReport } from './requests';

/**
 * The demo calendar in the org: slot search and booking over HTTP (POST /calendar/slots,
 * POST /calendar/book) and on the command line (`asl calendar`), and the Demo Calendar
 * console's exchange through records (Change Data Capture):
 * - Demo_Request__c created or set back to Requested: the ranked slots are written into it;
 * - Demo_Slot__c created by a coordinator: overlap check, then the Events;
 * - Demo_Slot__c set to No Show or Cancelled: the lead goes back to its booker.
 * On start, whatever was missed while the engine was down is handled. See docs/calendar.md.
 */
export interface CalendarFeatureOptions {
  clock?: () => Date;
  onAnswered?: (report: AnswerReport) => void;
  onConfirmed?: (report: ConfirmReport) => void;
  onReturned?: (report: ReturnReport) => void;
}

const changeHeader = z.object({
  ChangeEventHeader: z.object({ changeType: z.string(), recordIds: z.array(z.string()), commitUser: z.string().optional() })
});

/** The change, unless the engine made it itself (its own writes need no answer). */
function change(client: OrgClient, message: StreamingMessage): { type: string; ids: string[] } | null {
  const parsed = changeHeader.safeParse(message.payload);
  if (!parsed.success) return null;
  const header = parsed.data.ChangeEventHeader;
  if (client.userId && header.commitUser === client.userId) return null;
  return { type: header.changeType, ids: header.recordIds };
}

/** Change Data Capture channel of a custom object (`/data/Demo_Slot__ChangeEvent`). */
function channelOf(client: OrgClient, object: string): string {
  return `/data/${orgNames(client).api(object).replace(/__c$/, '__ChangeEvent')}`;
}

export function calendarFeature(options: CalendarFeatureOptions = {}): EngineFeature {
  const clock = options.clock ?? (() => new Date());
  const scope = (ids?: string[]) => ({ now: clock(), ...(ids ? { ids } : {}) });
  const answer = async (client: OrgClient, ids?: string[]) => {
    const report = await answerRequests(client, scope(ids));
    options.onAnswered?.(report);
  };
  const confirm = async (client: OrgClient, ids?: string[]) => {
    const report = await confirmBookings(client, scope(ids));
    options.onConfirmed?.(report);
  };
  const returns = async (client: OrgClient, ids?: string[]) => {
    const report = await processReturns(client, scope(ids));
    options.onReturned?.(report);
  };
  return {
    name: 'calendar',
    routes: (client) => calendarRoutes(client, clock),
    listeners: (client) => [
      {
        channel: channelOf(client, 'Demo_Request__c'),
        handle: async (message) => {
          const c = change(client, message);
          if (c && (c.type === 'CREATE' || c.type === 'UPDATE')) await answer(client, c.ids);
        }
      },
      {
        channel: channelOf(client, 'Demo_Slot__c'),
        handle: async (message) => {
          const c = change(client, message);
          if (c?.type === 'CREATE') await confirm(client, c.ids);
          else if (c?.type === 'UPDATE') await returns(client, c.ids);
        }
      }
    ],
    onStart: async (client) => {
      await answer(client);
      await confirm(client);
      await returns(client);
    }
  };
}

export { bookSlot, pickSlot, slotFromKey, eventSubject, type Booking, type BookOptions } from './book';
export { searchSlots, readDemoType, CalendarSetupError, CANCELLED_EVENT_PREFIX, CUSTOMER_DAY, type OrgSlotSearch, type SearchOptions } from './reads';
export { calendarRoutes, slotSearchBody, bookBody, dailySeed } from './http';
export { answerRequests, answerFromSearch, ANSWER_SLOTS, ANSWER_VERSION, type AnswerReport, type AnswerSlot, type DemoRequestAnswer } from './requests';
export { confirmBookings, processReturns, type ConfirmReport, type ReturnReport } from './lifecycle';
