import { LightningElement, api } from 'lwc';
import { formatClock } from 'c/aslUtils';
import LABEL_TITLE from '@salesforce/label/c.ASL_Timer_Title';
import LABEL_START from '@salesforce/label/c.ASL_Timer_Start';
import LABEL_STOP from '@salesforce/label/c.ASL_Timer_Stop';
import LABEL_RESET from '@salesforce/label/c.ASL_Timer_Reset';

const TICK_MS = 1000;

/**
 * A call timer. It measures with the wall clock (Date.now) rather than counting ticks, so a
 * throttled background tab still reports the true length of the call.
 */
export default class CallTimer extends LightningElement {
    labels = { title: LABEL_TITLE, start: LABEL_START, stop: LABEL_STOP, reset: LABEL_RESET };

    running = false;
    accumulatedMs = 0;
    startedAt = null;
    display = formatClock(0);
    intervalId = null;

    /** Whole seconds measured so far, including the running stretch. */
    @api
    get elapsedSeconds() {
        const runningMs = this.running ? Date.now() - this.startedAt : 0;
        return Math.floor((this.accumulatedMs + runningMs) / 1000);
    }

    /** Starts (or resumes) timing; does nothing when already running. */
    @api
    start() {
        if (this.running) {
            return;
        }
        this.running = true;
        this.startedAt = Date.now();
        // The clock must tick while the SDR talks; cleared in stop() and disconnectedCallback().
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.intervalId = setInterval(() => this.updateDisplay(), TICK_MS);
        this.updateDisplay();
    }

    /** Stops timing and keeps the measured time. */
    @api
    stop() {
        if (!this.running) {
            return;
        }
        this.accumulatedMs += Date.now() - this.startedAt;
        this.running = false;
        this.startedAt = null;
        this.clearTick();
        this.updateDisplay();
    }

    /** Stops and sets the timer back to zero, for the next call. */
    @api
    reset() {
        this.running = false;
        this.startedAt = null;
        this.accumulatedMs = 0;
        this.clearTick();
        this.updateDisplay();
    }

    disconnectedCallback() {
        this.clearTick();
    }

    get toggleLabel() {
        return this.running ? this.labels.stop : this.labels.start;
    }

    get toggleIcon() {
        return this.running ? 'utility:pause' : 'utility:play';
    }

    handleToggle() {
        if (this.running) {
            this.stop();
        } else {
            this.start();
        }
    }

    handleReset() {
        this.reset();
    }

    updateDisplay() {
        this.display = formatClock(this.elapsedSeconds);
    }

    clearTick() {
        if (this.intervalId !== null) {
            clearInterval(this.intervalId);
            this.intervalId = null;
        }
    }
}
