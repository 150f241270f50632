/**
 * The role consoles in a real browser (issue 7, items 3 and 4): the package's LWC source,
 * compiled by preview/ with the LWC open source compiler and lightning-base-components,
 * rendered in Debian's Chromium against a local org holding a small seeded demo floor.
 *
 * Stories:
 * - an SDR works ten entries through the Work Queue, with clicks, keyboard shortcuts, a reason
 *   code and next action dates; the org then holds one Disposition__c per call (outcome, rep,
 *   queue entry, lead, reason, next action) and the entries are Done and not shown again;
 * - the manager opens Line Monitor and Forecast and sees the numbers the org's records give,
 *   worked out here independently through the REST API;
 * - the Bin Board and the Stage Timer show the org's records;
 * - every console is screenshotted into artifacts/screenshots/.
 *
 * Queue entries, stage events, ledger rows and forecasts are written through the org's REST API
 * first (see support/seed.ts): the engine and the flows that write them on a real line are not
 * part of this test.
 */
import type { Connection } from 'jsforce';
import type { Page } from 'playwright-core';
import { servePreview, type RunningPreview } from '../../preview/server';
import { chromiumStatus, launchChromium, type Browser } from './support/chromium';
import { queryAll, startDemoOrg, type DemoOrg } from './support/demoOrg';
import { openConsole, texts, type ConsolePage } from './support/pages';
import {
  seedAssignments,
  seedForecasts,
  seedQueueEntries,
  seedStageEvents,
  type SeededQueue
} from './support/seed';

const status = chromiumStatus();
if ('fail' in status) throw new Error(status.fail);
const describeInBrowser = status.run ? describe : describe.skip;

const ADMIN = 'admin@asl.local';
const WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;
/** What an assertion may wait for a console to show (reads go through GraphQL to the org). */
const SHOWN_WITHIN = { timeout: 20_000 };

