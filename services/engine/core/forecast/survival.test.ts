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

describe('stage changes (a deal at an early stage still moves on and wins)', () => {
  // Every deal starts at Discovery. Winners (40%) move to Contract after about 20 days and
  // close won about 10 days later; losers close lost from Discovery. So no deal ever closes won
  // while at Discovery: a model that kept an open deal at its current stage would give an open
  // Discovery deal almost no chance of winning.
  const rng = createRng('stages');
  const start = dayFromIso('2022-01-01');
  const asOf = dayFromIso('2023-01-01');
  const rows: OpportunityHistoryRow[] = [];
  const stageHistory: NonNullable<OpportunityHistory['stageHistory']> = [];
  for (let i = 0; i < 3000; i += 1) {
    const created = start + rng.int(0, asOf - start - 1);
    const won = rng.next() < 0.4;
    const move = created + 15 + rng.int(0, 10);
    const close = won ? move + 5 + rng.int(0, 10) : created + 10 + rng.int(0, 30);
    const id = `S${i}`;
    stageHistory.push({ opportunityId: id, date: isoFromDay(created), stage: 'Discovery' });
    if (won && move < asOf)
      stageHistory.push({ opportunityId: id, date: isoFromDay(move), stage: 'Contract' });
    rows.push(row(id, created, close < asOf ? close : null, won));
  }
  const history: OpportunityHistory = {
    snapshotDate: isoFromDay(asOf),
    opportunities: rows,
    stageHistory
  };
  const k = knownAt(history, asOf);
  const bands = makeAgeBands([10, 20, 30, 45]);
  const model = fitHazards(buildLexis(k, bands, 1), asOf, 100_000);
  const discovery = k.dict.stage.indexOf('Discovery');
  const contract = k.dict.stage.indexOf('Contract');

  it('learns where deals go: Discovery moves to Contract, never the other way', () => {
    expect(model.leave).not.toBeNull();
    const share = model.moveShare as Float64Array;
    const S = model.stages;
    const cell = discovery * model.bands + 1; // 10-20 days
    expect(share[cell * S + contract]).toBeCloseTo(1, 6);
    expect(model.leave?.[(contract * model.bands + 1) * model.phases] ?? 0).toBeLessThan(0.01);
  });

  it('gives a new Discovery deal about the true 40% chance of winning, over the chain', () => {
    const to = asOf + 400;
    const horizon = {
      from: asOf,
      to,
      phase: new Uint8Array(to - asOf),
      periods: [{ start: asOf, end: to }]
    };
    const out = new Float64Array(2);
    cohortCurve(model, bands, horizon, discovery, asOf, asOf, out);
    expect(out[0]).toBeGreaterThan(0.97);
    expect(Math.abs((out[1] as number) - 0.4)).toBeLessThan(0.05);
    // Without the moves (the deal kept at Discovery), the chance would be next to nothing.
    const frozen = new Float64Array(2);
    cohortCurve(
      { ...model, leave: null, moveShare: null },
      bands,
      horizon,
      discovery,
      asOf,
      asOf,
      frozen
    );
    expect(frozen[1]).toBeLessThan(0.05);
  });
});

describe('entry stage (the stage a deal had on its creation day)', () => {
  const day = dayFromIso('2024-03-01');
  const history: OpportunityHistory = {
    snapshotDate: '2024-06-01',
    opportunities: [row('A', day, day + 20, true), row('B', day, null), row('C', day + 5, null)],
    stageHistory: [
      // A: created at Qualification, moved to Proposal the same day: entered at Proposal.
      { opportunityId: 'A', date: isoFromDay(day), stage: 'Qualification' },
      { opportunityId: 'A', date: isoFromDay(day), stage: 'Proposal' },
      { opportunityId: 'B', date: isoFromDay(day), stage: 'Qualification' },
      { opportunityId: 'B', date: isoFromDay(day + 3), stage: 'Proposal' },
      // C has no row on its creation day: its entry stage is not known.
      { opportunityId: 'C', date: isoFromDay(day + 9), stage: 'Proposal' }
    ]
  };

  it('is the last stage written on the creation day, coded over the entry stages seen', () => {
    const k = knownAt(history, dayFromIso('2024-06-01'));
    expect(k.dict.entryStage).toEqual(['Open', 'Proposal', 'Qualification']);
    const of = (id: string): string =>
      k.dict.entryStage[k.entryStage[k.ids.indexOf(id)] as number] as string;
    expect([of('A'), of('B'), of('C')]).toEqual(['Proposal', 'Qualification', 'Open']);
  });

  it('is one value without stage history, so the win tree leaves the level out', () => {
    const k = knownAt({ ...history, stageHistory: [] }, dayFromIso('2024-06-01'));
    expect(k.dict.entryStage).toEqual(['Open']);
    expect(Array.from(k.entryStage)).toEqual([0, 0, 0]);
  });
});
