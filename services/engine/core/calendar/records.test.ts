import { demoSlotRecordSchema, demoTypeFromRecord, entriesFromRecords, peopleFromRecords, repCapacityRecordSchema, stationRoles } from './records';
import { InputError, selectFields } from './orgRecord';
import { findSlots } from './slots';

const stations = stationRoles([
  { Key__c: 'AE_DEMO', Role__c: 'Account Executive' },
  { Key__c: 'SE_DEMO', Role__c: 'Sales Engineer' },
  { Key__c: 'SDR_CALL', Role__c: 'SDR' }
]);

const capacity = (extra: Record<string, unknown>) => ({
  User__c: '005000000000001AAA',
  Station_Keys__c: 'AE_DEMO',
  Time_Zone__c: 'America/Chicago',
  Shift_Start_Hour__c: 8.5,
  Shift_End_Hour__c: 17,
  Working_Days__c: 'Mon;Tue;Wed;Thu;Fri',
  Active__c: true,
  ...extra
});

describe('people from Rep_Capacity__c', () => {
  it('reads REST JSON and Bulk API CSV values alike, with roles from the stations', () => {
    const rest = capacity({ Demo_Target__c: 12, City__c: 'Chicago', Leave_Start__c: '2026-11-25', Leave_End__c: '2026-11-27' });
    const csv = { ...capacity({}), User__c: '005000000000002AAA', Station_Keys__c: 'AE_DEMO; SE_DEMO', Shift_Start_Hour__c: '9', Shift_End_Hour__c: '18', Demo_Target__c: '', Active__c: 'true', Working_Days__c: 'monday;Tuesday' };
    const { values, problems } = peopleFromRecords([rest, csv, capacity({ Station_Keys__c: 'SDR_CALL', User__c: '005000000000003AAA' })], stations);
    expect(problems).toEqual([]);
    expect(values.map((p) => [p.userId.slice(-4), p.role])).toEqual([['1AAA', 'AE'], ['2AAA', 'AE'], ['2AAA', 'Engineer']]);
    expect(values[0]).toMatchObject({ shiftStartHour: 8.5, demoTarget: 12, city: 'Chicago', leave: [{ start: '2026-11-25', end: '2026-11-27' }] });
    expect(values[1]).toMatchObject({ shiftStartHour: 9, demoTarget: null, workingDays: ['Mon', 'Tue'] });
  });

  it('reports bad records by object, user and field, and keeps the good ones', () => {
    const { values, problems } = peopleFromRecords(
      [capacity({ Time_Zone__c: 'Central' }), capacity({ Shift_End_Hour__c: null }), capacity({ Working_Days__c: 'Mon;Funday' }), capacity({ Leave_End__c: '2026-11-01', Leave_Start__c: '2026-11-03' }), capacity({})],
      stations
    );
    expect(values).toHaveLength(1);
    expect(problems.map((p) => p.field)).toEqual([
      'Rep_Capacity__c(005000000000001AAA).Time_Zone__c',
      'Rep_Capacity__c(005000000000001AAA).Shift_End_Hour__c',
      'Rep_Capacity__c(005000000000001AAA).Working_Days__c',
      'Rep_Capacity__c(005000000000001AAA).Leave_End__c'
    ]);
    expect(problems[0]?.message).toMatch(/got "Central"; expected an IANA time zone/);
  });
});

