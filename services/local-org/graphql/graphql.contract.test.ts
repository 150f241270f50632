/**
 * UI API GraphQL contract, over plain fetch as the consoles' GraphQL wire sends it.
 * Salesforce behaviour checked (GraphQL API Developer Guide): "Query Record Objects"
 * (uiapi.query shape, value objects), "Paginate Results" (first defaults to 10,
 * first/after/endCursor, totalCount), "Field Operators" and "Boolean Operators" (where),
 * "Order By Schema" (order, nulls), and GraphQL's own error format for unsupported parts.
 */
import { join } from 'node:path';
import { startOrg, type TestOrg } from '../test/harness';

const FORCE_APP = join(__dirname, '..', '..', '..', 'force-app');

let t: TestOrg;

interface GraphqlAnswer {
  data: { uiapi: { query: Record<string, Connection> } } | null;
  errors: Array<{ message: string; extensions?: { classification?: string } }>;
}
interface Connection {
  edges: Array<{ node: Record<string, unknown>; cursor: string }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  totalCount: number;
}

beforeAll(async () => {
  t = await startOrg({ forceAppDir: FORCE_APP });
  const store = t.org.store;
  const rep = store.insert('User', { Username: 'rep@asl.local', LastName: 'Rivera', FirstName: 'Ana', Email: 'rep@asl.local' });
  const bins = ['Cold', 'Working', 'Nurture - Active Opportunity'];
  const results = store.insertMany(
    'Lead',
    Array.from({ length: 25 }, (_, i) => ({
      LastName: `Lead ${String(i).padStart(2, '0')}`,
      Company: i % 2 === 0 ? 'Even Co' : 'Odd Co',
      LeadSource: 'Web',
      Bin__c: bins[i % 3],
      Attempt_Count__c: i % 4 === 3 ? null : i % 4,
      OwnerId: i < 5 ? rep.id : undefined,
    })).map((record) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined))),
    { silent: true },
  );
  expect(results.every((r) => r.success)).toBe(true);
});

afterAll(() => t.close());

async function graphql(query: string, variables?: Record<string, unknown>): Promise<GraphqlAnswer> {
  const response = await t.http('/services/data/v62.0/graphql', { method: 'POST', body: JSON.stringify({ query, variables }) });
  expect(response.status).toBe(200);
  return (await response.json()) as GraphqlAnswer;
}

const LEADS = `query Leads($first: Int, $after: String, $where: Lead_Filter, $orderBy: Lead_OrderBy) {
  uiapi { query { Lead(first: $first, after: $after, where: $where, orderBy: $orderBy) {
    edges { node { Id LastName { value } Company { value } Attempt_Count__c { value } } cursor }
    pageInfo { hasNextPage hasPreviousPage endCursor } totalCount } } } }`;

async function lastNames(where: Record<string, unknown>, orderBy: Record<string, unknown> = { LastName: { order: 'ASC' } }): Promise<string[]> {
  const answer = await graphql(LEADS, { first: 100, where, orderBy });
  expect(answer.errors).toEqual([]);
  return (answer.data?.uiapi.query.Lead?.edges ?? []).map((e) => (e.node.LastName as { value: string }).value);
}

describe('paging', () => {
  it('answers 10 records by default and walks every page with after: endCursor, each record once', async () => {
    const first = await graphql(LEADS);
    expect(first.errors).toEqual([]);
    expect(first.data?.uiapi.query.Lead?.edges).toHaveLength(10);
    expect(first.data?.uiapi.query.Lead?.totalCount).toBe(25);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const answer: GraphqlAnswer = await graphql(LEADS, { first: 7, after, orderBy: { LastName: { order: 'ASC' } } });
      const page = answer.data?.uiapi.query.Lead as Connection;
      pages += 1;
      seen.push(...page.edges.map((e) => e.node.Id as string));
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(4);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
  });
});

