/**
 * Turns the store's change notifications into Change Data Capture event payloads, shaped
 * as Salesforce delivers them over CometD (Change Data Capture Developer Guide: "Change
 * Event Message Structure", "ChangeEventHeader Fields", "Get Compound Fields in Change
 * Events"):
 *
 * - the header carries entityName, recordIds, changeType, changeOrigin, transactionKey,
 *   sequenceNumber (1-based within the transaction), commitTimestamp, commitNumber,
 *   commitUser, nulledFields, diffFields and changedFields (empty except for updates);
 * - CREATE and UNDELETE carry every field of the record, null when empty; UPDATE carries
 *   the changed fields only (a field set to null is present with null); DELETE none;
 * - compound fields are nested: Lead/Contact `Name: { FirstName, LastName, ... }`,
 *   `BillingAddress: { Street, City, ... }`, and an updated component is listed in
 *   changedFields as `Name.LastName` / `BillingAddress.City`;
 * - the record id, IsDeleted, SystemModstamp and formula fields are not part of the body.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { FieldDef, OrgSchema, SObjectDef } from '../schema/types';
import type { ChangeEvent, FieldValue } from '../store/types';

const NAME_COMPONENTS = ['Salutation', 'FirstName', 'MiddleName', 'LastName', 'Suffix'];
const ADDRESS_COMPONENTS = ['Street', 'City', 'State', 'PostalCode', 'Country', 'StateCode', 'CountryCode', 'Latitude', 'Longitude', 'GeocodeAccuracy'];
const NOT_IN_BODY = new Set(['Id', 'IsDeleted', 'SystemModstamp']);

/** Optional facts a store may add to its change notification (see the helper report). */
export interface ChangeEventExtras {
  transactionKey?: string;
  changeOrigin?: string;
}

export interface ChangeEventPayload {
  entityName: string;
  /** Epoch ms of the commit: retention runs from here. */
  commitTimestamp: number;
  schema: string;
  payload: Record<string, unknown>;
}

interface Layout {
  bodyFields: Map<string, FieldDef>;
  /** Component field -> its compound and component name (FirstName -> Name.FirstName). */
  componentOf: Map<string, { compound: string; component: string }>;
  /** Names of compound fields that replace a scalar of the same name (Lead's Name). */
  compoundNames: Set<string>;
}

interface CompoundField {
  name: string;
  /** Object field name -> component name inside the compound. */
  components: Map<string, string>;
}

export class ChangeEventBuilder {
  private readonly compounds = new Map<string, CompoundField[]>();
  private readonly schemaIds = new Map<string, string>();
  private readonly nullBodies = new Map<string, Record<string, unknown>>();
  private readonly bodyFieldLists = new Map<string, FieldDef[]>();
  private readonly layouts = new Map<string, Layout>();
  private transaction: { key: string; sequence: number; commitNumber: number } | undefined;
  private commitNumber: number;

  constructor(
    private readonly schema: OrgSchema,
    /** Commit numbers only grow: start above everything already stored. */
    firstCommitNumber: number,
  ) {
    this.commitNumber = firstCommitNumber;
  }

  build(event: ChangeEvent & ChangeEventExtras): ChangeEventPayload | undefined {
    const object = this.schema.find(event.entityName);
    if (object === undefined) return undefined;
    const tx = this.currentTransaction(event.transactionKey);
    const header = {
      entityName: object.name,
      recordIds: [...event.recordIds],
      changeType: event.changeType,
      changeOrigin: event.changeOrigin ?? '',
      transactionKey: tx.key,
      sequenceNumber: tx.sequence,
      commitTimestamp: event.commitTimestamp,
      commitNumber: tx.commitNumber,
      commitUser: event.commitUser,
      nulledFields: [] as string[],
      diffFields: [] as string[],
      changedFields: event.changeType === 'UPDATE' ? this.changedFieldNames(object, event) : [],
    };
    const payload: Record<string, unknown> = { ChangeEventHeader: header };
    this.body(object, event, payload);
    return { entityName: object.name, commitTimestamp: event.commitTimestamp, schema: this.schemaId(object), payload };
  }

