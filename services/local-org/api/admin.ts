/**
 * LOCAL-ONLY administration of the local org, for tests, benchmarks and demos. Not a
 * Salesforce API. Loopback callers only; disabled with options.adminEndpoints = false.
 *
 *   GET    /_local/faults            active fault rules (with injection counts)
 *   POST   /_local/faults            add rules: a rule, a list, or { rules, seed, replace }
 *   DELETE /_local/faults            remove every rule ({ seed } in the body reseeds)
 *   DELETE /_local/faults/:id        remove one rule
 *   GET    /_local/limits            { used, max }
 *   POST   /_local/limits            { limit?, reset? } change the daily API allowance
 *   POST   /_local/sessions/expire   end every session (clients must re-authenticate)
 *   POST   /_local/connected-apps    { consumerKey, publicKeyPem } registers the connected app
 *                                     the JWT bearer flow checks: the local equivalent of an
 *                                     admin creating a connected app with "Use digital
 *                                     signatures" in Setup (used by `asl connect --org local`).
 *                                     One app at a time: it replaces options.jwt until restart.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { LocalOrgContext } from '../context';
import { faultRuleSchema } from '../options';

const addFaultsSchema = z.union([
  faultRuleSchema,
  z.array(faultRuleSchema),
  z.object({ rules: z.array(faultRuleSchema), seed: z.number().int().optional(), replace: z.boolean().optional() }),
]);

const connectedAppSchema = z.object({
  consumerKey: z.string().min(1).max(256),
  publicKeyPem: z.string().regex(/-----BEGIN (CERTIFICATE|PUBLIC KEY)-----/, 'a PEM X.509 certificate or SPKI public key'),
});

const limitsSchema = z.object({ limit: z.number().int().positive().optional(), reset: z.boolean().optional() });

function loopbackOnly(req: Request, res: Response, next: NextFunction): void {
  const address = req.socket.remoteAddress ?? '';
  if (address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1') {
    next();
    return;
  }
  res.status(403).json([{ message: 'The local admin endpoints answer loopback callers only', errorCode: 'INSUFFICIENT_ACCESS' }]);
}

function invalid(res: Response, error: z.ZodError): void {
  res.status(400).json([{ message: error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '), errorCode: 'INVALID_INPUT' }]);
}

export function mountAdmin(ctx: LocalOrgContext): Router {
  const router = Router();
  router.use('/_local', loopbackOnly, express.json({ limit: '1mb' }));
  router.get('/_local/faults', (_req, res) => {
    res.json({ rules: ctx.faults.list() });
  });
  router.post('/_local/faults', (req, res) => {
    const parsed = addFaultsSchema.safeParse(req.body);
    if (!parsed.success) return invalid(res, parsed.error);
    const value = parsed.data;
    const rules = Array.isArray(value) ? value : 'rules' in value ? value.rules : [value];
    if (!Array.isArray(value) && 'rules' in value) {
      if (value.replace === true) ctx.faults.clear();
      if (value.seed !== undefined) ctx.faults.reseed(value.seed);
    }
    try {
      const added = rules.map((rule) => ctx.faults.add(rule));
      res.status(201).json({ rules: added });
    } catch (error) {
      res.status(400).json([{ message: (error as Error).message, errorCode: 'INVALID_INPUT' }]);
    }
  });
  router.delete('/_local/faults', (req, res) => {
    const seed = (req.body as { seed?: unknown } | undefined)?.seed;
    ctx.faults.clear(typeof seed === 'number' ? seed : undefined);
    res.status(204).end();
  });
  router.delete('/_local/faults/:id', (req, res) => {
    if (!ctx.faults.remove(req.params.id)) {
      res.status(404).json([{ message: `No fault rule ${req.params.id}`, errorCode: 'NOT_FOUND' }]);
      return;
    }
    res.status(204).end();
  });
  router.get('/_local/limits', (_req, res) => {
    res.json({ used: ctx.usage.used(), max: ctx.usage.max });
  });
  router.post('/_local/limits', (req, res) => {
    const parsed = limitsSchema.safeParse(req.body ?? {});
    if (!parsed.success) return invalid(res, parsed.error);
    ctx.usage.configure(parsed.data);
    res.json({ used: ctx.usage.used(), max: ctx.usage.max });
  });
  router.post('/_local/connected-apps', (req, res) => {
    const parsed = connectedAppSchema.safeParse(req.body);
    if (!parsed.success) return invalid(res, parsed.error);
    // auth/jwt.ts verifies against a key file; a fresh path also refreshes its key cache.
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'asl-local-app-')), 'public.pem');
    writeFileSync(file, parsed.data.publicKeyPem, { mode: 0o600 });
    const audiences = ctx.options.jwt?.audiences ?? [];
    (ctx.options as { jwt?: typeof ctx.options.jwt }).jwt = { consumerKey: parsed.data.consumerKey, publicKeyPath: file, audiences };
    res.status(201).json({ consumerKey: parsed.data.consumerKey });
  });
  router.post('/_local/sessions/expire', (_req, res) => {
    const ended = ctx.sessions.revokeAll();
    res.json({ ended });
  });
  return router;
}
