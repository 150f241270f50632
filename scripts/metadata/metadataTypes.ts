import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import type { XNode } from './xml';

/**
 * The Metadata API types (element names, their order, value types and enumerations), read
 * from @salesforce/types, which Salesforce generates from the Metadata API WSDL
 * (forcedotcom/wsdl). The deploy parser validates each file against that schema: an element
 * it does not know, or one out of sequence, fails the deploy with "Element ... invalid at this
 * location". Each type's own elements are in alphabetical (WSDL sequence) order, after the
 * elements of the type it extends.
 */
export interface ElementDef {
  readonly name: string;
  readonly type: string;
  readonly array: boolean;
  readonly optional: boolean;
}

export interface MetadataTypes {
  /** The elements of a complex type, base type's elements first. */
  elements(typeName: string): readonly ElementDef[] | undefined;
  enumValues(typeName: string): ReadonlySet<string> | undefined;
}

interface RawType {
  bases: string[];
  own: ElementDef[];
}

function typeText(node: ts.TypeNode): { type: string; array: boolean } {
  if (ts.isArrayTypeNode(node)) return { type: typeText(node.elementType).type, array: true };
  if (ts.isTypeReferenceNode(node)) return { type: node.typeName.getText(), array: false };
  if (node.kind === ts.SyntaxKind.StringKeyword) return { type: 'string', array: false };
  if (node.kind === ts.SyntaxKind.NumberKeyword) return { type: 'number', array: false };
  if (node.kind === ts.SyntaxKind.BooleanKeyword) return { type: 'boolean', array: false };
  return { type: 'string', array: false };
}

function members(literal: ts.TypeLiteralNode): ElementDef[] {
  const out: ElementDef[] = [];
  for (const member of literal.members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const { type, array } = typeText(member.type);
    out.push({ name: member.name.getText(), type, array, optional: Boolean(member.questionToken) });
  }
  return out;
}

function parseDeclarations(source: ts.SourceFile): { types: Map<string, RawType>; enums: Map<string, Set<string>> } {
  const types = new Map<string, RawType>();
  const enums = new Map<string, Set<string>>();
  for (const statement of source.statements) {
    if (!ts.isTypeAliasDeclaration(statement)) continue;
    const name = statement.name.text;
    const node = statement.type;
    if (ts.isUnionTypeNode(node) && node.types.every((t) => ts.isLiteralTypeNode(t))) {
      enums.set(name, new Set(node.types.map((t) => (t as ts.LiteralTypeNode).literal.getText().slice(1, -1))));
    } else if (ts.isTypeLiteralNode(node)) {
      types.set(name, { bases: [], own: members(node) });
    } else if (ts.isIntersectionTypeNode(node)) {
      const bases = node.types.filter(ts.isTypeReferenceNode).map((t) => t.typeName.getText());
      const own = node.types.filter(ts.isTypeLiteralNode).flatMap(members);
      types.set(name, { bases, own });
    } else if (ts.isTypeReferenceNode(node)) {
      types.set(name, { bases: [node.typeName.getText()], own: [] });
    }
  }
  return { types, enums };
}

let cached: MetadataTypes | undefined;

