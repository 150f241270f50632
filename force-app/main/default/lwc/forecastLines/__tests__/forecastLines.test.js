import { createElement } from 'lwc';
import ForecastLines from 'c/forecastLines';
import { graphql } from 'lightning/graphql';
import { formatMoney } from 'c/aslUtils';

const mockLines = require('./data/forecastLines.json');
const mockLinesEmpty = require('./data/forecastLinesEmpty.json');
const mockErrors = require('./data/forecastLinesErrors.json');

async function flushPromises() {
    for (let i = 0; i < 5; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

async function createLines(props = {}) {
    const element = createElement('c-forecast-lines', { is: ForecastLines });
    Object.assign(element, {
        forecastId: 'a0F000000000006AAA',
        periodLabel: '11/1/2026',
        ...props
    });
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);

// The loading, error and empty states live in the shared c-load-status child.
const status = (element, id) =>
    element.shadowRoot.querySelector('c-load-status').shadowRoot.querySelector(`[data-id="${id}"]`);

describe('c-forecast-lines', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('asks for the lines of the forecast by rep first, largest P50 first', async () => {
        await createLines();
        const config = graphql.lastConfigFor('forecastLines');
        expect(config.variables).toEqual({
            forecastId: 'a0F000000000006AAA',
            dimension: 'Rep',
            pageSize: 200
        });
        expect(config.query).toContain('orderBy: { P50__c: { order: DESC } }');
    });

    it('shows each line as a P10-P90 bar and a table row', async () => {
        const element = await createLines();
        // The GraphQL wire returns the forecast's lines of the dimension.
        graphql.emit(mockLines);
        await flushPromises();

        const chart = $(element, 'c-forecast-chart');
        expect(chart.variant).toBe('ranges');
        expect(chart.points.map((point) => [point.label, point.p10, point.p50, point.p90])).toEqual(
            [
                ['Alice Moreau', 380000, 470000, 590000],
                ['Blake Chen', 330000, 410000, 520000],
                ['Cleo Diaz', 250000, 335000, 440000]
            ]
        );
        const rows = element.shadowRoot.querySelectorAll('[data-id="line-row"]');
        expect(rows).toHaveLength(3);
        expect(rows[0].querySelector('th').textContent).toBe('Alice Moreau');
        expect(rows[0].querySelector('[data-id="p90"]').textContent).toBe(
            formatMoney(590000, 'USD')
        );
        expect(rows[0].querySelector('[data-id="closed"]').textContent).toBe(
            formatMoney(250000, 'USD')
        );
        expect($(element, '[data-id="lines-title"]').textContent).toBe('c.ASL_FC_Lines_Title');
    });

    it('switches to team, product or total', async () => {
        const element = await createLines();
        graphql.emit(mockLines);
        await flushPromises();
        $(element, '[data-id="dimension"]').dispatchEvent(
            new CustomEvent('change', { detail: { value: 'Product' } })
        );
        await flushPromises();
        expect(graphql.lastConfigFor('forecastLines').variables.dimension).toBe('Product');
        expect(status(element, 'loading')).not.toBeNull();
    });

    it('starts with the dimension it is given', async () => {
        await createLines({ dimension: 'Total' });
        expect(graphql.lastConfigFor('forecastLines').variables.dimension).toBe('Total');
    });

    it('is accessible with lines on screen', async () => {
        const element = await createLines();
        graphql.emit(mockLines);
        await flushPromises();
        await expect(element).toBeAccessible();
    });

    it('says when the forecast has no lines for the dimension', async () => {
        const element = await createLines();
        graphql.emit(mockLinesEmpty);
        await flushPromises();
        expect(status(element, 'empty')).not.toBeNull();
        expect($(element, 'c-forecast-chart')).toBeNull();
    });

    it('shows the error when the lines cannot be read', async () => {
        const element = await createLines();
        graphql.emitErrors(mockErrors);
        await flushPromises();
        expect(status(element, 'load-error').textContent).toBe(
            'Insufficient privileges: Forecast_Line__c is not accessible'
        );
    });
});
