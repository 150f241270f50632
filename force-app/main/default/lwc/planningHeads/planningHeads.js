import { LightningElement, api } from 'lwc';
import { formatLabel, formatMoney, formatNumber, formatPercent } from 'c/aslUtils';
import LABEL_TITLE from '@salesforce/label/c.ASL_PL_Heads_Title';
import LABEL_MARGIN from '@salesforce/label/c.ASL_PL_Margin';
import LABEL_COL_ROLE from '@salesforce/label/c.ASL_PL_Col_Role';
import LABEL_COL_NEED from '@salesforce/label/c.ASL_PL_Col_Need';
import LABEL_COL_HEADS from '@salesforce/label/c.ASL_PL_Col_Heads';
import LABEL_COL_TODAY from '@salesforce/label/c.ASL_PL_Col_Today';
import LABEL_COL_CHANGE from '@salesforce/label/c.ASL_PL_Col_Change';
import LABEL_COL_UTILIZATION from '@salesforce/label/c.ASL_PL_Col_Utilization';
import LABEL_COL_PAYROLL from '@salesforce/label/c.ASL_PL_Col_Payroll';
import LABEL_COL_BASIS from '@salesforce/label/c.ASL_PL_Col_Basis';
import LABEL_ROLE_CLOSER from '@salesforce/label/c.ASL_PL_Role_Closer';
import LABEL_ROLE_COORDINATOR from '@salesforce/label/c.ASL_PL_Role_Coordinator';
import LABEL_ROLE_ENGINEER from '@salesforce/label/c.ASL_PL_Role_Engineer';
import LABEL_ROLE_SDR from '@salesforce/label/c.ASL_PL_Role_Sdr';
import LABEL_ROLE_INBOUND from '@salesforce/label/c.ASL_PL_Role_Inbound';
import LABEL_BOTTLENECK from '@salesforce/label/c.ASL_PL_Bottleneck';
import LABEL_BOTTLENECK_TODAY from '@salesforce/label/c.ASL_PL_Bottleneck_Today';
import LABEL_PAYROLL from '@salesforce/label/c.ASL_PL_Payroll';
import LABEL_INBOUND_TITLE from '@salesforce/label/c.ASL_PL_Inbound_Title';
import LABEL_INBOUND_SUMMARY from '@salesforce/label/c.ASL_PL_Inbound_Summary';
import LABEL_COL_ARRIVALS from '@salesforce/label/c.ASL_PL_Col_Arrivals';
import LABEL_COL_AGENTS from '@salesforce/label/c.ASL_PL_Col_Agents';
import LABEL_COL_WITHIN from '@salesforce/label/c.ASL_PL_Col_Within';
import LABEL_COL_WAIT from '@salesforce/label/c.ASL_PL_Col_Wait';
import LABEL_COL_OCCUPANCY from '@salesforce/label/c.ASL_PL_Col_Occupancy';
import LABEL_HOUR_UTC from '@salesforce/label/c.ASL_PL_Hour_Utc';
import LABEL_HOUR_OF_SHIFT from '@salesforce/label/c.ASL_PL_Hour_Of_Shift';

/** Plan roles in the engine's words (core/planning PLAN_ROLES) and in the user's. */
export const ROLE_LABELS = {
    closer: LABEL_ROLE_CLOSER,
    coordinator: LABEL_ROLE_COORDINATOR,
    engineer: LABEL_ROLE_ENGINEER,
    sdr: LABEL_ROLE_SDR,
    inboundSdr: LABEL_ROLE_INBOUND
};

const share = (value) => formatPercent(Number(value) * 100);
const signed = (value) => (value > 0 ? `+${value}` : String(value));

/**
 * Heads per role of a capacity plan: what the demand needs, the recommended heads (closers at
 * their standard, support sized for the closers' full capacity under the utilization cap),
 * today's heads, the change and its payroll cost, which role limits the line with the
 * recommended and with today's heads, and the inbound SDRs per hour by Erlang C.
 */
