import {
  contactProbability,
  loadBehaviourModel,
  meetingProbability,
  speedMultiplier,
  winProbability,
  type LeadTraits
} from './behaviourModel';

const model = loadBehaviourModel();
const listLead: LeadTraits = {
  source: 'Purchased List',
  segment: 'SMB',
  inbound: false,
  fame: 'Unknown'
};
const webLead: LeadTraits = { source: 'Web', segment: 'SMB', inbound: true, fame: 'Unknown' };
const call = { attempt: 1, localHour: 10, weekday: 'Wed' as const, minutesSinceCreated: 3 };

describe('behaviour model (config/behaviour-model.json)', () => {
  it('parses, cites a source for every finding and keeps the shared top-level shape', () => {
    expect(Object.keys(model)).toEqual(
      expect.arrayContaining([
        'version',
        'sources',
        'contact',
        'meetingGivenContact',
        'noShowRate',
        'demoToWin',
        'dealSize',
        'callMinutes',
        'daysToClose',
        'fame'
      ])
    );
    expect(model.sources.map((source) => source.id)).toEqual(
      expect.arrayContaining(['lrm2007', 'hbr2011', 'velocify-ucs'])
    );
    expect(model.contact.attemptMultiplier.length).toBeGreaterThanOrEqual(6);
  });

  it('applies speed to lead to inbound leads only, by the first step the lead is young enough for', () => {
    expect(speedMultiplier(model, listLead, 3)).toBe(1);
    expect(speedMultiplier(model, webLead, 1)).toBe(7);
    expect(speedMultiplier(model, webLead, 3)).toBe(6);
    expect(speedMultiplier(model, webLead, 45)).toBe(3);
    expect(speedMultiplier(model, webLead, 90)).toBe(1.2);
    expect(speedMultiplier(model, webLead, 10_000)).toBe(0.5);
  });

  it('multiplies base rate and factors, as docs/behaviour-model.md states', () => {
    const expected = 0.08 * 1.0 * 1 * 1.0 * 1.15 * 1.0;
    expect(contactProbability(model, listLead, call)).toBeCloseTo(expected, 10);
    const fourthAttemptThursday = contactProbability(model, listLead, {
      ...call,
      attempt: 4,
      localHour: 16,
      weekday: 'Thu'
    });
    expect(fourthAttemptThursday).toBeCloseTo(0.08 * 1.0 * 0.62 * 1.3 * 1.2, 10);
  });

  it('uses the last attempt factor past the end of the list and halves unmodelled hours', () => {
    const tenth = contactProbability(model, listLead, { ...call, attempt: 10 });
    const eighth = contactProbability(model, listLead, { ...call, attempt: 8 });
    expect(tenth).toBe(eighth);
    const evening = contactProbability(model, listLead, { ...call, localHour: 20 });
    expect(evening).toBeCloseTo(0.08 * 1.0 * 0.5 * 1.2 * 1.15, 10);
  });

  it('never returns a certainty', () => {
    const phone: LeadTraits = {
      source: 'Phone Inquiry',
      segment: 'SMB',
      inbound: true,
      fame: 'Unknown'
    };
    expect(
      contactProbability(model, phone, {
        ...call,
        minutesSinceCreated: 0.5,
        localHour: 16,
        weekday: 'Thu'
      })
    ).toBe(model.maxProbability);
  });

  it('gives inbound and referred leads more meetings per contact than purchased lists', () => {
    expect(meetingProbability(model, webLead)).toBeCloseTo(0.05 * 1.0 * 1.1 * 3, 10);
    expect(meetingProbability(model, listLead)).toBeCloseTo(0.05 * 0.6 * 1.1, 10);
    expect(winProbability(model, 'Enterprise')).toBeCloseTo(0.22 * 0.75, 10);
  });
});
