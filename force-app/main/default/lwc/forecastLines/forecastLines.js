import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { connectionNodes, fieldValue, formatLabel, formatMoney, reduceErrors } from 'c/aslUtils';
import LABEL_DIMENSION from '@salesforce/label/c.ASL_FC_Dimension';
import LABEL_REP from '@salesforce/label/c.ASL_FC_Dim_Rep';
import LABEL_TEAM from '@salesforce/label/c.ASL_FC_Dim_Team';
import LABEL_PRODUCT from '@salesforce/label/c.ASL_FC_Dim_Product';
import LABEL_TOTAL from '@salesforce/label/c.ASL_FC_Dim_Total';
import LABEL_EMPTY from '@salesforce/label/c.ASL_FC_Lines_Empty';
import LABEL_LINES_TITLE from '@salesforce/label/c.ASL_FC_Lines_Title';
import LABEL_CHART_LINES from '@salesforce/label/c.ASL_FC_Chart_Lines';
import LABEL_COL_NAME from '@salesforce/label/c.ASL_FC_Col_Name';
import LABEL_COL_P10 from '@salesforce/label/c.ASL_FC_P10';
import LABEL_COL_P50 from '@salesforce/label/c.ASL_FC_P50';
import LABEL_COL_P90 from '@salesforce/label/c.ASL_FC_P90';
import LABEL_COL_EXPECTED from '@salesforce/label/c.ASL_FC_Col_Expected';
import LABEL_COL_CLOSED from '@salesforce/label/c.ASL_FC_Closed';

const LINES_QUERY = gql`
    query forecastLines($forecastId: ID, $dimension: Picklist, $pageSize: Int) {
        uiapi {
            query {
                Forecast_Line__c(
                    where: {
                        and: [
                            { Forecast__c: { eq: $forecastId } }
                            { Dimension__c: { eq: $dimension } }
                        ]
                    }
                    orderBy: { P50__c: { order: DESC } }
                    first: $pageSize
                ) {
                    edges {
                        node {
                            Id
                            Dimension_Value__c {
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

const DIMENSIONS = ['Rep', 'Team', 'Product', 'Total'];

/** The lines of one forecast by rep, team, product or total: a range chart and a table. */
export default class ForecastLines extends LightningElement {
    /** Id of the Forecast__c whose lines to show. */
    @api forecastId;
    /** Period the forecast covers, as shown to the user (for titles). */
    @api periodLabel;
    /** ISO currency code for the amounts, e.g. USD. */
    @api currencyCode = 'USD';
    /** Most lines read (largest P50 first). */
    @api pageSize = 200;

    /** Dimension shown first: Rep, Team, Product or Total. */
    @api
    get dimension() {
        return this.selectedDimension;
    }
    set dimension(value) {
        this.selectedDimension = DIMENSIONS.includes(value) ? value : 'Rep';
    }

    selectedDimension = 'Rep';
    lines = [];
    loaded = false;
    loadError = null;

    labels = {
        dimension: LABEL_DIMENSION,
        empty: LABEL_EMPTY,
        colName: LABEL_COL_NAME,
        colP10: LABEL_COL_P10,
        colP50: LABEL_COL_P50,
        colP90: LABEL_COL_P90,
        colExpected: LABEL_COL_EXPECTED,
        colClosed: LABEL_COL_CLOSED
    };
    dimensionOptions = [
        { label: LABEL_REP, value: 'Rep' },
        { label: LABEL_TEAM, value: 'Team' },
        { label: LABEL_PRODUCT, value: 'Product' },
        { label: LABEL_TOTAL, value: 'Total' }
    ];

    get variables() {
        return this.forecastId
            ? {
                  forecastId: this.forecastId,
                  dimension: this.selectedDimension,
                  pageSize: Math.min(2000, Math.max(1, Number(this.pageSize) || 200))
              }
            : undefined;
    }

    @wire(graphql, { query: LINES_QUERY, variables: '$variables' })
    wiredLines({ data, errors }) {
        if (errors) {
            this.loadError = reduceErrors(errors).join(' ');
            this.lines = [];
            this.loaded = true;
        } else if (data) {
            this.loadError = null;
            this.lines = connectionNodes(data.uiapi.query.Forecast_Line__c).map((node) => ({
                id: node.Id,
                label: fieldValue(node, 'Dimension_Value__c') || '',
                expected: fieldValue(node, 'Expected__c'),
                p10: fieldValue(node, 'P10__c'),
                p50: fieldValue(node, 'P50__c'),
                p90: fieldValue(node, 'P90__c'),
                closed: fieldValue(node, 'Closed_To_Date__c')
            }));
            this.loaded = true;
        }
    }

    get isLoading() {
        return !this.loaded;
    }

    get hasLines() {
        return this.lines.length > 0;
    }

    get isEmpty() {
        return this.loaded && !this.loadError && this.lines.length === 0;
    }

    get title() {
        return formatLabel(LABEL_LINES_TITLE, this.dimensionLabel, this.periodLabel || '');
    }

    get chartLabel() {
        return formatLabel(LABEL_CHART_LINES, this.dimensionLabel, this.periodLabel || '');
    }

    get dimensionLabel() {
        const option = this.dimensionOptions.find(
            (candidate) => candidate.value === this.selectedDimension
        );
        return option ? option.label : this.selectedDimension;
    }

    get rows() {
        const money = (value) => formatMoney(value, this.currencyCode);
        return this.lines.map((line) => ({
            id: line.id,
            label: line.label,
            p10: money(line.p10),
            p50: money(line.p50),
            p90: money(line.p90),
            expected: money(line.expected),
            closed: money(line.closed)
        }));
    }

    handleDimensionChange(event) {
        if (event.detail.value === this.selectedDimension) {
            return;
        }
        this.selectedDimension = event.detail.value;
        this.loaded = false;
    }
}
