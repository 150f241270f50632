import { z } from 'zod';
import { connectFromOption, ORG_OPTION_HELP } from '../orgOption';
import type { OrgClient } from '../../org/connection';

/**
 * Flag handling shared by the org-facing commands (assign, rebalance, audit, jobs): zod
 * schemas whose messages name the flag and the fix, and the --org connection.
 */
export { ORG_OPTION_HELP };

export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlagError';
  }
}

export const stationFlag = z
  .string()
  .regex(/^[A-Za-z0-9_]{1,40}$/, '--station must be a Station__c Key__c such as SDR_CALL (letters, digits, underscores)')
  .default('SDR_CALL');

export const instantFlag = (flag: string) =>
  z
    .string({ error: `--${flag} is required: an ISO date or date-time, e.g. 2026-11-01 or 2026-11-01T00:00:00Z` })
    .refine((text) => !Number.isNaN(Date.parse(text)), `--${flag} must be an ISO date or date-time, e.g. 2026-11-01 or 2026-11-01T00:00:00Z`)
    .transform((text) => new Date(text));

export function parseFlags<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new FlagError(parsed.error.issues.map((issue) => issue.message).join('; '));
  return parsed.data;
}

export async function connect(org: string | undefined): Promise<OrgClient> {
  return connectFromOption(org);
}

export function integrationUserId(client: OrgClient): string {
  if (!client.userId) throw new FlagError('--org: the org session did not name its user; log in as the engine integration user');
  return client.userId;
}

export function print(json: boolean, value: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}
