/**
 * Composite (REST API Developer Guide: "Composite", "Composite Subrequest Result"): up to
 * 25 subrequests, of which up to 5 may be sObject Collections or query operations ("You can
 * have up to 25 subrequests in a single call. Up to 5 of these subrequests can be sObject
 * Collections or query operations, including Query and QueryAll requests."; the whole request
 * is refused before any subrequest runs), in order, later ones reading earlier results through `@{referenceId.path}`,
 * answered as `{ compositeResponse: [{ body, httpHeaders, httpStatusCode, referenceId }] }`.
 * With allOrNone, the first failed subrequest rolls every one back and the others answer
 * PROCESSING_HALTED; without it, a subrequest that depends on a failed one is halted.
 */
import { z } from 'zod';
import { SalesforceError } from '../errors';
import type { LocalOrgContext } from '../context';
import type { RestCall, RestDispatcher, RestResult } from './rest';

const MAX_SUBREQUESTS = 25;
const MAX_QUERY_OR_COLLECTION_SUBREQUESTS = 5;
/** Query, QueryAll (and their next pages) and sObject Collections, after /services/data/vXX.X. */
const QUERY_OR_COLLECTION = /^\/services\/data\/v\d+\.\d\/(?:query|queryAll|composite\/sobjects)(?:[/?]|$)/i;
const HALTED_ROLLBACK = 'The transaction was rolled back since another operation in the same transaction failed.';

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

interface SubResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

class RollbackComposite extends Error {}

export function addCompositeRoutes(rest: RestDispatcher): void {
  rest.add('POST', /^\/composite\/?$/, (ctx, call) => composite(ctx, call, rest));
}

const subrequestSchema = z.object({
  method: z.string().min(1),
  url: z.string().min(1),
  referenceId: z.string().regex(/^[A-Za-z0-9_]+$/, 'A referenceId can contain only alphanumeric characters and underscores.'),
  body: z.unknown().optional(),
  httpHeaders: z.record(z.string(), z.string()).optional(),
});

const compositeSchema = z.object({
  allOrNone: z.boolean().optional(),
  collateSubrequests: z.boolean().optional(),
  compositeRequest: z.array(subrequestSchema).max(MAX_SUBREQUESTS, `Composite request has more than ${MAX_SUBREQUESTS} subrequests`),
});

function parseRequests(body: unknown): { allOrNone: boolean; requests: Subrequest[] } {
  const parsed = compositeSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const code = issue?.code === 'too_big' ? 'LIMIT_EXCEEDED' : issue?.path.includes('referenceId') ? 'INVALID_INPUT' : 'JSON_PARSER_ERROR';
    throw new SalesforceError(code, `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid composite request'}`, 400);
  }
  const heavy = parsed.data.compositeRequest.filter((request) => QUERY_OR_COLLECTION.test(request.url));
  if (heavy.length > MAX_QUERY_OR_COLLECTION_SUBREQUESTS) {
    throw new SalesforceError(
      'LIMIT_EXCEEDED',
      `compositeRequest: ${heavy.length} subrequests are sObject Collections or query operations (${heavy.map((request) => request.referenceId).join(', ')}); up to ${MAX_QUERY_OR_COLLECTION_SUBREQUESTS} are allowed in one Composite request`,
      400,
    );
  }
  const seen = new Set<string>();
  for (const request of parsed.data.compositeRequest) {
    if (seen.has(request.referenceId)) throw new SalesforceError('INVALID_INPUT', `Duplicate referenceId provided in the request: ${request.referenceId}`, 400);
    seen.add(request.referenceId);
  }
  return { allOrNone: parsed.data.allOrNone === true, requests: parsed.data.compositeRequest };
}

function composite(ctx: LocalOrgContext, call: RestCall, rest: RestDispatcher): RestResult {
  const { allOrNone, requests } = parseRequests(call.body);
  const results: SubResult[] = [];
  const outcomes = new Map<string, { ok: boolean; body: unknown }>();
  const runAll = (): void => {
    for (const request of requests) {
      const result = runOne(ctx, call, rest, request, outcomes);
      results.push(result);
      const ok = result.httpStatusCode < 400;
      outcomes.set(request.referenceId, { ok, body: result.body });
      if (!ok && allOrNone) throw new RollbackComposite();
    }
  };
  if (!allOrNone) {
    runAll();
    return { status: 200, body: { compositeResponse: results } };
  }
  try {
    ctx.store.transaction(runAll);
  } catch (error) {
    if (!(error instanceof RollbackComposite)) throw error;
    const failed = results[results.length - 1] as SubResult;
    const halted = requests.map((request) =>
      request.referenceId === failed.referenceId ? failed : haltedResult(request.referenceId, HALTED_ROLLBACK),
    );
    return { status: 200, body: { compositeResponse: halted } };
  }
  return { status: 200, body: { compositeResponse: results } };
}

