/**
 * Field values between JSON (as REST accepts and returns them) and SQLite columns.
 *
 * Storage: text types, picklists, ids, dates ("2024-05-01"), datetimes
 * ("2024-05-01T13:45:00.000+0000", Salesforce's own output format, which also sorts
 * correctly as text) and times as TEXT; booleans as 0/1; int as INTEGER; double,
 * currency and percent as REAL rounded to the field's scale.
 */
import { SalesforceError } from '../errors';
import type { FieldDef } from '../schema/types';
import type { FieldValue } from './types';
import { normalizeId } from './ids';

export type DbValue = string | number | null;

/** SQLite column declaration of a field. */
export function columnType(def: FieldDef): string {
  switch (def.type) {
    case 'boolean':
    case 'int':
      return 'INTEGER';
    case 'double':
    case 'currency':
    case 'percent':
      return 'REAL';
    case 'id':
    case 'reference':
    case 'date':
    case 'datetime':
    case 'time':
      return 'TEXT';
    default:
      // Salesforce compares and sorts text case-insensitively.
      return def.caseSensitive ? 'TEXT' : 'TEXT COLLATE NOCASE';
  }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Salesforce's datetime output: `2024-05-01T13:45:00.000+0000`. */
export function formatDateTime(date: Date): string {
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}+0000`
  );
}

export function formatDate(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z?$/;

function validDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A Date from an ISO 8601 date or datetime (a missing offset means UTC, as Salesforce reads it). */
export function parseDateTime(text: string): Date | undefined {
  const dateOnly = DATE_RE.exec(text);
  if (dateOnly) {
    const [y, m, d] = [Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3])];
    return validDate(y, m, d) ? new Date(Date.UTC(y, m - 1, d)) : undefined;
  }
  const match = DATETIME_RE.exec(text.trim());
  if (!match) return undefined;
  const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((i) => Number(match[i])) as [number, number, number, number, number];
  const s = Number(match[6] ?? '0');
  const ms = Number((match[7] ?? '0').padEnd(3, '0').slice(0, 3));
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return undefined;
  let offsetMinutes = 0;
  const zone = match[8];
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    offsetMinutes = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMinutes * 60_000);
}

function deserializeError(def: FieldDef, value: unknown, javaType: string): SalesforceError {
  const kind = typeof value === 'string' ? 'VALUE_STRING' : typeof value === 'number' ? 'VALUE_NUMBER' : typeof value === 'boolean' ? 'VALUE_BOOLEAN' : 'START_OBJECT';
  const shown = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return new SalesforceError(
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${javaType} from ${kind} value ${shown} or request may be missing a required field`,
    400,
    [def.name],
  );
}

function numberOf(def: FieldDef, value: unknown, javaType: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw deserializeError(def, value, javaType);
}

/**
 * The stored value of a JSON value for a field, or a SalesforceError naming the field
 * (JSON_PARSER_ERROR, STRING_TOO_LONG, NUMBER_OUTSIDE_VALID_RANGE, INVALID_EMAIL_ADDRESS,
 * INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, MALFORMED_ID). Null and '' clear the field.
 */
export function toDb(def: FieldDef, value: unknown): DbValue {
  if (value === null || value === undefined) return null;
  if (value === '' && def.type !== 'boolean') return null;
  switch (def.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (value === 'true' || value === 'false') return value === 'true' ? 1 : 0;
      if (value === '') return 0;
      throw deserializeError(def, value, 'boolean');
    case 'int': {
      const n = numberOf(def, value, 'int');
      if (!Number.isInteger(n)) throw deserializeError(def, value, 'int');
      checkRange(def, n);
      return n;
    }
    case 'double':
    case 'currency':
    case 'percent': {
      const n = numberOf(def, value, 'double');
      const factor = 10 ** def.scale;
      const rounded = def.precision > 0 ? Math.round(n * factor) / factor : n;
      checkRange(def, rounded);
      return rounded;
    }
    case 'date': {
      if (typeof value !== 'string') throw deserializeError(def, value, 'date');
      const parsed = parseDateTime(value);
      if (parsed === undefined) throw deserializeError(def, value, 'date');
      return DATE_RE.test(value) ? value : formatDate(parsed);
    }
    case 'datetime': {
      if (typeof value !== 'string') throw deserializeError(def, value, 'datetime');
      const parsed = parseDateTime(value);
      if (parsed === undefined) throw deserializeError(def, value, 'datetime');
      return formatDateTime(parsed);
    }
    case 'time': {
      const match = typeof value === 'string' ? TIME_RE.exec(value) : null;
      if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) throw deserializeError(def, value, 'time');
      return `${match[1]}:${match[2]}:${match[3] ?? '00'}.${(match[4] ?? '0').padEnd(3, '0')}Z`;
    }
    case 'id':
    case 'reference': {
      if (typeof value !== 'string') throw deserializeError(def, value, 'id');
      const id = normalizeId(value);
      if (id === undefined) {
        throw new SalesforceError('MALFORMED_ID', `${def.label}: id value of incorrect type: ${value}`, 400, [def.name]);
      }
      return id;
    }
    default:
      return textValue(def, value);
  }
}

function checkRange(def: FieldDef, n: number): void {
  if (def.precision <= 0) return;
  const integerDigits = Math.trunc(Math.abs(n)).toString().length;
  if (Math.trunc(Math.abs(n)) !== 0 && integerDigits > def.precision - def.scale) {
    throw new SalesforceError('NUMBER_OUTSIDE_VALID_RANGE', `${def.label}: value outside of valid range on numeric field: ${n}`, 400, [def.name]);
  }
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function textValue(def: FieldDef, value: unknown): string {
  if (typeof value === 'object') throw deserializeError(def, value, 'String');
  const text = String(value);
  if (def.length > 0 && text.length > def.length) {
    throw new SalesforceError('STRING_TOO_LONG', `${def.label}: data value too large: ${text} (max length=${def.length})`, 400, [def.name]);
  }
  if (def.type === 'email' && !EMAIL_RE.test(text)) {
    throw new SalesforceError('INVALID_EMAIL_ADDRESS', `${def.label}: invalid email address: ${text}`, 400, [def.name]);
  }
  if ((def.type === 'picklist' || def.type === 'multipicklist') && def.restrictedPicklist) {
    const allowed = new Set(def.picklistValues.filter((v) => v.active).map((v) => v.value));
    const chosen = def.type === 'multipicklist' ? text.split(';') : [text];
    const bad = chosen.find((item) => !allowed.has(item));
    if (bad !== undefined) {
      throw new SalesforceError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${def.label}: bad value for restricted picklist field: ${bad}`, 400, [def.name]);
    }
  }
  return text;
}

/** The JSON value of a stored value. */
export function fromDb(def: FieldDef, raw: unknown): FieldValue {
  if (raw === null || raw === undefined) return def.type === 'boolean' ? false : null;
  switch (def.type) {
    case 'boolean':
      return raw === 1 || raw === 1n || raw === '1' || raw === true;
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return typeof raw === 'bigint' ? Number(raw) : (raw as number);
    default:
      return raw as string;
  }
}
