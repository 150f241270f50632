/**
 * The org's records, over node:sqlite. Stable interface for every API of the local org and
 * for loaders (demo floor, benchmarks):
 *
 *   const store = Store.open({ dataDir, schema, events, now, org });
 *   store.insert('Lead', { LastName: 'Ng', Company: 'Acme', LeadSource: 'Web' })   -> SaveResult
 *   store.insertMany('Lead', records, { allOrNone: false })                      -> SaveResult[]
 *   store.update('Lead', id, { Status: 'Working - Contacted' })                  -> SaveResult
 *   store.updateMany('Lead', [{ Id, ...fields }], options)                       -> SaveResult[]
 *   store.upsert('Station__c', 'Key__c', { Key__c: 'SDR_CALL', Name: 'SDR' })   -> SaveResult (+created)
 *   store.upsertMany('Station__c', 'Key__c', records, options)                   -> SaveResult[]
 *   store.delete(id) / store.deleteMany(ids, options) / store.undelete(ids)
 *   store.saveMany(operations, options)  (mixed types, as sObject collections)
 *   store.get('Lead', id, fields?)       -> SObjectRecord | null
 *   store.query(soql, options)           -> QueryPage   (first page, 2,000 records by default)
 *   store.queryMore(locator, batchSize?) -> QueryPage   (locator: '01g...-2000')
 *   store.stream(soql, options)          -> QueryStream (all records, lazily, for Bulk API 2.0)
 *   store.transaction(() => ...)         (nesting allowed; events are emitted after commit)
 *
 * Every write validates like Salesforce (field names and access, types, lengths, restricted
 * picklists, required fields, references, unique and external ids, active validation
 * rules) and reports failures per record with Salesforce's status codes. Deletes are soft
 * (IsDeleted), so queryAll sees them. Change events go to `events` ('change') once the
 * outermost transaction commits; platform events ('platformEvent') likewise.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { EventEmitter } from 'node:events';
import { SalesforceError, type RecordError } from '../errors';
import type { FieldDef, OrgSchema, SObjectDef } from '../schema/types';
import { compileSoql, type AggregatePlan, type QueryPlan, type RecordPlan, type SoqlEnv } from '../soql/compile';
import { compileFormula, UnsupportedFormula, type FormulaScope, type FormulaValue } from './formula';
import { afterSave, beforeSave, type BehaviorContext, type Row, type WriteState } from './behaviors';
import { makeId, normalizeId, sequenceOf } from './ids';
import { columnType, formatDateTime, fromDb, toDb, type DbValue } from './values';
import type {
  ChangeEvent,
  FieldValue,
  PlatformEventMessage,
  QueryOptions,
  QueryPage,
  QueryStream,
  SaveResult,
  SObjectInput,
  SObjectRecord,
  WriteOptions,
} from './types';

export type { Row } from './behaviors';

export type SaveOperation =
  | { kind: 'insert'; sobject: string; record: SObjectInput }
  /** `record.Id` names the record; `sobject` (optional) must match its key prefix. */
  | { kind: 'update'; sobject?: string; record: SObjectInput }
  /** The external id value is `record[externalIdField]`; 'Id' upserts by record id. */
  | { kind: 'upsert'; sobject: string; externalIdField: string; record: SObjectInput }
  | { kind: 'delete'; id: string; sobject?: string };

/**
 * Record-triggered automation run inside the write path (services/local-org/flows), at the
 * places Salesforce's order of execution gives it (Apex Developer Guide: "Triggers and Order
 * of Execution"): `beforeSave` once the request's values are loaded, before the org's own
 * derivations, system validation and validation rules; `afterSave` once the row is written,
 * inside the same transaction. Either may change the record (`beforeSave`, through
 * `state.row`) or write other records through the store, and either may throw a
 * SalesforceError to fail the record: the store then rolls back its row and every write the
 * automation made for it.
 */
export interface RecordTriggers {
  beforeSave(state: WriteState, ctx: TriggerContext): void;
  afterSave(state: WriteState, ctx: TriggerContext): void;
  /** Whether `afterSave` may run anything for this object (only then a record gets a savepoint). */
  hasAfterSave(objectName: string): boolean;
}

/** The write a trigger runs in: who saves, at what time, and whether change events are off. */
export interface TriggerContext {
  userId: string;
  now: Date;
  silent: boolean;
}

export interface StoreOrgSettings {
  name: string;
  timeZone: string;
  adminUsername: string;
}

export interface StoreInit {
  db: DatabaseSync;
  schema: OrgSchema;
  events: EventEmitter;
  now: () => Date;
  org: StoreOrgSettings;
}

export const ROLLED_BACK: RecordError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

const DEFAULT_BATCH = 2000;
const CURSOR_IDLE_MS = 15 * 60_000;
const CURSORS_PER_USER = 10;
const AUDIT_FIELDS = new Set(['CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById']);
const q = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

type Pending = { kind: 'change'; event: ChangeEvent } | { kind: 'platform'; message: PlatformEventMessage };

interface WriteContext extends BehaviorContext {
  opts: WriteOptions;
  refCache: Map<string, { type: string; deleted: boolean; active: boolean } | null>;
}

interface Cursor {
  plan: RecordPlan;
  keys: number[];
  position: number;
  userId: string;
  urlBase: string;
  lastUsed: number;
}

interface CompiledRule {
  name: string;
  message: string;
  displayField: string | null;
  evaluate: (scope: FormulaScope) => FormulaValue;
}

class RollbackAll extends Error {}

export class Store {
  readonly db: DatabaseSync;
  readonly schema: OrgSchema;
  readonly orgId: string;
  readonly adminUserId: string;
  /** Validation rules that could not be compiled (not enforced), and other load notes. */
  readonly warnings: string[] = [];

  private readonly events: EventEmitter;
  private readonly now: () => Date;
  private readonly org: StoreOrgSettings;
  private readonly statements = new Map<string, StatementSync>();
  private readonly inserts = new Map<string, { names: string[]; statement: StatementSync }>();
  private readonly controls = new Map<string, StatementSync>();
  private readonly sequences = new Map<string, number>();
  private readonly rules = new Map<string, CompiledRule[]>();
  private readonly cursors = new Map<string, Cursor>();
  private readonly timeZones = new Map<string, string>();
  private pending: Pending[] = [];
  private triggers: RecordTriggers | undefined;
  private depth = 0;
  private cursorSeq = 1;
  private eventSeq: number;

  /** Opens (or creates) the database of a data directory, or an in-memory one. */
  static openDatabase(dataDir: string): DatabaseSync {
    if (dataDir === ':memory:') return new DatabaseSync(':memory:');
    mkdirSync(dataDir, { recursive: true });
    const db = new DatabaseSync(join(dataDir, 'org.sqlite'));
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    return db;
  }

  /** Key prefixes given to custom objects by earlier runs (stable ids across restarts). */
  static readKeyPrefixes(db: DatabaseSync): Record<string, string> {
    db.exec('CREATE TABLE IF NOT EXISTS "_key_prefix" ("object" TEXT PRIMARY KEY, "prefix" TEXT NOT NULL UNIQUE)');
    const rows = db.prepare('SELECT "object", "prefix" FROM "_key_prefix"').all() as Array<{ object: string; prefix: string }>;
    return Object.fromEntries(rows.map((row) => [row.object, row.prefix]));
  }

