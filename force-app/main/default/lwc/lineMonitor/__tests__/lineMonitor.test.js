import { createElement } from 'lwc';
import LineMonitor from 'c/lineMonitor';
import { graphql, byOperation, refresh } from 'lightning/graphql';
import { publish, resetSubscriptions } from 'lightning/empApi';

const mockFlow = require('./data/lineMonitorFlow.json');
const mockFlowEmpty = require('./data/lineMonitorFlowEmpty.json');
const mockErrors = require('./data/lineMonitorErrors.json');
const mockAudit = require('./data/lineMonitorAudit.json');
const mockAuditEmpty = require('./data/lineMonitorAuditEmpty.json');

const NOW = new Date('2026-11-23T12:00:00.000Z');
const FLOW = byOperation('lineMonitorFlow');
const AUDIT = byOperation('equalityAudit');

async function flushPromises() {
    for (let i = 0; i < 5; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

async function createMonitor(props = {}) {
    const element = createElement('c-line-monitor', { is: LineMonitor });
    Object.assign(element, props);
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

const rowsOf = (element) => element.shadowRoot.querySelector('c-station-flow-table').rows;
const text = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`).textContent;

// The loading, error and empty states live in the shared c-load-status child.
const status = (element, id) =>
    element.shadowRoot.querySelector('c-load-status').shadowRoot.querySelector(`[data-id="${id}"]`);

describe('c-line-monitor', () => {
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

    it('reads stations, open assets and the stays that ended in the window', async () => {
        const element = await createMonitor({ windowDays: 7 });
        const config = graphql.lastConfigFor('lineMonitorFlow');
        expect(config.variables).toEqual({ since: '2026-11-16T12:00:00.000Z', pageSize: 2000 });
        expect(config.query).toContain('Exited_At__c: { gte: { value: $since } }');
        // The equality report covers the same window.
        expect(element.shadowRoot.querySelector('c-equality-report').since).toBe(
            '2026-11-16T12:00:00.000Z'
        );
        expect(text(element, 'window')).toBe('c.ASL_LM_Window');
    });

    it('computes WIP, throughput, cycle time and SLA breaches per station', async () => {
        const element = await createMonitor();
        // The GraphQL wire returns the line's stations, assets and stays.
        graphql.emit(mockFlow, FLOW);
        await flushPromises();

        const [sdr, coordination, demo] = rowsOf(element);
        expect(sdr).toEqual(
            expect.objectContaining({
                name: 'SDR Calling',
                wip: 2,
                slaBreaches: 1,
                exits: 4,
                cycleMinutes: 750
            })
        );
        expect(sdr.throughputPerDay).toBeCloseTo(4 / 7);
        expect(sdr.littleMinutes).toBeCloseTo(5040);
        expect(coordination).toEqual(
            expect.objectContaining({ wip: 2, slaBreaches: 1, exits: 1, cycleMinutes: 180 })
        );
        expect(demo).toEqual(
            expect.objectContaining({ wip: 1, slaBreaches: 0, exits: 2, cycleMinutes: 2160 })
        );
    });

    it('highlights the bottleneck: the station furthest behind its SLA', async () => {
        const element = await createMonitor();
        graphql.emit(mockFlow, FLOW);
        await flushPromises();

        expect(rowsOf(element).map((row) => row.isBottleneck)).toEqual([false, true, false]);
        expect(text(element, 'bottleneck')).toBe('c.ASL_LM_Bottleneck_At');
    });

    it('names a station where work arrives but nothing leaves', async () => {
        const stuck = JSON.parse(JSON.stringify(mockFlow));
        const events = stuck.uiapi.query.Stage_Event__c;
        events.edges = events.edges.filter(
            (edge) => !['Demo', 'DEMO'].includes(edge.node.To_Value__c.value)
        );
        const element = await createMonitor();
        graphql.emit(stuck, FLOW);
        await flushPromises();

        expect(rowsOf(element).find((row) => row.isBottleneck).name).toBe('Demo');
        expect(text(element, 'bottleneck')).toBe('c.ASL_LM_Bottleneck_Stuck');
    });

    it('is accessible with the flow table on screen', async () => {
        const element = await createMonitor();
        graphql.emit(mockFlow, FLOW);
        await flushPromises();
        jest.useRealTimers();
        await expect(element).toBeAccessible();
    });

    it('says when some lists reached the page limit', async () => {
        const capped = JSON.parse(JSON.stringify(mockFlow));
        capped.uiapi.query.Lead.pageInfo.hasNextPage = true;
        const element = await createMonitor();
        graphql.emit(capped, FLOW);
        await flushPromises();
        expect(text(element, 'truncated')).toBe('c.ASL_LM_Truncated');
    });

    it('says when there are no active stations', async () => {
        const element = await createMonitor();
        graphql.emit(mockFlowEmpty, FLOW);
        await flushPromises();
        expect(element.shadowRoot.querySelector('[data-id="no-stations"]')).not.toBeNull();
        expect(element.shadowRoot.querySelector('c-station-flow-table')).toBeNull();
    });

    it('shows the error when the line cannot be read', async () => {
        const element = await createMonitor();
        graphql.emitErrors(mockErrors, FLOW);
        await flushPromises();
        expect(status(element, 'load-error').textContent).toBe(
            "Field 'Station__c' in type 'Lead' is undefined"
        );
    });

    it('moves the window to now on Refresh', async () => {
        const element = await createMonitor({ windowDays: 3 });
        graphql.emit(mockFlow, FLOW);
        await flushPromises();

        jest.setSystemTime(new Date('2026-11-23T13:30:00.000Z'));
        element.shadowRoot.querySelector('[data-id="refresh"]').click();
        await flushPromises();
        expect(graphql.lastConfigFor('lineMonitorFlow').variables.since).toBe(
            '2026-11-20T13:30:00.000Z'
        );
        expect(graphql.lastConfigFor('equalityAssignments').variables.since).toBe(
            '2026-11-20T13:30:00.000Z'
        );
        // The latest audit run is read again with the window.
        expect(refresh).toHaveBeenCalledTimes(1);
    });

    it('shows the p-values of the latest audit run in the equality report', async () => {
        const element = await createMonitor();
        graphql.emit(mockAudit, AUDIT);
        await flushPromises();
        const report = element.shadowRoot.querySelector('c-equality-report').shadowRoot;
        const rows = [...report.querySelectorAll('[data-id="audit-row"]')].map((row) =>
            [...row.querySelectorAll('th, td')].map((cell) => cell.textContent.trim())
        );
        expect(rows).toEqual([
            ['LeadSource', '0.549', '1.000', 'asymptotic', '11'],
            ['Segment__c', '< 0.001', '< 0.001', 'monte-carlo', '11']
        ]);
        expect(report.querySelector('[data-id="p-value-hint"]')).toBeNull();
    });

    it('keeps the "asl audit" hint when no audit run exists', async () => {
        const element = await createMonitor();
        graphql.emit(mockAuditEmpty, AUDIT);
        await flushPromises();
        const report = element.shadowRoot.querySelector('c-equality-report').shadowRoot;
        expect(report.querySelector('[data-id="p-value-hint"]')).not.toBeNull();
        expect(report.querySelectorAll('[data-id="audit-row"]')).toHaveLength(0);
    });

    it('reads again once a burst of engine signals has passed', async () => {
        await createMonitor();
        graphql.emit(mockFlow, FLOW);
        await flushPromises();

        jest.setSystemTime(new Date('2026-11-23T12:10:00.000Z'));
        publish('/event/Engine_Signal__e', { Kind__c: 'ASSIGNED' });
        publish('/event/Engine_Signal__e', { Kind__c: 'MOVED' });
        jest.advanceTimersByTime(1000);
        await flushPromises();
        expect(graphql.lastConfigFor('lineMonitorFlow').variables.since).toBe(
            '2026-11-16T12:00:00.000Z'
        );

        jest.advanceTimersByTime(2000);
        await flushPromises();
        expect(graphql.lastConfigFor('lineMonitorFlow').variables.since).toBe(
            '2026-11-16T12:10:02.000Z'
        );
    });
});
