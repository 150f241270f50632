/**
 * The part of faye (1.4) the CometD endpoint uses. faye ships no type declarations, and a
 * global `declare module 'faye'` would also retype jsforce's streaming client for the whole
 * project, so the module is loaded through `createRequire` and typed here.
 */
import { createRequire } from 'node:module';
import type { IncomingMessage, Server } from 'node:http';

/** A Bayeux message as it crosses faye's server extensions. */
export interface BayeuxMessage {
  channel: string;
  clientId?: string;
  id?: string;
  data?: unknown;
  subscription?: string | string[];
  error?: string;
  successful?: boolean;
  ext?: Record<string, unknown>;
  advice?: Record<string, unknown>;
  supportedConnectionTypes?: string[];
  [key: string]: unknown;
}

export interface ServerExtension {
  incoming?(message: BayeuxMessage, request: IncomingMessage | null, callback: (message: BayeuxMessage) => void): void;
  outgoing?(message: BayeuxMessage, request: IncomingMessage | null, callback: (message: BayeuxMessage) => void): void;
}

/** faye's engine proxy, the `server` a custom engine is created with. */
export interface EngineProxy {
  /** Long-poll hold time in seconds. */
  readonly timeout: number;
  hasConnection(clientId: string): boolean;
  deliver(clientId: string, messages: BayeuxMessage[]): boolean;
  trigger(event: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
}

export interface NodeAdapterOptions {
  mount: string;
  /** Seconds a /meta/connect is held open. */
  timeout: number;
  engine: { type: { create(server: EngineProxy, options: Record<string, unknown>): unknown } } & Record<string, unknown>;
}

export interface NodeAdapter {
  addExtension(extension: ServerExtension): void;
  attach(server: Server): void;
  /** Answers the open long-polls and stops the engine. */
  close(): void;
}

interface FayeModule {
  NodeAdapter: new (options: NodeAdapterOptions) => NodeAdapter;
}

export function loadFaye(): FayeModule {
  return createRequire(__filename)('faye') as FayeModule;
}
