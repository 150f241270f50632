import { LightningElement, api } from 'lwc';
import { formatLabel, formatNumber } from 'c/aslUtils';
import LABEL_HEADING from '@salesforce/label/c.ASL_DC_Standings';
import LABEL_COL_ORDER from '@salesforce/label/c.ASL_DC_Col_Order';
import LABEL_COL_AE from '@salesforce/label/c.ASL_DC_Col_AE';
import LABEL_COL_BOOKED from '@salesforce/label/c.ASL_DC_Col_Booked';
import LABEL_COL_TARGET from '@salesforce/label/c.ASL_DC_Col_Target';
import LABEL_COL_ATTAINMENT from '@salesforce/label/c.ASL_DC_Col_Attainment';
import LABEL_WHY_FIRST from '@salesforce/label/c.ASL_DC_Why_First';
import LABEL_WHY_FIRST_MEAN from '@salesforce/label/c.ASL_DC_Why_First_Mean';
import LABEL_TIED from '@salesforce/label/c.ASL_DC_Tied';
import LABEL_MEAN_TARGET from '@salesforce/label/c.ASL_DC_Mean_Target';
import LABEL_PERIOD from '@salesforce/label/c.ASL_DC_Period';

/**
 * Why the first slot goes to whom: the AEs in the engine's need order (lowest attainment of
 * the demo target first), with the demos each has this period, the target and the attainment
 * that ordered them. The figures are the engine's (its answer's standings), not recomputed.
 */
export default class DemoStandings extends LightningElement {
    /** The AEs in need order: { userId, name, order, booked, target, effectiveTarget, attainment }. */
    @api standings = [];
    /** The seed that ordered equal attainments (ties), for replaying the ranking. */
    @api seed = '';
    /** Start of the period the demos are counted in (ISO date-time). */
    @api periodStart;
    /** End of that period, exclusive (ISO date-time). */
    @api periodEnd;

    labels = {
        heading: LABEL_HEADING,
        colOrder: LABEL_COL_ORDER,
        colAe: LABEL_COL_AE,
        colBooked: LABEL_COL_BOOKED,
        colTarget: LABEL_COL_TARGET,
        colAttainment: LABEL_COL_ATTAINMENT
    };

    get hasStandings() {
        return Array.isArray(this.standings) && this.standings.length > 0;
    }

    get rows() {
        return (this.standings || []).map((row) => ({
            ...row,
            targetText:
                row.target === null || row.target === undefined
                    ? formatLabel(LABEL_MEAN_TARGET, formatNumber(row.effectiveTarget, 1))
                    : formatNumber(row.target, 1),
            attainmentText: `${formatNumber(row.attainment * 100, 0)}%`
        }));
    }

    /** One sentence: who is first and why, and whether a seeded draw broke a tie. */
    get whyFirst() {
        const [first, ...rest] = this.standings || [];
        if (!first) {
            return '';
        }
        const own = first.target !== null && first.target !== undefined;
        const sentence = formatLabel(
            own ? LABEL_WHY_FIRST : LABEL_WHY_FIRST_MEAN,
            first.name,
            first.booked,
            formatNumber(first.effectiveTarget, 1),
            `${formatNumber(first.attainment * 100, 0)}%`
        );
        const tied = rest.filter((row) => row.attainment === first.attainment).length;
        return tied > 0 ? `${sentence} ${formatLabel(LABEL_TIED, tied, this.seed)}` : sentence;
    }

    get periodText() {
        if (!this.periodStart || !this.periodEnd) {
            return '';
        }
        const day = (iso) => String(iso).slice(0, 10);
        // The period end is exclusive: show the last day counted.
        const last = new Date(Date.parse(this.periodEnd) - 1).toISOString();
        return formatLabel(LABEL_PERIOD, day(this.periodStart), day(last));
    }
}
