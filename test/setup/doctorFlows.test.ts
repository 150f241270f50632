import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkFlows } from '../../services/engine/cli/setup/doctor';
import { apiNames } from '../../services/engine/schema';
import type { OrgClient } from '../../services/engine/org/connection';

/**
 * The local org does not model FlowDefinitionView, so the flow check is proven here against
 * answers shaped as Salesforce documents them (Object Reference: FlowDefinitionView,
 * "ActiveVersionId: the ID of the active version; null when no version is active").
 */
function clientAnswering(query: (soql: string) => unknown): OrgClient {
  return { conn: { query: async (soql: string) => query(soql) } } as unknown as OrgClient;
}

function flowsDir(names: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'asl-flows-'));
  for (const name of names) writeFileSync(path.join(dir, `${name}.flow-meta.xml`), '<Flow/>');
  return dir;
}

const ctx = (dir: string) => ({ names: apiNames(''), version: '66.0', flowsDir: dir });

describe('asl doctor: flows', () => {
  it('reports an inactive flow with the activation fix', async () => {
    const client = clientAnswering(() => ({
      totalSize: 2,
      records: [
        { ApiName: 'ASL_Lead_Stamp_Entry', ActiveVersionId: '301000000000001AAA' },
        { ApiName: 'ASL_Lead_Bin_Event', ActiveVersionId: null }
      ]
    }));
    const findings = await checkFlows(client, ctx(flowsDir(['ASL_Lead_Stamp_Entry', 'ASL_Lead_Bin_Event'])));
    expect(findings).toEqual([expect.objectContaining({ level: 'fail', message: 'flows inactive: ASL_Lead_Bin_Event', fix: expect.stringContaining('Activate') })]);
  });

  it('reports a flow of the package that the org does not have', async () => {
    const client = clientAnswering(() => ({ totalSize: 1, records: [{ ApiName: 'ASL_Lead_Stamp_Entry', ActiveVersionId: '301000000000001AAA' }] }));
    const findings = await checkFlows(client, ctx(flowsDir(['ASL_Lead_Stamp_Entry', 'ASL_Lead_Bin_Event'])));
    expect(findings).toEqual([expect.objectContaining({ level: 'fail', message: 'flows missing: ASL_Lead_Bin_Event' })]);
  });

  it('is green when every package flow is active', async () => {
    const client = clientAnswering(() => ({ totalSize: 1, records: [{ ApiName: 'ASL_Lead_Stamp_Entry', ActiveVersionId: '301000000000001AAA' }] }));
    const findings = await checkFlows(client, ctx(flowsDir(['ASL_Lead_Stamp_Entry'])));
    expect(findings.map((f) => f.level)).toEqual(['ok']);
  });

  it('warns, without failing, when the org cannot answer FlowDefinitionView', async () => {
    const client = clientAnswering(() => {
      throw Object.assign(new Error("sObject type 'FlowDefinitionView' is not supported."), { errorCode: 'INVALID_TYPE' });
    });
    const findings = await checkFlows(client, ctx(flowsDir(['ASL_Lead_Stamp_Entry'])));
    expect(findings).toEqual([expect.objectContaining({ level: 'warn', message: expect.stringContaining('INVALID_TYPE') })]);
  });
});
