import { assignBatch } from './assign';
import { assetFromRecord, assignmentRecordFromRow, ledgerRowFromRecord, repFromRecord, repsFromRecords, stationFromRecord } from './records';
import { emptyState } from './model';
import { makeLead, makeStation } from './testing';
import defaultLine from '../../../../config/default-line.json';

const rep = {
  User__c: '005000000000000001',
  Station_Keys__c: 'SDR_CALL;COORDINATE',
  Skills__c: 'ES; Product A',
  Weight__c: '0.5',
  Time_Zone__c: 'America/Chicago',
  Shift_Start_Hour__c: '8.5',
  Shift_End_Hour__c: '17',
  Working_Days__c: 'Mon;Tue;Wednesday',
  Leave_Start__c: '',
  Leave_End__c: '',
  WIP_Cap__c: '',
  Hourly_Cap_Override__c: '20',
  Active__c: 'true'
};

describe('Rep_Capacity__c records', () => {
  it('reads a Bulk API CSV row (strings, empty for null)', () => {
    expect(repFromRecord(rep)).toEqual({
      id: '005000000000000001',
      stations: ['SDR_CALL', 'COORDINATE'],
      skills: ['es', 'product a'],
      weight: 0.5,
      timeZone: 'America/Chicago',
      shiftStartHour: 8.5,
      shiftEndHour: 17,
      workingDays: ['Mon', 'Tue', 'Wed'],
      leaveStart: null,
      leaveEnd: null,
      wipCap: null,
      hourlyCapOverride: 20,
      active: true
    });
  });

  it('defaults the weight to a full share and the working days to Monday to Friday', () => {
    const r = repFromRecord({ ...rep, Weight__c: null, Working_Days__c: null });
    expect(r.weight).toBe(1);
    expect(r.workingDays).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']);
  });

  it('reports a bad record by field, value and fix, and keeps the good ones', () => {
    const parsed = repsFromRecords([rep, { ...rep, User__c: '005B', Shift_End_Hour__c: '8.5' }, { ...rep, User__c: '005C', Working_Days__c: 'Funday' }]);
    expect(parsed.values).toHaveLength(1);
    expect(parsed.problems.map((p) => p.field)).toEqual(['Rep_Capacity__c(005B).Shift_End_Hour__c', 'Rep_Capacity__c(005C).Working_Days__c']);
    expect(parsed.problems[1]?.message).toMatch(/Mon;Tue;Wed;Thu;Fri/);
  });
});

describe('Station__c records', () => {
  it('reads every station of the default line', () => {
    const stations = defaultLine.stations.map(stationFromRecord);
    expect(stations.map((s) => s.key)).toEqual(['SDR_CALL', 'COORDINATE', 'DEMO', 'SALES_ENGINEERING', 'PROPOSAL', 'ONBOARDING', 'SERVICE']);
    expect(stations[0]).toMatchObject({ handlingMinutes: 2, targetWip: 250, hourlyCapOverride: null });
  });

  it('names a missing handling time', () => {
    expect(() => stationFromRecord({ ...defaultLine.stations[0], Handling_Minutes__c: null })).toThrow(/Station__c\(SDR_CALL\)\.Handling_Minutes__c/);
  });
});

describe('Assignment__c ledger records', () => {
  it('round-trips a ledger row through the record the org stores', () => {
    const now = new Date('2024-05-06T15:00:00Z');
    const [row] = assignBatch({
      station: makeStation(),
      reps: [{ ...repFromRecord(rep), stations: ['SDR_CALL'], skills: [], shiftStartHour: 0, shiftEndHour: 24, workingDays: ['Mon'] }],
      state: emptyState('SDR_CALL'),
      assets: [makeLead(1, now.toISOString(), { LeadSource: 'Web' })],
      now,
      seed: 's1',
      wip: {}
    }).rows;
    const record = assignmentRecordFromRow(row!, new Map([['SDR_CALL', 'a01STATION']]), 'a02RUN');
    expect(record).toMatchObject({ Station__c: 'a01STATION', Job_Run__c: 'a02RUN', Method__c: 'Permuted Block' });
    const csv = Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v === null ? '' : String(v)]));
    expect(ledgerRowFromRecord(csv, new Map([['a01STATION', 'SDR_CALL']]))).toEqual(row);
  });
});

describe('assets from records', () => {
  it('takes the fields the policy names and waits since the station entry', () => {
    const asset = assetFromRecord(
      { Id: '00Q1', Station_Entered_At__c: '2024-05-06T10:00:00.000+0000', CreatedDate: '2024-05-01T00:00:00Z', LeadSource: 'Web', Segment__c: '', Language__c: 'es', Company: 'Acme' },
      'Lead'
    );
    expect(asset).toEqual({
      id: '00Q1',
      type: 'Lead',
      queuedAt: '2024-05-06T10:00:00.000Z',
      fields: { LeadSource: 'Web', Segment__c: null, Language__c: 'es', Product_Interest__c: null },
      visit: 1
    });
    expect(() => assetFromRecord({ Id: '00Q2' }, 'Lead')).toThrow(/Lead\(00Q2\)\.Station_Entered_At__c/);
  });
});
