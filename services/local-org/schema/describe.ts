/**
 * Describe results built from the schema, in the shapes of REST's describeGlobal,
 * sObject Basic Information and sObject Describe resources (REST API Developer Guide:
 * "Describe Global", "sObject Describe"; field attributes as in the SOAP API's
 * DescribeSObjectResult/Field). Every key a client may read is present.
 */
import type { FieldDef, FieldType, SObjectDef } from './types';

const SOAP_TYPES: Record<FieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  picklist: 'xsd:string',
  multipicklist: 'xsd:string',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  time: 'xsd:time',
};

function objectUrls(def: SObjectDef, base: string): Record<string, string> {
  const sobject = `${base}/sobjects/${def.name}`;
  return {
    compactLayouts: `${sobject}/describe/compactLayouts`,
    rowTemplate: `${sobject}/{ID}`,
    approvalLayouts: `${sobject}/describe/approvalLayouts`,
    defaultValues: `${sobject}/defaultValues?recordTypeId&fields`,
    describe: `${sobject}/describe`,
    quickActions: `${sobject}/quickActions`,
    layouts: `${sobject}/describe/layouts`,
    sobject,
  };
}

/** One entry of describeGlobal's `sobjects` (also `objectDescribe` of the basic info resource). */
export function globalEntry(def: SObjectDef, base: string): Record<string, unknown> {
  return {
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    createable: def.createable,
    custom: def.custom,
    customSetting: false,
    deepCloneable: false,
    deletable: def.deletable,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: !def.isPlatformEvent,
    mergeable: ['Lead', 'Account', 'Contact'].includes(def.name),
    mruEnabled: !def.isPlatformEvent,
    name: def.name,
    queryable: def.queryable,
    replicateable: !def.isPlatformEvent,
    retrieveable: !def.isPlatformEvent,
    searchable: !def.isPlatformEvent,
    triggerable: true,
    undeletable: def.deletable,
    updateable: def.updateable,
    urls: objectUrls(def, base),
  };
}

export function describeGlobal(defs: Iterable<SObjectDef>, base: string): Record<string, unknown> {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: [...defs].sort((a, b) => a.name.localeCompare(b.name)).map((def) => globalEntry(def, base)),
  };
}

export function describeField(def: FieldDef): Record<string, unknown> {
  const textual = ['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist'].includes(def.type);
  const isRef = def.type === 'reference' || def.type === 'id';
  return {
    aggregatable: def.type !== 'textarea' && def.type !== 'multipicklist',
    aiPredictionField: false,
    autoNumber: def.autoNumber,
    byteLength: textual ? def.length * 3 : isRef ? 18 : 0,
    calculated: def.calculated,
    calculatedFormula: def.calculated ? def.formula : null,
    cascadeDelete: def.cascadeDelete,
    caseSensitive: def.caseSensitive,
    compoundFieldName: null,
    controllerName: null,
    createable: def.createable,
    custom: def.custom,
    defaultValue: def.type === 'boolean' ? (def.defaultValue ?? false) : (def.defaultValue ?? null),
    defaultValueFormula: null,
    defaultedOnCreate: def.defaultedOnCreate,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: def.type === 'int' ? def.precision : 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: def.externalId,
    extraTypeInfo: def.type === 'textarea' && def.length > 255 ? 'plaintextarea' : null,
    filterable: def.filterable,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: def.groupable,
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: def.idLookup,
    inlineHelpText: def.inlineHelpText,
    label: def.label,
    length: textual ? def.length : 0,
    mask: null,
    maskType: null,
    name: def.name,
    nameField: def.nameField,
    namePointing: def.referenceTo.length > 1,
    nillable: def.nillable,
    permissionable: def.custom && def.nillable,
    picklistValues: def.picklistValues.map((value) => ({
      active: value.active,
      defaultValue: value.defaultValue,
      label: value.label,
      validFor: null,
      value: value.value,
    })),
    polymorphicForeignKey: def.referenceTo.length > 1,
    precision: def.type === 'int' ? 0 : def.precision,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: def.referenceTo,
    relationshipName: def.relationshipName,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: def.restrictedPicklist,
    scale: def.scale,
    searchPrefilterable: false,
    soapType: SOAP_TYPES[def.type],
    sortable: def.sortable,
    type: def.type,
    unique: def.unique,
    updateable: def.updateable,
    writeRequiresMasterRead: false,
  };
}

export function describeSObject(def: SObjectDef, base: string): Record<string, unknown> {
  return {
    ...globalEntry(def, base),
    actionOverrides: [],
    childRelationships: def.childRelationships.map((relationship) => ({
      cascadeDelete: relationship.cascadeDelete,
      childSObject: relationship.childSObject,
      deprecatedAndHidden: false,
      field: relationship.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: relationship.relationshipName,
      restrictedDelete: false,
    })),
    compactLayoutable: !def.isPlatformEvent,
    defaultImplementation: null,
    extendedBy: null,
    extendsInterfaces: null,
    fields: def.fields.map(describeField),
    implementedBy: null,
    implementsInterfaces: null,
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [],
    searchLayoutable: !def.isPlatformEvent,
    sobjectDescribeOption: 'FULL',
    supportedScopes: def.fields.some((f) => f.name === 'OwnerId')
      ? [
          { label: `All ${def.labelPlural.toLowerCase()}`, name: 'everything' },
          { label: `My ${def.labelPlural.toLowerCase()}`, name: 'mine' },
        ]
      : [{ label: `All ${def.labelPlural.toLowerCase()}`, name: 'everything' }],
  };
}
