import { z } from 'zod';
import { BINS, isAvoidBin, type QueuePurpose } from '../../schema';
import { InputError } from '../calendar/orgRecord';

/**
 * Real-time routing of a lead that arrives from a campaign. Inbound first: a person who just
 * raised a hand is most likely to answer in the first minutes (the speed-to-lead effect), so
 * an inbound campaign response goes to the inbound station at the top priority with a due
 * time of now + the speed-to-lead target. List (outbound) members of a campaign come after
 * any inbound lead. Leads in an Avoid bin, converted leads and leads marked Do Not Call are
 * not queued for a call, with the reason said.
 *
 * Priority: 1 = inbound campaign response, 2 = inbound without a campaign, 3 = campaign list
 * member, 4 = any other outbound lead. A campaign may be marked hot, which moves its list
 * members up to priority 2 (never above an inbound response).
 */
export const routingConfigSchema = z.object({
  inboundStationKey: z.string().min(1),
  outboundStationKey: z.string().min(1),
  /** Minutes within which an inbound lead must be called. */
  speedToLeadMinutes: z.number().positive().default(5),
  /** Minutes within which an outbound campaign member should be called. */
  outboundDueMinutes: z.number().positive().default(24 * 60),
  /** Campaign ids whose list members jump ahead of other outbound work. */
  hotCampaignIds: z.array(z.string()).default([])
});
export type RoutingConfig = z.input<typeof routingConfigSchema>;

export const inboundLeadSchema = z.object({
  id: z.string().min(1),
  inbound: z.boolean(),
  campaignId: z.string().nullable().default(null),
  bin: z.enum(BINS).nullable().default(null),
  doNotCall: z.boolean().default(false),
  isConverted: z.boolean().default(false),
  /** When the lead arrived (CreatedDate, or the campaign response time). */
  arrivedAt: z.union([z.string(), z.date()]).transform((v) => new Date(v))
});
export type InboundLead = z.input<typeof inboundLeadSchema>;

export type RouteDecision =
  | { action: 'queue'; leadId: string; stationKey: string; priority: 1 | 2 | 3 | 4; purpose: QueuePurpose; dueAt: string; reason: string }
  | { action: 'skip'; leadId: string; reason: string };

export function routeCampaignLead(lead: InboundLead, config: RoutingConfig, now: Date): RouteDecision {
  const l = inboundLeadSchema.safeParse(lead);
  if (!l.success) throw new InputError(`lead.${l.error.issues[0]?.path.join('.') ?? ''}`, lead, l.error.issues[0]?.message ?? 'a lead');
  const c = routingConfigSchema.parse(config);
  const x = l.data;
  if (x.isConverted) return { action: 'skip', leadId: x.id, reason: 'already converted' };
  if (x.bin && isAvoidBin(x.bin)) return { action: 'skip', leadId: x.id, reason: `in bin ${x.bin}: never re-enters a queue` };
  if (x.doNotCall) return { action: 'skip', leadId: x.id, reason: 'Do Not Call is set' };
  // Time counts from arrival, not from when the engine heard of it: a late event is still due soon.
  const from = Math.min(x.arrivedAt.getTime(), now.getTime());
  const purpose: QueuePurpose = 'First Touch';
  if (x.inbound) {
    return {
      action: 'queue',
      leadId: x.id,
      stationKey: c.inboundStationKey,
      priority: x.campaignId ? 1 : 2,
      purpose,
      dueAt: new Date(from + c.speedToLeadMinutes * 60_000).toISOString(),
      reason: x.campaignId ? `inbound response to campaign ${x.campaignId}: call within ${c.speedToLeadMinutes} min` : `inbound: call within ${c.speedToLeadMinutes} min`
    };
  }
  const hot = x.campaignId !== null && c.hotCampaignIds.includes(x.campaignId);
  return {
    action: 'queue',
    leadId: x.id,
    stationKey: c.outboundStationKey,
    priority: hot ? 2 : x.campaignId ? 3 : 4,
    purpose,
    dueAt: new Date(from + c.outboundDueMinutes * 60_000).toISOString(),
    reason: x.campaignId ? `list member of campaign ${x.campaignId}${hot ? ' (hot campaign)' : ''}` : 'outbound lead'
  };
}
