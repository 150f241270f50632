import { z } from 'zod';
import { CONTACT_OUTCOMES, QUALIFIED_OUTCOMES } from '../campaigns/outcomes';
import { InputError } from '../calendar/orgRecord';
import type { Outcome } from '../../schema';

/**
 * The plan's stations measured from the org's records instead of typed in: lead -> contact,
 * contact -> meeting booked, meeting -> demo held, demo held -> won, each as counts (so the
 * plan gives a range) with its mean days. A cohort of leads created in the measuring window
 * is followed through its dispositions; closing is measured on the opportunities closed in
 * the window. Leads still in flight count as not converted (right-censoring), which biases
 * the rates down when the window is short: measure over a window longer than the cycle.
 */
const text = z.preprocess((v) => (v === '' || v === undefined ? null : v), z.string().nullable());
const bool = z.preprocess((v) => v === true || v === 'true', z.boolean());

export const measuredInputSchema = z.object({
  leads: z.array(z.object({ Id: z.string(), CreatedDate: z.string() })),
  dispositions: z.array(z.object({ Lead__c: text, Outcome__c: z.string(), CreatedDate: z.string() })),
  opportunities: z.array(z.object({ IsWon: bool, Amount: z.preprocess((v) => (v === '' || v === undefined || v === null ? null : Number(v)), z.number().nullable()), CreatedDate: z.string(), CloseDate: z.string() }))
});
export type MeasuredInput = z.input<typeof measuredInputSchema>;

export interface MeasuredStage {
  name: string;
  conversion: { converted: number; entered: number };
  cycleDays: number;
}

export interface Measured {
  stages: MeasuredStage[];
  /** SDR dispositions (calls) per lead that was called at least once. */
  attemptsPerLead: number | null;
  averageDealSize: number | null;
}

const DAY = 86_400_000;
const HELD: readonly string[] = ['Demo Held'];
const CALL_OUTCOMES: readonly string[] = ['No Answer', 'Left Voicemail', 'Bad Number', 'Wrong Person', 'Not Interested', 'Call Back Requested', 'Meeting Booked', 'Nurture', 'Do Not Call', 'Bad Fit', 'Duplicate', 'Current Client'];

function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

export function measuredStages(raw: MeasuredInput): Measured {
  const input = measuredInputSchema.parse(raw);
  const created = new Map(input.leads.map((l) => [l.Id, Date.parse(l.CreatedDate)]));
  const first = { contact: new Map<string, number>(), meeting: new Map<string, number>(), held: new Map<string, number>() };
  const calls = new Map<string, number>();
  const sorted = [...input.dispositions].sort((a, b) => Date.parse(a.CreatedDate) - Date.parse(b.CreatedDate));
  for (const d of sorted) {
    if (!d.Lead__c || !created.has(d.Lead__c)) continue;
    const at = Date.parse(d.CreatedDate);
    const outcome = d.Outcome__c as Outcome;
    if (CALL_OUTCOMES.includes(outcome)) calls.set(d.Lead__c, (calls.get(d.Lead__c) ?? 0) + 1);
    if (CONTACT_OUTCOMES.includes(outcome) && !first.contact.has(d.Lead__c)) first.contact.set(d.Lead__c, at);
    if (QUALIFIED_OUTCOMES.includes(outcome) && !first.meeting.has(d.Lead__c)) first.meeting.set(d.Lead__c, at);
    if (HELD.includes(outcome) && first.meeting.has(d.Lead__c) && !first.held.has(d.Lead__c)) first.held.set(d.Lead__c, at);
  }
  const gaps = (to: Map<string, number>, from: (id: string) => number | undefined) =>
    [...to].map(([id, at]) => (at - (from(id) ?? at)) / DAY).filter((d) => d >= 0);
  const closed = input.opportunities;
  const won = closed.filter((o) => o.IsWon);
  const stages: MeasuredStage[] = [
    { name: 'Lead to contact', conversion: { converted: first.contact.size, entered: created.size }, cycleDays: mean(gaps(first.contact, (id) => created.get(id))) },
    { name: 'Contact to meeting', conversion: { converted: first.meeting.size, entered: first.contact.size }, cycleDays: mean(gaps(first.meeting, (id) => first.contact.get(id))) },
    { name: 'Meeting to demo held', conversion: { converted: first.held.size, entered: first.meeting.size }, cycleDays: mean(gaps(first.held, (id) => first.meeting.get(id))) },
    { name: 'Demo held to won', conversion: { converted: won.length, entered: closed.length }, cycleDays: mean(closed.map((o) => Math.max(0, (Date.parse(o.CloseDate) - Date.parse(o.CreatedDate)) / DAY))) }
  ];
  for (const [i, s] of stages.entries()) {
    if (s.conversion.entered === 0 || s.conversion.converted === 0) {
      throw new InputError(`stages[${i}] (${s.name})`, s.conversion, 'records that reach this station and move on in the measuring window: widen --measure-days, or give --conversions');
    }
  }
  const called = [...calls.values()];
  const amounts = won.map((o) => o.Amount).filter((a): a is number => a !== null && a > 0);
  return { stages, attemptsPerLead: called.length ? mean(called) : null, averageDealSize: amounts.length ? mean(amounts) : null };
}
