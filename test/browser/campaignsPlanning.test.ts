/**
 * The Campaigns and Planning consoles in Chromium against a local org (issue 8), driven the
 * way a marketer and RevOps use them, with the engine answering through the org as it does in
 * production: the console writes Scope__c and Run_Now__c on an Engine_Job__c, the engine's job
 * scheduler (services/engine, run here in the test process) picks the request up, writes the
 * result to the run's Job_Run__c.Result__c and signals JOB_RUN; the console shows it.
 *
 * Stories:
 * - a marketer opens Campaigns and reads each A/B test's conversion per variant and verdict,
 *   lead-list quality and ROI by lead source; the counts on screen are worked out here again
 *   from the org's CampaignMember, Disposition__c, Lead and Opportunity records;
 * - the marketer changes the spend per source and recomputes; the ROI table shows the new spend;
 * - RevOps opens Planning, enters a bookings target and period, computes, and reads leads per day
 *   and heads per role: the figures equal the plan the engine stored, and today's heads equal
 *   the org's active reps.
 */
import type { Connection } from 'jsforce';
import type { Page } from 'playwright-core';
import { localOrgConfig } from '../../services/engine/cli/orgOption';
import {
  allocateCampaign,
  campaignResults,
  campaignsFeature
} from '../../services/engine/features/campaigns';
import { planningFeature } from '../../services/engine/features/planning';
import { JobScheduler } from '../../services/engine/jobs/scheduler';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { orgJobStore } from '../../services/engine/org/jobStore';
import { servePreview, type RunningPreview } from '../../preview/server';
import { chromiumStatus, launchChromium, type Browser } from './support/chromium';
import { queryAll, startDemoOrg, type DemoOrg } from './support/demoOrg';
import { openConsole, texts, type ConsolePage } from './support/pages';

const status = chromiumStatus();
if ('fail' in status) throw new Error(status.fail);
const describeInBrowser = status.run ? describe : describe.skip;

const ADMIN = 'admin@asl.local';
const SHOWN_WITHIN = { timeout: 20_000 };

/** The consoles' own formats (aslUtils formatPercent, formatMoney, formatNumber). */
const pct = (share: number): string => `${(Math.round(share * 1000) / 10).toFixed(1)}%`;
const money = (amount: number): string =>
  new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    maximumFractionDigits: 0
  }).format(amount);
const oneDecimal = (value: number): string => String(Math.round(value * 10) / 10);

interface StoredPlan {
  computedAt: string;
  target: { targetBookings: number; periodDays: number; periodStart: string };
  plan: {
    leadsPerDay: number;
    firstLeadDate: string | null;
    meetingsPerWeek: number;
    roles: Array<{
      role: string;
      heads: number;
      currentHeads: number;
      annualCost: number;
      payrollDeltaAnnual: number;
    }>;
    inbound: { hours: unknown[] } | null;
  };
}

