/**
 * Reads the package's metadata (sfdx source format, also the older single-file object
 * format): custom objects and platform events, custom fields on standard objects, global
 * and standard value sets, and validation rules (Metadata API Developer Guide:
 * CustomObject, CustomField, GlobalValueSet, StandardValueSet, ValidationRule).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { field, pick } from './build';
import type { FieldDef, FieldType, PicklistValue, ValidationRule } from './types';

export interface ForceAppObject {
  name: string;
  label: string | null;
  pluralLabel: string | null;
  /** Custom objects only: Text or AutoNumber name field. */
  nameField: { label: string; type: 'Text' | 'AutoNumber'; displayFormat: string | null } | null;
  /** Master-detail children have no owner (sharingModel ControlledByParent). */
  controlledByParent: boolean;
  fields: FieldDef[];
  validationRules: ValidationRule[];
}

export interface ForceAppMetadata {
  objects: ForceAppObject[];
  globalValueSets: Map<string, PicklistValue[]>;
  standardValueSets: Map<string, PicklistValue[]>;
  /** Problems worth a warning (unsupported field types), never fatal. */
  warnings: string[];
}

const ARRAYS = new Set(['fields', 'value', 'customValue', 'standardValue', 'validationRules', 'referenceTo', 'valueSettings']);

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ARRAYS.has(name),
});

type Xml = Record<string, unknown>;

function readXml(path: string, root: string): Xml {
  const parsed = parser.parse(readFileSync(path, 'utf8')) as Xml;
  const node = parsed[root];
  if (node === undefined || typeof node !== 'object') {
    throw new Error(`${path}: expected a <${root}> document`);
  }
  return node as Xml;
}

function str(node: Xml, key: string): string | null {
  const value = node[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

function bool(node: Xml, key: string): boolean {
  return str(node, key) === 'true';
}

function num(node: Xml, key: string): number | null {
  const value = str(node, key);
  return value === null ? null : Number(value);
}

function list(node: Xml, key: string): Xml[] {
  const value = node[key];
  return Array.isArray(value) ? (value as Xml[]) : [];
}

/** Every directory under `root` with this name (skips node_modules and tests). */
function findDirs(root: string, name: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === '__tests__') continue;
      const path = join(dir, entry.name);
      if (entry.name === name) found.push(path);
      else walk(path);
    }
  };
  if (existsSync(root) && statSync(root).isDirectory()) walk(root);
  return found;
}

function filesEnding(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => join(dir, name));
}

export function readForceApp(forceAppDir: string): ForceAppMetadata {
  const warnings: string[] = [];
  const globalValueSets = new Map<string, PicklistValue[]>();
  for (const dir of findDirs(forceAppDir, 'globalValueSets')) {
    for (const path of filesEnding(dir, '.globalValueSet-meta.xml')) {
      const node = readXml(path, 'GlobalValueSet');
      globalValueSets.set(basename(path, '.globalValueSet-meta.xml'), list(node, 'customValue').map(valueOf));
    }
  }
  const standardValueSets = new Map<string, PicklistValue[]>();
  for (const dir of findDirs(forceAppDir, 'standardValueSets')) {
    for (const path of filesEnding(dir, '.standardValueSet-meta.xml')) {
      const node = readXml(path, 'StandardValueSet');
      standardValueSets.set(basename(path, '.standardValueSet-meta.xml'), list(node, 'standardValue').map(valueOf));
    }
  }
  const objects: ForceAppObject[] = [];
  for (const dir of findDirs(forceAppDir, 'objects')) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) objects.push(readObjectFolder(join(dir, entry.name), globalValueSets, warnings));
      else if (entry.name.endsWith('.object')) objects.push(readObjectFile(join(dir, entry.name), globalValueSets, warnings));
    }
  }
  return { objects, globalValueSets, standardValueSets, warnings };
}

