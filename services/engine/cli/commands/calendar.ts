import type { Command } from 'commander';
import { z } from 'zod';
import { SlotConflictError } from '../../core/calendar';
import { bookSlot, dailySeed, searchSlots, type OrgSlotSearch } from '../../features/calendar';
import { connect, integrationUserId, ORG_OPTION_HELP, parseFlags, print } from './orgFlags';

/**
 * `asl calendar`: the demo calendar against an org (docs/calendar.md, "In the org").
 *   asl calendar slots --type <Demo_Type key> [--days 14] [--city X] [--limit 20]
 *   asl calendar book  --type <Demo_Type key> --slot <rank|key> --lead <id>
 * The seed defaults to today's UTC date, so a listing and a booking by rank on the same day
 * rank the same slots the same way.
 */
const typeFlag = z.string({ error: '--type is required: a Demo_Type__c Key__c such as DEMO_60' }).regex(/^[A-Za-z0-9_-]{1,80}$/, '--type must be a Demo_Type__c Key__c (letters, digits, _ and -)');
const intFlag = (flag: string, min: number, max: number) =>
  z.coerce.number({ error: `--${flag} must be a number` }).int(`--${flag} must be a whole number`).min(min, `--${flag} must be at least ${min}`).max(max, `--${flag} must be at most ${max}`);
const idFlag = (flag: string) => z.string().regex(/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/, `--${flag} must be a 15- or 18-character Salesforce id`);

const SlotsFlags = z.object({
  type: typeFlag,
  days: intFlag('days', 1, 62).default(14),
  grid: z.coerce.number().refine((g) => [5, 10, 15, 20, 30, 60].includes(g), '--grid must be 5, 10, 15, 20, 30 or 60 minutes').default(30),
  city: z.string().trim().min(1).optional(),
  limit: intFlag('limit', 1, 10_000).default(20),
  seed: z.string().optional(),
  org: z.string().optional(),
  json: z.boolean().default(false)
});

const BookFlags = SlotsFlags.omit({ limit: true }).extend({
  slot: z.string({ error: '--slot is required: a rank from `asl calendar slots` or a slot key' }).regex(/^(\d{1,5}|[a-zA-Z0-9]{15,18}@\d{8}T\d{4}Z)$/, '--slot must be a rank (1, 2, ...) or a Slot_Key__c such as 005...AAA@20261124T1500Z'),
  lead: idFlag('lead').optional(),
  opportunity: idFlag('opportunity').optional()
});

function formatSlots(result: OrgSlotSearch, limit: number): string {
  const zone = (iso: string) => iso.replace(/:00\.000Z$/, 'Z');
  const lines = [
    `${result.total} open slots for ${result.demoType.key} (${result.demoType.durationMinutes} min); showing ${Math.min(limit, result.slots.length)}. Seed ${String(result.seed)}.`,
    '  rank  start (UTC)         AE                  engineer            key'
  ];
  for (const s of result.slots) lines.push(`  ${String(s.rank).padStart(4)}  ${zone(s.start).padEnd(18)}  ${(s.aeId ?? '-').padEnd(18)}  ${(s.engineerId ?? '-').padEnd(18)}  ${s.key}`);
  const top = result.owners.slice(0, 5).map((o) => `${o.userId} ${o.booked}/${o.effectiveTarget.toFixed(0)}`);
  if (top.length) lines.push(`Most behind first (booked/target): ${top.join(', ')}`);
  if (result.problems.length) lines.push(`Records skipped (fix them in the org): ${result.problems.length}`, ...result.problems.slice(0, 10).map((p) => `  ${p}`));
  return lines.join('\n');
}

export function register(program: Command): void {
  const calendar = program.command('calendar').description('Demo calendar: open slots ranked by need, and booking that cannot double-book');
  calendar
    .command('slots')
    .description('List open demo slots for a demo type, the most behind AE first')
    .requiredOption('--type <key>', 'Demo_Type__c Key__c')
    .option('--days <n>', 'days ahead', '14')
    .option('--grid <minutes>', 'start times on this grid (UTC)', '30')
    .option('--city <city>', 'field meetings: the meeting city')
    .option('--limit <n>', 'slots to show', '20')
    .option('--seed <seed>', 'tie-break seed (default: today, UTC)')
    .option('--org <target>', ORG_OPTION_HELP)
    .option('--json', 'print JSON', false)
    .action(async (raw: Record<string, unknown>) => {
      const f = parseFlags(SlotsFlags, raw);
      const client = await connect(f.org);
      const now = new Date();
      const result = await searchSlots(client, { demoTypeKey: f.type, days: f.days, gridMinutes: f.grid, city: f.city ?? null, limit: f.limit, seed: f.seed ?? dailySeed(now), now });
      print(f.json, result, () => formatSlots(result, f.limit));
    });
  calendar
    .command('book')
    .description('Book a slot: inserts Demo_Slot__c (unique Slot_Key__c) and the AE\u2019s Event')
    .requiredOption('--type <key>', 'Demo_Type__c Key__c')
    .requiredOption('--slot <rank|key>', 'rank from `asl calendar slots` (same day, same flags) or a slot key')
    .option('--lead <id>', 'the lead the demo is for')
    .option('--opportunity <id>', 'the opportunity the demo is for')
    .option('--days <n>', 'days ahead (as for slots)', '14')
    .option('--grid <minutes>', 'grid (as for slots)', '30')
    .option('--city <city>', 'field meetings: the meeting city')
    .option('--seed <seed>', 'tie-break seed (default: today, UTC)')
    .option('--org <target>', ORG_OPTION_HELP)
    .option('--json', 'print JSON', false)
    .action(async (raw: Record<string, unknown>) => {
      const f = parseFlags(BookFlags, raw);
      const client = await connect(f.org);
      const now = new Date();
      try {
        const booking = await bookSlot(client, {
          demoTypeKey: f.type,
          days: f.days,
          gridMinutes: f.grid,
          city: f.city ?? null,
          seed: f.seed ?? dailySeed(now),
          now,
          slot: f.slot,
          leadId: f.lead ?? null,
          opportunityId: f.opportunity ?? null,
          bookedBy: integrationUserId(client)
        });
        print(f.json, booking, () => `Booked ${booking.slot.key}: ${booking.slot.start} to ${booking.slot.end}, AE ${booking.slot.aeId ?? '-'}, engineer ${booking.slot.engineerId ?? '-'}. Demo_Slot__c ${booking.demoSlotId}; Events ${booking.eventIds.join(', ')}.`);
      } catch (error) {
        if (!(error instanceof SlotConflictError)) throw error;
        print(f.json, { error: 'slot_taken', slotKey: error.slotKey, message: error.message, next: error.next }, () => error.message);
        process.exitCode = 3;
      }
    });
}
