/**
 * Forwards the org's API paths the consoles call (REST and GraphQL under /services/data/, the
 * CometD endpoint under /cometd/) from the preview's origin to the local org, so the browser
 * talks to one origin (the org sends no CORS headers, and faye's long-polling sends the
 * session header only to its own origin). Login endpoints are not forwarded: the org accepts
 * its local password from loopback only, and the preview server must not widen that.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';

export const PROXIED_PATHS = ['/services/data', '/cometd'];

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host'
]);

export interface OrgProxy {
  handler: RequestHandler;
  /** Ends every forwarded request (held CometD long-polls included). */
  close(): void;
}

export function createOrgProxy(orgUrl: string): OrgProxy {
  const target = new URL(orgUrl);
  const agent = new http.Agent({ keepAlive: true });
  const open = new Set<http.ClientRequest>();
  const handler: RequestHandler = (req: Request, res: Response) => {
    const upstream = http.request(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.originalUrl,
        headers: { ...forwardable(req.headers), host: target.host },
        agent
      },
      (answer) => {
        res.status(answer.statusCode ?? 502);
        for (const [name, value] of Object.entries(forwardable(answer.headers))) {
          if (value !== undefined) res.setHeader(name, value);
        }
        answer.pipe(res);
      }
    );
    open.add(upstream);
    upstream.on('close', () => open.delete(upstream));
    upstream.on('error', (error) => {
      if (res.headersSent) {
        res.destroy(error);
        return;
      }
      res.status(502).json([
        {
          errorCode: 'PREVIEW_PROXY',
          message: `The local org at ${orgUrl} did not answer: ${error.message}`
        }
      ]);
    });
    // A browser that leaves (page switch) ends its held long-poll at the org too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };
  return {
    handler,
    close() {
      for (const request of open) request.destroy();
      agent.destroy();
    }
  };
}

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) out[name] = value;
  }
  return out;
}