  /**
   * The payload as subscribers receive it. `build` gives CREATE and UNDELETE bodies without
   * their null fields (what the log stores: a million-row load would otherwise store a
   * million copies of the same nulls); this restores every field, null when empty.
   */
  expand(payload: Record<string, unknown>): Record<string, unknown> {
    const header = payload.ChangeEventHeader as { entityName?: string } | undefined;
    const object = header?.entityName === undefined ? undefined : this.schema.find(header.entityName);
    if (object === undefined || !isFullBody(payload)) return payload;
    const full: Record<string, unknown> = { ChangeEventHeader: header };
    const compounds = new Map(this.compoundsOf(object).map((c) => [c.name, c]));
    for (const [key, empty] of Object.entries(this.nullBody(object))) {
      const given = payload[key];
      const compound = compounds.get(key);
      if (given === undefined) full[key] = empty;
      else if (compound !== undefined && isObject(given)) full[key] = { ...Object.fromEntries([...compound.components.values()].map((c) => [c, null])), ...given };
      else full[key] = given;
    }
    return full;
  }

  private bodyFields(object: SObjectDef): FieldDef[] {
    let fields = this.bodyFieldLists.get(object.name);
    if (fields === undefined) {
      fields = object.fields.filter((field) => !NOT_IN_BODY.has(field.name) && !field.calculated);
      this.bodyFieldLists.set(object.name, fields);
    }
    return fields;
  }

  private nullBody(object: SObjectDef): Record<string, unknown> {
    let body = this.nullBodies.get(object.name);
    if (body === undefined) {
      const values: Record<string, FieldValue> = {};
      for (const field of this.bodyFields(object)) values[field.name] = null;
      body = this.nest(object, values, true);
      this.nullBodies.set(object.name, body);
    }
    return body;
  }

  /**
   * Notifications emitted in one synchronous run come from one committed transaction
   * (the store emits them after COMMIT); a store that names its transactions wins.
   */
  private currentTransaction(explicitKey: string | undefined): { key: string; sequence: number; commitNumber: number } {
    if (this.transaction !== undefined && (explicitKey === undefined || explicitKey === this.transaction.key)) {
      this.transaction.sequence += 1;
      return this.transaction;
    }
    this.commitNumber += 1;
    const tx = { key: explicitKey ?? randomUUID(), sequence: 1, commitNumber: this.commitNumber };
    this.transaction = tx;
    queueMicrotask(() => {
      if (this.transaction === tx) this.transaction = undefined;
    });
    return tx;
  }

  /** The body fields of the event, compounds nested; CREATE/UNDELETE leave their nulls out. */
  private body(object: SObjectDef, event: ChangeEvent, out: Record<string, unknown>): void {
    if (event.changeType === 'DELETE') return;
    const layout = this.layoutOf(object);
    const update = event.changeType === 'UPDATE';
    for (const name in event.fields) {
      const value = event.fields[name] ?? null;
      if (!update && value === null) continue;
      // The store names fields canonically; REST-style any-case names still resolve.
      const field = layout.bodyFields.get(name) ?? layout.bodyFields.get(this.schema.field(object, name)?.name ?? '');
      if (field === undefined || layout.compoundNames.has(field.name)) continue;
      const component = layout.componentOf.get(field.name);
      if (component === undefined) {
        out[field.name] = jsonValue(field, value);
        continue;
      }
      let nested = out[component.compound] as Record<string, unknown> | undefined;
      if (nested === undefined) out[component.compound] = nested = {};
      nested[component.component] = jsonValue(field, value);
    }
  }

