import fc from 'fast-check';
import { backoffMs, classifyError, errorCodeOf, RequestLimitError } from './retry';

describe('the retry policy', () => {
  it('stops on the daily limit and backs off on throttles, both REQUEST_LIMIT_EXCEEDED', () => {
    // Salesforce Developer Limits and Allocations Quick Reference, "API Request Limits and
    // Allocations": the daily allowance answers "TotalRequests Limit exceeded."; a throttle
    // (429, concurrent requests) passes in seconds.
    const error = (message: string) => Object.assign(new Error(message), { errorCode: 'REQUEST_LIMIT_EXCEEDED' });
    expect(classifyError(error('TotalRequests Limit exceeded.'))).toBe('limit');
    expect(classifyError(error('Too many requests: retry later.'))).toBe('throttled');
    expect(classifyError(error('ConcurrentRequests (Concurrent API Requests) Limit exceeded.'))).toBe('throttled');
    expect(classifyError(new RequestLimitError('paused'))).toBe('limit');
  });

  it('treats a request aborted by its timeout and a dropped socket as transient', () => {
    expect(errorCodeOf(Object.assign(new Error('The operation was aborted. Request was aborted due to timeout of 10 minutes.'), { name: 'AbortError' }))).toBe('ETIMEDOUT');
    expect(classifyError(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toBe('transient');
    expect(classifyError(new Error('socket hang up'))).toBe('transient');
    expect(classifyError(Object.assign(new Error('bad field'), { errorCode: 'INVALID_FIELD' }))).toBe('fatal');
  });

  it('draws every backoff within [0, min(max, base * 2^attempt))', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 60_000 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, base, max, draw) => {
        const delay = backoffMs(attempt, { maxAttempts: 6, baseDelayMs: base, maxDelayMs: max }, () => draw);
        return delay >= 0 && delay < Math.max(1, Math.min(max, base * 2 ** attempt));
      })
    );
  });
});
