export * from './summary';
export * from './sla';
