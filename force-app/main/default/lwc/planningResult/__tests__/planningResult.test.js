import { createElement } from 'lwc';
import PlanningResult from 'c/planningResult';
import { formatMoney } from 'c/aslUtils';

const mockPlan = require('./data/plan.json');

async function createResult(result = mockPlan, props = {}) {
    const element = createElement('c-planning-result', { is: PlanningResult });
    Object.assign(element, { result, computedAt: '11/22/2026, 6:00 AM', ...props });
    document.body.appendChild(element);
    await Promise.resolve();
    return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const text = (element, id) => $(element, `[data-id="${id}"]`).textContent.trim();
const one = (value) => String(Math.round(value * 10) / 10);

describe('c-planning-result', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it('shows leads per day with its range, when leads must start, meetings and wins', async () => {
        const element = await createResult();
        const plan = mockPlan.plan;
        expect(text(element, 'leads-per-day')).toBe(one(plan.leadsPerDay));
        expect(text(element, 'leads-range')).toBe('c.ASL_PL_Range');
        expect(text(element, 'first-lead')).toBe(plan.firstLeadDate);
        expect(text(element, 'lead-time')).toBe(one(plan.leadTimeDays));
        expect(text(element, 'meetings-week')).toBe(one(plan.meetingsPerWeek));
        expect(text(element, 'wins')).toBe(one(plan.winsNeeded));
        expect(text(element, 'leads-total')).toBe(
            Math.round(plan.leadsNeeded).toLocaleString('en-US')
        );
        expect(text(element, 'deal')).toBe(formatMoney(mockPlan.input.averageDealSize, 'USD'));
        expect(text(element, 'computed')).toBe('c.ASL_PL_Computed');
        expect(text(element, 'asked')).toBe('c.ASL_PL_Asked');
    });

    it('shows each station counted back from the wins, with its measured counts', async () => {
        const element = await createResult();
        const rows = [...element.shadowRoot.querySelectorAll('[data-id="funnel-row"]')].map(
            (row) => ({
                station: row.querySelector('[data-id="station"]').textContent,
                measured: row.querySelector('[data-id="measured"]').textContent,
                entering: row.querySelector('[data-id="entering"]').textContent
            })
        );
        expect(rows).toEqual(
            mockPlan.plan.funnel.map((stage, index) => ({
                station: stage.name,
                measured: `${mockPlan.input.stages[index].conversion.converted} / ${mockPlan.input.stages[index].conversion.entered}`,
                entering: Math.round(stage.entering).toLocaleString('en-US')
            }))
        );
    });

    it('says where each input came from', async () => {
        const element = await createResult();
        const sources = [...element.shadowRoot.querySelectorAll('[data-id="source-row"]')];
        expect(sources).toHaveLength(Object.keys(mockPlan.sources).length);
        const handling = sources.find((row) => row.textContent.includes('sdr.handlingMinutes'));
        expect(handling.textContent).toContain('= 2');
        expect(handling.querySelector('[data-id="source"]').textContent.trim()).toBe(
            '(c.ASL_PL_From_Org)'
        );
    });

    it('hands the plan to the heads table with the inbound shift start', async () => {
        const element = await createResult();
        const heads = $(element, 'c-planning-heads');
        expect(heads.plan).toEqual(mockPlan.plan);
        expect(heads.inboundStartHour).toBe(mockPlan.inboundShiftStartHourUtc);
    });

    it('shows no range when the conversions were given as rates', async () => {
        const element = await createResult({
            ...mockPlan,
            plan: { ...mockPlan.plan, leadsPerDayRange: null }
        });
        expect(text(element, 'leads-range')).toBe('');
    });

    it('is accessible', async () => {
        const element = await createResult();
        await expect(element).toBeAccessible();
    });
});
