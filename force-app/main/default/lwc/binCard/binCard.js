import { LightningElement, api } from 'lwc';
import { formatLabel } from 'c/aslUtils';
import LABEL_COUNTS from '@salesforce/label/c.ASL_BB_Counts';
import LABEL_AGEING from '@salesforce/label/c.ASL_BB_Ageing';
import LABEL_OLDEST from '@salesforce/label/c.ASL_BB_Oldest';
import LABEL_NONE from '@salesforce/label/c.ASL_BB_Bin_Empty';
import LABEL_AVOID from '@salesforce/label/c.ASL_BB_Avoid_Note';

/**
 * One bin of the Bin Board: how many leads and accounts wait there, for how long, and the
 * longest waiting ones.
 */
export default class BinCard extends LightningElement {
    /** The bin to show: { bin, label, leadCount, accountCount, total, bands, oldest, isAvoid }. */
    @api bin;

    labels = { ageing: LABEL_AGEING, oldest: LABEL_OLDEST, none: LABEL_NONE, avoid: LABEL_AVOID };

    get counts() {
        return this.bin ? formatLabel(LABEL_COUNTS, this.bin.leadCount, this.bin.accountCount) : '';
    }

    get hasAssets() {
        return !!(this.bin && this.bin.total > 0);
    }

    get cardClass() {
        return this.bin && this.bin.isAvoid
            ? 'slds-card slds-card_boundary slds-theme_shade'
            : 'slds-card slds-card_boundary';
    }
}
