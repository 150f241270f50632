/**
 * Work that must not overlap, run one piece at a time in the order it was handed in. A piece
 * that fails does not stop the next: its caller gets the error, the lane goes on.
 */
export class Lane {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(() => work());
    this.tail = next.catch(() => undefined);
    return next;
  }
}
