/**
 * Flow values: literals of the metadata, conversions to a resource's data type, and the
 * comparisons of decision and entry conditions (Flow Builder: "Flow Condition Operators").
 */
import type { FormulaValue } from '../store/formula';
import { formatDate, formatDateTime, parseDateTime } from '../store/values';
import type { FieldDef } from '../schema/types';
import type { FieldValue } from '../store/types';
import { FlowRecord, type FlowScalar, type FlowValue } from './records';
import type { FlowValueXml } from './metadata';

export function isBlank(value: FlowValue): boolean {
  return value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** The value of a literal (`stringValue`, `numberValue`...); undefined when it is a reference. */
export function literal(xml: FlowValueXml | undefined): { value: FlowScalar } | undefined {
  if (xml === undefined) return { value: null };
  if (xml.elementReference !== undefined) return undefined;
  if (xml.stringValue !== undefined) return { value: xml.stringValue };
  if (xml.numberValue !== undefined) return { value: Number(xml.numberValue) };
  if (xml.booleanValue !== undefined) return { value: xml.booleanValue === 'true' };
  if (xml.dateTimeValue !== undefined) {
    const parsed = parseDateTime(xml.dateTimeValue);
    return { value: parsed === undefined ? xml.dateTimeValue : formatDateTime(parsed) };
  }
  if (xml.dateValue !== undefined) return { value: xml.dateValue };
  return { value: null };
}

/** The store's own datetime text, which needs no conversion. */
const STORED_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;

function instant(value: FlowValue): number | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  return parseDateTime(value)?.getTime();
}

/** A value converted to a variable's or formula's data type (Flow Builder: "Flow Data Types"). */
export function toDataType(value: FlowValue, dataType: string, scale?: number): FlowValue {
  if (value === null || value instanceof FlowRecord || Array.isArray(value)) return value;
  switch (dataType) {
    case 'Boolean':
      return value === true || value === 'true';
    case 'Number':
    case 'Currency': {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) return null;
      // Half away from zero, as Salesforce rounds to a resource's scale.
      return scale === undefined ? n : (Math.sign(n) * Math.round(Math.abs(n) * 10 ** scale)) / 10 ** scale;
    }
    case 'DateTime': {
      if (typeof value === 'string' && STORED_DATETIME.test(value)) return value;
      const ms = instant(value);
      return ms === undefined ? null : formatDateTime(new Date(ms));
    }
    case 'Date': {
      const ms = instant(value);
      return ms === undefined ? null : formatDate(new Date(ms));
    }
    default:
      return typeof value === 'string' ? value : String(value);
  }
}

/** A value as a record field accepts it (the store validates it on save). */
export function toFieldValue(field: FieldDef, value: FlowValue): FieldValue {
  if (value instanceof FlowRecord) return value.id;
  if (Array.isArray(value)) return value.length === 0 ? null : value.join(';');
  if (value === null) return null;
  if (field.type === 'boolean') return value === true || value === 'true';
  if (field.type === 'datetime' || field.type === 'date') return toDataType(value, field.type === 'date' ? 'Date' : 'DateTime') as FieldValue;
  return value;
}

/** A value as formulas see it: records and collections have no formula value. */
export function toFormulaValue(value: FlowValue): FormulaValue {
  if (value instanceof FlowRecord) return value.id;
  if (Array.isArray(value)) return null;
  return value;
}

/** Equality of conditions: blanks equal blanks, numbers and instants by value, records by Id. */
export function sameValue(a: FlowValue, b: FlowValue): boolean {
  if (isBlank(a) || isBlank(b)) return isBlank(a) && isBlank(b);
  if (a instanceof FlowRecord || b instanceof FlowRecord) {
    return (a instanceof FlowRecord ? a.id : a) === (b instanceof FlowRecord ? b.id : b);
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') return String(a) === String(b);
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  const ta = instant(a);
  const tb = instant(b);
  if (ta !== undefined && tb !== undefined) return ta === tb;
  return String(a) === String(b);
}

/** Order of two values (numbers, instants, then text), or null when either is blank. */
export function compareValues(a: FlowValue, b: FlowValue): number | null {
  if (isBlank(a) || isBlank(b) || typeof a === 'object' || typeof b === 'object') return null;
  if (typeof a === 'number' || typeof b === 'number') return Number(a) - Number(b);
  const ta = instant(a);
  const tb = instant(b);
  if (ta !== undefined && tb !== undefined) return ta - tb;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
