/**
 * The daily API allowance. Salesforce counts API requests over a rolling 24 hours and
 * reports them in every response's `Sforce-Limit-Info: api-usage=N/MAX` header
 * (REST API Developer Guide: "Limit Info Header"); past the allowance it answers
 * 403 REQUEST_LIMIT_EXCEEDED "TotalRequests Limit exceeded." (Salesforce Developer Limits
 * and Allocations Quick Reference: "API Request Limits and Allocations").
 *
 * Calls are counted per minute bucket, so the rolling window costs at most 1,440 entries.
 */
const MINUTE = 60_000;
const WINDOW_MINUTES = 24 * 60;

export class ApiUsage {
  private readonly buckets = new Map<number, number>();

  constructor(
    private readonly now: () => Date,
    private limit: number,
  ) {}

  get max(): number {
    return this.limit;
  }

  /** Calls counted in the last 24 hours. */
  used(): number {
    this.expire();
    let total = 0;
    for (const count of this.buckets.values()) total += count;
    return total;
  }

  remaining(): number {
    return Math.max(0, this.limit - this.used());
  }

  /** Counts one call if the allowance has room; false when the limit is already reached. */
  tryConsume(): boolean {
    if (this.used() >= this.limit) return false;
    const minute = Math.floor(this.now().getTime() / MINUTE);
    this.buckets.set(minute, (this.buckets.get(minute) ?? 0) + 1);
    return true;
  }

  header(): string {
    return `api-usage=${this.used()}/${this.limit}`;
  }

  /** Admin: change the allowance or forget the usage. */
  configure(change: { limit?: number; reset?: boolean }): void {
    if (change.limit !== undefined) this.limit = change.limit;
    if (change.reset === true) this.buckets.clear();
  }

  private expire(): void {
    const oldest = Math.floor(this.now().getTime() / MINUTE) - WINDOW_MINUTES;
    for (const minute of this.buckets.keys()) {
      if (minute <= oldest) this.buckets.delete(minute);
    }
  }
}
