import type { EngineFeature } from '../../service';
import { calendarRoutes } from './http';

/**
 * The demo calendar in the org: slot search and booking over HTTP (POST /calendar/slots,
 * POST /calendar/book) and on the command line (`asl calendar`). See docs/calendar.md.
 */
export function calendarFeature(): EngineFeature {
  return { name: 'calendar', routes: (client) => calendarRoutes(client) };
}

export { bookSlot, pickSlot, slotFromKey, type Booking, type BookOptions } from './book';
export { searchSlots, readDemoType, CalendarSetupError, type OrgSlotSearch, type SearchOptions } from './reads';
export { calendarRoutes, slotSearchBody, bookBody, dailySeed } from './http';
