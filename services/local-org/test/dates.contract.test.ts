/**
 * Date values, date literals and date functions through jsforce (SOQL and SOSL Reference:
 * "Date Formats and Date Literals in WHERE", "Date Functions"). The running user works in
 * America/Chicago and the org clock stands at 2026-03-18T15:30Z (10:30 in Chicago, CDT).
 */
import type { Connection } from 'jsforce';
import { startOrg, type TestOrg } from './harness';

let t: TestOrg;
let conn: Connection;

const created: Record<string, string> = {
  lastNightLocal: '2026-03-18T04:59:00Z',
  thisMorningLocal: '2026-03-18T05:00:00Z',
  sevenDaysAgoStart: '2026-03-11T05:00:00Z',
  eightDaysAgoEnd: '2026-03-11T04:59:59Z',
  lastMonth: '2026-02-15T12:00:00Z',
  lastYear: '2025-07-04T12:00:00Z',
};

beforeAll(async () => {
  t = await startOrg({ timeZone: 'America/Chicago' });
  const results = t.org.store.insertMany(
    'Lead',
    Object.entries(created).map(([name, at]) => ({ LastName: name, Company: 'Dates', LeadSource: 'Web', CreatedDate: at })),
    { setAuditFields: true },
  );
  expect(results.every((r) => r.success)).toBe(true);
  t.org.store.insertMany('Opportunity', [
    { Name: 'Soon', StageName: 'Prospecting', CloseDate: '2026-04-10', Amount: 10 },
    { Name: 'Later', StageName: 'Prospecting', CloseDate: '2026-06-30', Amount: 20 },
    { Name: 'Past', StageName: 'Closed Won', CloseDate: '2025-12-31', Amount: 30 },
  ]);
  conn = await t.login();
});

afterAll(() => t.close());

const names = async (where: string): Promise<string[]> =>
  (await conn.query(`SELECT LastName FROM Lead WHERE Company = 'Dates' AND ${where} ORDER BY CreatedDate`)).records.map((r) => r.LastName as string);

describe('date literals on datetime fields use the user time zone', () => {
  it('TODAY and YESTERDAY split at local midnight', async () => {
    expect(await names('CreatedDate = TODAY')).toEqual(['thisMorningLocal']);
    expect(await names('CreatedDate = YESTERDAY')).toEqual(['lastNightLocal']);
  });

  it('LAST_N_DAYS:n reaches back n days before today, and includes today', async () => {
    expect(await names('CreatedDate = LAST_N_DAYS:7')).toEqual(['sevenDaysAgoStart', 'lastNightLocal', 'thisMorningLocal']);
    expect(await names('CreatedDate < LAST_N_DAYS:7')).toEqual(['lastYear', 'lastMonth', 'eightDaysAgoEnd']);
  });

  it('THIS_MONTH, LAST_MONTH, THIS_YEAR and LAST_N_YEARS', async () => {
    expect(await names('CreatedDate = LAST_MONTH')).toEqual(['lastMonth']);
    expect(await names('CreatedDate = THIS_MONTH')).toHaveLength(4);
    expect(await names('CreatedDate = LAST_N_YEARS:1')).toEqual(['lastYear']);
    expect(await names('CreatedDate != THIS_YEAR')).toEqual(['lastYear']);
  });

  it('compares with datetime values in any offset', async () => {
    expect(await names('CreatedDate >= 2026-03-18T00:00:00-05:00')).toEqual(['thisMorningLocal']);
    expect(await names('CreatedDate < 2026-03-11T05:00:00Z AND CreatedDate > 2026-03-01T00:00:00Z')).toEqual(['eightDaysAgoEnd']);
  });
});

describe('date fields', () => {
  const opportunities = async (where: string): Promise<string[]> =>
    (await conn.query(`SELECT Name FROM Opportunity WHERE ${where} ORDER BY CloseDate`)).records.map((r) => r.Name as string);

  it('compare with date values and literals', async () => {
    expect(await opportunities('CloseDate = NEXT_N_DAYS:30')).toEqual(['Soon']);
    expect(await opportunities('CloseDate > TODAY')).toEqual(['Soon', 'Later']);
    expect(await opportunities('CloseDate = NEXT_QUARTER')).toEqual(['Soon', 'Later']);
    expect(await opportunities('CloseDate = NEXT_N_MONTHS:1')).toEqual(['Soon']);
    expect(await opportunities('CloseDate < 2026-01-01')).toEqual(['Past']);
    expect(await opportunities('CloseDate IN (LAST_YEAR, THIS_MONTH)')).toEqual(['Past']);
  });

  it('group by date functions', async () => {
    const result = await conn.query('SELECT CALENDAR_YEAR(CloseDate) y, SUM(Amount) total FROM Opportunity GROUP BY CALENDAR_YEAR(CloseDate) ORDER BY CALENDAR_YEAR(CloseDate)');
    expect(result.records).toEqual([
      { attributes: { type: 'AggregateResult' }, y: 2025, total: 30 },
      { attributes: { type: 'AggregateResult' }, y: 2026, total: 30 },
    ]);
    expect((await conn.query('SELECT COUNT() FROM Opportunity WHERE CALENDAR_QUARTER(CloseDate) = 2')).totalSize).toBe(2);
  });
});
