import { createElement } from 'lwc';
import SlotList from 'c/slotList';

const mockSlots = require('./data/slots.json');

async function flushPromises() {
    for (let i = 0; i < 4; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

async function render(props) {
    const element = createElement('c-slot-list', { is: SlotList });
    Object.assign(element, props);
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

const cells = (element, name) =>
    [...element.shadowRoot.querySelectorAll(`[data-cell="${name}"]`)].map((cell) =>
        cell.textContent.trim()
    );

describe('c-slot-list', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it("shows the slots in the engine's order with the AE and the engineer", async () => {
        const element = await render({ slots: mockSlots, totalText: 'Showing 2 of 40' });
        expect(cells(element, 'rank')).toEqual(['1', '2']);
        expect(cells(element, 'ae')).toEqual(['Ben Okafor', 'Ana Lopez']);
        expect(cells(element, 'engineer')).toEqual(['', 'Sam Engineer']);
        expect(cells(element, 'place')).toEqual([]);
        const starts = element.shadowRoot.querySelectorAll(
            '[data-cell="start"] lightning-formatted-date-time'
        );
        expect(starts[0].value).toBe('2026-11-24T15:00:00.000Z');
        expect(element.shadowRoot.querySelector('[data-id="total"]').textContent.trim()).toBe(
            'Showing 2 of 40'
        );
    });

    it('shows the place tier of field meetings', async () => {
        const element = await render({ slots: mockSlots, fieldMeeting: true });
        expect(cells(element, 'place')).toEqual([
            'c.ASL_DC_Tier_Same_City · Chicago',
            'c.ASL_DC_Tier_Other · Chicago'
        ]);
    });

    it('asks the parent to book the slot chosen', async () => {
        const element = await render({ slots: mockSlots });
        const handler = jest.fn();
        element.addEventListener('book', handler);
        element.shadowRoot.querySelector(`button[data-key="${mockSlots[1].key}"]`).click();
        expect(handler).toHaveBeenCalledTimes(1);
        expect(handler.mock.calls[0][0].detail).toEqual({ key: mockSlots[1].key });
    });

    it('disables booking while a booking is saved, and says when nothing is open', async () => {
        const element = await render({ slots: mockSlots, disabled: true });
        expect(
            [...element.shadowRoot.querySelectorAll('button[data-action="book"]')].every(
                (button) => button.disabled
            )
        ).toBe(true);
        const empty = await render({ slots: [] });
        expect(empty.shadowRoot.querySelector('[data-id="empty"]').textContent).toBe(
            'c.ASL_DC_Slots_Empty'
        );
    });

    it('is accessible', async () => {
        const element = await render({ slots: mockSlots, fieldMeeting: true });
        await expect(element).toBeAccessible();
    });
});