/** The console's own number formats (docs/consoles.md; aslUtils formatDuration/formatMoney). */
const money = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0
});
function duration(ms: number): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const days = Math.floor(ms / DAY_MS);
  const hours = Math.floor((ms % DAY_MS) / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad(seconds)}s`;
  return `${seconds}s`;
}
const oneDecimal = (value: number): string => String(Math.round(value * 10) / 10);

describeInBrowser('the consoles in Chromium against the local org', () => {
  let demo: DemoOrg;
  let admin: Connection;
  let preview: RunningPreview;
  let browser: Browser;
  let sdrId: string;
  let queue: SeededQueue;
  let timelineLeadId: string;
  const open: ConsolePage[] = [];

  beforeAll(async () => {
    demo = await startDemoOrg({ leads: 1500, seed: 'browser-tests' });
    admin = await demo.login(ADMIN);
    const [sdr] = await queryAll<{ Id: string }>(
      admin,
      `SELECT Id FROM User WHERE Username = '${demo.summary.logins.sdr}'`
    );
    sdrId = (sdr as { Id: string }).Id;
    queue = await seedQueueEntries(admin, sdrId, 12);
    ({ timelineLeadId } = await seedStageEvents(admin, WINDOW_DAYS));
    const sdrs = await queryAll<{ User__c: string }>(
      admin,
      "SELECT User__c FROM Rep_Capacity__c WHERE Station_Keys__c = 'SDR_CALL' ORDER BY User__c"
    );
    const [sdrStation] = await queryAll<{ Id: string }>(
      admin,
      "SELECT Id FROM Station__c WHERE Key__c = 'SDR_CALL'"
    );
    await seedAssignments(
      admin,
      sdrs.map((row) => row.User__c),
      (sdrStation as { Id: string }).Id
    );
    await seedForecasts(admin);
    preview = await servePreview({
      orgUrl: demo.url,
      port: 0,
      users: { sdr: demo.summary.logins.sdr, manager: demo.summary.logins.manager }
    });
    browser = await launchChromium();
  }, 600_000);

  afterEach(async () => {
    // Every console must render without errors; a problem fails the story that met it.
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

  describe('Work Queue (SDR)', () => {
    /** The ten calls: how the SDR records each one, and what the org must then hold. */
    const calls: Array<{
      outcome: string;
      how: 'click' | 'key';
      key?: string;
      reason?: string;
      nextAction?: boolean;
    }> = [
      { outcome: 'No Answer', how: 'click' },
      { outcome: 'Left Voicemail', how: 'key', key: 'v' },
      { outcome: 'Not Interested', how: 'click', reason: 'Price' },
      { outcome: 'Call Back Requested', how: 'click', nextAction: true },
      { outcome: 'Bad Number', how: 'key', key: 'b' },
      { outcome: 'Wrong Person', how: 'click' },
      { outcome: 'Nurture', how: 'key', key: 'u' },
      { outcome: 'Meeting Booked', how: 'click', nextAction: true },
      { outcome: 'No Answer', how: 'key', key: 'n' },
      { outcome: 'Do Not Call', how: 'click' }
    ];

    async function currentEntryId(page: Page): Promise<string> {
      return String(
        await page.locator('[data-id="entry"]').getAttribute('data-entry-id', SHOWN_WITHIN)
      );
    }

    /**
     * Fills lightning-input type=datetime as the SDR types it: date and time in the SDR's own
     * time zone (User.TimeZoneSidKey, which the input uses on Salesforce and in the preview).
     */
    async function fillNextAction(page: Page, at: Date, timeZone: string): Promise<void> {
      const date = at.toLocaleDateString('en-US', {
        month: 'short',
        day: 'numeric',
        year: 'numeric',
        timeZone
      });
      const time = at.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit', timeZone });
      await page.locator('[data-field="nextActionAt"] lightning-datepicker input').fill(date);
      // Entering the time field commits the date (the picker proposes the current time);
      // the typed time is committed when the field is left.
      const timeInput = page.locator('[data-field="nextActionAt"] lightning-timepicker input');
      await timeInput.click();
      await timeInput.fill(time);
      await timeInput.press('Tab');
    }

    it('records ten calls as dispositions in the org and never shows a worked entry again', async () => {
      const { page, screenshot } = await consolePage(
        `/preview/work-queue?user=${encodeURIComponent(demo.summary.logins.sdr)}`
      );
      await page.locator('[data-id="entry"]').waitFor(SHOWN_WITHIN);
      await expectNoErrorBanner(page);
      await expect(page.locator('[data-id="count"]').innerText()).resolves.toBe('12 in queue');
      await screenshot('work-queue');

      const [sdrUser] = await queryAll<{ TimeZoneSidKey: string }>(
        admin,
        `SELECT TimeZoneSidKey FROM User WHERE Id = '${sdrId}'`
      );
      const worked: Array<{
        entryId: string;
        outcome: string;
        reason?: string;
        nextActionAt?: string;
      }> = [];
      for (const [index, call] of calls.entries()) {
        const entryId = await currentEntryId(page);
        // The engine's ranking is respected: the entry on top is the next ranked one.
        expect(entryId).toBe(queue.entryIds[index]);
        const name = (await page.locator('[data-id="entry-name"]').innerText()).trim();
        if (call.how === 'key') {
          // Shortcuts act while the focus is inside the Work Queue (on the entry heading).
          await page.locator('[data-id="entry-heading"]').focus();
          await page.keyboard.press(call.key as string);
        } else {
          await page.locator(`button[data-outcome="${call.outcome}"]`).click();
        }
        const record: (typeof worked)[number] = { entryId, outcome: call.outcome };
        if (call.reason !== undefined) {
          await page.locator(`[data-field="reasonCode"] label:has-text("${call.reason}")`).click();
          record.reason = call.reason;
        }
        if (call.nextAction === true) {
          const at = new Date(
            Math.floor((Date.now() + (index + 2) * DAY_MS) / 3_600_000) * 3_600_000
          );
          await fillNextAction(page, at, String(sdrUser?.TimeZoneSidKey));
          record.nextActionAt = at.toISOString();
        }
        if (call.reason !== undefined || call.nextAction === true) {
          await page.locator('[data-id="save"] button').click();
        }
        worked.push(record);
        // The next entry appears without a reload, and the live region says the call was
        // saved and its entry closed (ASL_WQ_Saved; ASL_WQ_Close_Pending if the close failed).
        await page
          .locator(`[data-id="entry"][data-entry-id="${queue.entryIds[index + 1]}"]`)
          .waitFor(SHOWN_WITHIN);
        await page
          .locator('[data-id="status"]', {
            hasText: `Saved ${call.outcome} for ${name}. Next call shown.`
          })
          .waitFor({ state: 'attached', ...SHOWN_WITHIN });
      }
      await expectNoErrorBanner(page);
      await expect(page.locator('[data-id="count"]').innerText()).resolves.toBe('2 in queue');
      await screenshot('work-queue-after-ten-calls');

      // The org holds one disposition per call, by this SDR, on the entry's lead.
      const dispositions = await queryAll<{
        Queue_Entry__c: string;
        Outcome__c: string;
        Rep__c: string;
        Lead__c: string;
        Asset_Id__c: string;
        Purpose__c: string;
        Reason_Code__c: string | null;
        Next_Action_At__c: string | null;
      }>(
        admin,
        `SELECT Queue_Entry__c, Outcome__c, Rep__c, Lead__c, Asset_Id__c, Purpose__c, Reason_Code__c, Next_Action_At__c FROM Disposition__c WHERE Queue_Entry__c IN ('${queue.entryIds.join("','")}')`
      );
      expect(dispositions).toHaveLength(10);
      const entries = await queryAll<{
        Id: string;
        Status__c: string;
        Lead__c: string;
        Purpose__c: string;
      }>(
        admin,
        `SELECT Id, Status__c, Lead__c, Purpose__c FROM Queue_Entry__c WHERE Id IN ('${queue.entryIds.join("','")}') ORDER BY Rank__c`
      );
      for (const call of worked) {
        const entry = entries.find((candidate) => candidate.Id === call.entryId);
        const disposition = dispositions.find(
          (candidate) => candidate.Queue_Entry__c === call.entryId
        );
        expect({
          entry: call.entryId,
          outcome: disposition?.Outcome__c,
          rep: disposition?.Rep__c,
          lead: disposition?.Lead__c,
          asset: disposition?.Asset_Id__c,
          purpose: disposition?.Purpose__c,
          reason: disposition?.Reason_Code__c ?? undefined
        }).toEqual({
          entry: call.entryId,
          outcome: call.outcome,
          rep: sdrId,
          lead: entry?.Lead__c,
          asset: entry?.Lead__c,
          purpose: entry?.Purpose__c,
          reason: call.reason
        });
        const nextAction = disposition?.Next_Action_At__c;
        expect(
          nextAction === null || nextAction === undefined
            ? null
            : new Date(nextAction).toISOString()
        ).toBe(call.nextActionAt ?? null);
      }
      expect(entries.map((entry) => entry.Status__c)).toEqual([
        ...Array(10).fill('Done'),
        'Open',
        'Open'
      ]);

      // A fresh page (as after a reload) starts at the first entry not worked yet.
      const again = await consolePage(
        `/preview/work-queue?user=${encodeURIComponent(demo.summary.logins.sdr)}`
      );
      await expect(currentEntryId(again.page)).resolves.toBe(queue.entryIds[10]);
      await expect(again.page.locator('[data-id="count"]').innerText()).resolves.toBe('2 in queue');
    });
    it("reads the queue again when the engine signals RERANKED for the SDR (empApi over the org's CometD)", async () => {
      const { page } = await consolePage(
        `/preview/work-queue?user=${encodeURIComponent(demo.summary.logins.sdr)}`
      );
      const before = String(
        await page.locator('[data-id="entry"]').getAttribute('data-entry-id', SHOWN_WITHIN)
      );
      // The engine re-ranks: a new entry goes on top, then it announces it on Engine_Signal__e.
      const [lead] = await queryAll<{ Id: string }>(
        admin,
        `SELECT Id FROM Lead WHERE OwnerId = '${sdrId}' AND Id NOT IN ('${queue.leadIds.join("','")}') AND Bin__c = 'Nurture - Check Back Quarterly' LIMIT 1`
      );
      const created = await admin.sobject('Queue_Entry__c').create({
        Entry_Key__c: `browser-test:reranked:${String(lead?.Id)}`,
        SDR__c: sdrId,
        Lead__c: lead?.Id,
        Asset_Id__c: lead?.Id,
        Rank__c: 0,
        Purpose__c: 'Nurture Check Back',
        Status__c: 'Open'
      });
      const entryId = String((created as { id: string }).id);
      // The page has not been told yet: it still shows what it read.
      await expect(page.locator('[data-id="entry"]').getAttribute('data-entry-id')).resolves.toBe(
        before
      );
      await admin.sobject('Engine_Signal__e').create({ Kind__c: 'RERANKED', Record_Id__c: sdrId });
      await page.locator(`[data-id="entry"][data-entry-id="${entryId}"]`).waitFor(SHOWN_WITHIN);
      await expectNoErrorBanner(page);
    });
  });

  describe('Line Monitor (manager)', () => {
    it('shows per station WIP, throughput, cycle time and SLA breaches, and the equality report, as the org holds them', async () => {
      const { page, screenshot } = await consolePage('/preview/line-monitor');
      await page
        .locator('c-station-flow-table [data-id="station-row"]')
        .first()
        .waitFor(SHOWN_WITHIN);
      await page.locator('c-equality-report [data-id="stratum-row"]').first().waitFor(SHOWN_WITHIN);
      await expect(page.locator('[data-id="preview-user-name"]').innerText()).resolves.toBe(
        'Morgan Avery'
      );
      await expectNoErrorBanner(page);
      await screenshot('line-monitor');
      const now = Date.now();
      const since = new Date(now - WINDOW_DAYS * DAY_MS).toISOString();

      const stations = await queryAll<{
        Id: string;
        Name: string;
        Key__c: string;
        SLA_Hours__c: number | null;
      }>(
        admin,
        'SELECT Id, Name, Key__c, SLA_Hours__c FROM Station__c WHERE Active__c = true ORDER BY Order__c'
      );
      const expected = [];
      for (const station of stations) {
        const open = [
          `SELECT COUNT() FROM Lead WHERE Station__c = '${station.Id}' AND IsConverted = false`,
          `SELECT COUNT() FROM Account WHERE Station__c = '${station.Id}'`,
          `SELECT COUNT() FROM Opportunity WHERE Station__c = '${station.Id}' AND IsClosed = false`
        ];
        // A station without SLA hours (customers at Service stay for good) has no breaches.
        const hasSla = Number(station.SLA_Hours__c) > 0;
        const slaCutoff = new Date(now - Number(station.SLA_Hours__c) * 3_600_000).toISOString();
        let wip = 0;
        let breaches = 0;
        for (const soql of open) {
          wip += (await admin.query(soql)).totalSize;
          if (hasSla)
            breaches += (await admin.query(`${soql} AND Station_Entered_At__c < ${slaCutoff}`))
              .totalSize;
        }
        const stays = await queryAll<{ Duration_Minutes__c: number }>(
          admin,
          `SELECT Duration_Minutes__c FROM Stage_Event__c WHERE Kind__c = 'Station' AND Exited_At__c >= ${since} AND To_Value__c IN ('${station.Id}', '${station.Key__c}', '${station.Name}')`
        );
        const minutes = stays.reduce((total, stay) => total + stay.Duration_Minutes__c, 0);
        expected.push({
          name: station.Name,
          wip: String(wip),
          throughput: oneDecimal(stays.length / WINDOW_DAYS),
          cycle: stays.length === 0 ? 'no exits' : duration((minutes / stays.length) * 60_000),
          breaches: String(breaches)
        });
      }
      expect(expected.some((row) => row.cycle !== 'no exits')).toBe(true);
      const shown = [];
      for (const row of await page.locator('c-station-flow-table [data-id="station-row"]').all()) {
        shown.push({
          name: (await row.locator('[data-id="name"]').innerText()).trim(),
          wip: (await row.locator('[data-id="wip"]').innerText()).trim(),
          throughput: (await row.locator('[data-id="throughput"]').innerText()).trim(),
          cycle: (await row.locator('[data-id="cycle"]').innerText()).trim(),
          breaches: (await row.locator('[data-id="breaches"]').innerText()).trim()
        });
      }
      expect(shown).toEqual(expected);

      // Equality report: randomized assignments of the window, per rep within each stratum.
      const counts = await queryAll<{ Stratum__c: string; Rep__c: string; n: number }>(
        admin,
        `SELECT Stratum__c, Rep__c, COUNT(Id) n FROM Assignment__c WHERE Assigned_At__c >= ${since} AND Method__c IN ('Permuted Block', 'Rebalance') GROUP BY Stratum__c, Rep__c`
      );
      const reps = [...new Set(counts.map((row) => row.Rep__c))];
      const strata = [...new Set(counts.map((row) => row.Stratum__c))].sort();
      const expectedStrata = strata.map((stratum) => {
        const perRep = reps.map(
          (rep) => counts.find((row) => row.Stratum__c === stratum && row.Rep__c === rep)?.n ?? 0
        );
        return {
          stratum,
          total: String(perRep.reduce((a, b) => a + b, 0)),
          fewest: String(Math.min(...perRep)),
          most: String(Math.max(...perRep)),
          gap: String(Math.max(...perRep) - Math.min(...perRep))
        };
      });
      const shownStrata = [];
      for (const row of await page.locator('c-equality-report [data-id="stratum-row"]').all()) {
        shownStrata.push({
          stratum: String(await row.locator('[data-stratum]').getAttribute('data-stratum')),
          total: (await row.locator('[data-id="total"]').innerText()).trim(),
          fewest: (await row.locator('[data-id="fewest"]').innerText()).trim(),
          most: (await row.locator('[data-id="most"]').innerText()).trim(),
          gap: (await row.locator('[data-id="gap"]').innerText()).trim()
        });
      }
      expect(shownStrata).toEqual(expectedStrata);
    });
  });

  describe('Forecast (manager)', () => {
    it('shows the P10/P50/P90 of every period, the current period with its backtest accuracy, and its lines by rep, as stored', async () => {
      const { page, screenshot } = await consolePage('/preview/forecast');
      await page.locator('[data-id="period-row"]').first().waitFor(SHOWN_WITHIN);
      await page.locator('c-forecast-lines [data-id="line-row"]').first().waitFor(SHOWN_WITHIN);
      // The chart is drawn by Chart.js from the static resource.
      await page.locator('c-forecast-chart canvas').first().waitFor(SHOWN_WITHIN);
      await expectNoErrorBanner(page);
      await screenshot('forecast');

      const forecasts = await queryAll<
        Record<string, number | string> & { Id: string; Period_Start__c: string }
      >(
        admin,
        "SELECT Id, Period_Start__c, P10__c, P50__c, P90__c, Expected__c, Closed_To_Date__c, Backtest_WAPE__c, Backtest_Coverage__c, Method__c FROM Forecast__c WHERE Period_Type__c = 'Month' ORDER BY Period_Start__c"
      );
      const label = (start: string): string => {
        const [year, month, day] = start.split('-').map(Number);
        return `${month}/${day}/${year}`;
      };
      const percent = (value: number): string => `${(Math.round(value * 10) / 10).toFixed(1)}%`;
      const rows = [];
      for (const row of await page.locator('[data-id="period-row"]').all()) {
        rows.push(
          await Promise.all(
            [
              'th',
              '[data-id="p10"]',
              '[data-id="p50"]',
              '[data-id="p90"]',
              '[data-id="expected"]',
              '[data-id="closed"]',
              '[data-id="wape"]',
              '[data-id="coverage"]'
            ].map(async (cell) => (await row.locator(cell).innerText()).trim())
          )
        );
      }
      expect(rows).toEqual(
        forecasts.map((forecast) => [
          label(forecast.Period_Start__c),
          money.format(Number(forecast.P10__c)),
          money.format(Number(forecast.P50__c)),
          money.format(Number(forecast.P90__c)),
          money.format(Number(forecast.Expected__c)),
          money.format(Number(forecast.Closed_To_Date__c)),
          percent(Number(forecast.Backtest_WAPE__c)),
          percent(Number(forecast.Backtest_Coverage__c))
        ])
      );

      // The period under way is selected, with its method and backtest accuracy beside it.
      const today = new Date().toISOString().slice(0, 10);
      const current = forecasts
        .filter((forecast) => forecast.Period_Start__c <= today)
        .pop() as (typeof forecasts)[number];
      await expect(
        texts(
          page,
          '[data-id="selected-p50"], [data-id="selected-wape"], [data-id="selected-coverage"], [data-id="selected-method"]'
        )
      ).resolves.toEqual([
        money.format(Number(current.P50__c)),
        String(current.Method__c),
        percent(Number(current.Backtest_WAPE__c)),
        percent(Number(current.Backtest_Coverage__c))
      ]);
      const lines = await queryAll<{
        Dimension_Value__c: string;
        P10__c: number;
        P50__c: number;
        P90__c: number;
      }>(
        admin,
        `SELECT Dimension_Value__c, P10__c, P50__c, P90__c FROM Forecast_Line__c WHERE Forecast__c = '${current.Id}' AND Dimension__c = 'Rep' ORDER BY P50__c DESC`
      );
      const shownLines = [];
      for (const row of await page.locator('c-forecast-lines [data-id="line-row"]').all()) {
        shownLines.push([
          (await row.locator('th').innerText()).trim(),
          (await row.locator('[data-id="p10"]').innerText()).trim(),
          (await row.locator('[data-id="p50"]').innerText()).trim(),
          (await row.locator('[data-id="p90"]').innerText()).trim()
        ]);
      }
      expect(shownLines).toEqual(
        lines.map((line) => [
          line.Dimension_Value__c,
          money.format(line.P10__c),
          money.format(line.P50__c),
          money.format(line.P90__c)
        ])
      );
    });
  });

  describe('Bin Board and Stage Timer', () => {
    it('counts leads and accounts per bin as the org does', async () => {
      const { page, screenshot } = await consolePage('/preview/bin-board');
      await page.locator('[data-id="bin-card"]').first().waitFor(SHOWN_WITHIN);
      await expectNoErrorBanner(page);
      await screenshot('bin-board');
      const perBin = new Map<string, number>();
      const leads = await queryAll<{ Bin__c: string; n: number }>(
        admin,
        'SELECT Bin__c, COUNT(Id) n FROM Lead WHERE IsConverted = false AND Bin__c != null GROUP BY Bin__c'
      );
      const accounts = await queryAll<{ Bin__c: string; n: number }>(
        admin,
        'SELECT Bin__c, COUNT(Id) n FROM Account WHERE Bin__c != null GROUP BY Bin__c'
      );
      for (const row of [...leads, ...accounts])
        perBin.set(row.Bin__c, (perBin.get(row.Bin__c) ?? 0) + row.n);
      const shown = new Map<string, number>();
      for (const card of await page.locator('[data-id="bin-card"]').all()) {
        shown.set(
          String(await card.getAttribute('data-bin')),
          Number((await card.locator('[data-id="total"]').innerText()).trim())
        );
      }
      for (const [bin, count] of shown) expect([bin, count]).toEqual([bin, perBin.get(bin) ?? 0]);
      expect([...perBin.keys()].every((bin) => shown.has(bin))).toBe(true);
    });

    it("shows a record's station, bin and stage history on its record page", async () => {
      const { page, screenshot } = await consolePage(
        `/preview/stage-timer?recordId=${timelineLeadId}`
      );
      await page.locator('c-stage-timer tbody tr').first().waitFor(SHOWN_WITHIN);
      await expectNoErrorBanner(page);
      await screenshot('stage-timer');
      const [lead] = await queryAll<{ Station__r: { Name: string }; Bin__c: string }>(
        admin,
        `SELECT Station__r.Name, Bin__c FROM Lead WHERE Id = '${timelineLeadId}'`
      );
      const body = await page.locator('c-stage-timer').innerText();
      expect(body).toContain(lead?.Station__r.Name);
      expect(body).toContain(lead?.Bin__c);
      const events = await admin.query(
        `SELECT COUNT() FROM Stage_Event__c WHERE Lead__c = '${timelineLeadId}'`
      );
      await expect(page.locator('c-stage-timer tbody tr').count()).resolves.toBe(events.totalSize);
    });
  });
});
