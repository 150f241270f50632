import { diffGroups, groupNodes } from './heap-diff';

// The layout V8 writes (.heapsnapshot): flat node records whose fields meta.node_fields names;
// meta.node_types[0] names the values of the "type" field; names index the strings table.
const snapshot = (nodes: Array<[type: number, name: number, size: number]>) =>
  JSON.stringify({
    snapshot: { meta: { node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'], node_types: [['hidden', 'array', 'string', 'object', 'code', 'closure'], 'string'] } },
    nodes: nodes.flatMap(([type, name, size], id) => [type, name, id, size, 0]),
    strings: ['', 'LedgerRow', 'Map', 'some text']
  });

describe('heap diff', () => {
  it('groups objects by constructor and strings by kind, and puts the largest growth first', () => {
    const early = groupNodes(snapshot([[3, 1, 100], [3, 2, 40], [2, 3, 24]]));
    const late = groupNodes(snapshot([[3, 1, 100], [3, 1, 100], [3, 1, 100], [3, 2, 40], [2, 3, 24], [2, 3, 30]]));
    expect(early.get('object:LedgerRow')).toEqual({ count: 1, selfBytes: 100 });
    expect(late.get('string')).toEqual({ count: 2, selfBytes: 54 });
    const growth = diffGroups(early, late);
    expect(growth[0]).toEqual({ group: 'object:LedgerRow', countBefore: 1, countAfter: 3, deltaCount: 2, deltaBytes: 200 });
    expect(growth[1]?.group).toBe('string');
    expect(growth.find((entry) => entry.group === 'object:Map')?.deltaBytes).toBe(0);
  });

  it('refuses a file that is not a heap snapshot, naming what is missing', () => {
    expect(() => groupNodes(JSON.stringify({ snapshot: { meta: { node_fields: ['type', 'name'], node_types: [[]] } }, nodes: [], strings: [] }))).toThrow(/self_size/);
    expect(() => groupNodes('{}')).toThrow(/snapshot/);
  });
});
