/** Flow control: WIP, throughput, cycle time, SLA, bottleneck and release control. */
export { lineFlow, type CycleTime, type FlowInput, type LineFlow, type Staffing, type StationFlow } from './metrics';
export { countTransitions, describeRates, releasePlan, transitionKey, transitionRates, MIN_EXITS, NO_LIMIT, type EdgeRate, type FlowEdge, type TransitionCounts, type ReleaseDecision, type ReleaseInput, type ReleasePlan, type ReleaseStation } from './release';
export { stageEventRecordSchema, stationKeyOf, visitFromRecord, type StageEventRecord, type StageVisit } from './records';
export { headcounts, releaseGate, type Gate, type GateInput, type GateStation } from './gate';
