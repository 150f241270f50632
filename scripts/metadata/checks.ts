import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { integrationPermissions, type PermissionSetAccess } from '../../services/engine/schema/access';
import { SOBJECTS, type FieldType } from '../../services/engine/schema/objects';
import { GLOBAL_VALUE_SETS, PICKLIST_VALUES } from '../../services/engine/schema/picklists';
import { convertOffline } from './convert';
import { checkAgainstType } from './metadataTypes';
import {
  loadProject,
  objectExists,
  resolveField,
  resolvePath,
  type Finding,
  type Kind,
  type MetadataFile,
  type Project
} from './project';
import { FLOW_GLOBALS, LIST_VIEW_COLUMN_TOKENS, STANDARD_OBJECTS } from './standard';
import { all, first, textOf, type XNode } from './xml';

export type { Finding } from './project';

export const INTEGRATION_PERMISSION_SET = 'ASL_Engine_Integration';
export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';
const ENGINE_SCHEMA_FILE = 'services/engine/schema/objects.ts';
const FIX_INTEGRATION =
  'Fix: if the engine needs it, change services/engine/schema/access.ts; then run `npm run check:metadata -- --write-integration-permset`.';

export interface CheckOptions {
  /** The package directory (force-app). */
  readonly packageDir: string;
  /** API version flows must declare; default: sourceApiVersion of sfdx-project.json beside the package directory, else 66.0. */
  readonly apiVersion?: string;
  /** Convert to Metadata API format with source-deploy-retrieve (offline). Default true. */
  readonly convert?: boolean;
}

export interface CheckReport {
  readonly findings: Finding[];
  readonly filesChecked: number;
  readonly apiVersion: string;
}

export type Rule = (project: Project) => Finding[];

function finding(rule: string, file: MetadataFile | string, message: string, line?: number): Finding {
  return { rule, file: typeof file === 'string' ? file : file.rel, line, message };
}

/** Runs every check on a package directory and returns the findings (empty: all good). */
export async function runChecks(options: CheckOptions): Promise<CheckReport> {
  const project = loadProject(options.packageDir);
  const apiVersion = options.apiVersion ?? sourceApiVersion(options.packageDir) ?? '66.0';
  const rules: Rule[] = [
    schemaRule,
    fileNameRule,
    apiVersionRule(apiVersion),
    objectModelRule,
    fieldReferenceRule,
    flowRule,
    permissionSetRule,
    flsCoverageRule,
    integrationRule,
    engineSchemaRule,
    appRule
  ];
  const findings: Finding[] = [...project.parseFailures];
  for (const rule of rules) findings.push(...rule(project));
  if (options.convert !== false) findings.push(...(await convertOffline(options.packageDir, apiVersion)));
  findings.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  return { findings, filesChecked: project.files.length, apiVersion };
}

function sourceApiVersion(packageDir: string): string | undefined {
  const file = join(dirname(packageDir), 'sfdx-project.json');
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { sourceApiVersion?: unknown };
  return typeof parsed.sourceApiVersion === 'string' ? parsed.sourceApiVersion : undefined;
}

// ---------------------------------------------------------------------------------------------
// Metadata API shape

const schemaRule: Rule = (project) => {
  const out: Finding[] = [];
  for (const file of project.files) {
    if (!file.kind || !file.root) continue;
    if (file.root.name !== file.kind) {
      out.push(finding('metadata-schema', file, `root element is <${file.root.name}>; a ${file.kind} file needs <${file.kind}>`, file.root.line));
      continue;
    }
    if (file.root.attributes.xmlns !== METADATA_NAMESPACE) {
      out.push(finding('metadata-schema', file, `<${file.kind}> needs xmlns="${METADATA_NAMESPACE}"`, file.root.line));
    }
    for (const issue of checkAgainstType(file.root, file.kind)) out.push(finding('metadata-schema', file, issue.message, issue.line));
  }
  return out;
};

const NAMED_BY_FULL_NAME: ReadonlySet<Kind> = new Set(['CustomField', 'ListView', 'CompactLayout', 'ValidationRule']);

