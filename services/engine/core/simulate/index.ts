/**
 * The SDR floor simulator: a seeded discrete-event simulation that runs the queue policy
 * against the ways people work today, on identical arrivals and luck. Pure: the behaviour
 * model and the scenario come in as data.
 */
export { parseBehaviourModel, BehaviourModelError, BehaviourModelSchema, type BehaviourModel } from './behaviourModel';
export { ScenarioSchema, type Scenario, type ScenarioInput } from './scenario';
export { runFloor, type RunMetrics } from './floor';
export { POLICIES, type PolicyFactory, type SimPolicy } from './policies';
export { compareRuns, formatReport, runSeed, POLICY_KEYS, type ComparisonReport, type PolicyKey, type PolicySummary, type RatioSummary } from './compare';
export { meanInterval, ratioInterval, percentile, type Interval } from './stats';
