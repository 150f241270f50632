import { LightningElement, api } from 'lwc';
import { formatDuration, formatLabel, formatNumber } from 'c/aslUtils';
import LABEL_CAPTION from '@salesforce/label/c.ASL_LM_Flow';
import LABEL_STATION from '@salesforce/label/c.ASL_LM_Col_Station';
import LABEL_WIP from '@salesforce/label/c.ASL_LM_Col_Wip';
import LABEL_TARGET_WIP from '@salesforce/label/c.ASL_LM_Col_Target_Wip';
import LABEL_THROUGHPUT from '@salesforce/label/c.ASL_LM_Col_Throughput';
import LABEL_CYCLE from '@salesforce/label/c.ASL_LM_Col_Cycle';
import LABEL_LITTLE from '@salesforce/label/c.ASL_LM_Col_Little';
import LABEL_SLA from '@salesforce/label/c.ASL_LM_Col_Sla';
import LABEL_BREACHES from '@salesforce/label/c.ASL_LM_Col_Breaches';
import LABEL_OLDEST from '@salesforce/label/c.ASL_LM_Col_Oldest';
import LABEL_BOTTLENECK from '@salesforce/label/c.ASL_LM_Bottleneck';
import LABEL_NO_EXITS from '@salesforce/label/c.ASL_LM_No_Exits';
import LABEL_HOURS from '@salesforce/label/c.ASL_LM_Hours';

const MS_PER_MINUTE = 60 * 1000;

/** The per-station flow table of the Line Monitor; the bottleneck row is marked. */
export default class StationFlowTable extends LightningElement {
    /** Rows from lineMetrics.stationMetrics(). */
    @api rows = [];

    labels = {
        caption: LABEL_CAPTION,
        station: LABEL_STATION,
        wip: LABEL_WIP,
        targetWip: LABEL_TARGET_WIP,
        throughput: LABEL_THROUGHPUT,
        cycle: LABEL_CYCLE,
        little: LABEL_LITTLE,
        sla: LABEL_SLA,
        breaches: LABEL_BREACHES,
        oldest: LABEL_OLDEST,
        bottleneck: LABEL_BOTTLENECK
    };

    get viewRows() {
        return (this.rows || []).map((row) => ({
            id: row.stationId,
            name: row.name,
            wip: row.wip,
            targetWip: row.targetWip === null || row.targetWip === undefined ? '' : row.targetWip,
            throughput: formatNumber(row.throughputPerDay, 1),
            cycle:
                row.cycleMinutes === null
                    ? LABEL_NO_EXITS
                    : formatDuration(row.cycleMinutes * MS_PER_MINUTE),
            little:
                row.littleMinutes === null
                    ? LABEL_NO_EXITS
                    : formatDuration(row.littleMinutes * MS_PER_MINUTE),
            sla: row.slaHours ? formatLabel(LABEL_HOURS, row.slaHours) : '',
            breaches: row.slaBreaches,
            breachClass: row.slaBreaches > 0 ? 'slds-text-color_error slds-text-title_bold' : '',
            oldest:
                row.oldestMinutes === null ? '' : formatDuration(row.oldestMinutes * MS_PER_MINUTE),
            isBottleneck: row.isBottleneck,
            rowClass: row.isBottleneck ? 'slds-hint-parent asl-bottleneck' : 'slds-hint-parent'
        }));
    }
}
