import { assignmentFeature, type AssignmentEngine } from '../../services/engine/features/assignment';
import { moveCustomers } from '../../services/engine/features/assignment/movementRun';
import { orgJobStore } from '../../services/engine/org/jobStore';
import { connectOrg, type OrgClient } from '../../services/engine/org/connection';
import { queryAll } from '../../services/engine/org/reads';
import { memoryReplayStore } from '../../services/engine/org/streaming';
import { createLogger } from '../../services/engine/observability/log';
import { startEngine, type RunningEngine } from '../../services/engine/service';
import { startTestOrg, type TestOrg } from '../support/localOrg';
import { until } from '../support/eventually';

// User story: an account that becomes a customer leaves the sales line for Avoid - Current
// Client (at once when its Type changes, or by the catch-up sweep when a deal was won), and a
// duplicate account recorded as such goes to Avoid - Duplicate; Avoid bins never move again.
const MONDAY_AFTERNOON = new Date('2026-11-16T16:00:00.000Z');

describe('account movement against the local org', () => {
  let test: TestOrg;
  let client: OrgClient;
  let engine: RunningEngine;
  let assignment: AssignmentEngine;
  let stations: Map<string, string>;

  const newAccount = async (fields: Record<string, unknown>): Promise<string> => ((await client.conn.sobject('Account').create({ Name: 'Acme', ...fields })) as { id: string }).id;
  const accountOf = async (id: string) => (await queryAll(client, `SELECT Bin__c, Station__c, OwnerId FROM Account WHERE Id = '${id}'`))[0] as Record<string, unknown>;

  beforeAll(async () => {
    test = await startTestOrg({ leads: 60, seed: 'assignment-accounts-e2e' });
    client = await connectOrg(test.engineConfig());
    stations = new Map((await queryAll(client, 'SELECT Id, Key__c FROM Station__c')).map((row) => [String(row.Key__c), String(row.Id)]));
    const feature = assignmentFeature({ clock: () => MONDAY_AFTERNOON });
    engine = await startEngine({ config: test.engineConfig(), features: [feature], jobStore: orgJobStore, replayStore: memoryReplayStore(), serveHttp: false, logger: createLogger({ level: 'silent' }), jobSyncSeconds: 3600 });
    assignment = [...feature.engines.values()][0] as AssignmentEngine;
    await assignment.idle();
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await test?.close();
  });

  it('moves an account to Avoid - Current Client as soon as its Type becomes a customer type (account change event)', async () => {
    const id = await newAccount({ Type: 'Prospect', Bin__c: 'Working' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await accountOf(id)).Bin__c).toBe('Working');
    await client.conn.sobject('Account').update({ Id: id, Type: 'Customer - Direct' });
    const account = await until(async () => {
      const row = await accountOf(id);
      return row.Bin__c === 'Avoid - Current Client' ? row : undefined;
    }, 'the customer account to move');
    expect(account.Station__c).toBeNull();
  });

  it('finds accounts with a won deal in the sweep, keeping onboarding at work on them, and moves each once', async () => {
    const id = await newAccount({ Type: 'Prospect', Bin__c: 'Nurture - Active Opportunity', Station__c: stations.get('ONBOARDING') });
    await client.conn.sobject('Opportunity').create({ Name: 'Won deal', AccountId: id, StageName: 'Closed Won', CloseDate: '2026-11-13' });
    const first = await moveCustomers(client);
    expect(first.moved.map((m) => m.accountId)).toContain(id);
    expect(first.failed).toEqual([]);
    expect(first.apiCalls).toBe(2);
    expect(await accountOf(id)).toMatchObject({ Bin__c: 'Avoid - Current Client', Station__c: stations.get('ONBOARDING') });
    const again = await moveCustomers(client);
    expect(again.moved.map((m) => m.accountId)).not.toContain(id);
  });

  it('sends a duplicate account to Avoid - Duplicate and a customer to Avoid - Current Client from their dispositions, once', async () => {
    const duplicate = await newAccount({ Type: 'Prospect', Bin__c: 'Working', Station__c: stations.get('SERVICE') });
    const customer = await newAccount({ Type: 'Customer - Channel', Bin__c: 'Avoid - Bad Fit' });
    const dispositions = (await client.conn.sobject('Disposition__c').create([
      { Account__c: duplicate, Station__c: stations.get('SERVICE'), Outcome__c: 'Duplicate' },
      { Account__c: customer, Station__c: stations.get('SERVICE'), Outcome__c: 'Not Interested' }
    ])) as Array<{ id: string }>;
    await until(async () => {
      const rows = await queryAll(client, `SELECT Processed_At__c FROM Disposition__c WHERE Id IN ('${dispositions.map((d) => d.id).join("','")}')`);
      return rows.every((row) => row.Processed_At__c) ? true : undefined;
    }, 'the account dispositions to be processed');
    expect(await accountOf(duplicate)).toMatchObject({ Bin__c: 'Avoid - Duplicate', Station__c: null });
    // A customer goes to Avoid - Current Client whatever the outcome (Avoid to Avoid is allowed).
    expect(await accountOf(customer)).toMatchObject({ Bin__c: 'Avoid - Current Client', Station__c: null });
    const replay = await assignment.move(dispositions.map((d) => d.id));
    expect(replay.moved).toEqual([]);
  });
});
