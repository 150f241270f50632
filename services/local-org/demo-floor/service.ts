/**
 * What customers bring with them: quarterly invoices (some unpaid and overdue, which sets
 * Account.Has_Overdue_Invoice__c and blocks upsell calls) and service cases (some open and
 * high priority).
 */
import type { AccountEntry } from './accounts';
import { quarterOf } from './campaigns';
import type { FloorRng } from './random';
import type { FloorRow } from './sink';
import { DAY, isoDate, isoDateTime } from './timeZones';

/** Share of customers with an unpaid invoice past its due date. */
export const DELINQUENT_SHARE = 0.08;
const PAYMENT_TERMS_DAYS = 30;
const HISTORY_DAYS = 730;

/** Invoices of one customer; sets the account's overdue flag to match them. */
export function invoicesFor(rng: FloorRng, entry: AccountEntry, asOfMs: number): FloorRow[] {
  const since = entry.state.customerSinceMs;
  if (since === null) return [];
  const asOfDay = Math.floor(asOfMs / DAY) * DAY;
  const delinquent = rng.chance(DELINQUENT_SHARE);
  const quarterly = Math.max(100, Math.round(entry.state.annualAmount / 4));
  const plan: Array<{ issuedMs: number; dueMs: number }> = [];
  let issued = Math.max(since, asOfMs - HISTORY_DAYS * DAY);
  issued = Math.floor(issued / DAY) * DAY;
  while (issued <= asOfMs) {
    plan.push({ issuedMs: issued, dueMs: issued + PAYMENT_TERMS_DAYS * DAY });
    issued = quarterOf(issued).endMs;
  }
  const pastDue = plan.filter((invoice) => invoice.dueMs < asOfDay);
  const unpaidOverdue =
    delinquent && pastDue.length > 0
      ? new Set([pastDue[pastDue.length - 1]])
      : new Set<(typeof plan)[number]>();
  const rows = plan.map((invoice) => {
    const overdueUnpaid = unpaidOverdue.has(invoice);
    const notYetDue = invoice.dueMs >= asOfDay;
    return {
      Account__c: entry.id,
      Amount__c: quarterly,
      Due_Date__c: isoDate(invoice.dueMs),
      Paid__c: !(overdueUnpaid || notYetDue),
      CreatedDate: isoDateTime(invoice.issuedMs + 9 * 3_600_000)
    };
  });
  entry.state.hasOverdueInvoice = rows.some(
    (row) => !row.Paid__c && Date.parse(row.Due_Date__c) < asOfDay
  );
  return rows;
}

const SUBJECTS = [
  'Cannot log in after password reset',
  'Report totals do not match export',
  'Request to add ten user licences',
  'Integration sync failing overnight',
  'Invoice address needs updating',
  'Dashboard loads slowly',
  'Question about data retention',
  'Field service app crashes on start'
] as const;

/**
 * Cases of one customer. `forceOpenHigh` gives the customer an open high-priority case from
 * the last few days, so the floor always has some.
 */
export function casesFor(
  rng: FloorRng,
  entry: AccountEntry,
  asOfMs: number,
  forceOpenHigh: boolean
): FloorRow[] {
  const since = entry.state.customerSinceMs;
  if (since === null) return [];
  const from = Math.max(since, asOfMs - HISTORY_DAYS * DAY);
  const rows: FloorRow[] = [];
  const count = rng.int(0, 3);
  for (let i = 0; i < count; i += 1) {
    const createdMs = from + rng.next() * (asOfMs - from);
    const recent = asOfMs - createdMs < 14 * DAY;
    const open = recent ? rng.chance(0.7) : rng.chance(0.03);
    rows.push(
      caseRow(
        rng,
        entry,
        createdMs,
        open,
        rng.chance(0.15) ? 'High' : rng.chance(0.6) ? 'Medium' : 'Low'
      )
    );
  }
  if (forceOpenHigh)
    rows.push(caseRow(rng, entry, asOfMs - rng.int(1, 5 * 24) * 3_600_000, true, 'High'));
  return rows;
}

function caseRow(
  rng: FloorRng,
  entry: AccountEntry,
  createdMs: number,
  open: boolean,
  priority: string
): FloorRow {
  return {
    AccountId: entry.id,
    OwnerId: entry.state.ownerId,
    Subject: rng.pick(SUBJECTS),
    Status: open ? rng.pick(['New', 'Working', 'Escalated']) : 'Closed',
    Priority: priority,
    Origin: rng.pick(['Phone', 'Email', 'Web']),
    Type: 'Other',
    Reason: rng.pick(['Installation', 'Performance', 'Feedback', 'Other']),
    CreatedDate: isoDateTime(Math.floor(createdMs / 1000) * 1000)
  };
}
