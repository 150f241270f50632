import { z } from 'zod';
import { parseNamespace, stripRecordNamespace } from '../../schema';
import type { OrgClient } from '../../org/connection';
import { withRetry } from '../../org/retry';

/**
 * Several SOQL queries in one Composite request: the whole composite counts as one API call
 * (REST API Developer Guide, "Composite": "up to 5 subrequests can be sObject Collections or
 * queries"). The assignment run reads its whole floor this way, so a run of n assignments
 * costs one read call plus ceil(2n/1000) write calls. Pages past the first 2,000 records
 * follow nextRecordsUrl, one call each.
 */
export type Row = Record<string, unknown>;

const MAX_QUERIES_PER_COMPOSITE = 5;

const page = z.object({ done: z.boolean(), nextRecordsUrl: z.string().optional(), records: z.array(z.record(z.string(), z.unknown())) });
const compositeAnswer = z.object({
  compositeResponse: z.array(z.object({ body: z.unknown(), httpStatusCode: z.number(), referenceId: z.string() }))
});

export class OrgQueryError extends Error {
  constructor(
    readonly soql: string,
    readonly errorCode: string,
    detail: string
  ) {
    super(`${errorCode}: ${detail} (query: ${soql.slice(0, 200)})`);
    this.name = 'OrgQueryError';
  }
}

function clean(record: Row, namespace: string): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === 'attributes') continue;
    out[key] = value !== null && typeof value === 'object' && !Array.isArray(value) ? clean(value as Row, namespace) : value;
  }
  return namespace ? stripRecordNamespace(out, parseNamespace(namespace)) : out;
}

/** Runs the queries, 5 per composite call; returns every record of each, namespace stripped. */
export async function queryMany(client: OrgClient, queries: readonly string[]): Promise<Row[][]> {
  const version = client.config.org.apiVersion;
  const results: Row[][] = [];
  for (let start = 0; start < queries.length; start += MAX_QUERIES_PER_COMPOSITE) {
    const group = queries.slice(start, start + MAX_QUERIES_PER_COMPOSITE);
    const compositeRequest = group.map((soql, index) => ({
      method: 'GET',
      url: `/services/data/v${version}/query?q=${encodeURIComponent(soql)}`,
      referenceId: `q${index}`
    }));
    // Queries change nothing, so the whole composite may be re-sent after a transient failure.
    const raw = await withRetry(
      () =>
        client.conn.request({
          method: 'POST',
          url: `/services/data/v${version}/composite`,
          body: JSON.stringify({ allOrNone: false, compositeRequest }),
          headers: { 'content-type': 'application/json' }
        }),
      client.config.retry,
      'composite query'
    );
    const answers = compositeAnswer.parse(raw).compositeResponse;
    for (const [index, soql] of group.entries()) {
      const answer = answers[index];
      const parsed = page.safeParse(answer?.body);
      if (!answer || !parsed.success) {
        const first = Array.isArray(answer?.body) ? (answer?.body[0] as { errorCode?: string; message?: string } | undefined) : undefined;
        throw new OrgQueryError(soql, first?.errorCode ?? `HTTP_${answer?.httpStatusCode ?? 'none'}`, first?.message ?? 'no query result');
      }
      const records = parsed.data.records.map((record) => clean(record, client.config.namespace));
      let next = parsed.data.done ? undefined : parsed.data.nextRecordsUrl;
      while (next) {
        const url = next;
        const more = page.parse(await withRetry(() => client.conn.request(url), client.config.retry, 'queryMore'));
        records.push(...more.records.map((record) => clean(record, client.config.namespace)));
        next = more.done ? undefined : more.nextRecordsUrl;
      }
      results.push(records);
    }
  }
  return results;
}