function valueOf(node: Xml): PicklistValue {
  const probability = num(node, 'probability');
  const forecastCategory = str(node, 'forecastCategory');
  return pick(str(node, 'fullName') ?? '', {
    label: str(node, 'label') ?? str(node, 'fullName') ?? '',
    defaultValue: bool(node, 'default'),
    active: str(node, 'isActive') !== 'false',
    ...(node.closed !== undefined ? { closed: bool(node, 'closed') } : {}),
    ...(node.won !== undefined ? { won: bool(node, 'won') } : {}),
    ...(node.converted !== undefined ? { converted: bool(node, 'converted') } : {}),
    ...(probability !== null ? { probability } : {}),
    ...(forecastCategory !== null ? { forecastCategory: forecastCategoryLabel(forecastCategory) } : {}),
  });
}

/** Metadata spells forecast categories as API values (BestCase, Forecast); describe shows labels. */
function forecastCategoryLabel(value: string): string {
  return ({ BestCase: 'Best Case', Forecast: 'Commit' } as Record<string, string>)[value] ?? value;
}

function readObjectFolder(dir: string, gvs: Map<string, PicklistValue[]>, warnings: string[]): ForceAppObject {
  const name = basename(dir);
  const objectFile = join(dir, `${name}.object-meta.xml`);
  const node = existsSync(objectFile) ? readXml(objectFile, 'CustomObject') : {};
  const object = objectFrom(name, node);
  for (const path of filesEnding(join(dir, 'fields'), '.field-meta.xml')) {
    const fieldDef = fieldFrom(name, readXml(path, 'CustomField'), gvs, warnings);
    if (fieldDef !== null) object.fields.push(fieldDef);
  }
  for (const path of filesEnding(join(dir, 'validationRules'), '.validationRule-meta.xml')) {
    object.validationRules.push(ruleFrom(readXml(path, 'ValidationRule')));
  }
  return object;
}

function readObjectFile(path: string, gvs: Map<string, PicklistValue[]>, warnings: string[]): ForceAppObject {
  const name = basename(path, '.object');
  const node = readXml(path, 'CustomObject');
  const object = objectFrom(name, node);
  for (const fieldNode of list(node, 'fields')) {
    const fieldDef = fieldFrom(name, fieldNode, gvs, warnings);
    if (fieldDef !== null) object.fields.push(fieldDef);
  }
  for (const ruleNode of list(node, 'validationRules')) object.validationRules.push(ruleFrom(ruleNode));
  return object;
}

function objectFrom(name: string, node: Xml): ForceAppObject {
  const nameNode = node.nameField as Xml | undefined;
  return {
    name,
    label: str(node, 'label'),
    pluralLabel: str(node, 'pluralLabel'),
    nameField:
      nameNode === undefined
        ? null
        : {
            label: str(nameNode, 'label') ?? 'Name',
            type: str(nameNode, 'type') === 'AutoNumber' ? 'AutoNumber' : 'Text',
            displayFormat: str(nameNode, 'displayFormat'),
          },
    controlledByParent: str(node, 'sharingModel') === 'ControlledByParent',
    fields: [],
    validationRules: [],
  };
}

function ruleFrom(node: Xml): ValidationRule {
  return {
    name: str(node, 'fullName') ?? 'Rule',
    active: bool(node, 'active'),
    errorConditionFormula: str(node, 'errorConditionFormula') ?? 'false',
    errorMessage: str(node, 'errorMessage') ?? 'Validation failed',
    errorDisplayField: str(node, 'errorDisplayField'),
  };
}

const TYPE_MAP: Record<string, FieldType> = {
  Text: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Html: 'textarea',
  EncryptedText: 'string',
  Email: 'email',
  Phone: 'phone',
  Url: 'url',
  Number: 'double',
  Currency: 'currency',
  Percent: 'percent',
  Checkbox: 'boolean',
  Date: 'date',
  DateTime: 'datetime',
  Time: 'time',
  Picklist: 'picklist',
  MultiselectPicklist: 'multipicklist',
  Lookup: 'reference',
  MasterDetail: 'reference',
  AutoNumber: 'string',
};

const DEFAULT_LENGTH: Record<string, number> = { TextArea: 255, Email: 80, Phone: 40, Url: 255, AutoNumber: 30, Picklist: 255, MultiselectPicklist: 4099 };

