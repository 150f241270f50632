import { LightningElement, api } from 'lwc';
import { loadScript } from 'lightning/platformResourceLoader';
import CHARTJS from '@salesforce/resourceUrl/chartjs';
import { formatMoney, reduceErrors } from 'c/aslUtils';
import LABEL_BAND from '@salesforce/label/c.ASL_FC_Band';
import LABEL_P10 from '@salesforce/label/c.ASL_FC_P10';
import LABEL_P50 from '@salesforce/label/c.ASL_FC_P50';
import LABEL_P90 from '@salesforce/label/c.ASL_FC_P90';
import LABEL_CLOSED from '@salesforce/label/c.ASL_FC_Closed';
import LABEL_CHART_ERROR from '@salesforce/label/c.ASL_FC_Chart_Error';

// SLDS brand and success hues, so the chart reads like the rest of Lightning.
const BRAND = 'rgb(1, 118, 211)';
const BAND_FILL = 'rgba(1, 118, 211, 0.18)';
const BAND_EDGE = 'rgba(1, 118, 211, 0.45)';
const CLOSED = 'rgb(46, 132, 74)';

/**
 * P10/P50/P90 forecast chart drawn with Chart.js (static resource "chartjs", loaded with
 * lightning/platformResourceLoader as in lwc-recipes). Variant "periods" draws the range as a
 * band over time; variant "ranges" draws one floating bar per rep, team or product.
 */
export default class ForecastChart extends LightningElement {
    /** "periods" (band over time) or "ranges" (one P10-P90 bar per item). */
    @api variant = 'periods';
    /** ISO currency code for axis and tooltips, e.g. USD. */
    @api currencyCode = 'USD';
    /** What the chart shows, read by screen readers (the table next to it has the numbers). */
    @api label;

    /** Points to draw: [{ label, p10, p50, p90, closed }]. */
    @api
    get points() {
        return this._points;
    }
    set points(value) {
        this._points = Array.isArray(value) ? value : [];
        this.draw();
    }

    _points = [];
    chart = null;
    libraryRequested = false;
    libraryLoaded = false;
    errorMessage = null;

    renderedCallback() {
        if (this.libraryRequested) {
            return;
        }
        this.libraryRequested = true;
        loadScript(this, CHARTJS)
            .then(() => {
                this.libraryLoaded = true;
                this.draw();
            })
            .catch((error) => {
                this.errorMessage = `${LABEL_CHART_ERROR} ${reduceErrors(error).join(' ')}`;
            });
    }

    disconnectedCallback() {
        this.destroyChart();
    }

    draw() {
        const container = this.template.querySelector('div.chart');
        if (!this.libraryLoaded || !container || !window.Chart) {
            return;
        }
        this.destroyChart();
        const canvas = document.createElement('canvas');
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', this.label || '');
        container.replaceChildren(canvas);
        this.chart = new window.Chart(
            canvas,
            chartConfig(this.variant, this._points, this.currencyCode)
        );
    }

    destroyChart() {
        if (this.chart) {
            this.chart.destroy();
            this.chart = null;
        }
    }
}

/** The Chart.js configuration of a variant, with money on the axis and in tooltips. */
function chartConfig(variant, points, currencyCode) {
    const money = (value) => formatMoney(value, currencyCode);
    const labels = points.map((point) => point.label);
    const options = {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        scales: { y: { beginAtZero: true, ticks: { callback: (value) => money(value) } } },
        plugins: {
            legend: { position: 'bottom' },
            tooltip: {
                callbacks: {
                    label: (context) => {
                        const raw = context.raw;
                        const text = Array.isArray(raw)
                            ? `${money(raw[0])} – ${money(raw[1])}`
                            : money(raw);
                        return `${context.dataset.label}: ${text}`;
                    }
                }
            }
        }
    };
    if (variant === 'ranges') {
        return {
            type: 'bar',
            data: {
                labels,
                datasets: [
                    {
                        type: 'bar',
                        label: LABEL_BAND,
                        data: points.map((point) => [point.p10, point.p90]),
                        backgroundColor: BAND_FILL,
                        borderColor: BAND_EDGE,
                        borderWidth: 1
                    },
                    {
                        type: 'line',
                        label: LABEL_P50,
                        data: points.map((point) => point.p50),
                        showLine: false,
                        pointRadius: 6,
                        pointStyle: 'rectRot',
                        borderColor: BRAND,
                        backgroundColor: BRAND
                    },
                    {
                        type: 'line',
                        label: LABEL_CLOSED,
                        data: points.map((point) => point.closed),
                        showLine: false,
                        pointRadius: 5,
                        pointStyle: 'triangle',
                        borderColor: CLOSED,
                        backgroundColor: CLOSED
                    }
                ]
            },
            options
        };
    }
    return {
        type: 'line',
        data: {
            labels,
            datasets: [
                {
                    label: LABEL_P90,
                    data: points.map((point) => point.p90),
                    borderColor: BAND_EDGE,
                    backgroundColor: BAND_FILL,
                    pointRadius: 0,
                    fill: false
                },
                {
                    // Filled up to the previous dataset (P90): the P10-P90 band.
                    label: LABEL_P10,
                    data: points.map((point) => point.p10),
                    borderColor: BAND_EDGE,
                    backgroundColor: BAND_FILL,
                    pointRadius: 0,
                    fill: '-1'
                },
                {
                    label: LABEL_P50,
                    data: points.map((point) => point.p50),
                    borderColor: BRAND,
                    backgroundColor: BRAND,
                    borderWidth: 2,
                    fill: false
                },
                {
                    label: LABEL_CLOSED,
                    data: points.map((point) => point.closed),
                    borderColor: CLOSED,
                    backgroundColor: CLOSED,
                    borderDash: [6, 4],
                    fill: false
                }
            ]
        },
        options
    };
}
