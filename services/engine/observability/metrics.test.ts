import v8 from 'node:v8';
import vm from 'node:vm';
import { createMetrics } from './metrics';

/** A full collection on demand, without starting Node with --expose-gc. */
function fullCollection(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

const gaugeValue = async (metrics: ReturnType<typeof createMetrics>, name: string): Promise<number> => {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  return metric?.values[0]?.value ?? Number.NaN;
};

describe('the live heap gauge', () => {
  it('reads the used heap just after a full collection, in every registry of the process', async () => {
    const first = createMetrics();
    const second = createMetrics();
    fullCollection();
    // The observer hears of the collection after it, on a later turn.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const live = await gaugeValue(first, 'asl_nodejs_heap_live_bytes');
    expect(live).toBeGreaterThan(1_000_000);
    expect(await gaugeValue(second, 'asl_nodejs_heap_live_bytes')).toBe(live);
  });
});