const fileNameRule: Rule = (project) => {
  const out: Finding[] = [];
  for (const file of project.files) {
    if (!file.kind || !file.root) continue;
    const fullName = first(file.root, 'fullName');
    if (NAMED_BY_FULL_NAME.has(file.kind) && fullName && fullName.text !== file.name) {
      out.push(finding('file-name', file, `fullName "${fullName.text}" does not match the file name "${file.name}"`, fullName.line));
    }
    if (file.kind === 'CustomObject' && file.object !== file.name) {
      out.push(finding('file-name', file, `object file ${file.name} sits in folder objects/${file.object ?? '?'}`));
    }
    if (file.kind === 'Layout') {
      const object = file.name.split('-')[0] ?? '';
      if (!objectExists(project, object)) out.push(finding('file-name', file, `layout names object "${object}", which does not exist`));
    }
  }
  return out;
};

function apiVersionRule(apiVersion: string): Rule {
  return (project) =>
    project.byKind('Flow').flatMap((file) => {
      const version = first(file.root, 'apiVersion');
      if (!version) return [finding('api-version', file, `flow has no <apiVersion>; use ${apiVersion}`)];
      return version.text === apiVersion
        ? []
        : [finding('api-version', file, `flow apiVersion ${version.text} differs from the project's sourceApiVersion ${apiVersion}`, version.line)];
    });
}

// ---------------------------------------------------------------------------------------------
// Objects, fields, picklists

const objectModelRule: Rule = (project) => {
  const out: Finding[] = [];
  const relationships = new Map<string, MetadataFile>();
  for (const object of project.objects.values()) {
    if (object.file?.root) out.push(...checkObjectFile(project, object.file));
    for (const field of object.fields.values()) {
      const { file } = field;
      if (!/^[A-Za-z][A-Za-z0-9_]*__c$/.test(field.name)) {
        out.push(finding('object-model', file, `custom field ${object.name}.${field.name} must be named <Name>__c`));
      }
      if (field.type === 'Lookup' || field.type === 'MasterDetail') {
        if (!field.referenceTo || !objectExists(project, field.referenceTo)) {
          out.push(finding('object-model', file, `${object.name}.${field.name} points to "${field.referenceTo ?? ''}", which does not exist`));
        }
        if (!field.relationshipName) {
          out.push(finding('object-model', file, `${object.name}.${field.name} needs a <relationshipName>`));
        } else {
          const key = `${field.referenceTo ?? ''}.${field.relationshipName}`;
          const other = relationships.get(key);
          if (other) {
            out.push(finding('object-model', file, `child relationship ${field.relationshipName} on ${field.referenceTo ?? ''} is also used by ${other.rel}: names must be unique per parent`));
          }
          relationships.set(key, file);
        }
      }
      if (field.type === 'Picklist') out.push(...checkPicklist(project, object.name, field.name, file));
    }
  }
  for (const [name, set] of project.globalValueSets) {
    const dup = set.values.find((v, i) => set.values.indexOf(v) !== i);
    if (set.values.length === 0) out.push(finding('object-model', set.file, `global value set ${name} has no values`));
    if (dup) out.push(finding('object-model', set.file, `global value set ${name} lists "${dup}" twice`));
  }
  return out;
};

function checkObjectFile(project: Project, file: MetadataFile): Finding[] {
  const out: Finding[] = [];
  const object = project.objects.get(file.name);
  const root = file.root as XNode;
  if (!object) return out;
  if (object.kind === 'platformEvent') {
    for (const tag of ['eventType', 'publishBehavior']) {
      if (!first(root, tag)) out.push(finding('object-model', file, `platform event ${file.name} needs <${tag}>`));
    }
    return out;
  }
  const assignment = textOf(root, 'compactLayoutAssignment');
  if (assignment && assignment !== 'SYSTEM' && !object.compactLayouts.has(assignment)) {
    out.push(finding('object-model', file, `compactLayoutAssignment ${assignment} names no compact layout of ${file.name}`, first(root, 'compactLayoutAssignment')?.line));
  }
  const isDetail = [...object.fields.values()].some((f) => f.type === 'MasterDetail');
  const sharing = textOf(root, 'sharingModel');
  if (isDetail && sharing !== 'ControlledByParent') {
    out.push(finding('object-model', file, `${file.name} has a master-detail field, so its sharingModel must be ControlledByParent (is "${sharing}")`));
  }
  if (!isDetail && sharing === 'ControlledByParent') {
    out.push(finding('object-model', file, `${file.name} has no master-detail field, so its sharingModel cannot be ControlledByParent`));
  }
  return out;
}

function picklistValues(project: Project, object: string, field: string): readonly string[] | undefined {
  const info = project.objects.get(object)?.fields.get(field);
  if (!info || info.type !== 'Picklist') return undefined;
  if (info.valueSetName) return project.globalValueSets.get(info.valueSetName)?.values;
  return info.values;
}

