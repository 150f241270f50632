/**
 * The org's schema: the built-in standard objects merged with force-app (custom objects,
 * platform events, custom fields on standard objects, value sets, validation rules).
 */
import { field, lookup, readOnly, sobject, text } from './build';
import { readForceApp, type ForceAppObject } from './forceApp';
import { standardObjects } from './standard';
import { customKeyPrefix } from '../store/ids';
import type { ChildRelationship, FieldDef, OrgSchema, PicklistValue, SObjectDef } from './types';

export type { OrgSchema } from './types';

export interface LoadSchemaOptions {
  /** sfdx package directory; absent: standard objects only. */
  forceAppDir?: string;
  /** Key prefixes already given to custom objects (persisted by the store), by object name. */
  keyPrefixes?: Record<string, string>;
}

export interface LoadedSchema {
  schema: OrgSchema;
  warnings: string[];
}

/** Which standard fields take their values from which standard value set. */
const STANDARD_VALUE_SETS: Record<string, string[]> = {
  OpportunityStage: ['Opportunity.StageName', 'OpportunityHistory.StageName'],
  LeadSource: ['Lead.LeadSource', 'Contact.LeadSource', 'Opportunity.LeadSource', 'Account.AccountSource'],
  LeadStatus: ['Lead.Status'],
  Industry: ['Lead.Industry', 'Account.Industry'],
  AccountType: ['Account.Type'],
  OpportunityType: ['Opportunity.Type'],
  CaseStatus: ['Case.Status'],
  CasePriority: ['Case.Priority'],
  CaseOrigin: ['Case.Origin'],
  CaseType: ['Case.Type'],
  CaseReason: ['Case.Reason'],
  TaskStatus: ['Task.Status'],
  TaskPriority: ['Task.Priority'],
  CampaignType: ['Campaign.Type'],
  CampaignStatus: ['Campaign.Status'],
};

/** Child relationship names of standard lookups (Object Reference: each object's relationships). */
const STANDARD_CHILD_NAMES: Record<string, string> = {
  'Contact.AccountId': 'Contacts',
  'Opportunity.AccountId': 'Opportunities',
  'Case.AccountId': 'Cases',
  'Case.ContactId': 'Cases',
  'Account.ParentId': 'ChildAccounts',
  'OpportunityHistory.OpportunityId': 'OpportunityHistories',
  'CampaignMember.CampaignId': 'CampaignMembers',
  'CampaignMember.LeadId': 'CampaignMembers',
  'CampaignMember.ContactId': 'CampaignMembers',
  'Event.WhoId': 'Events',
  'Event.WhatId': 'Events',
  'Task.WhoId': 'Tasks',
  'Task.WhatId': 'Tasks',
  'Opportunity.CampaignId': 'Opportunities',
  'Campaign.ParentId': 'ChildCampaigns',
  'User.ManagerId': 'ManagedUsers',
  'Case.ParentId': 'Cases',
};

export function loadSchema(options: LoadSchemaOptions = {}): LoadedSchema {
  const objects = new Map<string, SObjectDef>();
  for (const def of standardObjects()) objects.set(def.name.toLowerCase(), def);
  const warnings: string[] = [];
  if (options.forceAppDir !== undefined) {
    const metadata = readForceApp(options.forceAppDir);
    warnings.push(...metadata.warnings);
    const taken = new Set<string>([...objects.values()].map((def) => def.keyPrefix));
    for (const prefix of Object.values(options.keyPrefixes ?? {})) taken.add(prefix);
    // Sorted, so prefixes of new objects do not depend on directory order.
    for (const meta of [...metadata.objects].sort((a, b) => a.name.localeCompare(b.name))) {
      mergeObject(objects, meta, options.keyPrefixes ?? {}, taken, warnings);
    }
    applyStandardValueSets(objects, metadata.standardValueSets);
  }
  linkChildRelationships(objects, warnings);
  return { schema: makeSchema(objects), warnings };
}

function mergeObject(
  objects: Map<string, SObjectDef>,
  meta: ForceAppObject,
  keyPrefixes: Record<string, string>,
  taken: Set<string>,
  warnings: string[],
): void {
  const existing = objects.get(meta.name.toLowerCase());
  if (existing !== undefined) {
    for (const def of meta.fields) addField(existing, def, warnings);
    existing.validationRules.push(...meta.validationRules);
    return;
  }
  if (!meta.name.endsWith('__c') && !meta.name.endsWith('__e')) {
    warnings.push(`${meta.name}: standard object not modelled by the local org; its metadata is ignored`);
    return;
  }
  const isEvent = meta.name.endsWith('__e');
  const keyPrefix = keyPrefixes[meta.name] ?? customKeyPrefix(meta.name, taken, isEvent ? 'e' : 'a');
  taken.add(keyPrefix);
  const label = meta.label ?? meta.name.replace(/__[ce]$/, '').replace(/_/g, ' ');
  const def = isEvent ? platformEvent(meta, keyPrefix, label) : customObject(meta, keyPrefix, label);
  for (const fieldDef of meta.fields) addField(def, fieldDef, warnings);
  def.validationRules.push(...meta.validationRules);
  objects.set(def.name.toLowerCase(), def);
}

