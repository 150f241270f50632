import { createElement } from 'lwc';
import ForecastConsole from 'c/forecastConsole';
import { graphql, refresh, byOperation } from 'lightning/graphql';
import { publish, resetSubscriptions } from 'lightning/empApi';
import { formatMoney } from 'c/aslUtils';

const mockForecasts = require('./data/forecastPeriods.json');
const mockForecastsEmpty = require('./data/forecastPeriodsEmpty.json');
const mockErrors = require('./data/forecastErrors.json');

const NOW = new Date('2026-11-23T12:00:00.000Z');
const PERIODS = byOperation('forecastPeriods');

async function flushPromises() {
    for (let i = 0; i < 5; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

async function createConsole(props = {}) {
    const element = createElement('c-forecast-console', { is: ForecastConsole });
    Object.assign(element, props);
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

async function loadConsole(props) {
    const element = await createConsole(props);
    // The GraphQL wire returns the forecast records of the period type, newest run first.
    graphql.emit(mockForecasts, PERIODS);
    await flushPromises();
    return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const text = (element, id) => $(element, `[data-id="${id}"]`).textContent;

// The loading, error and empty states live in the shared c-load-status child.
const status = (element, id) =>
    element.shadowRoot.querySelector('c-load-status').shadowRoot.querySelector(`[data-id="${id}"]`);

describe('c-forecast-console', () => {
    beforeEach(() => {
        jest.useFakeTimers();
        jest.setSystemTime(NOW);
    });

    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
        jest.useRealTimers();
        resetSubscriptions();
    });

    it('asks for the period type set in App Builder', async () => {
        await createConsole({ periodType: 'Quarter' });
        expect(graphql.lastConfigFor('forecastPeriods').variables).toEqual({
            periodType: 'Quarter',
            pageSize: 500
        });
    });

    it('charts the newest forecast of each period as P10/P50/P90 bands', async () => {
        const element = await loadConsole();
        const chart = $(element, 'c-forecast-chart');
        expect(chart.variant).toBe('periods');
        expect(chart.label).toBe('c.ASL_FC_Chart_Periods');
        expect(chart.points).toEqual([
            { label: '9/1/2026', p10: 1300000, p50: 1620000, p90: 2000000, closed: 1710000 },
            { label: '10/1/2026', p10: 950000, p50: 1170000, p90: 1400000, closed: 1225000 },
            // Two runs exist for November: the newer one (generated 11/23) is shown.
            { label: '11/1/2026', p10: 980000, p50: 1215000, p90: 1490000, closed: 610000 },
            { label: '12/1/2026', p10: 1100000, p50: 1480000, p90: 1900000, closed: 0 },
            { label: '1/1/2027', p10: 600000, p50: 880000, p90: 1250000, closed: 0 }
        ]);
        const rows = element.shadowRoot.querySelectorAll('[data-id="period-row"]');
        expect(rows).toHaveLength(5);
        expect(rows[2].querySelector('[data-id="p50"]').textContent).toBe(
            formatMoney(1215000, 'USD')
        );
        expect(rows[2].querySelector('[data-id="wape"]').textContent).toBe('9.8%');
    });

    it('shows only the latest periods asked for', async () => {
        const element = await loadConsole({ periodsShown: 2 });
        expect($(element, 'c-forecast-chart').points.map((point) => point.label)).toEqual([
            '12/1/2026',
            '1/1/2027'
        ]);
    });

    it('opens on the period under way with its range, method and backtest accuracy', async () => {
        const element = await loadConsole({ currencyCode: 'EUR', defaultDimension: 'Team' });
        expect(text(element, 'selected-p10')).toBe(formatMoney(980000, 'EUR'));
        expect(text(element, 'selected-p50')).toBe(formatMoney(1215000, 'EUR'));
        expect(text(element, 'selected-p90')).toBe(formatMoney(1490000, 'EUR'));
        expect(text(element, 'selected-closed')).toBe(formatMoney(610000, 'EUR'));
        expect(text(element, 'selected-method')).toBe('Survival + pipeline creation (Monte Carlo)');
        expect(text(element, 'selected-wape')).toBe('9.8%');
        expect(text(element, 'selected-coverage')).toBe('81.5%');

        const lines = $(element, 'c-forecast-lines');
        expect(lines.forecastId).toBe('a0F000000000006AAA');
        expect(lines.dimension).toBe('Team');
        expect(lines.currencyCode).toBe('EUR');
        expect(
            $(element, 'button[data-forecast-id="a0F000000000006AAA"]').getAttribute('aria-pressed')
        ).toBe('true');
    });

    it('shows the lines of another period when it is chosen, and says when it has no backtest', async () => {
        const element = await loadConsole();
        $(element, 'button[data-forecast-id="a0F000000000008AAA"]').click();
        await flushPromises();

        expect($(element, 'c-forecast-lines').forecastId).toBe('a0F000000000008AAA');
        expect($(element, '[data-id="no-backtest"]')).not.toBeNull();
        expect(
            $(element, 'button[data-forecast-id="a0F000000000006AAA"]').getAttribute('aria-pressed')
        ).toBe('false');
    });

    it('switches between month, quarter and year', async () => {
        const element = await loadConsole();
        $(element, '[data-id="period-type"]').dispatchEvent(
            new CustomEvent('change', { detail: { value: 'Year' } })
        );
        await flushPromises();
        expect(graphql.lastConfigFor('forecastPeriods').variables.periodType).toBe('Year');
        expect(status(element, 'loading')).not.toBeNull();
    });

    it('is accessible with a period selected', async () => {
        const element = await loadConsole();
        jest.useRealTimers();
        await expect(element).toBeAccessible();
    });

    it('says when there is no forecast yet', async () => {
        const element = await createConsole();
        graphql.emit(mockForecastsEmpty, PERIODS);
        await flushPromises();
        expect(status(element, 'empty')).not.toBeNull();
        expect($(element, 'c-forecast-chart')).toBeNull();
    });

    it('shows the error when forecasts cannot be read', async () => {
        const element = await createConsole();
        graphql.emitErrors(mockErrors, PERIODS);
        await flushPromises();
        expect(status(element, 'load-error').textContent).toBe(
            "Field 'Forecast__c' in type 'RecordQuery' is undefined"
        );
    });

    it('reads again when a job run finishes, and on demand', async () => {
        const element = await loadConsole();
        publish('/event/Engine_Signal__e', {
            Kind__c: 'JOB_RUN',
            Record_Id__c: 'a0J000000000001AAA'
        });
        await flushPromises();
        expect(refresh).toHaveBeenCalledTimes(1);

        $(element, '[data-id="refresh"]').click();
        await flushPromises();
        expect(refresh).toHaveBeenCalledTimes(2);
    });
});
