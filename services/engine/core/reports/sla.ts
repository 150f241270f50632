import { z } from 'zod';

/**
 * SLA breaches as stored flags. A station stay is breached once its time in the station
 * exceeds the station's SLA: SLA_Due_At__c (entry + SLA hours, stamped by the stage-timer flow
 * when the stay opens) is earlier than the exit, or than now while the asset is still there.
 *
 * Why a stored flag and not a formula: a formula with NOW() is computed when read, so a
 * report cannot group breaches by when they happened, a dashboard cannot count last week's
 * breaches once the stays have closed, and SOQL cannot filter on it selectively. The flow
 * flags a stay that ends late in the same save; nothing fires while an asset just sits past
 * its due time, so the engine sets the flag on stays still open (this function), with
 * Breached_At__c = SLA_Due_At__c, the instant the breach happened, not when it was noticed.
 */
const openStaySchema = z.object({
  Id: z.string().min(1),
  SLA_Due_At__c: z.string().min(1, 'SLA_Due_At__c is empty: the query must select stays with a due time'),
  Exited_At__c: z.preprocess((v) => (v === '' || v === undefined ? null : v), z.string().nullable()),
  SLA_Breached__c: z.preprocess((v) => v === true || v === 'true', z.boolean())
});
export type OpenStayRecord = z.input<typeof openStaySchema>;

export interface BreachFlag {
  Id: string;
  SLA_Breached__c: true;
  Breached_At__c: string;
}

/** Flags for open, unflagged stays whose due time has passed at `now`. */
export function breachFlags(rows: readonly unknown[], now: Date): BreachFlag[] {
  const out: BreachFlag[] = [];
  for (const raw of rows) {
    const parsed = openStaySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`Stage_Event__c.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'not a station stay'} (record ${JSON.stringify(raw).slice(0, 120)})`);
    }
    const stay = parsed.data;
    const due = Date.parse(stay.SLA_Due_At__c);
    if (Number.isNaN(due)) throw new Error(`Stage_Event__c(${stay.Id}).SLA_Due_At__c: "${stay.SLA_Due_At__c}" is not an ISO 8601 date-time`);
    // A closed stay was judged by the flow at its exit; only stays still open are ours.
    if (stay.SLA_Breached__c || stay.Exited_At__c !== null || due >= now.getTime()) continue;
    out.push({ Id: stay.Id, SLA_Breached__c: true, Breached_At__c: new Date(due).toISOString() });
  }
  return out;
}
