/** Movement between stations and bins ("cognitive circulation"), and nurture re-entry. */
export { moveForDisposition, DEFAULT_CHECK_BACK_DAYS, type AssetState, type Disposition, type Move, type MoveResult, type NoMove, type Place } from './move';
export { dueForReentry, type NurtureAsset, type Reentry } from './reentry';
export { dispositionFromRecord, dispositionRecordSchema, type DispositionRecord } from './records';
export {
  BINS,
  OUTCOMES,
  OWNER_RULES,
  indexRules,
  isAvoidBin,
  rulesFromConfig,
  rulesFromRecords,
  stationRuleSchema,
  type Bin,
  type Outcome,
  type OwnerRule,
  type StationRule
} from './rules';
export { customerMoves, isCustomer, type AccountState, type CustomerMove } from './customers';
