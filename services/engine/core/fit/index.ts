export * from './analysis';
export * from './drop';
export * from './records';
