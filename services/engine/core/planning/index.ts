export * from './erlang';
export * from './plan';
