/**
 * A small evaluator for the simple validation rules a package ships (Formula Operators and
 * Functions, Salesforce Help): literals, fields of the record itself, && || ! and the
 * comparison and arithmetic operators, and AND OR NOT IF CASE ISBLANK ISNULL BLANKVALUE
 * NULLVALUE TEXT VALUE LEN ISPICKVAL INCLUDES ISNEW ISCHANGED PRIORVALUE CONTAINS BEGINS
 * UPPER LOWER TRIM REGEX ISNUMBER TODAY NOW MAX MIN ROUND ABS FLOOR CEILING MOD.
 *
 * Dates and datetimes are ISO strings; as in Salesforce formulas, datetime - datetime is a
 * number of days, datetime +/- number moves by days, and comparisons go by instant.
 *
 * Anything else (cross-object paths, $ globals, other functions) makes `compileFormula`
 * throw `UnsupportedFormula`; the store then skips that rule and reports a warning, so a
 * rule is either enforced exactly or not at all.
 *
 * Flow formulas (services/local-org/flows) compile with `{ references: 'paths' }`: merge
 * fields such as `{!$Record.Station__r.Name}` and dotted or `$` names are accepted when
 * `knownField` accepts the path, and the scope resolves them.
 */
export type FormulaValue = string | number | boolean | null;

export interface FormulaScope {
  /** New values by lower-case field name. */
  value(field: string): FormulaValue;
  /** Prior values (updates); undefined on insert. */
  prior(field: string): FormulaValue;
  hasField(field: string): boolean;
  isNew: boolean;
  now: Date;
}

export class UnsupportedFormula extends Error {}

export interface FormulaOptions {
  /**
   * 'fields' (default): only fields of the record itself (validation rules).
   * 'paths': also `{!merge}` fields and dotted or `$` references (flow formulas); each is
   * checked with `knownField` and handed to the scope as written, lower-cased.
   */
  references?: 'fields' | 'paths';
}

type Node =
  | { kind: 'lit'; value: FormulaValue }
  | { kind: 'field'; name: string }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'unary'; op: '!' | '-'; arg: Node }
  | { kind: 'binary'; op: string; left: Node; right: Node };

const FUNCTIONS = new Set([
  'AND', 'OR', 'NOT', 'IF', 'CASE', 'ISBLANK', 'ISNULL', 'BLANKVALUE', 'NULLVALUE', 'TEXT', 'VALUE', 'LEN', 'ISPICKVAL',
  'INCLUDES', 'ISNEW', 'ISCHANGED', 'PRIORVALUE', 'CONTAINS', 'BEGINS', 'UPPER', 'LOWER', 'TRIM', 'REGEX', 'ISNUMBER',
  'TODAY', 'NOW', 'MAX', 'MIN', 'ROUND', 'ABS', 'FLOOR', 'CEILING', 'MOD',
]);

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  const re = /\s+|\/\*[\s\S]*?\*\/|(\{![^}]*\}|\d+(?:\.\d+)?|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|&&|\|\||==|!=|<>|<=|>=|[A-Za-z_$][A-Za-z0-9_.$]*|[-+*/&=<>!(),^])/y;
  let index = 0;
  while (index < source.length) {
    re.lastIndex = index;
    const match = re.exec(source);
    if (!match) throw new UnsupportedFormula(`unexpected character "${source[index]}" at ${index}`);
    if (match[1] !== undefined) tokens.push(match[1]);
    index = re.lastIndex;
  }
  return tokens;
}

export function compileFormula(
  source: string,
  knownField: (name: string) => boolean,
  options: FormulaOptions = {},
): (scope: FormulaScope) => FormulaValue {
  const paths = options.references === 'paths';
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const take = (expected?: string): string => {
    const token = tokens[pos];
    if (token === undefined || (expected !== undefined && token.toUpperCase() !== expected)) {
      throw new UnsupportedFormula(`expected ${expected ?? 'a token'} at token ${pos}`);
    }
    pos += 1;
    return token;
  };
  const binaryLevel = (ops: string[], next: () => Node) => (): Node => {
    let left = next();
    while (peek() !== undefined && ops.includes(peek() as string)) {
      const op = take();
      left = { kind: 'binary', op, left, right: next() };
    }
    return left;
  };
  const primary = (): Node => {
    const token = take();
    if (token === '(') {
      const inner = orExpr();
      take(')');
      return inner;
    }
    if (token === '!' || token === '-') return { kind: 'unary', op: token, arg: primary() };
    if (token === '+') return primary();
    if (/^\d/.test(token)) return { kind: 'lit', value: Number(token) };
    if (token.startsWith('"') || token.startsWith("'")) {
      return { kind: 'lit', value: token.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t' })[c] ?? c) };
    }
    if (token.startsWith('{!')) {
      const reference = token.slice(2, -1).trim();
      if (!paths || !knownField(reference)) throw new UnsupportedFormula(`merge field ${token} is not known here`);
      return { kind: 'field', name: reference.toLowerCase() };
    }
    const upper = token.toUpperCase();
    if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'lit', value: upper === 'TRUE' };
    if (upper === 'NULL') return { kind: 'lit', value: null };
    if (peek() === '(') {
      if (!FUNCTIONS.has(upper)) throw new UnsupportedFormula(`function ${token} is not supported`);
      take('(');
      const args: Node[] = [];
      if (peek() !== ')') {
        args.push(orExpr());
        while (peek() === ',') {
          take(',');
          args.push(orExpr());
        }
      }
      take(')');
      return { kind: 'call', name: upper, args };
    }
    if ((!paths && (token.includes('.') || token.startsWith('$'))) || !knownField(token)) {
      throw new UnsupportedFormula(`reference ${token} is not a field of the record`);
    }
    return { kind: 'field', name: token.toLowerCase() };
  };
  const mul = binaryLevel(['*', '/'], primary);
  const add = binaryLevel(['+', '-', '&'], mul);
  const cmp = binaryLevel(['=', '==', '!=', '<>', '<', '>', '<=', '>='], add);
  const andExpr = binaryLevel(['&&'], cmp);
  const orExpr = binaryLevel(['||'], andExpr);
  const root = orExpr();
  if (pos !== tokens.length) throw new UnsupportedFormula(`unexpected token ${tokens[pos]}`);
  return (scope) => evaluate(root, scope);
}

