/**
 * Composite request limits (REST API Developer Guide, "Send Multiple Requests Using
 * Composite", Note: "You can have up to 25 subrequests in a single call. Up to 5 of these
 * subrequests can be sObject Collections or query operations, including Query and QueryAll
 * requests."). A request over either limit is refused as a whole: nothing in it runs.
 */
import { API_VERSION, leads, startOrg, type TestOrg } from './harness';

let t: TestOrg;

beforeAll(async () => {
  t = await startOrg();
});

afterAll(() => t.close());

const v = `/services/data/v${API_VERSION}`;
const composite = async (compositeRequest: unknown[]): Promise<{ status: number; body: unknown }> => {
  const response = await t.http(`${v}/composite`, { method: 'POST', body: JSON.stringify({ allOrNone: false, compositeRequest }) });
  return { status: response.status, body: await response.json() };
};
const query = (i: number) => ({ method: 'GET', url: `${v}/query?q=${encodeURIComponent(`SELECT Id FROM Lead WHERE LastName = 'Limit ${i}'`)}`, referenceId: `q${i}` });
const queryAll = (i: number) => ({ method: 'GET', url: `${v}/queryAll/?q=${encodeURIComponent('SELECT Id FROM Lead LIMIT 1')}`, referenceId: `qa${i}` });
const collection = (i: number, lastName = `Limit ${i}`) => ({
  method: 'POST',
  url: `${v}/composite/sobjects`,
  referenceId: `c${i}`,
  body: { allOrNone: false, records: leads(1, () => ({ LastName: lastName })).map((r) => ({ attributes: { type: 'Lead' }, ...r })) }
});
const single = (i: number) => ({ method: 'POST', url: `${v}/sobjects/Lead`, referenceId: `s${i}`, body: leads(1, () => ({ LastName: `Single ${i}` }))[0] });
const leadCount = async (like: string): Promise<number> => {
  const response = await t.http(`${v}/query?q=${encodeURIComponent(`SELECT COUNT() FROM Lead WHERE LastName LIKE '${like}'`)}`);
  return ((await response.json()) as { totalSize: number }).totalSize;
};

describe('composite limits', () => {
  it('runs 5 query and sObject Collections subrequests with 20 single-record ones (25 in all)', async () => {
    const { status, body } = await composite([query(1), queryAll(2), collection(3), query(4), collection(5), ...Array.from({ length: 20 }, (_, i) => single(i))]);
    expect(status).toBe(200);
    const responses = (body as { compositeResponse: Array<{ httpStatusCode: number }> }).compositeResponse;
    expect(responses).toHaveLength(25);
    expect(responses.every((r) => r.httpStatusCode < 300)).toBe(true);
  });

  it('refuses a sixth query or sObject Collections subrequest, running none of them', async () => {
    const before = await leadCount('Refused%');
    const { status, body } = await composite([query(1), collection(2, 'Refused 2'), query(3), collection(4, 'Refused 4'), queryAll(5), collection(6, 'Refused 6')]);
    expect(status).toBe(400);
    expect(body).toEqual([{ errorCode: 'LIMIT_EXCEEDED', message: expect.stringContaining('6 subrequests are sObject Collections or query operations') }]);
    expect(await leadCount('Refused%')).toBe(before);
  });

  it('counts the next page of a query (Query More) as a query operation', async () => {
    const more = { method: 'GET', url: `${v}/query/01gD0000002HU6KIAW-2000`, referenceId: 'more' };
    const { status } = await composite([query(1), query(2), query(3), query(4), query(5), more]);
    expect(status).toBe(400);
  });

  it('still refuses more than 25 subrequests in all', async () => {
    const { status, body } = await composite(Array.from({ length: 26 }, (_, i) => single(100 + i)));
    expect(status).toBe(400);
    expect((body as Array<{ errorCode: string }>)[0]?.errorCode).toBe('LIMIT_EXCEEDED');
  });
});
