import type { EngineFeature } from '../../service';
import type { OrgClient } from '../../org/connection';
import type { StreamingMessage } from '../../org/streaming';
import { LiveQueue, type LiveQueueHooks, type QueueOptionsInput } from './live';

/**
 * The call queue in the org (docs/call-queue.md, "The queue in the org"): ranks every SDR at
 * start and on the Rerank job, re-ranks one SDR on each new Disposition__c, and re-plans the
 * owner's queue when a lead arrives or changes hands (Lead change events).
 */
export { LiveQueue, type LeadsReplanReport, type RankReport, type RerankReport, type QueueOptionsInput } from './live';
export { CONSOLE_GUIDANCE_KEYS, EntryLedger, entryRecord } from './entries';

export function queueFeature(options: QueueOptionsInput = {}, hooks: LiveQueueHooks & { onCreated?: (queue: LiveQueue) => void } = {}): EngineFeature {
  const queues = new WeakMap<OrgClient, LiveQueue>();
  const queueOf = (client: OrgClient): LiveQueue => {
    let queue = queues.get(client);
    if (!queue) {
      queue = new LiveQueue(client, options, hooks);
      queues.set(client, queue);
      hooks.onCreated?.(queue);
    }
    return queue;
  };
  return {
    name: 'queue',
    jobs: (client) => ({
      Rerank: async () => {
        const report = await queueOf(client).rankAll();
        return {
          recordsTouched: report.entriesWritten + report.leadUpdates,
          partial: report.failed.length > 0,
          summary: `${report.sdrs} SDRs, ${report.queued} open tasks, ${report.entriesWritten} entries written, ${report.moved} moved`
        };
      }
    }),
    listeners: (client) => {
      const channel = (entity: string) => `/data/${entity}`;
      const ns = client.config.namespace;
      return [
        { channel: channel(`${ns ? `${ns}__` : ''}Disposition__ChangeEvent`), handle: async (message) => void (await queueOf(client).onDispositionEvent(message)) },
        { channel: channel('LeadChangeEvent'), handle: async (message) => acceptLeadEvent(queueOf(client), message) }
      ];
    },
    onStart: async (client) => {
      await queueOf(client).rankAll();
    },
    // Leads accepted from events but not yet re-planned are written before the engine stops.
    onStop: async (client) => {
      await queues.get(client)?.leadsSettled();
    }
  };
}

/**
 * Hands the event's leads to the coalesced re-plan without waiting for it: the channel
 * delivers one event at a time, so waiting here would let no other event reach the batch
 * and every event would cost a re-plan of its own. A graceful stop waits for the leads
 * accepted (the feature's onStop); after a crash, the full ranking at the next start reads
 * every lead. A failed re-plan is reported with the next event
 * (through the engine's event-error log) and its leads are retried in the next batch.
 */
export function acceptLeadEvent(queue: LiveQueue, message: StreamingMessage): void {
  const ids = queue.leadIdsOf(message);
  if (ids.length > 0) queue.leadsChanged(ids).catch(() => undefined);
  const failure = queue.takeLeadFailure();
  if (failure) {
    const retried = failure.ids.length - failure.gaveUp.length;
    const reason = failure.error instanceof Error ? failure.error.message : String(failure.error);
    throw new Error(`queue: re-plan of ${failure.ids.length} changed leads failed (${reason}); ${retried} retried, ${failure.gaveUp.length} left to the next full ranking (Rerank job or restart)`);
  }
}
