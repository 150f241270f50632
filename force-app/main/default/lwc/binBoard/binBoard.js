import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import USER_ID from '@salesforce/user/Id';
import {
    connectionNodes,
    createRefresher,
    fieldDisplay,
    fieldValue,
    formatDuration,
    formatLabel,
    isTruncated,
    listenToSignals,
    onSignalKinds,
    reduceErrors,
    toMillis
} from 'c/aslUtils';
import LABEL_TITLE from '@salesforce/label/c.ASL_BB_Title';
import LABEL_REFRESH from '@salesforce/label/c.ASL_Common_Refresh';
import LABEL_OWNER from '@salesforce/label/c.ASL_BB_Owner';
import LABEL_ALL_OWNERS from '@salesforce/label/c.ASL_BB_All_Owners';
import LABEL_MY_ASSETS from '@salesforce/label/c.ASL_BB_My_Assets';
import LABEL_UNKNOWN_OWNER from '@salesforce/label/c.ASL_BB_Unknown_Owner';
import LABEL_ASSET_TYPE from '@salesforce/label/c.ASL_BB_Asset_Type';
import LABEL_LEADS_AND_ACCOUNTS from '@salesforce/label/c.ASL_BB_Leads_And_Accounts';
import LABEL_LEADS from '@salesforce/label/c.ASL_BB_Leads';
import LABEL_ACCOUNTS from '@salesforce/label/c.ASL_BB_Accounts';
import LABEL_SUMMARY from '@salesforce/label/c.ASL_BB_Summary';
import LABEL_TRUNCATED from '@salesforce/label/c.ASL_BB_Truncated';
import LABEL_EMPTY from '@salesforce/label/c.ASL_BB_Empty';
import LABEL_AGE_WEEK from '@salesforce/label/c.ASL_BB_Age_Week';
import LABEL_AGE_MONTH from '@salesforce/label/c.ASL_BB_Age_Month';
import LABEL_AGE_QUARTER from '@salesforce/label/c.ASL_BB_Age_Quarter';
import LABEL_AGE_OLDER from '@salesforce/label/c.ASL_BB_Age_Older';
import LABEL_AGE_UNKNOWN from '@salesforce/label/c.ASL_BB_Age_Unknown';

const ASSETS_QUERY = gql`
    query binBoardAssets($pageSize: Int) {
        uiapi {
            query {
                Lead(
                    where: { and: [{ IsConverted: { eq: false } }, { Bin__c: { ne: null } }] }
                    orderBy: { Bin_Entered_At__c: { order: ASC } }
                    first: $pageSize
                ) {
                    totalCount
                    pageInfo {
                        hasNextPage
                    }
                    edges {
                        node {
                            Id
                            Name {
                                value
                            }
                            Company {
                                value
                            }
                            Bin__c {
                                value
                                displayValue
                            }
                            Bin_Entered_At__c {
                                value
                            }
                            OwnerId {
                                value
                            }
                        }
                    }
                }
                Account(
                    where: { Bin__c: { ne: null } }
                    orderBy: { Bin_Entered_At__c: { order: ASC } }
                    first: $pageSize
                ) {
                    totalCount
                    pageInfo {
                        hasNextPage
                    }
                    edges {
                        node {
                            Id
                            Name {
                                value
                            }
                            Bin__c {
                                value
                                displayValue
                            }
                            Bin_Entered_At__c {
                                value
                            }
                            OwnerId {
                                value
                            }
                        }
                    }
                }
            }
        }
    }
`;

const OWNERS_QUERY = gql`
    query binBoardOwners {
        uiapi {
            query {
                User(
                    where: { IsActive: { eq: true } }
                    orderBy: { Name: { order: ASC } }
                    first: 2000
                ) {
                    edges {
                        node {
                            Id
                            Name {
                                value
                            }
                        }
                    }
                }
            }
        }
    }
`;

/** The bins of the line in their order (global value set ASL_Bin). */
const BINS = [
    'Cold',
    'Working',
    'Nurture - Active Opportunity',
    'Nurture - Check Back Quarterly',
    'Nurture - Dead Opportunity',
    'Avoid - Current Client',
    'Avoid - Bad Fit',
    'Avoid - Duplicate'
];

