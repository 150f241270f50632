/**
 * Forecasting: expected bookings per month, quarter and year with P10/P50/P90, from history
 * (survival x win rates x new pipeline x season, calibrated on its own track record), the
 * rolling-origin backtest with baselines and the leakage self-test. Pure and seeded.
 */
export * from './types';
export {
  dayFromIso,
  isoFromDay,
  periodContaining,
  periodOfMonth,
  shiftPeriod,
  type Day,
  type Period,
  type PeriodType
} from './dates';
export { knownAt, resolveSnapshot, wonBetween, openAt, OPEN, type KnownDeals } from './known';
export {
  forecast,
  forecastKnown,
  horizonPeriods,
  METHOD,
  type Forecast,
  type ForecastLine,
  type ForecastPeriod,
  type ForecastRequest,
  type PeriodExplanation,
  type CalibrationReport
} from './forecast';
export {
  runBacktest,
  leakageSelfTest,
  backtestPeriods,
  forecastPeriodAt,
  BacktestRequestSchema,
  METHODS,
  type Backtest,
  type BacktestRequest,
  type BacktestRow,
  type MethodScore,
  type LeakageResult,
  type MethodName
} from './backtest';
export {
  accuracyBacktests,
  yearToGoBacktest,
  backtestWindow,
  type Accuracy,
  type AccuracyEntry,
  type AccuracyRun,
  type YearToGoBacktest,
  type YearToGoRow
} from './accuracy';
export { baselineForecasts, BASELINES, type BaselineName } from './baselines';
export { scrambleAfter, firstDifference } from './leakage';
export {
  toForecastRecords,
  forecastKey,
  type ForecastRecords,
  type ForecastRecordOptions
} from './records';
export {
  mapOpportunityRecords,
  mappingFiles,
  CsvMappingSchema,
  MAVEN_CRM_PRESET,
  PRESETS,
  type CsvMapping,
  type CsvMappingInput,
  type CsvRecord,
  type MappedHistory
} from './csvMapping';
export {
  generateSynthetic,
  oracleForecast,
  DEFAULT_SYNTHETIC,
  type SyntheticSpec,
  type SyntheticWorld
} from './synthetic';