function customObject(meta: ForceAppObject, keyPrefix: string, label: string): SObjectDef {
  const nameSpec = meta.nameField ?? { label: `${label} Name`, type: 'Text' as const, displayFormat: null };
  const nameField =
    nameSpec.type === 'AutoNumber'
      ? readOnly('Name', 'string', { label: nameSpec.label, length: 80, autoNumber: true, idLookup: true })
      : text('Name', 80, { label: nameSpec.label, idLookup: true, defaultedOnCreate: true });
  if (nameSpec.type === 'AutoNumber') nameField.formula = nameSpec.displayFormat;
  return sobject({
    name: meta.name,
    label,
    labelPlural: meta.pluralLabel ?? `${label}s`,
    keyPrefix,
    owner: !meta.controlledByParent,
    nameField: 'Name',
    fields: [nameField],
  });
}

function platformEvent(meta: ForceAppObject, keyPrefix: string, label: string): SObjectDef {
  const def: SObjectDef = {
    name: meta.name,
    label,
    labelPlural: meta.pluralLabel ?? label,
    keyPrefix,
    custom: true,
    isPlatformEvent: true,
    createable: true,
    updateable: false,
    deletable: false,
    queryable: false,
    nameField: null,
    fields: [
      readOnly('ReplayId', 'string', { length: 255 }),
      readOnly('CreatedDate', 'datetime', { nillable: false }),
      readOnly('CreatedById', 'reference', { nillable: false, referenceTo: ['User'], relationshipName: 'CreatedBy' }),
      readOnly('EventUuid', 'string', { length: 36 }),
    ],
    childRelationships: [],
    validationRules: [],
  };
  return def;
}

function addField(def: SObjectDef, fieldDef: FieldDef, warnings: string[]): void {
  if (def.fields.some((existing) => existing.name.toLowerCase() === fieldDef.name.toLowerCase())) {
    warnings.push(`${def.name}.${fieldDef.name}: defined twice; the first definition wins`);
    return;
  }
  def.fields.push(fieldDef);
}

function applyStandardValueSets(objects: Map<string, SObjectDef>, sets: Map<string, PicklistValue[]>): void {
  for (const [setName, values] of sets) {
    for (const target of STANDARD_VALUE_SETS[setName] ?? []) {
      const [objectName, fieldName] = target.split('.') as [string, string];
      const fieldDef = objects.get(objectName.toLowerCase())?.fields.find((f) => f.name === fieldName);
      if (fieldDef === undefined) continue;
      fieldDef.picklistValues = values.map((value) => ({ ...value }));
      const defaultEntry = values.find((value) => value.defaultValue);
      if (defaultEntry !== undefined && fieldDef.createable) {
        fieldDef.defaultValue = defaultEntry.value;
        fieldDef.defaultedOnCreate = true;
      }
    }
  }
}

function linkChildRelationships(objects: Map<string, SObjectDef>, warnings: string[]): void {
  for (const child of objects.values()) {
    for (const fieldDef of child.fields) {
      if (fieldDef.type !== 'reference' || fieldDef.name === 'CreatedById' || fieldDef.name === 'LastModifiedById') continue;
      for (const parentName of fieldDef.referenceTo) {
        const parent = objects.get(parentName.toLowerCase());
        if (parent === undefined) {
          warnings.push(`${child.name}.${fieldDef.name}: references ${parentName}, which the local org does not model`);
          continue;
        }
        const relationship: ChildRelationship = {
          childSObject: child.name,
          field: fieldDef.name,
          relationshipName: fieldDef.childRelationshipName ?? STANDARD_CHILD_NAMES[`${child.name}.${fieldDef.name}`] ?? null,
          cascadeDelete: fieldDef.cascadeDelete,
        };
        parent.childRelationships.push(relationship);
      }
    }
  }
}

export function makeSchema(objects: Map<string, SObjectDef>): OrgSchema {
  const byPrefix = new Map<string, SObjectDef>();
  const fieldMaps = new Map<SObjectDef, Map<string, FieldDef>>();
  const relationshipMaps = new Map<SObjectDef, Map<string, FieldDef>>();
  const childMaps = new Map<SObjectDef, Map<string, ChildRelationship>>();
  for (const def of objects.values()) {
    byPrefix.set(def.keyPrefix, def);
    fieldMaps.set(def, new Map(def.fields.map((f) => [f.name.toLowerCase(), f])));
    relationshipMaps.set(
      def,
      new Map(def.fields.filter((f) => f.relationshipName !== null).map((f) => [(f.relationshipName as string).toLowerCase(), f])),
    );
    childMaps.set(
      def,
      new Map(def.childRelationships.filter((r) => r.relationshipName !== null).map((r) => [(r.relationshipName as string).toLowerCase(), r])),
    );
  }
  return {
    objects,
    find: (name) => objects.get(name.toLowerCase()),
    byKeyPrefix: (prefix) => byPrefix.get(prefix),
    field: (object, name) => fieldMaps.get(object)?.get(name.toLowerCase()),
    relationship: (object, name) => relationshipMaps.get(object)?.get(name.toLowerCase()),
    childRelationship: (object, name) => childMaps.get(object)?.get(name.toLowerCase()),
  };
}

// Re-exported for tests that build schemas by hand.
export { field, lookup };
