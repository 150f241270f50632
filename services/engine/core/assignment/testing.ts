import type { AssetToAssign, Rep, Station } from './model';

/** Builders for tests and benchmarks: a floor of reps, a station and leads. */
export function makeStation(overrides: Partial<Station> = {}): Station {
  return {
    key: 'SDR_CALL',
    name: 'SDR Calling',
    role: 'SDR',
    assetType: 'Lead',
    handlingMinutes: 2,
    targetWip: 250,
    slaHours: 48,
    order: 10,
    active: true,
    hourlyCapOverride: null,
    ...overrides
  };
}

export function repId(i: number): string {
  return `005${String(i).padStart(15, '0')}`;
}

export function makeRep(i: number, overrides: Partial<Rep> = {}): Rep {
  return {
    id: repId(i),
    stations: ['SDR_CALL'],
    skills: [],
    weight: 1,
    timeZone: 'UTC',
    shiftStartHour: 0,
    shiftEndHour: 24,
    workingDays: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
    leaveStart: null,
    leaveEnd: null,
    wipCap: null,
    hourlyCapOverride: null,
    active: true,
    ...overrides
  };
}

export function leadId(i: number): string {
  return `00Q${i.toString(36).padStart(15, '0')}`;
}

export function makeLead(i: number, queuedAt: string, fields: AssetToAssign['fields'] = {}): AssetToAssign {
  return { id: leadId(i), type: 'Lead', queuedAt, fields, visit: 1 };
}