const DAY_MS = 24 * 60 * 60 * 1000;
/** Age bands by time in bin; upper bounds in days. */
const AGE_BANDS = [
    { key: 'week', label: LABEL_AGE_WEEK, maxDays: 7 },
    { key: 'month', label: LABEL_AGE_MONTH, maxDays: 30 },
    { key: 'quarter', label: LABEL_AGE_QUARTER, maxDays: 90 },
    { key: 'older', label: LABEL_AGE_OLDER, maxDays: Number.POSITIVE_INFINITY }
];
const ALL = 'all';
const OLDEST_SHOWN = 5;
const REFRESH_SIGNALS = new Set(['ASSIGNED', 'MOVED', 'REBALANCED', 'JOB_RUN']);

/**
 * Bin Board: leads and accounts by bin, with counts and how long they have waited there,
 * filterable by owner and by kind of asset.
 */
export default class BinBoard extends LightningElement {
    /** Most records read per object (oldest in bin first); at most 2000, the GraphQL page limit. */
    @api pageSize = 2000;
    /** Show the owner filter preset to the running user's own assets. */
    @api myAssetsFirst = false;

    labels = {
        title: LABEL_TITLE,
        refresh: LABEL_REFRESH,
        owner: LABEL_OWNER,
        assetType: LABEL_ASSET_TYPE,
        empty: LABEL_EMPTY
    };
    typeOptions = [
        { label: LABEL_LEADS_AND_ACCOUNTS, value: ALL },
        { label: LABEL_LEADS, value: 'Lead' },
        { label: LABEL_ACCOUNTS, value: 'Account' }
    ];

    assets = [];
    totals = { Lead: 0, Account: 0 };
    truncated = false;
    loaded = false;
    loadError = null;
    ownerNames = new Map();
    ownerFilter = null;
    typeFilter = ALL;
    now = Date.now();
    refreshAssets = null;
    signals = null;

    requestRefresh = createRefresher(() => this.refreshNow());

    get variables() {
        return { pageSize: Math.min(2000, Math.max(1, Number(this.pageSize) || 2000)) };
    }

    @wire(graphql, { query: ASSETS_QUERY, variables: '$variables' })
    wiredAssets(result) {
        this.refreshAssets = typeof result.refresh === 'function' ? result.refresh : null;
        const { data, errors } = result;
        if (errors) {
            this.loadError = reduceErrors(errors).join(' ');
            this.loaded = true;
        } else if (data) {
            const leads = data.uiapi.query.Lead;
            const accounts = data.uiapi.query.Account;
            this.assets = [
                ...connectionNodes(leads).map((node) => toAsset(node, 'Lead')),
                ...connectionNodes(accounts).map((node) => toAsset(node, 'Account'))
            ];
            this.totals = {
                Lead: leads.totalCount || 0,
                Account: accounts.totalCount || 0
            };
            this.truncated = isTruncated(leads) || isTruncated(accounts);
            this.now = Date.now();
            this.loadError = null;
            this.loaded = true;
        }
    }

    @wire(graphql, { query: OWNERS_QUERY })
    wiredOwners({ data }) {
        // Names only label the filter; without them it shows ids, so errors are not fatal.
        if (data) {
            this.ownerNames = new Map(
                connectionNodes(data.uiapi.query.User).map((node) => [
                    node.Id,
                    fieldValue(node, 'Name')
                ])
            );
        }
    }

    connectedCallback() {
        this.ownerFilter = this.myAssetsFirst ? USER_ID : ALL;
        this.signals = listenToSignals(onSignalKinds(REFRESH_SIGNALS, () => this.requestRefresh()));
    }

    disconnectedCallback() {
        this.signals.stop();
    }

    get isLoading() {
        return !this.loaded;
    }

