import type { QueuePriors } from './config';
import { CONNECT_OUTCOMES, type Outcome, type Purpose } from './guidance';
import { isValidTimeZone, localParts, WEEKDAY_NAMES } from './localTime';

/**
 * Contact and meeting odds of a call. The model is multiplicative, like the research it starts
 * from: P(connect) = base x source x speed-to-lead x attempt x local hour x weekday x purpose,
 * P(meeting | connect) = base x source x segment x inbound x purpose. Each multiplier is the
 * research prior times a factor learnt from the org's own dispositions and shrunk toward 1.
 */
export interface OddsModel {
  contact: {
    base: number;
    source: Record<string, number>;
    speed: Array<{ withinMinutes: number | null; multiplier: number }>;
    attempt: number[];
    hour: Record<string, number>;
    weekday: Record<string, number>;
    purpose: Record<string, number>;
  };
  meeting: {
    base: number;
    source: Record<string, number>;
    segment: Record<string, number>;
    inbound: number;
    purpose: Record<string, number>;
  };
  confirmShowUplift: number;
  courtesyMeetingEquivalent: number;
  callMinutes: { noAnswer: number; voicemail: number; contact: number; meeting: number; wrapUp: number };
  voicemailShare: number;
  maxProbability: number;
  /** What the fit saw: 0 calls means the model is the prior. */
  evidence: { calls: number; connects: number; meetings: number };
}

/** One past call, joined to the lead it was made to (see observationsFromHistory). */
export interface CallObservation {
  calledAt: number;
  attemptNumber: number;
  purpose: Purpose;
  source: string | null;
  inbound: boolean;
  segment: string | null;
  timeZone: string | null;
  /** When the lead arrived (CreatedDate); needed for the speed-to-lead factor. */
  arrivedAt: number | null;
  outcome: Outcome;
  durationSeconds: number | null;
}

/** The features of a call about to be made. */
export interface CallFeatures {
  source: string | null;
  inbound: boolean;
  segment: string | null;
  purpose: Purpose;
  attemptNumber: number;
  minutesSinceArrival: number | null;
  localHour: number | null;
  weekday: number | null;
}

export function oddsFromPriors(priors: QueuePriors): OddsModel {
  return {
    contact: {
      base: priors.contact.baseRate,
      source: { ...priors.contact.sourceMultiplier },
      speed: priors.contact.inboundSpeedToLead.map((step) => ({ ...step })),
      attempt: [...priors.contact.attemptMultiplier],
      hour: { ...priors.contact.localHourMultiplier },
      weekday: { ...priors.contact.weekdayMultiplier },
      purpose: { ...priors.contact.purposeMultiplier }
    },
    meeting: {
      base: priors.meetingGivenContact.base,
      source: { ...priors.meetingGivenContact.sourceMultiplier },
      segment: { ...priors.meetingGivenContact.segmentMultiplier },
      inbound: priors.meetingGivenContact.inboundMultiplier,
      purpose: { ...priors.meetingGivenContact.purposeMultiplier }
    },
    confirmShowUplift: priors.confirmShowUplift,
    courtesyMeetingEquivalent: priors.courtesyMeetingEquivalent,
    callMinutes: { ...priors.callMinutes },
    voicemailShare: priors.voicemailShare,
    maxProbability: priors.maxProbability,
    evidence: { calls: 0, connects: 0, meetings: 0 }
  };
}

function mult(map: Record<string, number>, key: string | null): number {
  if (key === null) return 1;
  return map[key] ?? 1;
}

export function speedIndex(speed: OddsModel['contact']['speed'], minutes: number): number {
  for (let i = 0; i < speed.length; i += 1) {
    const within = speed[i]?.withinMinutes;
    if (within === null || within === undefined || minutes <= within) return i;
  }
  return speed.length - 1;
}

export function attemptIndex(attempts: readonly number[], attemptNumber: number): number {
  return Math.min(Math.max(1, Math.floor(attemptNumber)), attempts.length) - 1;
}

/** The contact odds without the clamp (the fit needs the raw product). */
export function rawContact(model: OddsModel, f: CallFeatures): number {
  const c = model.contact;
  let p = c.base * mult(c.source, f.source) * (c.attempt[attemptIndex(c.attempt, f.attemptNumber)] ?? 1);
  if (f.inbound && f.minutesSinceArrival !== null) p *= c.speed[speedIndex(c.speed, f.minutesSinceArrival)]?.multiplier ?? 1;
  if (f.localHour !== null) p *= mult(c.hour, String(f.localHour));
  if (f.weekday !== null) p *= mult(c.weekday, WEEKDAY_NAMES[f.weekday] ?? null);
  return p * mult(c.purpose, f.purpose);
}

export function contactProbability(model: OddsModel, f: CallFeatures): number {
  return Math.min(model.maxProbability, rawContact(model, f));
}

