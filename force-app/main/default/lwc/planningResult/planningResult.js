import { LightningElement, api } from 'lwc';
import { formatLabel, formatMoney, formatNumber, formatPercent } from 'c/aslUtils';
import LABEL_ASKED from '@salesforce/label/c.ASL_PL_Asked';
import LABEL_COMPUTED from '@salesforce/label/c.ASL_PL_Computed';
import LABEL_LEADS_PER_DAY from '@salesforce/label/c.ASL_PL_Leads_Per_Day';
import LABEL_RANGE from '@salesforce/label/c.ASL_PL_Range';
import LABEL_FIRST_LEAD from '@salesforce/label/c.ASL_PL_First_Lead';
import LABEL_LEAD_TIME from '@salesforce/label/c.ASL_PL_Lead_Time';
import LABEL_WINS from '@salesforce/label/c.ASL_PL_Wins';
import LABEL_MEETINGS_WEEK from '@salesforce/label/c.ASL_PL_Meetings_Week';
import LABEL_LEADS_TOTAL from '@salesforce/label/c.ASL_PL_Leads_Total';
import LABEL_DEAL from '@salesforce/label/c.ASL_PL_Deal';
import LABEL_FUNNEL from '@salesforce/label/c.ASL_PL_Funnel';
import LABEL_COL_STATION from '@salesforce/label/c.ASL_PL_Col_Station';
import LABEL_COL_CONVERSION from '@salesforce/label/c.ASL_PL_Col_Conversion';
import LABEL_COL_MEASURED from '@salesforce/label/c.ASL_PL_Col_Measured';
import LABEL_COL_DAYS from '@salesforce/label/c.ASL_PL_Col_Days';
import LABEL_COL_ENTERING from '@salesforce/label/c.ASL_PL_Col_Entering';
import LABEL_INPUTS from '@salesforce/label/c.ASL_PL_Inputs';
import LABEL_FROM_ORG from '@salesforce/label/c.ASL_PL_From_Org';
import LABEL_FROM_SCOPE from '@salesforce/label/c.ASL_PL_From_Scope';
import LABEL_FROM_DEFAULT from '@salesforce/label/c.ASL_PL_From_Default';

const SOURCE_TEXT = { org: LABEL_FROM_ORG, scope: LABEL_FROM_SCOPE, default: LABEL_FROM_DEFAULT };
const share = (value) => formatPercent(Number(value) * 100);
const whole = (value) => Math.round(Number(value)).toLocaleString('en-US');

/** The input named by a dotted path of the plan input ("sdr.handlingMinutes"). */
function inputAt(input, path) {
    const [head, tail] = path.split('.');
    const key = head === 'inboundSdr' ? 'inbound' : head;
    const value = tail ? (input[key] || {})[tail] : input[key];
    if (Array.isArray(value)) {
        return head === 'stages'
            ? value.map((stage) => stage.name).join(', ')
            : value.map((item) => formatNumber(item, 2)).join(', ');
    }
    return value === undefined || value === null ? '' : formatNumber(value, 2);
}

/**
 * A capacity plan as the engine computed it: what was asked and when it was computed, leads per
 * day with the range from the measured conversions, when leads must start arriving, the funnel
 * counted back from the wins, the heads per role (c-planning-heads) and where each input came from.
 */
export default class PlanningResult extends LightningElement {
    /** The CapacityPlanResult JSON of the latest Capacity Plan run. */
    @api result;
    /** When the run finished, as the org formats it. */
    @api computedAt;
    /** ISO code of the org's corporate currency. */
    @api currencyCode = 'USD';

    labels = {
        leadsPerDay: LABEL_LEADS_PER_DAY,
        firstLead: LABEL_FIRST_LEAD,
        leadTime: LABEL_LEAD_TIME,
        wins: LABEL_WINS,
        meetingsWeek: LABEL_MEETINGS_WEEK,
        leadsTotal: LABEL_LEADS_TOTAL,
        deal: LABEL_DEAL,
        funnel: LABEL_FUNNEL,
        colStation: LABEL_COL_STATION,
        colConversion: LABEL_COL_CONVERSION,
        colMeasured: LABEL_COL_MEASURED,
        colDays: LABEL_COL_DAYS,
        colEntering: LABEL_COL_ENTERING,
        inputs: LABEL_INPUTS
    };

    get plan() {
        return this.result.plan;
    }

    get askedText() {
        const target = this.result.target;
        return formatLabel(
            LABEL_ASKED,
            formatMoney(target.targetBookings, this.currencyCode),
            target.periodDays,
            target.periodStart || '\u2014'
        );
    }

    get computedText() {
        const window = this.result.measuredWindow || {};
        return formatLabel(
            LABEL_COMPUTED,
            this.computedAt || this.result.computedAt,
            String(window.start || '').slice(0, 10),
            String(window.end || '').slice(0, 10)
        );
    }

    get leadsPerDay() {
        return formatNumber(this.plan.leadsPerDay, 1);
    }

    get rangeText() {
        const range = this.plan.leadsPerDayRange;
        return range
            ? formatLabel(LABEL_RANGE, formatNumber(range.p10, 1), formatNumber(range.p90, 1))
            : '';
    }

    get firstLeadDate() {
        return this.plan.firstLeadDate || '\u2014';
    }

    get leadTimeDays() {
        return formatNumber(this.plan.leadTimeDays, 1);
    }

    get winsNeeded() {
        return formatNumber(this.plan.winsNeeded, 1);
    }

    get meetingsPerWeek() {
        return formatNumber(this.plan.meetingsPerWeek, 1);
    }

    get leadsNeeded() {
        return whole(this.plan.leadsNeeded);
    }

    get averageDeal() {
        return formatMoney(this.result.input.averageDealSize, this.currencyCode);
    }

    get funnelRows() {
        const stages = this.result.input.stages || [];
        return this.plan.funnel.map((stage, index) => {
            const conversion = stages[index] ? stages[index].conversion : null;
            return {
                key: `${index}:${stage.name}`,
                name: stage.name,
                conversion: share(stage.conversion),
                measured:
                    conversion && typeof conversion === 'object'
                        ? `${conversion.converted} / ${conversion.entered}`
                        : '',
                days: formatNumber(stage.cycleDays, 1),
                entering: whole(stage.entering)
            };
        });
    }

    get sourceRows() {
        const sources = this.result.sources || {};
        return Object.keys(sources).map((path) => ({
            key: path,
            path,
            value: inputAt(this.result.input, path),
            source: SOURCE_TEXT[sources[path]] || sources[path]
        }));
    }
}
