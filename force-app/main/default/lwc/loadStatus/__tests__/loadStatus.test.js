import { createElement } from 'lwc';
import LoadStatus from 'c/loadStatus';

async function createStatus(props) {
    const element = createElement('c-load-status', { is: LoadStatus });
    Object.assign(element, props);
    document.body.appendChild(element);
    await Promise.resolve();
    return element;
}

const $ = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);

describe('c-load-status', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it('shows a spinner while loading, and nothing else', async () => {
        const element = await createStatus({ loading: true, empty: true, emptyMessage: 'None' });
        expect($(element, 'loading')).not.toBeNull();
        expect(element.shadowRoot.querySelector('lightning-spinner').alternativeText).toBe(
            'c.ASL_Common_Loading'
        );
        expect($(element, 'empty')).toBeNull();
        expect($(element, 'load-error')).toBeNull();
    });

    it('shows the reason the data could not be read as an alert', async () => {
        const element = await createStatus({ error: 'INVALID_SESSION_ID', empty: true });
        expect($(element, 'load-error').textContent).toBe('INVALID_SESSION_ID');
        expect(element.shadowRoot.querySelector('[role="alert"] h2').textContent).toBe(
            'c.ASL_Common_Error'
        );
        expect($(element, 'empty')).toBeNull();
    });

    it('says what is missing when the data is empty', async () => {
        const element = await createStatus({ empty: true, emptyMessage: 'No runs yet' });
        expect($(element, 'empty').textContent).toBe('No runs yet');
        expect($(element, 'loading')).toBeNull();
    });

    it('renders nothing when there are rows to show', async () => {
        const element = await createStatus({});
        expect(element.shadowRoot.querySelectorAll('[data-id]')).toHaveLength(0);
    });

    it('is accessible in each state', async () => {
        const element = await createStatus({ error: 'No access' });
        await expect(element).toBeAccessible();
    });
});
