/**
 * Query contract: the local org answers SOQL through jsforce as Salesforce does.
 * Each case cites the documented behaviour it follows.
 */
import type { Connection } from 'jsforce';
import { leads, sfError, startOrg, type TestOrg } from './harness';

let t: TestOrg;
let conn: Connection;
let stationId: string;
let chicagoUserId: string;

beforeAll(async () => {
  t = await startOrg();
  const store = t.org.store;
  const station = store.insert('Station__c', { Name: 'SDR calls', Key__c: 'SDR_CALL', Region__c: 'North' });
  stationId = station.id as string;
  const user = store.insert('User', { Username: 'sdr@asl.local', LastName: 'Rivera', FirstName: 'Ana', Email: 'sdr@asl.local', TimeZoneSidKey: 'America/Chicago' });
  chicagoUserId = user.id as string;
  // 4,500 leads: past two full pages of 2,000.
  const results = store.insertMany(
    'Lead',
    leads(4500, (i) => ({
      Status: i % 3 === 0 ? 'Working - Contacted' : 'Open - Not Contacted',
      Attempt_Count__c: i % 5,
      Station__c: i % 2 === 0 ? stationId : null,
      OwnerId: i % 10 === 0 ? chicagoUserId : undefined,
      Email: i % 4 === 0 ? null : `lead${i}@example.com`,
    })).map((record) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined))),
  );
  expect(results.every((r) => r.success)).toBe(true);
  conn = await t.login();
});

afterAll(() => t.close());

describe('paging (REST API Developer Guide: "Execute a SOQL Query", "Retrieve the Remaining SOQL Query Results")', () => {
  it('answers 2,000 records per page with a nextRecordsUrl locator until done', async () => {
    const first = await conn.query('SELECT Id, Name FROM Lead ORDER BY Name');
    expect(first.totalSize).toBe(4500);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(2000);
    // jsforce turns the relative nextRecordsUrl into an absolute one; the raw body is checked below.
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-2000$/);
    const second = await conn.queryMore(first.nextRecordsUrl as string);
    expect(second.records).toHaveLength(2000);
    expect(second.nextRecordsUrl).toMatch(/-4000$/);
    const third = await conn.queryMore(second.nextRecordsUrl as string);
    expect(third.done).toBe(true);
    expect(third.nextRecordsUrl).toBeUndefined();
    const names = [...first.records, ...second.records, ...third.records].map((r) => r.Name as string);
    expect(names).toHaveLength(4500);
    expect(new Set(names).size).toBe(4500);
    expect([...names].sort()).toEqual(names);
  });

  it('fetches every page with jsforce autoFetch and stops at maxFetch', async () => {
    const all = await conn.query('SELECT Id FROM Lead').run({ autoFetch: true, maxFetch: 10000 });
    expect(all.records).toHaveLength(4500);
    const capped: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      conn
        .query('SELECT Id FROM Lead')
        .on('record', (record: unknown) => capped.push(record))
        .on('end', () => resolve())
        .on('error', reject)
        .run({ autoFetch: true, maxFetch: 2500 });
    });
    expect(capped).toHaveLength(2500);
  });

  it('answers the locator as a relative nextRecordsUrl before the records', async () => {
    const response = await t.http(`/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Lead')}`);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['totalSize', 'done', 'nextRecordsUrl', 'records']);
    expect(body.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-2000$/);
  });

  it('honours Sforce-Query-Options batchSize between 200 and 2,000 (REST API: "Query Options Header")', async () => {
    const small = await t.http(`/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Lead')}`, { headers: { 'Sforce-Query-Options': 'batchSize=500' } });
    const body = (await small.json()) as { records: unknown[]; nextRecordsUrl: string };
    expect(body.records).toHaveLength(500);
    expect(body.nextRecordsUrl).toMatch(/-500$/);
    const tooSmall = await t.http(`/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Lead')}`, { headers: { 'Sforce-Query-Options': 'batchSize=10' } });
    expect(((await tooSmall.json()) as { records: unknown[] }).records).toHaveLength(200);
  });

  it('rejects an unknown locator with INVALID_QUERY_LOCATOR', async () => {
    const error = await sfError(conn.queryMore('/services/data/v62.0/query/01g8d0000099999AAA-2000'));
    expect(error.errorCode).toBe('INVALID_QUERY_LOCATOR');
  });

  it('answers COUNT() as totalSize with no records (SOQL reference: "COUNT() and COUNT(fieldName)")', async () => {
    const result = await conn.query("SELECT COUNT() FROM Lead WHERE Status = 'Working - Contacted'");
    expect(result.totalSize).toBe(1500);
    expect(result.records).toEqual([]);
  });
});

