/**
 * Streaming API: CometD at /cometd/vv.v with Change Data Capture channels
 * (`/data/ChangeEvents`, `/data/LeadChangeEvent`, `/data/Disposition__ChangeEvent`) and
 * platform event channels (`/event/Engine_Signal__e`), with durable replay.
 * See streaming/cometd.ts for the Salesforce behaviour it copies.
 *
 * faye serves the long-polls on the org's HTTP server itself (it is attached once the
 * server listens), so CometD requests never pass Express' body parsers; like Salesforce,
 * they do not count against the daily REST API allowance.
 */
import { join } from 'node:path';
import { Router } from 'express';
import type { LocalOrgContext } from '../context';
import { StreamingService } from '../streaming/cometd';

export function mountStreaming(ctx: LocalOrgContext): Router {
  const service = new StreamingService({
    schema: ctx.schema,
    sessions: ctx.sessions,
    events: ctx.events,
    now: () => ctx.now(),
    apiVersion: ctx.apiVersion,
    logPath: ctx.options.dataDir === ':memory:' ? ':memory:' : join(ctx.options.dataDir, 'streaming.sqlite'),
  });
  ctx.onListen((server) => {
    service.attach(server);
    server.once('close', () => service.close());
  });
  return Router();
}
