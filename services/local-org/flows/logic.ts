/**
 * Condition logic of decisions and record filters (Flow Builder: "Custom Condition Logic"):
 * `and`, `or`, or a custom expression over condition numbers such as `1 AND (2 OR NOT 3)`.
 * Parsed once when a flow loads; evaluated as booleans (decisions, entry conditions) or
 * folded into SQL (Get Records and Update Records filters).
 */
export type Logic =
  | { kind: 'ref'; index: number }
  | { kind: 'not'; arg: Logic }
  | { kind: 'all' | 'any'; args: Logic[] };

export class LogicError extends Error {}

/** Logic over `count` conditions; `undefined` or blank means all of them (AND). */
export function parseLogic(source: string | undefined, count: number): Logic {
  const refs = Array.from({ length: count }, (_, index): Logic => ({ kind: 'ref', index }));
  const text = (source ?? '').trim();
  if (text === '' || /^and$/i.test(text)) return { kind: 'all', args: refs };
  if (/^or$/i.test(text)) return { kind: 'any', args: refs };
  const tokens = text.match(/\d+|\(|\)|[A-Za-z]+/g) ?? [];
  if (tokens.join('').length !== text.replace(/\s+/g, '').length) throw new LogicError(`condition logic "${text}" has characters other than numbers, AND, OR, NOT and parentheses`);
  let pos = 0;
  const peek = (): string | undefined => tokens[pos]?.toUpperCase();
  const primary = (): Logic => {
    const token = tokens[pos++];
    if (token === undefined) throw new LogicError(`condition logic "${text}" ends too early`);
    if (token === '(') {
      const inner = orExpr();
      if (tokens[pos++] !== ')') throw new LogicError(`condition logic "${text}" misses a closing parenthesis`);
      return inner;
    }
    if (token.toUpperCase() === 'NOT') return { kind: 'not', arg: primary() };
    const index = Number(token) - 1;
    if (!/^\d+$/.test(token) || index < 0 || index >= count) throw new LogicError(`condition logic "${text}" names condition ${token}, but there are ${count}`);
    return { kind: 'ref', index };
  };
  const andExpr = (): Logic => {
    const args = [primary()];
    while (peek() === 'AND') {
      pos += 1;
      args.push(primary());
    }
    return args.length === 1 ? (args[0] as Logic) : { kind: 'all', args };
  };
  const orExpr = (): Logic => {
    const args = [andExpr()];
    while (peek() === 'OR') {
      pos += 1;
      args.push(andExpr());
    }
    return args.length === 1 ? (args[0] as Logic) : { kind: 'any', args };
  };
  const logic = orExpr();
  if (pos !== tokens.length) throw new LogicError(`condition logic "${text}" has an unexpected "${tokens[pos]}"`);
  return logic;
}

/** Evaluates lazily: a condition is only tested when the outcome still depends on it. */
export function evaluateLogic(logic: Logic, test: (index: number) => boolean): boolean {
  switch (logic.kind) {
    case 'ref':
      return test(logic.index);
    case 'not':
      return !evaluateLogic(logic.arg, test);
    case 'all':
      return logic.args.every((arg) => evaluateLogic(arg, test));
    case 'any':
      return logic.args.some((arg) => evaluateLogic(arg, test));
  }
}

/** SQL of the logic, given each condition's SQL (already parenthesised where needed). */
export function logicSql(logic: Logic, parts: string[]): string {
  switch (logic.kind) {
    case 'ref':
      return parts[logic.index] as string;
    case 'not':
      return `NOT (${logicSql(logic.arg, parts)})`;
    case 'all':
    case 'any':
      if (logic.args.length === 0) return logic.kind === 'all' ? '1' : '0';
      return `(${logic.args.map((arg) => logicSql(arg, parts)).join(logic.kind === 'all' ? ' AND ' : ' OR ')})`;
  }
}
