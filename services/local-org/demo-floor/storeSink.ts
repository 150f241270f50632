/**
 * The demo floor written into the local org's Store: the one place the generator meets the
 * org. Rows go through the Store's normal validation (types, picklists, references, rules),
 * loaded like historical data: audit fields accepted (CreatedDate in the past), no change
 * events (nobody is subscribed to a floor being built, and millions of events would only
 * fill memory) and no record-triggered flows (the rows carry their own historical entry
 * stamps, which the flows would overwrite with the load time).
 */
import type { Store } from '../store/store';
import type { SaveResult, WriteOptions } from '../store/types';
import type { FloorRow, FloorSink, OpportunityWithHistory } from './sink';

export class FloorWriteError extends Error {
  constructor(
    objectName: string,
    failures: Array<{ index: number; result: SaveResult }>,
    rows: readonly FloorRow[]
  ) {
    const first = failures.slice(0, 3).map(({ index, result }) => {
      const error = result.errors[0];
      return `row ${index} (${JSON.stringify(rows[index]).slice(0, 300)}): ${error?.statusCode ?? 'UNKNOWN'} ${error?.message ?? ''} [${error?.fields.join(', ') ?? ''}]`;
    });
    super(
      `the demo floor could not write ${failures.length} ${objectName} record(s); the generator and the org schema disagree:\n${first.join('\n')}`
    );
    this.name = 'FloorWriteError';
  }
}

const LOAD: WriteOptions = { setAuditFields: true, silent: true, runFlows: false };
/**
 * Leads also carry what lead conversion left on them (IsConverted, ConvertedDate,
 * ConvertedAccountId, ConvertedOpportunityId): fields only convertLead writes in Salesforce,
 * so the floor, replaying that history, writes them as the org would (system).
 */
const LOAD_AS: Readonly<Record<string, WriteOptions>> = { Lead: { ...LOAD, system: true } };

export class StoreSink implements FloorSink {
  constructor(private readonly store: Store) {}

  insert(objectName: string, rows: FloorRow[]): string[] {
    return this.checked(objectName, rows, this.store.insertMany(objectName, rows, LOAD_AS[objectName] ?? LOAD));
  }

  update(objectName: string, rows: FloorRow[]): void {
    this.checked(objectName, rows, this.store.updateMany(objectName, rows, { silent: true, runFlows: false }));
  }

  /**
   * The org writes OpportunityHistory itself on every tracked change, stamped with the time
   * of the write, so each history row is replayed as a write at its own time: the insert in
   * the first row's state, then one update per later row.
   */
  insertOpportunities(items: OpportunityWithHistory[]): string[] {
    return this.store.transaction(() =>
      items.map((item) => {
        const [first, ...later] = item.history;
        const initial =
          first === undefined
            ? item.row
            : {
                ...item.row,
                StageName: first.StageName ?? null,
                Amount: first.Amount ?? null,
                CloseDate: first.CloseDate ?? null
              };
        const at = String(first?.CreatedDate ?? item.row.CreatedDate);
        const owner = typeof item.row.OwnerId === 'string' ? item.row.OwnerId : undefined;
        const [created] = this.store.insertMany('Opportunity', [initial], {
          ...LOAD,
          now: new Date(at),
          userId: owner
        });
        const id = this.checked('Opportunity', [initial], [created as SaveResult])[0] as string;
        for (const step of later) {
          const change = {
            Id: id,
            StageName: step.StageName ?? null,
            Amount: step.Amount ?? null,
            CloseDate: step.CloseDate ?? null
          };
          const [result] = this.store.updateMany('Opportunity', [change], {
            silent: true,
            runFlows: false,
            now: new Date(String(step.CreatedDate)),
            userId: owner
          });
          this.checked('Opportunity', [change], [result as SaveResult]);
        }
        return id;
      })
    );
  }

  private checked(objectName: string, rows: readonly FloorRow[], results: SaveResult[]): string[] {
    const failures = results
      .map((result, index) => ({ index, result }))
      .filter(({ result }) => !result.success);
    if (failures.length > 0) throw new FloorWriteError(objectName, failures, rows);
    return results.map((result) => result.id as string);
  }
}
