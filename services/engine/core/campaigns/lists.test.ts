import { createRng } from '../random';
import { wilsonInterval } from '../stats';
import { listQuality, NO_LIST, type ListLead } from './lists';
import { routeCampaignLead } from './routing';
import { roiBySource } from './roi';

function makeList(name: string | null, n: number, contact: number, qualifiedOfContacted: number, seed: number): ListLead[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const contacted = rng.next() < contact;
    return { listName: name, contacted, qualified: contacted && rng.next() < qualifiedOfContacted, badData: !contacted && rng.next() < 0.2 };
  });
}

describe('lead-list quality', () => {
  const leads = [...makeList('Expo 2026', 800, 0.4, 0.25, 1), ...makeList('DataCo Q3', 800, 0.2, 0.25, 2), ...makeList('Webinar', 800, 0.4, 0.25, 3), ...makeList(null, 30, 0.3, 0.2, 4)];
  const report = listQuality(leads, { rng: createRng(7) });

  it('gives counts and Wilson intervals per list', () => {
    const expo = report.lists.find((l) => l.listName === 'Expo 2026');
    const own = leads.filter((l) => l.listName === 'Expo 2026');
    const reached = own.filter((l) => l.contacted).length;
    expect(expo?.leads).toBe(800);
    expect(expo?.contact).toEqual({ count: reached, rate: reached / 800, ...wilsonInterval(reached, 800) });
    expect(report.lists.map((l) => l.listName)).toContain(NO_LIST);
  });

  it('finds that the lists differ in contact rate, and which one is lower', () => {
    expect(report.contactDiffers.pValue).toBeLessThan(0.001);
    expect(report.lists.find((l) => l.listName === 'DataCo Q3')?.contactVsRest.direction).toBe('lower');
    expect(report.lists.find((l) => l.listName === 'Expo 2026')?.contactVsRest.direction).not.toBe('lower');
  });

  it('does not call lists different when they are drawn alike', () => {
    const alike = [...makeList('L1', 600, 0.3, 0.2, 11), ...makeList('L2', 600, 0.3, 0.2, 12), ...makeList('L3', 600, 0.3, 0.2, 13)];
    const r = listQuality(alike, { rng: createRng(1) });
    expect(r.lists.every((l) => l.contactVsRest.direction === 'same')).toBe(true);
    expect(r.contactDiffers.pValue).toBeGreaterThan(0.01);
  });

  it('uses a Monte Carlo p-value when lists are small', () => {
    const small = [...makeList('tiny-a', 8, 0.5, 0.5, 1), ...makeList('tiny-b', 6, 0.2, 0.5, 2)];
    expect(listQuality(small, { rng: createRng(3) }).contactDiffers.method).toBe('monte-carlo');
  });
});

describe('ROI by lead source', () => {
  const input = {
    leadSources: [...Array<string>(1000).fill('Web'), ...Array<string>(500).fill('Event'), ...Array<null>(20).fill(null)],
    meetingSources: [...Array<string>(120).fill('Web'), ...Array<string>(40).fill('Event')],
    wins: [...Array.from({ length: 30 }, (_, i) => ({ source: 'Web', amount: 10000 + i * 100 })), { source: 'Event', amount: 50000 }],
    costs: { Web: 60000, Event: 80000, Partner: 5000 }
  };
  const rows = roiBySource(input, { rng: createRng(2), replicates: 1000 });
  const web = rows.find((r) => r.source === 'Web');

  it('counts the funnel per source and computes ROI = (revenue - cost) / cost', () => {
    const revenue = Array.from({ length: 30 }, (_, i) => 10000 + i * 100).reduce((a, b) => a + b, 0);
    expect(web).toMatchObject({ leads: 1000, meetings: 120, wins: 30, revenue, cost: 60000, costPerLead: 60, costPerWin: 2000 });
    expect(web?.roi).toBeCloseTo((revenue - 60000) / 60000, 12);
    expect(web?.winRate.rate).toBeCloseTo(0.03, 12);
  });

  it('gives a bootstrap interval around the ROI, wider for the source with one win', () => {
    expect(web?.roiLow).toBeLessThan(web?.roi ?? 0);
    expect(web?.roiHigh).toBeGreaterThan(web?.roi ?? 0);
    const event = rows.find((r) => r.source === 'Event');
    const width = (r: typeof web) => (r?.roiHigh ?? 0) - (r?.roiLow ?? 0);
    expect(width(event) / Math.abs(event?.roi ?? 1)).toBeGreaterThan(width(web) / Math.abs(web?.roi ?? 1));
  });

  it('says why ROI is missing: no cost given, or no leads', () => {
    expect(rows.find((r) => r.source === '(no source)')).toMatchObject({ leads: 20, roi: null, note: 'no cost given: ROI not computed' });
    expect(rows.find((r) => r.source === 'Partner')).toMatchObject({ leads: 0, roi: -1 });
    expect(() => roiBySource({ ...input, costs: { Web: -1 } }, { rng: createRng(1) })).toThrow(/costs\.Web/);
  });
});

describe('routing a campaign lead in real time', () => {
  const config = { inboundStationKey: 'SDR_INBOUND', outboundStationKey: 'SDR_CALL', speedToLeadMinutes: 5, hotCampaignIds: ['701HOT'] };
  const now = new Date('2026-11-23T15:00:30Z');
  const lead: { id: string; inbound: boolean; campaignId: string | null; arrivedAt: string } = { id: '00Q1', inbound: true, campaignId: '701A', arrivedAt: '2026-11-23T15:00:00Z' };

  it('sends an inbound campaign response to the inbound station first, due within the speed-to-lead target', () => {
    expect(routeCampaignLead(lead, config, now)).toEqual({
      action: 'queue',
      leadId: '00Q1',
      stationKey: 'SDR_INBOUND',
      priority: 1,
      purpose: 'First Touch',
      dueAt: '2026-11-23T15:05:00.000Z',
      reason: 'inbound response to campaign 701A: call within 5 min'
    });
  });

  it('orders inbound ahead of list members; a hot campaign moves its list up but never above a response', () => {
    const p = (l: Partial<typeof lead> & { inbound: boolean; campaignId: string | null }) => {
      const d = routeCampaignLead({ ...lead, ...l }, config, now);
      return d.action === 'queue' ? d.priority : null;
    };
    expect([p({ inbound: true, campaignId: '701A' }), p({ inbound: true, campaignId: null }), p({ inbound: false, campaignId: '701HOT' }), p({ inbound: false, campaignId: '701A' }), p({ inbound: false, campaignId: null })]).toEqual([1, 2, 2, 3, 4]);
  });

  it('does not queue avoided, converted or do-not-call leads, and says why', () => {
    expect(routeCampaignLead({ ...lead, bin: 'Avoid - Current Client' }, config, now)).toEqual({ action: 'skip', leadId: '00Q1', reason: 'in bin Avoid - Current Client: never re-enters a queue' });
    expect(routeCampaignLead({ ...lead, isConverted: true }, config, now)).toMatchObject({ action: 'skip', reason: 'already converted' });
    expect(routeCampaignLead({ ...lead, doNotCall: true }, config, now)).toMatchObject({ action: 'skip', reason: 'Do Not Call is set' });
  });
});
