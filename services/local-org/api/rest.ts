/**
 * The REST resources of the local org as plain functions of a call, so that the HTTP
 * router and the composite resource (which runs subrequests inside one request) share one
 * implementation. A handler returns a status, a body and headers, or throws a
 * SalesforceError.
 */
import type { Session } from '../auth/sessions';
import type { LocalOrgContext } from '../context';

export interface RestCall {
  method: string;
  /** Path after `/services/data/vNN.N`, e.g. `/sobjects/Lead/00Q...`. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  header(name: string): string | undefined;
  session: Session;
  /** `/services/data/v62.0` */
  base: string;
  /** `METHOD /services/data/vNN.N/...` as fault rules see it. */
  faultTarget: { method: string; path: string };
  /** False inside a composite request (faults apply to the outer request only). */
  injectFaults: boolean;
}

export interface RestResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RestHandler = (ctx: LocalOrgContext, call: RestCall, params: string[]) => RestResult;

export interface RestRoute {
  method: string;
  pattern: RegExp;
  handler: RestHandler;
}

export class RestDispatcher {
  private readonly routes: RestRoute[] = [];

  add(method: string, pattern: RegExp, handler: RestHandler): this {
    this.routes.push({ method, pattern, handler });
    return this;
  }

  /** The result of the first matching route, or undefined when no route serves the path. */
  dispatch(ctx: LocalOrgContext, call: RestCall): RestResult | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.pattern.exec(call.path);
      if (match === null) continue;
      pathMatched = true;
      if (route.method !== call.method) continue;
      return route.handler(ctx, call, match.slice(1).map((part) => decodeURIComponent(part ?? '')));
    }
    if (pathMatched) {
      return { status: 405, body: [{ message: `HTTP Method '${call.method}' not allowed. Allowed are ${this.allowed(call.path).join(',')}`, errorCode: 'METHOD_NOT_ALLOWED' }] };
    }
    return undefined;
  }

  private allowed(path: string): string[] {
    return [...new Set(this.routes.filter((route) => route.pattern.test(path)).map((route) => route.method))];
  }
}
