/**
 * SOQL date literals as ranges (SOQL and SOSL Reference: "Date Formats and Date Literals
 * in WHERE"). Each literal is a range of whole local days in the running user's time zone,
 * starting at 00:00:00; weeks start on Sunday (locale en_US); the fiscal year is the
 * calendar year (FiscalYearStartMonth = 1). LAST_N_DAYS:n covers the n days before today
 * and today itself; NEXT_N_DAYS:n starts tomorrow.
 */

/** A local calendar day, as days since 1970-01-01. */
type Day = number;

export interface DayRange {
  /** First local day in the range. */
  start: Day;
  /** First local day after the range. */
  end: Day;
}

const DAY_MS = 86_400_000;

export function dayOf(y: number, m: number, d: number): Day {
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}

function ymd(day: Day): [number, number, number] {
  const date = new Date(day * DAY_MS);
  return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
}

export function dayText(day: Day): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Offset of a time zone from UTC at an instant, in milliseconds (positive east of Greenwich). */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The local day of an instant in a time zone. */
export function localDay(instant: Date, timeZone: string): Day {
  return Math.floor((instant.getTime() + zoneOffsetMs(instant, timeZone)) / DAY_MS);
}

/** The UTC instant at which a local day starts in a time zone (DST-aware). */
export function startOfDay(day: Day, timeZone: string): Date {
  const guess = day * DAY_MS;
  let instant = guess - zoneOffsetMs(new Date(guess), timeZone);
  // Re-check once: the offset at the guessed instant may differ across a DST change.
  instant = guess - zoneOffsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

function addMonths(day: Day, months: number): Day {
  const [y, m] = ymd(day);
  const total = y * 12 + (m - 1) + months;
  return dayOf(Math.floor(total / 12), (total % 12) + 1, 1);
}

function monthStart(day: Day): Day {
  const [y, m] = ymd(day);
  return dayOf(y, m, 1);
}

function quarterStart(day: Day): Day {
  const [y, m] = ymd(day);
  return dayOf(y, Math.floor((m - 1) / 3) * 3 + 1, 1);
}

function yearStart(day: Day): Day {
  return dayOf(ymd(day)[0], 1, 1);
}

function weekStart(day: Day): Day {
  // 1970-01-01 was a Thursday; Sunday-based weeks.
  const weekday = (((day + 4) % 7) + 7) % 7;
  return day - weekday;
}

const range = (start: Day, end: Day): DayRange => ({ start, end });

/** The range of a date literal (TODAY) or an N literal (LAST_N_DAYS with n), or undefined when unknown. */
export function dateLiteralRange(literal: string, n: number | undefined, today: Day): DayRange | undefined {
  const name = literal.toUpperCase().split(':')[0] ?? '';
  const k = n ?? 0;
  const week = weekStart(today);
  const month = monthStart(today);
  const quarter = quarterStart(today);
  const year = yearStart(today);
  // Fiscal literals equal calendar ones while the fiscal year starts in January.
  const unit = name.replace('_FISCAL_', '_');
  switch (unit) {
    case 'YESTERDAY':
      return range(today - 1, today);
    case 'TODAY':
      return range(today, today + 1);
    case 'TOMORROW':
      return range(today + 1, today + 2);
    case 'LAST_WEEK':
      return range(week - 7, week);
    case 'THIS_WEEK':
      return range(week, week + 7);
    case 'NEXT_WEEK':
      return range(week + 7, week + 14);
    case 'LAST_MONTH':
      return range(addMonths(month, -1), month);
    case 'THIS_MONTH':
      return range(month, addMonths(month, 1));
    case 'NEXT_MONTH':
      return range(addMonths(month, 1), addMonths(month, 2));
    case 'LAST_90_DAYS':
      return range(today - 90, today + 1);
    case 'NEXT_90_DAYS':
      return range(today + 1, today + 91);
    case 'LAST_QUARTER':
      return range(addMonths(quarter, -3), quarter);
    case 'THIS_QUARTER':
      return range(quarter, addMonths(quarter, 3));
    case 'NEXT_QUARTER':
      return range(addMonths(quarter, 3), addMonths(quarter, 6));
    case 'LAST_YEAR':
      return range(addMonths(year, -12), year);
    case 'THIS_YEAR':
      return range(year, addMonths(year, 12));
    case 'NEXT_YEAR':
      return range(addMonths(year, 12), addMonths(year, 24));
    case 'LAST_N_DAYS':
      return range(today - k, today + 1);
    case 'NEXT_N_DAYS':
      return range(today + 1, today + 1 + k);
    case 'N_DAYS_AGO':
      return range(today - k, today - k + 1);
    case 'LAST_N_WEEKS':
      return range(week - 7 * k, week);
    case 'NEXT_N_WEEKS':
      return range(week + 7, week + 7 + 7 * k);
    case 'N_WEEKS_AGO':
      return range(week - 7 * k, week - 7 * k + 7);
    case 'LAST_N_MONTHS':
      return range(addMonths(month, -k), month);
    case 'NEXT_N_MONTHS':
      return range(addMonths(month, 1), addMonths(month, 1 + k));
    case 'N_MONTHS_AGO':
      return range(addMonths(month, -k), addMonths(month, -k + 1));
    case 'LAST_N_QUARTERS':
      return range(addMonths(quarter, -3 * k), quarter);
    case 'NEXT_N_QUARTERS':
      return range(addMonths(quarter, 3), addMonths(quarter, 3 + 3 * k));
    case 'N_QUARTERS_AGO':
      return range(addMonths(quarter, -3 * k), addMonths(quarter, -3 * k + 3));
    case 'LAST_N_YEARS':
      return range(addMonths(year, -12 * k), year);
    case 'NEXT_N_YEARS':
      return range(addMonths(year, 12), addMonths(year, 12 + 12 * k));
    case 'N_YEARS_AGO':
      return range(addMonths(year, -12 * k), addMonths(year, -12 * k + 12));
    default:
      return undefined;
  }
}
