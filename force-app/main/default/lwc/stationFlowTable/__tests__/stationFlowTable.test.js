import { createElement } from 'lwc';
import StationFlowTable from 'c/stationFlowTable';

const mockRows = require('./data/stationRows.json');

function createTable(rows) {
    const element = createElement('c-station-flow-table', { is: StationFlowTable });
    element.rows = rows;
    document.body.appendChild(element);
    return element;
}

const cell = (row, id) => row.querySelector(`[data-id="${id}"]`).textContent;

describe('c-station-flow-table', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it('shows one row per station with readable figures', () => {
        const element = createTable(mockRows);
        const [sdr, demo] = element.shadowRoot.querySelectorAll('[data-id="station-row"]');
        expect(cell(sdr, 'name')).toBe('SDR Calling');
        expect(cell(sdr, 'wip')).toBe('2');
        expect(cell(sdr, 'target-wip')).toBe('250');
        expect(cell(sdr, 'throughput')).toBe('0.6');
        expect(cell(sdr, 'cycle')).toBe('12h 30m');
        expect(cell(sdr, 'little')).toBe('3d 12h');
        expect(cell(sdr, 'sla')).toBe('c.ASL_LM_Hours');
        expect(cell(sdr, 'breaches')).toBe('1');
        expect(sdr.querySelector('[data-id="breaches"] span').className).toContain(
            'slds-text-color_error'
        );
        expect(cell(sdr, 'oldest')).toBe('2d 4h');
        expect(cell(demo, 'cycle')).toBe('c.ASL_LM_No_Exits');
        expect(cell(demo, 'little')).toBe('c.ASL_LM_No_Exits');
        expect(cell(demo, 'target-wip')).toBe('');
    });

    it('marks the bottleneck row in words, not only in colour', () => {
        const element = createTable(mockRows);
        const [sdr, demo] = element.shadowRoot.querySelectorAll('[data-id="station-row"]');
        expect(sdr.querySelector('[data-id="bottleneck"]')).toBeNull();
        expect(demo.querySelector('[data-id="bottleneck"]').textContent).toBe(
            'c.ASL_LM_Bottleneck'
        );
        expect(demo.className).toContain('asl-bottleneck');
    });

    it('is accessible', async () => {
        await expect(createTable(mockRows)).toBeAccessible();
    });

    it('renders no rows for no stations', () => {
        const element = createTable([]);
        expect(element.shadowRoot.querySelectorAll('[data-id="station-row"]')).toHaveLength(0);
    });
});
