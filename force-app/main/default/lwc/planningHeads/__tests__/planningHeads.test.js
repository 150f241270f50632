import { createElement } from 'lwc';
import PlanningHeads, { ROLE_LABELS } from 'c/planningHeads';
import { formatMoney } from 'c/aslUtils';

const mockPlan = require('./data/plan.json');

async function createHeads(plan = mockPlan, props = {}) {
    const element = createElement('c-planning-heads', { is: PlanningHeads });
    Object.assign(element, { plan, ...props });
    document.body.appendChild(element);
    await Promise.resolve();
    return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
const cell = (row, id) => row.querySelector(`[data-id="${id}"]`).textContent;

describe('c-planning-heads', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it('shows per role the heads needed, recommended, today, the change and its payroll', async () => {
        const element = await createHeads(mockPlan, { currencyCode: 'EUR' });
        const rows = $$(element, '[data-id="role-row"]');
        expect(rows.map((row) => row.dataset.role)).toEqual(
            mockPlan.roles.map((role) => role.role)
        );
        for (const [index, role] of mockPlan.roles.entries()) {
            expect({
                name: cell(rows[index], 'role'),
                heads: cell(rows[index], 'heads'),
                today: cell(rows[index], 'today'),
                change: cell(rows[index], 'change'),
                payroll: cell(rows[index], 'payroll')
            }).toEqual({
                name: ROLE_LABELS[role.role],
                heads: String(role.heads),
                today: String(role.currentHeads),
                change: role.deltaHeads > 0 ? `+${role.deltaHeads}` : String(role.deltaHeads),
                payroll: formatMoney(role.payrollDeltaAnnual, 'EUR')
            });
        }
        // The closers, the line's constraint, are marked.
        expect(rows[0].className).toBe('slds-is-selected');
    });

    it('names the bottleneck with the recommended heads and with today\u2019s, and the payroll change', async () => {
        const element = await createHeads();
        expect($(element, '[data-id="bottleneck"]').textContent).toBe('c.ASL_PL_Bottleneck');
        expect($(element, '[data-id="bottleneck-today"]').textContent).toBe(
            'c.ASL_PL_Bottleneck_Today'
        );
        expect($(element, '[data-id="payroll-total"]').textContent).toBe('c.ASL_PL_Payroll');
        expect($(element, '[data-id="margin"]').textContent.trim()).toBe('c.ASL_PL_Margin');
    });

    it('shows the inbound SDRs per hour by Erlang C, at the UTC hours measured', async () => {
        const element = await createHeads(mockPlan, { inboundStartHour: 22 });
        const rows = $$(element, '[data-id="inbound-row"]');
        expect(rows).toHaveLength(mockPlan.inbound.hours.length);
        expect(rows.slice(0, 3).map((row) => cell(row, 'hour'))).toEqual([
            '22:00',
            '23:00',
            '00:00'
        ]);
        expect(cell(rows[0], 'agents')).toBe(String(mockPlan.inbound.hours[0].level.agents));
        expect($(element, '[data-id="inbound-summary"]').textContent).toBe(
            'c.ASL_PL_Inbound_Summary'
        );
    });

    it('numbers the hours of the shift when the arrivals were not measured', async () => {
        const element = await createHeads(mockPlan, { inboundStartHour: null });
        expect(cell($$(element, '[data-id="inbound-row"]')[0], 'hour')).toBe('1');
    });

    it('leaves out inbound staffing and today\u2019s bottleneck when the plan has none', async () => {
        const element = await createHeads({ ...mockPlan, inbound: null, currentBottleneck: null });
        expect($(element, '[data-id="inbound-row"]')).toBeNull();
        expect($(element, '[data-id="bottleneck-today"]')).toBeNull();
    });

    it('is accessible', async () => {
        const element = await createHeads();
        await expect(element).toBeAccessible();
    });
});
