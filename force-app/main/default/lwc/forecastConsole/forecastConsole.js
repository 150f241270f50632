import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import {
    connectionNodes,
    createRefresher,
    fieldDisplay,
    fieldValue,
    formatLabel,
    formatMoney,
    formatPercent,
    listenToSignals,
    onSignalKinds,
    reduceErrors
} from 'c/aslUtils';
import LABEL_TITLE from '@salesforce/label/c.ASL_FC_Title';
import LABEL_REFRESH from '@salesforce/label/c.ASL_Common_Refresh';
import LABEL_PERIOD_TYPE from '@salesforce/label/c.ASL_FC_Period_Type';
import LABEL_MONTH from '@salesforce/label/c.ASL_FC_Month';
import LABEL_QUARTER from '@salesforce/label/c.ASL_FC_Quarter';
import LABEL_YEAR from '@salesforce/label/c.ASL_FC_Year';
import LABEL_EMPTY from '@salesforce/label/c.ASL_FC_Empty';
import LABEL_CHART_PERIODS from '@salesforce/label/c.ASL_FC_Chart_Periods';
import LABEL_P10 from '@salesforce/label/c.ASL_FC_P10';
import LABEL_P50 from '@salesforce/label/c.ASL_FC_P50';
import LABEL_P90 from '@salesforce/label/c.ASL_FC_P90';
import LABEL_EXPECTED from '@salesforce/label/c.ASL_FC_Col_Expected';
import LABEL_CLOSED from '@salesforce/label/c.ASL_FC_Closed';
import LABEL_PERIOD from '@salesforce/label/c.ASL_FC_Col_Period';
import LABEL_WAPE from '@salesforce/label/c.ASL_FC_Wape';
import LABEL_COVERAGE from '@salesforce/label/c.ASL_FC_Coverage';
import LABEL_ACCURACY from '@salesforce/label/c.ASL_FC_Accuracy';
import LABEL_ACCURACY_HELP from '@salesforce/label/c.ASL_FC_Accuracy_Help';
import LABEL_NO_BACKTEST from '@salesforce/label/c.ASL_FC_No_Backtest';
import LABEL_METHOD from '@salesforce/label/c.ASL_FC_Method';
import LABEL_AS_OF from '@salesforce/label/c.ASL_FC_As_Of';
import LABEL_SHOW_LINES from '@salesforce/label/c.ASL_FC_Show_Lines';
import LABEL_SELECTED from '@salesforce/label/c.ASL_FC_Selected';

const FORECASTS_QUERY = gql`
    query forecastPeriods($periodType: Picklist, $pageSize: Int) {
        uiapi {
            query {
                Forecast__c(
                    where: { Period_Type__c: { eq: $periodType } }
                    orderBy: { Generated_At__c: { order: DESC } }
                    first: $pageSize
                ) {
                    edges {
                        node {
                            Id
                            Period_Type__c {
                                value
                            }
                            Period_Start__c {
                                value
                                displayValue
                            }
                            As_Of__c {
                                value
                                displayValue
                            }
                            Method__c {
                                value
                            }
                            Generated_At__c {
                                value
                                displayValue
                            }
                            Backtest_WAPE__c {
                                value
                            }
                            Backtest_Coverage__c {
                                value
                            }
                            Expected__c {
                                value
                            }
                            P10__c {
                                value
                            }
                            P50__c {
                                value
                            }
                            P90__c {
                                value
                            }
                            Closed_To_Date__c {
                                value
                            }
                        }
                    }
                }
            }
        }
    }
`;

const PERIOD_TYPES = ['Month', 'Quarter', 'Year'];
const DIMENSIONS = ['Rep', 'Team', 'Product', 'Total'];
const REFRESH_SIGNALS = new Set(['JOB_RUN', 'FORECAST']);
/** Forecast__c rows read per period type: several runs per period, the newest wins. */
const FORECASTS_READ = 500;

/**
 * Forecast console for managers: bookings by month, quarter or year as P10/P50/P90 bands,
 * with each forecast's method and backtest accuracy, and its lines by rep, team and product.
 */
export default class ForecastConsole extends LightningElement {
    /** Period type shown first: Month, Quarter or Year. */
    @api periodType = 'Month';
    /** How many periods the chart and table show (the latest ones). */
    @api periodsShown = 12;
    /** Dimension of the lines shown first: Rep, Team, Product or Total. */
    @api defaultDimension = 'Rep';
    /** ISO currency code of the amounts, e.g. USD (the org's corporate currency). */
    @api currencyCode = 'USD';

    labels = {
        title: LABEL_TITLE,
        refresh: LABEL_REFRESH,
        periodType: LABEL_PERIOD_TYPE,
        empty: LABEL_EMPTY,
        p10: LABEL_P10,
        p50: LABEL_P50,
        p90: LABEL_P90,
        expected: LABEL_EXPECTED,
        closed: LABEL_CLOSED,
        period: LABEL_PERIOD,
        wape: LABEL_WAPE,
        coverage: LABEL_COVERAGE,
        accuracy: LABEL_ACCURACY,
        accuracyHelp: LABEL_ACCURACY_HELP,
        method: LABEL_METHOD,
        asOf: LABEL_AS_OF
    };
    periodOptions = [
        { label: LABEL_MONTH, value: 'Month' },
        { label: LABEL_QUARTER, value: 'Quarter' },
        { label: LABEL_YEAR, value: 'Year' }
    ];

    /** The period type the user picked; until then the design attribute's. */
    pickedType = null;
    forecasts = [];
    selectedId = null;
    loaded = false;
    loadError = null;
    refreshForecasts = null;
    signals = null;

    requestRefresh = createRefresher(() => this.refreshNow());

