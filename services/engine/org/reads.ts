import { parse } from 'csv-parse/sync';
import type { OrgClient } from './connection';
import { withRetry } from './retry';

/**
 * Reads from the org. SOQL pages through nextRecordsUrl (REST API Developer Guide, "Execute
 * a SOQL Query": results come in batches, by default 2,000 records, with nextRecordsUrl until
 * done is true). Large reads use a Bulk API 2.0 query job, paged by the Sforce-Locator header
 * ourselves: jsforce's bulk2.query does not survive results spanning several locator pages.
 */
export type OrgRecord = Record<string, unknown>;

interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: OrgRecord[];
}

function stripAttributes(record: OrgRecord): OrgRecord {
  const clean: OrgRecord = {};
  for (const [name, value] of Object.entries(record)) {
    if (name === 'attributes') continue;
    clean[name] = value !== null && typeof value === 'object' && !Array.isArray(value) ? stripAttributes(value as OrgRecord) : value;
  }
  return clean;
}

/** Every record of a SOQL query, all pages, without the `attributes` envelopes. */
export async function queryAll(client: OrgClient, soql: string): Promise<OrgRecord[]> {
  const records: OrgRecord[] = [];
  const version = client.config.org.apiVersion;
  let page = await withRetry(
    () => client.conn.request<QueryPage>(`/services/data/v${version}/query?q=${encodeURIComponent(soql)}`),
    client.config.retry,
    'query'
  );
  for (;;) {
    for (const record of page.records) records.push(stripAttributes(record));
    if (page.done || !page.nextRecordsUrl) return records;
    const next = page.nextRecordsUrl;
    page = await withRetry(() => client.conn.request<QueryPage>(next), client.config.retry, 'queryMore');
  }
}

/** COUNT() queries answer with totalSize and no records. */
export async function count(client: OrgClient, soql: string): Promise<number> {
  const version = client.config.org.apiVersion;
  const page = await withRetry(
    () => client.conn.request<QueryPage>(`/services/data/v${version}/query?q=${encodeURIComponent(soql)}`),
    client.config.retry,
    'count'
  );
  return page.totalSize;
}

interface QueryJob {
  id: string;
  state: 'UploadComplete' | 'InProgress' | 'Aborted' | 'JobComplete' | 'Failed';
  errorMessage?: string;
}

/**
 * A Bulk API 2.0 query job, results read page by page through Sforce-Locator (Bulk API 2.0
 * Developer Guide, "Get Results for a Query Job": the locator is the string "null" on the
 * last page). Values come back as CSV text; `onPage` receives each page's rows.
 */
export async function bulkQuery(
  client: OrgClient,
  soql: string,
  onPage: (rows: Array<Record<string, string>>) => void | Promise<void>,
  options: { maxRecords?: number; pollMs?: number } = {}
): Promise<number> {
  const base = `/services/data/v${client.config.org.apiVersion}/jobs/query`;
  const job = await client.conn.request<QueryJob>({
    method: 'POST',
    url: base,
    body: JSON.stringify({ operation: 'query', query: soql }),
    headers: { 'content-type': 'application/json' }
  });
  let state = job;
  const pollMs = options.pollMs ?? 500;
  while (state.state === 'UploadComplete' || state.state === 'InProgress') {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    state = await client.conn.request<QueryJob>(`${base}/${job.id}`);
  }
  if (state.state !== 'JobComplete') throw new Error(`bulk query ${job.id} ended ${state.state}: ${state.errorMessage ?? ''}`);
  let locator: string | undefined;
  let total = 0;
  do {
    const params = new URLSearchParams();
    if (locator) params.set('locator', locator);
    if (options.maxRecords) params.set('maxRecords', String(options.maxRecords));
    const response = await fetchResultsPage(client, `${base}/${job.id}/results?${params.toString()}`);
    const rows = parse(response.body, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
    total += rows.length;
    await onPage(rows);
    locator = response.locator && response.locator !== 'null' ? response.locator : undefined;
  } while (locator);
  return total;
}

async function fetchResultsPage(client: OrgClient, url: string): Promise<{ body: string; locator: string | undefined }> {
  // The raw response is needed for its headers, so this goes through fetch with the session.
  client.noteCall();
  const response = await fetch(`${client.conn.instanceUrl}${url}`, {
    headers: { authorization: `Bearer ${client.conn.accessToken}`, accept: 'text/csv' }
  });
  if (!response.ok) throw new Error(`bulk query results: HTTP ${response.status} ${await response.text()}`);
  return { body: await response.text(), locator: response.headers.get('sforce-locator') ?? undefined };
}
