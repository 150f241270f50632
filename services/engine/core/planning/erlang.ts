import { InputError } from '../calendar/orgRecord';

/**
 * Erlang C: the M/M/N queue of a call centre (Poisson arrivals, exponential handling, N agents,
 * callers wait instead of leaving). For inbound speed-to-lead: how many SDRs must be free so
 * that a share x of inbound leads is called within t minutes.
 *
 *   A = arrivals per hour x handling hours (offered load, in Erlangs)
 *   P(wait) = C(N, A), from Erlang B by the stable recursion B(0) = 1,
 *             B(n) = A B(n-1) / (n + A B(n-1)), and C = N B / (N - A (1 - B))
 *   service level = P(wait <= t) = 1 - C(N, A) e^{-(N - A) t / handling time}
 *   average wait  = C(N, A) x handling time / (N - A)
 */
export function erlangB(agents: number, load: number): number {
  let b = 1;
  for (let n = 1; n <= agents; n += 1) b = (load * b) / (n + load * b);
  return b;
}

/** Probability that an arrival has to wait (1 when the load meets or exceeds the agents). */
export function erlangC(agents: number, load: number): number {
  if (agents <= load) return 1;
  const b = erlangB(agents, load);
  return (agents * b) / (agents - load * (1 - b));
}

export interface StaffingLevel {
  agents: number;
  /** Offered load in Erlangs. */
  load: number;
  probabilityOfWaiting: number;
  serviceLevel: number;
  averageWaitMinutes: number;
  occupancy: number;
}

export function staffingLevel(agents: number, arrivalsPerHour: number, handleMinutes: number, answerWithinMinutes: number): StaffingLevel {
  const load = (arrivalsPerHour * handleMinutes) / 60;
  const pw = erlangC(agents, load);
  const stable = agents > load;
  return {
    agents,
    load,
    probabilityOfWaiting: pw,
    serviceLevel: stable ? 1 - pw * Math.exp((-(agents - load) * answerWithinMinutes) / handleMinutes) : 0,
    averageWaitMinutes: stable ? (pw * handleMinutes) / (agents - load) : Number.POSITIVE_INFINITY,
    occupancy: agents > 0 ? Math.min(1, load / agents) : 1
  };
}

/**
 * The fewest agents meeting the service level (P(wait <= t) >= target) and keeping occupancy
 * at or below maxOccupancy (people who are busy every minute burn out and stop calling fast).
 */
export function agentsNeeded(arrivalsPerHour: number, handleMinutes: number, answerWithinMinutes: number, targetServiceLevel: number, maxOccupancy = 1): StaffingLevel {
  if (!(arrivalsPerHour >= 0 && Number.isFinite(arrivalsPerHour))) throw new InputError('arrivalsPerHour', arrivalsPerHour, 'zero or more leads per hour');
  if (!(handleMinutes > 0)) throw new InputError('handleMinutes', handleMinutes, 'minutes per inbound lead, more than 0');
  if (!(targetServiceLevel > 0 && targetServiceLevel < 1)) throw new InputError('targetServiceLevel', targetServiceLevel, 'a share between 0 and 1, e.g. 0.8');
  if (!(maxOccupancy > 0 && maxOccupancy <= 1)) throw new InputError('maxOccupancy', maxOccupancy, 'a share in (0, 1], e.g. 0.85');
  if (arrivalsPerHour === 0) return staffingLevel(0, 0, handleMinutes, answerWithinMinutes);
  const load = (arrivalsPerHour * handleMinutes) / 60;
  let n = Math.max(1, Math.floor(load) + 1, Math.ceil(load / maxOccupancy));
  for (;;) {
    const level = staffingLevel(n, arrivalsPerHour, handleMinutes, answerWithinMinutes);
    if (level.serviceLevel >= targetServiceLevel && level.occupancy <= maxOccupancy) return level;
    n += 1;
  }
}
