/**
 * Polling for end-to-end tests: the engine answers org changes asynchronously (streaming,
 * batched re-plans), so a test waits for the effect instead of sleeping a fixed time.
 */
async function poll<T>(what: string, probe: () => Promise<T>, answered: (value: T) => boolean, timeoutMs: number, intervalMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (answered(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Waits until `probe` gives a truthy value and returns it; fails naming `what`. */
export function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000, intervalMs = 50): Promise<T> {
  return poll(what, probe, (value) => Boolean(value), timeoutMs, intervalMs) as Promise<T>;
}

/** Waits until `probe` gives anything but undefined (0 and false count as answers). */
export function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  return poll(what, probe, (value) => value !== undefined, timeoutMs, 100) as Promise<T>;
}
