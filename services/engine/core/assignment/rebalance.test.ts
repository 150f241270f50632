import { planRebalance } from './rebalance';
import { makeRep, makeStation, repId } from './testing';

const NOW = new Date('2024-05-06T15:00:00Z');
const open = (owner: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `00Q${owner}${i}`, ownerId: repId(owner), enteredAt: new Date(NOW.getTime() - (n - i) * 60_000).toISOString() }));

describe('rebalance plan', () => {
  it('takes back everything from a rep who left, is inactive or on leave, and the newest beyond a WIP cap', () => {
    const reps = [
      makeRep(0),
      makeRep(1, { active: false }),
      makeRep(2, { leaveStart: '2024-05-01', leaveEnd: '2024-05-10' }),
      makeRep(3, { wipCap: 2 }),
      makeRep(4, { stations: ['DEMO'] }),
      makeRep(5, { shiftStartHour: 0, shiftEndHour: 8 }) // off shift now: keeps their work
    ];
    const plan = planRebalance(makeStation(), reps, [...open(0, 2), ...open(1, 2), ...open(2, 1), ...open(3, 4), ...open(4, 1), ...open(5, 3), ...open(9, 1)], NOW);
    const byReason = (reason: string) => plan.release.filter((r) => r.reason === reason).map((r) => r.assetId);
    expect(byReason('inactive')).toEqual(['00Q10', '00Q11']);
    expect(byReason('on-leave')).toEqual(['00Q20']);
    expect(byReason('over-wip-cap')).toEqual(['00Q32', '00Q33']); // the two newest; the oldest two stay
    expect(byReason('left-station')).toEqual(['00Q40']);
    expect(byReason('not-a-rep')).toEqual(['00Q90']);
    expect(plan.release.some((r) => r.fromRepId === repId(0) || r.fromRepId === repId(5))).toBe(false);
  });
});
