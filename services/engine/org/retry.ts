/**
 * The engine's retry policy. jsforce retries only idempotent GETs; POST and PATCH are ours
 * (the engine makes them safe to repeat with external-id upserts and ledger keys), and
 * per-record UNABLE_TO_LOCK_ROW arrives inside a 200 response, so it is ours too.
 */
export type Verdict = 'transient' | 'limit' | 'fatal';

/** Error codes Salesforce documents as temporary: try again later, same request. */
const TRANSIENT_CODES = new Set([
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'QUERY_TIMEOUT',
  'ERROR_HTTP_429',
  'ERROR_HTTP_500',
  'ERROR_HTTP_502',
  'ERROR_HTTP_503',
  'ERROR_HTTP_504',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT'
]);

export function errorCodeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'UNKNOWN';
  const candidate = error as { errorCode?: unknown; code?: unknown; name?: unknown; cause?: unknown; message?: unknown };
  if (typeof candidate.errorCode === 'string') return candidate.errorCode;
  // jsforce aborts a request that outlived its timeout (org/connection.ts) with an AbortError.
  if (candidate.name === 'AbortError' || (typeof candidate.message === 'string' && /aborted due to timeout/i.test(candidate.message))) return 'ETIMEDOUT';
  if (typeof candidate.code === 'string') return candidate.code;
  if (candidate.cause) return errorCodeOf(candidate.cause);
  if (typeof candidate.message === 'string' && /socket hang up|fetch failed|terminated|other side closed/i.test(candidate.message)) {
    return 'ECONNRESET';
  }
  return typeof candidate.name === 'string' ? candidate.name : 'UNKNOWN';
}

export function classify(errorCode: string): Verdict {
  if (errorCode === 'REQUEST_LIMIT_EXCEEDED') return 'limit';
  return TRANSIENT_CODES.has(errorCode) ? 'transient' : 'fatal';
}

/**
 * REQUEST_LIMIT_EXCEEDED means two things: the daily allowance is spent ("TotalRequests Limit
 * exceeded.", Salesforce Developer Limits and Allocations Quick Reference, "API Request Limits
 * and Allocations") and nothing helps before the window reopens; or a rate or concurrency
 * throttle (429 Too Many Requests, "ConcurrentRequests ... Limit exceeded.") that passes in
 * seconds, so the request is tried again after a pause of at least THROTTLE_FLOOR_MS.
 */
export function classifyError(error: unknown): Verdict | 'throttled' {
  if (error instanceof RequestLimitError) return 'limit';
  const code = errorCodeOf(error);
  if (code !== 'REQUEST_LIMIT_EXCEEDED') return classify(code);
  const message = typeof error === 'object' && error !== null ? String((error as { message?: unknown }).message ?? '') : '';
  return /TotalRequests/i.test(message) ? 'limit' : 'throttled';
}

/** The shortest wait after a throttle: the Retry-After (seconds) the org sends with 429. */
export const THROTTLE_FLOOR_MS = 1000;

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** "Full jitter" exponential backoff: concurrent writers spread out instead of colliding again. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The org's daily API limit is spent: callers pause until the window reopens, never hammer. */
export class RequestLimitError extends Error {
  readonly errorCode = 'REQUEST_LIMIT_EXCEEDED';
  constructor(message: string) {
    super(message);
    this.name = 'RequestLimitError';
  }
}

/**
 * Runs a whole request again on transient failures. Only for requests that are safe to
 * repeat (reads, upserts by external id, updates by Id).
 */
export async function withRetry<T>(operation: () => Promise<T>, policy: RetryPolicy, what: string): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      const verdict = classifyError(error);
      if (verdict === 'limit') throw error instanceof RequestLimitError ? error : new RequestLimitError(`${what}: the org's daily API request limit is exceeded`);
      if (verdict === 'fatal' || attempt + 1 >= policy.maxAttempts) throw error;
      const delay = backoffMs(attempt, policy);
      await sleep(verdict === 'throttled' ? Math.max(THROTTLE_FLOOR_MS, delay) : delay);
    }
  }
}
