import { createElement } from 'lwc';
import CampaignListQuality from 'c/campaignListQuality';

const mockLists = require('./data/lists.json');

async function createTable(report) {
    const element = createElement('c-campaign-list-quality', { is: CampaignListQuality });
    element.report = report;
    document.body.appendChild(element);
    await Promise.resolve();
    return element;
}

const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
const cell = (row, id) => row.querySelector(`[data-id="${id}"]`).textContent;

describe('c-campaign-list-quality', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it('shows contact and qualification rate per list with intervals and the comparison with the rest', async () => {
        const element = await createTable(mockLists);
        const rows = $$(element, '[data-id="list-row"]');
        expect(rows.map((row) => cell(row, 'list-name'))).toEqual(
            mockLists.lists.map((list) => list.listName)
        );
        const first = mockLists.lists[0];
        const pct = (value) => `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
        expect(cell(rows[0], 'leads')).toBe(String(first.leads));
        expect(cell(rows[0], 'contact')).toBe(pct(first.contact.rate));
        expect(cell(rows[0], 'contact-interval')).toBe(
            `${pct(first.contact.low)} \u2013 ${pct(first.contact.high)}`
        );
        expect(cell(rows[0], 'qualified')).toBe(pct(first.qualification.rate));
        expect(cell(rows[0], 'contact-vs-rest')).toBe('c.ASL_CA_Higher');
    });

    it('says whether the lists differ at all, for contact and for qualification', async () => {
        const element = await createTable(mockLists);
        // Contact: p = 0.0005 (the lists differ); qualification: p = 0.128 (no evidence).
        expect($$(element, '[data-id="list-test"]').map((item) => item.textContent)).toEqual([
            'c.ASL_CA_Lists_Differ',
            'c.ASL_CA_Lists_Same'
        ]);
    });

    it('says when there is nothing to compare', async () => {
        const element = await createTable({ ...mockLists, lists: [] });
        expect(element.shadowRoot.querySelector('[data-id="lists-empty"]')).not.toBeNull();
    });

    it('is accessible', async () => {
        const element = await createTable(mockLists);
        await expect(element).toBeAccessible();
    });
});
