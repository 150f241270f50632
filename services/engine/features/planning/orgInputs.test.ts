import fc from 'fast-check';
import type { Measured } from '../../core/planning';
import { planInputFromScope, planScopeSchema, type OrgPlanFacts } from './job';
import { currentHeads, engineerLoad, inboundArrivals, sdrHandlingMinutes } from './orgInputs';

const stations = [
  { Key__c: 'SDR_CALL', Role__c: 'SDR', Handling_Minutes__c: 2, Active__c: true },
  { Key__c: 'COORDINATE', Role__c: 'Coordinator', Handling_Minutes__c: 6, Active__c: true },
  { Key__c: 'DEMO', Role__c: 'Account Executive', Handling_Minutes__c: 45, Active__c: true },
  { Key__c: 'SE', Role__c: 'Sales Engineer', Handling_Minutes__c: 60, Active__c: true },
  { Key__c: 'SERVICE', Role__c: 'Service', Handling_Minutes__c: 15, Active__c: true }
];

describe('heads today from Rep_Capacity__c', () => {
  it('counts each active rep once, by the role of their first station', () => {
    const reps = [
      { Station_Keys__c: 'SDR_CALL', Demo_Target__c: null },
      { Station_Keys__c: 'SDR_CALL;COORDINATE', Demo_Target__c: null },
      { Station_Keys__c: 'COORDINATE', Demo_Target__c: '' },
      { Station_Keys__c: 'DEMO;PROPOSAL', Demo_Target__c: 40 },
      { Station_Keys__c: 'SERVICE', Demo_Target__c: null },
      { Station_Keys__c: null, Demo_Target__c: null }
    ];
    expect(currentHeads(stations, reps)).toEqual({ sdr: 2, coordinator: 1, closer: 1 });
  });

  it('takes a rep at an AE station without a demo target for a sales engineer (docs/data-model.md: Demo_Target__c is for AEs)', () => {
    const reps = [
      { Station_Keys__c: 'DEMO', Demo_Target__c: null },
      { Station_Keys__c: 'DEMO', Demo_Target__c: '20' },
      { Station_Keys__c: 'SE', Demo_Target__c: null }
    ];
    expect(currentHeads(stations, reps)).toEqual({ engineer: 2, closer: 1 });
  });

  it('reads the SDR minutes per dial from the active SDR station', () => {
    expect(sdrHandlingMinutes(stations)).toBe(2);
    expect(sdrHandlingMinutes(stations.map((s) => ({ ...s, Active__c: s.Role__c !== 'SDR' })))).toBeNull();
  });
});

describe('sales engineers\u2019 demo load from Demo_Slot__c', () => {
  it('is the share of demos with an engineer and their mean hours', () => {
    const slots = [
      { Engineer__c: '005A', Start__c: '2026-11-16T15:00:00.000Z', End__c: '2026-11-16T16:00:00.000Z' },
      { Engineer__c: '005B', Start__c: '2026-11-17T15:00:00.000Z', End__c: '2026-11-17T17:00:00.000Z' },
      { Engineer__c: null, Start__c: '2026-11-18T15:00:00.000Z', End__c: '2026-11-18T15:45:00.000Z' },
      { Engineer__c: '', Start__c: '2026-11-19T15:00:00.000Z', End__c: '2026-11-19T15:45:00.000Z' }
    ];
    expect(engineerLoad(slots)).toEqual({ shareOfDemos: 0.5, hoursPerDemo: 1.5, demos: 4 });
  });

  it('is unknown when no demo had an engineer', () => {
    expect(engineerLoad([])).toBeNull();
    expect(engineerLoad([{ Engineer__c: null, Start__c: '2026-11-16T15:00:00.000Z', End__c: '2026-11-16T16:00:00.000Z' }])).toBeNull();
  });
});

describe('inbound arrivals per hour', () => {
  // Monday 2026-11-16 to Monday 2026-11-23: five working days.
  const window = { start: new Date('2026-11-16T00:00:00Z'), end: new Date('2026-11-23T00:00:00Z') };

  it('averages weekday arrivals per UTC hour over the working days, for the busiest shift', () => {
    const created = [
      ...Array.from({ length: 10 }, (_, i) => `2026-11-${16 + (i % 5)}T14:${String(i).padStart(2, '0')}:00.000Z`),
      '2026-11-17T15:10:00.000Z',
      '2026-11-21T14:00:00.000Z' // Saturday: left out
    ];
    const result = inboundArrivals(created, window, 2);
    expect(result).toEqual({ arrivalsPerHour: [2, 0.2], shiftStartHourUtc: 14, leads: 11, workingDays: 5 });
  });

  it('says nothing when no inbound lead arrived', () => {
    expect(inboundArrivals([], window, 8)).toBeNull();
  });

  it('never counts more leads per shift than arrived on working days (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: window.start.getTime(), max: window.end.getTime() - 1 }), { maxLength: 200 }), fc.integer({ min: 1, max: 24 }), (times, shift) => {
        const result = inboundArrivals(times.map((t) => new Date(t).toISOString()), window, shift);
        if (!result) return;
        const shown = result.arrivalsPerHour.reduce((a, b) => a + b, 0) * result.workingDays;
        expect(shown).toBeLessThanOrEqual(result.leads + 1e-9);
        expect(result.arrivalsPerHour).toHaveLength(shift);
      })
    );
  });
});

