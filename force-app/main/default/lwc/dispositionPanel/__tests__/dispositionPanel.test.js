import { createElement } from 'lwc';
import DispositionPanel from 'c/dispositionPanel';

async function flushPromises() {
    for (let i = 0; i < 3; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

async function createPanel(allowedOutcomes) {
    const element = createElement('c-disposition-panel', { is: DispositionPanel });
    element.allowedOutcomes = allowedOutcomes;
    const disposed = jest.fn();
    element.addEventListener('dispose', (event) => disposed(event.detail));
    document.body.appendChild(element);
    await flushPromises();
    return { element, disposed };
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const outcomes = (element) =>
    [...element.shadowRoot.querySelectorAll('button[data-outcome]')].map(
        (button) => button.dataset.outcome
    );

describe('c-disposition-panel', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('offers the allowed outcomes in their order, with their shortcuts', async () => {
        const { element } = await createPanel('Meeting Booked;No Answer;Service Resolved');
        expect(outcomes(element)).toEqual(['Meeting Booked', 'No Answer', 'Service Resolved']);
        expect(
            $(element, 'button[data-outcome="No Answer"]').getAttribute('aria-keyshortcuts')
        ).toBe('n');
        expect($(element, 'button[data-outcome="No Answer"] kbd').textContent).toBe('N');
        expect(
            $(element, 'button[data-outcome="Service Resolved"]').getAttribute('aria-keyshortcuts')
        ).toBeNull();
        // The shortcut legend lists only outcomes that have one.
        expect(element.shadowRoot.querySelectorAll('li.slds-item')).toHaveLength(2);
    });

    it('offers the SDR call outcomes when none are named', async () => {
        const { element } = await createPanel('');
        expect(outcomes(element)).toEqual([
            'No Answer',
            'Left Voicemail',
            'Bad Number',
            'Wrong Person',
            'Not Interested',
            'Call Back Requested',
            'Meeting Booked',
            'Nurture',
            'Do Not Call'
        ]);
    });

    it('fires a disposition in one click when nothing more is needed', async () => {
        const { element, disposed } = await createPanel(['No Answer']);
        $(element, 'button[data-outcome="No Answer"]').click();
        expect(disposed).toHaveBeenCalledWith({
            outcome: 'No Answer',
            reasonCode: null,
            nextActionAt: null
        });
    });

    it('asks for a reason before a bad-fit disposition and will not save without one', async () => {
        const { element, disposed } = await createPanel(['Bad Fit']);
        const focus = jest.spyOn(HTMLElement.prototype, 'focus');
        $(element, 'button[data-outcome="Bad Fit"]').click();
        await flushPromises();

        const reason = $(element, '[data-field="reasonCode"]');
        expect(reason.options.map((option) => option.value)).toEqual([
            'Price',
            'Timing',
            'Authority',
            'Need',
            'Competitor',
            'Wrong Contact',
            'No Budget',
            'Other'
        ]);
        // The first field of the form receives the focus.
        expect(focus.mock.contexts).toContain(reason);
        focus.mockRestore();
        expect($(element, 'button[data-outcome="Bad Fit"]').disabled).toBe(true);

        $(element, '[data-id="save"]').click();
        expect(disposed).not.toHaveBeenCalled();

        reason.dispatchEvent(new CustomEvent('change', { detail: { value: 'Need' } }));
        $(element, '[data-id="save"]').click();
        expect(disposed).toHaveBeenCalledWith({
            outcome: 'Bad Fit',
            reasonCode: 'Need',
            nextActionAt: null
        });
    });

    it('refuses a next action in the past', async () => {
        const { element, disposed } = await createPanel(['Meeting Booked']);
        $(element, 'button[data-outcome="Meeting Booked"]').click();
        await flushPromises();

        const when = $(element, '[data-field="nextActionAt"]');
        const setCustomValidity = jest.spyOn(when, 'setCustomValidity');
        when.dispatchEvent(
            new CustomEvent('change', { detail: { value: '2001-01-01T09:00:00.000Z' } })
        );
        $(element, '[data-id="save"]').click();
        expect(disposed).not.toHaveBeenCalled();
        expect(setCustomValidity).toHaveBeenLastCalledWith('c.ASL_Disposition_Next_Action_Past');

        when.dispatchEvent(
            new CustomEvent('change', { detail: { value: '2099-03-02T09:00:00.000Z' } })
        );
        $(element, '[data-id="save"]').click();
        expect(disposed).toHaveBeenCalledWith({
            outcome: 'Meeting Booked',
            reasonCode: null,
            nextActionAt: '2099-03-02T09:00:00.000Z'
        });
    });

    it('closes the form on Cancel or Escape and gives the focus back to the outcome', async () => {
        const { element, disposed } = await createPanel(['Call Back Requested', 'No Answer']);
        $(element, 'button[data-outcome="Call Back Requested"]').click();
        await flushPromises();
        $(element, '[data-id="cancel"]').click();
        await flushPromises();
        expect($(element, '[data-field="nextActionAt"]')).toBeNull();
        expect(element.shadowRoot.activeElement).toBe(
            $(element, 'button[data-outcome="Call Back Requested"]')
        );

        expect(element.handleShortcut('c')).toBe(true);
        await flushPromises();
        expect($(element, '[data-field="nextActionAt"]')).not.toBeNull();
        // While the form is open, outcome shortcuts wait; Escape closes it.
        expect(element.handleShortcut('n')).toBe(false);
        expect(element.handleShortcut('Escape')).toBe(true);
        await flushPromises();
        expect($(element, '[data-field="nextActionAt"]')).toBeNull();
        expect(disposed).not.toHaveBeenCalled();
    });

    it('acts on the shortcut keys of allowed outcomes only, in either case', async () => {
        const { element, disposed } = await createPanel(['No Answer', 'Left Voicemail']);
        expect(element.handleShortcut('V')).toBe(true);
        expect(disposed).toHaveBeenLastCalledWith({
            outcome: 'Left Voicemail',
            reasonCode: null,
            nextActionAt: null
        });
        expect(element.handleShortcut('m')).toBe(false);
        expect(element.handleShortcut('x')).toBe(false);
        expect(disposed).toHaveBeenCalledTimes(1);
    });

    it('is accessible with the details form open', async () => {
        const { element } = await createPanel(['Not Interested', 'No Answer']);
        $(element, 'button[data-outcome="Not Interested"]').click();
        await flushPromises();
        await expect(element).toBeAccessible();
    });

    it('does nothing while disabled', async () => {
        const { element, disposed } = await createPanel(['No Answer']);
        element.disabled = true;
        await flushPromises();
        expect($(element, 'button[data-outcome="No Answer"]').disabled).toBe(true);
        expect(element.handleShortcut('n')).toBe(false);
        expect(disposed).not.toHaveBeenCalled();
    });
});