function haltedResult(referenceId: string, message: string): SubResult {
  return { body: [{ errorCode: 'PROCESSING_HALTED', message }], httpHeaders: {}, httpStatusCode: 400, referenceId };
}

function runOne(ctx: LocalOrgContext, call: RestCall, rest: RestDispatcher, request: Subrequest, outcomes: Map<string, { ok: boolean; body: unknown }>): SubResult {
  let url: string;
  let body: unknown;
  try {
    url = resolveReferences(request.url, outcomes, true) as string;
    body = request.body === undefined ? undefined : resolveReferences(request.body, outcomes, false);
  } catch (error) {
    if (error instanceof SalesforceError) return haltedResult(request.referenceId, error.message);
    throw error;
  }
  const parsed = new URL(url, 'http://composite.local');
  const match = /^\/services\/data\/v(\d+\.\d)(\/.*)$/.exec(parsed.pathname);
  if (match === null) {
    return { body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }], httpHeaders: {}, httpStatusCode: 404, referenceId: request.referenceId };
  }
  const headers = Object.fromEntries(Object.entries(request.httpHeaders ?? {}).map(([key, value]) => [key.toLowerCase(), value]));
  const sub: RestCall = {
    method: request.method.toUpperCase(),
    path: match[2] as string,
    query: parsed.searchParams,
    body,
    header: (name) => headers[name.toLowerCase()],
    session: call.session,
    base: `/services/data/v${match[1]}`,
    faultTarget: { method: request.method.toUpperCase(), path: parsed.pathname },
    // Record-level faults (UNABLE_TO_LOCK_ROW) reach subrequests as they would in a real org,
    // where each collection inside a composite locks its own rows; request-level faults
    // apply once, to the composite request itself.
    injectFaults: true,
  };
  let result: RestResult | undefined;
  try {
    result = rest.dispatch(ctx, sub);
  } catch (error) {
    if (!(error instanceof SalesforceError)) throw error;
    result = { status: error.status, body: [error.toBody()] };
  }
  if (result === undefined) {
    result = { status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }] };
  }
  return { body: result.body ?? null, httpHeaders: result.headers ?? {}, httpStatusCode: result.status, referenceId: request.referenceId };
}

/** Replaces `@{ref.path}` in strings (URL-encoded in URLs); a reference to a failed or unknown request halts. */
function resolveReferences(value: unknown, outcomes: Map<string, { ok: boolean; body: unknown }>, inUrl: boolean): unknown {
  if (typeof value === 'string') {
    const whole = /^@\{([^}]+)\}$/.exec(value);
    if (whole !== null && !inUrl) return lookup(whole[1] as string, outcomes);
    return value.replace(/@\{([^}]+)\}/g, (_m, expression: string) => {
      const resolved = lookup(expression, outcomes);
      const text = typeof resolved === 'object' ? JSON.stringify(resolved) : String(resolved);
      return inUrl ? encodeURIComponent(text) : text;
    });
  }
  if (Array.isArray(value)) return value.map((item) => resolveReferences(item, outcomes, inUrl));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveReferences(item, outcomes, inUrl)]));
  }
  return value;
}

function lookup(expression: string, outcomes: Map<string, { ok: boolean; body: unknown }>): unknown {
  const [referenceId, ...rest] = expression.split('.');
  const outcome = outcomes.get(referenceId as string);
  const invalid = (): SalesforceError =>
    new SalesforceError('PROCESSING_HALTED', `Invalid reference specified. No value for ${expression} found in ${referenceId}. Provided referenceId ('${referenceId}') must match a referenceId of a previous request.`, 400);
  if (outcome === undefined || !outcome.ok) throw invalid();
  let current: unknown = outcome.body;
  const path = rest.join('.').match(/[^.[\]]+/g) ?? [];
  for (const segment of path) {
    if (current === null || typeof current !== 'object') throw invalid();
    current = (current as Record<string, unknown>)[segment];
  }
  if (current === undefined) throw invalid();
  return current;
}
