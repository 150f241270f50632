import { LightningElement, api } from 'lwc';
import { formatLabel, formatNumber, formatPercent } from 'c/aslUtils';
import LABEL_TITLE from '@salesforce/label/c.ASL_CA_Test_Title';
import LABEL_METRIC from '@salesforce/label/c.ASL_CA_Metric';
import LABEL_DRAFT from '@salesforce/label/c.ASL_CA_Verdict_Draft';
import LABEL_NO_LOOK from '@salesforce/label/c.ASL_CA_Verdict_No_Look';
import LABEL_RUNNING from '@salesforce/label/c.ASL_CA_Verdict_Running';
import LABEL_DECIDED from '@salesforce/label/c.ASL_CA_Verdict_Decided';
import LABEL_DECIDED_CONTROL from '@salesforce/label/c.ASL_CA_Verdict_Decided_Control';
import LABEL_STOPPED from '@salesforce/label/c.ASL_CA_Verdict_Stopped';
import LABEL_RULE_TITLE from '@salesforce/label/c.ASL_CA_Rule_Title';
import LABEL_RULE from '@salesforce/label/c.ASL_CA_Rule';
import LABEL_RULE_PROGRESS from '@salesforce/label/c.ASL_CA_Rule_Progress';
import LABEL_OBRIEN from '@salesforce/label/c.ASL_CA_Spending_OBrien_Fleming';
import LABEL_POCOCK from '@salesforce/label/c.ASL_CA_Spending_Pocock';
import LABEL_COL_VARIANT from '@salesforce/label/c.ASL_CA_Col_Variant';
import LABEL_COL_WORKED from '@salesforce/label/c.ASL_CA_Col_Worked';
import LABEL_COL_CONVERSIONS from '@salesforce/label/c.ASL_CA_Col_Conversions';
import LABEL_COL_RATE from '@salesforce/label/c.ASL_CA_Col_Rate';
import LABEL_COL_INTERVAL from '@salesforce/label/c.ASL_CA_Col_Interval';
import LABEL_COL_COMPARISON from '@salesforce/label/c.ASL_CA_Col_Comparison';
import LABEL_COL_DIFFERENCE from '@salesforce/label/c.ASL_CA_Col_Difference';
import LABEL_COL_REPEATED from '@salesforce/label/c.ASL_CA_Col_Repeated_Interval';
import LABEL_COL_Z from '@salesforce/label/c.ASL_CA_Col_Z';
import LABEL_COL_BAR from '@salesforce/label/c.ASL_CA_Col_Bar';
import LABEL_COL_CROSSED from '@salesforce/label/c.ASL_CA_Col_Crossed';
import LABEL_VS from '@salesforce/label/c.ASL_CA_Vs';
import LABEL_CROSSED_BETTER from '@salesforce/label/c.ASL_CA_Crossed_Better';
import LABEL_CROSSED_WORSE from '@salesforce/label/c.ASL_CA_Crossed_Worse';
import LABEL_NOT_CROSSED from '@salesforce/label/c.ASL_CA_Not_Crossed';
import LABEL_CONTROL from '@salesforce/label/c.ASL_CA_Control';

/** A share (0.123) as a percent with one decimal: "12.3%". */
export function share(value) {
    return Number.isFinite(Number(value)) ? formatPercent(Number(value) * 100) : '';
}

/** An interval of shares: "3.0% to 56.4%". */
export function interval(low, high) {
    return `${share(low)} \u2013 ${share(high)}`;
}

/** A difference of shares in percentage points, signed: "+2.5 pts". */
export function points(value) {
    // Half away from zero, so that a difference and its mirror image read the same.
    const tenths = Math.round(Math.abs(Number(value)) * 1000) / 10;
    const sign = tenths === 0 ? '' : Number(value) > 0 ? '+' : '-';
    return `${sign}${tenths.toFixed(1)} pts`;
}

/**
 * One campaign test: its verdict under the stopping rule, what the rule means in plain words,
 * conversion per variant with 95% intervals, and each challenger against the control with the
 * repeated confidence interval. Everything comes from Campaign_Test__c.Result__c as the
 * engine's Campaign Results job wrote it.
 */
export default class CampaignTestResult extends LightningElement {
    /** The test: { campaignName, status, statusLabel, metric, winner, pValue, result, resultError }. */
    @api test;

    labels = {
        ruleTitle: LABEL_RULE_TITLE,
        colVariant: LABEL_COL_VARIANT,
        colWorked: LABEL_COL_WORKED,
        colConversions: LABEL_COL_CONVERSIONS,
        colRate: LABEL_COL_RATE,
        colInterval: LABEL_COL_INTERVAL,
        colComparison: LABEL_COL_COMPARISON,
        colDifference: LABEL_COL_DIFFERENCE,
        colRepeated: LABEL_COL_REPEATED,
        colZ: LABEL_COL_Z,
        colBar: LABEL_COL_BAR,
        colCrossed: LABEL_COL_CROSSED
    };

