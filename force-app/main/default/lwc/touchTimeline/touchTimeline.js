import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import {
    connectionNodes,
    fieldDisplay,
    fieldValue,
    formatDuration,
    formatLabel,
    reduceErrors
} from 'c/aslUtils';
import LABEL_TITLE from '@salesforce/label/c.ASL_Timeline_Title';
import LABEL_EMPTY from '@salesforce/label/c.ASL_Timeline_Empty';
import LABEL_ERROR from '@salesforce/label/c.ASL_Common_Error';
import LABEL_BY from '@salesforce/label/c.ASL_Timeline_By';
import LABEL_REASON from '@salesforce/label/c.ASL_Timeline_Reason';
import LABEL_NEXT_ACTION from '@salesforce/label/c.ASL_Timeline_Next_Action';
import LABEL_CALL_LENGTH from '@salesforce/label/c.ASL_Timeline_Call_Length';

const TIMELINE_QUERY = gql`
    query touchTimeline($assetId: String, $assetRef: ID, $pageSize: Int) {
        uiapi {
            query {
                Disposition__c(
                    where: {
                        or: [
                            { Asset_Id__c: { eq: $assetId } }
                            { Lead__c: { eq: $assetRef } }
                            { Account__c: { eq: $assetRef } }
                            { Opportunity__c: { eq: $assetRef } }
                        ]
                    }
                    orderBy: { CreatedDate: { order: DESC } }
                    first: $pageSize
                ) {
                    edges {
                        node {
                            Id
                            CreatedDate {
                                value
                                displayValue
                            }
                            Outcome__c {
                                value
                                displayValue
                            }
                            Purpose__c {
                                value
                                displayValue
                            }
                            Reason_Code__c {
                                value
                                displayValue
                            }
                            Duration_Seconds__c {
                                value
                            }
                            Next_Action_At__c {
                                value
                                displayValue
                            }
                            Attempt_Number__c {
                                value
                            }
                            Rep__r {
                                Name {
                                    value
                                }
                            }
                            Station__r {
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

/**
 * Every earlier touch of one asset by anyone on the line (Disposition__c), newest first.
 */
export default class TouchTimeline extends LightningElement {
    /** Id of the lead, account or opportunity whose touches to show. */
    @api assetId;
    /** How many touches to load (newest first). */
    @api pageSize = 20;

    labels = { title: LABEL_TITLE, empty: LABEL_EMPTY, error: LABEL_ERROR };

    touches = [];
    errorMessages = null;
    loaded = false;
    refreshWire = null;

    get variables() {
        return {
            assetId: this.assetId,
            assetRef: this.assetId,
            pageSize: Number(this.pageSize) || 20
        };
    }

    @wire(graphql, { query: TIMELINE_QUERY, variables: '$variables' })
    wiredTouches(result) {
        this.refreshWire = typeof result.refresh === 'function' ? result.refresh : null;
        const { data, errors } = result;
        if (errors) {
            this.errorMessages = reduceErrors(errors).join(' ');
            this.touches = [];
            this.loaded = true;
        } else if (data) {
            this.errorMessages = null;
            this.touches = connectionNodes(data.uiapi.query.Disposition__c).map(toTouch);
            this.loaded = true;
        }
    }

    /** Reloads the touches, e.g. after a disposition was saved. */
    @api
    refresh() {
        return this.refreshWire ? this.refreshWire() : Promise.resolve();
    }

    get isLoading() {
        return !this.loaded;
    }

    get isEmpty() {
        return this.loaded && !this.errorMessages && this.touches.length === 0;
    }

    get hasTouches() {
        return this.touches.length > 0;
    }
}

function toTouch(node) {
    const seconds = fieldValue(node, 'Duration_Seconds__c');
    const reason = fieldDisplay(node, 'Reason_Code__c');
    const nextAction = fieldDisplay(node, 'Next_Action_At__c');
    const details = [];
    if (reason) {
        details.push(formatLabel(LABEL_REASON, reason));
    }
    if (nextAction) {
        details.push(formatLabel(LABEL_NEXT_ACTION, nextAction));
    }
    if (seconds) {
        details.push(formatLabel(LABEL_CALL_LENGTH, formatDuration(seconds * 1000)));
    }
    const rep = fieldValue(node, 'Rep__r.Name');
    return {
        id: node.Id,
        outcome: fieldDisplay(node, 'Outcome__c'),
        purpose: fieldDisplay(node, 'Purpose__c'),
        when: fieldDisplay(node, 'CreatedDate'),
        whenIso: fieldValue(node, 'CreatedDate'),
        by: rep ? formatLabel(LABEL_BY, rep) : '',
        station: fieldValue(node, 'Station__r.Name'),
        details: details.join(' · ')
    };
}
