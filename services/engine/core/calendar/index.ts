export * from './model';
export * from './slots';
export * from './booking';
export * from './availability';
export * from './records';
export { InputError, selectFields, type Parsed } from './orgRecord';
export { isValidTimeZone, zonedToUtc, localEpochDay, WEEKDAYS, type Weekday } from './zone';
export { normalize, subtract, intersect, covers, overlaps, type Interval } from './intervals';
