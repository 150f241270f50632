import { createElement } from 'lwc';
import CallTimer from 'c/callTimer';

async function flushPromises() {
    for (let i = 0; i < 3; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

function createTimer() {
    const element = createElement('c-call-timer', { is: CallTimer });
    document.body.appendChild(element);
    return element;
}

const display = (element) => element.shadowRoot.querySelector('[data-id="display"]').textContent;
const button = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);

describe('c-call-timer', () => {
    beforeEach(() => {
        jest.useFakeTimers();
    });

    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
        jest.useRealTimers();
    });

    it('starts at zero, stopped', () => {
        const element = createTimer();
        expect(display(element)).toBe('00:00');
        expect(element.elapsedSeconds).toBe(0);
        expect(button(element, 'toggle').label).toBe('c.ASL_Timer_Start');
    });

    it('counts while running and keeps the time when stopped', async () => {
        const element = createTimer();
        button(element, 'toggle').click();
        jest.advanceTimersByTime(83000);
        await flushPromises();
        expect(display(element)).toBe('01:23');
        expect(button(element, 'toggle').label).toBe('c.ASL_Timer_Stop');

        button(element, 'toggle').click();
        jest.advanceTimersByTime(60000);
        await flushPromises();
        expect(element.elapsedSeconds).toBe(83);
        expect(display(element)).toBe('01:23');
    });

    it('resumes from where it stopped and resets to zero', async () => {
        const element = createTimer();
        element.start();
        jest.advanceTimersByTime(10000);
        element.stop();
        element.start();
        jest.advanceTimersByTime(5000);
        expect(element.elapsedSeconds).toBe(15);

        button(element, 'reset').click();
        await flushPromises();
        expect(element.elapsedSeconds).toBe(0);
        expect(display(element)).toBe('00:00');
    });

    it('stops ticking when removed from the page', () => {
        const element = createTimer();
        element.start();
        document.body.removeChild(element);
        expect(jest.getTimerCount()).toBe(0);
    });
});
