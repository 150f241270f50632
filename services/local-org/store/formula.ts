/**
 * A small evaluator for the simple validation rules a package ships (Formula Operators and
 * Functions, Salesforce Help): literals, fields of the record itself, && || ! and the
 * comparison and arithmetic operators, and AND OR NOT IF CASE ISBLANK ISNULL BLANKVALUE
 * NULLVALUE TEXT VALUE LEN ISPICKVAL INCLUDES ISNEW ISCHANGED PRIORVALUE CONTAINS BEGINS
 * UPPER LOWER TRIM REGEX ISNUMBER TODAY NOW.
 *
 * Anything else (cross-object paths, $ globals, other functions) makes `compileFormula`
 * throw `UnsupportedFormula`; the store then skips that rule and reports a warning, so a
 * rule is either enforced exactly or not at all.
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

type Node =
  | { kind: 'lit'; value: FormulaValue }
  | { kind: 'field'; name: string }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'unary'; op: '!' | '-'; arg: Node }
  | { kind: 'binary'; op: string; left: Node; right: Node };

const FUNCTIONS = new Set([
  'AND', 'OR', 'NOT', 'IF', 'CASE', 'ISBLANK', 'ISNULL', 'BLANKVALUE', 'NULLVALUE', 'TEXT', 'VALUE', 'LEN', 'ISPICKVAL',
  'INCLUDES', 'ISNEW', 'ISCHANGED', 'PRIORVALUE', 'CONTAINS', 'BEGINS', 'UPPER', 'LOWER', 'TRIM', 'REGEX', 'ISNUMBER',
  'TODAY', 'NOW',
]);

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  const re = /\s+|\/\*[\s\S]*?\*\/|(\d+(?:\.\d+)?|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|&&|\|\||==|!=|<>|<=|>=|[A-Za-z_$][A-Za-z0-9_.$]*|[-+*/&=<>!(),^])/y;
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

export function compileFormula(source: string, knownField: (name: string) => boolean): (scope: FormulaScope) => FormulaValue {
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
    if (token.includes('.') || token.startsWith('$') || !knownField(token)) {
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
  }
  throw new UnsupportedFormula(`function ${name}`);
}