describe('demo types, Events and Demo_Slot__c', () => {
  it('converts a Demo_Type__c and rejects one that needs nobody', () => {
    expect(demoTypeFromRecord({ Id: 'a01', Key__c: 'TECH', Duration_Minutes__c: '60', Needs_AE__c: 'true', Needs_Engineer__c: true, Field_Meeting__c: '', Active__c: true })).toEqual({
      id: 'a01',
      key: 'TECH',
      durationMinutes: 60,
      needsAE: true,
      needsEngineer: true,
      fieldMeeting: false,
      active: true
    });
    expect(() => demoTypeFromRecord({ Key__c: 'X', Duration_Minutes__c: 30, Needs_AE__c: false, Needs_Engineer__c: false, Active__c: true })).toThrow(InputError);
    expect(() => demoTypeFromRecord({ Key__c: 'X', Duration_Minutes__c: 2, Needs_AE__c: true, Active__c: true })).toThrow(/Duration_Minutes__c/);
  });

  it('turns Events and booked demos into busy entries; an empty status is Booked', () => {
    const { values, problems } = entriesFromRecords(
      [{ OwnerId: '005A', StartDateTime: '2026-11-23T15:00:00.000+0000', EndDateTime: '2026-11-23T16:00:00.000+0000' }, { OwnerId: '005A', StartDateTime: 'soon', EndDateTime: 'later' }],
      [{ Slot_Key__c: 'k', AE__c: '005A', Engineer__c: '', Start__c: '2026-11-24T15:00:00Z', End__c: '2026-11-24T16:00:00Z', Status__c: '', City__c: 'Austin' }]
    );
    expect(problems.map((p) => p.field)).toEqual(['Event.StartDateTime']);
    expect(values[1]).toEqual({ kind: 'demo', key: 'k', aeId: '005A', engineerId: null, start: Date.parse('2026-11-24T15:00:00Z'), end: Date.parse('2026-11-24T16:00:00Z'), status: 'Booked', city: 'Austin' });
  });

  // Object Reference, Event: ShowAs (Show Time As) is Busy, OutOfOffice or Free, Busy by
  // default; an all-day event (IsAllDayEvent) holds dates, with StartDateTime/EndDateTime at
  // midnight UTC of its first and last day ("the timestamp is not relevant").
  it('leaves a Free event out of busy time; Busy, OutOfOffice and an empty ShowAs block', () => {
    const event = (ShowAs: unknown) => ({ OwnerId: '005A', StartDateTime: '2026-11-23T15:00:00Z', EndDateTime: '2026-11-23T16:00:00Z', ShowAs });
    const { values, problems } = entriesFromRecords([event('Free'), event('Busy'), event('OutOfOffice'), event(''), event(null)], []);
    expect(problems).toEqual([]);
    expect(values).toHaveLength(4);
    expect(values.every((v) => v.kind === 'event' && v.start === Date.parse('2026-11-23T15:00:00Z'))).toBe(true);
  });

  it('blocks an all-day event\u2019s days from the owner\u2019s local midnight to local midnight', () => {
    const zones: Record<string, string> = { chicago: 'America/Chicago', tokyo: 'Asia/Tokyo' };
    const allDay = (OwnerId: string, start: string, end: string, extra: Record<string, unknown> = {}) => ({ OwnerId, StartDateTime: `${start}T00:00:00.000+0000`, EndDateTime: `${end}T00:00:00.000+0000`, IsAllDayEvent: 'true', ...extra });
    const { values } = entriesFromRecords(
      [allDay('chicago', '2026-11-24', '2026-11-24'), allDay('tokyo', '2026-11-24', '2026-11-25'), allDay('nobody', '2026-11-24', '2026-11-24'), allDay('chicago', '2026-11-26', '2026-11-26', { ShowAs: 'Free' })],
      [],
      (id) => zones[id]
    );
    const show = values.map((v) => [new Date(v.start).toISOString(), new Date(v.end).toISOString()]);
    expect(show).toEqual([
      ['2026-11-24T06:00:00.000Z', '2026-11-25T06:00:00.000Z'], // Chicago is UTC-6 in November
      ['2026-11-23T15:00:00.000Z', '2026-11-25T15:00:00.000Z'], // two Tokyo days, UTC+9
      ['2026-11-24T00:00:00.000Z', '2026-11-25T00:00:00.000Z'] // zone unknown: the UTC day
    ]);
  });

  it('takes no slot on an all-day event\u2019s day and offers the next day', () => {
    const people = peopleFromRecords([capacity({})], stations).values;
    const entries = entriesFromRecords([{ OwnerId: '005000000000001AAA', StartDateTime: '2026-11-24T00:00:00Z', EndDateTime: '2026-11-24T00:00:00Z', IsAllDayEvent: true }], [], (id) => people.find((p) => p.userId === id)?.timeZone).values;
    const type = demoTypeFromRecord({ Key__c: 'D', Duration_Minutes__c: 30, Needs_AE__c: true, Active__c: true });
    const starts = findSlots({ demoType: type, seed: 1, days: 3 }, people, entries, new Date('2026-11-23T23:30:00Z')).slots.map((s) => s.start.slice(5, 16));
    // Tuesday 11-24 in Chicago (14:30-23:00Z) is blocked whole; Wednesday opens at 08:30 Chicago.
    expect(starts.filter((s) => s.startsWith('11-24'))).toEqual([]);
    expect(starts[0]).toBe('11-25T14:30');
  });

  it('feeds findSlots end to end from records', () => {
    const people = peopleFromRecords([capacity({})], stations).values;
    const entries = entriesFromRecords([{ OwnerId: '005000000000001AAA', StartDateTime: '2026-11-24T14:30:00Z', EndDateTime: '2026-11-24T23:00:00Z' }], []).values;
    const type = demoTypeFromRecord({ Key__c: 'D', Duration_Minutes__c: 30, Needs_AE__c: true, Active__c: true });
    const { slots } = findSlots({ demoType: type, seed: 1, days: 2 }, people, entries, new Date('2026-11-23T20:00:00Z'));
    // 08:30-17:00 Chicago is 14:30-23:00Z. Monday after the notice: from 21:00Z. Tuesday is
    // taken by the Event. Wednesday runs until the end of the window (now + 2 days = 20:00Z).
    const starts = slots.map((s) => s.start.slice(5, 16));
    expect(starts.filter((s) => s.startsWith('11-23'))).toEqual(['11-23T21:00', '11-23T21:30', '11-23T22:00', '11-23T22:30']);
    expect(starts.filter((s) => s.startsWith('11-24'))).toEqual([]);
    const wednesday = starts.filter((s) => s.startsWith('11-25'));
    expect([wednesday[0], wednesday[wednesday.length - 1], wednesday.length]).toEqual(['11-25T14:30', '11-25T19:30', 11]);
  });
});

describe('field lists for the org layer', () => {
  it('lists the fields each schema reads, namespaced', () => {
    expect(selectFields(repCapacityRecordSchema, 'asl')).toContain('asl__Demo_Target__c');
    expect(selectFields(repCapacityRecordSchema, '')).toContain('Time_Zone__c');
    expect(selectFields(demoSlotRecordSchema, 'asl')).toEqual(['asl__Slot_Key__c', 'asl__AE__c', 'asl__Engineer__c', 'asl__Start__c', 'asl__End__c', 'asl__Status__c', 'asl__City__c']);
  });
});