export function meetingGivenContact(model: OddsModel, f: Pick<CallFeatures, 'source' | 'segment' | 'inbound' | 'purpose'>): number {
  const m = model.meeting;
  const p = m.base * mult(m.source, f.source) * mult(m.segment, f.segment) * (f.inbound ? m.inbound : 1) * mult(m.purpose, f.purpose);
  return Math.min(model.maxProbability, p);
}

export function featuresOf(o: CallObservation): CallFeatures {
  const local = isValidTimeZone(o.timeZone) ? localParts(o.timeZone, o.calledAt) : null;
  return {
    source: o.source,
    inbound: o.inbound,
    segment: o.segment,
    purpose: o.purpose,
    attemptNumber: o.attemptNumber,
    minutesSinceArrival: o.arrivedAt === null ? null : Math.max(0, (o.calledAt - o.arrivedAt) / 60_000),
    localHour: local ? local.hour : null,
    weekday: local ? local.weekday : null
  };
}

/** One multiplicative factor of the fit: which level an observation falls in, and where its multiplier lives. */
interface Factor {
  level(f: CallFeatures): string | null;
  get(level: string): number;
  set(level: string, value: number): void;
}

function mapFactor(map: Record<string, number>, level: (f: CallFeatures) => string | null): Factor {
  return { level, get: (l) => map[l] ?? 1, set: (l, v) => (map[l] = v) };
}

function arrayFactor(values: number[], level: (f: CallFeatures) => number | null): Factor {
  return {
    level: (f) => {
      const i = level(f);
      return i === null ? null : String(i);
    },
    get: (l) => values[Number(l)] ?? 1,
    set: (l, v) => (values[Number(l)] = v)
  };
}

/**
 * Empirical-Bayes fit of a multiplicative rate model. For every level of every factor the
 * prior multiplier is scaled by (k + observed) / (k + expected), where expected is what the
 * model predicts for that level without its own adjustment: the posterior mean of a rate
 * ratio with a Gamma(k, k) prior and Poisson counts (Clayton and Kaldor 1987). With no data
 * the prior stands; with data far beyond k the observed ratio wins. Backfitting passes let
 * correlated factors (source and speed, hour and weekday) settle. Every part of the
 * prediction is a factor, so predictions are kept as one product per row.
 */
function fitFactors(
  rows: ReadonlyArray<{ f: CallFeatures; y: number }>,
  base: { get(): number; set(v: number): void },
  factors: readonly Factor[],
  k: number,
  passes = 4
): void {
  const n = rows.length;
  if (n === 0) return;
  const levelNames = factors.map(() => [] as string[]);
  const levelOf = factors.map((factor, j) => {
    const ids = new Map<string, number>();
    const column = new Int32Array(n);
    rows.forEach((row, i) => {
      const level = factor.level(row.f);
      if (level === null) {
        column[i] = -1;
        return;
      }
      let id = ids.get(level);
      if (id === undefined) {
        id = ids.size;
        ids.set(level, id);
        levelNames[j]?.push(level);
      }
      column[i] = id;
    });
    return column;
  });
  const priors = factors.map((factor, j) => Float64Array.from(levelNames[j] ?? [], (l) => factor.get(l)));
  const current = priors.map((p) => Float64Array.from(p));
  const priorBase = base.get();
  let baseValue = priorBase;
  const y = Float64Array.from(rows, (r) => r.y);
  const observed = y.reduce((s, v) => s + v, 0);
  const prediction = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    let p = baseValue;
    for (let j = 0; j < factors.length; j += 1) {
      const l = levelOf[j]?.[i] ?? -1;
      if (l >= 0) p *= current[j]?.[l] ?? 1;
    }
    prediction[i] = p;
  }
  for (let pass = 0; pass < passes; pass += 1) {
    const expected = prediction.reduce((s, v) => s + v, 0);
    const nextBase = priorBase * ((k + observed) / (k + expected / (baseValue / priorBase)));
    const baseRatio = nextBase / baseValue;
    for (let i = 0; i < n; i += 1) prediction[i] = (prediction[i] ?? 0) * baseRatio;
    baseValue = nextBase;
    for (let j = 0; j < factors.length; j += 1) {
      const column = levelOf[j] as Int32Array;
      const values = current[j] as Float64Array;
      const prior = priors[j] as Float64Array;
      const o = new Float64Array(values.length);
      const e = new Float64Array(values.length);
      for (let i = 0; i < n; i += 1) {
        const l = column[i] ?? -1;
        if (l < 0) continue;
        o[l] = (o[l] ?? 0) + (y[i] ?? 0);
        e[l] = (e[l] ?? 0) + (prediction[i] ?? 0);
      }
      const ratio = new Float64Array(values.length).fill(1);
      for (let l = 0; l < values.length; l += 1) {
        const priorValue = prior[l] ?? 1;
        const now = values[l] ?? 1;
        if (priorValue === 0 || now === 0) continue;
        const next = priorValue * ((k + (o[l] ?? 0)) / (k + (e[l] ?? 0) / (now / priorValue)));
        ratio[l] = next / now;
        values[l] = next;
      }
      for (let i = 0; i < n; i += 1) {
        const l = column[i] ?? -1;
        if (l >= 0) prediction[i] = (prediction[i] ?? 0) * (ratio[l] ?? 1);
      }
    }
  }
  base.set(baseValue);
  factors.forEach((factor, j) => (levelNames[j] ?? []).forEach((level, l) => factor.set(level, current[j]?.[l] ?? 1)));
}

