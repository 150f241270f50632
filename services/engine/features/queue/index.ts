import type { EngineFeature } from '../../service';
import type { OrgClient } from '../../org/connection';
import { LiveQueue, type LiveQueueHooks, type QueueOptionsInput } from './live';

/**
 * The call queue in the org (docs/call-queue.md, "The queue in the org"): ranks every SDR at
 * start and on the Rerank job, re-ranks one SDR on each new Disposition__c, and re-plans the
 * owner's queue when a lead arrives or changes hands (Lead change events).
 */
export { LiveQueue, type RankReport, type RerankReport, type QueueOptionsInput } from './live';
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
        { channel: channel('LeadChangeEvent'), handle: async (message) => void (await queueOf(client).onLeadEvent(message)) }
      ];
    },
    onStart: async (client) => {
      await queueOf(client).rankAll();
    }
  };
}
