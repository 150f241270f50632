import { lastCompletePeriod, managementSummary } from './summary';

describe('management summary', () => {
  const now = new Date('2026-11-18T09:30:00Z'); // a Wednesday

  it('takes the last complete day, ISO week and month before now', () => {
    expect(lastCompletePeriod('Day', now)).toEqual({ period: 'Day', start: '2026-11-17T00:00:00.000Z', end: '2026-11-18T00:00:00.000Z' });
    expect(lastCompletePeriod('Week', now)).toEqual({ period: 'Week', start: '2026-11-09T00:00:00.000Z', end: '2026-11-16T00:00:00.000Z' });
    expect(lastCompletePeriod('Month', now)).toEqual({ period: 'Month', start: '2026-10-01T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' });
    expect(lastCompletePeriod('Month', new Date('2026-01-05T00:00:00Z')).start).toBe('2025-12-01T00:00:00.000Z');
  });

  it('counts appointments, close rates, throughput with SLA breaches and equality inside the window only', () => {
    const window = lastCompletePeriod('Day', now);
    const s = managementSummary(
      {
        dispositions: [
          { Rep__c: 'sdr1', Outcome__c: 'Meeting Booked', CreatedDate: '2026-11-17T10:00:00.000+0000' },
          { Rep__c: 'sdr1', Outcome__c: 'Meeting Booked', CreatedDate: '2026-11-17T23:59:00Z' },
          { Rep__c: 'sdr2', Outcome__c: 'No Answer', CreatedDate: '2026-11-17T10:00:00Z' },
          { Rep__c: 'sdr2', Outcome__c: 'Meeting Booked', CreatedDate: '2026-11-18T00:00:00Z' }
        ],
        opportunities: [
          { OwnerId: 'ae1', Product__c: 'Core', IsWon: true, CloseDate: '2026-11-17' },
          { OwnerId: 'ae1', Product__c: 'Core', IsWon: false, CloseDate: '2026-11-17' },
          { OwnerId: 'ae2', Product__c: null, IsWon: 'true', CloseDate: '2026-11-17' },
          { OwnerId: 'ae2', Product__c: 'Core', IsWon: true, CloseDate: '2026-11-16' }
        ],
        stageEvents: [
          { To_Value__c: 'SDR_CALL', Exited_At__c: '2026-11-17T12:00:00Z', Duration_Minutes__c: 60 },
          { To_Value__c: 'SDR Calling', Exited_At__c: '2026-11-17T13:00:00Z', Duration_Minutes__c: 3000 },
          { To_Value__c: 'SDR_CALL', Exited_At__c: null, Duration_Minutes__c: null }
        ],
        // Flagged stays: one breached in the window and left, one breached in it and still
        // open, one breached the day before (another period).
        breaches: [
          { To_Value__c: 'SDR Calling', Breached_At__c: '2026-11-17T11:00:00Z' },
          { To_Value__c: 'SDR Calling', Breached_At__c: '2026-11-17T20:00:00.000+0000' },
          { To_Value__c: 'SDR Calling', Breached_At__c: '2026-11-16T20:00:00Z' },
          { To_Value__c: 'Demo', Breached_At__c: '2026-11-17T09:00:00Z' }
        ],
        assignments: [
          { Rep__c: 'sdr1', Stratum__c: 'Web|SMB', Assigned_At__c: '2026-11-17T08:00:00Z' },
          { Rep__c: 'sdr1', Stratum__c: 'Web|SMB', Assigned_At__c: '2026-11-17T08:01:00Z' },
          { Rep__c: 'sdr2', Stratum__c: 'Web|SMB', Assigned_At__c: '2026-11-17T08:02:00Z' }
        ],
        stations: [
          { Key__c: 'SDR_CALL', Name: 'SDR Calling', SLA_Hours__c: 48 },
          { Key__c: 'DEMO', Name: 'Demo', SLA_Hours__c: 120 }
        ]
      },
      window
    );
    expect(s.appointmentsBySdr).toEqual({ sdr1: 2 });
    expect(s.appointments).toBe(2);
    expect(s.closeRateByRep).toEqual({ ae1: { won: 1, closed: 2, rate: 0.5 }, ae2: { won: 1, closed: 1, rate: 1 } });
    expect(s.closeRateByProduct).toEqual({ '(none)': { won: 1, closed: 1, rate: 1 }, Core: { won: 1, closed: 2, rate: 0.5 } });
    expect(s.closeRate).toEqual({ won: 2, closed: 3, rate: 2 / 3 });
    // The stage-timer flows write the station Name into To_Value__c; the summary keys by Key__c.
    expect(s.stations.SDR_CALL).toEqual({ throughput: 2, meanMinutes: 1530, slaHours: 48, slaBreaches: 2 });
    expect(s.stations.DEMO).toEqual({ throughput: 0, meanMinutes: null, slaHours: 120, slaBreaches: 1 });
    expect(s.slaBreaches).toBe(3);
    expect(s.equality['Web|SMB']).toEqual({ byRep: { sdr1: 2, sdr2: 1 }, spread: 1 });
  });
});
