import { planInputFrom, runPlan } from '../../services/engine/cli/commands/plan';
import { analyzeFit, planningFeature, readMeasured, type CapacityPlanResult } from '../../services/engine/features/planning';
import { JobScheduler } from '../../services/engine/jobs/scheduler';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { orgJobStore } from '../../services/engine/org/jobStore';
import { count, queryAll } from '../../services/engine/org/reads';
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

  // User story: the sales manager enters a bookings target and period in the Planning console,
  // which writes them to the Capacity Plan job's Scope__c with Run_Now__c; the engine runs the
  // job and writes the plan to the run's Result__c, where the console reads it.
  it('runs the Capacity Plan job asked for through Engine_Job__c and writes the plan to Job_Run__c', async () => {
    const scope = { targetBookings: 900_000, periodDays: 91, periodStart: '2027-01-01', closer: { annualCost: 140_000 }, sdr: { annualCost: 65_000 } };
    const created = (await client.conn.sobject('Engine_Job__c').create({ Name: 'Capacity plan', Type__c: 'Capacity Plan', Enabled__c: false, Run_Now__c: true, Scope__c: JSON.stringify(scope) })) as { id: string };
    const handlers = planningFeature().jobs?.(client) ?? {};
    const scheduler = new JobScheduler({ store: orgJobStore(client), handlers, clock: () => asOf });
    await scheduler.sync();
    await scheduler.stop();

    const [run] = await queryAll(client, `SELECT Outcome__c, Job_Type__c, Finished_At__c, Result__c, Error_Summary__c FROM Job_Run__c WHERE Engine_Job__c = '${created.id}'`);
    expect(run?.Outcome__c).toBe('Succeeded');
    expect(run?.Job_Type__c).toBe('Capacity Plan');
    const result = JSON.parse(String(run?.Result__c)) as CapacityPlanResult;
    expect(result.kind).toBe('capacity-plan');
    expect(result.computedAt).toBe(asOf.toISOString());
    expect(result.target).toEqual({ targetBookings: 900_000, periodDays: 91, periodStart: '2027-01-01', measureDays: 180 });
    // The same plan as `asl plan --org` gives from the same measurements.
    const measured = await readMeasured(client, asOf, 180);
    expect(result.input.stages).toEqual(measured.stages);
    const product = measured.stages.reduce((p, s) => p * (s.conversion.converted / s.conversion.entered), 1);
    expect(result.plan.leadsNeeded).toBeCloseTo(900_000 / (measured.averageDealSize as number) / product, 6);
    expect(result.plan.firstLeadDate).not.toBeNull();
    // Heads today are the org's active reps by station role.
    const sdrs = await count(client, "SELECT COUNT() FROM Rep_Capacity__c WHERE Active__c = true AND Station_Keys__c = 'SDR_CALL'");
    const closer = result.plan.roles.find((r) => r.role === 'closer');
    expect(result.plan.roles.find((r) => r.role === 'sdr')?.currentHeads).toBe(sdrs);
    expect(closer?.currentHeads).toBeGreaterThan(0);
    expect(closer?.payrollDeltaAnnual).toBe(((closer?.heads ?? 0) - (closer?.currentHeads ?? 0)) * 140_000);
    expect(result.sources).toMatchObject({ stages: 'org', 'sdr.handlingMinutes': 'org', 'closer.currentHeads': 'org' });
    // Inbound staffing by Erlang C from the org's inbound leads.
    expect(result.plan.inbound?.heads).toBeGreaterThan(0);
    const [job] = await queryAll(client, `SELECT Run_Now__c, Status__c, Status_Message__c FROM Engine_Job__c WHERE Id = '${created.id}'`);
    expect(job?.Run_Now__c).toBe(false);
    expect(String(job?.Status_Message__c)).toContain('leads a day');
  }, 60_000);

  it('fails the run with the field to fix when the scope has no target', async () => {
    const created = (await client.conn.sobject('Engine_Job__c').create({ Name: 'Plan without target', Type__c: 'Capacity Plan', Enabled__c: false, Run_Now__c: true, Scope__c: JSON.stringify({ periodDays: 91 }) })) as { id: string };
    const scheduler = new JobScheduler({ store: orgJobStore(client), handlers: planningFeature().jobs?.(client) ?? {}, clock: () => asOf });
    await scheduler.sync();
    await scheduler.stop();
    const [run] = await queryAll(client, `SELECT Outcome__c, Error_Summary__c FROM Job_Run__c WHERE Engine_Job__c = '${created.id}'`);
    expect(run?.Outcome__c).toBe('Failed');
    expect(String(run?.Error_Summary__c)).toContain('targetBookings');
  }, 60_000);
});
