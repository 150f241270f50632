/**
 * What grew between two V8 heap snapshots (the soak writes them with --heap-snapshots):
 * objects grouped by kind and constructor name, with the change of their count and of their
 * own size, largest growth first.
 *
 *   tsx scripts/bench/heap-diff.ts EARLY.heapsnapshot LATE.heapsnapshot [--top 30] [--json]
 *
 * Self size, not retained size: a leak shows as many more objects of one kind, which is what
 * this is for; following retainers is the work of a heap viewer once the kind is known.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { z } from 'zod';

const snapshotSchema = z.object({
  snapshot: z.object({
    meta: z.object({
      node_fields: z.array(z.string()),
      node_types: z.array(z.unknown())
    })
  }),
  // Millions of entries: checked to be arrays, not element by element.
  nodes: z.custom<number[]>(Array.isArray, 'nodes must be an array of numbers'),
  strings: z.custom<string[]>(Array.isArray, 'strings must be an array of strings')
});

export interface Group {
  count: number;
  selfBytes: number;
}

/** Count and own size of the objects of each "kind:name" in one snapshot. */
export function groupNodes(text: string): Map<string, Group> {
  const parsed = snapshotSchema.parse(JSON.parse(text));
  const fields = parsed.snapshot.meta.node_fields;
  const types = parsed.snapshot.meta.node_types[0];
  if (!Array.isArray(types)) throw new Error('the snapshot has no node type names (snapshot.meta.node_types[0])');
  const at = (field: string) => {
    const index = fields.indexOf(field);
    if (index < 0) throw new Error(`the snapshot's nodes have no "${field}" field`);
    return index;
  };
  const [typeAt, nameAt, sizeAt, width] = [at('type'), at('name'), at('self_size'), fields.length];
  const groups = new Map<string, Group>();
  for (let offset = 0; offset < parsed.nodes.length; offset += width) {
    const kind = String(types[parsed.nodes[offset + typeAt] ?? 0]);
    // Strings and code are named by their content; one group per kind says more.
    const name = kind === 'object' || kind === 'closure' || kind === 'native' ? (parsed.strings[parsed.nodes[offset + nameAt] ?? 0] ?? '?') : '';
    const key = name ? `${kind}:${name}` : kind;
    const group = groups.get(key) ?? { count: 0, selfBytes: 0 };
    group.count += 1;
    group.selfBytes += parsed.nodes[offset + sizeAt] ?? 0;
    groups.set(key, group);
  }
  return groups;
}

export interface Growth {
  group: string;
  countBefore: number;
  countAfter: number;
  deltaCount: number;
  deltaBytes: number;
}

export function diffGroups(before: Map<string, Group>, after: Map<string, Group>): Growth[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys]
    .map((group) => {
      const a = before.get(group) ?? { count: 0, selfBytes: 0 };
      const b = after.get(group) ?? { count: 0, selfBytes: 0 };
      return { group, countBefore: a.count, countAfter: b.count, deltaCount: b.count - a.count, deltaBytes: b.selfBytes - a.selfBytes };
    })
    .sort((x, y) => y.deltaBytes - x.deltaBytes);
}

function main(argv: string[]): void {
  const program = new Command('heap-diff')
    .argument('<early>', 'the earlier .heapsnapshot')
    .argument('<late>', 'the later .heapsnapshot')
    .option('--top <n>', 'groups to print', '30')
    .option('--json', 'print JSON', false)
    .parse(argv);
  const [early, late] = program.args as [string, string];
  const flags = z.object({ top: z.coerce.number().int().positive(), json: z.boolean() }).parse(program.opts());
  const growth = diffGroups(groupNodes(readFileSync(early, 'utf8')), groupNodes(readFileSync(late, 'utf8')));
  const total = growth.reduce((sum, entry) => sum + entry.deltaBytes, 0);
  const top = growth.slice(0, flags.top);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ totalDeltaBytes: total, top }, null, 2)}\n`);
    return;
  }
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  process.stdout.write(`self size grew by ${kib(total)} in all\n`);
  for (const entry of top) {
    process.stdout.write(`${kib(entry.deltaBytes).padStart(14)}  ${String(entry.deltaCount).padStart(9)} objects (${entry.countBefore} -> ${entry.countAfter})  ${entry.group}\n`);
  }
}

if (require.main === module) main(process.argv);