  static open(init: Omit<StoreInit, 'db'> & { dataDir: string }): Store {
    return new Store({ ...init, db: Store.openDatabase(init.dataDir) });
  }

  constructor(init: StoreInit) {
    this.db = init.db;
    this.schema = init.schema;
    this.events = init.events;
    this.now = init.now;
    this.org = init.org;
    this.eventSeq = Math.floor(this.now().getTime() / 1000) % 62 ** 5;
    this.db.exec('PRAGMA temp_store = MEMORY');
    this.db.exec('PRAGMA cache_size = -262144');
    this.ensureTables();
    this.compileRules();
    const { orgId, adminUserId } = this.bootstrap();
    this.orgId = orgId;
    this.adminUserId = adminUserId;
  }

  /** Installs the record-triggered automation every later write runs (the org does it at start). */
  setRecordTriggers(triggers: RecordTriggers | undefined): void {
    this.triggers = triggers;
  }

  close(): void {
    this.cursors.clear();
    this.statements.clear();
    this.inserts.clear();
    this.controls.clear();
    if (this.db.isOpen) this.db.close();
  }

  // ------------------------------------------------------------------ schema

  private ensureTables(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS "_meta" ("key" TEXT PRIMARY KEY, "value" TEXT NOT NULL)');
    this.db.exec('CREATE TABLE IF NOT EXISTS "_autonumber" ("key" TEXT PRIMARY KEY, "next" INTEGER NOT NULL)');
    Store.readKeyPrefixes(this.db);
    const savePrefix = this.db.prepare('INSERT OR IGNORE INTO "_key_prefix" ("object", "prefix") VALUES (?, ?)');
    for (const def of this.schema.objects.values()) {
      if (def.custom) savePrefix.run(def.name, def.keyPrefix);
      if (def.isPlatformEvent) continue;
      const table = q(def.name);
      const columns = def.fields.filter((f) => f.name !== 'Id').map((f) => `${q(f.name)} ${columnType(f)}`);
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${table} ("_seq" INTEGER PRIMARY KEY, "Id" TEXT NOT NULL, ${columns.join(', ')})`);
      const existing = new Set(
        (this.db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name.toLowerCase()),
      );
      for (const f of def.fields) {
        if (!existing.has(f.name.toLowerCase())) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${q(f.name)} ${columnType(f)}`);
      }
      this.ensureIndexes(def);
      const max = this.db.prepare(`SELECT MAX("_seq") AS m FROM ${table}`).get() as { m: number | null };
      this.sequences.set(def.name, (max.m ?? 0) + 1);
    }
  }

  private ensureIndexes(def: SObjectDef): void {
    const table = q(def.name);
    const name = (suffix: string): string => q(`${def.name}__${suffix}`);
    this.db.exec(`CREATE UNIQUE INDEX IF NOT EXISTS ${name('Id')} ON ${table} ("Id")`);
    for (const f of def.fields) {
      const indexed =
        // Lookups the org only fills itself (ConvertedAccountId...) are rarely filtered on.
        (f.type === 'reference' && !AUDIT_FIELDS.has(f.name) && (f.createable || f.updateable || f.cascadeDelete)) ||
        f.externalId ||
        f.idLookup ||
        f.nameField ||
        ['SystemModstamp', 'LastModifiedDate', 'CreatedDate'].includes(f.name);
      if (!indexed || f.name === 'Id') continue;
      if (f.unique) {
        // Deleted rows keep their values but do not block new ones.
        this.db.exec(`CREATE UNIQUE INDEX IF NOT EXISTS ${name(f.name)} ON ${table} (${q(f.name)}) WHERE "IsDeleted" = 0`);
      } else {
        this.db.exec(`CREATE INDEX IF NOT EXISTS ${name(f.name)} ON ${table} (${q(f.name)})`);
      }
    }
  }

  private compileRules(): void {
    for (const def of this.schema.objects.values()) {
      const compiled: CompiledRule[] = [];
      for (const rule of def.validationRules) {
        if (!rule.active) continue;
        try {
          const evaluate = compileFormula(rule.errorConditionFormula, (name) => this.schema.field(def, name) !== undefined);
          compiled.push({ name: rule.name, message: rule.errorMessage, displayField: rule.errorDisplayField, evaluate });
        } catch (error) {
          if (!(error instanceof UnsupportedFormula)) throw error;
          this.warnings.push(`${def.name} validation rule ${rule.name} is not enforced by the local org: ${error.message}`);
        }
      }
      if (compiled.length > 0) this.rules.set(def.name, compiled);
    }
  }

  private bootstrap(): { orgId: string; adminUserId: string } {
    const meta = this.db.prepare('SELECT "value" FROM "_meta" WHERE "key" = ?');
    let orgId = (meta.get('orgId') as { value: string } | undefined)?.value;
    const now = this.now();
    if (orgId === undefined) {
      orgId = makeId('00D', 1);
      this.db.prepare('INSERT INTO "_meta" ("key", "value") VALUES (?, ?)').run('orgId', orgId);
      const stamp = formatDateTime(now);
      this.db
        .prepare(
          'INSERT INTO "Organization" ("_seq", "Id", "Name", "OrganizationType", "InstanceName", "IsSandbox", "TimeZoneSidKey", "LanguageLocaleKey", "DefaultLocaleSidKey", "FiscalYearStartMonth", "IsDeleted", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp") VALUES (1, ?, ?, ?, ?, 0, ?, ?, ?, 1, 0, ?, ?, ?, ?, ?)',
        )
        .run(orgId, this.org.name, 'Developer Edition', 'LOCAL', this.org.timeZone, 'en_US', 'en_US', stamp, makeId('005', 1), stamp, makeId('005', 1), stamp);
      this.sequences.set('Organization', 2);
    }
    const first = this.db.prepare('SELECT "Id" FROM "User" ORDER BY "_seq" LIMIT 1').get() as { Id: string } | undefined;
    if (first !== undefined) return { orgId, adminUserId: first.Id };
    const adminId = makeId('005', this.sequences.get('User') ?? 1);
    const result = this.insertMany(
      'User',
      [{ Username: this.org.adminUsername, FirstName: 'Local', LastName: 'Admin', Email: this.org.adminUsername, TimeZoneSidKey: this.org.timeZone, Title: 'System Administrator' }],
      { userId: adminId, silent: true },
    )[0];
    if (result?.id !== adminId) throw new Error(`could not create the admin user: ${JSON.stringify(result?.errors)}`);
    return { orgId, adminUserId: adminId };
  }

  // ------------------------------------------------------------------ transactions

  /**
   * Runs `fn` in a transaction (a savepoint when nested). Throwing rolls it back; change
   * events queued inside are emitted once the outermost transaction commits.
   */
  transaction<T>(fn: () => T): T {
    const depth = this.depth;
    const mark = this.pending.length;
    this.control(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT sp${depth}`);
    this.depth += 1;
    try {
      const result = fn();
      this.depth -= 1;
      if (depth === 0) {
        this.control('COMMIT');
        this.flushEvents();
      } else {
        this.control(`RELEASE sp${depth}`);
      }
      return result;
    } catch (error) {
      this.depth -= 1;
      if (depth === 0) {
        this.control('ROLLBACK');
        this.pending = [];
        this.timeZones.clear();
      } else {
        this.control(`ROLLBACK TO sp${depth}`);
        this.control(`RELEASE sp${depth}`);
        this.pending.length = mark;
      }
      throw error;
    }
  }

  /** Transaction control statements, prepared once: one savepoint per record adds up. */
  private control(sql: string): void {
    let statement = this.controls.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.controls.set(sql, statement);
    }
    statement.run();
  }

  private flushEvents(): void {
    const pending = this.pending;
    this.pending = [];
    for (const item of pending) {
      if (item.kind === 'change') this.events.emit('change', item.event);
      else this.events.emit('platformEvent', item.message);
    }
  }

  // ------------------------------------------------------------------ writes

  insert(sobject: string, record: SObjectInput, opts: WriteOptions = {}): SaveResult {
    return this.insertMany(sobject, [record], opts)[0] as SaveResult;
  }

  insertMany(sobject: string, records: SObjectInput[], opts: WriteOptions = {}): SaveResult[] {
    return this.saveMany(records.map((record) => ({ kind: 'insert', sobject, record })), opts);
  }

  update(sobject: string, id: string, record: SObjectInput, opts: WriteOptions = {}): SaveResult {
    return this.saveMany([{ kind: 'update', sobject, record: { ...record, Id: id } }], opts)[0] as SaveResult;
  }

  updateMany(sobject: string | undefined, records: SObjectInput[], opts: WriteOptions = {}): SaveResult[] {
    return this.saveMany(records.map((record) => (sobject === undefined ? { kind: 'update', record } : { kind: 'update', sobject, record })), opts);
  }

  upsert(sobject: string, externalIdField: string, record: SObjectInput, opts: WriteOptions = {}): SaveResult {
    return this.saveMany([{ kind: 'upsert', sobject, externalIdField, record }], opts)[0] as SaveResult;
  }

  upsertMany(sobject: string, externalIdField: string, records: SObjectInput[], opts: WriteOptions = {}): SaveResult[] {
    return this.saveMany(records.map((record) => ({ kind: 'upsert', sobject, externalIdField, record })), opts);
  }

  delete(id: string, opts: WriteOptions = {}): SaveResult {
    return this.saveMany([{ kind: 'delete', id }], opts)[0] as SaveResult;
  }

  deleteMany(ids: string[], opts: WriteOptions = {}): SaveResult[] {
    return this.saveMany(ids.map((id) => ({ kind: 'delete', id })), opts);
  }

  /** Restores soft-deleted records (emits UNDELETE). */
  undelete(ids: string[], opts: WriteOptions = {}): SaveResult[] {
    const ctx = this.writeContext(opts);
    return this.transaction(() =>
      ids.map((rawId) => {
        const id = normalizeId(rawId);
        const def = id === undefined ? undefined : this.schema.byKeyPrefix(id.slice(0, 3));
        if (id === undefined || def === undefined || def.isPlatformEvent) return failure(null, new SalesforceError('MALFORMED_ID', `malformed id ${rawId}`, 400, []));
        const row = this.loadRow(def, id, true);
        if (row === undefined || row.IsDeleted !== 1) return failure(id, new SalesforceError('UNDELETE_FAILED', 'Entity is not in the recycle bin', 400, []));
        this.statement(`UPDATE ${q(def.name)} SET "IsDeleted" = 0, "SystemModstamp" = ? WHERE "Id" = ?`).run(ctx.nowText, id);
        this.queueChange(ctx, def, 'UNDELETE', id, [], {});
        return { id, success: true, errors: [] };
      }),
    );
  }

  /**
   * Runs save operations in one transaction, one savepoint per record, and answers one
   * SaveResult per operation in order. With `allOrNone`, any failure rolls every record back
   * and the records that were fine report ALL_OR_NONE_OPERATION_ROLLED_BACK (REST API
   * Developer Guide: "sObject Collections", allOrNone).
   */
  saveMany(operations: SaveOperation[], opts: WriteOptions = {}): SaveResult[] {
    const ctx = this.writeContext(opts);
    let results: SaveResult[] = [];
    try {
      this.transaction(() => {
        results = operations.map((operation, index) => this.runOperation(operation, index, ctx));
        if (opts.allOrNone === true && results.some((result) => !result.success)) throw new RollbackAll();
      });
    } catch (error) {
      if (!(error instanceof RollbackAll)) throw error;
      results = results.map((result, index) => {
        if (!result.success) return result;
        const operation = operations[index] as SaveOperation;
        const id = operation.kind === 'insert' || (operation.kind === 'upsert' && result.created === true) ? null : result.id;
        return { id, success: false, errors: [ROLLED_BACK] };
      });
    }
    return results;
  }

  private runOperation(operation: SaveOperation, index: number, ctx: WriteContext): SaveResult {
    const knownId = operation.kind === 'delete' ? operation.id : operation.kind === 'update' ? idText(idValue(operation.record)) : null;
    const injected = ctx.opts.injectRecordError?.(index, knownId);
    if (injected !== undefined) return { id: null, success: false, errors: [injected] };
    const mark = this.pending.length;
    try {
      switch (operation.kind) {
        // Inserts and updates validate everything before their first write and cannot fail
        // after it, so they need no savepoint of their own (a measurable cost per record).
        case 'insert':
          return this.insertOne(this.writableObject(operation.sobject, 'create'), operation.record, ctx);
        case 'update':
          return this.updateOne(operation.sobject, operation.record, ctx);
        case 'upsert':
          return this.upsertOne(operation.sobject, operation.externalIdField, operation.record, ctx);
        case 'delete':
          return this.transaction(() => this.deleteOne(operation.id, operation.sobject, ctx));
      }
    } catch (error) {
      this.pending.length = mark;
      if (error instanceof SalesforceError) {
        const id = operation.kind === 'insert' ? null : knownId !== null ? (normalizeId(knownId) ?? null) : null;
        return failure(id, error);
      }
      throw error;
    }
  }

  private writeContext(opts: WriteOptions): WriteContext {
    const now = opts.now ?? this.now();
    const context: WriteContext = {
      opts,
      now,
      nowText: formatDateTime(now),
      userId: opts.userId ?? this.adminUserId,
      orgTimeZone: this.org.timeZone,
      refCache: new Map(),
      timeZoneOf: (id) => (id === null ? this.org.timeZone : this.userTimeZone(id)),
      nextAutoNumber: (object, field) => this.nextAutoNumber(object, field),
      select: (sql, params) => this.statement(sql).all(...params) as Array<Record<string, unknown>>,
      writeHistory: (row) => this.writeHistory(row, context),
    };
    return context;
  }

  private writableObject(sobject: string, action: 'create' | 'update' | 'delete'): SObjectDef {
    const def = this.schema.find(sobject);
    if (def === undefined) {
      throw new SalesforceError('NOT_FOUND', `The requested resource does not exist`, 404);
    }
    const allowed = action === 'create' ? def.createable : action === 'update' ? def.updateable : def.deletable;
    if (!allowed) {
      throw new SalesforceError('INVALID_TYPE_FOR_OPERATION', `entity type ${def.name} does not support ${action}`, 400, []);
    }
    return def;
  }

  /** Field values of an input by canonical field, checked for existence, access and type. */
  private prepareInput(def: SObjectDef, input: SObjectInput, mode: 'create' | 'update', ctx: WriteContext): Map<FieldDef, DbValue> {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new SalesforceError('JSON_PARSER_ERROR', `Cannot deserialize instance of ${def.name} from ${Array.isArray(input) ? 'START_ARRAY' : 'VALUE_STRING'} value`, 400);
    }
    const values = new Map<FieldDef, DbValue>();
    const denied: string[] = [];
    for (const [key, value] of Object.entries(input)) {
      if (key === 'attributes') continue;
      const fieldDef = this.schema.field(def, key);
      if (fieldDef === undefined) {
        const lookup = this.schema.relationship(def, key);
        if (lookup !== undefined && value !== null && typeof value === 'object') {
          values.set(lookup, this.resolveForeignKey(lookup, value as Record<string, unknown>));
          continue;
        }
        throw new SalesforceError('INVALID_FIELD', `No such column '${key}' on sobject of type ${def.name}`, 400, [key]);
      }
      if (fieldDef.name === 'Id') {
        if (mode === 'create') throw new SalesforceError('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', 400, ['Id']);
        continue;
      }
      const audit = mode === 'create' && ctx.opts.setAuditFields === true && AUDIT_FIELDS.has(fieldDef.name);
      const writable = mode === 'create' ? fieldDef.createable : fieldDef.updateable;
      if (!writable && ctx.opts.system !== true && !audit) {
        denied.push(fieldDef.name);
        continue;
      }
      values.set(fieldDef, toDb(fieldDef, value));
    }
    if (denied.length > 0) {
      throw new SalesforceError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${denied.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        400,
        denied,
      );
    }
    return values;
  }

  /** `Station__r: { Key__c: 'SDR_CALL' }` -> the Id of that record (REST API: "Insert or Update (Upsert) a Record Using an External ID", foreign keys). */
  private resolveForeignKey(lookup: FieldDef, reference: Record<string, unknown>): string {
    const attributes = reference.attributes as { type?: string } | undefined;
    const targetName = attributes?.type ?? (lookup.referenceTo.length === 1 ? lookup.referenceTo[0] : undefined);
    const target = targetName === undefined ? undefined : this.schema.find(targetName);
    const entries = Object.entries(reference).filter(([key]) => key !== 'attributes');
    if (target === undefined || entries.length !== 1) {
      throw new SalesforceError('INVALID_FIELD', `Foreign key reference for ${lookup.relationshipName ?? lookup.name} must name one external id field${lookup.referenceTo.length > 1 ? ' and attributes.type' : ''}`, 400, [lookup.name]);
    }
    const [fieldName, value] = entries[0] as [string, unknown];
    const extField = this.schema.field(target, fieldName);
    if (extField === undefined || !(extField.idLookup || extField.externalId)) {
      throw new SalesforceError('INVALID_FIELD', `Field ${fieldName} is not an external id or indexed field of ${target.name}`, 400, [lookup.name]);
    }
    const ids = this.findIdsByField(target.name, extField.name, value as FieldValue);
    if (ids.length === 0) {
      throw new SalesforceError('INVALID_FIELD', `Foreign key external ID: ${String(value)} not found for field ${extField.name} in entity ${target.name}`, 400, [lookup.name]);
    }
    if (ids.length > 1) {
      throw new SalesforceError('INVALID_FIELD', `Foreign key external ID: ${String(value)} matches more than one ${target.name} on field ${extField.name}`, 400, [lookup.name]);
    }
    return ids[0] as string;
  }

  /** The automation of this write, unless the writer opted out with `runFlows: false`. */
  private triggersFor(ctx: WriteContext): RecordTriggers | undefined {
    return ctx.opts.runFlows === false ? undefined : this.triggers;
  }

  private triggerContext(ctx: WriteContext): TriggerContext {
    return { userId: ctx.userId, now: ctx.now, silent: ctx.opts.silent === true };
  }

  private insertOne(def: SObjectDef, input: SObjectInput, ctx: WriteContext): SaveResult {
    if (def.isPlatformEvent) return this.publish(def, input, ctx);
    const triggers = this.triggersFor(ctx);
    // A failing after-save flow must take the record's row with it, so such records get a savepoint.
    if (triggers?.hasAfterSave(def.name) === true) return this.transaction(() => this.insertRecord(def, input, ctx, triggers));
    return this.insertRecord(def, input, ctx, triggers);
  }

  private insertRecord(def: SObjectDef, input: SObjectInput, ctx: WriteContext, triggers: RecordTriggers | undefined): SaveResult {
    const provided = this.prepareInput(def, input, 'create', ctx);
    const row: Row = {};
    for (const [fieldDef, value] of provided) row[fieldDef.name] = value;
    const providedNames = new Set([...provided.keys()].map((f) => f.name));
    for (const f of def.fields) {
      if (providedNames.has(f.name)) continue;
      if (f.name === 'OwnerId') row.OwnerId = ctx.userId;
      else if (f.defaultValue !== null && f.createable) row[f.name] = toDb(f, f.defaultValue);
      else if (f.type === 'boolean') row[f.name] = 0;
    }
    const state: WriteState = { def, row, prior: null, provided: providedNames };
    triggers?.beforeSave(state, this.triggerContext(ctx));
    beforeSave(state, ctx);
    this.checkRequired(def, row, null);
    this.checkReferences(def, row, null, ctx);
    this.runRules(def, row, null, ctx);
    this.checkUnique(def, row, null);
    const seq = this.nextSeq(def);
    const id = makeId(def.keyPrefix, seq);
    row.Id = id;
    row.IsDeleted = 0;
    if (!(ctx.opts.setAuditFields === true && providedNames.has('CreatedDate'))) row.CreatedDate = ctx.nowText;
    if (!(ctx.opts.setAuditFields === true && providedNames.has('CreatedById'))) row.CreatedById = ctx.userId;
    if (def.fields.some((f) => f.name === 'LastModifiedDate')) {
      if (!(ctx.opts.setAuditFields === true && providedNames.has('LastModifiedDate'))) row.LastModifiedDate = row.CreatedDate ?? ctx.nowText;
      if (!(ctx.opts.setAuditFields === true && providedNames.has('LastModifiedById'))) row.LastModifiedById = row.CreatedById ?? ctx.userId;
    }
    // Loaded history keeps its own timeline: the stamp follows the (audit) modification date.
    row.SystemModstamp = (row.LastModifiedDate ?? row.CreatedDate) as string;
    if (def.custom && def.nameField === 'Name' && (row.Name === null || row.Name === undefined)) row.Name = id;
    this.insertRow(def, seq, row);
    afterSave(state, ctx);
    const fields: Record<string, FieldValue> = {};
    for (const f of def.fields) if (row[f.name] !== null && row[f.name] !== undefined) fields[f.name] = fromDb(f, row[f.name]);
    this.queueChange(ctx, def, 'CREATE', id, Object.keys(fields), fields);
    triggers?.afterSave(state, this.triggerContext(ctx));
    return { id, success: true, errors: [] };
  }

  private updateOne(sobject: string | undefined, input: SObjectInput, ctx: WriteContext): SaveResult {
    const rawId = idText(idValue(input));
    if (rawId === null) throw new SalesforceError('MISSING_ARGUMENT', 'Id not specified in an update call', 400, ['Id']);
    const id = normalizeId(rawId);
    if (id === undefined) throw new SalesforceError('MALFORMED_ID', `malformed id ${rawId}`, 400, ['Id']);
    const def = this.schema.byKeyPrefix(id.slice(0, 3));
    if (def === undefined || (sobject !== undefined && def.name.toLowerCase() !== sobject.toLowerCase())) {
      throw new SalesforceError('MALFORMED_ID', `${sobject ?? 'Record'} ID: id value of incorrect type: ${rawId}`, 400, ['Id']);
    }
    this.writableObject(def.name, 'update');
    return this.updateRecord(def, id, input, ctx);
  }

  private updateRecord(def: SObjectDef, id: string, input: SObjectInput, ctx: WriteContext): SaveResult {
    const triggers = this.triggersFor(ctx);
    // A failing after-save flow must take the update with it, so such records get a savepoint.
    if (triggers?.hasAfterSave(def.name) === true) return this.transaction(() => this.saveUpdate(def, id, input, ctx, triggers));
    return this.saveUpdate(def, id, input, ctx, triggers);
  }

  private saveUpdate(def: SObjectDef, id: string, input: SObjectInput, ctx: WriteContext, triggers: RecordTriggers | undefined): SaveResult {
    const prior = this.loadRow(def, id, true);
    if (prior === undefined) throw new SalesforceError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', 400, []);
    if (prior.IsDeleted === 1) throw new SalesforceError('ENTITY_IS_DELETED', 'entity is deleted', 400, []);
    const provided = this.prepareInput(def, input, 'update', ctx);
    const row: Row = { ...prior };
    for (const [fieldDef, value] of provided) row[fieldDef.name] = value;
    const state: WriteState = { def, row, prior, provided: new Set([...provided.keys()].map((f) => f.name)) };
    triggers?.beforeSave(state, this.triggerContext(ctx));
    beforeSave(state, ctx);
    this.checkRequired(def, row, provided);
    this.checkReferences(def, row, prior, ctx);
    this.runRules(def, row, prior, ctx);
    this.checkUnique(def, row, id);
    const changed = def.fields.filter((f) => row[f.name] !== prior[f.name] && f.name !== 'Id').map((f) => f.name);
    if (def.fields.some((f) => f.name === 'LastModifiedDate')) {
      row.LastModifiedDate = ctx.nowText;
      row.LastModifiedById = ctx.userId;
    }
    row.SystemModstamp = ctx.nowText;
    const columns = [...new Set([...changed, 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp'])].filter((name) => def.fields.some((f) => f.name === name));
    this.statement(`UPDATE ${q(def.name)} SET ${columns.map((c) => `${q(c)} = ?`).join(', ')} WHERE "_seq" = ?`).run(
      ...columns.map((c) => row[c] ?? null),
      prior._seq as number,
    );
    if (def.name === 'User') this.timeZones.delete(id);
    afterSave(state, ctx);
    const fields: Record<string, FieldValue> = {};
    const changedFields = [...changed, ...['LastModifiedDate', 'LastModifiedById', 'SystemModstamp'].filter((c) => columns.includes(c) && !changed.includes(c))];
    for (const name of changedFields) {
      const f = def.fields.find((candidate) => candidate.name === name) as FieldDef;
      fields[name] = fromDb(f, row[name]);
    }
    this.queueChange(ctx, def, 'UPDATE', id, changedFields, fields);
    triggers?.afterSave(state, this.triggerContext(ctx));
    return { id, success: true, errors: [] };
  }

  private upsertOne(sobject: string, externalIdField: string, input: SObjectInput, ctx: WriteContext): SaveResult {
    const def = this.schema.find(sobject);
    if (def === undefined) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', 404);
    const extField = this.schema.field(def, externalIdField);
    if (extField === undefined || !(extField.externalId || extField.idLookup)) {
      throw new SalesforceError('NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${externalIdField}`, 404);
    }
    const entry = Object.entries(input ?? {}).find(([key]) => key.toLowerCase() === extField.name.toLowerCase());
    const value = entry?.[1];
    if (extField.name === 'Id') {
      if (value === undefined || value === null || value === '') return { ...this.insertOne(this.writableObject(def.name, 'create'), stripKey(input, 'Id'), ctx), created: true };
      const id = normalizeId(String(value));
      if (id === undefined) throw new SalesforceError('MALFORMED_ID', `malformed id ${String(value)}`, 400, ['Id']);
      return { ...this.updateRecord(this.writableObject(def.name, 'update'), id, stripKey(input, 'Id'), ctx), created: false };
    }
    if (value === undefined || value === null || value === '') {
      throw new SalesforceError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${extField.name}]`, 400, [extField.name]);
    }
    const ids = this.findIdsByField(def.name, extField.name, value as FieldValue);
    if (ids.length > 1) {
      throw new SalesforceError('DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${String(value)}`, 400, [extField.name]);
    }
    if (ids.length === 1) {
      return { ...this.updateRecord(this.writableObject(def.name, 'update'), ids[0] as string, stripKey(input, extField.name), ctx), created: false };
    }
    return { ...this.insertOne(this.writableObject(def.name, 'create'), input, ctx), created: true };
  }

  private deleteOne(rawId: string, sobject: string | undefined, ctx: WriteContext): SaveResult {
    const id = typeof rawId === 'string' ? normalizeId(rawId) : undefined;
    if (id === undefined) throw new SalesforceError('MALFORMED_ID', `malformed id ${String(rawId)}`, 400, []);
    const def = this.schema.byKeyPrefix(id.slice(0, 3));
    if (def === undefined || def.isPlatformEvent || (sobject !== undefined && def.name.toLowerCase() !== sobject.toLowerCase())) {
      throw new SalesforceError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', 400, []);
    }
    this.writableObject(def.name, 'delete');
    const row = this.loadRow(def, id, true);
    if (row === undefined) throw new SalesforceError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', 400, []);
    if (row.IsDeleted === 1) throw new SalesforceError('ENTITY_IS_DELETED', 'entity is deleted', 400, []);
    this.softDelete(def, id, ctx);
    return { id, success: true, errors: [] };
  }

  private softDelete(def: SObjectDef, id: string, ctx: WriteContext): void {
    this.statement(`UPDATE ${q(def.name)} SET "IsDeleted" = 1, "SystemModstamp" = ? WHERE "Id" = ?`).run(ctx.nowText, id);
    this.queueChange(ctx, def, 'DELETE', id, [], {});
    for (const relationship of def.childRelationships) {
      const child = this.schema.find(relationship.childSObject) as SObjectDef;
      if (child.isPlatformEvent) continue;
      const fieldDef = this.schema.field(child, relationship.field) as FieldDef;
      if (relationship.cascadeDelete) {
        const rows = this.statement(`SELECT "Id" FROM ${q(child.name)} WHERE ${q(fieldDef.name)} = ? AND "IsDeleted" = 0`).all(id) as Array<{ Id: string }>;
        for (const childRow of rows) this.softDelete(child, childRow.Id, ctx);
      } else if (fieldDef.custom) {
        // Custom lookups clear themselves when the parent goes (deleteConstraint SetNull).
        this.statement(`UPDATE ${q(child.name)} SET ${q(fieldDef.name)} = NULL, "SystemModstamp" = ? WHERE ${q(fieldDef.name)} = ?`).run(ctx.nowText, id);
      }
    }
  }

  private publish(def: SObjectDef, input: SObjectInput, ctx: WriteContext): SaveResult {
    const provided = this.prepareInput(def, input, 'create', ctx);
    const row: Row = {};
    for (const [fieldDef, value] of provided) row[fieldDef.name] = value;
    for (const f of def.fields) if (!(f.name in row) && f.defaultValue !== null) row[f.name] = toDb(f, f.defaultValue);
    this.checkRequired(def, row, null);
    const id = makeId(def.keyPrefix, this.eventSeq++);
    const uuid = randomUUID();
    const fields: Record<string, FieldValue> = { CreatedDate: ctx.nowText, CreatedById: ctx.userId, EventUuid: uuid };
    for (const f of def.fields) if (f.custom) fields[f.name] = row[f.name] === undefined ? null : fromDb(f, row[f.name]);
    this.pending.push({ kind: 'platform', message: { eventName: def.name, id, fields, publishedAt: ctx.now.getTime() } });
    // Publish-after-commit events answer success with an OPERATION_ENQUEUED notice (Platform Events Developer Guide: "Publish Event Messages").
    return { id, success: true, errors: [{ statusCode: 'OPERATION_ENQUEUED', message: uuid, fields: [] }] };
  }

  // ------------------------------------------------------------------ checks

  private checkRequired(def: SObjectDef, row: Row, provided: Map<FieldDef, DbValue> | null): void {
    const missing = def.fields
      .filter((f) => (provided === null ? f.required : provided.has(f) && !f.nillable && f.type !== 'boolean'))
      .filter((f) => row[f.name] === null || row[f.name] === undefined)
      .map((f) => f.name);
    if (missing.length > 0) {
      throw new SalesforceError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, 400, missing);
    }
  }

  private checkReferences(def: SObjectDef, row: Row, prior: Row | null, ctx: WriteContext): void {
    for (const f of def.fields) {
      if (f.type !== 'reference' || AUDIT_FIELDS.has(f.name)) continue;
      const value = row[f.name];
      if (typeof value !== 'string' || (prior !== null && prior[f.name] === value)) continue;
      const target = this.schema.byKeyPrefix(value.slice(0, 3));
      if (target === undefined || !f.referenceTo.includes(target.name)) {
        throw new SalesforceError('FIELD_INTEGRITY_EXCEPTION', `${f.label}: id value of incorrect type: ${value}`, 400, [f.name]);
      }
      const info = this.referenceInfo(target, value, ctx);
      if (info === null) throw new SalesforceError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, 400, [f.name]);
      if (info.deleted) throw new SalesforceError('ENTITY_IS_DELETED', 'entity is deleted', 400, [f.name]);
      if (f.name === 'OwnerId' && !info.active) {
        throw new SalesforceError('INACTIVE_OWNER_OR_USER', `operation performed with inactive user [${value}] as owner of ${def.label.toLowerCase()}`, 400, [f.name]);
      }
    }
  }

  private referenceInfo(target: SObjectDef, id: string, ctx: WriteContext): { type: string; deleted: boolean; active: boolean } | null {
    const cached = ctx.refCache.get(id);
    if (cached !== undefined) return cached;
    const isUser = target.name === 'User';
    const row = this.statement(`SELECT "IsDeleted"${isUser ? ', "IsActive"' : ''} FROM ${q(target.name)} WHERE "Id" = ?`).get(id) as
      | { IsDeleted: number; IsActive?: number }
      | undefined;
    const info = row === undefined ? null : { type: target.name, deleted: row.IsDeleted === 1, active: !isUser || row.IsActive === 1 };
    ctx.refCache.set(id, info);
    return info;
  }

  private runRules(def: SObjectDef, row: Row, prior: Row | null, ctx: WriteContext): void {
    const rules = this.rules.get(def.name);
    if (rules === undefined || ctx.opts.skipValidationRules === true) return;
    const valueOf = (source: Row, name: string): FormulaValue => {
      const f = this.schema.field(def, name);
      return f === undefined ? null : fromDb(f, source[f.name]);
    };
    const scope: FormulaScope = {
      value: (name) => valueOf(row, name),
      prior: (name) => (prior === null ? null : valueOf(prior, name)),
      hasField: (name) => this.schema.field(def, name) !== undefined,
      isNew: prior === null,
      now: ctx.now,
    };
    for (const rule of rules) {
      if (rule.evaluate(scope) === true) {
        const field = rule.displayField === null ? undefined : this.schema.field(def, rule.displayField);
        throw new SalesforceError('FIELD_CUSTOM_VALIDATION_EXCEPTION', rule.message, 400, field === undefined ? [] : [field.name]);
      }
    }
  }

  private checkUnique(def: SObjectDef, row: Row, selfId: string | null): void {
    for (const f of def.fields) {
      if (!f.unique || f.name === 'Id') continue;
      const value = row[f.name];
      if (value === null || value === undefined) continue;
      const collate = f.caseSensitive ? ' COLLATE BINARY' : '';
      const hit = this.statement(`SELECT "Id" FROM ${q(def.name)} WHERE ${q(f.name)}${collate} = ? AND "IsDeleted" = 0 AND "Id" IS NOT ? LIMIT 1`).get(value, selfId) as
        | { Id: string }
        | undefined;
      if (hit === undefined) continue;
      if (def.name === 'User' && f.name === 'Username') {
        throw new SalesforceError('DUPLICATE_USERNAME', 'Duplicate Username.<br>The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations.', 400, ['Username']);
      }
      throw new SalesforceError('DUPLICATE_VALUE', `duplicate value found: ${f.name} duplicates value on record with id: ${hit.Id}`, 400, [f.name]);
    }
  }

  // ------------------------------------------------------------------ rows

  private nextSeq(def: SObjectDef): number {
    const seq = this.sequences.get(def.name) ?? 1;
    this.sequences.set(def.name, seq + 1);
    return seq;
  }

  private nextAutoNumber(object: string, field: string): number {
    const key = `${object}.${field}`;
    const row = this.statement('SELECT "next" FROM "_autonumber" WHERE "key" = ?').get(key) as { next: number } | undefined;
    const value = row?.next ?? (object === 'Case' ? 1001 : 1);
    this.statement('INSERT INTO "_autonumber" ("key", "next") VALUES (?, ?) ON CONFLICT("key") DO UPDATE SET "next" = excluded."next"').run(key, value + 1);
    return value;
  }

  private insertRow(def: SObjectDef, seq: number, row: Row): void {
    let prepared = this.inserts.get(def.name);
    if (prepared === undefined) {
      const names = def.fields.map((f) => f.name);
      const statement = this.db.prepare(`INSERT INTO ${q(def.name)} ("_seq", ${names.map(q).join(', ')}) VALUES (?${', ?'.repeat(names.length)})`);
      prepared = { names, statement };
      this.inserts.set(def.name, prepared);
    }
    const values: DbValue[] = [seq];
    for (const name of prepared.names) values.push(row[name] ?? null);
    prepared.statement.run(...values);
  }

  private writeHistory(row: Row, ctx: WriteContext): void {
    const def = this.schema.find('OpportunityHistory') as SObjectDef;
    const seq = this.nextSeq(def);
    this.insertRow(def, seq, { ...row, Id: makeId(def.keyPrefix, seq), IsDeleted: 0, CreatedDate: ctx.nowText, CreatedById: ctx.userId, SystemModstamp: ctx.nowText });
  }

  private loadRow(def: SObjectDef, id: string, includeDeleted: boolean): Row | undefined {
    const row = this.statement(`SELECT * FROM ${q(def.name)} WHERE "Id" = ?`).get(id) as Row | undefined;
    if (row === undefined || (!includeDeleted && row.IsDeleted === 1)) return undefined;
    return row;
  }

  private queueChange(ctx: WriteContext, def: SObjectDef, changeType: ChangeEvent['changeType'], id: string, changedFields: string[], fields: Record<string, FieldValue>): void {
    if (ctx.opts.silent === true || def.name === 'OpportunityHistory') return;
    this.pending.push({
      kind: 'change',
      event: { entityName: def.name, changeType, recordIds: [id], changedFields, commitTimestamp: ctx.now.getTime(), commitUser: ctx.userId, fields },
    });
  }

  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      if (this.statements.size > 1000) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** The running user's time zone (date literals, Event.ActivityDate). */
  userTimeZone(userId: string): string {
    let zone = this.timeZones.get(userId);
    if (zone === undefined) {
      const row = this.statement('SELECT "TimeZoneSidKey" FROM "User" WHERE "Id" = ?').get(userId) as { TimeZoneSidKey: string | null } | undefined;
      zone = row?.TimeZoneSidKey ?? this.org.timeZone;
      this.timeZones.set(userId, zone);
    }
    return zone;
  }

  // ------------------------------------------------------------------ reads

  /** Live (not deleted) record ids whose field equals the value (case-insensitive unless the field is case-sensitive). */
  findIdsByField(sobject: string, field: string, value: FieldValue): string[] {
    const def = this.schema.find(sobject);
    const f = def === undefined ? undefined : this.schema.field(def, field);
    if (def === undefined || f === undefined || def.isPlatformEvent) return [];
    let stored: DbValue;
    try {
      stored = toDb({ ...f, restrictedPicklist: false, length: 0 }, value);
    } catch {
      return [];
    }
    if (stored === null) return [];
    const rows = this.statement(`SELECT "Id" FROM ${q(def.name)} WHERE ${q(f.name)} = ? AND "IsDeleted" = 0 ORDER BY "_seq" LIMIT 10`).all(stored) as Array<{ Id: string }>;
    return rows.map((row) => row.Id);
  }

  /**
   * One record in the REST shape with all fields (or the listed ones), or null when it does
   * not exist. Deleted records throw ENTITY_IS_DELETED; unknown fields INVALID_FIELD.
   */
  get(sobject: string, rawId: string, fields?: string[], urlBase = ''): SObjectRecord | null {
    const def = this.schema.find(sobject);
    if (def === undefined || def.isPlatformEvent) return null;
    const id = normalizeId(rawId);
    if (id === undefined || id.slice(0, 3) !== def.keyPrefix) return null;
    const selected = fields === undefined ? def.fields : fields.map((name) => {
      const f = this.schema.field(def, name.trim());
      if (f === undefined) {
        throw new SalesforceError('INVALID_FIELD', `No such column '${name.trim()}' on entity '${def.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`, 400);
      }
      return f;
    });
    const row = this.loadRow(def, id, true);
    if (row === undefined) return null;
    if (row.IsDeleted === 1) throw new SalesforceError('ENTITY_IS_DELETED', 'entity is deleted', 404);
    const record: SObjectRecord = { attributes: { type: def.name, url: `${urlBase}/sobjects/${def.name}/${id}` } };
    for (const f of selected) record[f.name] = fromDb(f, row[f.name]);
    return record;
  }

  private soqlEnv(opts: QueryOptions): SoqlEnv {
    const userId = opts.userId ?? this.adminUserId;
    return { schema: this.schema, now: this.now(), timeZone: this.userTimeZone(userId), userId, queryAll: opts.queryAll === true };
  }

  /** Compiles without running (validation of Bulk API query jobs, previews). Throws SalesforceError. */
  plan(soql: string, opts: QueryOptions = {}): QueryPlan {
    return compileSoql(soql, this.soqlEnv(opts));
  }

  /**
   * The first page of a query (REST API Developer Guide: "Execute a SOQL Query"). When more
   * records remain, `nextLocator` (`01g...-N`) continues it through queryMore; locators
   * expire after 15 minutes unused and a user keeps at most 10 open, like query cursors.
   */
  query(soql: string, opts: QueryOptions = {}): QueryPage {
    const plan = this.plan(soql, opts);
    const urlBase = opts.urlBase ?? '';
    const batchSize = clampBatch(opts.batchSize);
    if (plan.kind === 'count') {
      const row = this.statement(plan.sql).get(...plan.params) as Record<string, number>;
      return { totalSize: Number(Object.values(row)[0] ?? 0), done: true, records: [] };
    }
    if (plan.kind === 'aggregate') {
      const rows = this.aggregateRows(plan);
      if (rows.length > DEFAULT_BATCH && !plan.hasLimit) {
        throw new SalesforceError('EXCEEDED_ID_LIMIT', 'Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch', 400);
      }
      return { totalSize: rows.length, done: true, records: rows.map((row) => plan.toRecord(row)) };
    }
    const keys = this.matchingKeys(plan);
    const records = this.fetchPage(plan, keys.slice(0, batchSize), urlBase);
    if (keys.length <= batchSize) return { totalSize: keys.length, done: true, records };
    const locator = this.openCursor({ plan, keys, position: batchSize, userId: opts.userId ?? this.adminUserId, urlBase, lastUsed: this.now().getTime() });
    return { totalSize: keys.length, done: false, nextLocator: `${locator}-${batchSize}`, records };
  }

  /** The next page of an open query ("Retrieve the Remaining SOQL Query Results"). */
  queryMore(locatorWithPosition: string, batchSize?: number, userId?: string): QueryPage {
    const match = /^(01g[A-Za-z0-9]{12,15})-(\d+)$/.exec(locatorWithPosition);
    const cursor = match === null ? undefined : this.cursors.get(match[1] as string);
    const now = this.now().getTime();
    if (match === null || cursor === undefined || now - cursor.lastUsed > CURSOR_IDLE_MS || (userId !== undefined && cursor.userId !== userId)) {
      if (match !== null) this.cursors.delete(match[1] as string);
      throw new SalesforceError('INVALID_QUERY_LOCATOR', 'invalid query locator', 400);
    }
    const locator = match[1] as string;
    const start = Number(match[2]);
    if (start > cursor.keys.length) throw new SalesforceError('INVALID_QUERY_LOCATOR', 'invalid query locator', 400);
    const size = clampBatch(batchSize);
    const end = Math.min(cursor.keys.length, start + size);
    const records = this.fetchPage(cursor.plan, cursor.keys.slice(start, end), cursor.urlBase);
    cursor.lastUsed = now;
    cursor.position = end;
    if (end >= cursor.keys.length) {
      this.cursors.delete(locator);
      return { totalSize: cursor.keys.length, done: true, records };
    }
    return { totalSize: cursor.keys.length, done: false, nextLocator: `${locator}-${end}`, records };
  }

  /** Every record of a query, read lazily in pages of 2,000 (Bulk API 2.0 query jobs). */
  stream(soql: string, opts: QueryOptions = {}): QueryStream {
    const plan = this.plan(soql, opts);
    const urlBase = opts.urlBase ?? '';
    if (plan.kind === 'count') {
      const page = this.query(soql, opts);
      return { columns: [], totalSize: page.totalSize, records: [][Symbol.iterator](), close: () => undefined };
    }
    if (plan.kind === 'aggregate') {
      const rows = this.aggregateRows(plan).map((row) => plan.toRecord(row));
      return { columns: plan.columns, totalSize: rows.length, records: rows[Symbol.iterator](), close: () => undefined };
    }
    const keys = this.matchingKeys(plan);
    let closed = false;
    const fetchPage = (slice: number[]): SObjectRecord[] => this.fetchPage(plan, slice, urlBase);
    function* generate(): IterableIterator<SObjectRecord> {
      for (let start = 0; start < keys.length && !closed; start += DEFAULT_BATCH) {
        yield* fetchPage(keys.slice(start, start + DEFAULT_BATCH));
      }
    }
    return { columns: plan.columns, totalSize: keys.length, records: generate(), close: () => void (closed = true) };
  }

  private aggregateRows(plan: AggregatePlan): unknown[][] {
    const statement = this.db.prepare(plan.sql);
    statement.setReturnArrays(true);
    return statement.all(...plan.params) as unknown as unknown[][];
  }

  private matchingKeys(plan: RecordPlan): number[] {
    const statement = this.db.prepare(plan.keySql);
    statement.setReturnArrays(true);
    const keys: number[] = [];
    for (const row of statement.iterate(...plan.keyParams) as Iterable<unknown[]>) keys.push(row[0] as number);
    return keys;
  }

  private fetchPage(plan: RecordPlan, keys: number[], urlBase: string): SObjectRecord[] {
    if (keys.length === 0) return [];
    const statement = this.statement(plan.pageSql(keys.length));
    statement.setReturnArrays(true);
    const rows = statement.all(...keys) as unknown as unknown[][];
    const bySeq = new Map<number, unknown[]>(rows.map((row) => [row[0] as number, row]));
    const records: SObjectRecord[] = [];
    for (const key of keys) {
      const row = bySeq.get(key);
      if (row !== undefined) records.push(plan.toRecord(row, urlBase));
    }
    if (plan.children.length > 0) this.attachChildren(plan, records, urlBase);
    return records;
  }

  private attachChildren(plan: RecordPlan, records: SObjectRecord[], urlBase: string): void {
    const ids = records.map((record) => (record.attributes.url ?? '').split('/').pop() as string);
    for (const child of plan.children) {
      const statement = this.statement(child.sql(ids.length));
      statement.setReturnArrays(true);
      const rows = statement.all(...ids, ...child.params) as unknown as unknown[][];
      const byParent = new Map<string, SObjectRecord[]>();
      for (const row of rows) {
        const list = byParent.get(row[0] as string) ?? [];
        if (child.limit === undefined || list.length < child.limit) list.push(child.toRecord(row, urlBase));
        byParent.set(row[0] as string, list);
      }
      records.forEach((record, index) => {
        const list = byParent.get(ids[index] as string);
        record[child.key] = list === undefined ? null : { totalSize: list.length, done: true, records: list };
      });
    }
  }

  private openCursor(cursor: Cursor): string {
    const now = this.now().getTime();
    for (const [locator, open] of this.cursors) if (now - open.lastUsed > CURSOR_IDLE_MS) this.cursors.delete(locator);
    const mine = [...this.cursors.entries()].filter(([, open]) => open.userId === cursor.userId);
    if (mine.length >= CURSORS_PER_USER) {
      // The oldest cursor closes when a user opens one more (SOQL reference: query cursors).
      const oldest = mine.sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0];
      if (oldest !== undefined) this.cursors.delete(oldest[0]);
    }
    const locator = makeId('01g', this.cursorSeq++).slice(0, 18);
    this.cursors.set(locator, cursor);
    return locator;
  }

  /** Record count of an object (live rows), for limits and tests. */
  count(sobject: string): number {
    const def = this.schema.find(sobject);
    if (def === undefined || def.isPlatformEvent) return 0;
    const row = this.statement(`SELECT COUNT(*) AS n FROM ${q(def.name)} WHERE "IsDeleted" = 0`).get() as { n: number };
    return row.n;
  }

  /** The sequence number behind an id (tests, loaders resuming). */
  static sequenceOf(id: string): number {
    return sequenceOf(id);
  }
}

function clampBatch(batchSize: number | undefined): number {
  if (batchSize === undefined || !Number.isFinite(batchSize)) return DEFAULT_BATCH;
  // Salesforce honours 200..2,000 and treats it as a hint (REST API: "Query Options Header").
  return Math.min(DEFAULT_BATCH, Math.max(200, Math.floor(batchSize)));
}

function failure(id: string | null, error: SalesforceError): SaveResult {
  return { id, success: false, errors: [error.toRecordError()] };
}

/** JSON field names are case-insensitive (jsforce sends `id`). */
function idValue(record: SObjectInput | undefined): unknown {
  if (record === null || typeof record !== 'object') return undefined;
  const key = Object.keys(record).find((name) => name.toLowerCase() === 'id');
  return key === undefined ? undefined : record[key];
}

function idText(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function stripKey(input: SObjectInput, key: string): SObjectInput {
  return Object.fromEntries(Object.entries(input).filter(([name]) => name.toLowerCase() !== key.toLowerCase()));
}
