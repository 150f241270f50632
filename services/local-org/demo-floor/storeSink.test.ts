import path from 'node:path';
import { createLocalOrg, type LocalOrg } from '../server';
import { generateDemoFloor, type FloorSummary } from './generate';
import { StoreSink } from './storeSink';
import { MemoryTruth } from './truth';

const AS_OF = '2026-11-20T15:00:00.000Z';

describe('demo floor written into the local org', () => {
  let org: LocalOrg;
  let summary: FloorSummary;
  const truth = new MemoryTruth();

  beforeAll(async () => {
    org = createLocalOrg({
      dataDir: ':memory:',
      forceAppDir: path.resolve(__dirname, '../../../force-app/main/default')
    });
    summary = await generateDemoFloor(
      new StoreSink(org.store),
      { leads: 1_500, seed: 'store-sink', asOf: AS_OF },
      truth
    );
  });
  afterAll(async () => org.close());

  const all = <T extends Record<string, unknown>>(soql: string): T[] => {
    const records: T[] = [];
    let page = org.store.query(soql);
    records.push(...(page.records as unknown as T[]));
    while (!page.done && page.nextLocator !== undefined) {
      page = org.store.queryMore(page.nextLocator);
      records.push(...(page.records as unknown as T[]));
    }
    return records;
  };
  const count = (soql: string): number => org.store.query(soql).totalSize;

  it("passes the org's own validation for every record and stores every row the generator counted", () => {
    for (const [objectName, expected] of Object.entries(summary.manifest.counts)) {
      // A new org database has its own admin user besides the floor's.
      const orgOwn = objectName === 'User' ? 1 : 0;
      expect([objectName, count(`SELECT COUNT() FROM ${objectName}`)]).toEqual([
        objectName,
        expected + orgOwn
      ]);
    }
  });

  it('keeps the history dates: leads were created over two years before asOf', () => {
    const [oldest] = all<{ CreatedDate: string }>(
      'SELECT CreatedDate FROM Lead ORDER BY CreatedDate ASC LIMIT 1'
    );
    expect(Date.parse(AS_OF) - Date.parse(String(oldest?.CreatedDate))).toBeGreaterThan(
      600 * 86_400_000
    );
    expect(count('SELECT COUNT() FROM Lead WHERE LeadSource = null')).toBe(0);
  });

  // Object Reference, Opportunity: IsClosed and IsWon are set by the stage's picklist facts;
  // OpportunityHistory gets a row for each change of stage, amount or close date.
  it('ends closed deals in Closed Won or Closed Lost with IsWon matching, and history that ends in the current stage', () => {
    expect(
      count(
        "SELECT COUNT() FROM Opportunity WHERE IsClosed = true AND StageName NOT IN ('Closed Won', 'Closed Lost')"
      )
    ).toBe(0);
    expect(
      count("SELECT COUNT() FROM Opportunity WHERE IsWon = true AND StageName != 'Closed Won'")
    ).toBe(0);
    expect(
      count("SELECT COUNT() FROM Opportunity WHERE StageName = 'Closed Won' AND IsWon = false")
    ).toBe(0);
    const opportunities = all<{ Id: string; StageName: string; CloseDate: string }>(
      'SELECT Id, StageName, CloseDate FROM Opportunity'
    );
    const history = all<{
      OpportunityId: string;
      StageName: string;
      CloseDate: string;
      CreatedDate: string;
    }>(
      'SELECT OpportunityId, StageName, CloseDate, CreatedDate FROM OpportunityHistory ORDER BY OpportunityId, CreatedDate'
    );
    const last = new Map<string, { StageName: string; CloseDate: string }>();
    for (const row of history) last.set(row.OpportunityId, row);
    const mismatched = opportunities.filter((opportunity) => {
      const final = last.get(opportunity.Id);
      return (
        final === undefined ||
        final.StageName !== opportunity.StageName ||
        final.CloseDate !== opportunity.CloseDate
      );
    });
    expect(mismatched).toEqual([]);
    expect(opportunities.length).toBeGreaterThan(20);
    const open = truth.rows.filter((row) => row.open).map((row) => row.opportunityId);
    expect(count(`SELECT COUNT() FROM Opportunity WHERE IsClosed = false`)).toBe(open.length);
  });

  it('sets Has_Overdue_Invoice__c exactly on accounts with an unpaid invoice past due', () => {
    const overdue = new Set(
      all<{ Account__c: string }>(
        `SELECT Account__c FROM Invoice__c WHERE Paid__c = false AND Due_Date__c < ${AS_OF.slice(0, 10)}`
      ).map((row) => row.Account__c)
    );
    const flagged = new Set(
      all<{ Id: string }>('SELECT Id FROM Account WHERE Has_Overdue_Invoice__c = true').map(
        (row) => row.Id
      )
    );
    expect(flagged).toEqual(overdue);
    expect(flagged.size).toBeGreaterThan(0);
  });

  it("lets the local login sign in as the floor's users", () => {
    for (const username of Object.values(summary.logins)) {
      expect(org.store.findIdsByField('User', 'Username', username)).toHaveLength(1);
    }
  });
});
