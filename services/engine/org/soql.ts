/**
 * The one place where SOQL is built from data. Every interpolated value becomes a literal
 * (strings escaped as the SOQL and SOSL Reference, "Quoted String Escape Sequences", lists:
 * \n \r \t \b \f \" \' \\), identifiers must be API names, and anything else is refused.
 *
 *   soql`SELECT Id FROM ${id('Lead')} WHERE Company = ${company} AND CreatedDate > ${since}`
 */
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;
const RECORD_ID = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

class Identifier {
  constructor(readonly name: string) {}
}
class Raw {
  constructor(readonly text: string) {}
}
class Like {
  constructor(readonly pattern: string) {}
}
/** A date (YYYY-MM-DD) rather than a dateTime literal. */
class DateOnly {
  constructor(readonly value: Date) {}
}

export type SoqlValue = string | number | boolean | null | Date | Identifier | Raw | Like | DateOnly | ReadonlyArray<string | number | Date>;

export class SoqlBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SoqlBuildError';
  }
}

/** An object or field API name (namespaced or not). Rejects anything that is not one. */
export function id(name: string): Identifier {
  if (!IDENTIFIER.test(name)) throw new SoqlBuildError(`not an API name: ${JSON.stringify(name)}`);
  return new Identifier(name);
}

/** A comma-separated list of API names for a SELECT clause. */
export function fields(names: readonly string[]): Raw {
  return new Raw(names.map((name) => id(name).name).join(', '));
}

/** A LIKE pattern: the user's text matches literally; `%` and `_` in it are escaped. */
export function like(text: string, mode: 'contains' | 'prefix' | 'exact' = 'contains'): Like {
  const escaped = escapeText(text).replace(/%/g, '\\%').replace(/_/g, '\\_');
  const pattern = mode === 'contains' ? `%${escaped}%` : mode === 'prefix' ? `${escaped}%` : escaped;
  return new Like(pattern);
}

export function dateOnly(value: Date): DateOnly {
  return new DateOnly(value);
}

/** A Salesforce record id (15 or 18 characters), checked, as a quoted literal. */
export function recordId(value: string): Raw {
  if (!RECORD_ID.test(value)) throw new SoqlBuildError(`not a record id: ${JSON.stringify(value)}`);
  return new Raw(`'${value}'`);
}

export function escapeText(text: string): string {
  return text.replace(/[\\'"\n\r\t\b\f]/g, (char) => {
    switch (char) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      case '\b':
        return '\\b';
      case '\f':
        return '\\f';
      default:
        return `\\${char}`;
    }
  });
}

function literal(value: SoqlValue): string {
  if (value === null) return 'null';
  if (value instanceof Identifier) return value.name;
  if (value instanceof Raw) return value.text;
  if (value instanceof Like) return `'${value.pattern}'`;
  if (value instanceof DateOnly) return value.value.toISOString().slice(0, 10);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new SoqlBuildError('invalid date');
    return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  if (Array.isArray(value)) {
    if (value.length === 0) throw new SoqlBuildError('an IN list needs at least one value');
    return `(${value.map((item) => literal(item as SoqlValue)).join(', ')})`;
  }
  switch (typeof value) {
    case 'string':
      return `'${escapeText(value)}'`;
    case 'number':
      if (!Number.isFinite(value)) throw new SoqlBuildError(`not a finite number: ${value}`);
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      throw new SoqlBuildError(`unsupported SOQL value: ${typeof value}`);
  }
}

export function soql(strings: TemplateStringsArray, ...values: SoqlValue[]): string {
  let text = strings[0] ?? '';
  values.forEach((value, index) => {
    text += literal(value) + (strings[index + 1] ?? '');
  });
  return text;
}