describeInBrowser('the Campaigns and Planning consoles in Chromium against the local org', () => {
  let demo: DemoOrg;
  let admin: Connection;
  let engine: OrgClient;
  let preview: RunningPreview;
  let browser: Browser;
  let testId: string;
  let campaignId: string;
  let reportsJobId: string;
  let planJobId: string;
  const open: ConsolePage[] = [];

  /** What the running engine does every 30 seconds: read the jobs and start those asked for. */
  async function engineSync(): Promise<void> {
    const handlers = { ...campaignsFeature().jobs?.(engine), ...planningFeature().jobs?.(engine) };
    const scheduler = new JobScheduler({ store: orgJobStore(engine), handlers });
    await scheduler.sync();
    await scheduler.stop();
  }

  beforeAll(async () => {
    demo = await startDemoOrg({ leads: 1500, seed: 'browser-campaigns' });
    admin = await demo.login(ADMIN);
    engine = await connectOrg(localOrgConfig(demo.url, {}));
    const [draft] = await queryAll<{ Id: string; Campaign__c: string }>(
      admin,
      "SELECT Id, Campaign__c FROM Campaign_Test__c WHERE Status__c = 'Draft' LIMIT 1"
    );
    testId = String(draft?.Id);
    campaignId = String(draft?.Campaign__c);
    // Marketing started the test; the Campaign Results job has looked at it twice.
    await allocateCampaign(engine, testId);
    await campaignResults(engine, testId, new Date(Date.now() - 2 * 86_400_000));
    await campaignResults(engine, testId, new Date(Date.now() - 86_400_000));
    // The floor seeds the two jobs the consoles ask for work through; RevOps set their scopes.
    const seeded = (await admin.query(
      "SELECT Id, Type__c FROM Engine_Job__c WHERE Type__c IN ('Campaign Reports', 'Capacity Plan')"
    )) as unknown as { records: Array<{ Id: string; Type__c: string }> };
    expect(seeded.records.map((job) => job.Type__c).sort()).toEqual([
      'Campaign Reports',
      'Capacity Plan'
    ]);
    reportsJobId = String(seeded.records.find((job) => job.Type__c === 'Campaign Reports')?.Id);
    planJobId = String(seeded.records.find((job) => job.Type__c === 'Capacity Plan')?.Id);
    await admin.sobject('Engine_Job__c').update([
      {
        Id: reportsJobId,
        Enabled__c: false,
        Run_Now__c: true,
        Scope__c: JSON.stringify({ costs: { Web: 12_000 }, seed: 'browser' })
      },
      {
        Id: planJobId,
        Enabled__c: false,
        Run_Now__c: false,
        Scope__c: JSON.stringify({
          targetBookings: 600_000,
          periodDays: 90,
          periodStart: '2027-01-01',
          closer: { annualCost: 140_000 },
          sdr: { annualCost: 65_000 }
        })
      }
    ]);
    await engineSync();
    preview = await servePreview({
      orgUrl: demo.url,
      port: 0,
      users: {
        marketer: demo.summary.logins.marketing,
        revops: demo.summary.logins.revops,
        manager: demo.summary.logins.manager
      }
    });
    browser = await launchChromium();
  }, 600_000);

  afterEach(async () => {
    const pages = open.splice(0);
    const problems = pages.flatMap((item) => item.problems);
    await Promise.all(pages.map((item) => item.close()));
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await preview?.close();
    await demo?.close();
  });

  async function consolePage(path: string): Promise<ConsolePage> {
    const item = await openConsole(browser.context, `${preview.url}${path}`);
    open.push(item);
    return item;
  }

  async function expectNoErrorBanner(page: Page): Promise<void> {
    expect(await texts(page, '[role="alert"]')).toEqual([]);
  }

  async function userName(username: string): Promise<string> {
    const [user] = await queryAll<{ Name: string }>(
      admin,
      `SELECT Name FROM User WHERE Username = '${username}'`
    );
    return String(user?.Name);
  }

  async function cells(
    page: Page,
    rowSelector: string,
    ids: readonly string[]
  ): Promise<Array<Record<string, string>>> {
    const out = [];
    for (const row of await page.locator(rowSelector).all()) {
      const entry: Record<string, string> = {};
      for (const id of ids) entry[id] = (await row.locator(`[data-id="${id}"]`).innerText()).trim();
      out.push(entry);
    }
    return out;
  }

  describe('Campaigns (marketer)', () => {
    it('shows conversion per variant, lead-list quality and ROI by source as the org holds them', async () => {
      const { page, screenshot } = await consolePage('/preview/campaigns');
      await page.locator('[data-id="test-row"]').first().waitFor(SHOWN_WITHIN);
      await expect(page.locator('[data-id="preview-user-name"]').innerText()).resolves.toBe(
        await userName(demo.summary.logins.marketing)
      );
      await page.locator(`button[data-test-id="${testId}"]`).click();
      await page
        .locator('c-campaign-test-result [data-id="variant-row"]')
        .first()
        .waitFor(SHOWN_WITHIN);
      await page
        .locator('c-campaign-list-quality [data-id="list-row"]')
        .first()
        .waitFor(SHOWN_WITHIN);
      await expectNoErrorBanner(page);
      await screenshot('campaigns');

      // Per variant, worked out from the org: members whose lead has a disposition (worked),
      // and of those the ones with a Meeting Booked (the test's metric).
      const members = await queryAll<{ LeadId: string; Variant__c: string }>(
        admin,
        `SELECT LeadId, Variant__c FROM CampaignMember WHERE CampaignId = '${campaignId}'`
      );
      const dispositions = await queryAll<{ Lead__c: string; Outcome__c: string }>(
        admin,
        'SELECT Lead__c, Outcome__c FROM Disposition__c WHERE Lead__c != null'
      );
      const worked = new Set(dispositions.map((d) => d.Lead__c));
      const booked = new Set(
        dispositions.filter((d) => d.Outcome__c === 'Meeting Booked').map((d) => d.Lead__c)
      );
      const expected = ['A', 'B'].map((variant) => {
        const trials = members.filter((m) => m.Variant__c === variant && worked.has(m.LeadId));
        const conversions = trials.filter((m) => booked.has(m.LeadId)).length;
        return {
          trials: String(trials.length),
          conversions: String(conversions),
          rate: pct(trials.length ? conversions / trials.length : 0)
        };
      });
      expect(
        await cells(page, 'c-campaign-test-result [data-id="variant-row"]', [
          'trials',
          'conversions',
          'rate'
        ])
      ).toEqual(expected);
      const [test] = await queryAll<{ Status__c: string }>(
        admin,
        `SELECT Status__c FROM Campaign_Test__c WHERE Id = '${testId}'`
      );
      const verdict = (
        await page.locator('c-campaign-test-result [data-id="verdict"]').innerText()
      ).trim();
      // The verdict opens with the status the engine wrote (Running: / Decided: / Stopped ...).
      expect(verdict.startsWith(String(test?.Status__c))).toBe(true);
      await expect(
        page.locator('c-campaign-test-result [data-id="rule"]').innerText()
      ).resolves.toContain("O'Brien-Fleming alpha spending");

      // Leads per list and per source, from the org.
      const byList = await admin.query<{ List_Name__c: string | null; expr0: number }>(
        'SELECT List_Name__c, COUNT(Id) FROM Lead GROUP BY List_Name__c'
      );
      const listShown = await cells(page, 'c-campaign-list-quality [data-id="list-row"]', [
        'list-name',
        'leads'
      ]);
      expect(listShown.length).toBe(byList.records.length);
      for (const row of byList.records) {
        expect(listShown).toContainEqual({
          'list-name': row.List_Name__c ?? '(no list)',
          leads: String(row.expr0)
        });
      }
      const bySource = await admin.query<{ LeadSource: string | null; expr0: number }>(
        'SELECT LeadSource, COUNT(Id) FROM Lead GROUP BY LeadSource'
      );
      // Revenue is credited to the source of the lead each won deal was converted from.
      const converted = await queryAll<{
        LeadSource: string | null;
        ConvertedOpportunityId: string;
      }>(
        admin,
        'SELECT LeadSource, ConvertedOpportunityId FROM Lead WHERE ConvertedOpportunityId != null'
      );
      const wonAmounts = new Map(
        (
          await queryAll<{ Id: string; Amount: number | null }>(
            admin,
            'SELECT Id, Amount FROM Opportunity WHERE IsWon = true'
          )
        ).map((o) => [o.Id, o.Amount ?? 0])
      );
      const revenueOf = (source: string | null): number =>
        converted
          .filter((l) => l.LeadSource === source && wonAmounts.has(l.ConvertedOpportunityId))
          .reduce((sum, l) => sum + (wonAmounts.get(l.ConvertedOpportunityId) ?? 0), 0);
      const roiShown = await cells(page, 'c-campaign-roi [data-id="roi-row"]', [
        'source',
        'leads',
        'revenue',
        'cost'
      ]);
      for (const row of bySource.records) {
        const shown = roiShown.find((r) => r.source === (row.LeadSource ?? '(no source)'));
        expect(shown?.leads).toBe(String(row.expr0));
        expect(shown?.revenue).toBe(money(revenueOf(row.LeadSource)));
      }
      expect(roiShown.find((r) => r.source === 'Web')?.cost).toBe(money(12_000));
    });

    it('recomputes with new spend through the Campaign Reports job and shows it without a reload', async () => {
      const { page, screenshot } = await consolePage('/preview/campaigns');
      await page.locator('c-campaign-roi [data-id="roi-row"]').first().waitFor(SHOWN_WITHIN);
      await page.locator('[data-id="costs"] input').fill('Web=15000, Trade Show=4000');
      await page.locator('[data-id="run"]').click();
      await page
        .locator('[data-id="run"]', { hasText: 'Recompute requested' })
        .waitFor(SHOWN_WITHIN);
      const [job] = await queryAll<{ Scope__c: string; Run_Now__c: boolean }>(
        admin,
        `SELECT Scope__c, Run_Now__c FROM Engine_Job__c WHERE Id = '${reportsJobId}'`
      );
      expect(job?.Run_Now__c).toBe(true);
      expect(JSON.parse(String(job?.Scope__c))).toEqual({
        costs: { Web: 15_000, 'Trade Show': 4_000 },
        seed: 'browser'
      });

      await engineSync();
      const web = page.locator('c-campaign-roi [data-id="roi-row"]', {
        has: page.locator('[data-id="source"]', { hasText: /^Web$/ })
      });
      await web.locator('[data-id="cost"]', { hasText: money(15_000) }).waitFor(SHOWN_WITHIN);
      const tradeShow = page.locator('c-campaign-roi [data-id="roi-row"]', {
        has: page.locator('[data-id="source"]', { hasText: 'Trade Show' })
      });
      await expect(tradeShow.locator('[data-id="cost"]').innerText()).resolves.toBe(money(4_000));
      await page.locator('[data-id="run"]', { hasText: /^\s*Recompute\s*$/ }).waitFor(SHOWN_WITHIN);
      await expectNoErrorBanner(page);
      await screenshot('campaigns-recomputed');
    });
  });

  describe('Planning (RevOps)', () => {
    it('asks the engine for a plan for a target and period, and shows the plan it stored', async () => {
      const { page, screenshot } = await consolePage('/preview/planning');
      await page.locator('[data-id="plan-form"]').waitFor(SHOWN_WITHIN);
      await expect(page.locator('[data-id="preview-user-name"]').innerText()).resolves.toBe(
        await userName(demo.summary.logins.revops)
      );
      await page.locator('c-load-status [data-id="empty"]').waitFor(SHOWN_WITHIN);

      // The currency field shows $600,000 until it has the focus, then the plain number.
      const target = page.locator('[data-field="target"] input');
      await target.click();
      await target.press('Control+A');
      await target.fill('900000');
      await page.locator('[data-field="end"] input').fill('Jun 30, 2027');
      await page.locator('[data-field="end"] input').press('Tab');
      await page.locator('[data-id="compute"]').click();
      await page.locator('[data-id="compute"]', { hasText: 'Computing' }).waitFor(SHOWN_WITHIN);
      const [job] = await queryAll<{ Scope__c: string; Run_Now__c: boolean }>(
        admin,
        `SELECT Scope__c, Run_Now__c FROM Engine_Job__c WHERE Id = '${planJobId}'`
      );
      expect(job?.Run_Now__c).toBe(true);
      // The target and period typed, and RevOps' costs kept.
      expect(JSON.parse(String(job?.Scope__c))).toEqual({
        targetBookings: 900_000,
        periodDays: 181,
        periodStart: '2027-01-01',
        closer: { annualCost: 140_000 },
        sdr: { annualCost: 65_000 }
      });

      await engineSync();
      await page.locator('[data-id="leads-per-day"]').waitFor(SHOWN_WITHIN);
      await expectNoErrorBanner(page);
      await screenshot('planning');

      const [run] = await queryAll<{ Result__c: string; Outcome__c: string }>(
        admin,
        `SELECT Result__c, Outcome__c FROM Job_Run__c WHERE Engine_Job__c = '${planJobId}' ORDER BY Started_At__c DESC LIMIT 1`
      );
      expect(run?.Outcome__c).toBe('Succeeded');
      const stored = JSON.parse(String(run?.Result__c)) as StoredPlan;
      expect(stored.target).toEqual({
        targetBookings: 900_000,
        periodDays: 181,
        periodStart: '2027-01-01',
        measureDays: 180
      });
      await expect(page.locator('[data-id="leads-per-day"]').innerText()).resolves.toBe(
        oneDecimal(stored.plan.leadsPerDay)
      );
      await expect(page.locator('[data-id="first-lead"]').innerText()).resolves.toBe(
        String(stored.plan.firstLeadDate)
      );
      await expect(page.locator('[data-id="meetings-week"]').innerText()).resolves.toBe(
        oneDecimal(stored.plan.meetingsPerWeek)
      );
      await expect(page.locator('[data-id="asked"]').innerText()).resolves.toContain(
        money(900_000)
      );
      const roles = await cells(page, '[data-id="role-row"]', ['heads', 'today', 'payroll']);
      expect(roles).toEqual(
        stored.plan.roles.map((r) => ({
          heads: String(r.heads),
          today: String(r.currentHeads),
          payroll: money(r.payrollDeltaAnnual)
        }))
      );

      // Today's heads are the org's active reps by the role of their station.
      const sdrs = await admin.query(
        "SELECT COUNT() FROM Rep_Capacity__c WHERE Active__c = true AND Station_Keys__c = 'SDR_CALL'"
      );
      const sdrRow = page.locator('[data-id="role-row"][data-role="sdr"]');
      await expect(sdrRow.locator('[data-id="today"]').innerText()).resolves.toBe(
        String(sdrs.totalSize)
      );
      // The closers' payroll change is (recommended - today) x the annual cost RevOps set.
      const closer = stored.plan.roles.find((r) => r.role === 'closer');
      expect(closer?.payrollDeltaAnnual).toBe(
        ((closer?.heads ?? 0) - (closer?.currentHeads ?? 0)) * 140_000
      );
      if (stored.plan.inbound) {
        await expect(page.locator('[data-id="inbound-row"]').count()).resolves.toBe(
          stored.plan.inbound.hours.length
        );
      }
      await page.locator('[data-id="compute"]', { hasText: 'Compute plan' }).waitFor(SHOWN_WITHIN);
    });
  });
});