const blank = (value: FormulaValue): boolean => value === null || value === '';

function evaluate(node: Node, scope: FormulaScope): FormulaValue {
  switch (node.kind) {
    case 'lit':
      return node.value;
    case 'field':
      return scope.value(node.name);
    case 'unary': {
      const value = evaluate(node.arg, scope);
      if (node.op === '!') return !truthy(value);
      return value === null ? null : -Number(value);
    }
    case 'binary':
      return binary(node.op, node.left, node.right, scope);
    case 'call':
      return call(node.name, node.args, scope);
  }
}

function truthy(value: FormulaValue): boolean {
  return value === true;
}

function binary(op: string, leftNode: Node, rightNode: Node, scope: FormulaScope): FormulaValue {
  if (op === '&&') return truthy(evaluate(leftNode, scope)) && truthy(evaluate(rightNode, scope));
  if (op === '||') return truthy(evaluate(leftNode, scope)) || truthy(evaluate(rightNode, scope));
  const left = evaluate(leftNode, scope);
  const right = evaluate(rightNode, scope);
  switch (op) {
    case '&':
      return `${left ?? ''}${right ?? ''}`;
    case '=':
    case '==':
      return blank(left) || blank(right) ? blank(left) && blank(right) : left === right;
    case '!=':
    case '<>':
      return blank(left) || blank(right) ? !(blank(left) && blank(right)) : left !== right;
  }
  if (left === null || right === null) return op === '+' || op === '-' || op === '*' || op === '/' ? null : false;
  const temporal = temporalArithmetic(op, left, right);
  if (temporal !== undefined) return temporal;
  switch (op) {
    case '+':
      return typeof left === 'string' || typeof right === 'string' ? `${left}${right}` : Number(left) + Number(right);
    case '-':
      return Number(left) - Number(right);
    case '*':
      return Number(left) * Number(right);
    case '/':
      return Number(right) === 0 ? null : Number(left) / Number(right);
    case '<':
      return left < right;
    case '>':
      return left > right;
    case '<=':
      return left <= right;
    case '>=':
      return left >= right;
  }
  throw new UnsupportedFormula(`operator ${op}`);
}

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch ms of an ISO date or datetime string (a date is midnight GMT), else undefined. */
function instant(value: FormulaValue): number | undefined {
  if (typeof value !== 'string' || !(DATE_ONLY.test(value) || DATE_TIME.test(value))) return undefined;
  const normalized = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : normalized);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Date arithmetic of Salesforce formulas ("Using Date, Date/Time, and Time Values in
 * Formulas"): a difference of two dates or datetimes is in days, a number added to one
 * moves it by days, and comparisons go by instant. Undefined when the operands are not
 * dates, so ordinary arithmetic applies.
 */
function temporalArithmetic(op: string, left: FormulaValue, right: FormulaValue): FormulaValue | undefined {
  const a = instant(left);
  const b = instant(right);
  if (a === undefined && b === undefined) return undefined;
  if (a !== undefined && b !== undefined) {
    switch (op) {
      case '-':
        return (a - b) / DAY_MS;
      case '<':
        return a < b;
      case '>':
        return a > b;
      case '<=':
        return a <= b;
      case '>=':
        return a >= b;
    }
    return undefined;
  }
  const base = a ?? (b as number);
  const days = a === undefined ? left : right;
  if (typeof days !== 'number' || !(op === '+' || (op === '-' && a !== undefined))) return undefined;
  const moved = new Date(base + (op === '+' ? days : -days) * DAY_MS);
  const dateOnly = DATE_ONLY.test(String(a === undefined ? right : left));
  return dateOnly ? moved.toISOString().slice(0, 10) : formatInstant(moved);
}

/** Salesforce's datetime text (`2026-03-18T15:30:00.000+0000`), as the store keeps it. */
function formatInstant(date: Date): string {
  return `${date.toISOString().slice(0, 23)}+0000`;
}

/** Rounds half away from zero, as Salesforce's ROUND does. */
function roundHalfAway(value: number, digits: number): number {
  const factor = 10 ** digits;
  const scaled = Math.abs(value) * factor;
  // The epsilon absorbs binary representation error (1.005 * 100 = 100.49999...).
  const rounded = Math.round(scaled + 1e-9 * Math.max(1, scaled)) / factor;
  return value < 0 ? -rounded : rounded;
}

function numbers(values: FormulaValue[]): number[] | null {
  if (values.some((value) => value === null)) return null;
  return values.map(Number);
}

function fieldArg(args: Node[], index: number, fn: string): string {
  const node = args[index];
  if (node?.kind !== 'field') throw new UnsupportedFormula(`${fn} expects a field`);
  return node.name;
}

function call(name: string, args: Node[], scope: FormulaScope): FormulaValue {
  const arg = (i: number): FormulaValue => {
    const node = args[i];
    if (node === undefined) throw new UnsupportedFormula(`${name} is missing argument ${i + 1}`);
    return evaluate(node, scope);
  };
  switch (name) {
    case 'AND':
      return args.every((_, i) => truthy(arg(i)));
    case 'OR':
      return args.some((_, i) => truthy(arg(i)));
    case 'NOT':
      return !truthy(arg(0));
    case 'IF':
      return truthy(arg(0)) ? arg(1) : arg(2);
    case 'CASE': {
      const subject = arg(0);
      for (let i = 1; i + 1 < args.length; i += 2) if (arg(i) === subject) return arg(i + 1);
      return args.length % 2 === 0 ? arg(args.length - 1) : null;
    }
    case 'ISBLANK':
    case 'ISNULL':
      return blank(arg(0));
    case 'BLANKVALUE':
    case 'NULLVALUE':
      return blank(arg(0)) ? arg(1) : arg(0);
    case 'TEXT': {
      const value = arg(0);
      return value === null ? '' : String(value);
    }
    case 'VALUE': {
      const value = arg(0);
      return blank(value) || !Number.isFinite(Number(value)) ? null : Number(value);
    }
    case 'ISNUMBER': {
      const value = arg(0);
      return !blank(value) && Number.isFinite(Number(value));
    }
    case 'LEN':
      return String(arg(0) ?? '').length;
    case 'ISPICKVAL':
      return (arg(0) ?? '') === (arg(1) ?? '');
    case 'INCLUDES':
      return String(arg(0) ?? '').split(';').includes(String(arg(1) ?? ''));
    case 'ISNEW':
      return scope.isNew;
    case 'ISCHANGED': {
      const field = fieldArg(args, 0, name);
      return !scope.isNew && scope.prior(field) !== scope.value(field);
    }
    case 'PRIORVALUE': {
      const field = fieldArg(args, 0, name);
      return scope.isNew ? scope.value(field) : scope.prior(field);
    }
    case 'CONTAINS':
      return String(arg(0) ?? '').includes(String(arg(1) ?? ''));
    case 'BEGINS':
      return String(arg(0) ?? '').startsWith(String(arg(1) ?? ''));
    case 'UPPER':
      return arg(0) === null ? null : String(arg(0)).toUpperCase();
    case 'LOWER':
      return arg(0) === null ? null : String(arg(0)).toLowerCase();
    case 'TRIM':
      return arg(0) === null ? null : String(arg(0)).trim();
    case 'REGEX':
      return new RegExp(`^(?:${String(arg(1) ?? '')})$`).test(String(arg(0) ?? ''));
    case 'TODAY':
      return scope.now.toISOString().slice(0, 10);
    case 'NOW':
      return scope.now.toISOString();
    case 'MAX':
    case 'MIN': {
      const values = numbers(args.map((_, i) => arg(i)));
      if (values === null || values.length === 0) return null;
      return name === 'MAX' ? Math.max(...values) : Math.min(...values);
    }
    case 'ROUND': {
      const values = numbers([arg(0), args.length > 1 ? arg(1) : 0]);
      return values === null ? null : roundHalfAway(values[0] as number, values[1] as number);
    }
    case 'ABS':
    case 'FLOOR':
    case 'CEILING': {
      const value = arg(0);
      if (value === null) return null;
      return name === 'ABS' ? Math.abs(Number(value)) : name === 'FLOOR' ? Math.floor(Number(value)) : Math.ceil(Number(value));
    }
    case 'MOD': {
      const values = numbers([arg(0), arg(1)]);
      if (values === null || values[1] === 0) return null;
      return (values[0] as number) % (values[1] as number);
    }
  }
  throw new UnsupportedFormula(`function ${name}`);
}