function classOf(outcome: Outcome): 'noAnswer' | 'voicemail' | 'contact' | 'meeting' {
  if (outcome === 'Meeting Booked') return 'meeting';
  if (outcome === 'Left Voicemail') return 'voicemail';
  if (CONNECT_OUTCOMES.has(outcome)) return 'contact';
  return 'noAnswer';
}

const BOOKING_PURPOSES: ReadonlySet<Purpose> = new Set<Purpose>([
  'First Touch',
  'Follow Up',
  'Call Back',
  'Nurture Check Back',
  'Rebook No Show'
]);

/**
 * Fits the odds model to the org's own calls, starting from the research priors. Pure and
 * deterministic: the same history gives the same model.
 */
export function estimateOdds(observations: readonly CallObservation[], priors: QueuePriors): OddsModel {
  const model = oddsFromPriors(priors);
  const k = priors.priorStrength;
  const rows = observations.map((o) => ({ o, f: featuresOf(o), cls: classOf(o.outcome) }));
  const connects = rows.filter((r) => r.cls === 'contact' || r.cls === 'meeting');
  const c = model.contact;
  fitFactors(
    rows.map((r) => ({ f: r.f, y: r.cls === 'contact' || r.cls === 'meeting' ? 1 : 0 })),
    { get: () => c.base, set: (v) => (c.base = v) },
    [
      mapFactor(c.source, (f) => f.source),
      arrayFactor(
        c.attempt,
        (f) => attemptIndex(c.attempt, f.attemptNumber)
      ),
      {
        level: (f) => (f.inbound && f.minutesSinceArrival !== null ? String(speedIndex(c.speed, f.minutesSinceArrival)) : null),
        get: (l) => c.speed[Number(l)]?.multiplier ?? 1,
        set: (l, v) => {
          const step = c.speed[Number(l)];
          if (step) step.multiplier = v;
        }
      },
      mapFactor(c.hour, (f) => (f.localHour === null ? null : String(f.localHour))),
      mapFactor(c.weekday, (f) => (f.weekday === null ? null : (WEEKDAY_NAMES[f.weekday] ?? null))),
      mapFactor(c.purpose, (f) => f.purpose)
    ],
    k.contact
  );
  const m = model.meeting;
  const bookable = connects.filter((r) => BOOKING_PURPOSES.has(r.o.purpose));
  fitFactors(
    bookable.map((r) => ({ f: r.f, y: r.cls === 'meeting' ? 1 : 0 })),
    { get: () => m.base, set: (v) => (m.base = v) },
    [
      mapFactor(m.source, (f) => f.source),
      mapFactor(m.segment, (f) => f.segment),
      {
        level: (f) => (f.inbound ? 'inbound' : null),
        get: () => m.inbound,
        set: (_l, v) => (m.inbound = v)
      },
      mapFactor(m.purpose, (f) => f.purpose)
    ],
    k.meeting
  );
  fitMinutes(model, rows, k.minutes);
  const noConnect = rows.filter((r) => r.cls === 'noAnswer' || r.cls === 'voicemail');
  const voicemails = noConnect.filter((r) => r.cls === 'voicemail').length;
  model.voicemailShare = (k.voicemailShare * priors.voicemailShare + voicemails) / (k.voicemailShare + noConnect.length);
  model.evidence = {
    calls: rows.length,
    connects: connects.length,
    meetings: rows.filter((r) => r.cls === 'meeting').length
  };
  return model;
}

/** Mean call minutes by result, shrunk toward the prior with `k` pseudo-calls. */
function fitMinutes(model: OddsModel, rows: ReadonlyArray<{ o: CallObservation; cls: ReturnType<typeof classOf> }>, k: number): void {
  const sums = { noAnswer: { s: 0, n: 0 }, voicemail: { s: 0, n: 0 }, contact: { s: 0, n: 0 }, meeting: { s: 0, n: 0 } };
  for (const row of rows) {
    if (row.o.durationSeconds === null || !(row.o.durationSeconds >= 0)) continue;
    sums[row.cls].s += row.o.durationSeconds / 60;
    sums[row.cls].n += 1;
  }
  for (const cls of ['noAnswer', 'voicemail', 'contact', 'meeting'] as const) {
    const cell = sums[cls];
    model.callMinutes[cls] = (k * model.callMinutes[cls] + cell.s) / (k + cell.n);
  }
}