function checkPicklist(project: Project, object: string, field: string, file: MetadataFile): Finding[] {
  const info = project.objects.get(object)?.fields.get(field);
  if (!info) return [];
  if (info.valueSetName && !project.globalValueSets.has(info.valueSetName)) {
    return [finding('object-model', file, `${object}.${field} uses global value set ${info.valueSetName}, which does not exist`)];
  }
  const values = picklistValues(project, object, field) ?? [];
  if (values.length === 0) return [finding('object-model', file, `picklist ${object}.${field} has no values`)];
  const dup = values.find((v, i) => values.indexOf(v) !== i);
  return dup ? [finding('object-model', file, `picklist ${object}.${field} lists "${dup}" twice`)] : [];
}

// ---------------------------------------------------------------------------------------------
// List views, compact layouts, layouts, validation rules

function fieldMissing(project: Project, object: string, path: string): string | undefined {
  const resolved = resolvePath(project, object, path);
  return resolved.ok ? undefined : resolved.reason;
}

const FORMULA_WORDS = new Set(['TRUE', 'FALSE', 'NULL', 'AND', 'OR', 'NOT']);

/** Field paths a formula names (string literals, comments, functions and globals left out). */
export function formulaFieldPaths(formula: string): string[] {
  const bare = formula.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const paths: string[] = [];
  for (const match of bare.matchAll(/(\$?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)(\s*\()?/g)) {
    const [, path, call] = match;
    if (!path || call || path.startsWith('$') || FORMULA_WORDS.has(path.toUpperCase())) continue;
    if (/^\d/.test(path)) continue;
    paths.push(path);
  }
  return paths;
}

const fieldReferenceRule: Rule = (project) => {
  const out: Finding[] = [];
  const check = (file: MetadataFile, object: string, node: XNode | undefined, path: string, what: string) => {
    if (!node) return;
    const reason = fieldMissing(project, object, path);
    if (reason) out.push(finding('field-reference', file, `${what} names ${object}.${path}: ${reason}`, node.line));
  };
  for (const file of project.byKind('ListView')) {
    const object = file.object as string;
    for (const column of all(file.root, 'columns')) {
      if (!LIST_VIEW_COLUMN_TOKENS.has(column.text)) check(file, object, column, column.text, 'list view column');
    }
    for (const filter of all(file.root, 'filters')) check(file, object, first(filter, 'field'), textOf(filter, 'field'), 'list view filter');
  }
  for (const file of project.byKind('CompactLayout')) {
    for (const field of all(file.root, 'fields')) check(file, file.object as string, field, field.text, 'compact layout');
  }
  for (const file of project.byKind('ValidationRule')) {
    const object = file.object as string;
    const formula = first(file.root, 'errorConditionFormula');
    for (const path of formulaFieldPaths(formula?.text ?? '')) check(file, object, formula, path, 'validation formula');
    const display = first(file.root, 'errorDisplayField');
    if (display) check(file, object, display, display.text, 'errorDisplayField');
  }
  for (const file of project.byKind('Layout')) out.push(...checkLayout(project, file));
  return out;
};

function checkLayout(project: Project, file: MetadataFile): Finding[] {
  const out: Finding[] = [];
  const object = file.name.split('-')[0] ?? '';
  if (!objectExists(project, object)) return out;
  const walk = (node: XNode) => {
    for (const child of node.children) {
      if (child.name === 'layoutItems') {
        const field = first(child, 'field');
        const reason = field ? fieldMissing(project, object, field.text) : undefined;
        if (field && reason) out.push(finding('field-reference', file, `layout item names ${object}.${field.text}: ${reason}`, field.line));
      } else if (child.name !== 'relatedLists') {
        walk(child);
      }
    }
  };
  walk(file.root as XNode);
  for (const related of all(file.root, 'relatedLists')) {
    const list = first(related, 'relatedList');
    if (!list || !list.text.includes('.')) continue;
    const [child = '', lookup = ''] = list.text.split('.');
    const field = resolveField(project, child, lookup);
    if (!field || field.referenceTo !== object) {
      out.push(finding('field-reference', file, `related list ${list.text} is not a lookup from ${child} to ${object}`, list.line));
      continue;
    }
    for (const column of all(related, 'fields')) {
      const reason = LIST_VIEW_COLUMN_TOKENS.has(column.text) ? undefined : fieldMissing(project, child, column.text);
      if (reason) out.push(finding('field-reference', file, `related list column names ${child}.${column.text}: ${reason}`, column.line));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Flows

const FLOW_ELEMENT_TYPES = [
  'actionCalls',
  'assignments',
  'collectionProcessors',
  'constants',
  'customErrors',
  'decisions',
  'formulas',
  'loops',
  'recordCreates',
  'recordDeletes',
  'recordLookups',
  'recordUpdates',
  'screens',
  'subflows',
  'textTemplates',
  'transforms',
  'variables',
  'waits',
  'choices',
  'dynamicChoiceSets'
];
const FLOW_DATA_ELEMENTS = ['recordCreates', 'recordDeletes', 'recordLookups', 'recordUpdates'];

interface FlowResource {
  readonly type: string;
  /** The sObject type a reference like Resource.Field reads from, when it holds a record. */
  readonly object?: string;
  readonly queried?: ReadonlySet<string>;
}

function flowResources(root: XNode): Map<string, FlowResource> {
  const resources = new Map<string, FlowResource>();
  for (const type of FLOW_ELEMENT_TYPES) {
    for (const element of all(root, type)) {
      const name = textOf(element, 'name');
      let object: string | undefined;
      let queried: Set<string> | undefined;
      if (type === 'recordLookups' && textOf(element, 'storeOutputAutomatically') === 'true') {
        object = textOf(element, 'object');
        const fields = all(element, 'queriedFields').map((f) => f.text);
        if (fields.length) queried = new Set(fields);
      }
      if (type === 'variables' && textOf(element, 'objectType')) object = textOf(element, 'objectType');
      resources.set(name, { type, object, queried });
    }
  }
  return resources;
}

function descendants(node: XNode, name: string, out: XNode[] = []): XNode[] {
  for (const child of node.children) {
    if (child.name === name) out.push(child);
    descendants(child, name, out);
  }
  return out;
}

function checkFlow(project: Project, file: MetadataFile): Finding[] {
  const out: Finding[] = [];
  const root = file.root as XNode;
  const report = (node: XNode | undefined, message: string) => out.push(finding('flow-reference', file, message, node?.line));
  const resources = flowResources(root);
  const names = FLOW_ELEMENT_TYPES.flatMap((type) => all(root, type).map((e) => first(e, 'name')));
  const seen = new Set<string>();
  for (const name of names) {
    if (name && seen.has(name.text)) report(name, `two flow elements are named ${name.text}`);
    if (name) seen.add(name.text);
  }
  const start = first(root, 'start');
  const trigger = textOf(start, 'object') || undefined;
  if (trigger && !objectExists(project, trigger)) report(first(start, 'object'), `start object ${trigger} does not exist`);
  for (const target of descendants(root, 'targetReference')) {
    const resource = resources.get(target.text);
    if (!resource || resource.type === 'formulas' || resource.type === 'variables' || resource.type === 'constants') {
      report(target, `connector points to "${target.text}", which is not an element of this flow`);
    }
  }
  const checkFieldOn = (object: string, node: XNode | undefined, what: string) => {
    if (!node) return;
    const reason = fieldMissing(project, object, node.text);
    if (reason) report(node, `${what} ${object}.${node.text}: ${reason}`);
  };
  const checkPicklistValue = (object: string, field: string, valueNode: XNode | undefined) => {
    const literal = first(valueNode, 'stringValue');
    const values = picklistValues(project, object, field);
    if (literal && values && !values.includes(literal.text)) {
      report(literal, `"${literal.text}" is not a value of picklist ${object}.${field} (values: ${values.join(', ')})`);
    }
  };
  if (trigger && start) {
    for (const filter of all(start, 'filters')) {
      checkFieldOn(trigger, first(filter, 'field'), 'the entry condition tests');
      checkPicklistValue(trigger, textOf(filter, 'field'), first(filter, 'value'));
    }
  }
  for (const type of FLOW_DATA_ELEMENTS) {
    for (const element of all(root, type)) {
      const objectNode = first(element, 'object');
      const object = objectNode?.text ?? '';
      if (!objectNode) continue;
      if (!objectExists(project, object)) {
        report(objectNode, `${textOf(element, 'name')} works on ${object}, which does not exist`);
        continue;
      }
      for (const filter of all(element, 'filters')) {
        checkFieldOn(object, first(filter, 'field'), `${textOf(element, 'name')} filters on`);
        checkPicklistValue(object, textOf(filter, 'field'), first(filter, 'value'));
      }
      for (const assignment of all(element, 'inputAssignments')) {
        checkFieldOn(object, first(assignment, 'field'), `${textOf(element, 'name')} sets`);
        checkPicklistValue(object, textOf(assignment, 'field'), first(assignment, 'value'));
      }
      for (const assignment of all(element, 'outputAssignments')) checkFieldOn(object, first(assignment, 'field'), `${textOf(element, 'name')} reads`);
      for (const field of all(element, 'queriedFields')) checkFieldOn(object, field, `${textOf(element, 'name')} queries`);
      checkFieldOn(object, first(element, 'sortField'), `${textOf(element, 'name')} sorts by`);
    }
  }
  const checkReference = (node: XNode, reference: string) => {
    const reason = flowReferenceProblem(project, resources, trigger, reference.trim());
    if (reason) report(node, `reference {!${reference.trim()}}: ${reason}`);
  };
  for (const tag of ['elementReference', 'leftValueReference', 'assignToReference']) {
    for (const node of descendants(root, tag)) checkReference(node, node.text);
  }
  // Literals compared with or assigned to a picklist field must be values of that picklist.
  const pairs: [XNode, string, string][] = [
    ...descendants(root, 'assignmentItems').map((n): [XNode, string, string] => [n, 'assignToReference', 'value']),
    ...descendants(root, 'conditions').map((n): [XNode, string, string] => [n, 'leftValueReference', 'rightValue'])
  ];
  for (const [node, refTag, valueTag] of pairs) {
    const [head = '', field, ...more] = textOf(node, refTag).split('.');
    if (!field || more.length) continue;
    const object = head === '$Record' || head === '$Record__Prior' ? trigger : resources.get(head)?.object;
    if (object) checkPicklistValue(object, field, first(node, valueTag));
  }
  const withMergeFields = [
    ...all(root, 'formulas').map((f) => first(f, 'expression')),
    ...all(root, 'textTemplates').map((t) => first(t, 'text')),
    first(start, 'filterFormula'),
    first(root, 'interviewLabel')
  ];
  for (const node of withMergeFields) {
    if (!node) continue;
    for (const match of node.text.matchAll(/\{!([^}]+)\}/g)) checkReference(node, match[1] ?? '');
  }
  return out;
}

function flowReferenceProblem(project: Project, resources: Map<string, FlowResource>, trigger: string | undefined, reference: string): string | undefined {
  const [head = '', ...rest] = reference.split('.');
  const path = rest.join('.');
  if (head === '$Record' || head === '$Record__Prior') {
    if (!trigger) return `${head} exists only in record-triggered flows`;
    return path ? fieldMissing(project, trigger, path) : undefined;
  }
  if (head.startsWith('$')) return FLOW_GLOBALS.has(head) ? undefined : `unknown global variable ${head}`;
  const resource = resources.get(head);
  if (!resource) return `no element or resource named ${head} in this flow`;
  if (!path) return undefined;
  if (!resource.object) return `${head} is not a record, so it has no field ${path}`;
  const firstSegment = rest[0] ?? '';
  if (resource.queried && !resource.queried.has(firstSegment) && !firstSegment.endsWith('__r')) {
    return `${head} does not query ${firstSegment} (add it to queriedFields)`;
  }
  return fieldMissing(project, resource.object, path);
}

const flowRule: Rule = (project) => project.byKind('Flow').flatMap((file) => checkFlow(project, file));

// ---------------------------------------------------------------------------------------------
// Permission sets

interface GrantedObject {
  readonly node: XNode;
  readonly flags: Readonly<Record<string, boolean>>;
}

function flags(node: XNode, names: readonly string[]): Record<string, boolean> {
  return Object.fromEntries(names.map((name) => [name, textOf(node, name) === 'true']));
}

const OBJECT_FLAGS = ['allowCreate', 'allowDelete', 'allowEdit', 'allowRead', 'modifyAllRecords', 'viewAllRecords'] as const;

function checkObjectPermission(project: Project, file: MetadataFile, node: XNode): Finding[] {
  const out: Finding[] = [];
  const object = textOf(node, 'object');
  const f = flags(node, OBJECT_FLAGS);
  const report = (message: string) => out.push(finding('permission-set', file, message, node.line));
  if (!objectExists(project, object)) {
    report(`objectPermissions names ${object}, which does not exist`);
    return out;
  }
  if (STANDARD_OBJECTS[object] && !STANDARD_OBJECTS[object].objectPermissions) {
    report(`Salesforce has no object permission for ${object}; its access follows other objects`);
  }
  const needs: [string, string[]][] = [
    ['allowCreate', ['allowRead']],
    ['allowEdit', ['allowRead']],
    ['allowDelete', ['allowRead', 'allowEdit']],
    ['viewAllRecords', ['allowRead']],
    ['modifyAllRecords', ['allowRead', 'allowEdit', 'allowDelete', 'viewAllRecords']]
  ];
  for (const [flag, required] of needs) {
    const missing = required.filter((r) => !f[r]);
    if (f[flag] && missing.length) report(`${object}: ${flag} depends on ${missing.join(', ')}`);
  }
  if (object.endsWith('__e') && (f.allowEdit || f.allowDelete || f.viewAllRecords || f.modifyAllRecords)) {
    report(`${object} is a platform event: only Read and Create can be granted`);
  }
  return out;
}

function objectGrants(file: MetadataFile): Map<string, GrantedObject> {
  return new Map(all(file.root, 'objectPermissions').map((node) => [textOf(node, 'object'), { node, flags: flags(node, OBJECT_FLAGS) }]));
}

function checkFieldPermission(project: Project, file: MetadataFile, node: XNode, objects: Map<string, GrantedObject>): Finding[] {
  const out: Finding[] = [];
  const name = textOf(node, 'field');
  const dot = name.indexOf('.');
  const object = name.slice(0, dot);
  const field = name.slice(dot + 1);
  const report = (message: string) => out.push(finding('permission-set', file, message, node.line));
  const readable = textOf(node, 'readable') === 'true';
  const editable = textOf(node, 'editable') === 'true';
  if (dot < 0 || !objectExists(project, object)) {
    report(`fieldPermissions names ${name}: object ${object || name} does not exist`);
    return out;
  }
  const resolved = resolveField(project, object, field);
  if (!resolved) {
    report(`fieldPermissions names ${name}, which does not exist (not in force-app, not a known standard field)`);
    return out;
  }
  if (!resolved.fls) {
    const why = resolved.info?.required
      ? 'it is required'
      : resolved.info?.type === 'MasterDetail'
        ? 'it is a master-detail field'
        : object.endsWith('__e')
          ? 'platform event fields have no field-level security'
          : 'it is a system or required standard field';
    report(`fieldPermissions for ${name} would fail the deploy: ${why}, so its access follows the object`);
  }
  if (editable && !readable) report(`${name} is editable but not readable`);
  const objectHasPermissions = !STANDARD_OBJECTS[object] || STANDARD_OBJECTS[object].objectPermissions;
  if (objectHasPermissions && (readable || editable) && !objects.get(object)?.flags.allowRead) {
    report(`${name} is granted but ${object} is not readable in this permission set`);
  }
  return out;
}

function checkPermissionSet(project: Project, file: MetadataFile, tabs: ReadonlySet<string>, apps: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  const objects = objectGrants(file);
  for (const node of all(file.root, 'objectPermissions')) out.push(...checkObjectPermission(project, file, node));
  for (const [object, grant] of objects) {
    // A detail object's permissions depend on Read on its master (Object Permissions, Salesforce Help).
    for (const field of project.objects.get(object)?.fields.values() ?? []) {
      if (field.type !== 'MasterDetail' || !field.referenceTo?.endsWith('__c')) continue;
      if (grant.flags.allowRead && !objects.get(field.referenceTo)?.flags.allowRead) {
        out.push(finding('permission-set', file, `${object} is the detail of ${field.referenceTo}: grant Read on ${field.referenceTo} too`, grant.node.line));
      }
    }
  }
  for (const node of all(file.root, 'fieldPermissions')) out.push(...checkFieldPermission(project, file, node, objects));
  const fields = all(file.root, 'fieldPermissions').map((n) => textOf(n, 'field'));
  const duplicate = fields.find((f, i) => fields.indexOf(f) !== i);
  if (duplicate) out.push(finding('permission-set', file, `fieldPermissions lists ${duplicate} twice`));
  for (const node of all(file.root, 'tabSettings')) {
    const tab = textOf(node, 'tab');
    if (!tab.startsWith('standard-') && !tabs.has(tab)) out.push(finding('permission-set', file, `tabSettings names tab ${tab}, which does not exist`, node.line));
  }
  for (const node of all(file.root, 'applicationVisibilities')) {
    const app = textOf(node, 'application');
    if (!app.startsWith('standard__') && !apps.has(app)) {
      out.push(finding('permission-set', file, `applicationVisibilities names app ${app}, which does not exist`, node.line));
    }
  }
  return out;
}

const permissionSetRule: Rule = (project) => {
  const tabs = new Set(project.byKind('CustomTab').map((f) => f.name));
  const apps = new Set(project.byKind('CustomApplication').map((f) => f.name));
  return project.byKind('PermissionSet').flatMap((file) => checkPermissionSet(project, file, tabs, apps));
};

const flsCoverageRule: Rule = (project) => {
  const granted = new Set<string>();
  for (const file of project.byKind('PermissionSet')) {
    if (file.name === INTEGRATION_PERMISSION_SET) continue;
    for (const node of all(file.root, 'fieldPermissions')) if (textOf(node, 'readable') === 'true') granted.add(textOf(node, 'field'));
  }
  const out: Finding[] = [];
  for (const object of project.objects.values()) {
    if (object.kind === 'platformEvent') continue;
    for (const field of object.fields.values()) {
      const resolved = resolveField(project, object.name, field.name);
      if (resolved?.fls && !granted.has(`${object.name}.${field.name}`)) {
        out.push(finding('fls-coverage', field.file, `${object.name}.${field.name} is not readable in any role permission set, so no user can see it`));
      }
    }
  }
  return out;
};

/** The access a permission set file grants, in the shape of the engine's access list. */
export function grantedAccess(root: XNode): PermissionSetAccess {
  return {
    objectPermissions: all(root, 'objectPermissions').map((node) => ({
      object: textOf(node, 'object'),
      allowCreate: textOf(node, 'allowCreate') === 'true',
      allowDelete: textOf(node, 'allowDelete') === 'true',
      allowEdit: textOf(node, 'allowEdit') === 'true',
      allowRead: textOf(node, 'allowRead') === 'true',
      modifyAllRecords: textOf(node, 'modifyAllRecords') === 'true',
      viewAllRecords: textOf(node, 'viewAllRecords') === 'true'
    })),
    fieldPermissions: all(root, 'fieldPermissions').map((node) => ({
      field: textOf(node, 'field'),
      readable: textOf(node, 'readable') === 'true',
      editable: textOf(node, 'editable') === 'true'
    })),
    userPermissions: all(root, 'userPermissions')
      .filter((node) => textOf(node, 'enabled') === 'true')
      .map((node) => textOf(node, 'name'))
  };
}

function compareGrants<T extends object>(kind: string, key: (t: T) => string, expected: readonly T[], actual: readonly T[]): string[] {
  const problems: string[] = [];
  const actualByKey = new Map(actual.map((a) => [key(a), a]));
  const expectedByKey = new Map(expected.map((e) => [key(e), e]));
  for (const [name, want] of expectedByKey) {
    const got = actualByKey.get(name);
    if (!got) {
      problems.push(`missing ${kind} ${name}`);
      continue;
    }
    const diffs = Object.keys(want)
      .filter((k) => (want as Record<string, unknown>)[k] !== (got as Record<string, unknown>)[k])
      .map((k) => `${k} is ${String((got as Record<string, unknown>)[k])}, the engine needs ${String((want as Record<string, unknown>)[k])}`);
    if (diffs.length) problems.push(`${kind} ${name}: ${diffs.join('; ')}`);
  }
  for (const name of actualByKey.keys()) {
    if (!expectedByKey.has(name)) problems.push(`grants ${kind} ${name}, which the engine's access list does not name`);
  }
  return problems;
}

/** The integration permission set grants exactly what services/engine/schema/access.ts lists. */
export const integrationRule: Rule = (project) => {
  const file = project.byKind('PermissionSet').find((f) => f.name === INTEGRATION_PERMISSION_SET);
  const expectedPath = `${project.packageDir.split(/[\\/]/).pop() ?? 'force-app'}/main/default/permissionsets/${INTEGRATION_PERMISSION_SET}.permissionset-meta.xml`;
  if (!file?.root) return [finding('integration-access', expectedPath, `the integration permission set is missing. ${FIX_INTEGRATION}`)];
  const expected = integrationPermissions();
  const actual = grantedAccess(file.root);
  const problems = [
    ...compareGrants('objectPermissions', (p) => p.object, expected.objectPermissions, actual.objectPermissions),
    ...compareGrants('fieldPermissions', (p) => p.field, expected.fieldPermissions, actual.fieldPermissions),
    ...compareGrants('userPermissions', (p) => p.name, expected.userPermissions.map((name) => ({ name })), actual.userPermissions.map((name) => ({ name })))
  ];
  return problems.map((problem) => finding('integration-access', file, `${problem}. ${FIX_INTEGRATION}`));
};

// ---------------------------------------------------------------------------------------------
// Engine schema module, app and tabs

const DESCRIBE_TYPE: Readonly<Record<string, FieldType>> = {
  Text: 'string',
  AutoNumber: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Phone: 'phone',
  Picklist: 'picklist',
  Lookup: 'reference',
  MasterDetail: 'reference',
  Checkbox: 'boolean',
  Number: 'double',
  Currency: 'currency',
  Percent: 'percent',
  Date: 'date',
  DateTime: 'datetime'
};

/** Every object, field and picklist value of services/engine/schema exists in force-app as declared. */
export const engineSchemaRule: Rule = (project) => {
  const out: Finding[] = [];
  const report = (message: string) => out.push(finding('engine-schema', ENGINE_SCHEMA_FILE, message));
  for (const [object, def] of Object.entries(SOBJECTS)) {
    if (!objectExists(project, object)) {
      report(`the engine names object ${object}, which is neither in force-app nor a known standard object`);
      continue;
    }
    const standard = STANDARD_OBJECTS[object];
    const hasObjectPermissions = standard ? standard.objectPermissions : true;
    if (def.objectPermissions !== hasObjectPermissions) {
      report(`${object}: objectPermissions is ${String(def.objectPermissions)} in the engine schema but ${String(hasObjectPermissions)} for Salesforce`);
    }
    for (const [field, fieldDef] of Object.entries(def.fields)) {
      const resolved = resolveField(project, object, field);
      if (!resolved) {
        report(`the engine names ${object}.${field}, which does not exist in force-app nor among the known standard fields`);
        continue;
      }
      if (resolved.fls !== fieldDef.fls) report(`${object}.${field}: fls is ${String(fieldDef.fls)} in the engine schema but ${String(resolved.fls)} in force-app`);
      const metadataType = resolved.info?.type;
      if (metadataType && DESCRIBE_TYPE[metadataType] !== fieldDef.type) {
        report(`${object}.${field}: type ${fieldDef.type} in the engine schema, but force-app says ${metadataType} (${DESCRIBE_TYPE[metadataType] ?? '?'})`);
      }
      if (metadataType === 'Picklist' && !PICKLIST_VALUES[object as keyof typeof PICKLIST_VALUES]?.[field]) {
        report(`${object}.${field} is a picklist but services/engine/schema/picklists.ts has no values for it`);
      }
    }
  }
  for (const [object, fields] of Object.entries(PICKLIST_VALUES)) {
    for (const [field, values] of Object.entries(fields ?? {})) {
      const actual = picklistValues(project, object, field);
      if (!actual) report(`picklists.ts lists values for ${object}.${field}, which is not a picklist in force-app`);
      else if (actual.join('|') !== values.join('|')) {
        report(`${object}.${field} values differ: engine [${values.join(', ')}], force-app [${actual.join(', ')}]`);
      }
    }
  }
  for (const [name, values] of Object.entries(GLOBAL_VALUE_SETS)) {
    const actual = project.globalValueSets.get(name)?.values;
    if (!actual) report(`global value set ${name} is missing from force-app/main/default/globalValueSets`);
    else if (actual.join('|') !== values.join('|')) report(`global value set ${name} differs: engine [${values.join(', ')}], force-app [${actual.join(', ')}]`);
  }
  return out;
};

const appRule: Rule = (project) => {
  const out: Finding[] = [];
  const tabs = new Set(project.byKind('CustomTab').map((f) => f.name));
  for (const file of project.byKind('CustomTab')) {
    if (textOf(file.root, 'customObject') === 'true' && !objectExists(project, file.name)) {
      out.push(finding('app-reference', file, `object tab ${file.name} names an object that does not exist`));
    }
  }
  for (const file of project.byKind('CustomApplication')) {
    for (const tab of all(file.root, 'tabs')) {
      if (!tab.text.startsWith('standard-') && !tabs.has(tab.text)) {
        out.push(finding('app-reference', file, `app tab ${tab.text} does not exist in force-app/main/default/tabs`, tab.line));
      }
    }
  }
  return out;
};
