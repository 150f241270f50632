import { createElement } from 'lwc';
import BinCard from 'c/binCard';

const mockCold = require('./data/binCold.json');
const mockAvoidEmpty = require('./data/binAvoidEmpty.json');

function createCard(bin) {
    const element = createElement('c-bin-card', { is: BinCard });
    element.bin = bin;
    document.body.appendChild(element);
    return element;
}

describe('c-bin-card', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it('shows the bin, its total, the age bands and who waits longest', () => {
        const element = createCard(mockCold);
        const root = element.shadowRoot;
        expect(root.querySelector('h3').textContent).toBe('Cold');
        expect(root.querySelector('[data-id="total"]').textContent).toBe('3');
        expect(root.querySelector('[data-id="counts"]').textContent).toBe('c.ASL_BB_Counts');
        expect(root.querySelector('[data-band="quarter"]').textContent).toBe('1');
        expect(root.querySelector('[data-band="unknown"]').textContent).toBe('1');
        const oldest = [...root.querySelectorAll('[data-id="oldest"]')];
        expect(oldest.map((item) => item.querySelector('a').textContent)).toEqual([
            'Grace Hopper',
            'Ada Lovelace'
        ]);
        expect(oldest[0].querySelector('a').getAttribute('href')).toBe(
            '/lightning/r/Lead/00Q000000000002AAA/view'
        );
        expect(root.querySelector('[data-id="bin-empty"]')).toBeNull();
    });

    it('is accessible', async () => {
        await expect(createCard(mockCold)).toBeAccessible();
    });

    it('shows an empty Avoid bin with its rule', () => {
        const element = createCard(mockAvoidEmpty);
        const root = element.shadowRoot;
        expect(root.querySelector('[data-id="bin-empty"]')).not.toBeNull();
        expect(root.querySelector('article').className).toContain('slds-theme_shade');
        expect(root.textContent).toContain('c.ASL_BB_Avoid_Note');
        expect(root.querySelectorAll('[data-id="oldest"]')).toHaveLength(0);
    });
});
