/**
 * Where the demo floor writes. The generator only needs "insert these rows of one object and
 * tell me their ids" and "update these rows by Id"; `storeSink` (storeSink.ts) maps that onto
 * the local org's Store, and `MemorySink` keeps rows in memory for tests, checking every
 * lookup as it goes.
 */
export type FloorValue = string | number | boolean | null;
export type FloorRow = Record<string, FloorValue>;

/**
 * An opportunity and its stage history. OpportunityHistory is the org's own record of an
 * opportunity's changes (read-only through the API), so a sink replays the history: the
 * first row is the state the opportunity was created in, each later row a change at its
 * CreatedDate; `row` holds the final values of every other field.
 */
export interface OpportunityWithHistory {
  row: FloorRow;
  history: FloorRow[];
}

export interface FloorSink {
  /** Inserts rows of one object, in one transaction; returns their new ids in input order. */
  insert(objectName: string, rows: FloorRow[]): string[] | Promise<string[]>;
  /** Updates rows (each carries `Id`) of one object, in one transaction. */
  update(objectName: string, rows: FloorRow[]): void | Promise<void>;
  /** Inserts opportunities with their history; returns their ids in input order. */
  insertOpportunities(items: OpportunityWithHistory[]): string[] | Promise<string[]>;
}

/** Key prefixes the memory sink uses, as Salesforce does (3 characters per object). */
const MEMORY_PREFIXES: Record<string, string> = {
  User: '005',
  Lead: '00Q',
  Account: '001',
  Opportunity: '006',
  OpportunityHistory: '008',
  Campaign: '701',
  CampaignMember: '00v',
  Case: '500'
};

/** Every row in memory with sequential, deterministic ids; for tests and small floors. */
export class MemorySink implements FloorSink {
  readonly tables = new Map<string, Map<string, FloorRow>>();
  private readonly counters = new Map<string, number>();
  private readonly customPrefixes = new Map<string, string>();

  insert(objectName: string, rows: FloorRow[]): string[] {
    const table = this.table(objectName);
    return rows.map((row) => {
      const id = this.nextId(objectName);
      table.set(id, { ...row, Id: id });
      return id;
    });
  }

  update(objectName: string, rows: FloorRow[]): void {
    const table = this.table(objectName);
    for (const row of rows) {
      const id = row.Id;
      if (typeof id !== 'string')
        throw new Error(`update of ${objectName} needs an Id on every row`);
      const existing = table.get(id);
      if (existing === undefined) throw new Error(`update of ${objectName}: no record ${id}`);
      table.set(id, { ...existing, ...row });
    }
  }

  /** Writes the history rows as given, as the org would have recorded them. */
  insertOpportunities(items: OpportunityWithHistory[]): string[] {
    const ids = this.insert(
      'Opportunity',
      items.map((item) => item.row)
    );
    const history: FloorRow[] = [];
    items.forEach((item, index) => {
      for (const row of item.history) history.push({ ...row, OpportunityId: ids[index] as string });
    });
    this.insert('OpportunityHistory', history);
    return ids;
  }

  rows(objectName: string): FloorRow[] {
    return [...this.table(objectName).values()];
  }

  get(objectName: string, id: string): FloorRow | undefined {
    return this.tables.get(objectName)?.get(id);
  }

  /** The object holding this id, by its key prefix. */
  objectOf(id: string): string | undefined {
    const prefix = id.slice(0, 3);
    for (const [name, known] of Object.entries(MEMORY_PREFIXES)) if (known === prefix) return name;
    for (const [name, known] of this.customPrefixes) if (known === prefix) return name;
    return undefined;
  }

  private table(objectName: string): Map<string, FloorRow> {
    let table = this.tables.get(objectName);
    if (table === undefined) {
      table = new Map();
      this.tables.set(objectName, table);
    }
    return table;
  }

  private nextId(objectName: string): string {
    let prefix = MEMORY_PREFIXES[objectName] ?? this.customPrefixes.get(objectName);
    if (prefix === undefined) {
      prefix = `a${(this.customPrefixes.size + 10).toString(36).toUpperCase().padStart(2, '0')}`;
      this.customPrefixes.set(objectName, prefix);
    }
    const next = (this.counters.get(objectName) ?? 0) + 1;
    this.counters.set(objectName, next);
    return `${prefix}${'0'.repeat(3)}${next.toString(36).toUpperCase().padStart(9, '0')}AAA`;
  }
}
