import { createElement } from 'lwc';
import ForecastChart from 'c/forecastChart';
import { loadScript } from 'lightning/platformResourceLoader';
import { formatMoney } from 'c/aslUtils';

const mockPoints = require('./data/periodPoints.json');

async function flushPromises() {
    for (let i = 0; i < 5; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

async function createChart(props) {
    const element = createElement('c-forecast-chart', { is: ForecastChart });
    Object.assign(element, { currencyCode: 'USD', label: 'Bookings by month', ...props });
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

// Chart.js itself needs a real canvas; the test stands in for window.Chart (set by the
// static resource on the platform) and checks the configuration it receives.
const charts = [];
function MockChart(canvas, config) {
    this.canvas = canvas;
    this.config = config;
    this.destroy = jest.fn();
    charts.push(this);
}

describe('c-forecast-chart', () => {
    beforeEach(() => {
        charts.length = 0;
        window.Chart = jest.fn(MockChart);
    });

    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
        delete window.Chart;
    });

    it('loads Chart.js from its static resource once', async () => {
        const element = await createChart({ points: mockPoints });
        element.points = [...mockPoints];
        await flushPromises();
        expect(loadScript).toHaveBeenCalledTimes(1);
        expect(loadScript.mock.calls[0][1]).toBe('chartjs');
    });

    it('draws the P10-P90 band over time with the P50 line and closed to date', async () => {
        await createChart({ variant: 'periods', points: mockPoints });
        expect(charts).toHaveLength(1);
        const { type, data } = charts[0].config;
        expect(type).toBe('line');
        expect(data.labels).toEqual(['10/1/2026', '11/1/2026']);
        expect(data.datasets.map((dataset) => [dataset.label, dataset.data, dataset.fill])).toEqual(
            [
                ['c.ASL_FC_P90', [1400000, 1490000], false],
                // P10 fills up to the dataset before it: the band.
                ['c.ASL_FC_P10', [950000, 980000], '-1'],
                ['c.ASL_FC_P50', [1170000, 1215000], false],
                ['c.ASL_FC_Closed', [1225000, 610000], false]
            ]
        );
    });

    it('draws one floating P10-P90 bar per item for ranges', async () => {
        await createChart({ variant: 'ranges', points: mockPoints });
        const { type, data } = charts[0].config;
        expect(type).toBe('bar');
        expect(data.datasets[0].data).toEqual([
            [950000, 1400000],
            [980000, 1490000]
        ]);
        expect(data.datasets[1]).toEqual(
            expect.objectContaining({ type: 'line', showLine: false, data: [1170000, 1215000] })
        );
    });

    it('writes money on the axis and in tooltips', async () => {
        await createChart({ variant: 'ranges', points: mockPoints });
        const { options } = charts[0].config;
        expect(options.scales.y.ticks.callback(1500000)).toBe(formatMoney(1500000, 'USD'));
        const tooltip = options.plugins.tooltip.callbacks.label({
            raw: [950000, 1400000],
            dataset: { label: 'Band' }
        });
        expect(tooltip).toBe(
            `Band: ${formatMoney(950000, 'USD')} – ${formatMoney(1400000, 'USD')}`
        );
    });

    it('gives the canvas an accessible name', async () => {
        await createChart({ points: mockPoints, label: 'Bookings forecast by month' });
        expect(charts[0].canvas.getAttribute('role')).toBe('img');
        expect(charts[0].canvas.getAttribute('aria-label')).toBe('Bookings forecast by month');
    });

    it('redraws when the points change and cleans up when removed', async () => {
        const element = await createChart({ points: mockPoints });
        element.points = mockPoints.slice(0, 1);
        await flushPromises();
        expect(charts).toHaveLength(2);
        expect(charts[0].destroy).toHaveBeenCalled();
        expect(charts[1].config.data.labels).toEqual(['10/1/2026']);

        document.body.removeChild(element);
        expect(charts[1].destroy).toHaveBeenCalled();
    });

    it('says so when the library cannot be loaded', async () => {
        loadScript.mockRejectedValueOnce({ body: { message: 'Resource not found' }, status: 404 });
        const element = await createChart({ points: mockPoints });
        expect(element.shadowRoot.querySelector('[data-id="chart-error"]').textContent).toBe(
            'c.ASL_FC_Chart_Error Resource not found'
        );
        expect(charts).toHaveLength(0);
    });

    it('ships the Chart.js build installed from npm as its static resource', () => {
        const fs = require('fs');
        const path = require('path');
        const resource = path.resolve(__dirname, '../../../staticresources/chartjs.js');
        // chart.js exports no ./dist path, so read the installed build from the project root.
        const installed = path.resolve(
            __dirname,
            '../../../../../../node_modules/chart.js/dist/chart.umd.js'
        );
        expect(fs.readFileSync(resource, 'utf8')).toBe(fs.readFileSync(installed, 'utf8'));
        const meta = fs.readFileSync(
            path.resolve(__dirname, '../../../staticresources/chartjs.resource-meta.xml'),
            'utf8'
        );
        expect(meta).toContain('<contentType>application/javascript</contentType>');
        expect(meta).toContain('<cacheControl>Public</cacheControl>');
    });
});
