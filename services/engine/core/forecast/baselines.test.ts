import { baselineForecasts, stageWeighted } from './baselines';
import { dayFromIso, isoFromDay, periodContaining } from './dates';
import { knownAt } from './known';
import type { OpportunityHistoryRow } from './types';

const won = (
  id: string,
  created: string,
  close: string,
  amount: number
): OpportunityHistoryRow => ({
  id,
  rep: 'R',
  product: 'P',
  stage: 'Won',
  amount,
  createdDate: created,
  closeDate: close,
  isClosed: true,
  isWon: true
});

describe('baselines', () => {
  // Bookings: Mar 100, Apr 200, May 300; nothing recorded before March (the export's window).
  const rows = [
    won('a', '2017-02-01', '2017-03-10', 100),
    won('b', '2017-02-01', '2017-04-10', 200),
    won('c', '2017-02-01', '2017-05-10', 300)
  ];

  it('last period, trailing mean and seasonal naive from the bookings known then', () => {
    const asOf = dayFromIso('2017-06-01');
    const k = knownAt({ opportunities: rows }, asOf);
    const june = periodContaining('month', asOf);
    expect(baselineForecasts(k, june, 3)).toMatchObject({
      lastPeriod: 300,
      trailing3: 200,
      seasonalNaive: 100
    });
    // A quarterly cycle one step earlier reaches February, before the window: use last period.
    const may = periodContaining('month', dayFromIso('2017-05-01'));
    expect(baselineForecasts(knownAt({ opportunities: rows }, may.start), may, 3)).toMatchObject({
      lastPeriod: 200,
      trailing3: 150,
      seasonalNaive: 200
    });
  });

  it('stage-weighted pipeline counts open deals expected to close in the period at the win rate', () => {
    const asOf = dayFromIso('2017-06-01');
    const closed = [
      won('a', '2017-02-01', '2017-05-10', 200),
      won('b', '2017-02-01', '2017-05-10', 200),
      won('c', '2017-02-01', '2017-05-10', 200)
    ];
    const lost: OpportunityHistoryRow = {
      ...won('l', '2017-02-01', '2017-05-10', 0),
      isWon: false,
      stage: 'Lost'
    };
    // Median days to close is 98: a deal created 100 days ago is expected now, one created
    // 10 days ago in September.
    const due: OpportunityHistoryRow = {
      id: 'o',
      rep: 'R',
      product: 'P',
      stage: 'Open',
      amount: null,
      createdDate: isoFromDay(asOf - 100),
      closeDate: null,
      isClosed: false,
      isWon: false
    };
    const young: OpportunityHistoryRow = { ...due, id: 'y', createdDate: isoFromDay(asOf - 10) };
    const k = knownAt({ opportunities: [...closed, lost, due, young] }, asOf);
    // Win rate with one pseudo-deal at the overall rate: (3 + 0.75) / (4 + 1); value 200.
    expect(stageWeighted(k, periodContaining('month', asOf))).toBeCloseTo((3.75 / 5) * 200, 6);
    expect(stageWeighted(k, periodContaining('month', dayFromIso('2017-08-01')))).toBeCloseTo(
      (3.75 / 5) * 200,
      6
    );
  });
});

describe('stage-weighted pipeline with stage history', () => {
  it('weights a stage by the won share of the closed deals that passed through it, not of those last seen there', () => {
    // Won deals pass Proposal then Contract; lost ones close from Proposal. Of the four closed
    // deals, all four passed Proposal and two were won: Proposal converts 2 of 4, although no
    // deal was ever won while still at Proposal.
    const asOf = dayFromIso('2017-07-01');
    const deal = (id: string, won: boolean): OpportunityHistoryRow => ({
      id,
      rep: 'R',
      product: 'P',
      stage: won ? 'Won' : 'Lost',
      amount: 100,
      createdDate: '2017-03-01',
      closeDate: '2017-05-01',
      isClosed: true,
      isWon: won
    });
    const open: OpportunityHistoryRow = {
      id: 'o',
      rep: 'R',
      product: 'P',
      stage: 'Proposal',
      amount: 100,
      createdDate: '2017-06-01',
      closeDate: '2017-07-20',
      isClosed: false,
      isWon: false
    };
    const rows = [deal('w1', true), deal('w2', true), deal('l1', false), deal('l2', false), open];
    const stageHistory = rows.flatMap((r) => [
      { opportunityId: r.id, date: r.createdDate, stage: 'Proposal', closeDate: '2017-07-20' },
      ...(r.isWon ? [{ opportunityId: r.id, date: '2017-04-01', stage: 'Contract' }] : [])
    ]);
    const k = knownAt({ opportunities: rows, stageHistory }, asOf);
    // (2 wins + 0.5 overall) / (4 closed + 1) on an amount of 100, expected in July.
    expect(stageWeighted(k, periodContaining('month', asOf))).toBeCloseTo((2.5 / 5) * 100, 6);
  });
});
