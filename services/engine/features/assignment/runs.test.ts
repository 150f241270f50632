import { Coalescer } from './runs';

describe('Coalescer', () => {
  it('runs once now and once more for every burst of requests that arrive meanwhile', async () => {
    let runs = 0;
    const gates: Array<() => void> = [];
    const coalescer = new Coalescer(async () => {
      runs += 1;
      const mine = runs;
      await new Promise<void>((resolve) => gates.push(resolve));
      return mine;
    });
    const first = coalescer.request();
    const burst = [coalescer.request(), coalescer.request(), coalescer.request()];
    expect(runs).toBe(1);
    gates.shift()?.();
    expect(await first).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toBe(2);
    gates.shift()?.();
    expect(await Promise.all(burst)).toEqual([2, 2, 2]);
    await coalescer.idle();
    expect(runs).toBe(2);
  });

  it('starts the queued run even when the running one fails', async () => {
    let calls = 0;
    const coalescer = new Coalescer(async () => {
      calls += 1;
      if (calls === 1) throw new Error('org unavailable');
      return calls;
    });
    const failing = coalescer.request();
    const next = coalescer.request();
    await expect(failing).rejects.toThrow('org unavailable');
    expect(await next).toBe(2);
  });
});
