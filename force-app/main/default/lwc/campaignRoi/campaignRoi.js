import { LightningElement, api } from 'lwc';
import { formatMoney, formatNumber, formatPercent } from 'c/aslUtils';
import LABEL_TITLE from '@salesforce/label/c.ASL_CA_Roi_Title';
import LABEL_HINT from '@salesforce/label/c.ASL_CA_Roi_Hint';
import LABEL_EMPTY from '@salesforce/label/c.ASL_CA_Roi_Empty';
import LABEL_COL_SOURCE from '@salesforce/label/c.ASL_CA_Col_Source';
import LABEL_COL_LEADS from '@salesforce/label/c.ASL_CA_Col_Leads';
import LABEL_COL_MEETINGS from '@salesforce/label/c.ASL_CA_Col_Meetings';
import LABEL_COL_WINS from '@salesforce/label/c.ASL_CA_Col_Wins';
import LABEL_COL_WIN_RATE from '@salesforce/label/c.ASL_CA_Col_Win_Rate';
import LABEL_COL_REVENUE from '@salesforce/label/c.ASL_CA_Col_Revenue';
import LABEL_COL_COST from '@salesforce/label/c.ASL_CA_Col_Cost';
import LABEL_COL_COST_PER_WIN from '@salesforce/label/c.ASL_CA_Col_Cost_Per_Win';
import LABEL_COL_ROI from '@salesforce/label/c.ASL_CA_Col_Roi';
import LABEL_COL_NOTE from '@salesforce/label/c.ASL_CA_Col_Note';
import LABEL_COL_DAYS_TO_WIN from '@salesforce/label/c.ASL_CA_Col_Days_To_Win';

const share = (value) => formatPercent(Number(value) * 100);
/** ROI as a multiple of the spend returned: 1.5 -> "150%". */
const roiText = (value) => (value === null || value === undefined ? '' : share(value));

/**
 * ROI by lead source, from first touch (Lead.LeadSource) to closed-won revenue, on the spend
 * the marketer gave: leads, meetings, wins, win rate with its interval, revenue, cost, cost
 * per win, ROI with a bootstrap 95% interval and the median days from first touch to the win. A source without spend has no ROI, and says so.
 */
export default class CampaignRoi extends LightningElement {
    /** SourceRoi rows of a Campaign Reports result. */
    @api rows;
    /** ISO code of the org's corporate currency. */
    @api currencyCode = 'USD';

    labels = {
        title: LABEL_TITLE,
        hint: LABEL_HINT,
        empty: LABEL_EMPTY,
        colSource: LABEL_COL_SOURCE,
        colLeads: LABEL_COL_LEADS,
        colMeetings: LABEL_COL_MEETINGS,
        colWins: LABEL_COL_WINS,
        colWinRate: LABEL_COL_WIN_RATE,
        colRevenue: LABEL_COL_REVENUE,
        colCost: LABEL_COL_COST,
        colCostPerWin: LABEL_COL_COST_PER_WIN,
        colRoi: LABEL_COL_ROI,
        colNote: LABEL_COL_NOTE,
        colDaysToWin: LABEL_COL_DAYS_TO_WIN
    };

    get hasRows() {
        return Array.isArray(this.rows) && this.rows.length > 0;
    }

    get tableRows() {
        const money = (value) => formatMoney(value, this.currencyCode);
        return this.rows.map((row) => ({
            key: row.source,
            source: row.source,
            leads: row.leads,
            meetings: row.meetings,
            wins: row.wins,
            winRate: `${share(row.winRate.rate)} (${share(row.winRate.low)} \u2013 ${share(row.winRate.high)})`,
            revenue: money(row.revenue),
            cost: money(row.cost),
            costPerWin: money(row.costPerWin),
            roi:
                row.roi === null
                    ? ''
                    : `${roiText(row.roi)} (${roiText(row.roiLow)} \u2013 ${roiText(row.roiHigh)})`,
            daysToWin: formatNumber(row.medianDaysToWin, 0),
            note: row.note || ''
        }));
    }
}
