export * from './erlang';
export * from './plan';
export * from './measured';