function fieldFrom(objectName: string, node: Xml, gvs: Map<string, PicklistValue[]>, warnings: string[]): FieldDef | null {
  const name = str(node, 'fullName');
  if (name === null || !name.endsWith('__c')) return null; // standard field overrides carry no schema
  const xmlType = str(node, 'type') ?? (str(node, 'formula') !== null ? 'Text' : null);
  const formula = str(node, 'formula');
  const type = xmlType === null ? undefined : TYPE_MAP[xmlType];
  if (type === undefined) {
    warnings.push(`${objectName}.${name}: field type ${xmlType ?? '(none)'} is not supported by the local org; field skipped`);
    return null;
  }
  const isMasterDetail = xmlType === 'MasterDetail';
  const isRequired = bool(node, 'required') || isMasterDetail;
  const picklistValues = picklistOf(node, gvs, objectName, name, warnings);
  const referenceTo = (Array.isArray(node.referenceTo) ? (node.referenceTo as string[]) : []).filter((value) => typeof value === 'string');
  const defaultValue = literalDefault(str(node, 'defaultValue'), type);
  const readOnlyField = formula !== null || xmlType === 'AutoNumber';
  return field(name, type, {
    label: str(node, 'label') ?? name,
    custom: true,
    length: num(node, 'length') ?? DEFAULT_LENGTH[xmlType ?? ''] ?? (type === 'string' ? 255 : type === 'reference' ? 18 : 0),
    precision: num(node, 'precision') ?? 0,
    scale: num(node, 'scale') ?? 0,
    nillable: type === 'boolean' ? false : !isRequired,
    createable: !readOnlyField,
    updateable: !readOnlyField && !(isMasterDetail && !bool(node, 'reparentableMasterDetail')),
    calculated: formula !== null,
    formula,
    externalId: bool(node, 'externalId'),
    unique: bool(node, 'unique'),
    caseSensitive: bool(node, 'caseSensitive'),
    idLookup: bool(node, 'externalId') || bool(node, 'unique'),
    autoNumber: xmlType === 'AutoNumber',
    defaultValue: defaultValue ?? picklistValues.values.find((value) => value.defaultValue)?.value ?? null,
    defaultedOnCreate: defaultValue !== null || picklistValues.values.some((value) => value.defaultValue) || xmlType === 'AutoNumber',
    picklistValues: picklistValues.values,
    restrictedPicklist: picklistValues.restricted,
    referenceTo,
    relationshipName: type === 'reference' ? name.replace(/__c$/, '__r') : null,
    cascadeDelete: isMasterDetail || str(node, 'deleteConstraint') === 'Cascade',
    inlineHelpText: str(node, 'inlineHelpText'),
    childRelationshipName: str(node, 'relationshipName') === null ? null : `${str(node, 'relationshipName')}__r`,
  });
}

function picklistOf(node: Xml, gvs: Map<string, PicklistValue[]>, objectName: string, fieldName: string, warnings: string[]): { values: PicklistValue[]; restricted: boolean } {
  const valueSet = node.valueSet as Xml | undefined;
  if (valueSet === undefined) return { values: [], restricted: false };
  const setName = str(valueSet, 'valueSetName');
  if (setName !== null) {
    const values = gvs.get(setName);
    if (values === undefined) warnings.push(`${objectName}.${fieldName}: global value set ${setName} not found in force-app`);
    // Picklists bound to a global value set are always restricted.
    return { values: (values ?? []).map((value) => ({ ...value })), restricted: true };
  }
  const definition = valueSet.valueSetDefinition as Xml | undefined;
  const values = definition === undefined ? [] : list(definition, 'value').map(valueOf);
  return { values, restricted: bool(valueSet, 'restricted') };
}

/** Literal formula defaults only (true, 42, "text"); anything else is evaluated nowhere, so ignored. */
function literalDefault(formula: string | null, type: FieldType): string | number | boolean | null {
  if (formula === null) return null;
  const trimmed = formula.trim();
  if (type === 'boolean') return /^true$/i.test(trimmed) ? true : /^false$/i.test(trimmed) ? false : null;
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const quoted = /^(['"])(.*)\1$/s.exec(trimmed);
  return quoted ? (quoted[2] ?? '') : null;
}
