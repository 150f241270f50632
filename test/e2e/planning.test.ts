import { planInputFrom, runPlan } from '../../services/engine/cli/commands/plan';
import { analyzeFit, readMeasured } from '../../services/engine/features/planning';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { count } from '../../services/engine/org/reads';
import { startTestOrg, type TestOrg } from '../support/localOrg';

// User story: RevOps plans leads and heads from the line's measured conversion and timing
// (`asl plan --org`), and the sales manager reads what the fit survey says about winning
// and which open deals to drop (`asl fit analyze --org`).
describe('planning and fit analysis against the local org', () => {
  let test: TestOrg;
  let client: OrgClient;
  const asOf = new Date('2026-11-16T15:00:00.000Z');

  beforeAll(async () => {
    test = await startTestOrg({ leads: 3000, seed: 'planning', asOf: asOf.toISOString() });
    client = await connectOrg(test.engineConfig());
  }, 180_000);
  afterAll(async () => {
    await test?.close();
  });

  it('measures the four stations from the org and plans with them', async () => {
    const measured = await readMeasured(client, asOf, 180);
    const leads = await count(client, `SELECT COUNT() FROM Lead WHERE CreatedDate >= ${measured.window.start.replace('.000Z', 'Z')} AND CreatedDate < 2026-11-16T15:00:00Z`);
    expect(measured.stages[0]?.conversion.entered).toBe(leads);
    for (const stage of measured.stages) {
      expect(stage.conversion.converted).toBeGreaterThan(0);
      expect(stage.conversion.converted).toBeLessThanOrEqual(stage.conversion.entered);
      expect(stage.cycleDays).toBeGreaterThanOrEqual(0);
    }
    // Each station takes only those the previous one passed on.
    expect(measured.stages[1]?.conversion.entered).toBe(measured.stages[0]?.conversion.converted);
    expect(measured.stages[2]?.conversion.entered).toBe(measured.stages[1]?.conversion.converted);
    expect(measured.averageDealSize).toBeGreaterThan(0);

    const flags = { targetBookings: 1_000_000, periodDays: 91, handlingMinutes: 2, measureDays: 180, json: false };
    const result = runPlan(planInputFrom(flags, measured));
    const product = measured.stages.reduce((p, s) => p * (s.conversion.converted / s.conversion.entered), 1);
    // Leads needed = wins needed / the product of the measured conversions.
    expect(result.leadsNeeded).toBeCloseTo(1_000_000 / (measured.averageDealSize as number) / product, 0);
    expect(result.leadsPerDayRange).toBeDefined();
  }, 60_000);

  it('analyzes win rate by fit and advises on open deals', async () => {
    const analysis = await analyzeFit(client, { threshold: 0.15, valuePerHour: 400 });
    const closed = await count(client, 'SELECT COUNT() FROM Opportunity WHERE IsClosed = true AND Fit_Score__c != null');
    expect(analysis.closed).toBe(closed);
    expect(analysis.bands.reduce((sum, b) => sum + b.deals, 0)).toBe(closed);
    expect(analysis.model.n).toBe(closed);
    expect(analysis.explanation.length).toBeGreaterThan(20);
    if (!analysis.model.separated) {
      expect(analysis.advice).toHaveLength(analysis.open);
      for (const a of analysis.advice) expect(a.flagged).toBe(a.winChance < 0.15);
    }
  }, 60_000);
});
