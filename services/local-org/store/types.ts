/**
 * Shapes the Store reads and writes. Stable interface: REST, Bulk API 2.0, GraphQL,
 * streaming and the demo loader all use them.
 *
 * - `SObjectInput`: field values keyed by API name (any case), JSON types as REST accepts
 *   them: strings for text/picklist/date ("2024-05-01")/datetime (ISO 8601)/ids, numbers,
 *   booleans, null to clear. An `attributes` key is ignored.
 * - `SObjectRecord`: a record as REST returns it: `attributes` `{ type, url }` then the
 *   fields; parent relationships nested (`Owner: { attributes, Name }`) or null.
 * - `SaveResult`: one per record, in input order, as sObject collections answer
 *   (REST API Developer Guide: "sObject Collections"): `{ id, success, errors }`, plus
 *   `created` for upserts.
 */
import type { RecordError } from '../errors';

export type FieldValue = string | number | boolean | null;

export type SObjectInput = Record<string, unknown>;

export interface RecordAttributes {
  type: string;
  url?: string;
}

export interface SObjectRecord {
  attributes: RecordAttributes;
  [field: string]: unknown;
}

export interface SaveResult {
  id: string | null;
  success: boolean;
  errors: RecordError[];
  /** Present on upsert results only. */
  created?: boolean;
}

export interface WriteOptions {
  /** Whole batch in one transaction: the first failure rolls back every record. Default false. */
  allOrNone?: boolean;
  /** The acting user (CreatedById/LastModifiedById, default owner). Default: the org's admin. */
  userId?: string;
  /** Timestamp used for audit fields, history rows and change events. Default: the org clock. */
  now?: Date;
  /**
   * Accept CreatedDate/CreatedById/LastModifiedDate/LastModifiedById on insert, as a
   * user with "Set Audit Fields upon Record Creation" may (loaders of historical data).
   */
  setAuditFields?: boolean;
  /**
   * Bypass createable/updateable checks (the org writing its own rows, e.g.
   * OpportunityHistory backfills). Required fields, types and lengths are still checked.
   */
  system?: boolean;
  /** Skip validation rules (like a data load with rules deactivated). Default false. */
  skipValidationRules?: boolean;
  /** Do not emit change events for this write (bulk loads of seed data). Default false. */
  silent?: boolean;
  /**
   * Run the package's record-triggered flows on this write (services/local-org/flows), as a
   * real org does on every save. Default true. Loaders of historical data pass false: their
   * rows already carry their stamps, and flows would restamp them with the load time.
   */
  runFlows?: boolean;
  /**
   * Fault injection: an error to report for the record at `index` (id known for updates
   * and deletes) instead of writing it, e.g. UNABLE_TO_LOCK_ROW (see api/faults.ts).
   */
  injectRecordError?: (index: number, id: string | null) => RecordError | undefined;
}

export interface QueryOptions {
  /** Include soft-deleted rows (queryAll). */
  queryAll?: boolean;
  /** Page size, 200..2000 (Sforce-Query-Options: batchSize). Default 2000. */
  batchSize?: number;
  /** The running user: date literals use this user's TimeZoneSidKey. */
  userId?: string;
  /** Base path for `attributes.url` and `nextRecordsUrl`, e.g. `/services/data/v62.0`. */
  urlBase?: string;
}

/** One page of a query, as REST's query resource answers. */
export interface QueryPage {
  totalSize: number;
  done: boolean;
  /** The locator of the next page (`01g...-2000`); absent when done. */
  nextLocator?: string;
  records: SObjectRecord[];
}

/** A whole query result read lazily (Bulk API 2.0 query jobs, exports). */
export interface QueryStream {
  /** Selected columns in SELECT order as dot paths (`Owner.Name`, `expr0`). */
  columns: string[];
  totalSize: number;
  /** Records in the REST shape, read from the database as they are consumed. */
  records: IterableIterator<SObjectRecord>;
  /** Release the database cursor early (safe to call twice). */
  close(): void;
}

export type ChangeType = 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';

/**
 * Emitted on `events` as 'change' once per record after its transaction commits,
 * shaped like the ChangeEventHeader of Change Data Capture (Change Data Capture Developer
 * Guide: "Change Event Header Fields"). `fields` holds the new values of the changed fields
 * (all non-null fields for CREATE, none for DELETE).
 */
export interface ChangeEvent {
  entityName: string;
  changeType: ChangeType;
  recordIds: string[];
  changedFields: string[];
  /** Epoch milliseconds. */
  commitTimestamp: number;
  /** User id of the writer. */
  commitUser: string;
  fields: Record<string, FieldValue>;
}

/**
 * Emitted on `events` as 'platformEvent' when a platform event (`X__e`) is published
 * through the Store (REST POST /sobjects/X__e, collections, composite).
 */
export interface PlatformEventMessage {
  eventName: string;
  /** The id returned to the publisher (`e00...`). */
  id: string;
  /** Event fields by API name, plus CreatedDate and CreatedById. */
  fields: Record<string, FieldValue>;
  /** Epoch milliseconds. */
  publishedAt: number;
}
