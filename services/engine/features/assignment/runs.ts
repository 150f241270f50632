/**
 * At most one run of a kind in flight, and at most one queued behind it: events that arrive
 * while a run is going share the next run, which reads everything waiting by then. A burst
 * of 200 new leads therefore costs a handful of runs, not 200.
 */
export class Coalescer<T> {
  private running: Promise<T> | undefined;
  private queued: Promise<T> | undefined;

  constructor(private readonly run: () => Promise<T>) {}

  request(): Promise<T> {
    if (!this.running) {
      this.running = this.run().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.request();
      });
    return this.queued;
  }

  /** Resolves once nothing is running or queued. */
  async idle(): Promise<void> {
    while (this.running || this.queued) await Promise.allSettled([this.running, this.queued]);
  }
}
