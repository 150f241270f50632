/**
 * Small builders for field definitions, so the standard objects read like their describe
 * results. Defaults follow the describe of a plain custom field: nillable, createable,
 * updateable, filterable, not unique.
 */
import type { FieldDef, FieldType, PicklistValue, SObjectDef } from './types';

export type FieldPatch = Partial<FieldDef>;

export function field(name: string, type: FieldType, patch: FieldPatch = {}): FieldDef {
  const textual = ['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist'].includes(type);
  const base: FieldDef = {
    name,
    label: patch.label ?? labelOf(name),
    type,
    length: textual ? 255 : type === 'id' || type === 'reference' ? 18 : 0,
    precision: 0,
    scale: 0,
    custom: name.endsWith('__c'),
    nillable: true,
    required: false,
    createable: true,
    updateable: true,
    filterable: type !== 'textarea' || (patch.length ?? 255) <= 255,
    sortable: type !== 'textarea' || (patch.length ?? 255) <= 255,
    groupable: !['double', 'currency', 'percent', 'datetime', 'textarea'].includes(type),
    calculated: false,
    formula: null,
    externalId: false,
    unique: false,
    caseSensitive: false,
    idLookup: type === 'id',
    nameField: false,
    autoNumber: false,
    defaultValue: null,
    defaultedOnCreate: false,
    picklistValues: [],
    restrictedPicklist: false,
    referenceTo: [],
    relationshipName: null,
    cascadeDelete: false,
    inlineHelpText: null,
  };
  const def = { ...base, ...patch };
  if (def.type === 'boolean') {
    def.nillable = false;
    def.defaultedOnCreate = true;
    def.defaultValue ??= false;
  }
  def.required = !def.nillable && def.createable && !def.defaultedOnCreate && def.defaultValue === null;
  return def;
}

/** A read-only field the org maintains (audit fields, derived flags). */
export function readOnly(name: string, type: FieldType, patch: FieldPatch = {}): FieldDef {
  return field(name, type, { createable: false, updateable: false, defaultedOnCreate: true, ...patch });
}

export function text(name: string, length: number, patch: FieldPatch = {}): FieldDef {
  return field(name, 'string', { length, ...patch });
}

export function lookup(name: string, referenceTo: string[], relationshipName: string, patch: FieldPatch = {}): FieldDef {
  return field(name, 'reference', { referenceTo, relationshipName, ...patch });
}

export function picklist(name: string, values: Array<string | PicklistValue>, patch: FieldPatch = {}): FieldDef {
  const picklistValues = values.map((value) => (typeof value === 'string' ? pick(value) : value));
  const defaultEntry = picklistValues.find((value) => value.defaultValue);
  return field(name, 'picklist', {
    length: 255,
    picklistValues,
    defaultValue: defaultEntry?.value ?? null,
    defaultedOnCreate: defaultEntry !== undefined,
    ...patch,
  });
}

export function pick(value: string, extra: Partial<PicklistValue> = {}): PicklistValue {
  return { value, label: value, active: true, defaultValue: false, ...extra };
}

export function number(name: string, type: 'int' | 'double' | 'currency' | 'percent', precision: number, scale: number, patch: FieldPatch = {}): FieldDef {
  return field(name, type, { precision, scale, ...patch });
}

/** "BillingCity" -> "Billing City", "Bin__c" -> "Bin". */
export function labelOf(name: string): string {
  return name
    .replace(/__[a-z]$/i, '')
    .replace(/Id$/, name === 'Id' ? 'Id' : ' ID')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim();
}

/** The fields every stored sObject carries (SOAP API Developer Guide: "System Fields"). */
export function systemFields(options: { owner: boolean; lastModified?: boolean }): FieldDef[] {
  const fields: FieldDef[] = [
    readOnly('Id', 'id', { label: 'Record ID', nillable: false, idLookup: true, groupable: true }),
    readOnly('IsDeleted', 'boolean', { label: 'Deleted', defaultValue: false }),
    readOnly('CreatedDate', 'datetime', { label: 'Created Date', nillable: false }),
    readOnly('CreatedById', 'reference', { label: 'Created By ID', nillable: false, referenceTo: ['User'], relationshipName: 'CreatedBy' }),
  ];
  if (options.lastModified !== false) {
    fields.push(
      readOnly('LastModifiedDate', 'datetime', { label: 'Last Modified Date', nillable: false }),
      readOnly('LastModifiedById', 'reference', { label: 'Last Modified By ID', nillable: false, referenceTo: ['User'], relationshipName: 'LastModifiedBy' }),
    );
  }
  fields.push(readOnly('SystemModstamp', 'datetime', { label: 'System Modstamp', nillable: false }));
  if (options.owner) {
    fields.push(
      field('OwnerId', 'reference', {
        label: 'Owner ID',
        nillable: false,
        defaultedOnCreate: true,
        referenceTo: ['User'],
        relationshipName: 'Owner',
      }),
    );
  }
  return fields;
}

export interface ObjectSpec {
  name: string;
  label?: string;
  labelPlural?: string;
  keyPrefix: string;
  owner: boolean;
  lastModified?: boolean;
  nameField?: string | null;
  createable?: boolean;
  updateable?: boolean;
  deletable?: boolean;
  fields: FieldDef[];
}

export function sobject(spec: ObjectSpec): SObjectDef {
  const label = spec.label ?? labelOf(spec.name);
  const own = spec.fields;
  const fields = [...systemFields({ owner: spec.owner, lastModified: spec.lastModified }), ...own];
  const nameField = spec.nameField === undefined ? (own.some((f) => f.name === 'Name') ? 'Name' : null) : spec.nameField;
  for (const f of fields) if (f.name === nameField) f.nameField = true;
  return {
    name: spec.name,
    label,
    labelPlural: spec.labelPlural ?? `${label}s`,
    keyPrefix: spec.keyPrefix,
    custom: spec.name.endsWith('__c') || spec.name.endsWith('__e'),
    isPlatformEvent: spec.name.endsWith('__e'),
    createable: spec.createable ?? true,
    updateable: spec.updateable ?? true,
    deletable: spec.deletable ?? true,
    queryable: true,
    nameField,
    fields,
    childRelationships: [],
    validationRules: [],
  };
}
