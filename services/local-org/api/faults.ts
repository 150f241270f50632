/**
 * Fault injection: the failures a client of a real org must survive, on demand and
 * reproducibly. Rules match `METHOD /path` by regular expression and fire with a rate drawn
 * from one seeded generator (xoroshiro128+), so the same requests in the same order meet
 * the same faults. Configured at start-up (`options.faults`, `options.faultSeed`) and at
 * runtime through POST/DELETE /_local/faults (api/admin.ts).
 *
 * Bodies copy what Salesforce sends for each condition (REST API Developer Guide:
 * "Status Codes and Error Responses"):
 * - http503: 503 SERVER_UNAVAILABLE; http429: 429 REQUEST_LIMIT_EXCEEDED with Retry-After;
 * - requestLimit: 403 REQUEST_LIMIT_EXCEEDED "TotalRequests Limit exceeded.";
 * - invalidSession: the request's token is revoked, then 401 INVALID_SESSION_ID, as when a
 *   session times out (the client must re-authenticate);
 * - lockRow: per record UNABLE_TO_LOCK_ROW inside collection results (record-level
 *   contention), or a 400 for single-record writes;
 * - latency: the response is delayed; drop: the socket is destroyed without an answer.
 */
import type { NextFunction, Request, Response } from 'express';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { faultRuleSchema, type FaultRule, type FaultRuleInput } from '../options';
import type { RecordError } from '../errors';
import type { SessionStore } from '../auth/sessions';

interface ActiveRule {
  rule: FaultRule;
  pattern: RegExp;
  injected: number;
}

const REQUEST_KINDS = new Set(['http429', 'http503', 'requestLimit', 'invalidSession', 'drop']);

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private generator: ReturnType<typeof xoroshiro128plus>;
  private nextId = 1;

  constructor(
    rules: readonly FaultRuleInput[],
    private seed: number,
    private readonly sessions: SessionStore,
  ) {
    this.generator = xoroshiro128plus(seed);
    for (const rule of rules) this.add(rule);
  }

  /** Adds a rule (validated); returns it with its id. */
  add(input: FaultRuleInput): FaultRule {
    const parsed = faultRuleSchema.parse(input);
    const rule: FaultRule = { ...parsed, id: parsed.id ?? `fault-${this.nextId++}` };
    let pattern: RegExp;
    try {
      pattern = new RegExp(rule.match, 'i');
    } catch (error) {
      throw new Error(`fault rule "${rule.id}": match "${rule.match}" is not a regular expression (${(error as Error).message})`);
    }
    this.rules = this.rules.filter((active) => active.rule.id !== rule.id);
    this.rules.push({ rule, pattern, injected: 0 });
    return rule;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((active) => active.rule.id !== id);
    return this.rules.length < before;
  }

  /** Removes every rule; a new seed restarts the sequence of draws. */
  clear(seed?: number): void {
    this.rules = [];
    if (seed !== undefined) this.reseed(seed);
  }

  reseed(seed: number): void {
    this.seed = seed;
    this.generator = xoroshiro128plus(seed);
  }

  list(): Array<FaultRule & { injected: number }> {
    return this.rules.map((active) => ({ ...active.rule, injected: active.injected }));
  }

  /** Express middleware applying request-level rules (latency, status faults, drops). */
  readonly middleware = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const target = `${req.method} ${req.path}`;
    for (const active of this.rules) {
      if (!this.fires(active, target, (kind) => kind === 'latency' || REQUEST_KINDS.has(kind))) continue;
      const { rule } = active;
      if (rule.kind === 'latency') {
        await new Promise((resolve) => setTimeout(resolve, rule.latencyMs));
        continue;
      }
      this.answer(rule, req, res);
      return;
    }
    next();
  };

  /**
   * For a write of `count` records at `METHOD path`: the injected per-record error of each
   * index (UNABLE_TO_LOCK_ROW), or undefined. Draws once per record per matching rule.
   */
  recordFaults(method: string, path: string): (index: number, id: string | null) => RecordError | undefined {
    const target = `${method} ${path}`;
    return (_index, id) => {
      for (const active of this.rules) {
        if (!this.fires(active, target, (kind) => kind === 'lockRow')) continue;
        return {
          statusCode: 'UNABLE_TO_LOCK_ROW',
          message: `unable to obtain exclusive access to this record or 1 records: ${id ?? ''}`.trimEnd(),
          fields: [],
        };
      }
      return undefined;
    };
  }

  private fires(active: ActiveRule, target: string, kindFilter: (kind: string) => boolean): boolean {
    const { rule } = active;
    if (!kindFilter(rule.kind)) return false;
    if (rule.times !== undefined && active.injected >= rule.times) return false;
    if (!active.pattern.test(target)) return false;
    if (!this.draw(rule.rate)) return false;
    active.injected += 1;
    return true;
  }

  private draw(rate: number): boolean {
    if (rate >= 1) return true;
    if (rate <= 0) return false;
    // 2^31 steps are plenty of resolution for a rate and keep draws integer-exact.
    return uniformInt(this.generator, 0, 0x7fffffff) < rate * 0x80000000;
  }

  private answer(rule: FaultRule, req: Request, res: Response): void {
    switch (rule.kind) {
      case 'drop':
        req.socket.destroy();
        return;
      case 'http429':
        res.set('Retry-After', '1');
        res.status(429).json([{ message: 'Too many requests: retry later.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
        return;
      case 'http503':
        res.status(503).json([{ message: 'Service Unavailable', errorCode: 'SERVER_UNAVAILABLE' }]);
        return;
      case 'requestLimit':
        res.status(403).json([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
        return;
      case 'invalidSession': {
        const token = bearerToken(req);
        if (token !== undefined) this.sessions.revoke(token);
        res.status(401).json([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
        return;
      }
      default:
        throw new Error(`fault kind ${rule.kind} is not a request fault`);
    }
  }
}

/** The token of `Authorization: Bearer x` or `Authorization: OAuth x` (both accepted by Salesforce). */
export function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header === undefined) return undefined;
  const match = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}
