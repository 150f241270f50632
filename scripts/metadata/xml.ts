import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** One element of a metadata file, with the line it starts on (1-based). */
export interface XNode {
  readonly name: string;
  readonly text: string;
  readonly children: readonly XNode[];
  readonly attributes: Readonly<Record<string, string>>;
  readonly line: number;
}

export type ParseResult = { ok: true; root: XNode } | { ok: false; line: number; reason: string };

const parser = new XMLParser({
  preserveOrder: true,
  captureMetaData: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true
});
const META = XMLParser.getMetaDataSymbol() as unknown as string;

type RawNode = Record<string, unknown>;

function lineStarts(xml: string): number[] {
  const starts = [0];
  for (let i = 0; i < xml.length; i += 1) if (xml.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function convert(raw: RawNode, starts: number[]): XNode | null {
  const name = Object.keys(raw).find((key) => key !== ':@');
  if (!name || name.startsWith('?') || name === '#comment') return null;
  const rawChildren = (raw[name] as RawNode[] | undefined) ?? [];
  const children: XNode[] = [];
  let text = '';
  for (const child of rawChildren) {
    if ('#text' in child) {
      text += String(child['#text']);
      continue;
    }
    const converted = convert(child, starts);
    if (converted) children.push(converted);
  }
  const meta = (raw as Record<string, { startIndex?: number } | undefined>)[META];
  const attributes = (raw[':@'] as Record<string, string> | undefined) ?? {};
  return { name, text, children, attributes, line: lineOf(starts, meta?.startIndex ?? 0) };
}

/**
 * Checks that a file is well-formed XML (fast-xml-parser's XMLValidator: the line and reason
 * of the first error) and returns its element tree with line numbers.
 */
export function parseXml(xml: string): ParseResult {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { ok: false, line: valid.err.line, reason: valid.err.msg };
  const starts = lineStarts(xml);
  const raw = parser.parse(xml) as RawNode[];
  const roots = raw.map((node) => convert(node, starts)).filter((node): node is XNode => node !== null);
  if (roots.length !== 1 || !roots[0]) {
    return { ok: false, line: 1, reason: `expected one root element, found ${roots.length}` };
  }
  return { ok: true, root: roots[0] };
}

/** The children of a node with this element name. */
export function all(node: XNode | undefined, name: string): XNode[] {
  return node ? node.children.filter((child) => child.name === name) : [];
}

/** The first child with this element name. */
export function first(node: XNode | undefined, name: string): XNode | undefined {
  return node?.children.find((child) => child.name === name);
}

/** The text of the first child with this element name ('' when absent). */
export function textOf(node: XNode | undefined, name: string): string {
  return first(node, name)?.text ?? '';
}
