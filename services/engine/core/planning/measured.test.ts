import { measuredStages } from './measured';

describe('stations measured from org records', () => {
  const leads = [
    { Id: 'L1', CreatedDate: '2026-10-01T00:00:00Z' },
    { Id: 'L2', CreatedDate: '2026-10-01T00:00:00Z' },
    { Id: 'L3', CreatedDate: '2026-10-01T00:00:00Z' },
    { Id: 'L4', CreatedDate: '2026-10-01T00:00:00Z' }
  ];
  const d = (lead: string, outcome: string, day: number) => ({ Lead__c: lead, Outcome__c: outcome, CreatedDate: `2026-10-${String(day).padStart(2, '0')}T00:00:00Z` });

  it('follows the lead cohort through contact, meeting and demo, and closes on opportunities', () => {
    const m = measuredStages({
      leads,
      dispositions: [d('L1', 'No Answer', 2), d('L1', 'Call Back Requested', 3), d('L1', 'Meeting Booked', 5), d('L1', 'Demo Held', 9), d('L2', 'Not Interested', 5), d('L3', 'Meeting Booked', 2), d('L3', 'No Show', 4), d('L9', 'Meeting Booked', 2)],
      opportunities: [
        { IsWon: true, Amount: 1000, CreatedDate: '2026-10-01T00:00:00Z', CloseDate: '2026-10-31' },
        { IsWon: false, Amount: 500, CreatedDate: '2026-10-01T00:00:00Z', CloseDate: '2026-10-11' }
      ]
    });
    expect(m.stages.map((s) => s.conversion)).toEqual([
      { converted: 3, entered: 4 },
      { converted: 2, entered: 3 },
      { converted: 1, entered: 2 },
      { converted: 1, entered: 2 }
    ]);
    // L1 contacted after 2 days, L2 after 4, L3 after 1 -> mean 7/3; meetings: L1 2 days after contact, L3 0.
    expect(m.stages[0]?.cycleDays).toBeCloseTo(7 / 3);
    expect(m.stages[1]?.cycleDays).toBeCloseTo(1);
    expect(m.stages[2]?.cycleDays).toBeCloseTo(4);
    expect(m.stages[3]?.cycleDays).toBeCloseTo(20);
    expect(m.attemptsPerLead).toBeCloseTo(5 / 3); // calls: L1 3, L2 1, L3 1 (Demo Held and No Show are not calls)
    expect(m.averageDealSize).toBe(1000);
  });

  it('names the station that has no measurements', () => {
    expect(() => measuredStages({ leads, dispositions: [d('L1', 'No Answer', 2)], opportunities: [] })).toThrow(/stages\[0\] \(Lead to contact\).*widen --measure-days/);
  });
});
