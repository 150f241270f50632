import { LightningElement, api } from 'lwc';
import LABEL_LOADING from '@salesforce/label/c.ASL_Common_Loading';
import LABEL_ERROR from '@salesforce/label/c.ASL_Common_Error';

/**
 * The three states every console section shares before it has rows to show: reading, could not
 * read (with the reason the org gave) and nothing to show. One component so that every console
 * says them the same way, with the same SLDS markup and assistive roles.
 */
export default class LoadStatus extends LightningElement {
    /** True while the wire has not answered. */
    @api loading = false;
    /** The message to show when the data could not be read; nothing is shown when empty. */
    @api error;
    /** True when the data was read and there is nothing in it. */
    @api empty = false;
    /** What to say when empty: each console says what is missing in its own words. */
    @api emptyMessage;

    labels = { loading: LABEL_LOADING, error: LABEL_ERROR };

    get showEmpty() {
        return Boolean(this.empty) && !this.loading && !this.error;
    }
}
