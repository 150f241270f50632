import { createRng } from '../random';
import { dayFromIso, isoFromDay } from './dates';
import { knownAt, stageEnteredAt } from './known';
import {
  buildLexis,
  cohortCurve,
  curveTables,
  fitHazards,
  makeAgeBands,
  segmentSpeed
} from './survival';
import type { OpportunityHistory, OpportunityHistoryRow, StageHistoryRow } from './types';

const start = dayFromIso('2022-01-01');
const asOf = dayFromIso('2024-01-01');

/**
 * Deals that wait at Proposal for a random time (exponential, mean 30 days), then spend exactly
 * ten days at Negotiation and close (won half the time): the negotiation has a set length.
 */
function fixedNegotiation(
  segmentOf: (i: number) => string = () => 'SMB',
  proposalMean = (_: string) => 30
): OpportunityHistory {
  const rng = createRng('dwell');
  const opportunities: OpportunityHistoryRow[] = [];
  const stageHistory: StageHistoryRow[] = [];
  for (let i = 0; i < 3000; i += 1) {
    const segment = segmentOf(i);
    const created = start + rng.int(0, asOf - start - 1);
    const negotiation = created + 1 + Math.floor(-proposalMean(segment) * Math.log(1 - rng.next()));
    const close = negotiation + 10;
    const id = `D${i}`;
    stageHistory.push({ opportunityId: id, date: isoFromDay(created), stage: 'Proposal' });
    if (negotiation < asOf)
      stageHistory.push({ opportunityId: id, date: isoFromDay(negotiation), stage: 'Negotiation' });
    const won = rng.next() < 0.5;
    opportunities.push({
      id,
      rep: 'R',
      segment,
      stage:
        close < asOf ? (won ? 'Won' : 'Lost') : negotiation < asOf ? 'Negotiation' : 'Proposal',
      amount: 100,
      createdDate: isoFromDay(created),
      closeDate: close < asOf ? isoFromDay(close) : null,
      isClosed: close < asOf,
      isWon: close < asOf && won
    });
  }
  return { snapshotDate: isoFromDay(asOf), opportunities, stageHistory };
}

const bands = makeAgeBands([30, 60, 90, 180]);
const dwellBands = makeAgeBands([3, 6, 9, 12, 16, 21, 28]);

function horizonOf(days: number) {
  return {
    from: asOf,
    to: asOf + days,
    phase: new Uint8Array(days),
    periods: [
      { start: asOf, end: asOf + 5 },
      { start: asOf + 5, end: asOf + days }
    ]
  };
}

describe('the stage clock (days in the current stage)', () => {
  const k = knownAt(fixedNegotiation(), asOf);
  const withClock = fitHazards(buildLexis(k, bands, 1, 1, dwellBands), asOf, 100_000);
  const memoryless = fitHazards(buildLexis(k, bands, 1, 1, null), asOf, 100_000);
  const negotiation = k.dict.stage.indexOf('Negotiation');

  it('learns that a ten-day negotiation does not close in its first days and does at day 9-11', () => {
    const dwell = withClock.dwell;
    expect(dwell).not.toBeNull();
    const D = dwellBands.count;
    const close = (band: number) => dwell?.close[negotiation * D + band] as number;
    expect(close(0)).toBeLessThan(0.2); // 0-2 days
    expect(close(1)).toBeLessThan(0.2); // 3-5 days
    expect(close(3)).toBeGreaterThan(3); // 9-11 days: every close falls here
  });

  it('expects a deal that entered the negotiation today to close after day 5, not before', () => {
    const horizon = horizonOf(60);
    const fresh = new Float64Array(4);
    cohortCurve(
      withClock,
      bands,
      horizon,
      negotiation,
      asOf - 40,
      asOf,
      fresh,
      curveTables(withClock, 1, false),
      0
    );
    expect(fresh[0]).toBeLessThan(0.05);
    expect(fresh[2]).toBeGreaterThan(0.9);
    // Nine days in, it closes within the next five days.
    const late = new Float64Array(4);
    cohortCurve(
      withClock,
      bands,
      horizon,
      negotiation,
      asOf - 40,
      asOf,
      late,
      curveTables(withClock, 1, false),
      9
    );
    expect(late[0]).toBeGreaterThan(0.85);
    // The memoryless chain cannot tell the two apart: about 40% within five days for both.
    const flat = new Float64Array(4);
    cohortCurve(memoryless, bands, horizon, negotiation, asOf - 40, asOf, flat);
    expect(flat[0]).toBeGreaterThan(0.25);
    expect(flat[0]).toBeLessThan(0.55);
  });

  it('knows when an open deal entered its stage, from the rows before the day only', () => {
    const i = k.ids.findIndex((_, j) => k.history.offsets[j + 1]! - k.history.offsets[j]! === 2);
    const second = k.history.day[(k.history.offsets[i] as number) + 1] as number;
    expect(stageEnteredAt(k, i, second + 1)).toBe(second);
    expect(stageEnteredAt(k, i, second)).toBe(k.created[i]);
  });
});

describe('segments with their own pace', () => {
  // Enterprise deals wait six times longer at the proposal than small-business deals.
  const history = fixedNegotiation(
    (i) => (i % 4 === 0 ? 'Enterprise' : 'SMB'),
    (segment) => (segment === 'Enterprise' ? 120 : 20)
  );
  const k = knownAt(history, asOf);

  it('measures a slower pace for the slower segment', () => {
    const lexis = buildLexis(k, bands, 1, 1, null, false);
    const model = fitHazards(lexis, asOf, 100_000);
    const { speed } = segmentSpeed(lexis, model, asOf);
    const enterprise = speed[k.dict.segment.indexOf('Enterprise')] as number;
    const smb = speed[k.dict.segment.indexOf('SMB')] as number;
    expect(enterprise).toBeLessThan(0.6);
    expect(smb).toBeGreaterThan(1);
  });

  it('gives each segment its own curves: a young enterprise proposal is not expected to close soon', () => {
    const lexis = buildLexis(k, bands, 1, 1, null, true);
    expect(lexis.strata).toBe(2);
    const model = fitHazards(lexis, asOf, 100_000);
    const proposal = k.dict.stage.indexOf('Proposal');
    const at = (segment: string) => proposal * lexis.strata + k.dict.segment.indexOf(segment);
    const horizon = horizonOf(45);
    const curve = (segment: string) => {
      const out = new Float64Array(4);
      cohortCurve(model, bands, horizon, at(segment), asOf - 10, asOf, out);
      return (out[0] as number) + (out[2] as number);
    };
    // P(close within 45 days | at Proposal, 10 days old): about 0.55 for SMB, 0.10 for Enterprise.
    expect(curve('SMB')).toBeGreaterThan(0.4);
    expect(curve('Enterprise')).toBeLessThan(0.25);
  });
});
