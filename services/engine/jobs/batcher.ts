/**
 * Coalesces ids into batches: at most one batch runs at a time, and every id added while it
 * runs joins the next one, which covers all of them at once. A burst of lead change events
 * (a create and an owner change per lead) therefore costs a re-plan per batch, not per event.
 *
 * Nothing is lost: an id added is in exactly one later batch, and each caller's promise
 * settles with the result of the batch that covered its ids. When a batch fails, its ids go
 * back into the next batch, up to `maxAttempts` times each; after that they are given up
 * (the queue's full ranking, on the Rerank job or at the next start, reads every lead) and
 * the failure is kept for `takeFailure()`.
 */
export interface BatchFailure {
  error: unknown;
  /** The ids of the failed batch. */
  ids: string[];
  /** Ids that failed `maxAttempts` times and are no longer retried. */
  gaveUp: string[];
}

interface Waiter<R> {
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export class IdBatcher<R> {
  private pending = new Set<string>();
  private waiters: Array<Waiter<R>> = [];
  private running: Promise<void> | undefined;
  private readonly attempts = new Map<string, number>();
  private failure: BatchFailure | undefined;

  constructor(
    private readonly run: (ids: string[]) => Promise<R>,
    private readonly maxAttempts = 3
  ) {
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts: ${maxAttempts}. Use a whole number of at least 1.`);
  }

  /** Ids waiting for the next batch (not counting the batch running now). */
  get waiting(): number {
    return this.pending.size;
  }

  /** Adds ids to the next batch; settles when the batch that covers them is done. */
  add(ids: Iterable<string>): Promise<R> {
    for (const id of ids) this.pending.add(id);
    const done = new Promise<R>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.running ??= this.drain();
    return done;
  }

  /** Resolves once no batch is running or waiting. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** The last failure since the previous call, if any. */
  takeFailure(): BatchFailure | undefined {
    const failure = this.failure;
    this.failure = undefined;
    return failure;
  }

  private async drain(): Promise<void> {
    // Ids added in the same turn as the first one (one delivery of several events) share its batch.
    await Promise.resolve();
    while (this.pending.size > 0 || this.waiters.length > 0) {
      const ids = [...this.pending];
      const waiters = this.waiters;
      this.pending = new Set();
      this.waiters = [];
      try {
        const result = await this.run(ids);
        for (const id of ids) this.attempts.delete(id);
        for (const waiter of waiters) waiter.resolve(result);
      } catch (error) {
        this.failure = { error, ids, gaveUp: this.requeue(ids) };
        for (const waiter of waiters) waiter.reject(error);
      }
    }
    this.running = undefined;
  }

  private requeue(ids: readonly string[]): string[] {
    const gaveUp: string[] = [];
    for (const id of ids) {
      const attempts = (this.attempts.get(id) ?? 0) + 1;
      if (attempts >= this.maxAttempts) {
        this.attempts.delete(id);
        gaveUp.push(id);
      } else {
        this.attempts.set(id, attempts);
        this.pending.add(id);
      }
    }
    return gaveUp;
  }
}
