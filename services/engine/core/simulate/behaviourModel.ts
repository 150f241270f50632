import { z } from 'zod';

/**
 * The behaviour model (config/behaviour-model.json, owned by docs/behaviour-model.md): the true
 * odds of the simulated floor. Only the simulator reads it; the queue policy learns its own
 * odds from the calls it makes, as it would in a real org.
 */
const multipliers = z.record(z.string(), z.number().nonnegative());
const logNormal = z.object({ median: z.number().positive(), sigmaLog: z.number().nonnegative() });

export const BehaviourModelSchema = z.object({
  version: z.number(),
  contact: z.object({
    baseRate: z.number().min(0).max(1),
    sourceMultiplier: multipliers,
    inboundSpeedToLead: z.array(z.object({ withinMinutes: z.number().positive().nullable(), multiplier: z.number().nonnegative() })).min(1),
    attemptMultiplier: z.array(z.number().nonnegative()).min(1),
    localHourMultiplier: multipliers,
    weekdayMultiplier: multipliers,
    fameMultiplier: multipliers
  }),
  meetingGivenContact: z.object({
    base: z.number().min(0).max(1),
    sourceMultiplier: multipliers,
    segmentMultiplier: multipliers,
    inboundMultiplier: z.number().nonnegative(),
    fameMultiplier: multipliers
  }),
  noShowRate: z.number().min(0).max(1),
  callMinutes: z.object({ noAnswer: z.number().positive(), voicemail: z.number().positive(), contact: z.number().positive(), meeting: z.number().positive() }),
  fame: z.object({ shares: z.record(z.enum(['Unknown', 'Known', 'Famous']), z.number().nonnegative()) }),
  outcomeShares: z.object({
    noContact: z.record(z.string(), z.number().nonnegative()),
    contactWithoutMeeting: z.record(z.string(), z.number().nonnegative())
  }),
  maxProbability: z.number().gt(0).max(1).default(0.95),
  demoToWin: z.unknown().optional(),
  dealSize: z.record(z.string(), logNormal).optional(),
  daysToClose: z.record(z.string(), logNormal).optional()
});
export type BehaviourModel = z.infer<typeof BehaviourModelSchema>;

export class BehaviourModelError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[]
  ) {
    super(`Invalid behaviour model in ${source}: ${issues.join('; ')}`);
    this.name = 'BehaviourModelError';
  }
}

export function parseBehaviourModel(value: unknown, source = 'behaviour model'): BehaviourModel {
  const parsed = BehaviourModelSchema.safeParse(value);
  if (!parsed.success) {
    throw new BehaviourModelError(source, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const model = parsed.data;
  const outcomes = new Set(['No Answer', 'Left Voicemail', 'Bad Number', 'Wrong Person', 'Not Interested', 'Call Back Requested', 'Nurture', 'Do Not Call', 'Bad Fit', 'Current Client', 'Duplicate']);
  for (const [group, shares] of Object.entries(model.outcomeShares)) {
    for (const outcome of Object.keys(shares)) {
      if (!outcomes.has(outcome)) throw new BehaviourModelError(source, [`outcomeShares.${group}.${outcome}: not a disposition outcome the simulator knows`]);
    }
  }
  return model;
}
