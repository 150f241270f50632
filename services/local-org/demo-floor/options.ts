/**
 * Options of the demo floor generator, validated at the boundary (CLI flags of `npm start`
 * and of the benchmark map onto this shape).
 */
import { z } from 'zod';

export const MAX_LEADS = 1_000_000;

export const floorOptionsSchema = z.object({
  /** Number of leads, 0..1,000,000. Users, accounts and campaigns scale with it. */
  leads: z.number().int().min(0).max(MAX_LEADS).default(5_000),
  /** Same seed, same leads count and same asOf: the same floor, record for record. */
  seed: z.union([z.string().min(1), z.number().int()]).default('asl-demo'),
  /**
   * The floor's "now": two years of history end here and open work is due from here. An ISO
   * date-time; `npm start` passes the current minute, tests a fixed instant.
   */
  asOf: z.iso.datetime({ offset: true }),
  /** SDR head count; default one per 2,500 leads (6..400). */
  sdrs: z.number().int().min(1).max(2_000).optional(),
  /** Leads generated and written per batch (one transaction each). */
  batchSize: z.number().int().min(100).max(50_000).default(5_000),
  /** The behaviour model file; default config/behaviour-model.json. */
  behaviourModelPath: z.string().min(1).optional(),
  /** The line (stations and rules); default config/default-line.json. */
  linePath: z.string().min(1).optional()
});

export type FloorOptions = z.infer<typeof floorOptionsSchema>;
export type FloorOptionsInput = z.input<typeof floorOptionsSchema>;

export class FloorOptionsError extends Error {
  constructor(field: string, value: unknown, expected: string) {
    super(`demo floor option ${field}=${JSON.stringify(value)} is invalid: ${expected}`);
    this.name = 'FloorOptionsError';
  }
}

export function parseFloorOptions(input: FloorOptionsInput): FloorOptions {
  const parsed = floorOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || '(options)';
  const value = issue?.path.reduce<unknown>(
    (at, key) => (at as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey],
    input
  );
  throw new FloorOptionsError(field, value, issue?.message ?? 'see docs/demo-floor.md');
}

/** Head counts by role for a floor size. */
export interface FloorSizes {
  sdrs: number;
  aes: number;
  coordinators: number;
  engineers: number;
  onboarding: number;
  service: number;
  marketing: number;
}

export function floorSizes(options: Pick<FloorOptions, 'leads' | 'sdrs'>): FloorSizes {
  const sdrs = options.sdrs ?? Math.min(400, Math.max(6, Math.round(options.leads / 2_500)));
  const aes = Math.max(3, Math.round(sdrs / 3));
  return {
    sdrs,
    aes,
    coordinators: Math.max(2, Math.round(sdrs / 10)),
    engineers: Math.max(2, Math.round(aes / 4)),
    onboarding: Math.max(1, Math.round(aes / 5)),
    service: Math.max(2, Math.round(aes / 5)),
    marketing: Math.max(2, Math.round(sdrs / 50))
  };
}