export function loadMetadataTypes(): MetadataTypes {
  if (cached) return cached;
  // The package exports ./metadata (lib/metadata.js); its declarations sit beside it.
  const file = join(dirname(require.resolve('@salesforce/types/metadata')), 'metadata.d.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const { types, enums } = parseDeclarations(source);
  const flat = new Map<string, ElementDef[]>();
  const flatten = (name: string, depth = 0): ElementDef[] | undefined => {
    const known = flat.get(name);
    if (known) return known;
    const raw = types.get(name);
    if (!raw || depth > 20) return undefined;
    const result = [...raw.bases.flatMap((base) => flatten(base, depth + 1) ?? []), ...raw.own];
    flat.set(name, result);
    return result;
  };
  cached = { elements: (name) => flatten(name), enumValues: (name) => enums.get(name) };
  return cached;
}

export interface SchemaIssue {
  readonly line: number;
  readonly message: string;
}

const BOOLEAN = /^(true|false)$/;

/**
 * Elements out of sequence order. The elements in order form the longest non-decreasing run
 * of sequence positions; only the others are reported, each with the element it belongs
 * after, so one misplaced element gives one finding.
 */
function orderIssues(known: { child: XNode; i: number }[], defs: readonly ElementDef[], type: string, path: string): SchemaIssue[] {
  const n = known.length;
  const length = new Array<number>(n).fill(1);
  const previous = new Array<number>(n).fill(-1);
  for (let b = 0; b < n; b += 1) {
    for (let a = 0; a < b; a += 1) {
      if ((known[a]?.i ?? 0) <= (known[b]?.i ?? 0) && (length[a] ?? 0) + 1 > (length[b] ?? 0)) {
        length[b] = (length[a] ?? 0) + 1;
        previous[b] = a;
      }
    }
  }
  const inOrder = new Set<number>();
  let at = length.indexOf(Math.max(0, ...length));
  while (at >= 0) {
    inOrder.add(at);
    at = previous[at] ?? -1;
  }
  const present = [...new Set(known.map((k) => k.i))].sort((x, y) => x - y);
  const issues: SchemaIssue[] = [];
  known.forEach((k, position) => {
    if (inOrder.has(position)) return;
    const after = present.filter((i) => i < k.i).pop();
    const before = present.find((i) => i > k.i);
    const where =
      after !== undefined ? `after <${defs[after]?.name ?? '?'}>` : before !== undefined ? `before <${defs[before]?.name ?? '?'}>` : 'elsewhere';
    issues.push({
      line: k.child.line,
      message: `<${k.child.name}> is out of order in ${type} (${path}): the Metadata API reads elements in sequence order, so it belongs ${where}`
    });
  });
  return issues;
}
const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Checks one element against its Metadata API type: known child elements only, in sequence
 * order, single elements not repeated, required elements present, enumerations, booleans and
 * numbers well typed. Recurses into complex children.
 */
export function checkAgainstType(node: XNode, typeName: string, types: MetadataTypes = loadMetadataTypes()): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const visit = (element: XNode, type: string, path: string): void => {
    const defs = types.elements(type);
    if (!defs) return;
    const index = new Map(defs.map((def, i) => [def.name, i]));
    const known: { child: XNode; i: number; def: ElementDef }[] = [];
    for (const child of element.children) {
      const i = index.get(child.name);
      const def = i === undefined ? undefined : defs[i];
      if (i === undefined || !def) {
        issues.push({ line: child.line, message: `<${child.name}> is not an element of ${type} (${path}) in the Metadata API` });
      } else {
        known.push({ child, i, def });
      }
    }
    issues.push(...orderIssues(known, defs, type, path));
    const seen = new Set<string>();
    for (const { child, def } of known) {
      if (!def.array && seen.has(child.name)) {
        issues.push({ line: child.line, message: `<${child.name}> may appear only once in ${type} (${path})` });
      }
      seen.add(child.name);
      checkValue(child, def, `${path}.${child.name}`);
    }
    for (const def of defs) {
      if (!def.optional && !def.array && !seen.has(def.name) && def.name !== 'fullName') {
        issues.push({ line: element.line, message: `${type} (${path}) is missing its required <${def.name}>` });
      }
    }
  };
  const checkValue = (child: XNode, def: ElementDef, path: string): void => {
    const values = types.enumValues(def.type);
    if (values && !values.has(child.text)) {
      const sample = [...values].slice(0, 12).join(', ');
      issues.push({ line: child.line, message: `"${child.text}" is not a valid ${def.type} for <${child.name}> (${path}); expected one of ${sample}${values.size > 12 ? ', ...' : ''}` });
    } else if (def.type === 'boolean' && !BOOLEAN.test(child.text)) {
      issues.push({ line: child.line, message: `<${child.name}> must be true or false, not "${child.text}" (${path})` });
    } else if (def.type === 'number' && !NUMBER.test(child.text)) {
      issues.push({ line: child.line, message: `<${child.name}> must be a number, not "${child.text}" (${path})` });
    } else if (types.elements(def.type)) {
      visit(child, def.type, path);
    }
  };
  visit(node, typeName, typeName);
  return issues;
}
