import { parentPort, workerData } from 'node:worker_threads';
import type { QueueDefaults } from '../../core/queue/config';
import { runSeed, type BehaviourModel, type PolicyKey, type Scenario } from '../../core/simulate';

/** Worker thread of `asl simulate`: runs one seed at a time for the main thread. */
const data = workerData as { model: BehaviourModel; scenario: Scenario; policies: PolicyKey[]; defaults: QueueDefaults };

parentPort?.on('message', (message: { index: number; seed: number }) => {
  const runs = runSeed(data.model, data.scenario, data.policies, message.seed, data.defaults);
  parentPort?.postMessage({ index: message.index, runs });
});
