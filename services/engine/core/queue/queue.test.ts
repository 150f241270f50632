import { fixedClock } from '../clock';
import {
  estimateOdds,
  nextCall,
  oddsFromPriors,
  planSdr,
  QUEUE_DEFAULTS,
  rankQueue,
  rerankAfterDisposition,
  toQueueEntryRecord,
  upsertLead,
  type CallObservation,
  type QueueInputRaw
} from '.';
import { GUIDANCE, OUTCOMES } from './guidance';
import { isOpen, nextOpen, offsetMinutes } from './localTime';
import { LeadRecordSchema, QueueInputError } from './records';
import { callingWindow } from './tasks';

// Wednesday 18 November 2026, 15:30 UTC = 10:30 in New York, 07:30 in Los Angeles.
const NOW = '2026-11-18T15:30:00.000Z';
const NOW_MS = Date.parse(NOW);
const clock = fixedClock(NOW);
const SDR = '005000000000000AAA';
const SDR2 = '005000000000000BBB';

function rep(id = SDR, zone = 'America/New_York') {
  return { User__c: id, Time_Zone__c: zone, Shift_Start_Hour__c: 8, Shift_End_Hour__c: 17, Working_Days__c: 'Mon;Tue;Wed;Thu;Fri' };
}

let seq = 0;
function lead(overrides: Record<string, unknown> = {}) {
  seq += 1;
  return {
    Id: `00Q00000000000${String(seq).padStart(4, '0')}`,
    OwnerId: SDR,
    CreatedDate: '2026-11-10T15:00:00.000Z',
    LeadSource: 'Purchased List',
    Inbound__c: false,
    Time_Zone__c: 'America/New_York',
    Segment__c: 'SMB',
    Bin__c: 'Working',
    Attempt_Count__c: 0,
    ...overrides
  };
}

function floor(parts: Partial<QueueInputRaw>): QueueInputRaw {
  return { station: { Handling_Minutes__c: 2 }, reps: [rep()], leads: [], ...parts };
}

function entriesOf(input: QueueInputRaw) {
  return rankQueue(input, clock).queues.flatMap((q) => q.entries);
}

describe('local calling time', () => {
  it('knows standard, daylight and half-hour offsets from the zone rules', () => {
    expect(offsetMinutes('America/New_York', Date.parse('2026-01-15T12:00:00Z'))).toBe(-300);
    expect(offsetMinutes('America/New_York', Date.parse('2026-07-15T12:00:00Z'))).toBe(-240);
    expect(offsetMinutes('Asia/Kolkata', Date.parse('2026-07-15T12:00:00Z'))).toBe(330);
  });

  it('moves a Saturday call to Monday 08:00 local, across the spring DST change', () => {
    const window = callingWindow(QUEUE_DEFAULTS.rules, 'America/New_York', new Map());
    // Saturday 7 March 2026 noon EST; clocks go forward on Sunday 8 March.
    const open = nextOpen(window, Date.parse('2026-03-07T17:00:00Z'));
    expect(new Date(open).toISOString()).toBe('2026-03-09T12:00:00.000Z');
  });

  it('calls a lead with no known zone only when it is calling time in every fallback zone', () => {
    const window = callingWindow(QUEUE_DEFAULTS.rules, null, new Map());
    expect(isOpen(window, NOW_MS)).toBe(false); // 07:30 in Los Angeles
    expect(new Date(nextOpen(window, NOW_MS)).toISOString()).toBe('2026-11-18T16:00:00.000Z');
  });
});

