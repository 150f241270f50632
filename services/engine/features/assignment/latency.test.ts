import { EventLatency } from './latency';
import type { AssignRunResult } from './assignRun';

const created = (ids: string[], commitTimestamp: number) => ({ payload: { ChangeEventHeader: { changeType: 'CREATE', recordIds: ids, commitTimestamp } }, event: { replayId: 1 } });
const run = (assigned: string[], extra: Partial<AssignRunResult> = {}) =>
  ({ station: 'SDR_CALL', rows: assigned.map((assetId) => ({ assetId })), failed: [], dryRun: false, ...extra }) as unknown as AssignRunResult;

describe('event-to-assignment latency', () => {
  it('measures from the change event commit to the run that assigned the lead, once per lead', () => {
    let now = 10_000;
    const latency = new EventLatency(() => now);
    const seen: Array<[string, number]> = [];
    const record = (station: string, seconds: number) => seen.push([station, seconds]);
    latency.note(created(['00Qa', '00Qb'], 9_000));
    latency.observe(run(['00Qa']), record);
    now = 70_000; // 00Qb was held back a minute, then assigned: the wait counts
    latency.observe(run(['00Qb', '00Qa', '00Qother']), record);
    expect(seen).toEqual([
      ['SDR_CALL', 1],
      ['SDR_CALL', 61]
    ]);
  });

  it('ignores updates, dry runs and leads whose owner write failed', () => {
    const latency = new EventLatency(() => 5_000);
    const seen: number[] = [];
    latency.note({ payload: { ChangeEventHeader: { changeType: 'UPDATE', recordIds: ['00Qu'], commitTimestamp: 1 } }, event: { replayId: 2 } });
    latency.note(created(['00Qd', '00Qf'], 4_000));
    latency.observe(run(['00Qu', '00Qd'], { dryRun: true }), (_s, seconds) => seen.push(seconds));
    latency.observe(run(['00Qf'], { failed: [{ key: 'Lead:00Qf', errorCode: 'UNABLE_TO_LOCK_ROW' }] }), (_s, seconds) => seen.push(seconds));
    expect(seen).toEqual([]);
    latency.observe(run(['00Qd', '00Qf']), (_s, seconds) => seen.push(seconds));
    expect(seen).toEqual([1, 1]);
  });
});