describe('relationship queries (SOQL reference: "Relationship Queries")', () => {
  it('nests parent fields with attributes and answers null for an empty lookup', async () => {
    const result = await conn.query("SELECT Name, Owner.Name, Station__r.Key__c, Station__r.Name FROM Lead WHERE Name IN ('Lead 00000', 'Lead 00001') ORDER BY Name");
    const [even, odd] = result.records as Array<Record<string, unknown>>;
    expect(even).toMatchObject({
      attributes: { type: 'Lead' },
      Name: 'Lead 00000',
      Owner: { attributes: { type: 'User' }, Name: 'Ana Rivera' },
      Station__r: { attributes: { type: 'Station__c', url: `/services/data/v62.0/sobjects/Station__c/${stationId}` }, Key__c: 'SDR_CALL', Name: 'SDR calls' },
    });
    expect(odd?.Station__r).toBeNull();
  });

  it('follows several levels and filters on parent fields', async () => {
    const account = await conn.sobject('Account').create({ Name: 'Globex' });
    await conn.sobject('Contact').create({ LastName: 'Simpson', AccountId: account.id });
    const result = await conn.query("SELECT LastName, Account.Name, Account.Owner.Username FROM Contact WHERE Account.Name = 'Globex'");
    expect(result.records[0]).toMatchObject({ LastName: 'Simpson', Account: { Name: 'Globex', Owner: { Username: 'admin@asl.local' } } });
    const count = await conn.query("SELECT COUNT() FROM Lead WHERE Station__r.Key__c = 'SDR_CALL' AND Owner.Username = 'sdr@asl.local'");
    expect(count.totalSize).toBe(450);
  });

  it('answers child relationship subqueries as nested query results, null when empty', async () => {
    const account = await conn.sobject('Account').create({ Name: 'Initech' });
    await conn.sobject('Contact').create([{ LastName: 'Bolton', AccountId: account.id }, { LastName: 'Lumbergh', AccountId: account.id }]);
    await conn.sobject('Account').create({ Name: 'Empty Co' });
    const result = await conn.query("SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account WHERE Name IN ('Initech', 'Empty Co') ORDER BY Name");
    const [empty, initech] = result.records as Array<Record<string, unknown>>;
    expect(empty?.Contacts).toBeNull();
    expect(initech?.Contacts).toMatchObject({ totalSize: 2, done: true, records: [{ LastName: 'Bolton' }, { LastName: 'Lumbergh' }] });
  });

  it('supports semi-joins (SOQL reference: "Semi-Joins with IN and Anti-Joins with NOT IN")', async () => {
    const result = await conn.query("SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LastName = 'Bolton')");
    expect(result.records.map((r) => r.Name)).toEqual(['Initech']);
    const anti = await conn.query("SELECT COUNT() FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact)");
    expect(anti.totalSize).toBe(1);
  });
});