describe('hard rules of the queue', () => {
  it('never queues a do-not-call lead and moves it out instead', () => {
    const dnc = lead({ DoNotCall: true });
    const result = rankQueue(floor({ leads: [dnc, lead()] }), clock);
    expect(result.queues.flatMap((q) => q.entries).map((e) => e.assetId)).not.toContain(dnc.Id);
    expect(result.moves).toEqual([expect.objectContaining({ assetId: dnc.Id, outcome: 'Do Not Call' })]);
  });

  it('moves a lead that used its attempts to Nurture, resetting the counter', () => {
    const done = lead({ Attempt_Count__c: 6, Last_Attempt_At__c: '2026-11-12T15:00:00.000Z' });
    const result = rankQueue(floor({ leads: [done] }), clock);
    expect(result.queues[0]?.entries).toEqual([]);
    expect(result.moves[0]).toMatchObject({
      assetId: done.Id,
      outcome: 'Nurture',
      reason: 'Max Attempts',
      fields: { Bin__c: 'Nurture - Check Back Quarterly', Attempt_Count__c: 0 }
    });
  });

  it('waits for 08:00 in the lead\u2019s zone before calling it', () => {
    const west = lead({ Time_Zone__c: 'America/Los_Angeles' });
    const [entry] = entriesOf(floor({ leads: [west] }));
    expect(entry?.plannedAt).toBe('2026-11-18T16:00:00.000Z');
  });

  it('puts a fresh inbound lead before every outbound call', () => {
    const outbound = Array.from({ length: 5 }, () => lead({ Attempt_Count__c: 1, Last_Attempt_At__c: '2026-11-16T15:00:00.000Z', LeadSource: 'Partner Referral' }));
    const inbound = lead({ Inbound__c: true, LeadSource: 'Web', CreatedDate: '2026-11-18T15:28:00.000Z' });
    const entries = entriesOf(floor({ leads: [...outbound, inbound] }));
    expect(entries[0]).toMatchObject({ assetId: inbound.Id, purpose: 'First Touch', tier: 0, guidanceKey: 'guidance.first-touch.inbound' });
  });

  it('calls a requested call-back at its time, as a Call Back', () => {
    const later = lead({ Attempt_Count__c: 1, Last_Attempt_At__c: '2026-11-17T15:00:00.000Z', Next_Action_At__c: '2026-11-18T19:00:00.000Z' });
    const [entry] = entriesOf(floor({ leads: [later] }));
    expect(entry).toMatchObject({ purpose: 'Call Back', plannedAt: '2026-11-18T19:00:00.000Z', dueAt: '2026-11-18T19:00:00.000Z' });
  });

  it('brings a nurtured lead back at its re-entry time as a Nurture Check Back', () => {
    const resting = lead({ Bin__c: 'Nurture - Check Back Quarterly', Next_Action_At__c: '2026-12-01T15:00:00.000Z' });
    const [entry] = entriesOf(floor({ leads: [resting] }));
    expect(entry).toMatchObject({ purpose: 'Nurture Check Back', dueAt: '2026-12-01T15:00:00.000Z', guidanceKey: 'guidance.nurture-check-back' });
  });

  it('reads a no-show from the disposition history and asks for a rebook', () => {
    const missed = lead({ Booked_By__c: SDR });
    const history = [
      { Lead__c: missed.Id, Purpose__c: 'First Touch' as const, Outcome__c: 'Meeting Booked' as const, CreatedDate: '2026-11-12T15:00:00.000Z' },
      { Lead__c: missed.Id, Outcome__c: 'No Show' as const, CreatedDate: '2026-11-17T18:00:00.000Z' }
    ];
    const [entry] = entriesOf(floor({ leads: [missed], history }));
    expect(entry).toMatchObject({ purpose: 'Rebook No Show', attemptNumber: 1 });
  });

  it('queues a courtesy call instead of selling to an account with an overdue invoice or a high-priority case', () => {
    const base = { OwnerId: SDR, Time_Zone__c: 'America/New_York', Bin__c: 'Working', Bin_Entered_At__c: '2026-11-01T00:00:00.000Z' };
    const accounts = [
      { ...base, Id: '001000000000000001', Has_Overdue_Invoice__c: true },
      { ...base, Id: '001000000000000002' },
      { ...base, Id: '001000000000000003' },
      { ...base, Id: '001000000000000004' }
    ];
    const cases = [
      { Id: '500000000000000001', AccountId: '001000000000000002', Priority: 'High', IsClosed: false },
      { Id: '500000000000000002', AccountId: '001000000000000003', Priority: 'High', IsClosed: true },
      { Id: '500000000000000003', AccountId: '001000000000000004', Priority: 'Low', IsClosed: false }
    ];
    const byId = Object.fromEntries(entriesOf(floor({ accounts, cases })).map((e) => [e.assetId, e.purpose]));
    expect(byId).toEqual({
      '001000000000000001': 'Courtesy Call',
      '001000000000000002': 'Courtesy Call',
      '001000000000000003': 'First Touch',
      '001000000000000004': 'First Touch'
    });
  });

  it('confirms a booked demo from 24 hours before it, with the booker', () => {
    const booked = lead({ Bin__c: 'Working', Station__c: 'a01COORDINATE' });
    const input = floor({
      station: { Id: 'a01SDRCALL', Handling_Minutes__c: 2 },
      reps: [rep(), rep(SDR2)],
      leads: [booked],
      demoSlots: [{ Id: 'a0D000000000000001', Lead__c: booked.Id, Booked_By__c: SDR2, Start__c: '2026-11-19T18:00:00.000Z', Status__c: 'Booked' }]
    });
    const result = rankQueue(input, clock);
    expect(result.closed).toEqual([{ assetId: booked.Id, assetType: 'Lead', reason: 'At another station' }]);
    const entry = result.queues.find((q) => q.sdrId === SDR2)?.entries[0];
    expect(entry).toMatchObject({ purpose: 'Confirm Demo', dueAt: '2026-11-18T18:00:00.000Z', slotId: 'a0D000000000000001' });
  });

  it('spaces planned calls by the hourly cap from station timing (60 / 2 minutes = 30 an hour)', () => {
    const leads = Array.from({ length: 4 }, () => lead());
    const result = rankQueue(floor({ leads }), clock);
    expect(result.queues[0]?.hourlyCap).toBe(30);
    expect(result.queues[0]?.entries.map((e) => e.plannedAt)).toEqual([
      '2026-11-18T15:30:00.000Z',
      '2026-11-18T15:32:00.000Z',
      '2026-11-18T15:34:00.000Z',
      '2026-11-18T15:36:00.000Z'
    ]);
  });

  it('drops company name and fame band at the boundary, so the ranking cannot read them', () => {
    const parsed = LeadRecordSchema.parse({ ...lead(), Company: 'Famous Corp', Fame_Band__c: 'Famous' });
    expect(parsed).not.toHaveProperty('Company');
    expect(parsed).not.toHaveProperty('Fame_Band__c');
  });

  it('names the field, the value and the expected form of bad input', () => {
    expect(() => rankQueue(floor({ leads: [lead({ CreatedDate: 'yesterday' })] }), clock)).toThrow(QueueInputError);
    expect(() => rankQueue(floor({ leads: [lead({ CreatedDate: 'yesterday' })] }), clock)).toThrow(/leads\.0\.CreatedDate: "yesterday" is not a date-time/);
  });

  it('maps an entry to a Queue_Entry__c record with the data model\u2019s field names', () => {
    const first = lead();
    const result = rankQueue(floor({ leads: [first] }), clock);
    const entry = result.queues[0]?.entries[0];
    if (!entry) throw new Error('expected an entry');
    expect(toQueueEntryRecord(entry, result.rankedAt)).toEqual({
      Entry_Key__c: `${first.Id}:first-touch:1`,
      SDR__c: SDR,
      Lead__c: first.Id,
      Account__c: null,
      Asset_Id__c: first.Id,
      Rank__c: 1,
      Purpose__c: 'First Touch',
      Due_At__c: NOW,
      Guidance_Key__c: 'guidance.first-touch.outbound',
      Allowed_Outcomes__c: GUIDANCE.firstTouchOutbound.allowedOutcomes.join(';'),
      Attempt_Number__c: 1,
      Status__c: 'Open',
      Ranked_At__c: NOW,
      Expected_Value__c: expect.any(Number)
    });
  });

  it('gives every purpose a guidance entry whose outcomes are disposition values', () => {
    for (const guidance of Object.values(GUIDANCE)) {
      expect(guidance.allowedOutcomes.length).toBeGreaterThan(0);
      for (const outcome of guidance.allowedOutcomes) expect(OUTCOMES).toContain(outcome);
    }
  });
});

