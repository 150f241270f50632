import { daysFromCivil } from '../civilDays';

/**
 * Fast parse of the ISO 8601 instants the org returns (`2024-05-06T15:00:00.000Z`, or with
 * `+0000` / `+00:00` as Salesforce REST writes them): plain digit arithmetic, about ten
 * times faster than Date.parse, which matters at a million assets a run. Anything else
 * falls back to Date.parse, so the result is always Date.parse's.
 */
function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i += 1) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

export function parseInstant(s: string): number {
  if (s.length < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) {
    return Date.parse(s);
  }
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const sec = digits(s, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return Date.parse(s);
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    const m3 = digits(s, 20, 3);
    if (m3 < 0 || (s.length > 23 && s.charCodeAt(23) >= 48 && s.charCodeAt(23) <= 57)) return Date.parse(s);
    ms = m3;
    i = 23;
  }
  let offsetMinutes = 0;
  const z = s.charCodeAt(i);
  if (z === 90 && s.length === i + 1) offsetMinutes = 0;
  else if ((z === 43 || z === 45) && (s.length === i + 5 || (s.length === i + 6 && s.charCodeAt(i + 3) === 58))) {
    const oh = digits(s, i + 1, 2);
    const om = digits(s, s.length === i + 5 ? i + 3 : i + 4, 2);
    if (oh < 0 || om < 0) return Date.parse(s);
    offsetMinutes = (z === 45 ? -1 : 1) * (oh * 60 + om);
  } else return Date.parse(s);
  // Linear in the day, so 2023-02-29 rolls over to March 1 exactly as Date.parse does.
  const days = daysFromCivil(y, mo, d);
  return ((days * 24 + h) * 60 + mi - offsetMinutes) * 60_000 + sec * 1000 + ms;
}
