import { LightningElement, api } from 'lwc';
import { formatLabel, formatPercent } from 'c/aslUtils';
import LABEL_TITLE from '@salesforce/label/c.ASL_CA_Lists_Title';
import LABEL_HINT from '@salesforce/label/c.ASL_CA_Lists_Hint';
import LABEL_EMPTY from '@salesforce/label/c.ASL_CA_Lists_Empty';
import LABEL_DIFFER from '@salesforce/label/c.ASL_CA_Lists_Differ';
import LABEL_SAME from '@salesforce/label/c.ASL_CA_Lists_Same';
import LABEL_CONTACT from '@salesforce/label/c.ASL_CA_Contact';
import LABEL_QUALIFICATION from '@salesforce/label/c.ASL_CA_Qualification';
import LABEL_COL_LIST from '@salesforce/label/c.ASL_CA_Col_List';
import LABEL_COL_LEADS from '@salesforce/label/c.ASL_CA_Col_Leads';
import LABEL_COL_CONTACT from '@salesforce/label/c.ASL_CA_Col_Contact_Rate';
import LABEL_COL_QUALIFIED from '@salesforce/label/c.ASL_CA_Col_Qualified_Rate';
import LABEL_COL_INTERVAL from '@salesforce/label/c.ASL_CA_Col_Interval';
import LABEL_COL_VS_REST from '@salesforce/label/c.ASL_CA_Col_Vs_Rest';
import LABEL_HIGHER from '@salesforce/label/c.ASL_CA_Higher';
import LABEL_LOWER from '@salesforce/label/c.ASL_CA_Lower';
import LABEL_SAME_AS_REST from '@salesforce/label/c.ASL_CA_Same';

const DIRECTION = { higher: LABEL_HIGHER, lower: LABEL_LOWER, same: LABEL_SAME_AS_REST };

const share = (value) => formatPercent(Number(value) * 100);
const interval = (rate) => `${share(rate.low)} \u2013 ${share(rate.high)}`;
/** A p-value with its relation: "= 0.128", or "< 0.001" below what the test can resolve. */
const formatP = (value) => (Number(value) < 0.001 ? '< 0.001' : `= ${Number(value).toFixed(3)}`);

/**
 * Lead-list quality: contact and qualification rate per purchased or imported list
 * (Lead.List_Name__c) with Wilson 95% intervals, each list against the others (Holm-adjusted),
 * and whether the lists differ at all (chi-square, or a permutation test when counts are small).
 */
export default class CampaignListQuality extends LightningElement {
    /** The lists part of a Campaign Reports result: { lists, contactDiffers, qualificationDiffers, alpha }. */
    @api report;

    labels = {
        title: LABEL_TITLE,
        hint: LABEL_HINT,
        empty: LABEL_EMPTY,
        colList: LABEL_COL_LIST,
        colLeads: LABEL_COL_LEADS,
        colContact: LABEL_COL_CONTACT,
        colQualified: LABEL_COL_QUALIFIED,
        colInterval: LABEL_COL_INTERVAL,
        colVsRest: LABEL_COL_VS_REST
    };

    get hasLists() {
        return !!(this.report && this.report.lists && this.report.lists.length);
    }

    get tests() {
        const report = this.report;
        const alpha = report.alpha || 0.05;
        return [
            { key: 'contact', label: LABEL_CONTACT, test: report.contactDiffers },
            { key: 'qualification', label: LABEL_QUALIFICATION, test: report.qualificationDiffers }
        ]
            .filter((item) => item.test)
            .map((item) => ({
                key: item.key,
                text: formatLabel(
                    item.test.pValue < alpha ? LABEL_DIFFER : LABEL_SAME,
                    item.label,
                    formatP(item.test.pValue),
                    item.test.method
                )
            }));
    }

    get rows() {
        return this.report.lists.map((list) => ({
            key: list.listName,
            name: list.listName,
            leads: list.leads,
            contact: share(list.contact.rate),
            contactInterval: interval(list.contact),
            contactVsRest: DIRECTION[list.contactVsRest.direction] || '',
            qualified: share(list.qualification.rate),
            qualifiedInterval: interval(list.qualification),
            qualifiedVsRest: DIRECTION[list.qualificationVsRest.direction] || ''
        }));
    }
}
