import { selectFields } from '../calendar/orgRecord';
import { allocate } from './allocation';
import { createRng } from '../random';
import { campaignMemberRecordSchema, campaignTestFromRecord, inboundLeadFromRecord, leadWins, listLeads, memberFromRecord, roiInput, variantCounts } from './records';
import { roiBySource } from './roi';
import { analyzeCampaignTest, startResult } from './results';

const testRecord = (extra: Record<string, unknown> = {}) => ({ Id: 'a0T1', Campaign__c: '701A', Variants__c: 'A; B ;C', Allocation__c: '50;25;25', Metric__c: 'Meeting', Status__c: 'Running', Seed__c: 'spring', Result__c: '', ...extra });

describe('Campaign_Test__c', () => {
  it('reads variants, weights and the seed', () => {
    expect(campaignTestFromRecord(testRecord())).toEqual({ id: 'a0T1', campaignId: '701A', variants: ['A', 'B', 'C'], weights: [50, 25, 25], metric: 'Meeting', status: 'Running', seed: 'spring', result: null });
    expect(campaignTestFromRecord(testRecord({ Allocation__c: '' })).weights).toEqual([1, 1, 1]);
  });

  it('reads back the result JSON the engine wrote', () => {
    const result = analyzeCampaignTest(startResult({ variants: ['A', 'B'], plan: { maxSampleSize: 1000 } }), [{ variant: 'A', trials: 10, conversions: 1 }, { variant: 'B', trials: 10, conversions: 2 }], new Date('2026-11-23T00:00:00Z'));
    expect(campaignTestFromRecord(testRecord({ Variants__c: 'A;B', Allocation__c: '', Result__c: JSON.stringify(result) })).result).toEqual(result);
  });

  it('names the field and the fix for bad records', () => {
    expect(() => campaignTestFromRecord(testRecord({ Variants__c: 'A' }))).toThrow(/Campaign_Test__c\(a0T1\)\.Variants__c.*two or more variant names/);
    expect(() => campaignTestFromRecord(testRecord({ Allocation__c: '50;50' }))).toThrow(/Allocation__c.*3 positive weights/);
    expect(() => campaignTestFromRecord(testRecord({ Seed__c: '' }))).toThrow(/Seed__c/);
    expect(() => campaignTestFromRecord(testRecord({ Result__c: '{oops' }))).toThrow(/Result__c.*do not edit it by hand/);
    expect(() => campaignTestFromRecord(testRecord({ Metric__c: 'Revenue' }))).toThrow(/Campaign_Test__c\(a0T1\)\.Metric__c/);
  });
});

