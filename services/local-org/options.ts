/**
 * Options of `createLocalOrg`, validated with zod at the boundary (CLI flags and config
 * files map onto this shape).
 */
import { z } from 'zod';

export const faultKindSchema = z.enum([
  /** HTTP 429 with Salesforce's REQUEST_LIMIT_EXCEEDED-free body (rate limiting at the edge). */
  'http429',
  /** HTTP 503 SERVER_UNAVAILABLE. */
  'http503',
  /** HTTP 403 REQUEST_LIMIT_EXCEEDED, as when the daily API allowance is used up. */
  'requestLimit',
  /** HTTP 401 INVALID_SESSION_ID, as when the access token expired. */
  'invalidSession',
  /** Per-record UNABLE_TO_LOCK_ROW inside sObject collection results (200 still). */
  'lockRow',
  /** Delay the response by `latencyMs`. */
  'latency',
  /** Destroy the socket without answering. */
  'drop',
]);
export type FaultKind = z.infer<typeof faultKindSchema>;

export const faultRuleSchema = z.object({
  /** Optional name, so a rule can be removed at runtime. */
  id: z.string().min(1).optional(),
  kind: faultKindSchema,
  /**
   * Which requests: a regular expression tested against `METHOD path` (path without the
   * query string), e.g. `POST /services/data/v\\d+\\.\\d/composite/sobjects` or `/query`.
   */
  match: z.string().min(1).default('.*'),
  /** Probability per matching request (per record for `lockRow`), 0..1. */
  rate: z.number().min(0).max(1).default(1),
  latencyMs: z.number().int().min(0).max(120_000).default(0),
  /** Stop after this many injections (unlimited when absent). */
  times: z.number().int().positive().optional(),
});
export type FaultRule = z.infer<typeof faultRuleSchema>;
export type FaultRuleInput = z.input<typeof faultRuleSchema>;

export const localOrgOptionsSchema = z.object({
  /** Directory of the SQLite database (`org.sqlite` inside it), or ':memory:'. */
  dataDir: z.string().min(1).default(':memory:'),
  /** The sfdx package directory holding objects/ and globalValueSets/ (e.g. force-app/main/default or force-app). Absent: standard objects only. */
  forceAppDir: z.string().min(1).optional(),
  /** Newest API version served; versions 31.0..apiVersion are listed. */
  apiVersion: z.string().regex(/^\d{2}\.0$/, 'apiVersion looks like "66.0"').default('66.0'),
  /** API calls allowed per rolling 24 hours (DailyApiRequests Max). */
  dailyApiLimit: z.number().int().positive().default(100_000),
  /** Access tokens live this long (Salesforce's default session timeout is 2 hours). */
  sessionTimeoutSeconds: z.number().int().positive().default(7200),
  jwt: z
    .object({
      /** The connected app's consumer key; the assertion's `iss` must equal it. */
      consumerKey: z.string().min(1),
      /** PEM file of the certificate's public key (SPKI or X.509) that verifies RS256 assertions. */
      publicKeyPath: z.string().min(1),
      /** Accepted `aud` values besides the org's own URL (e.g. https://login.salesforce.com). */
      audiences: z.array(z.string().min(1)).default([]),
    })
    .optional(),
  /** Local-only logins (OAuth password grant, SOAP login): never on a real org. */
  localLogin: z
    .object({
      enabled: z.boolean().default(true),
      /** The password every active local user accepts. */
      password: z.string().min(1).default('local-org'),
      /** Accept local logins from loopback addresses only. */
      loopbackOnly: z.boolean().default(true),
    })
    .default({ enabled: true, password: 'local-org', loopbackOnly: true }),
  /** Fault rules active from start-up. */
  faults: z.array(faultRuleSchema).default([]),
  /** Seed of the fault injector's generator, so runs are reproducible. */
  faultSeed: z.number().int().default(42),
  /** Admin endpoints under /_local (faults, limits reset): enabled by default; loopback only. */
  adminEndpoints: z.boolean().default(true),
  /** Org name (Organization.Name) of a new database. */
  orgName: z.string().min(1).default('Sales Assembly Line (local)'),
  /** Time zone of the org and of the admin user of a new database. */
  timeZone: z.string().min(1).default('America/Los_Angeles'),
  /** Username of the admin user created with a new database. */
  adminUsername: z.string().min(3).default('admin@asl.local'),
  /** The org's clock (tests pass a controllable one); absent: the wall clock. */
  clock: z.custom<() => Date>((value) => typeof value === 'function', 'clock is a function returning a Date').optional(),
});

export type LocalOrgOptions = z.infer<typeof localOrgOptionsSchema>;
export type LocalOrgOptionsInput = z.input<typeof localOrgOptionsSchema>;
