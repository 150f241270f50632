export { chiSquareCdf, chiSquareSf, gammaP, gammaQ, logGamma } from './gamma';
export { independenceTest, toColumns, type IndependenceOptions, type IndependenceTest, type Observation, type ObservationColumns, type PValueMethod } from './contingency';
export { holmAdjust, wilsonInterval } from './binomial';