describe('WHERE (SOQL reference: "WHERE", "Comparison Operators", "Logical Operators")', () => {
  const count = async (where: string): Promise<number> => (await conn.query(`SELECT COUNT() FROM Lead WHERE ${where}`)).totalSize;

  it('combines AND, OR and NOT with parentheses', async () => {
    expect(await count("Status = 'Working - Contacted' AND Attempt_Count__c = 0")).toBe(300);
    expect(await count("(Status = 'Working - Contacted' OR Attempt_Count__c = 0) AND Station__c != null")).toBe(1050);
    expect(await count("NOT (Status = 'Working - Contacted')")).toBe(3000);
  });

  it('rejects AND mixed with OR without parentheses as MALFORMED_QUERY', async () => {
    const error = await sfError(conn.query("SELECT Id FROM Lead WHERE Status = 'x' AND Attempt_Count__c = 1 OR Attempt_Count__c = 2"));
    expect(error.errorCode).toBe('MALFORMED_QUERY');
  });

  it('matches nulls with != and NOT IN, as SOQL does', async () => {
    // 1,125 leads have no email; != keeps them.
    expect(await count("Email = null")).toBe(1125);
    expect(await count("Email != 'lead1@example.com'")).toBe(4499);
    expect(await count("Email NOT IN ('lead1@example.com', 'lead2@example.com')")).toBe(4498);
    expect(await count("Attempt_Count__c IN (1, 2)")).toBe(1800);
  });

  it('compares text case-insensitively and supports LIKE wildcards and escapes', async () => {
    expect(await count("Name = 'LEAD 00042'")).toBe(1);
    expect(await count("Name LIKE 'lead 0001%'")).toBe(10);
    expect(await count("Name LIKE 'Lead 0000_'")).toBe(10);
    expect(await count("Name LIKE 'Lead\\_%'")).toBe(0);
  });

  it('binds strings with quotes and backslashes safely', async () => {
    await conn.sobject('Lead').create({ LastName: "O'Brien \\ Sons", Company: 'Quote Co', LeadSource: 'Web' });
    expect(await count("LastName = 'O\\'Brien \\\\ Sons'")).toBe(1);
    // SQL-style doubled quotes are not SOQL: the query is rejected, never widened.
    expect((await sfError(count("LastName = 'x'' OR Name != null'"))).errorCode).toBe('MALFORMED_QUERY');
  });

  it('reads deleted records only through queryAll (REST API: "QueryAll")', async () => {
    const created = await conn.sobject('Lead').create({ LastName: 'Gone', Company: 'Gone Co', LeadSource: 'Web' });
    await conn.sobject('Lead').destroy(created.id as string);
    expect((await conn.query("SELECT Id FROM Lead WHERE LastName = 'Gone'")).totalSize).toBe(0);
    const all = await conn.query("SELECT Id, IsDeleted FROM Lead WHERE LastName = 'Gone'", { scanAll: true });
    expect(all.records).toMatchObject([{ Id: created.id, IsDeleted: true }]);
  });
});

describe('ORDER BY, LIMIT, OFFSET (SOQL reference: "ORDER BY", "OFFSET")', () => {
  it('sorts nulls first by default and last with NULLS LAST', async () => {
    const first = await conn.query('SELECT Email FROM Lead ORDER BY Email LIMIT 1');
    expect(first.records[0]?.Email).toBeNull();
    const last = await conn.query('SELECT Email FROM Lead ORDER BY Email DESC NULLS LAST LIMIT 1');
    expect(last.records[0]?.Email).toBe('lead9@example.com');
  });

  it('applies LIMIT and OFFSET', async () => {
    const page = await conn.query('SELECT Name FROM Lead ORDER BY Name LIMIT 3 OFFSET 10');
    expect(page.records.map((r) => r.Name)).toEqual(['Lead 00010', 'Lead 00011', 'Lead 00012']);
    expect(page.totalSize).toBe(3);
  });

  it('rejects an OFFSET above 2,000 with NUMBER_OUTSIDE_VALID_RANGE', async () => {
    const error = await sfError(conn.query('SELECT Id FROM Lead ORDER BY Name LIMIT 10 OFFSET 2001'));
    expect(error.errorCode).toBe('NUMBER_OUTSIDE_VALID_RANGE');
  });
});