    get selectedType() {
        if (this.pickedType) {
            return this.pickedType;
        }
        return PERIOD_TYPES.includes(this.periodType) ? this.periodType : 'Month';
    }

    get variables() {
        return { periodType: this.selectedType, pageSize: FORECASTS_READ };
    }

    @wire(graphql, { query: FORECASTS_QUERY, variables: '$variables' })
    wiredForecasts(result) {
        this.refreshForecasts = typeof result.refresh === 'function' ? result.refresh : null;
        const { data, errors } = result;
        if (errors) {
            this.loadError = reduceErrors(errors).join(' ');
            this.loaded = true;
        } else if (data) {
            this.loadError = null;
            this.forecasts = latestPerPeriod(connectionNodes(data.uiapi.query.Forecast__c)).slice(
                -Math.max(1, Number(this.periodsShown) || 12)
            );
            if (!this.forecasts.some((forecast) => forecast.id === this.selectedId)) {
                this.selectedId = currentPeriod(this.forecasts);
            }
            this.loaded = true;
        }
    }

    connectedCallback() {
        this.signals = listenToSignals(onSignalKinds(REFRESH_SIGNALS, () => this.requestRefresh()));
    }

    disconnectedCallback() {
        this.signals.stop();
    }

    get isLoading() {
        return !this.loaded;
    }

    get isEmpty() {
        return this.loaded && !this.loadError && this.forecasts.length === 0;
    }

    get hasForecasts() {
        return this.forecasts.length > 0;
    }

    get lineDimension() {
        return DIMENSIONS.includes(this.defaultDimension) ? this.defaultDimension : 'Rep';
    }

    get chartPoints() {
        return this.forecasts.map((forecast) => ({
            label: forecast.periodLabel,
            p10: forecast.p10,
            p50: forecast.p50,
            p90: forecast.p90,
            closed: forecast.closed
        }));
    }

    get chartLabel() {
        const type = this.periodOptions.find((option) => option.value === this.selectedType);
        return formatLabel(LABEL_CHART_PERIODS, type ? type.label : this.selectedType);
    }

    get rows() {
        const money = (value) => formatMoney(value, this.currencyCode);
        return this.forecasts.map((forecast) => {
            const selected = forecast.id === this.selectedId;
            return {
                id: forecast.id,
                period: forecast.periodLabel,
                p10: money(forecast.p10),
                p50: money(forecast.p50),
                p90: money(forecast.p90),
                expected: money(forecast.expected),
                closed: money(forecast.closed),
                wape: formatPercent(forecast.wape),
                coverage: formatPercent(forecast.coverage),
                pressed: selected ? 'true' : 'false',
                rowClass: selected ? 'slds-is-selected' : '',
                buttonLabel: formatLabel(LABEL_SHOW_LINES, forecast.periodLabel)
            };
        });
    }

    get selected() {
        const forecast = this.forecasts.find((candidate) => candidate.id === this.selectedId);
        if (!forecast) {
            return null;
        }
        const money = (value) => formatMoney(value, this.currencyCode);
        const hasBacktest = forecast.wape !== null || forecast.coverage !== null;
        return {
            id: forecast.id,
            title: formatLabel(LABEL_SELECTED, forecast.periodLabel),
            periodLabel: forecast.periodLabel,
            p10: money(forecast.p10),
            p50: money(forecast.p50),
            p90: money(forecast.p90),
            expected: money(forecast.expected),
            closed: money(forecast.closed),
            method: forecast.method || '',
            asOf: forecast.asOfLabel || '',
            hasBacktest,
            wape: formatPercent(forecast.wape),
            coverage: formatPercent(forecast.coverage),
            noBacktest: LABEL_NO_BACKTEST
        };
    }

    handlePeriodTypeChange(event) {
        if (event.detail.value === this.selectedType) {
            return;
        }
        this.pickedType = event.detail.value;
        this.loaded = false;
        this.selectedId = null;
    }

    handleSelect(event) {
        this.selectedId = event.currentTarget.dataset.forecastId;
    }

    handleRefresh() {
        this.requestRefresh();
    }

    async refreshNow() {
        if (!this.refreshForecasts) {
            return;
        }
        try {
            await this.refreshForecasts();
        } catch (error) {
            this.loadError = reduceErrors(error).join(' ');
        }
    }
}

/** Keeps the newest forecast of each period (rows arrive newest first) in period order. */
function latestPerPeriod(nodes) {
    const byPeriod = new Map();
    for (const node of nodes) {
        const start = fieldValue(node, 'Period_Start__c');
        if (start && !byPeriod.has(start)) {
            byPeriod.set(start, {
                id: node.Id,
                start,
                periodLabel: fieldDisplay(node, 'Period_Start__c') || start,
                asOfLabel: fieldDisplay(node, 'As_Of__c'),
                method: fieldValue(node, 'Method__c'),
                wape: fieldValue(node, 'Backtest_WAPE__c'),
                coverage: fieldValue(node, 'Backtest_Coverage__c'),
                expected: fieldValue(node, 'Expected__c'),
                p10: fieldValue(node, 'P10__c'),
                p50: fieldValue(node, 'P50__c'),
                p90: fieldValue(node, 'P90__c'),
                closed: fieldValue(node, 'Closed_To_Date__c')
            });
        }
    }
    return [...byPeriod.values()].sort((a, b) => a.start.localeCompare(b.start));
}

/** The period under way today (the last one started), else the first one. */
function currentPeriod(forecasts) {
    const today = new Date().toISOString().slice(0, 10);
    const started = forecasts.filter((forecast) => forecast.start <= today);
    const pick = started.length ? started[started.length - 1] : forecasts[0];
    return pick ? pick.id : null;
}
