import { allocateCampaign, campaignResults, roiReport } from '../../services/engine/features/campaigns';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { queryAll } from '../../services/engine/org/reads';
import { startTestOrg, type TestOrg } from '../support/localOrg';

// User story: marketing reads ROI by lead source from first touch to closed-won, and runs an
// A/B test whose metric is Won: both trace a won deal back to the lead it came from through
// Lead.ConvertedOpportunityId (Object Reference, Lead: the opportunity the lead was converted
// into), which the demo floor sets on the lead of every won new-customer deal.
describe('campaign ROI and Won results count closed-won deals of the leads', () => {
  let test: TestOrg;
  let client: OrgClient;

  beforeAll(async () => {
    test = await startTestOrg({ leads: 1500, seed: 'reports-roi' });
    client = await connectOrg(test.engineConfig());
  }, 120_000);
  afterAll(async () => {
    await test?.close();
  });

  it('credits each won deal to the LeadSource of the lead converted into it, with its amount and days to win', async () => {
    const converted = await queryAll(client, 'SELECT Id, LeadSource, CreatedDate, ConvertedOpportunityId FROM Lead WHERE IsConverted = true');
    const won = new Map((await queryAll(client, 'SELECT Id, Amount, CloseDate FROM Opportunity WHERE IsWon = true')).map((o) => [String(o.Id), o]));
    const expected = new Map<string, { wins: number; revenue: number }>();
    for (const lead of converted) {
      const o = won.get(String(lead.ConvertedOpportunityId));
      if (!o) continue;
      const e = expected.get(String(lead.LeadSource)) ?? { wins: 0, revenue: 0 };
      e.wins += 1;
      e.revenue += Number(o.Amount ?? 0);
      expected.set(String(lead.LeadSource), e);
    }
    const wins = [...expected.values()].reduce((a, e) => a + e.wins, 0);
    expect(wins).toBeGreaterThan(0);
    // Upgrades of existing customers are won too, but no lead was converted into them.
    expect(won.size).toBeGreaterThan(wins);

    const roi = await roiReport(client, { Web: 10_000 }, 'roi-e2e');
    expect(roi.reduce((a, s) => a + s.wins, 0)).toBe(wins);
    for (const [source, e] of expected) {
      const row = roi.find((s) => s.source === source);
      expect([source, row?.wins, row?.revenue]).toEqual([source, e.wins, e.revenue]);
      expect(row?.medianDaysToWin).toBeGreaterThan(0);
    }
  });

  it('counts a Won conversion for a worked member whose lead\u2019s deal was won', async () => {
    // A campaign whose members are the floor's won leads and leads worked without a win.
    const winners = (await queryAll(client, 'SELECT Id FROM Lead WHERE IsConverted = true AND ConvertedOpportunity.IsWon = true')).map((l) => String(l.Id));
    expect(winners.length).toBeGreaterThan(0);
    const worked = [...new Set((await queryAll(client, 'SELECT Lead__c FROM Disposition__c WHERE Lead__c != null LIMIT 400')).map((d) => String(d.Lead__c)))].filter((id) => !winners.includes(id)).slice(0, 40);
    const campaign = await client.conn.sobject('Campaign').create({ Name: 'Won metric e2e' });
    if (!campaign.success) throw new Error(JSON.stringify(campaign));
    const campaignId = campaign.id;
    await client.conn.sobject('CampaignMember').create([...winners, ...worked].map((LeadId) => ({ CampaignId: campaignId, LeadId, Status: 'Sent' })), { allOrNone: true });
    const expectedWins = winners.length;
    await client.conn.sobject('Campaign_Test__c').create({ Campaign__c: campaignId, Variants__c: 'A;B', Allocation__c: '1;1', Metric__c: 'Won', Status__c: 'Draft', Seed__c: 'won-e2e' });
    await allocateCampaign(client, campaignId);
    const result = await campaignResults(client, campaignId, new Date('2026-11-20T12:00:00Z'));
    // Every won lead was worked (it has dispositions), so each is a trial and a conversion.
    expect(result.variantsNow.reduce((a, v) => a + v.conversions, 0)).toBe(expectedWins);
    expect(result.plan.metric).toBe('Won');
  });
});
