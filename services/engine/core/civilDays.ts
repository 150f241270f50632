/**
 * Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant, "days_from_civil"):
 * exact integer date arithmetic without Date objects, for the hot paths that parse millions
 * of record dates.
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
