import { createElement } from 'lwc';
import EqualityReport from 'c/equalityReport';
import { graphql } from 'lightning/graphql';

const mockAssignments = require('./data/equalityAssignments.json');
const mockAssignmentsEmpty = require('./data/equalityAssignmentsEmpty.json');
const mockErrors = require('./data/equalityErrors.json');

const SINCE = '2026-11-16T12:00:00.000Z';

async function flushPromises() {
    for (let i = 0; i < 5; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

async function createReport() {
    const element = createElement('c-equality-report', { is: EqualityReport });
    element.since = SINCE;
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const cells = (row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent.trim());

describe('c-equality-report', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('reads the randomized assignments of the window from the ledger', async () => {
        await createReport();
        const config = graphql.lastConfigFor('equalityAssignments');
        expect(config.variables).toEqual({ since: SINCE, pageSize: 2000 });
        expect(config.query).toContain('Method__c: { in: ["Permuted Block", "Rebalance"] }');
    });

    it('summarizes each stratum: assignments, fewest and most per rep, largest gap', async () => {
        const element = await createReport();
        // The GraphQL wire returns the ledger rows.
        graphql.emit(mockAssignments);
        await flushPromises();

        expect($(element, '[data-id="summary"]').textContent).toBe('c.ASL_EQ_Summary');
        const rows = [...element.shadowRoot.querySelectorAll('[data-id="stratum-row"]')].map(cells);
        expect(rows).toEqual([
            ['List|Enterprise', '3', '1', '1', '0'],
            ['Web|SMB', '8', '2', '3', '1']
        ]);
    });

    it('opens the counts per rep of a stratum and closes them again', async () => {
        const element = await createReport();
        graphql.emit(mockAssignments);
        await flushPromises();

        const toggle = $(element, 'button[data-stratum="Web|SMB"]');
        expect(toggle.getAttribute('aria-expanded')).toBe('false');
        toggle.click();
        await flushPromises();
        expect(toggle.getAttribute('aria-expanded')).toBe('true');
        const reps = [...element.shadowRoot.querySelectorAll('[data-id="rep-row"]')].map(cells);
        expect(reps).toEqual([
            ['Alice Moreau', '3'],
            ['Blake Chen', '3'],
            ['Cleo Diaz', '2']
        ]);

        toggle.click();
        await flushPromises();
        expect($(element, '[data-id="rep-counts"]')).toBeNull();
    });

    it('points to the engine audit for the p-value instead of inventing one', async () => {
        const element = await createReport();
        graphql.emit(mockAssignments);
        await flushPromises();
        expect($(element, '[data-id="p-value-hint"]').textContent).toContain(
            'c.ASL_EQ_P_Value_Hint'
        );
    });

    it('is accessible with the counts of a stratum open', async () => {
        const element = await createReport();
        graphql.emit(mockAssignments);
        await flushPromises();
        $(element, 'button[data-stratum="Web|SMB"]').click();
        await flushPromises();
        await expect(element).toBeAccessible();
    });

    it('says when no assignment was made in the window', async () => {
        const element = await createReport();
        graphql.emit(mockAssignmentsEmpty);
        await flushPromises();
        expect($(element, '[data-id="empty"]')).not.toBeNull();
        expect(element.shadowRoot.querySelectorAll('[data-id="stratum-row"]')).toHaveLength(0);
    });

    it('says when only part of the ledger was read', async () => {
        const capped = JSON.parse(JSON.stringify(mockAssignments));
        capped.uiapi.query.Assignment__c.pageInfo.hasNextPage = true;
        const element = await createReport();
        graphql.emit(capped);
        await flushPromises();
        expect($(element, '[data-id="truncated"]').textContent).toBe('c.ASL_EQ_Truncated');
    });

    it('shows the error when the ledger cannot be read', async () => {
        const element = await createReport();
        graphql.emitErrors(mockErrors);
        await flushPromises();
        expect($(element, '[data-id="load-error"]').textContent).toBe(
            'Insufficient privileges: Assignment__c is not accessible'
        );
    });
});
