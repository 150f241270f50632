import { mkdtempSync, statSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestOrg, type TestOrg } from '../support/localOrg';
import { runConnect } from '../../services/engine/cli/setup/connect';
import { runDoctor, runsPerDay, expectedDailyCalls, type DoctorReport } from '../../services/engine/cli/setup/doctor';
import { loadLine, readLine } from '../../services/engine/cli/setup/line';
import { assignPermissionSet } from '../../services/engine/cli/setup/permsets';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { loadConfig } from '../../services/engine/config';
import { LOCAL_INTEGRATION_USERNAME } from '../../services/engine/cli/orgOption';

/**
 * User story (issue 10): an admin goes from nothing to a connected engine with `asl connect`
 * and a green `asl doctor` against the local org, and each broken setup is reported with its fix.
 */
const ROOT = path.resolve(__dirname, '..', '..');
jest.setTimeout(60_000);

function failing(report: DoctorReport, check: string) {
  return report.findings.filter((f) => f.check === check && f.level === 'fail');
}

describe('asl connect and asl doctor against the local org', () => {
  let org: TestOrg;
  let dir: string;
  let client: OrgClient;
  let admin: OrgClient;

  beforeAll(async () => {
    org = await startTestOrg({ leads: 60, seed: 'admin-setup' });
    dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'asl-connect-')), 'local');
    admin = await connectOrg(org.engineConfig());
  });
  afterAll(async () => {
    await org.close();
  });

  it('creates a key pair outside the repository with safe permissions and logs in with the JWT flow', async () => {
    const result = await runConnect({ org: org.url, dir });
    expect(result.keyCreated).toBe(true);
    expect(statSync(result.privateKeyPath).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readFileSync(result.certificatePath, 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(result.login?.username).toBe(LOCAL_INTEGRATION_USERNAME);
    expect(result.login?.orgId).toMatch(/^00D/);
    expect(result.login?.apiMax).toBeGreaterThan(0);
    const config = JSON.parse(readFileSync(result.configPath ?? '', 'utf8')) as { org: { auth: Record<string, string> } };
    expect(config.org.auth).toMatchObject({ kind: 'jwt', username: LOCAL_INTEGRATION_USERNAME, privateKeyPath: result.privateKeyPath });
    expect(JSON.stringify(config)).not.toContain('PRIVATE KEY');
    client = await connectOrg(loadConfig({ env: {}, file: result.configPath }));
    expect(client.userId).toBe(result.login?.userId);
  });

  it('keeps the existing key on a second run and still logs in', async () => {
    const again = await runConnect({ org: org.url, dir });
    expect(again.keyCreated).toBe(false);
    expect(again.login?.username).toBe(LOCAL_INTEGRATION_USERNAME);
  });

  it('refuses to write the private key inside the repository', async () => {
    await expect(runConnect({ org: org.url, dir: path.join(ROOT, 'tmp-keys') })).rejects.toThrow(/inside the git repository/);
    expect(existsSync(path.join(ROOT, 'tmp-keys'))).toBe(false);
  });

  it('for a real org without a consumer key, writes the connected app settings and stops before logging in', async () => {
    const out = path.join(path.dirname(dir), 'app.md');
    const result = await runConnect({ loginUrl: 'https://login.salesforce.com', username: 'engine@acme.example', dir: path.join(path.dirname(dir), 'prod'), out });
    expect(result.login).toBeUndefined();
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('Use digital signatures');
    expect(text).toContain('refresh_token');
    expect(text).toContain('ASL_Engine_Integration');
  });

  it('reports a missing permission set assignment with its fix', async () => {
    const report = await runDoctor(client);
    expect(report.ready).toBe(false);
    const [finding] = failing(report, 'integration user');
    expect(finding?.message).toContain('does not hold ASL_Engine_Integration');
    expect(finding?.fix).toContain('assign permset');
  });

  it('reports a permission set the integration user does not need', async () => {
    await assignPermissionSet(admin, 'ASL_Engine_Integration', LOCAL_INTEGRATION_USERNAME);
    await assignPermissionSet(admin, 'ASL_Manager', LOCAL_INTEGRATION_USERNAME);
    const report = await runDoctor(client);
    expect(failing(report, 'integration user')[0]?.message).toContain('ASL_Manager');
    const extra = (await admin.conn.query("SELECT Id FROM PermissionSetAssignment WHERE PermissionSet.Name = 'ASL_Manager'")) as unknown as { records: Array<{ Id: string }> };
    for (const row of extra.records) await admin.conn.sobject('PermissionSetAssignment').destroy(row.Id);
    expect(failing(await runDoctor(client), 'integration user')).toEqual([]);
  });

  it('reports no stations and no rules with the line load fix, then loads the default line', async () => {
    const stations = (await admin.conn.query('SELECT Id FROM Station_Rule__c')) as unknown as { records: Array<{ Id: string }> };
    for (const row of stations.records) await admin.conn.sobject('Station_Rule__c').destroy(row.Id);
    await admin.conn.sobject('Station__c').update(
      ((await admin.conn.query('SELECT Id FROM Station__c')) as unknown as { records: Array<{ Id: string }> }).records.map((r) => ({ Id: r.Id, Active__c: false }))
    );
    const broken = await runDoctor(client);
    expect(failing(broken, 'stations')[0]?.fix).toContain('asl line load');
    expect(failing(broken, 'rules')[0]?.fix).toContain('asl line load');
    const loaded = await loadLine(admin, readLine(path.join(ROOT, 'config/default-line.json')));
    expect(loaded.stations).toBe(7);
    const fixed = await runDoctor(client);
    expect(failing(fixed, 'stations')).toEqual([]);
    expect(failing(fixed, 'rules')).toEqual([]);
    const reload = await loadLine(admin, readLine(path.join(ROOT, 'config/default-line.json')));
    expect(reload.created).toBe(0);
  });

  it('is green on a properly set up demo floor', async () => {
    const report = await runDoctor(client);
    expect(report.findings.filter((f) => f.level === 'fail')).toEqual([]);
    expect(report.ready).toBe(true);
    expect(report.findings.find((f) => f.check === 'streaming')?.level).toBe('ok');
  });

  it('reports no scheduled job', async () => {
    const jobs = (await admin.conn.query('SELECT Id FROM Engine_Job__c WHERE Enabled__c = true')) as unknown as { records: Array<{ Id: string }> };
    await admin.conn.sobject('Engine_Job__c').update(jobs.records.map((r) => ({ Id: r.Id, Enabled__c: false })));
    const report = await runDoctor(client);
    expect(report.ready).toBe(false);
    expect(failing(report, 'jobs')[0]?.fix).toContain('Enabled');
    await admin.conn.sobject('Engine_Job__c').update(jobs.records.map((r) => ({ Id: r.Id, Enabled__c: true })));
  });
});

describe('API budget arithmetic', () => {
  it('counts cron runs a day from the minute and hour fields', () => {
    expect(runsPerDay('0 */2 * * *')).toBe(12);
    expect(runsPerDay('*/15 * * * *')).toBe(96);
    expect(runsPerDay('30 6 * * 1-5')).toBe(1);
    expect(runsPerDay('0 8,12,16 * * *')).toBe(3);
  });
  it('charges 4 calls per lead and 20 per job run', () => {
    expect(expectedDailyCalls(100, 12)).toBe(640);
  });
});
