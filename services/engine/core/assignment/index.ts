/**
 * Where equality is guaranteed: stratified permuted-block assignment, its ledger, replay and
 * the equality report. Plain functions over plain data; jobs/ and cli/ do the org I/O.
 */
export {
  assignBatch,
  ledgerKeyOf,
  parseAssets,
  type AssignInput,
  type AssignResult,
  type BlockClosed,
  type BlockEvent,
  type BlockOpened,
  type CloseReason,
  type WaitReason,
  type WaitingAsset
} from './assign';
export {
  auditAssignments,
  capViolations,
  equalityReport,
  formatAuditReport,
  replayLedger,
  rosterSource,
  skillsOfStratum,
  DEFAULT_QUALITY_DIMENSIONS,
  type AuditInput,
  type AuditReport,
  type BlockAudit,
  type BlockRef,
  type CapViolation,
  type DimensionTest,
  type EqualityOptions,
  type EqualityReport,
  type ReplayReport,
  type RosterSource
} from './audit';
export { calibrateEqualityTest, type CalibrationOptions, type CalibrationResult, type RateEstimate } from './calibration';
export { parseInstant } from './instant';
export { buildBlock, rosterFingerprint, seedToken, type Block } from './block';
export { rateCap, repStatus, wipCap, type IneligibleReason, type RateCap, type RepStatus } from './eligibility';
export { CoreInputError } from './errors';
export * from './model';
export * from './records';
export { isOnLeave, localTime, shiftStatus, standardOffsetHours, WEEKDAYS, type ShiftStatus, type Weekday } from './shift';
export {
  encodeEngineState,
  drawsInSecondOf,
  engineStateIsCurrent,
  engineStateSchema,
  openBlocks,
  parseEngineState,
  rebuildState,
  rateWindowMs,
  recentDrawsOf,
  isStationDraw,
  stateFromEngineState,
  ENGINE_STATE_MAX_CHARS,
  type EngineState
} from './state';
export { stratumResolver, type StratumOf } from './strata';
export { planUnits, blockQuotas, type UnitPlan } from './weights';
export { planRebalance, type RebalancePlan, type OpenAsset } from './rebalance';
