import { createElement } from 'lwc';
import BinBoard from 'c/binBoard';
import { graphql, refresh, byOperation } from 'lightning/graphql';
import { publish, resetSubscriptions } from 'lightning/empApi';

const mockAssets = require('./data/binBoardAssets.json');
const mockAssetsEmpty = require('./data/binBoardAssetsEmpty.json');
const mockAssetsTruncated = require('./data/binBoardAssetsTruncated.json');
const mockErrors = require('./data/binBoardErrors.json');
const mockOwners = require('./data/binBoardOwners.json');

const NOW = new Date('2026-11-23T12:00:00.000Z');
const ME = '005000000000000000';
const BLAKE = '005000000000002AAA';
const ASSETS = byOperation('binBoardAssets');
const OWNERS = byOperation('binBoardOwners');

async function flushPromises() {
    for (let i = 0; i < 5; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

async function createBoard(props = {}) {
    const element = createElement('c-bin-board', { is: BinBoard });
    Object.assign(element, props);
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

async function loadBoard(props) {
    const element = await createBoard(props);
    // The GraphQL wires return the binned leads and accounts, and the active users.
    graphql.emit(mockAssets, ASSETS);
    graphql.emit(mockOwners, OWNERS);
    await flushPromises();
    return element;
}

const bins = (element) =>
    [...element.shadowRoot.querySelectorAll('c-bin-card')].map((card) => card.bin);
const binNamed = (element, name) => bins(element).find((bin) => bin.bin === name);
const counts = (element) =>
    Object.fromEntries(bins(element).map((bin) => [bin.bin, [bin.leadCount, bin.accountCount]]));

async function choose(element, id, value) {
    element.shadowRoot
        .querySelector(`[data-id="${id}"]`)
        .dispatchEvent(new CustomEvent('change', { detail: { value } }));
    await flushPromises();
}

// The loading, error and empty states live in the shared c-load-status child.
const status = (element, id) =>
    element.shadowRoot.querySelector('c-load-status').shadowRoot.querySelector(`[data-id="${id}"]`);

describe('c-bin-board', () => {
    beforeEach(() => {
        jest.useFakeTimers();
        jest.setSystemTime(NOW);
    });

    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
        jest.useRealTimers();
        resetSubscriptions();
    });

    it('asks for binned, unconverted leads and binned accounts, longest waiting first', async () => {
        await createBoard({ pageSize: 500 });
        const config = graphql.lastConfigFor('binBoardAssets');
        expect(config.variables).toEqual({ pageSize: 500 });
        expect(config.query).toContain('{ IsConverted: { eq: false } }');
        expect(config.query).toContain('orderBy: { Bin_Entered_At__c: { order: ASC } }');
    });

    it('shows every bin of the line in order with its leads and accounts', async () => {
        const element = await loadBoard();
        expect(bins(element).map((bin) => bin.bin)).toEqual([
            'Cold',
            'Working',
            'Nurture - Active Opportunity',
            'Nurture - Check Back Quarterly',
            'Nurture - Dead Opportunity',
            'Avoid - Current Client',
            'Avoid - Bad Fit',
            'Avoid - Duplicate'
        ]);
        expect(counts(element)).toEqual({
            Cold: [3, 0],
            Working: [1, 1],
            'Nurture - Active Opportunity': [0, 0],
            'Nurture - Check Back Quarterly': [1, 0],
            'Nurture - Dead Opportunity': [0, 0],
            'Avoid - Current Client': [0, 1],
            'Avoid - Bad Fit': [0, 0],
            'Avoid - Duplicate': [0, 0]
        });
        expect(binNamed(element, 'Avoid - Current Client').isAvoid).toBe(true);
        expect(element.shadowRoot.querySelector('[data-id="summary"]').textContent).toBe(
            'c.ASL_BB_Summary'
        );
    });

    it('ages each bin: how many waited how long, and who waits longest', async () => {
        const element = await loadBoard();
        const cold = binNamed(element, 'Cold');
        expect(Object.fromEntries(cold.bands.map((band) => [band.key, band.count]))).toEqual({
            week: 1,
            month: 0,
            quarter: 1,
            older: 0,
            unknown: 1
        });
        expect(cold.oldest.map((asset) => [asset.name, asset.age])).toEqual([
            ['Grace Hopper', '53d 0h'],
            ['Ada Lovelace', '3d 0h']
        ]);
        expect(cold.oldest[0].url).toBe('/lightning/r/Lead/00Q000000000002AAA/view');
        expect(
            binNamed(element, 'Nurture - Check Back Quarterly').bands.find((b) => b.key === 'older')
                .count
        ).toBe(1);
    });

    it('filters by owner, with owner names and a label for queues', async () => {
        const element = await loadBoard();
        const options = element.shadowRoot.querySelector('[data-id="owner-filter"]').options;
        expect(options.map((option) => [option.value, option.label])).toEqual([
            ['all', 'c.ASL_BB_All_Owners'],
            [ME, 'c.ASL_BB_My_Assets'],
            [BLAKE, 'Blake Chen'],
            ['00G000000000001AAA', 'c.ASL_BB_Unknown_Owner']
        ]);

        await choose(element, 'owner-filter', BLAKE);
        expect(counts(element)).toEqual(
            expect.objectContaining({
                Cold: [1, 0],
                Working: [1, 0],
                'Avoid - Current Client': [0, 1]
            })
        );

        await choose(element, 'owner-filter', ME);
        expect(counts(element)).toEqual(
            expect.objectContaining({
                Cold: [1, 0],
                Working: [0, 1],
                'Nurture - Check Back Quarterly': [1, 0]
            })
        );
    });

    it('filters by kind of asset', async () => {
        const element = await loadBoard();
        await choose(element, 'type-filter', 'Account');
        expect(counts(element)).toEqual(
            expect.objectContaining({
                Cold: [0, 0],
                Working: [0, 1],
                'Avoid - Current Client': [0, 1]
            })
        );
    });

    it("starts with the running user's assets when set up so", async () => {
        const element = await loadBoard({ myAssetsFirst: true });
        expect(element.shadowRoot.querySelector('[data-id="owner-filter"]').value).toBe(ME);
        expect(binNamed(element, 'Cold').total).toBe(1);
    });

    it('is accessible with bins on screen', async () => {
        const element = await loadBoard();
        jest.useRealTimers();
        await expect(element).toBeAccessible();
    });

    it('says when nothing matches', async () => {
        const element = await createBoard();
        graphql.emit(mockAssetsEmpty, ASSETS);
        await flushPromises();
        expect(status(element, 'empty')).not.toBeNull();
        expect(bins(element).every((bin) => bin.total === 0)).toBe(true);
    });

    it('says when the counts cover only part of the records', async () => {
        const element = await createBoard();
        graphql.emit(mockAssetsTruncated, ASSETS);
        await flushPromises();
        expect(element.shadowRoot.querySelector('[data-id="truncated"]').textContent).toBe(
            'c.ASL_BB_Truncated'
        );
    });

    it('shows the error when the assets cannot be read', async () => {
        const element = await createBoard();
        graphql.emitErrors(mockErrors, ASSETS);
        await flushPromises();
        expect(status(element, 'load-error').textContent).toBe(
            "Field 'Bin__c' in type 'Lead' is undefined"
        );
        expect(element.shadowRoot.querySelector('c-bin-card')).toBeNull();
    });

    it('reads again when the engine assigns or moves assets, and on demand', async () => {
        const element = await loadBoard();
        publish('/event/Engine_Signal__e', {
            Kind__c: 'MOVED',
            Record_Id__c: '00Q000000000001AAA'
        });
        await flushPromises();
        expect(refresh).toHaveBeenCalledTimes(1);

        publish('/event/Engine_Signal__e', { Kind__c: 'RERANKED', Record_Id__c: ME });
        await flushPromises();
        expect(refresh).toHaveBeenCalledTimes(1);

        element.shadowRoot.querySelector('[data-id="refresh"]').click();
        await flushPromises();
        expect(refresh).toHaveBeenCalledTimes(2);
    });
});
