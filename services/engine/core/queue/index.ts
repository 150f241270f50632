/**
 * The ranked call queue: who each SDR calls, when, why and how. Pure: records and a clock in,
 * entries, moves and field updates out. The org layer writes them (Queue_Entry__c) and feeds
 * dispositions back through rerankAfterDisposition.
 */
export { rankQueue, toQueueEntryRecord, type RankOptions, type RankResult } from './rank';
export {
  buildQueueState,
  emptyState,
  entryKeyOf,
  nextCall,
  observationsFromHistory,
  planSdr,
  putTask,
  readyTime,
  removeTask,
  rerankAfterDisposition,
  setOdds,
  upsertLead,
  type BuildOptions,
  type ClosedAsset,
  type FieldUpdate,
  type QueueEntry,
  type QueueState,
  type RerankOptions,
  type RerankResult,
  type SdrQueue
} from './state';
export { estimateOdds, oddsFromPriors, contactProbability, meetingGivenContact, type CallObservation, type OddsModel } from './odds';
export { QUEUE_DEFAULTS, parseQueueDefaults, QueueConfigError, type QueueDefaults, type QueueRules, type QueuePriors } from './config';
export { GUIDANCE, guidanceFor, PURPOSES, OUTCOMES, type Guidance, type Outcome, type Purpose } from './guidance';
export {
  parseQueueInput,
  QueueInputError,
  type AccountRecord,
  type DispositionRecord,
  type DispositionRecordInput,
  type LeadRecord,
  type LeadRecordInput,
  type QueueInput,
  type QueueInputRaw,
  type RepCapacityRecord
} from './records';
export type { AssetMove, Task } from './tasks';
