/** Flow control: WIP, throughput, cycle time, SLA, bottleneck and release control. */
export { lineFlow, type CycleTime, type FlowInput, type LineFlow, type Staffing, type StationFlow } from './metrics';
export { releasePlan, transitionRates, NO_LIMIT, type FlowEdge, type ReleaseDecision, type ReleaseInput, type ReleasePlan } from './release';
export { stageEventRecordSchema, visitFromRecord, type StageEventRecord, type StageVisit } from './records';