describe('aggregates (SOQL reference: "Aggregate Functions", "GROUP BY", "HAVING")', () => {
  it('groups with aliases and exprN names, typed as AggregateResult', async () => {
    const result = await conn.query('SELECT Status, COUNT(Id) n, MAX(Attempt_Count__c), SUM(Attempt_Count__c) FROM Lead WHERE LastName LIKE \'Lead %\' GROUP BY Status ORDER BY Status');
    expect(result.records).toEqual([
      { attributes: { type: 'AggregateResult' }, Status: 'Open - Not Contacted', n: 3000, expr0: 4, expr1: 6000 },
      { attributes: { type: 'AggregateResult' }, Status: 'Working - Contacted', n: 1500, expr0: 4, expr1: 3000 },
    ]);
  });

  it('filters groups with HAVING and groups by a parent field', async () => {
    const result = await conn.query('SELECT Owner.Name, COUNT(Id) c FROM Lead GROUP BY Owner.Name HAVING COUNT(Id) < 1000');
    expect(result.records).toEqual([{ attributes: { type: 'AggregateResult' }, Name: 'Ana Rivera', c: 450 }]);
  });

  it('aggregates without GROUP BY into one row', async () => {
    const result = await conn.query('SELECT COUNT(Id), COUNT_DISTINCT(Station__c), AVG(Attempt_Count__c) FROM Lead WHERE LastName LIKE \'Lead %\'');
    expect(result.records).toEqual([{ attributes: { type: 'AggregateResult' }, expr0: 4500, expr1: 1, expr2: 2 }]);
  });

  it('rejects a field that is neither grouped nor aggregated', async () => {
    const error = await sfError(conn.query('SELECT Name, COUNT(Id) FROM Lead GROUP BY Status'));
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(error.message).toContain('Field must be grouped or aggregated: Name');
  });
});

describe('errors (REST API Developer Guide: "Status Codes and Error Responses")', () => {
  it('answers MALFORMED_QUERY with the position of the unexpected token', async () => {
    const error = await sfError(conn.query('SELECT Id, FROM Lead'));
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(error.message).toContain('ERROR at Row:1:Column:12');
    expect(error.message).toContain("unexpected token: 'FROM'");
  });

  it('answers INVALID_FIELD for an unknown field and INVALID_TYPE for an unknown object', async () => {
    const field = await sfError(conn.query('SELECT Id, Nmae FROM Lead'));
    expect(field.errorCode).toBe('INVALID_FIELD');
    expect(field.message).toContain("No such column 'Nmae' on entity 'Lead'");
    const type = await sfError(conn.query('SELECT Id FROM Leads'));
    expect(type.errorCode).toBe('INVALID_TYPE');
    expect(type.message).toContain("sObject type 'Leads' is not supported");
    const relationship = await sfError(conn.query('SELECT Station__c.Name FROM Lead'));
    expect(relationship.errorCode).toBe('INVALID_FIELD');
    expect(relationship.message).toContain("Didn't understand relationship 'Station__c'");
  });

  it('answers INVALID_QUERY_FILTER_OPERATOR for a value of the wrong type', async () => {
    const error = await sfError(conn.query("SELECT Id FROM Lead WHERE Attempt_Count__c = '1'"));
    expect(error.errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
    const date = await sfError(conn.query('SELECT Id FROM Lead WHERE CreatedDate > 2026-01-01'));
    expect(date.errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
  });

  it('rejects what it does not support rather than guessing', async () => {
    const typeOf = await sfError(conn.query('SELECT TYPEOF Owner WHEN User THEN Name END FROM Lead'));
    expect(typeOf.errorCode).toBe('MALFORMED_QUERY');
    const includes = await sfError(conn.query("SELECT Id FROM Lead WHERE Name INCLUDES ('a')"));
    expect(includes.errorCode).toBe('MALFORMED_QUERY');
  });

  it('asks for a query string', async () => {
    const response = await t.http('/services/data/v62.0/query');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual([{ message: 'A query string has to be specified', errorCode: 'MALFORMED_QUERY' }]);
  });
});
