import { isOnLeave, localTime, shiftStatus, standardOffsetHours, type ShiftSpec } from './shift';

const weekdays: ShiftSpec['workingDays'] = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'];
const nineToFive = (timeZone: string): ShiftSpec => ({ timeZone, shiftStartHour: 9, shiftEndHour: 17, workingDays: weekdays });

describe('local time from the IANA database', () => {
  it('reads the wall clock and offset on both sides of the US spring-forward (2024-03-10)', () => {
    // America/New_York: EST (UTC-5) until 2024-03-10 02:00 local, then EDT (UTC-4).
    expect(localTime(new Date('2024-03-10T06:59:59Z'), 'America/New_York')).toMatchObject({ date: '2024-03-10', offsetMinutes: -300 });
    const after = localTime(new Date('2024-03-10T07:00:00Z'), 'America/New_York');
    expect(after).toMatchObject({ date: '2024-03-10', weekday: 'Sun', offsetMinutes: -240 });
    expect(after.hour).toBe(3); // 02:00-02:59 does not exist that day
  });

  it('reads the repeated hour of the US fall-back (2024-11-03) with both offsets', () => {
    const first = localTime(new Date('2024-11-03T05:30:00Z'), 'America/New_York');
    const second = localTime(new Date('2024-11-03T06:30:00Z'), 'America/New_York');
    expect(first.hour).toBe(1.5);
    expect(second.hour).toBe(1.5);
    expect(first.offsetMinutes).toBe(-240);
    expect(second.offsetMinutes).toBe(-300);
  });

  it('handles half-hour and southern-hemisphere zones', () => {
    expect(localTime(new Date('2024-06-01T04:00:00Z'), 'Asia/Kolkata')).toMatchObject({ hour: 9.5, offsetMinutes: 330 });
    // Sydney is on DST (UTC+11) in January and standard time (UTC+10) in July.
    expect(localTime(new Date('2024-01-15T00:00:00Z'), 'Australia/Sydney').offsetMinutes).toBe(660);
    expect(localTime(new Date('2024-07-15T00:00:00Z'), 'Australia/Sydney').offsetMinutes).toBe(600);
    expect(standardOffsetHours(new Date('2024-01-15T00:00:00Z'), 'Australia/Sydney')).toBe(10);
    expect(standardOffsetHours(new Date('2024-07-15T00:00:00Z'), 'America/Chicago')).toBe(-6);
  });

  it('names the field and the fix for an unknown zone', () => {
    expect(() => localTime(new Date(), 'Mars/Olympus_Mons', 'Rep_Capacity__c.Time_Zone__c')).toThrow(/Rep_Capacity__c.Time_Zone__c.*IANA time zone/);
  });
});

describe('shift status in the rep\'s own zone', () => {
  it('keeps 9 to 17 on the wall clock across the spring-forward weekend', () => {
    // 13:30 UTC is 08:30 in New York on Friday 2024-03-08 (EST) but 09:30 on Monday 2024-03-11 (EDT).
    expect(shiftStatus(nineToFive('America/New_York'), new Date('2024-03-08T13:30:00Z'))).toBe('off-shift');
    expect(shiftStatus(nineToFive('America/New_York'), new Date('2024-03-11T13:30:00Z'))).toBe('on-shift');
    // 21:30 UTC is 16:30 EST (on) on Friday, 17:30 EDT (off) on Monday.
    expect(shiftStatus(nineToFive('America/New_York'), new Date('2024-03-08T21:30:00Z'))).toBe('on-shift');
    expect(shiftStatus(nineToFive('America/New_York'), new Date('2024-03-11T21:30:00Z'))).toBe('off-shift');
  });

  it('keeps the shift after the fall-back (Europe/London, 2024-10-27)', () => {
    // Friday 2024-10-25 08:30 UTC is 09:30 BST (on); Monday 2024-10-28 08:30 UTC is 08:30 GMT (off).
    expect(shiftStatus(nineToFive('Europe/London'), new Date('2024-10-25T08:30:00Z'))).toBe('on-shift');
    expect(shiftStatus(nineToFive('Europe/London'), new Date('2024-10-28T08:30:00Z'))).toBe('off-shift');
  });

  it('treats the end hour as exclusive and fractional hours exactly', () => {
    const shift: ShiftSpec = { timeZone: 'UTC', shiftStartHour: 8.5, shiftEndHour: 17, workingDays: weekdays };
    expect(shiftStatus(shift, new Date('2024-05-06T08:29:59Z'))).toBe('off-shift');
    expect(shiftStatus(shift, new Date('2024-05-06T08:30:00Z'))).toBe('on-shift');
    expect(shiftStatus(shift, new Date('2024-05-06T16:59:59Z'))).toBe('on-shift');
    expect(shiftStatus(shift, new Date('2024-05-06T17:00:00Z'))).toBe('off-shift');
  });

  it('uses the rep\'s local weekday, not the UTC one', () => {
    // Monday 2024-05-06 02:00 UTC is still Sunday 19:00 in Los Angeles.
    const shift: ShiftSpec = { timeZone: 'America/Los_Angeles', shiftStartHour: 0, shiftEndHour: 24, workingDays: weekdays };
    expect(shiftStatus(shift, new Date('2024-05-06T02:00:00Z'))).toBe('not-working-day');
    expect(shiftStatus(shift, new Date('2024-05-06T08:00:00Z'))).toBe('on-shift');
  });

  it('runs an overnight shift into the next morning, owned by the day it started', () => {
    const night: ShiftSpec = { timeZone: 'UTC', shiftStartHour: 22, shiftEndHour: 6, workingDays: ['Fri'] };
    expect(shiftStatus(night, new Date('2024-05-10T23:00:00Z'))).toBe('on-shift'); // Friday night
    expect(shiftStatus(night, new Date('2024-05-11T05:59:00Z'))).toBe('on-shift'); // Saturday early, Friday's shift
    expect(shiftStatus(night, new Date('2024-05-11T06:00:00Z'))).toBe('not-working-day');
    expect(shiftStatus(night, new Date('2024-05-10T03:00:00Z'))).toBe('not-working-day'); // Thursday's shift: not worked
    expect(shiftStatus(night, new Date('2024-05-10T12:00:00Z'))).toBe('off-shift');
  });
});

describe('leave', () => {
  it('counts leave dates in the rep\'s zone, both ends included', () => {
    const leave = { leaveStart: '2024-07-01', leaveEnd: '2024-07-05', timeZone: 'America/Chicago' };
    // 2024-07-01T03:00Z is still June 30 in Chicago.
    expect(isOnLeave(leave, new Date('2024-07-01T03:00:00Z'))).toBe(false);
    expect(isOnLeave(leave, new Date('2024-07-01T06:00:00Z'))).toBe(true);
    expect(isOnLeave(leave, new Date('2024-07-06T04:59:00Z'))).toBe(true); // July 5, 23:59 local
    expect(isOnLeave(leave, new Date('2024-07-06T05:00:00Z'))).toBe(false);
  });

  it('treats a missing end as open-ended and no dates as not on leave', () => {
    expect(isOnLeave({ leaveStart: '2024-01-01', leaveEnd: null, timeZone: 'UTC' }, new Date('2030-01-01T00:00:00Z'))).toBe(true);
    expect(isOnLeave({ leaveStart: null, leaveEnd: null, timeZone: 'UTC' }, new Date('2030-01-01T00:00:00Z'))).toBe(false);
  });
});
