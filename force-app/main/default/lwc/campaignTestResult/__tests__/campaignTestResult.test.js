import { createElement } from 'lwc';
import CampaignTestResult, { share, interval, points } from 'c/campaignTestResult';

const mockDecided = require('./data/decided.json');
const mockRunning = require('./data/running.json');

async function flushPromises() {
    for (let i = 0; i < 3; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

async function createResult(test) {
    const element = createElement('c-campaign-test-result', { is: CampaignTestResult });
    element.test = test;
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

const base = { campaignName: 'Spring webinar', metric: 'Meeting', resultError: '' };
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const rows = (element, id, cells) =>
    [...element.shadowRoot.querySelectorAll(`[data-id="${id}"]`)].map((row) =>
        Object.fromEntries(
            cells.map((cell) => [cell, row.querySelector(`[data-id="${cell}"]`).textContent])
        )
    );

describe('c-campaign-test-result', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it('shows conversion per variant with its 95% interval, the control named', async () => {
        const element = await createResult({ ...base, status: 'Decided', result: mockDecided });
        expect(
            rows(element, 'variant-row', ['variant', 'trials', 'conversions', 'rate', 'interval'])
        ).toEqual([
            {
                variant: 'c.ASL_CA_Control',
                trials: '800',
                conversions: '80',
                rate: '10.0%',
                interval: '8.1% \u2013 12.3%'
            },
            {
                variant: 'B',
                trials: '800',
                conversions: '128',
                rate: '16.0%',
                interval: '13.6% \u2013 18.7%'
            },
            {
                variant: 'C',
                trials: '800',
                conversions: '83',
                rate: '10.4%',
                interval: '8.4% \u2013 12.7%'
            }
        ]);
        // The winner's row is marked.
        expect(element.shadowRoot.querySelectorAll('[data-id="variant-row"]')[1].className).toBe(
            'slds-is-selected'
        );
    });

    it('compares each challenger with the control against its bar, with the repeated interval', async () => {
        const element = await createResult({ ...base, status: 'Decided', result: mockDecided });
        expect(
            rows(element, 'comparison-row', ['difference', 'repeated', 'z', 'bar', 'crossed'])
        ).toEqual([
            {
                difference: '+6.0 pts',
                repeated: '+1.7 pts \u2013 +10.3 pts',
                z: '3.56',
                bar: '2.54',
                crossed: 'c.ASL_CA_Crossed_Better'
            },
            {
                difference: '+0.4 pts',
                repeated: '-3.6 pts \u2013 +4.3 pts',
                z: '0.24',
                bar: '2.54',
                crossed: 'c.ASL_CA_Not_Crossed'
            }
        ]);
    });

    it('gives the verdict of a decided test and explains the stopping rule', async () => {
        const element = await createResult({ ...base, status: 'Decided', result: mockDecided });
        expect($(element, '[data-id="verdict"]').textContent).toBe('c.ASL_CA_Verdict_Decided');
        expect($(element, '[data-id="verdict"]').className).toContain('slds-theme_success');
        expect($(element, '[data-id="rule"]').textContent).toBe('c.ASL_CA_Rule');
        expect($(element, '[data-id="progress"]').textContent.trim()).toBe(
            'c.ASL_CA_Rule_Progress'
        );
    });

    it('says a running test has no verdict yet', async () => {
        const element = await createResult({ ...base, status: 'Running', result: mockRunning });
        expect($(element, '[data-id="verdict"]').textContent).toBe('c.ASL_CA_Verdict_Running');
        expect(rows(element, 'variant-row', ['trials', 'conversions', 'rate'])).toEqual([
            { trials: '6', conversions: '1', rate: '16.7%' },
            { trials: '6', conversions: '0', rate: '0.0%' }
        ]);
    });

    it('says when the control wins and when the test stopped without a winner', async () => {
        const control = { ...mockDecided, winner: 'A' };
        let element = await createResult({ ...base, status: 'Decided', result: control });
        expect($(element, '[data-id="verdict"]').textContent).toBe(
            'c.ASL_CA_Verdict_Decided_Control'
        );
        document.body.removeChild(element);
        element = await createResult({
            ...base,
            status: 'Stopped',
            result: { ...mockRunning, status: 'Stopped', pValue: 0.41 }
        });
        expect($(element, '[data-id="verdict"]').textContent).toBe('c.ASL_CA_Verdict_Stopped');
        expect($(element, '[data-id="verdict"]').className).toContain('slds-theme_warning');
    });

    it('says a draft has not started and a test without a look has no result', async () => {
        let element = await createResult({ ...base, status: 'Draft', result: null });
        expect($(element, '[data-id="verdict"]').textContent).toBe('c.ASL_CA_Verdict_Draft');
        expect($(element, '[data-id="rule"]')).toBeNull();
        document.body.removeChild(element);
        element = await createResult({
            ...base,
            status: 'Running',
            result: { ...mockRunning, looks: [], variantsNow: [], comparisons: [] }
        });
        expect($(element, '[data-id="verdict"]').textContent).toBe('c.ASL_CA_Verdict_No_Look');
        expect($(element, '[data-id="variant-row"]')).toBeNull();
    });

    it('is accessible', async () => {
        const element = await createResult({ ...base, status: 'Decided', result: mockDecided });
        await expect(element).toBeAccessible();
    });
});

describe('share, interval and points', () => {
    it('formats shares and differences the way the tables show them', () => {
        expect(share(0.16666)).toBe('16.7%');
        expect(interval(0.03, 0.5635)).toBe('3.0% \u2013 56.4%');
        expect(points(0.06)).toBe('+6.0 pts');
        expect(points(-0.0355)).toBe('-3.6 pts');
        expect(points(0)).toBe('0.0 pts');
        expect(points(-0.00001)).toBe('0.0 pts');
        expect(points(0.0355)).toBe('+3.6 pts');
    });
});
