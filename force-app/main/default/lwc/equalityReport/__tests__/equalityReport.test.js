import { createElement } from 'lwc';
import EqualityReport from 'c/equalityReport';
import { graphql, byOperation } from 'lightning/graphql';

const mockAssignments = require('./data/equalityAssignments.json');
const mockAssignmentsEmpty = require('./data/equalityAssignmentsEmpty.json');
const mockErrors = require('./data/equalityErrors.json');
const mockAudit = require('./data/equalityAudit.json');
const mockAuditEmpty = require('./data/equalityAuditEmpty.json');
const mockAuditErrors = require('./data/equalityAuditErrors.json');

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

// The loading, error and empty states live in the shared c-load-status child.
const status = (element, id) =>
    element.shadowRoot.querySelector('c-load-status').shadowRoot.querySelector(`[data-id="${id}"]`);

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
        graphql.emit(mockAssignments, byOperation('equalityAssignments'));
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
        graphql.emit(mockAssignments, byOperation('equalityAssignments'));
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

    it('reads the latest succeeded or partial Audit job run', async () => {
        await createReport();
        const config = graphql.lastConfigFor('equalityAudit');
        expect(config.query).toContain('Job_Type__c: { eq: "Audit" }');
        expect(config.query).toContain('Outcome__c: { in: ["Succeeded", "Partial"] }');
        expect(config.query).toContain('orderBy: { Finished_At__c: { order: DESC } }');
        expect(config.query).toContain('first: 1');
    });

    it('points to "asl audit" for the p-value when no audit has run', async () => {
        const element = await createReport();
        graphql.emit(mockAssignments, byOperation('equalityAssignments'));
        graphql.emit(mockAuditEmpty, byOperation('equalityAudit'));
        await flushPromises();
        expect($(element, '[data-id="p-value-hint"]').textContent).toContain(
            'c.ASL_EQ_P_Value_Hint'
        );
        expect(element.shadowRoot.querySelectorAll('[data-id="audit-row"]')).toHaveLength(0);
    });

    it('shows the p-values per quality dimension of the latest audit run', async () => {
        const element = await createReport();
        graphql.emit(mockAssignments, byOperation('equalityAssignments'));
        graphql.emit(mockAudit, byOperation('equalityAudit'));
        await flushPromises();

        const rows = [...element.shadowRoot.querySelectorAll('[data-id="audit-row"]')].map(cells);
        expect(rows).toEqual([
            ['LeadSource', '0.549', '1.000', 'asymptotic', '11'],
            ['Segment__c', '< 0.001', '< 0.001', 'monte-carlo', '11']
        ]);
        expect($(element, '[data-id="audit-finished"]').value).toBe('2026-11-22T06:00:12.000Z');
        expect($(element, '[data-id="audit-run"]').textContent).toContain('c.ASL_EQ_Audit_Run');
        expect($(element, '[data-id="audit-verdict"]').textContent).toBe('c.ASL_EQ_Audit_Unequal');
        expect($(element, '[data-id="audit-not-reproduced"]')).toBeNull();
        expect($(element, '[data-id="p-value-hint"]')).toBeNull();
    });

    it('says when the audited ledger did not reproduce, and when reps do not differ', async () => {
        const partial = JSON.parse(JSON.stringify(mockAudit));
        const node = partial.uiapi.query.Job_Run__c.edges[0].node;
        const result = JSON.parse(node.Result__c.value);
        result.replay.reproduced = false;
        result.equal = true;
        node.Result__c.value = JSON.stringify(result);
        node.Outcome__c.value = 'Partial';
        const element = await createReport();
        graphql.emit(partial, byOperation('equalityAudit'));
        await flushPromises();
        expect($(element, '[data-id="audit-verdict"]').textContent).toBe('c.ASL_EQ_Audit_Equal');
        expect($(element, '[data-id="audit-not-reproduced"]').textContent.trim()).toBe(
            'c.ASL_EQ_Audit_Not_Reproduced'
        );
    });

    it('reports an audit result that is not the audit JSON instead of showing numbers', async () => {
        const broken = JSON.parse(JSON.stringify(mockAudit));
        broken.uiapi.query.Job_Run__c.edges[0].node.Result__c.value = 'not json';
        const element = await createReport();
        graphql.emit(broken, byOperation('equalityAudit'));
        await flushPromises();
        expect($(element, '[data-id="audit-error"]').textContent).toBe('c.ASL_EQ_Audit_Unreadable');
        expect(element.shadowRoot.querySelectorAll('[data-id="audit-row"]')).toHaveLength(0);
        expect($(element, '[data-id="p-value-hint"]')).toBeNull();
    });

    it('shows the error when the audit runs cannot be read', async () => {
        const element = await createReport();
        graphql.emitErrors(mockAuditErrors, byOperation('equalityAudit'));
        await flushPromises();
        expect($(element, '[data-id="audit-error"]').textContent).toBe(
            'Insufficient privileges: Job_Run__c is not accessible'
        );
        expect($(element, '[data-id="p-value-hint"]')).toBeNull();
    });

    it('is accessible with the counts of a stratum open and the audit shown', async () => {
        const element = await createReport();
        graphql.emit(mockAssignments, byOperation('equalityAssignments'));
        graphql.emit(mockAudit, byOperation('equalityAudit'));
        await flushPromises();
        $(element, 'button[data-stratum="Web|SMB"]').click();
        await flushPromises();
        await expect(element).toBeAccessible();
    });

    it('says when no assignment was made in the window', async () => {
        const element = await createReport();
        graphql.emit(mockAssignmentsEmpty, byOperation('equalityAssignments'));
        await flushPromises();
        expect(status(element, 'empty')).not.toBeNull();
        expect(element.shadowRoot.querySelectorAll('[data-id="stratum-row"]')).toHaveLength(0);
    });

    it('says when only part of the ledger was read', async () => {
        const capped = JSON.parse(JSON.stringify(mockAssignments));
        capped.uiapi.query.Assignment__c.pageInfo.hasNextPage = true;
        const element = await createReport();
        graphql.emit(capped, byOperation('equalityAssignments'));
        await flushPromises();
        expect($(element, '[data-id="truncated"]').textContent).toBe('c.ASL_EQ_Truncated');
    });

    it('shows the error when the ledger cannot be read', async () => {
        const element = await createReport();
        graphql.emitErrors(mockErrors, byOperation('equalityAssignments'));
        await flushPromises();
        expect(status(element, 'load-error').textContent).toBe(
            'Insufficient privileges: Assignment__c is not accessible'
        );
    });
});
