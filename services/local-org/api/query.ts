/**
 * Query and QueryAll (REST API Developer Guide: "Execute a SOQL Query", "Retrieve the
 * Remaining SOQL Query Results", "Query Options Header"): GET /query?q=, /queryAll?q=,
 * and the nextRecordsUrl locators /query/01g...-N.
 */
import { SalesforceError } from '../errors';
import type { LocalOrgContext } from '../context';
import type { QueryPage } from '../store/types';
import type { RestCall, RestDispatcher, RestResult } from './rest';

export function addQueryRoutes(rest: RestDispatcher): void {
  for (const resource of ['query', 'queryAll'] as const) {
    rest
      .add('GET', new RegExp(`^/${resource}/?$`), (ctx, call) => runQuery(ctx, call, resource))
      .add('GET', new RegExp(`^/${resource}/([^/]+)/?$`), (ctx, call, [locator]) => more(ctx, call, resource, locator as string));
  }
}

/** `Sforce-Query-Options: batchSize=500` (a hint between 200 and 2,000). */
function batchSize(call: RestCall): number | undefined {
  const header = call.header('sforce-query-options');
  const match = header === undefined ? null : /batchSize\s*=\s*(\d+)/i.exec(header);
  return match === null ? undefined : Number(match[1]);
}

function pageBody(call: RestCall, resource: string, page: QueryPage): RestResult {
  const body: Record<string, unknown> = { totalSize: page.totalSize, done: page.done };
  if (page.nextLocator !== undefined) body.nextRecordsUrl = `${call.base}/${resource}/${page.nextLocator}`;
  body.records = page.records;
  return { status: 200, body };
}

function runQuery(ctx: LocalOrgContext, call: RestCall, resource: 'query' | 'queryAll'): RestResult {
  const soql = call.query.get('q');
  if (soql === null || soql.trim() === '') {
    throw new SalesforceError('MALFORMED_QUERY', 'A query string has to be specified', 400);
  }
  const size = batchSize(call);
  const page = ctx.store.query(soql, {
    queryAll: resource === 'queryAll',
    userId: call.session.userId,
    urlBase: call.base,
    ...(size === undefined ? {} : { batchSize: size }),
  });
  return pageBody(call, resource, page);
}

function more(ctx: LocalOrgContext, call: RestCall, resource: string, locator: string): RestResult {
  return pageBody(call, resource, ctx.store.queryMore(locator, batchSize(call), call.session.userId));
}
