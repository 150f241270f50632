import { daysFromCivil } from '../civilDays';

/**
 * Calendar arithmetic for forecasting on whole UTC days. A `Day` is the number of days since
 * 1970-01-01; month and period boundaries are computed with Date.UTC, which is pure.
 */
export type Day = number;

export const DAY_MS = 86_400_000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A date that is not YYYY-MM-DD or not on the calendar, with what to write instead. */
export class DateFormatError extends Error {
  constructor(
    readonly field: string,
    readonly value: string
  ) {
    super(`${field} "${value}" is not a date: expected YYYY-MM-DD (for example 2017-05-01)`);
    this.name = 'DateFormatError';
  }
}

export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
}

/** Parses YYYY-MM-DD without a Date per call: the hot path for a million rows. */
export function dayFromIso(value: string, field = 'date'): Day {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) {
    throw new DateFormatError(field, value);
  }
  const y = digits(value, 0, 4);
  const m = digits(value, 5, 7);
  const d = digits(value, 8, 10);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m - 1))
    throw new DateFormatError(field, value);
  return daysFromCivil(y, m, d);
}

function digits(value: string, from: number, to: number): number {
  let out = 0;
  for (let i = from; i < to; i += 1) {
    const c = value.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    out = out * 10 + c;
  }
  return out;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month0: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month0 === 1 && leap ? 29 : (MONTH_DAYS[month0] as number);
}

export function isoFromDay(day: Day): string {
  const month = monthIndexOfDay(day);
  const year = 1970 + Math.floor(month / 12);
  const m = month - (year - 1970) * 12 + 1;
  const d = day - daysFromCivil(year, m, 1) + 1;
  if (year < 0 || year > 9999) return new Date(day * DAY_MS).toISOString().slice(0, 10);
  return `${String(year).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** Months since January 1970 (0 = 1970-01), by Hinnant's civil_from_days (no Date). */
export function monthIndexOfDay(day: Day): number {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return (year - 1970) * 12 + month - 1;
}

export function dayOfMonthIndex(monthIndex: number): Day {
  const year = 1970 + Math.floor(monthIndex / 12);
  const month0 = monthIndex - (year - 1970) * 12;
  return Math.round(Date.UTC(year, month0, 1) / DAY_MS);
}

export type PeriodType = 'month' | 'quarter' | 'year';

export const MONTHS_IN: Record<PeriodType, number> = { month: 1, quarter: 3, year: 12 };

/** A forecast period: [start, end) in days, aligned to calendar months, quarters or years. */
export interface Period {
  type: PeriodType;
  start: Day;
  end: Day;
  /** First month index of the period. */
  month: number;
  /** 2017-05, 2017-Q2 or 2017. */
  label: string;
}

export function periodOfMonth(type: PeriodType, monthIndex: number): Period {
  const size = MONTHS_IN[type];
  const first = Math.floor(monthIndex / size) * size;
  const start = dayOfMonthIndex(first);
  const end = dayOfMonthIndex(first + size);
  const year = 1970 + Math.floor(first / 12);
  const month0 = first - (year - 1970) * 12;
  const label =
    type === 'year'
      ? `${year}`
      : type === 'quarter'
        ? `${year}-Q${month0 / 3 + 1}`
        : `${year}-${String(month0 + 1).padStart(2, '0')}`;
  return { type, start, end, month: first, label };
}

export function periodContaining(type: PeriodType, day: Day): Period {
  return periodOfMonth(type, monthIndexOfDay(day));
}

/** The period `n` periods after (or before, for negative n) the given one. */
export function shiftPeriod(period: Period, n: number): Period {
  return periodOfMonth(period.type, period.month + n * MONTHS_IN[period.type]);
}

/**
 * Position of a month in the seasonal cycle: 0..seasonLength-1. With a quarterly cycle
 * (seasonLength 3) this is "month 1, 2 or 3 of the quarter", where end-of-quarter pushes live.
 */
export function phaseOfMonth(monthIndex: number, seasonLength: number): number {
  return ((monthIndex % seasonLength) + seasonLength) % seasonLength;
}

/** Seasonal phases of a cycle: none without a cycle, else `perMonth` per month of it. */
export function phaseCount(seasonLength: number, perMonth: number): number {
  return seasonLength === 1 ? 1 : seasonLength * perMonth;
}

/**
 * The seasonal phase of every day in [from, to), for hot loops. With two phases a month, the
 * 16th and later days are a phase of their own: an end-of-quarter push lands in the last days.
 */
export function phaseTable(from: Day, to: Day, seasonLength: number, perMonth = 1): Uint8Array {
  const out = new Uint8Array(Math.max(0, to - from));
  if (seasonLength === 1) return out;
  let month = monthIndexOfDay(from);
  let start = dayOfMonthIndex(month);
  let next = dayOfMonthIndex(month + 1);
  for (let day = from; day < to; day += 1) {
    if (day >= next) {
      month += 1;
      start = next;
      next = dayOfMonthIndex(month + 1);
    }
    const half = perMonth === 2 && day - start >= 15 ? 1 : 0;
    out[day - from] = phaseOfMonth(month, seasonLength) * perMonth + half;
  }
  return out;
}