describe('the plan input from Scope__c and the org', () => {
  const measured: Measured = {
    stages: [
      { name: 'Lead to contact', conversion: { converted: 300, entered: 1000 }, cycleDays: 2 },
      { name: 'Contact to meeting', conversion: { converted: 60, entered: 300 }, cycleDays: 5 },
      { name: 'Meeting to demo held', conversion: { converted: 48, entered: 60 }, cycleDays: 4 },
      { name: 'Demo held to won', conversion: { converted: 12, entered: 48 }, cycleDays: 30 }
    ],
    attemptsPerLead: 3.5,
    averageDealSize: 20_000
  };
  const facts: OrgPlanFacts = {
    measured: { ...measured, window: { start: '2026-05-20T00:00:00.000Z', end: '2026-11-16T00:00:00.000Z' } },
    heads: { sdr: 4, coordinator: 1, closer: 2 },
    sdrHandlingMinutes: 2,
    inbound: { arrivalsPerHour: [3, 5], shiftStartHourUtc: 14, leads: 100, workingDays: 12 },
    engineer: null
  };

  it('fills from the org what the scope does not give, and says so', () => {
    const scope = planScopeSchema.parse({ targetBookings: 600_000, periodDays: 91, closer: { annualCost: 140_000 } });
    const { input, sources } = planInputFromScope(scope, facts);
    expect(input.stages).toBe(measured.stages);
    expect(input.averageDealSize).toBe(20_000);
    expect(input.sdr).toEqual({ attemptsPerLead: 3.5, handlingMinutes: 2, currentHeads: 4 });
    expect(input.closer).toEqual({ annualCost: 140_000, currentHeads: 2 });
    expect(input.inbound).toEqual({ arrivalsPerHour: [3, 5], handleMinutes: 6, currentHeads: 0 });
    expect(input.engineer).toBeUndefined();
    expect(sources).toMatchObject({ stages: 'org', averageDealSize: 'org', 'sdr.handlingMinutes': 'org', 'closer.currentHeads': 'org', 'inbound.handleMinutes': 'default', 'inboundSdr.currentHeads': 'default' });
  });

  it('lets the scope win over the org, and leaves inbound out when asked', () => {
    const scope = planScopeSchema.parse({ targetBookings: 600_000, periodDays: 91, averageDealSize: 30_000, sdr: { handlingMinutes: 3 }, closer: { currentHeads: 5 }, inbound: false, engineer: { shareOfDemos: 0.5, hoursPerDemo: 2 } });
    const { input, sources } = planInputFromScope(scope, facts);
    expect(input.averageDealSize).toBe(30_000);
    expect(input.sdr).toMatchObject({ handlingMinutes: 3 });
    expect(input.closer).toEqual({ currentHeads: 5 });
    expect(input.inbound).toBeUndefined();
    expect(input.engineer).toEqual({ shareOfDemos: 0.5, hoursPerDemo: 2, currentHeads: 0 });
    expect(sources).toMatchObject({ averageDealSize: 'scope', 'sdr.handlingMinutes': 'scope', 'closer.currentHeads': 'scope' });
  });

  it('plans engineers from the demo load the org measured, the scope\u2019s values first', () => {
    const withLoad = { ...facts, engineer: { shareOfDemos: 0.4, hoursPerDemo: 1.5 }, heads: { ...facts.heads, engineer: 1 } };
    const measuredOnly = planInputFromScope(planScopeSchema.parse({ targetBookings: 1, periodDays: 7 }), withLoad);
    expect(measuredOnly.input.engineer).toEqual({ shareOfDemos: 0.4, hoursPerDemo: 1.5, currentHeads: 1 });
    expect(measuredOnly.sources).toMatchObject({ 'engineer.shareOfDemos': 'org', 'engineer.hoursPerDemo': 'org', 'engineer.currentHeads': 'org' });
    const costed = planInputFromScope(planScopeSchema.parse({ targetBookings: 1, periodDays: 7, engineer: { hoursPerDemo: 2, annualCost: 150_000 } }), withLoad);
    expect(costed.input.engineer).toEqual({ shareOfDemos: 0.4, hoursPerDemo: 2, annualCost: 150_000, currentHeads: 1 });
    expect(costed.sources['engineer.hoursPerDemo']).toBe('scope');
  });

  it('refuses a scope without a target or period, naming the field', () => {
    expect(planScopeSchema.safeParse({ periodDays: 91 }).error?.issues[0]?.path).toEqual(['targetBookings']);
    expect(planScopeSchema.safeParse({ targetBookings: 1, periodDays: 1.5 }).error?.issues[0]?.message).toContain('Scope__c.periodDays');
  });
});