describe('re-ranking after a disposition', () => {
  const at = (iso: string) => ({ CreatedDate: iso });

  it('counts an unanswered call, spaces the next attempt and re-plans only that SDR', () => {
    const first = lead();
    const other = lead({ OwnerId: SDR2 });
    const { state } = rankQueue(floor({ reps: [rep(), rep(SDR2)], leads: [first, other] }), clock);
    const result = rerankAfterDisposition(state, { Lead__c: first.Id, Purpose__c: 'First Touch', Outcome__c: 'No Answer', ...at(NOW) }, clock);
    expect(result.queues.map((q) => q.sdrId)).toEqual([SDR]);
    expect(result.withdrawn).toEqual([`${first.Id}:first-touch:1`]);
    expect(result.fieldUpdates[0]?.fields).toEqual({ Attempt_Count__c: 1, Last_Attempt_At__c: NOW, Next_Action_At__c: null });
    // Outbound spacing after attempt 1 is one day.
    expect(result.queues[0]?.entries[0]).toMatchObject({ purpose: 'Follow Up', attemptNumber: 2, dueAt: '2026-11-19T15:30:00.000Z' });
  });

  it('moves the lead to Nurture after the last allowed attempt', () => {
    const tired = lead({ Attempt_Count__c: 5, Last_Attempt_At__c: '2026-11-10T15:00:00.000Z' });
    const { state } = rankQueue(floor({ leads: [tired] }), clock);
    const result = rerankAfterDisposition(state, { Lead__c: tired.Id, Purpose__c: 'Follow Up', Outcome__c: 'Left Voicemail', ...at(NOW) }, clock);
    expect(result.moves).toEqual([expect.objectContaining({ assetId: tired.Id, outcome: 'Nurture', reason: 'Max Attempts' })]);
    expect(result.queues[0]?.entries).toEqual([]);
  });

  it('turns a call-back request into a Call Back at the requested time', () => {
    const warm = lead();
    const { state } = rankQueue(floor({ leads: [warm] }), clock);
    const result = rerankAfterDisposition(
      state,
      { Lead__c: warm.Id, Purpose__c: 'First Touch', Outcome__c: 'Call Back Requested', Next_Action_At__c: '2026-11-20T14:00:00.000Z', ...at(NOW) },
      clock
    );
    expect(result.queues[0]?.entries[0]).toMatchObject({ purpose: 'Call Back', plannedAt: '2026-11-20T14:00:00.000Z' });
  });

  it('withdraws the entry when a meeting is booked, and brings a no-show back to its booker as a rebook', () => {
    const booked = lead();
    const { state } = rankQueue(floor({ reps: [rep(), rep(SDR2)], leads: [booked] }), clock);
    const afterBooking = rerankAfterDisposition(state, { Lead__c: booked.Id, Purpose__c: 'First Touch', Outcome__c: 'Meeting Booked', ...at(NOW) }, clock);
    expect(afterBooking.withdrawn).toEqual([`${booked.Id}:first-touch:1`]);
    expect(afterBooking.queues[0]?.entries).toEqual([]);
    const noShow = rerankAfterDisposition(state, { Lead__c: booked.Id, Outcome__c: 'No Show', ...at('2026-11-18T16:00:00.000Z') }, clock, {
      lead: { ...booked, OwnerId: SDR2, Booked_By__c: SDR2 }
    });
    expect(noShow.queues[0]).toMatchObject({ sdrId: SDR2 });
    expect(noShow.queues[0]?.entries[0]).toMatchObject({ purpose: 'Rebook No Show', guidanceKey: 'guidance.rebook-no-show' });
  });

  it('asks for the lead record when a no-show names a lead it has never seen', () => {
    const { state } = rankQueue(floor({}), clock);
    const result = rerankAfterDisposition(state, { Lead__c: '00Q0000000000ZZZZZ', Outcome__c: 'No Show', ...at(NOW) }, clock);
    expect(result.unknownAsset).toBe('00Q0000000000ZZZZZ');
  });

  it('ranks a newly arrived inbound lead first for its owner', () => {
    const { state } = rankQueue(floor({ leads: [lead(), lead()] }), clock);
    const arrival = lead({ Inbound__c: true, LeadSource: 'Web', CreatedDate: NOW });
    const result = upsertLead(state, arrival, clock);
    expect(result.status).toBe('queued');
    expect(result.queues[0]?.entries[0]?.assetId).toBe(arrival.Id);
    expect(nextCall(state, SDR, clock)?.assetId).toBe(arrival.Id);
  });

  it('forgets a lead that left the line for good, but keeps one at another station', () => {
    const closing = lead();
    const booked = lead();
    const { state } = rankQueue(floor({ leads: [closing, booked] }), clock);
    state.stationId = 'a0S000000000SDRC';
    expect(upsertLead(state, { ...closing, Bin__c: 'Avoid - Bad Fit' }, clock).status).toBe('closed');
    expect(state.leads.has(closing.Id)).toBe(false);
    expect(state.tasks.has(`L:${closing.Id}`)).toBe(false);
    expect(upsertLead(state, { ...booked, Station__c: 'a0S000000000OTHER' }, clock).status).toBe('closed');
    expect(state.leads.has(booked.Id)).toBe(true);
  });

  it('offers nothing to call while the SDR is off shift, but still plans the morning', () => {
    const { state } = rankQueue(floor({ leads: [lead()] }), clock);
    const night = fixedClock('2026-11-19T03:00:00.000Z');
    expect(nextCall(state, SDR, night)).toBeNull();
    expect(planSdr(state, SDR, night).entries[0]?.plannedAt).toBe('2026-11-19T13:00:00.000Z');
  });
});

