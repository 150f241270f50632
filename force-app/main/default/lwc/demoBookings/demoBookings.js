import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { updateRecord } from 'lightning/uiRecordApi';
import {
    connectionNodes,
    fieldDisplay,
    fieldValue,
    formatLabel,
    isTruncated,
    reduceErrors,
    refreshWired,
    toMillis
} from 'c/aslUtils';
import LABEL_HEADING from '@salesforce/label/c.ASL_DC_Bookings';
import LABEL_EMPTY from '@salesforce/label/c.ASL_DC_Bookings_Empty';
import LABEL_TRUNCATED from '@salesforce/label/c.ASL_DC_Bookings_Truncated';
import LABEL_COL_START from '@salesforce/label/c.ASL_DC_Col_Start';
import LABEL_COL_TYPE from '@salesforce/label/c.ASL_DC_Col_Type';
import LABEL_COL_AE from '@salesforce/label/c.ASL_DC_Col_AE';
import LABEL_COL_LEAD from '@salesforce/label/c.ASL_DC_Col_Lead';
import LABEL_COL_STATUS from '@salesforce/label/c.ASL_DC_Col_Status';
import LABEL_NO_SHOW from '@salesforce/label/c.ASL_DC_No_Show';
import LABEL_CANCEL from '@salesforce/label/c.ASL_DC_Cancel';
import LABEL_NO_SHOW_DEMO from '@salesforce/label/c.ASL_DC_No_Show_Demo';
import LABEL_CANCEL_DEMO from '@salesforce/label/c.ASL_DC_Cancel_Demo';
import LABEL_MARKED from '@salesforce/label/c.ASL_DC_Marked';
import LABEL_MARK_FAILED from '@salesforce/label/c.ASL_DC_Mark_Failed';

const BOOKINGS_QUERY = gql`
    query demoCalendarBookings($since: DateTime, $pageSize: Int) {
        uiapi {
            query {
                Demo_Slot__c(
                    where: {
                        and: [
                            { Status__c: { in: ["Booked", "Confirmed"] } }
                            { Start__c: { gte: { value: $since } } }
                        ]
                    }
                    orderBy: { Start__c: { order: ASC } }
                    first: $pageSize
                ) {
                    pageInfo {
                        hasNextPage
                    }
                    edges {
                        node {
                            Id
                            Name {
                                value
                            }
                            Start__c {
                                value
                            }
                            Status__c {
                                value
                                displayValue
                            }
                            City__c {
                                value
                            }
                            Slot_Key__c {
                                value
                            }
                            AE__r {
                                Name {
                                    value
                                }
                            }
                            Lead__r {
                                Name {
                                    value
                                }
                            }
                            Demo_Type__r {
                                Name {
                                    value
                                }
                            }
                        }
                    }
                }
            }
        }
    }
`;

/** Booked demos that started up to this long ago can still be marked No Show. */
const LOOK_BACK_MS = 24 * 60 * 60 * 1000;

/**
 * The coordinator's booked demos (Booked or Confirmed, from yesterday on, soonest first) with
 * No Show (once the demo has started) and Cancel (before it starts). Each is one Lightning
 * Data Service write of Status__c; the engine then sends the lead back to the SDR who booked
 * it, releases a cancelled slot and answers with DEMO_UPDATED and MOVED signals.
 */
export default class DemoBookings extends LightningElement {
    /** Booked demos listed at most. */
    @api pageSize = 50;

    labels = {
        heading: LABEL_HEADING,
        empty: LABEL_EMPTY,
        colStart: LABEL_COL_START,
        colType: LABEL_COL_TYPE,
        colAe: LABEL_COL_AE,
        colLead: LABEL_COL_LEAD,
        colStatus: LABEL_COL_STATUS
    };

    bookings = [];
    loaded = false;
    loadError = null;
    truncated = false;
    busy = false;
    actionError = '';
    status = '';
    wiredResult;
    /** Read once: a moving window would re-run the query on every render. */
    since = new Date(Date.now() - LOOK_BACK_MS).toISOString();
    now = Date.now();

    @wire(graphql, { query: BOOKINGS_QUERY, variables: '$variables' })
    wiredBookings(result) {
        this.wiredResult = result;
        if (result.errors) {
            this.loadError = reduceErrors(result.errors).join(' ');
            this.loaded = true;
        } else if (result.data) {
            const connection = result.data.uiapi.query.Demo_Slot__c;
            this.bookings = connectionNodes(connection).map((node) => ({
                id: node.Id,
                name: fieldValue(node, 'Name'),
                start: fieldValue(node, 'Start__c'),
                status: fieldDisplay(node, 'Status__c'),
                city: fieldValue(node, 'City__c'),
                key: fieldValue(node, 'Slot_Key__c'),
                ae: fieldValue(node, 'AE__r.Name'),
                lead: fieldValue(node, 'Lead__r.Name'),
                type: fieldValue(node, 'Demo_Type__r.Name')
            }));
            this.truncated = isTruncated(connection);
            this.loadError = null;
            this.loaded = true;
            this.now = Date.now();
        }
    }

    get variables() {
        return { since: this.since, pageSize: Number(this.pageSize) || 50 };
    }

    /** Reads the booked demos again (after a booking, or when the engine signals). */
    @api
    refresh() {
        return refreshWired([this.wiredResult]);
    }

    get isLoading() {
        return !this.loaded;
    }

    get isEmpty() {
        return this.loaded && !this.loadError && this.bookings.length === 0;
    }

    get hasBookings() {
        return !this.loadError && this.bookings.length > 0;
    }

    get truncatedText() {
        return this.truncated ? LABEL_TRUNCATED : '';
    }

    get rows() {
        return this.bookings.map((booking) => {
            const started = (toMillis(booking.start) ?? Infinity) <= this.now;
            const what = `${booking.type || ''} ${booking.lead || ''}`.trim() || booking.name;
            return {
                ...booking,
                noShowDisabled: this.busy || !started,
                cancelDisabled: this.busy || started,
                noShowLabel: formatLabel(LABEL_NO_SHOW_DEMO, what),
                cancelLabel: formatLabel(LABEL_CANCEL_DEMO, what)
            };
        });
    }

    get noShowText() {
        return LABEL_NO_SHOW;
    }

    get cancelText() {
        return LABEL_CANCEL;
    }

    handleNoShow(event) {
        this.mark(event.currentTarget.dataset.id, 'No Show');
    }

    handleCancel(event) {
        this.mark(event.currentTarget.dataset.id, 'Cancelled');
    }

    async mark(id, value) {
        const booking = this.bookings.find((item) => item.id === id);
        if (!booking) {
            return;
        }
        this.busy = true;
        this.actionError = '';
        this.status = '';
        try {
            await updateRecord({ fields: { Id: id, Status__c: value } });
            this.status = formatLabel(LABEL_MARKED, booking.name, value);
        } catch (error) {
            this.actionError = formatLabel(
                LABEL_MARK_FAILED,
                booking.name,
                reduceErrors(error).join(' ')
            );
        } finally {
            this.busy = false;
        }
        try {
            await this.refresh();
        } catch {
            // Saved; the list catches up on the next refresh or engine signal.
        }
    }
}
