/**
 * The org's schema: sObject and field definitions, as describe reports them.
 *
 * Types follow the names of the REST describe `type` attribute (REST API Developer Guide:
 * "sObject Describe"; SOAP API Developer Guide: "Field Types"), so a definition can be
 * turned into a describe result without translation.
 */

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multipicklist'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'time'
  | 'reference';

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
  /** Standard value sets carry extra facts the org derives fields from. */
  closed?: boolean;
  won?: boolean;
  converted?: boolean;
  probability?: number;
  forecastCategory?: string;
}

export interface FieldDef {
  /** API name with its exact case (`Bin__c`, `OwnerId`). */
  name: string;
  label: string;
  type: FieldType;
  /** Maximum characters for text types. */
  length: number;
  precision: number;
  scale: number;
  custom: boolean;
  nillable: boolean;
  /** Required on create: not nillable, createable and without a default. */
  required: boolean;
  createable: boolean;
  updateable: boolean;
  filterable: boolean;
  sortable: boolean;
  groupable: boolean;
  calculated: boolean;
  formula: string | null;
  externalId: boolean;
  unique: boolean;
  caseSensitive: boolean;
  idLookup: boolean;
  nameField: boolean;
  autoNumber: boolean;
  /** Default applied on create when the field is absent (not when it is sent as null). */
  defaultValue: string | number | boolean | null;
  defaultedOnCreate: boolean;
  picklistValues: PicklistValue[];
  restrictedPicklist: boolean;
  referenceTo: string[];
  /** `Owner` for OwnerId, `Station__r` for Station__c. */
  relationshipName: string | null;
  cascadeDelete: boolean;
  inlineHelpText: string | null;
  /** Lookups: the name of the child relationship on the parent (`Dispositions__r`). */
  childRelationshipName?: string | null;
}

export interface ChildRelationship {
  childSObject: string;
  field: string;
  relationshipName: string | null;
  cascadeDelete: boolean;
}

export interface ValidationRule {
  name: string;
  active: boolean;
  errorConditionFormula: string;
  errorMessage: string;
  errorDisplayField: string | null;
}

export interface SObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  /** Platform events (`__e`) are published, never stored or queried. */
  isPlatformEvent: boolean;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  queryable: boolean;
  /** The field holding the record's name, when it has one. */
  nameField: string | null;
  fields: FieldDef[];
  childRelationships: ChildRelationship[];
  validationRules: ValidationRule[];
}

/** Case-insensitive access to the schema, as SOQL and the REST paths are case-insensitive. */
export interface OrgSchema {
  readonly objects: ReadonlyMap<string, SObjectDef>;
  /** The object by API name in any case, or undefined. */
  find(name: string): SObjectDef | undefined;
  /** The object whose ids start with this 3-character key prefix. */
  byKeyPrefix(prefix: string): SObjectDef | undefined;
  /** A field of an object by API name in any case, or undefined. */
  field(object: SObjectDef, name: string): FieldDef | undefined;
  /** A lookup field of an object by relationship name (`Owner`, `Station__r`). */
  relationship(object: SObjectDef, relationshipName: string): FieldDef | undefined;
  /** A child relationship of an object by name (`Contacts`, `Dispositions__r`). */
  childRelationship(object: SObjectDef, relationshipName: string): ChildRelationship | undefined;
}