    get result() {
        return this.test ? this.test.result : null;
    }

    get title() {
        return formatLabel(LABEL_TITLE, this.test ? this.test.campaignName : '');
    }

    get metricText() {
        return formatLabel(LABEL_METRIC, this.test ? this.test.metric || '' : '');
    }

    get resultError() {
        return this.test ? this.test.resultError : '';
    }

    get verdict() {
        const test = this.test || {};
        const result = this.result;
        if (test.status === 'Draft' || !result) {
            return test.status === 'Draft' ? LABEL_DRAFT : LABEL_NO_LOOK;
        }
        if (!result.looks.length) {
            return LABEL_NO_LOOK;
        }
        const challengers = Math.max(1, result.variants.length - 1);
        const p = formatP(result.pValue);
        if (result.status === 'Decided') {
            const control = result.variants[0];
            return result.winner === control
                ? formatLabel(LABEL_DECIDED_CONTROL, control, p, challengers)
                : formatLabel(LABEL_DECIDED, result.winner, p, challengers, control);
        }
        if (result.status === 'Stopped') {
            return formatLabel(LABEL_STOPPED, p, result.plan.maxSampleSize);
        }
        return LABEL_RUNNING;
    }

    get verdictClass() {
        const status = this.result && this.result.looks.length ? this.result.status : '';
        const theme =
            status === 'Decided'
                ? 'slds-theme_success'
                : status === 'Stopped'
                  ? 'slds-theme_warning'
                  : 'slds-theme_shade';
        return `slds-box slds-box_small slds-m-vertical_small ${theme}`;
    }

    get ruleText() {
        const result = this.result;
        if (!result) {
            return '';
        }
        const plan = result.plan;
        return formatLabel(
            LABEL_RULE,
            result.variants[0],
            share(plan.alpha),
            plan.spending === 'pocock' ? LABEL_POCOCK : LABEL_OBRIEN,
            plan.maxSampleSize,
            plan.plannedLooks
        );
    }

    get progressText() {
        const result = this.result;
        if (!result || !result.looks.length) {
            return '';
        }
        const fractions = result.comparisons.map((comparison) => comparison.fraction);
        const reached = fractions.length ? Math.min(...fractions) : 0;
        const bars = result.comparisons.map((comparison) => formatNumber(comparison.boundary, 2));
        return formatLabel(
            LABEL_RULE_PROGRESS,
            result.looks.length,
            result.plan.plannedLooks,
            share(Math.min(1, reached)),
            bars.length ? bars.join(', ') : '\u2014'
        );
    }

    get hasVariants() {
        return !!(this.result && this.result.variantsNow.length);
    }

    get variantRows() {
        const control = this.result.variants[0];
        return this.result.variantsNow.map((variant) => ({
            key: variant.variant,
            name:
                variant.variant === control
                    ? formatLabel(LABEL_CONTROL, variant.variant)
                    : variant.variant,
            trials: variant.trials,
            conversions: variant.conversions,
            rate: share(variant.rate),
            interval: interval(variant.low, variant.high),
            rowClass: variant.variant === this.result.winner ? 'slds-is-selected' : ''
        }));
    }

    get hasComparisons() {
        return !!(this.result && this.result.comparisons.length);
    }

    get comparisonRows() {
        return this.result.comparisons.map((comparison) => {
            let crossed = LABEL_NOT_CROSSED;
            if (comparison.crossed) {
                crossed = formatLabel(
                    comparison.direction === 'worse' ? LABEL_CROSSED_WORSE : LABEL_CROSSED_BETTER,
                    comparison.crossedAtLook
                );
            }
            return {
                key: comparison.variant,
                name: formatLabel(LABEL_VS, comparison.variant, comparison.control),
                difference: points(comparison.difference),
                repeated: `${points(comparison.differenceLow)} \u2013 ${points(comparison.differenceHigh)}`,
                z: formatNumber(Math.abs(comparison.z), 2),
                bar: formatNumber(comparison.boundary, 2),
                crossed
            };
        });
    }
}

/** A p-value with its relation, "= 0.012" or "< 0.001" (more digits suggest a precision the test lacks). */
function formatP(value) {
    if (value === null || value === undefined || !Number.isFinite(Number(value))) {
        return '= \u2014';
    }
    return Number(value) < 0.001 ? '< 0.001' : `= ${Number(value).toFixed(3)}`;
}
