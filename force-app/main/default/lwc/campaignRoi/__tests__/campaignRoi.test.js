import { createElement } from 'lwc';
import CampaignRoi from 'c/campaignRoi';
import { formatMoney } from 'c/aslUtils';

const mockRoi = require('./data/roi.json');

async function createTable(rows, currencyCode) {
    const element = createElement('c-campaign-roi', { is: CampaignRoi });
    element.rows = rows;
    if (currencyCode) element.currencyCode = currencyCode;
    document.body.appendChild(element);
    await Promise.resolve();
    return element;
}

const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
const cell = (row, id) => row.querySelector(`[data-id="${id}"]`).textContent;
const pct = (value) => `${(Math.round(value * 1000) / 10).toFixed(1)}%`;

describe('c-campaign-roi', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it('shows leads, meetings, wins, revenue, spend and ROI with its interval per source', async () => {
        const element = await createTable(mockRoi, 'EUR');
        const rows = $$(element, '[data-id="roi-row"]');
        expect(rows.map((row) => cell(row, 'source'))).toEqual(
            mockRoi.map((source) => source.source)
        );
        const web = mockRoi.find((source) => source.source === 'Web');
        const row = rows[mockRoi.indexOf(web)];
        expect(cell(row, 'leads')).toBe(String(web.leads));
        expect(cell(row, 'wins')).toBe(String(web.wins));
        expect(cell(row, 'revenue')).toBe(formatMoney(web.revenue, 'EUR'));
        expect(cell(row, 'cost')).toBe(formatMoney(12000, 'EUR'));
        expect(cell(row, 'cost-per-win')).toBe(formatMoney(web.costPerWin, 'EUR'));
        expect(cell(row, 'roi')).toBe(
            `${pct(web.roi)} (${pct(web.roiLow)} \u2013 ${pct(web.roiHigh)})`
        );
        expect(cell(row, 'days-to-win')).toBe(
            web.medianDaysToWin === undefined || web.medianDaysToWin === null
                ? ''
                : String(Math.round(web.medianDaysToWin))
        );
        expect(cell(row, 'win-rate')).toBe(
            `${pct(web.winRate.rate)} (${pct(web.winRate.low)} \u2013 ${pct(web.winRate.high)})`
        );
    });

    it('leaves ROI empty for a source without spend, and says why', async () => {
        const element = await createTable(mockRoi);
        const other = $$(element, '[data-id="roi-row"]')[
            mockRoi.findIndex((source) => source.cost === null)
        ];
        expect(cell(other, 'roi')).toBe('');
        expect(cell(other, 'cost')).toBe('');
        expect(cell(other, 'note')).toBe('no cost given: ROI not computed');
    });

    it('says when there is nothing to report', async () => {
        const element = await createTable([]);
        expect(element.shadowRoot.querySelector('[data-id="roi-empty"]')).not.toBeNull();
    });

    it('is accessible', async () => {
        const element = await createTable(mockRoi);
        await expect(element).toBeAccessible();
    });
});