  private layoutOf(object: SObjectDef): Layout {
    let layout = this.layouts.get(object.name);
    if (layout === undefined) {
      const componentOf = new Map<string, { compound: string; component: string }>();
      for (const compound of this.compoundsOf(object)) {
        for (const [fieldName, component] of compound.components) componentOf.set(fieldName, { compound: compound.name, component });
      }
      layout = {
        bodyFields: new Map(this.bodyFields(object).map((field) => [field.name, field])),
        componentOf,
        compoundNames: new Set(this.compoundsOf(object).map((compound) => compound.name)),
      };
      this.layouts.set(object.name, layout);
    }
    return layout;
  }

  /** Folds component fields into their compound; `complete` fills absent components with null. */
  private nest(object: SObjectDef, values: Record<string, FieldValue>, complete: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = { ...values };
    for (const compound of this.compoundsOf(object)) {
      const nested: Record<string, FieldValue> = {};
      let touched = false;
      for (const [fieldName, component] of compound.components) {
        if (fieldName in values) {
          nested[component] = values[fieldName] ?? null;
          touched = true;
          delete out[fieldName];
        } else if (complete) {
          nested[component] = null;
        }
      }
      if (compound.name === 'Name') delete out.Name;
      if (complete) out[compound.name] = Object.values(nested).every((value) => value === null) && compound.name !== 'Name' ? null : nested;
      else if (touched) out[compound.name] = nested;
    }
    return out;
  }

  private changedFieldNames(object: SObjectDef, event: ChangeEvent): string[] {
    const names = new Set<string>();
    const componentOf = new Map<string, string>();
    for (const compound of this.compoundsOf(object)) {
      for (const [fieldName, component] of compound.components) componentOf.set(fieldName, `${compound.name}.${component}`);
    }
    for (const name of [...event.changedFields, ...Object.keys(event.fields)]) {
      const field = this.schema.field(object, name);
      if (field === undefined || NOT_IN_BODY.has(field.name) || field.calculated) continue;
      names.add(componentOf.get(field.name) ?? field.name);
    }
    return [...names];
  }

  private compoundsOf(object: SObjectDef): CompoundField[] {
    const cached = this.compounds.get(object.name);
    if (cached !== undefined) return cached;
    const has = (name: string): boolean => object.fields.some((field) => field.name === name);
    const found: CompoundField[] = [];
    if (has('FirstName') && has('LastName')) {
      found.push({ name: 'Name', components: new Map(NAME_COMPONENTS.filter(has).map((c) => [c, c])) });
    }
    for (const field of object.fields) {
      const prefix = /^(\w*)Street$/.exec(field.name)?.[1];
      if (prefix === undefined || field.custom) continue;
      const components = new Map(ADDRESS_COMPONENTS.filter((c) => has(`${prefix}${c}`)).map((c) => [`${prefix}${c}`, c]));
      found.push({ name: `${prefix}Address`, components });
    }
    this.compounds.set(object.name, found);
    return found;
  }

  private schemaId(object: SObjectDef): string {
    let id = this.schemaIds.get(object.name);
    if (id === undefined) {
      id = schemaIdOf(object);
      this.schemaIds.set(object.name, id);
    }
    return id;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFullBody(payload: Record<string, unknown>): boolean {
  const changeType = (payload.ChangeEventHeader as { changeType?: string } | undefined)?.changeType;
  return changeType === 'CREATE' || changeType === 'UNDELETE';
}

/** CometD's JSON writes datetimes as ISO 8601 in UTC (`...000Z`), not REST's `+0000`. */
function jsonValue(field: FieldDef, value: FieldValue): FieldValue {
  return field.type === 'datetime' && typeof value === 'string' ? value.replace(/\+0000$/, 'Z') : value;
}

/** A stable id of an event's field set (Salesforce names each event schema version by an id). */
export function schemaIdOf(object: SObjectDef): string {
  const shape = `${object.name}:${object.fields.map((f) => `${f.name}/${f.type}`).join(',')}`;
  return createHash('sha256').update(shape).digest('base64url').slice(0, 22);
}
