import { campaignReportsJob, campaignResultsJob, type CampaignReportsResult } from '../../services/engine/features/campaigns/jobs';
import { JobScheduler } from '../../services/engine/jobs/scheduler';
import { orgJobStore } from '../../services/engine/org/jobStore';
import { allocateCampaign, campaignResults, listQualityReport, readCampaignTest, roiReport } from '../../services/engine/features/campaigns';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { queryAll } from '../../services/engine/org/reads';
import { startTestOrg, type TestOrg } from '../support/localOrg';

// User story: marketing starts an A/B test on a campaign; the engine allocates its members to
// the variants at random but in balanced blocks, looks at the results with a sequential test
// and writes the decision to Campaign_Test__c; the list-quality and ROI reports read the org.
describe('campaign tests against the local org', () => {
  let test: TestOrg;
  let client: OrgClient;
  let testId: string;
  let campaignId: string;

  beforeAll(async () => {
    test = await startTestOrg({ leads: 1500, seed: 'campaigns' });
    client = await connectOrg(test.engineConfig());
    const row = (await queryAll(client, "SELECT Id, Campaign__c FROM Campaign_Test__c WHERE Status__c = 'Draft' LIMIT 1"))[0];
    testId = String(row?.Id);
    campaignId = String(row?.Campaign__c);
  }, 120_000);
  afterAll(async () => {
    await test?.close();
  });

  it('allocates every member to a variant in balanced blocks, once', async () => {
    const run = await allocateCampaign(client, campaignId);
    expect(run.testId).toBe(testId);
    expect(run.members).toBeGreaterThan(10);
    expect(run.started).toBe(true);
    // Permuted blocks with weights 1;1: the arms differ by at most half a block.
    expect(Math.abs((run.byVariant.A ?? 0) - (run.byVariant.B ?? 0))).toBeLessThanOrEqual(2);
    const members = await queryAll(client, `SELECT Id, Variant__c FROM CampaignMember WHERE CampaignId = '${campaignId}'`);
    expect(members.every((m) => m.Variant__c === 'A' || m.Variant__c === 'B')).toBe(true);
    expect((await readCampaignTest(client, testId)).status).toBe('Running');
    const again = await allocateCampaign(client, testId);
    expect(again.newlyAllocated).toBe(0);
    expect(again.byVariant).toEqual(run.byVariant);
  });

  it('looks at the results and writes them to Campaign_Test__c, one look per run', async () => {
    const first = await campaignResults(client, testId, new Date('2026-11-20T12:00:00Z'));
    expect(first.looks).toHaveLength(1);
    // Trials are the members worked so far (with a disposition), per variant.
    const members = await queryAll(client, `SELECT LeadId FROM CampaignMember WHERE CampaignId = '${campaignId}'`);
    const disposed = new Set((await queryAll(client, 'SELECT Lead__c FROM Disposition__c WHERE Lead__c != null')).map((d) => d.Lead__c));
    const worked = members.filter((m) => disposed.has(m.LeadId)).length;
    expect(worked).toBeGreaterThan(0);
    expect(worked).toBeLessThan(members.length);
    expect(first.variantsNow.reduce((sum, v) => sum + v.trials, 0)).toBe(worked);
    const second = await campaignResults(client, testId, new Date('2026-11-21T12:00:00Z'));
    const [row] = await queryAll(client, `SELECT Status__c, Result__c, P_Value__c, Winner__c FROM Campaign_Test__c WHERE Id = '${testId}'`);
    const stored = JSON.parse(String(row?.Result__c)) as { looks: unknown[] };
    expect(stored.looks).toHaveLength(second.status === 'Running' ? 2 : 1);
    expect(row?.Status__c).toBe(second.status);
    expect(row?.Winner__c ?? null).toBe(second.winner);
    expect(row?.P_Value__c === null || typeof row?.P_Value__c === 'number').toBe(true);
  });

  it('runs the Campaign Results job over the running tests, or the tests in its scope', async () => {
    const handler = campaignResultsJob(client);
    const job = { id: 'a0J000000000001AAA', name: 'Campaign results', type: 'Campaign Results' as const, cron: null, enabled: true, runNow: false };
    const run = (scope: Record<string, unknown>) => handler({ job: { ...job, scope }, runKey: 'e2e', now: new Date('2026-11-22T12:00:00Z'), signal: new AbortController().signal });
    const looks = async () => (JSON.parse(String((await queryAll(client, `SELECT Result__c FROM Campaign_Test__c WHERE Id = '${testId}'`))[0]?.Result__c)) as { looks: unknown[]; status: string });
    const before = await looks();
    expect(before.status).toBe('Running');
    const running = await queryAll(client, "SELECT Id FROM Campaign_Test__c WHERE Status__c = 'Running'");
    const all = await run({});
    expect(all.recordsTouched).toBe(running.length);
    expect(all.summary).toContain(testId);
    expect((await looks()).looks).toHaveLength(before.looks.length + 1);
    await expect(run({ tests: ['not-an-id'] })).rejects.toThrow();
  });

  it('reports contact and qualification rate per lead list, and ROI by lead source', async () => {
    const lists = await listQualityReport(client, 'e2e');
    const leads = await queryAll(client, 'SELECT Id FROM Lead');
    expect(lists.lists.reduce((sum, l) => sum + l.leads, 0)).toBe(leads.length);
    for (const l of lists.lists) expect(l.contact.low).toBeLessThanOrEqual(l.contact.rate);
    const roi = await roiReport(client, { Web: 10_000 }, 'e2e');
    expect(roi.reduce((sum, s) => sum + s.leads, 0)).toBe(leads.length);
    const web = roi.find((s) => s.source === 'Web');
    expect(web?.cost).toBe(10_000);
  }, 60_000);

  // User story: a marketer opens the Campaigns console and asks for fresh list-quality and ROI
  // figures (Run now on the Campaign Reports job, spend per source in its Scope__c); the engine
  // writes them to the run's Result__c, where the console reads them.
  it('runs the Campaign Reports job asked for through Engine_Job__c and writes lists and ROI to Job_Run__c', async () => {
    const scope = { costs: { Web: 10_000, 'Purchased List': 2_500 }, seed: 'e2e' };
    const created = (await client.conn.sobject('Engine_Job__c').create({ Name: 'Campaign reports', Type__c: 'Campaign Reports', Enabled__c: false, Run_Now__c: true, Scope__c: JSON.stringify(scope) })) as { id: string };
    const now = new Date('2026-11-22T12:00:00Z');
    const scheduler = new JobScheduler({ store: orgJobStore(client), handlers: { 'Campaign Reports': campaignReportsJob(client) }, clock: () => now });
    await scheduler.sync();
    await scheduler.stop();
    const [run] = await queryAll(client, `SELECT Outcome__c, Result__c, Error_Summary__c FROM Job_Run__c WHERE Engine_Job__c = '${created.id}'`);
    expect(run?.Outcome__c).toBe('Succeeded');
    const result = JSON.parse(String(run?.Result__c)) as CampaignReportsResult;
    expect(result.kind).toBe('campaign-reports');
    expect(result.computedAt).toBe(now.toISOString());
    expect(result.costs).toEqual(scope.costs);
    // The same figures as `asl campaign lists` and `asl campaign roi` with the same seed.
    expect(result.lists).toEqual(JSON.parse(JSON.stringify(await listQualityReport(client, 'e2e'))));
    expect(result.roi).toEqual(JSON.parse(JSON.stringify(await roiReport(client, scope.costs, 'e2e'))));
    expect(result.roi.find((s) => s.source === 'Purchased List')?.cost).toBe(2_500);
    await expect(campaignReportsJob(client)({ job: { id: created.id, name: 'x', type: 'Campaign Reports', cron: null, enabled: false, runNow: false, scope: { costs: { Web: -1 } } }, runKey: 'bad', now, signal: new AbortController().signal })).rejects.toThrow(/negative/);
  }, 90_000);
});