    get ownerOptions() {
        const owners = new Set(this.assets.map((asset) => asset.ownerId));
        owners.delete(USER_ID);
        const named = [...owners]
            .map((id) => ({
                value: id,
                label: this.ownerNames.get(id) || formatLabel(LABEL_UNKNOWN_OWNER, id)
            }))
            .sort((a, b) => a.label.localeCompare(b.label));
        return [
            { label: LABEL_ALL_OWNERS, value: ALL },
            { label: LABEL_MY_ASSETS, value: USER_ID },
            ...named
        ];
    }

    get visibleAssets() {
        return this.assets.filter(
            (asset) =>
                (this.ownerFilter === ALL || asset.ownerId === this.ownerFilter) &&
                (this.typeFilter === ALL || asset.type === this.typeFilter)
        );
    }

    get bins() {
        const visible = this.visibleAssets;
        const known = new Set(BINS);
        const extra = [...new Set(visible.map((asset) => asset.bin))].filter(
            (bin) => !known.has(bin)
        );
        return [...BINS, ...extra].map((bin) => this.binView(bin, visible));
    }

    get summary() {
        const visible = this.visibleAssets;
        const leads = visible.filter((asset) => asset.type === 'Lead').length;
        return formatLabel(LABEL_SUMMARY, leads, visible.length - leads);
    }

    get truncatedText() {
        return this.truncated
            ? formatLabel(
                  LABEL_TRUNCATED,
                  this.assets.length,
                  this.totals.Lead + this.totals.Account
              )
            : '';
    }

    get showBins() {
        return this.loaded && !this.loadError;
    }

    get isEmpty() {
        return this.loaded && !this.loadError && this.visibleAssets.length === 0;
    }

    handleOwnerChange(event) {
        this.ownerFilter = event.detail.value;
    }

    handleTypeChange(event) {
        this.typeFilter = event.detail.value;
    }

    handleRefresh() {
        this.requestRefresh();
    }

    async refreshNow() {
        if (!this.refreshAssets) {
            return;
        }
        try {
            await this.refreshAssets();
        } catch (error) {
            this.loadError = reduceErrors(error).join(' ');
        }
    }

    binView(bin, visible) {
        const inBin = visible.filter((asset) => asset.bin === bin);
        const bands = AGE_BANDS.map((band) => bandView(band.key, band.label));
        let unknown = 0;
        for (const asset of inBin) {
            if (asset.enteredAt === null) {
                unknown += 1;
                continue;
            }
            const days = (this.now - asset.enteredAt) / DAY_MS;
            bands[AGE_BANDS.findIndex((band) => days <= band.maxDays)].count += 1;
        }
        if (unknown > 0) {
            bands.push({ ...bandView('unknown', LABEL_AGE_UNKNOWN), count: unknown });
        }
        const oldest = inBin
            .filter((asset) => asset.enteredAt !== null)
            .sort((a, b) => a.enteredAt - b.enteredAt)
            .slice(0, OLDEST_SHOWN)
            .map((asset) => ({ ...asset, age: formatDuration(this.now - asset.enteredAt) }));
        const first = inBin.find((asset) => asset.binLabel);
        return {
            bin,
            label: first ? first.binLabel : bin,
            leadCount: inBin.filter((asset) => asset.type === 'Lead').length,
            accountCount: inBin.filter((asset) => asset.type === 'Account').length,
            total: inBin.length,
            bands,
            oldest,
            isAvoid: bin.startsWith('Avoid')
        };
    }
}

function bandView(key, label) {
    return { key, label, count: 0, labelKey: `${key}-label`, countKey: `${key}-count` };
}

function toAsset(node, type) {
    return {
        id: node.Id,
        type,
        name: fieldValue(node, 'Name') || '',
        company: type === 'Lead' ? fieldValue(node, 'Company') : null,
        bin: fieldValue(node, 'Bin__c'),
        binLabel: fieldDisplay(node, 'Bin__c'),
        enteredAt: toMillis(fieldValue(node, 'Bin_Entered_At__c')),
        ownerId: fieldValue(node, 'OwnerId'),
        url: `/lightning/r/${type}/${node.Id}/view`
    };
}
