import { createRng } from '../random';
import { dayFromIso, isoFromDay, phaseOfMonth, monthIndexOfDay } from './dates';
import { knownAt } from './known';
import { buildLexis, cohortCurve, fitHazards, kaplanMeier, makeAgeBands } from './survival';
import type { OpportunityHistory, OpportunityHistoryRow } from './types';

const row = (
  id: string,
  created: number,
  close: number | null,
  won = false
): OpportunityHistoryRow => ({
  id,
  rep: 'R',
  stage: close === null ? 'Open' : won ? 'Won' : 'Lost',
  amount: 100,
  createdDate: isoFromDay(created),
  closeDate: close === null ? null : isoFromDay(close),
  isClosed: close !== null,
  isWon: won
});

describe('Kaplan-Meier', () => {
  it('matches the textbook product-limit estimate with censoring', () => {
    // Times 3, 5+, 6, 6, 8+, 10 (+ = censored): S(3)=5/6, S(6)=5/6*2/4, S(10)=... *0/1.
    const km = kaplanMeier([3, 5, 6, 6, 8, 10], [true, false, true, true, false, true]);
    expect(km.map((p) => p.time)).toEqual([3, 6, 10]);
    expect(km[0]?.survival).toBeCloseTo(5 / 6, 12);
    expect(km[1]?.survival).toBeCloseTo((5 / 6) * (2 / 4), 12);
    expect(km[2]?.survival).toBeCloseTo(0, 12);
  });
});

describe('life table with open deals as censored', () => {
  // Deals close after an exponential time (rate 1/40 a day); the export is taken on a fixed
  // day, so every deal still open then is censored at its age.
  const rng = createRng('censoring');
  const start = dayFromIso('2020-01-01');
  const asOf = dayFromIso('2021-01-01');
  const rows: OpportunityHistoryRow[] = [];
  for (let i = 0; i < 4000; i += 1) {
    const created = start + rng.int(0, asOf - start - 1);
    const close = created + Math.floor(-40 * Math.log(1 - rng.next()));
    rows.push(row(`D${i}`, created, close < asOf ? close : null, rng.next() < 0.5));
  }
  const history: OpportunityHistory = { snapshotDate: isoFromDay(asOf), opportunities: rows };
  const k = knownAt(history, asOf);
  const bands = makeAgeBands([30, 60, 90]);
  const lexis = buildLexis(k, bands, 1);
  const model = fitHazards(lexis, asOf, 100_000);

  it('recovers the true daily close probability in every band', () => {
    const truth = 1 - Math.exp(-1 / 40);
    for (let b = 0; b < bands.count - 1; b += 1) {
      expect(Math.abs((model.closeProb[b] as number) / truth - 1)).toBeLessThan(0.12);
    }
  });

  it('is not fooled like a naive estimate that drops open deals', () => {
    // Mean days-to-close among closed deals only is biased low by censoring.
    const closed = rows.filter((r) => r.isClosed);
    const naiveMean =
      closed.reduce(
        (s, r) => s + (dayFromIso(r.closeDate as string) - dayFromIso(r.createdDate)),
        0
      ) / closed.length;
    expect(naiveMean).toBeLessThan(36);
    const fittedMean = 1 / -Math.log(1 - (model.closeProb[0] as number));
    expect(Math.abs(fittedMean - 40)).toBeLessThan(4);
  });

  it('agrees with Kaplan-Meier on the survival curve', () => {
    const durations = rows.map(
      (r) => (r.isClosed ? dayFromIso(r.closeDate as string) : asOf) - dayFromIso(r.createdDate)
    );
    const km = kaplanMeier(
      durations,
      rows.map((r) => r.isClosed)
    );
    const at = (t: number): number => km.filter((p) => p.time < t).pop()?.survival ?? 1;
    const horizon = {
      from: asOf,
      to: asOf + 60,
      phase: new Uint8Array(60),
      periods: [{ start: asOf, end: asOf + 60 }]
    };
    const out = new Float64Array(2);
    // A deal created "today" closes within 60 days with probability 1 - S(60).
    cohortCurve(model, bands, horizon, 0, asOf, asOf, out);
    expect(Math.abs((out[0] as number) - (1 - at(60)))).toBeLessThan(0.03);
    expect(out[1] as number).toBeLessThanOrEqual(out[0] as number);
  });

  it('counts no exposure before the first recorded close (left truncation)', () => {
    const late = dayFromIso('2020-07-01');
    // The same world, but the export holds only deals still open on 2020-07-01 or created later.
    const truncated = rows.filter((r) => !r.isClosed || dayFromIso(r.closeDate as string) >= late);
    const kt = knownAt({ snapshotDate: isoFromDay(asOf), opportunities: truncated }, asOf);
    const mt = fitHazards(buildLexis(kt, bands, 1), asOf, 100_000);
    for (let b = 0; b < 2; b += 1)
      expect(
        Math.abs((mt.closeProb[b] as number) / (model.closeProb[b] as number) - 1)
      ).toBeLessThan(0.12);
  });
});

describe('seasonal push', () => {
  it('finds a month-of-quarter effect that is there, and none that is not', () => {
    const make = (push: [number, number, number]): OpportunityHistory => {
      const rng = createRng(`push:${push.join(',')}`);
      const start = dayFromIso('2019-01-01');
      const asOf = dayFromIso('2021-01-01');
      const rows: OpportunityHistoryRow[] = [];
      for (let i = 0; i < 6000; i += 1) {
        const created = start + rng.int(0, asOf - start - 1);
        let close: number | null = null;
        for (let d = created; d < asOf; d += 1) {
          if (rng.next() < (1 / 40) * (push[phaseOfMonth(monthIndexOfDay(d), 3)] as number)) {
            close = d;
            break;
          }
        }
        rows.push(row(`S${i}`, created, close, rng.next() < 0.5));
      }
      return { snapshotDate: isoFromDay(asOf), opportunities: rows };
    };
    const asOf = dayFromIso('2021-01-01');
    const fit = (history: OpportunityHistory): Float64Array => {
      const k = knownAt(history, asOf);
      return fitHazards(buildLexis(k, makeAgeBands([30, 60]), 3), asOf, 100_000).push;
    };
    const pushed = fit(make([0.7, 1, 1.5]));
    expect((pushed[2] as number) / (pushed[0] as number)).toBeGreaterThan(1.7);
    const flat = fit(make([1, 1, 1]));
    expect(Math.abs((flat[2] as number) / (flat[0] as number) - 1)).toBeLessThan(0.1);
  });
});
