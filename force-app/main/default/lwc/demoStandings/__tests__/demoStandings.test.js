import { createElement } from 'lwc';
import DemoStandings from 'c/demoStandings';

const mockStandings = require('./data/standings.json');

async function flushPromises() {
    for (let i = 0; i < 4; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

async function render(props) {
    const element = createElement('c-demo-standings', { is: DemoStandings });
    Object.assign(element, props);
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

const cells = (element, name) =>
    [...element.shadowRoot.querySelectorAll(`[data-cell="${name}"]`)].map((cell) =>
        cell.textContent.trim()
    );

describe('c-demo-standings', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it("lists the AEs in the engine's need order with demos, target and attainment", async () => {
        const element = await render({
            standings: mockStandings,
            seed: 'a0R000000000001AAA',
            periodStart: '2026-11-01T00:00:00.000Z',
            periodEnd: '2026-12-01T00:00:00.000Z'
        });
        expect(cells(element, 'name')).toEqual(['Ben Okafor', 'Ana Lopez', 'Chen Wu']);
        expect(cells(element, 'booked')).toEqual(['2', '2', '6']);
        expect(cells(element, 'attainment')).toEqual(['20%', '20%', '60%']);
        // Without a target of their own an AE is measured against the team's mean target.
        expect(cells(element, 'target')).toEqual(['10', '10', 'c.ASL_DC_Mean_Target']);
        expect(element.shadowRoot.querySelector('[data-id="period"]').textContent.trim()).toBe(
            'c.ASL_DC_Period'
        );
    });

    it('says why the first AE is first, and that a seeded draw broke the tie', async () => {
        const element = await render({ standings: mockStandings, seed: 's' });
        expect(element.shadowRoot.querySelector('[data-id="why-first"]').textContent).toBe(
            'c.ASL_DC_Why_First c.ASL_DC_Tied'
        );
        const alone = await render({ standings: mockStandings.slice(1), seed: 's' });
        expect(alone.shadowRoot.querySelector('[data-id="why-first"]').textContent).toBe(
            'c.ASL_DC_Why_First'
        );
        const mean = await render({ standings: [mockStandings[2]], seed: 's' });
        expect(mean.shadowRoot.querySelector('[data-id="why-first"]').textContent).toBe(
            'c.ASL_DC_Why_First_Mean'
        );
    });

    it('shows nothing but its heading without standings', async () => {
        const element = await render({ standings: [] });
        expect(element.shadowRoot.querySelector('table')).toBeNull();
        expect(element.shadowRoot.querySelector('[data-id="why-first"]')).toBeNull();
    });

    it('is accessible', async () => {
        const element = await render({ standings: mockStandings, seed: 's' });
        await expect(element).toBeAccessible();
    });
});