describe('members, conversions and list leads from records', () => {
  const members = [
    { Id: '00v000000000001', CampaignId: '701A', LeadId: '00Q1', Variant__c: 'A' },
    { Id: '00v000000000002', CampaignId: '701A', LeadId: '00Q2', Variant__c: 'B' },
    { Id: '00v000000000003', CampaignId: '701A', LeadId: '00Q3', Variant__c: 'B' },
    { Id: '00v000000000004', CampaignId: '701A', LeadId: '00Q4', Variant__c: '' }
  ];
  const dispositions = [
    { Lead__c: '00Q1', Outcome__c: 'No Answer' },
    { Lead__c: '00Q2', Outcome__c: 'Not Interested' },
    { Lead__c: '00Q3', Outcome__c: 'Call Back Requested' },
    { Lead__c: '00Q3', Outcome__c: 'Meeting Booked' }
  ];

  it('counts trials and conversions per variant for each metric', () => {
    const t = { variants: ['A', 'B'] };
    expect(variantCounts({ ...t, metric: 'Contact' }, members, dispositions)).toEqual([{ variant: 'A', trials: 1, conversions: 0 }, { variant: 'B', trials: 2, conversions: 2 }]);
    expect(variantCounts({ ...t, metric: 'Meeting' }, members, dispositions).map((c) => c.conversions)).toEqual([0, 1]);
    expect(variantCounts({ ...t, metric: 'Won' }, members, dispositions, new Set(['00Q1'])).map((c) => c.conversions)).toEqual([1, 0]);
  });

  it('turns members into allocation input (existing variants kept)', () => {
    const ms = members.map((m) => memberFromRecord(m));
    expect(ms[3]).toEqual({ id: '00v000000000004', variant: null, stratum: null });
    expect(allocate(ms, { variants: ['A', 'B'], seed: 1 })).toHaveLength(4);
    expect(selectFields(campaignMemberRecordSchema, 'asl')).toEqual(['Id', 'CampaignId', 'LeadId', 'asl__Variant__c']);
  });

  it('builds list leads and ROI input; a converted lead counts as qualified', () => {
    const leads = [
      { Id: '00Q2', LeadSource: 'Web', List_Name__c: 'Expo', IsConverted: false, Inbound__c: false, DoNotCall: false, CreatedDate: '2026-11-01T00:00:00Z' },
      { Id: '00Q3', LeadSource: 'Web', List_Name__c: 'Expo', IsConverted: 'false', Inbound__c: 'false', DoNotCall: 'false', Bin__c: 'Working', CreatedDate: '2026-11-01T00:00:00Z' },
      { Id: '00Q5', LeadSource: 'Event', List_Name__c: '', IsConverted: true, Inbound__c: true, DoNotCall: false, CreatedDate: '2026-11-02T00:00:00Z' }
    ];
    expect(listLeads(leads, dispositions)).toEqual([
      { listName: 'Expo', contacted: true, qualified: false, badData: false },
      { listName: 'Expo', contacted: true, qualified: true, badData: false },
      { listName: null, contacted: false, qualified: true, badData: false }
    ]);
    // Salesforce sets Lead.ConvertedOpportunityId when it converts a lead (Object Reference,
    // Lead); a won deal no lead was converted into (006C, an upgrade) has no first touch.
    const converted = [...leads, { Id: '00Q7', LeadSource: 'Web', List_Name__c: '', IsConverted: true, ConvertedOpportunityId: '006A', Inbound__c: false, DoNotCall: false, CreatedDate: '2026-10-02T12:00:00.000+0000' }, { Id: '00Q8', LeadSource: 'Event', IsConverted: 'true', ConvertedOpportunityId: '006B', Inbound__c: false, DoNotCall: false, CreatedDate: '2026-10-01T00:00:00Z' }];
    const opportunities = [
      { Id: '006A', LeadSource: 'Web', IsWon: true, IsClosed: true, Amount: 1200, CloseDate: '2026-11-01' },
      { Id: '006B', LeadSource: 'Event', IsWon: 'false', IsClosed: 'true', Amount: '900', CloseDate: '2026-11-01' },
      { Id: '006C', LeadSource: 'Web', IsWon: true, IsClosed: true, Amount: 5000, CloseDate: '2026-11-01' }
    ];
    expect(leadWins(converted, opportunities)).toEqual([{ leadId: '00Q7', source: 'Web', amount: 1200, daysToWin: 29.5 }]);
    expect(roiInput(converted, dispositions, opportunities, { Web: 100 })).toEqual({
      leadSources: ['Web', 'Web', 'Event', 'Web', 'Event'],
      meetingSources: ['Web'],
      wins: [{ source: 'Web', amount: 1200, daysToWin: 29.5 }],
      costs: { Web: 100 }
    });
    const roi = roiBySource(roiInput(converted, dispositions, opportunities, { Web: 100 }), { rng: createRng(1), replicates: 200 });
    expect(roi.find((r) => r.source === 'Web')).toMatchObject({ leads: 3, wins: 1, revenue: 1200, medianDaysToWin: 29.5 });
    expect(roi.find((r) => r.source === 'Event')).toMatchObject({ wins: 0, revenue: 0, medianDaysToWin: null });
    // The Won metric of an A/B test counts a member whose lead's deal was won.
    const won = new Set(leadWins(converted, opportunities).map((w) => w.leadId));
    expect(variantCounts({ variants: ['A', 'B'], metric: 'Won' }, [{ Id: '00v1', CampaignId: '701', LeadId: '00Q7', Variant__c: 'A' }, { Id: '00v2', CampaignId: '701', LeadId: '00Q8', Variant__c: 'B' }], [], won)).toEqual([
      { variant: 'A', trials: 1, conversions: 1 },
      { variant: 'B', trials: 1, conversions: 0 }
    ]);
    expect(inboundLeadFromRecord(leads[2], '701A')).toMatchObject({ id: '00Q5', inbound: true, campaignId: '701A', isConverted: true });
  });
});
