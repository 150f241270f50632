import type { Outcome } from '../../schema';

/**
 * What counts as a contact, a qualified lead and a bad record, from the dispositions SDRs
 * record (Disposition__c.Outcome__c, picklist ASL_Disposition_Outcome). One definition, used
 * by the A/B metric, the list-quality tests and ROI.
 */

/** A conversation with the person the lead is about (they answered, whatever they said). */
export const CONTACT_OUTCOMES: readonly Outcome[] = ['Not Interested', 'Call Back Requested', 'Meeting Booked', 'Nurture', 'Do Not Call', 'Bad Fit', 'Current Client'];

/** The lead agreed to a meeting: the line's qualification event. */
export const QUALIFIED_OUTCOMES: readonly Outcome[] = ['Meeting Booked'];

/** The list's data was wrong for this lead. */
export const BAD_DATA_OUTCOMES: readonly Outcome[] = ['Bad Number', 'Wrong Person'];

export interface LeadFlags {
  contacted: boolean;
  qualified: boolean;
  badData: boolean;
}

/** Flags per lead id from its dispositions. */
export function leadFlags(dispositions: readonly { leadId: string | null; outcome: Outcome }[]): Map<string, LeadFlags> {
  const out = new Map<string, LeadFlags>();
  for (const d of dispositions) {
    if (!d.leadId) continue;
    const flags = out.get(d.leadId) ?? { contacted: false, qualified: false, badData: false };
    if (CONTACT_OUTCOMES.includes(d.outcome)) flags.contacted = true;
    if (QUALIFIED_OUTCOMES.includes(d.outcome)) flags.qualified = true;
    if (BAD_DATA_OUTCOMES.includes(d.outcome)) flags.badData = true;
    out.set(d.leadId, flags);
  }
  return out;
}