export default class PlanningHeads extends LightningElement {
    /** The PlanResult of the plan (roles, bottleneck, payroll, inbound). */
    @api plan;
    /** First hour of the inbound shift in UTC when measured in the org; hours of the shift otherwise. */
    @api inboundStartHour;
    /** ISO code of the org's corporate currency. */
    @api currencyCode = 'USD';

    labels = {
        title: LABEL_TITLE,
        colRole: LABEL_COL_ROLE,
        colNeed: LABEL_COL_NEED,
        colHeads: LABEL_COL_HEADS,
        colToday: LABEL_COL_TODAY,
        colChange: LABEL_COL_CHANGE,
        colUtilization: LABEL_COL_UTILIZATION,
        colPayroll: LABEL_COL_PAYROLL,
        colBasis: LABEL_COL_BASIS,
        inboundTitle: LABEL_INBOUND_TITLE,
        colArrivals: LABEL_COL_ARRIVALS,
        colAgents: LABEL_COL_AGENTS,
        colWithin: LABEL_COL_WITHIN,
        colWait: LABEL_COL_WAIT,
        colOccupancy: LABEL_COL_OCCUPANCY
    };

    get marginText() {
        return formatLabel(LABEL_MARGIN, share(this.plan.utilizationCap));
    }

    get roleRows() {
        const money = (value) => formatMoney(value, this.currencyCode);
        return this.plan.roles.map((role) => ({
            key: role.role,
            role: role.role,
            name: ROLE_LABELS[role.role] || role.role,
            need: formatNumber(role.exactHeads, 1),
            heads: role.heads,
            today: role.currentHeads,
            change: signed(role.deltaHeads),
            utilization: share(role.utilization),
            payroll: money(role.payrollDeltaAnnual),
            basis: role.basis,
            rowClass: role.role === this.plan.bottleneck ? 'slds-is-selected' : ''
        }));
    }

    get bottleneckText() {
        return formatLabel(
            LABEL_BOTTLENECK,
            ROLE_LABELS[this.plan.bottleneck] || this.plan.bottleneck
        );
    }

    get bottleneckTodayText() {
        const plan = this.plan;
        if (!plan.currentBottleneck) {
            return '';
        }
        return formatLabel(
            LABEL_BOTTLENECK_TODAY,
            ROLE_LABELS[plan.currentBottleneck] || plan.currentBottleneck,
            formatNumber(plan.currentMeetingCapacity, 1),
            formatNumber(plan.meetingsPerWeek, 1)
        );
    }

    get payrollText() {
        return formatLabel(
            LABEL_PAYROLL,
            formatMoney(this.plan.payrollDeltaAnnual, this.currencyCode),
            formatMoney(this.plan.payrollDeltaPeriod, this.currencyCode)
        );
    }

    get inbound() {
        return this.plan.inbound;
    }

    get inboundSummary() {
        const inbound = this.plan.inbound;
        return formatLabel(
            LABEL_INBOUND_SUMMARY,
            inbound.peakAgents,
            formatNumber(inbound.agentHoursPerDay, 1),
            inbound.heads
        );
    }

    get hourLabel() {
        return this.hasStartHour ? LABEL_HOUR_UTC : LABEL_HOUR_OF_SHIFT;
    }

    get hasStartHour() {
        return Number.isInteger(this.inboundStartHour);
    }

    get inboundRows() {
        return this.plan.inbound.hours.map((hour) => ({
            key: String(hour.hour),
            hour: this.hasStartHour
                ? `${String((this.inboundStartHour + hour.hour) % 24).padStart(2, '0')}:00`
                : String(hour.hour + 1),
            arrivals: formatNumber(hour.arrivalsPerHour, 2),
            agents: hour.level.agents,
            within: share(hour.level.serviceLevel),
            wait: formatNumber(hour.level.averageWaitMinutes, 2),
            occupancy: share(hour.level.occupancy)
        }));
    }
}