describe('odds from the disposition history', () => {
  const obs = (contacted: boolean): CallObservation => ({
    calledAt: NOW_MS,
    attemptNumber: 1,
    purpose: 'First Touch',
    source: 'Purchased List',
    inbound: false,
    segment: 'SMB',
    timeZone: null,
    arrivedAt: null,
    outcome: contacted ? 'Not Interested' : 'No Answer',
    durationSeconds: null
  });
  const history = (n: number, rate: number) => Array.from({ length: n }, (_, i) => obs(i < Math.round(n * rate)));
  const contactOf = (n: number) => {
    const model = estimateOdds(history(n, 0.2), QUEUE_DEFAULTS.priors);
    return model.contact.base * (model.contact.source['Purchased List'] ?? 1);
  };

  it('is the research prior when there is no history', () => {
    expect(estimateOdds([], QUEUE_DEFAULTS.priors)).toEqual(oddsFromPriors(QUEUE_DEFAULTS.priors));
  });

  it('follows the org\u2019s own rate when it has plenty of calls', () => {
    expect(contactOf(20_000)).toBeCloseTo(0.2, 2);
  });

  it('shrinks a thin history toward the prior', () => {
    const thin = contactOf(40);
    expect(thin).toBeGreaterThan(QUEUE_DEFAULTS.priors.contact.baseRate);
    expect(thin).toBeLessThan(0.19);
  });
});
