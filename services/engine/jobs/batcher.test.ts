import fc from 'fast-check';
import { IdBatcher } from './batcher';

/** A batcher whose runs wait until the test releases them, recording the ids of each run. */
function gated(fail: (run: number) => boolean = () => false) {
  const runs: string[][] = [];
  const gates: Array<() => void> = [];
  const batcher = new IdBatcher<number>(async (ids) => {
    runs.push(ids);
    const run = runs.length;
    await new Promise<void>((resolve) => gates.push(resolve));
    if (fail(run)) throw new Error(`run ${run} failed`);
    return run;
  });
  const release = async () => {
    // Let the batcher reach its next run (or finish) before the test looks.
    for (let turn = 0; turn < 5 && gates.length === 0; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    gates.shift()?.();
  };
  return { runs, gates, batcher, release };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('IdBatcher (coalesced lead re-plans)', () => {
  it('merges every id added during a running re-plan into one follow-up re-plan, losing none', async () => {
    const { runs, batcher, release } = gated();
    const first = batcher.add(['L0']);
    await settle();
    expect(runs).toEqual([['L0']]);
    // 60 events arrive while the first re-plan runs: a create and an owner change per lead.
    const during = Array.from({ length: 30 }, (_, index) => [batcher.add([`L${index + 1}`]), batcher.add([`L${index + 1}`])]).flat();
    expect(runs).toHaveLength(1);
    expect(batcher.waiting).toBe(30);
    await release();
    expect(await first).toBe(1);
    await settle();
    expect(runs).toHaveLength(2);
    expect(runs[1]).toEqual(Array.from({ length: 30 }, (_, index) => `L${index + 1}`));
    await release();
    // Every caller of the burst learns the result of the one re-plan that covered its lead.
    expect(await Promise.all(during)).toEqual(Array.from({ length: 60 }, () => 2));
    await batcher.idle();
    expect(runs).toHaveLength(2);
  });

  it('puts the ids of a failed re-plan into the next one, then gives them up after the attempt limit', async () => {
    const { runs, batcher, release } = gated((run) => run <= 3);
    const failing = batcher.add(['A', 'B']);
    failing.catch(() => undefined);
    await release();
    await expect(failing).rejects.toThrow('run 1 failed');
    expect(batcher.takeFailure()).toMatchObject({ ids: ['A', 'B'], gaveUp: [] });
    // The retry of A and B started at once; C arrives during it and joins the one after.
    const later = batcher.add(['C']);
    later.catch(() => undefined);
    await release(); // run 2 (A, B) fails: their second attempt
    await release(); // run 3 (C, A, B) fails: A and B reach 3 attempts, C is retried
    await release(); // run 4: C alone succeeds
    await batcher.idle();
    expect(runs).toEqual([['A', 'B'], ['A', 'B'], ['C', 'A', 'B'], ['C']]);
    expect(batcher.takeFailure()).toMatchObject({ ids: ['C', 'A', 'B'], gaveUp: ['A', 'B'] });
    expect(batcher.takeFailure()).toBeUndefined();
  });

  it('settles each caller with a re-plan that covered its ids, never re-planning an id twice in one batch (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 5 }), { minLength: 1, maxLength: 40 }), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), async (events, yields) => {
        const runs: string[][] = [];
        const batcher = new IdBatcher<number>(async (ids) => {
          runs.push(ids);
          await settle();
          return runs.length;
        });
        const covered: Array<Promise<{ ids: string[]; run: number }>> = [];
        for (const [index, event] of events.entries()) {
          const ids = event.map((n) => `L${n}`);
          covered.push(batcher.add(ids).then((run) => ({ ids, run })));
          if (yields[index]) await settle();
        }
        await batcher.idle();
        for (const { ids, run } of await Promise.all(covered)) {
          for (const id of ids) expect(runs[run - 1]).toContain(id);
        }
        for (const ids of runs) expect(new Set(ids).size).toBe(ids.length);
        // Fewer re-plans than events whenever events arrived during a run.
        expect(runs.length).toBeLessThanOrEqual(events.length);
      }),
      { numRuns: 60 }
    );
  });
});
