import { checkIntegrationUser } from '../../services/engine/cli/setup/doctor';
import { parseSfDisplay } from '../../services/engine/cli/setup/sfOrg';
import { apiNames } from '../../services/engine/schema';
import type { OrgClient } from '../../services/engine/org/connection';

/**
 * Object Reference, PermissionSetAssignment, "Special Access Rules": only users with View
 * Setup and Configuration, Assign Permission Sets or Manage User can read it, so the
 * least-privilege integration user usually cannot; an admin session (--admin) reads it instead.
 */
const denied = { userId: '005000000000001AAA', conn: { query: async () => Promise.reject(Object.assign(new Error('insufficient access'), { errorCode: 'INSUFFICIENT_ACCESS' })) } } as unknown as OrgClient;
const ctx = { names: apiNames(''), version: '66.0', flowsDir: '' };

describe('asl doctor: integration user permissions on a real org', () => {
  it('warns, naming the --admin fix, when the integration user cannot read its assignments', async () => {
    const [finding] = await checkIntegrationUser(denied, ctx);
    expect(finding).toMatchObject({ level: 'warn', fix: expect.stringContaining('--admin sf:') });
  });

  it('reads the assignments through the admin session', async () => {
    const queries: string[] = [];
    const admin = {
      conn: {
        query: async (soql: string) => {
          queries.push(soql);
          return { totalSize: 1, records: [{ Id: '0Pa1', PermissionSet: { Name: 'ASL_Engine_Integration', IsOwnedByProfile: false } }] };
        }
      }
    } as unknown as OrgClient;
    const findings = await checkIntegrationUser(denied, { ...ctx, admin });
    expect(findings).toEqual([expect.objectContaining({ level: 'ok' })]);
    expect(queries[0]).toContain("AssigneeId = '005000000000001AAA'");
  });

  it('reads the session sf org display prints', () => {
    const out = JSON.stringify({ status: 0, result: { accessToken: '00D!x', instanceUrl: 'https://acme.my.salesforce.com', username: 'admin@acme.com' } });
    expect(parseSfDisplay(out)).toMatchObject({ instanceUrl: 'https://acme.my.salesforce.com', username: 'admin@acme.com' });
    expect(() => parseSfDisplay(JSON.stringify({ status: 1, result: {} }))).toThrow(/sf org login web/);
  });
});
