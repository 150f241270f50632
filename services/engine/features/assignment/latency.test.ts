import { EventLatency } from './latency';
import type { AssignRunResult } from './assignRun';

const created = (ids: string[], commitTimestamp: number) => ({ payload: { ChangeEventHeader: { changeType: 'CREATE', recordIds: ids, commitTimestamp } }, event: { replayId: 1 } });
const run = (assigned: string[], extra: Partial<AssignRunResult> = {}) =>
  ({ station: 'SDR_CALL', rows: assigned.map((assetId) => ({ assetId })), failed: [], dryRun: false, ...extra }) as unknown as AssignRunResult;

describe('event-to-assignment latency', () => {
  it('measures from the change event commit to the run that assigned the lead, once per lead', () => {
    let now = 10_000;
    const seen: Array<[string, number]> = [];
    const latency = new EventLatency((station, seconds) => seen.push([station, seconds]), () => now);
    latency.note(created(['00Qa', '00Qb'], 9_000));
    latency.observe(run(['00Qa']));
    now = 70_000; // 00Qb was held back a minute, then assigned: the wait counts
    latency.observe(run(['00Qb', '00Qa']));
    expect(seen).toEqual([
      ['SDR_CALL', 1],
      ['SDR_CALL', 61]
    ]);
  });

  it('ignores updates, dry runs and leads whose owner write failed', () => {
    const seen: number[] = [];
    const latency = new EventLatency((_s, seconds) => seen.push(seconds), () => 5_000);
    latency.note({ payload: { ChangeEventHeader: { changeType: 'UPDATE', recordIds: ['00Qu'], commitTimestamp: 1 } }, event: { replayId: 2 } });
    latency.note(created(['00Qd', '00Qf'], 4_000));
    latency.observe(run(['00Qu', '00Qd'], { dryRun: true }));
    latency.observe(run(['00Qf'], { failed: [{ key: 'Lead:00Qf', errorCode: 'UNABLE_TO_LOCK_ROW' }] }));
    expect(seen).toEqual([]);
    latency.observe(run(['00Qd', '00Qf']));
    expect(seen).toEqual([1, 1]);
  });

  it('measures a lead a run took before its event was handled, once the event comes', () => {
    let now = 10_000;
    const seen: Array<[string, number]> = [];
    const latency = new EventLatency((station, seconds) => seen.push([station, seconds]), () => now);
    // The run read the lead 300 ms after its commit; its change event is handled 50 ms later.
    now = 9_300;
    latency.observe(run(['00Qearly']));
    expect(seen).toEqual([]);
    now = 9_350;
    latency.note(created(['00Qearly'], 9_000));
    expect(seen).toEqual([['SDR_CALL', 0.3]]);
    // Measured once: a replay of the event measures nothing more.
    latency.note(created(['00Qearly'], 9_000));
    expect(seen).toHaveLength(1);
  });

  it('forgets the oldest leads beyond its bounds, so leads that never get an event cost no memory over time', () => {
    const seen: number[] = [];
    const latency = new EventLatency((_s, seconds) => seen.push(seconds), () => 1_000);
    // 2,500 leads assigned by rebalance or re-entry: no CREATE event will come for them.
    latency.observe(run(Array.from({ length: 2_500 }, (_, index) => `00Qre${index}`)));
    // The newest 2,000 are remembered, the oldest 500 forgotten.
    latency.note(created(['00Qre0', '00Qre499', '00Qre500', '00Qre2499'], 0));
    expect(seen).toEqual([1, 1]);
  });
});
