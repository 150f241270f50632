import { LightningElement, api } from 'lwc';
import { formatLabel } from 'c/aslUtils';
import LABEL_HEADING from '@salesforce/label/c.ASL_DC_Slots';
import LABEL_EMPTY from '@salesforce/label/c.ASL_DC_Slots_Empty';
import LABEL_COL_RANK from '@salesforce/label/c.ASL_DC_Col_Rank';
import LABEL_COL_START from '@salesforce/label/c.ASL_DC_Col_Start';
import LABEL_COL_END from '@salesforce/label/c.ASL_DC_Col_End';
import LABEL_COL_AE from '@salesforce/label/c.ASL_DC_Col_AE';
import LABEL_COL_ENGINEER from '@salesforce/label/c.ASL_DC_Col_Engineer';
import LABEL_COL_PLACE from '@salesforce/label/c.ASL_DC_Col_Place';
import LABEL_BOOK from '@salesforce/label/c.ASL_DC_Book';
import LABEL_BOOK_SLOT from '@salesforce/label/c.ASL_DC_Book_Slot';
import LABEL_TIER_SAME_CITY from '@salesforce/label/c.ASL_DC_Tier_Same_City';
import LABEL_TIER_HOME from '@salesforce/label/c.ASL_DC_Tier_Home';
import LABEL_TIER_OTHER from '@salesforce/label/c.ASL_DC_Tier_Other';

const TIERS = [LABEL_TIER_SAME_CITY, LABEL_TIER_HOME, LABEL_TIER_OTHER];

/**
 * The open slots in the engine's order (rank 1 first), each with a Book button. Booking is
 * the parent's: this list says which slot (event `book`, detail { key }).
 */
export default class SlotList extends LightningElement {
    /** Slots: { key, rank, start, end, ae, engineer, city, tier }. */
    @api slots = [];
    /** Field meetings: show the place tier (same city that day, home city, elsewhere). */
    @api fieldMeeting = false;
    /** "Showing n of m open slots". */
    @api totalText = '';
    /** True while a booking is being saved. */
    @api disabled = false;

    labels = {
        heading: LABEL_HEADING,
        empty: LABEL_EMPTY,
        colRank: LABEL_COL_RANK,
        colStart: LABEL_COL_START,
        colEnd: LABEL_COL_END,
        colAe: LABEL_COL_AE,
        colEngineer: LABEL_COL_ENGINEER,
        colPlace: LABEL_COL_PLACE,
        book: LABEL_BOOK
    };

    get hasSlots() {
        return Array.isArray(this.slots) && this.slots.length > 0;
    }

    get showEngineer() {
        return (this.slots || []).some((slot) => !!slot.engineer);
    }

    get rows() {
        return (this.slots || []).map((slot) => ({
            ...slot,
            place: this.fieldMeeting ? `${TIERS[slot.tier] || ''} · ${slot.city}` : '',
            bookLabel: formatLabel(LABEL_BOOK_SLOT, slot.rank, slot.ae)
        }));
    }

    handleBook(event) {
        this.dispatchEvent(
            new CustomEvent('book', { detail: { key: event.currentTarget.dataset.key } })
        );
    }
}
