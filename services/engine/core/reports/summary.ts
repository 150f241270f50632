import { z } from 'zod';

/**
 * The management summary the Report job writes (daily, weekly, monthly): per station and per
 * rep, the figures of the package's reports, computed from the records of one period so the
 * summary and the Salesforce reports agree. Pure: records in, summary out.
 */
export const REPORT_PERIODS = ['Day', 'Week', 'Month'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

export interface PeriodWindow {
  period: ReportPeriod;
  start: string;
  end: string;
}

/** The last complete period before `now` (UTC): yesterday, last ISO week (Mon-Sun), last month. */
export function lastCompletePeriod(period: ReportPeriod, now: Date): PeriodWindow {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  let start: number;
  let end: number;
  if (period === 'Day') {
    end = day;
    start = end - 86_400_000;
  } else if (period === 'Week') {
    const mondayOffset = (new Date(day).getUTCDay() + 6) % 7;
    end = day - mondayOffset * 86_400_000;
    start = end - 7 * 86_400_000;
  } else {
    end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1);
  }
  return { period, start: new Date(start).toISOString(), end: new Date(end).toISOString() };
}

const text = z.preprocess((v) => (v === '' || v === undefined ? null : v), z.string().nullable());
const num = z.preprocess((v) => (v === '' || v === undefined || v === null ? null : Number(v)), z.number().nullable());
const bool = z.preprocess((v) => v === true || v === 'true', z.boolean());

export const reportInputSchema = z.object({
  dispositions: z.array(z.object({ Rep__c: text, Outcome__c: z.string(), CreatedDate: z.string() })),
  opportunities: z.array(z.object({ OwnerId: text, Product__c: text, IsWon: bool, CloseDate: z.string() })),
  stageEvents: z.array(z.object({ To_Value__c: text, Exited_At__c: text, Duration_Minutes__c: num })),
  /** Station stays flagged SLA_Breached__c, whether the asset has left or not. */
  breaches: z.array(z.object({ To_Value__c: text, Breached_At__c: text })).default([]),
  assignments: z.array(z.object({ Rep__c: text, Stratum__c: text, Assigned_At__c: text })),
  stations: z.array(z.object({ Key__c: z.string(), Name: text.optional(), SLA_Hours__c: num }))
});
export type ReportInput = z.input<typeof reportInputSchema>;

export interface Rate {
  won: number;
  closed: number;
  rate: number | null;
}

export interface ManagementSummary {
  version: 1;
  window: PeriodWindow;
  appointmentsBySdr: Record<string, number>;
  appointments: number;
  closeRateByRep: Record<string, Rate>;
  closeRateByProduct: Record<string, Rate>;
  closeRate: Rate;
  /**
   * Per station key: assets that left it in the period, mean minutes in it, and SLA breaches:
   * stays whose SLA ran out inside the period (Stage_Event__c.Breached_At__c), whether the
   * asset has left since or is still there, the same rows the "SLA breaches" report counts.
   */
  stations: Record<string, { throughput: number; meanMinutes: number | null; slaHours: number | null; slaBreaches: number }>;
  /** All stations' SLA breaches in the period. */
  slaBreaches: number;
  /** Per stratum: assets per rep, and the spread (max - min) between reps. */
  equality: Record<string, { byRep: Record<string, number>; spread: number }>;
}

const NONE = '(none)';
const inWindow = (iso: string | null, w: PeriodWindow) => iso !== null && iso >= w.start && iso < w.end;
/** CloseDate is a date: it belongs to the period when its day starts inside it. */
const dateInWindow = (date: string, w: PeriodWindow) => inWindow(`${date.slice(0, 10)}T00:00:00.000Z`, w);

function rate(won: number, closed: number): Rate {
  return { won, closed, rate: closed ? won / closed : null };
}

function bump(map: Record<string, number>, key: string | null): void {
  const k = key ?? NONE;
  map[k] = (map[k] ?? 0) + 1;
}

export function managementSummary(raw: ReportInput, window: PeriodWindow): ManagementSummary {
  const input = reportInputSchema.parse(raw);
  const appointmentsBySdr: Record<string, number> = {};
  for (const d of input.dispositions) if (d.Outcome__c === 'Meeting Booked' && inWindow(new Date(d.CreatedDate).toISOString(), window)) bump(appointmentsBySdr, d.Rep__c);

  const closed = input.opportunities.filter((o) => dateInWindow(o.CloseDate, window));
  const rateBy = (key: (o: (typeof closed)[number]) => string | null) => {
    const groups = new Map<string, { won: number; closed: number }>();
    for (const o of closed) {
      const g = groups.get(key(o) ?? NONE) ?? { won: 0, closed: 0 };
      g.closed += 1;
      if (o.IsWon) g.won += 1;
      groups.set(key(o) ?? NONE, g);
    }
    return Object.fromEntries([...groups].sort(([a], [b]) => a.localeCompare(b)).map(([k, g]) => [k, rate(g.won, g.closed)]));
  };

  const sla = new Map(input.stations.map((s) => [s.Key__c, s.SLA_Hours__c]));
  // The stage-timer flows write the station's Name into To_Value__c; older data may hold the key.
  const keyOf = new Map(input.stations.flatMap((s) => [[s.Key__c, s.Key__c], ...(s.Name ? [[s.Name, s.Key__c] as const] : [])] as [string, string][]));
  const stations: ManagementSummary['stations'] = {};
  const stationOf = (value: string | null) => {
    const key = value === null ? NONE : (keyOf.get(value) ?? value);
    return (stations[key] ??= { throughput: 0, meanMinutes: null, slaHours: sla.get(key) ?? null, slaBreaches: 0 });
  };
  for (const e of input.stageEvents) {
    if (!e.Exited_At__c || !inWindow(new Date(e.Exited_At__c).toISOString(), window)) continue;
    const s = stationOf(e.To_Value__c);
    const minutes = e.Duration_Minutes__c;
    if (minutes !== null) s.meanMinutes = ((s.meanMinutes ?? 0) * s.throughput + minutes) / (s.throughput + 1);
    s.throughput += 1;
  }
  let slaBreaches = 0;
  for (const b of input.breaches) {
    if (!b.Breached_At__c || !inWindow(new Date(b.Breached_At__c).toISOString(), window)) continue;
    stationOf(b.To_Value__c).slaBreaches += 1;
    slaBreaches += 1;
  }

  const equality: ManagementSummary['equality'] = {};
  for (const a of input.assignments) {
    if (!a.Assigned_At__c || !inWindow(new Date(a.Assigned_At__c).toISOString(), window)) continue;
    const stratum = (equality[a.Stratum__c ?? NONE] ??= { byRep: {}, spread: 0 });
    bump(stratum.byRep, a.Rep__c);
  }
  for (const s of Object.values(equality)) {
    const counts = Object.values(s.byRep);
    s.spread = counts.length ? Math.max(...counts) - Math.min(...counts) : 0;
  }

  return {
    version: 1,
    window,
    appointmentsBySdr,
    appointments: Object.values(appointmentsBySdr).reduce((a, b) => a + b, 0),
    closeRateByRep: rateBy((o) => o.OwnerId),
    closeRateByProduct: rateBy((o) => o.Product__c),
    closeRate: rate(closed.filter((o) => o.IsWon).length, closed.length),
    stations,
    slaBreaches,
    equality
  };
}