describe('where', () => {
  it('compares with eq, ne, in, nin, like, lt and gte, and null', async () => {
    expect(await lastNames({ LastName: { eq: 'lead 03' } })).toEqual(['Lead 03']); // equality ignores case
    expect((await lastNames({ Company: { ne: 'Even Co' } })).length).toBe(12);
    expect(await lastNames({ LastName: { in: ['Lead 01', 'Lead 02'] } })).toEqual(['Lead 01', 'Lead 02']);
    expect((await lastNames({ LastName: { nin: ['Lead 01', 'Lead 02'] } })).length).toBe(23);
    expect(await lastNames({ LastName: { like: 'Lead 2%' } })).toEqual(['Lead 20', 'Lead 21', 'Lead 22', 'Lead 23', 'Lead 24']);
    expect(await lastNames({ and: [{ Attempt_Count__c: { gte: 1 } }, { Attempt_Count__c: { lt: 2 } }, { LastName: { lt: 'Lead 10' } }] })).toEqual(['Lead 01', 'Lead 05', 'Lead 09']);
    expect(await lastNames({ Attempt_Count__c: { eq: null }, LastName: { lt: 'Lead 10' } })).toEqual(['Lead 03', 'Lead 07']);
  });

  it('combines filters with or and not, filters through a parent relationship, and takes date literals', async () => {
    expect(await lastNames({ or: [{ LastName: { eq: 'Lead 00' } }, { LastName: { eq: 'Lead 24' } }] })).toEqual(['Lead 00', 'Lead 24']);
    expect((await lastNames({ not: { Company: { eq: 'Even Co' } } })).length).toBe(12);
    expect(await lastNames({ Owner: { LastName: { eq: 'Rivera' } } })).toEqual(['Lead 00', 'Lead 01', 'Lead 02', 'Lead 03', 'Lead 04']);
    expect((await lastNames({ CreatedDate: { eq: { literal: 'TODAY' } } })).length).toBe(25);
    expect(await lastNames({ CreatedDate: { lt: { range: { last_n_days: 1 } } } })).toEqual([]);
  });
});

describe('orderBy', () => {
  it('orders DESC with nulls last, then by the next field in the order written', async () => {
    const names = await lastNames({ LastName: { lt: 'Lead 08' } }, { Attempt_Count__c: { order: 'DESC', nulls: 'LAST' }, LastName: { order: 'DESC' } });
    expect(names).toEqual(['Lead 06', 'Lead 02', 'Lead 05', 'Lead 01', 'Lead 04', 'Lead 00', 'Lead 07', 'Lead 03']);
  });
});

describe('record shape', () => {
  it('answers value objects with display values, parent records, Record fields, aliases and fragments', async () => {
    const answer = await graphql(`query { uiapi { query {
      one: Lead(first: 1, orderBy: { LastName: { order: ASC } }) { edges { node { ...LeadBits } } }
      two: Lead(first: 1, where: { LastName: { eq: "Lead 01" } }) { edges { node { Id ApiName WeakEtag DisplayValue } } }
    } } }
    fragment LeadBits on Lead { Id ApiName Bin__c { value displayValue } CreatedDate { value } Owner { Name { value } } Status { value label } }`);
    expect(answer.errors).toEqual([]);
    const one = answer.data?.uiapi.query.one?.edges[0]?.node;
    expect(one).toMatchObject({ ApiName: 'Lead', Bin__c: { value: 'Cold', displayValue: 'Cold' }, Owner: { Name: { value: 'Ana Rivera' } }, Status: { value: 'Open - Not Contacted' } });
    expect((one?.CreatedDate as { value: string }).value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const two = answer.data?.uiapi.query.two?.edges[0]?.node;
    expect(two).toMatchObject({ ApiName: 'Lead', DisplayValue: 'Lead 01', WeakEtag: expect.any(Number) });
  });
});

describe('errors in GraphQL format', () => {
  it('answers unknown fields, unsupported parts and bad arguments with errors, not wrong data', async () => {
    const unknown = await graphql('{ uiapi { query { Lead { edges { node { Nope__c { value } } } } } } }');
    expect(unknown).toMatchObject({ data: null, errors: [{ message: 'Cannot query field "Nope__c" on type "Lead".', extensions: { classification: 'ValidationError' } }] });
    const aggregate = await graphql('{ uiapi { aggregate { Lead { edges { node { aggregate { Id { count { value } } } } } } } } }');
    expect(aggregate.errors[0]?.message).toBe('Cannot query field "aggregate" on type "UIAPI".');
    const tooMany = await graphql('{ uiapi { query { Lead(first: 2001) { totalCount } } } }');
    expect(tooMany.errors[0]).toMatchObject({ message: 'first must be between 0 and 2000, not 2001.', extensions: { classification: 'ValidationError' } });
    const syntax = await graphql('{ uiapi { query { Lead( } } }');
    expect(syntax.errors[0]?.extensions?.classification).toBe('InvalidSyntax');
    const badVariable = await graphql(LEADS, { where: { Bin__c: { eq: 7 } } });
    expect(badVariable.errors[0]?.message).toContain('Variable "$where" got invalid value 7 at "where.Bin__c.eq"');
  });
});
