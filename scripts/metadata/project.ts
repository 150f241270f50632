import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { CUSTOM_OBJECT_FIELDS, PLATFORM_EVENT_FIELDS, STANDARD_OBJECTS, type StandardField } from './standard';
import { all, first, parseXml, textOf, type XNode } from './xml';

/** One finding: the file (relative to the project), the line when known, the rule and why. */
export interface Finding {
  readonly rule: string;
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

/** Metadata types read by the checks, by source-format file suffix. */
export const KIND_BY_SUFFIX = {
  '.object-meta.xml': 'CustomObject',
  '.field-meta.xml': 'CustomField',
  '.listView-meta.xml': 'ListView',
  '.compactLayout-meta.xml': 'CompactLayout',
  '.validationRule-meta.xml': 'ValidationRule',
  '.layout-meta.xml': 'Layout',
  '.flow-meta.xml': 'Flow',
  '.permissionset-meta.xml': 'PermissionSet',
  '.globalValueSet-meta.xml': 'GlobalValueSet',
  '.tab-meta.xml': 'CustomTab',
  '.app-meta.xml': 'CustomApplication'
} as const;

export type Kind = (typeof KIND_BY_SUFFIX)[keyof typeof KIND_BY_SUFFIX];

export interface MetadataFile {
  readonly path: string;
  /** Path shown in findings: relative to the directory that holds the package directory. */
  readonly rel: string;
  readonly kind?: Kind;
  /** Component name: file name without its suffix (Station__c, ASL_SDR, Key__c). */
  readonly name: string;
  /** For files under objects/<Object>/: the object. */
  readonly object?: string;
  readonly root?: XNode;
}

export interface FieldInfo {
  readonly object: string;
  readonly name: string;
  readonly file: MetadataFile;
  readonly type: string;
  readonly required: boolean;
  readonly referenceTo?: string;
  readonly relationshipName?: string;
  readonly valueSetName?: string;
  /** Local picklist values, when the field defines its own. */
  readonly values?: readonly string[];
}

export interface ObjectInfo {
  readonly name: string;
  readonly kind: 'custom' | 'standard' | 'platformEvent';
  file?: MetadataFile;
  readonly fields: Map<string, FieldInfo>;
  readonly compactLayouts: Set<string>;
  readonly listViews: Set<string>;
}

export interface Project {
  readonly packageDir: string;
  readonly files: readonly MetadataFile[];
  readonly parseFailures: readonly Finding[];
  readonly objects: Map<string, ObjectInfo>;
  readonly globalValueSets: Map<string, { file: MetadataFile; values: string[] }>;
  readonly byKind: (kind: Kind) => MetadataFile[];
}

/** What a field reference resolves to, whether defined in force-app or standard. */
export interface ResolvedField {
  readonly object: string;
  readonly name: string;
  readonly custom: boolean;
  readonly fls: boolean;
  readonly referenceTo?: string;
  readonly info?: FieldInfo;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (entry.endsWith('.xml')) out.push(path);
  }
  return out;
}

function kindOf(path: string): { kind?: Kind; name: string } {
  const file = basename(path);
  for (const [suffix, kind] of Object.entries(KIND_BY_SUFFIX)) {
    if (file.endsWith(suffix)) return { kind, name: file.slice(0, -suffix.length) };
  }
  return { name: file };
}

function objectOf(path: string, kind: Kind | undefined): string | undefined {
  const parts = path.split(sep);
  const at = parts.lastIndexOf('objects');
  if (at < 0) return undefined;
  if (kind === 'CustomObject' || kind === 'CustomField' || kind === 'ListView' || kind === 'CompactLayout' || kind === 'ValidationRule') {
    return parts[at + 1];
  }
  return undefined;
}

/** Reads every XML file under the package directory; files that are not well-formed are findings. */
export function loadProject(packageDir: string): Project {
  const base = dirname(packageDir);
  const files: MetadataFile[] = [];
  const parseFailures: Finding[] = [];
  for (const path of walk(packageDir).sort()) {
    const rel = relative(base, path).split(sep).join('/');
    const { kind, name } = kindOf(path);
    const parsed = parseXml(readFileSync(path, 'utf8'));
    if (!parsed.ok) {
      parseFailures.push({ rule: 'xml-well-formed', file: rel, line: parsed.line, message: `not well-formed XML: ${parsed.reason}` });
      files.push({ path, rel, kind, name, object: objectOf(path, kind) });
      continue;
    }
    files.push({ path, rel, kind, name, object: objectOf(path, kind), root: parsed.root });
  }
  const objects = new Map<string, ObjectInfo>();
  const ensure = (name: string): ObjectInfo => {
    let info = objects.get(name);
    if (!info) {
      const kind = name.endsWith('__e') ? 'platformEvent' : name.endsWith('__c') ? 'custom' : 'standard';
      info = { name, kind, fields: new Map(), compactLayouts: new Set(), listViews: new Set() };
      objects.set(name, info);
    }
    return info;
  };
  const globalValueSets = new Map<string, { file: MetadataFile; values: string[] }>();
  for (const file of files) {
    if (!file.root) continue;
    if (file.kind === 'CustomObject' && file.object) ensure(file.object).file = file;
    if (file.kind === 'CustomField' && file.object) ensure(file.object).fields.set(file.name, fieldInfo(file));
    if (file.kind === 'CompactLayout' && file.object) ensure(file.object).compactLayouts.add(file.name);
    if (file.kind === 'ListView' && file.object) ensure(file.object).listViews.add(file.name);
    if (file.kind === 'GlobalValueSet') {
      globalValueSets.set(file.name, { file, values: all(file.root, 'customValue').map((v) => textOf(v, 'fullName')) });
    }
  }
  const byKind = (kind: Kind) => files.filter((file) => file.kind === kind && file.root);
  return { packageDir, files, parseFailures, objects, globalValueSets, byKind };
}

function fieldInfo(file: MetadataFile): FieldInfo {
  const root = file.root as XNode;
  const valueSet = first(root, 'valueSet');
  const definition = first(valueSet, 'valueSetDefinition');
  return {
    object: file.object as string,
    name: file.name,
    file,
    type: textOf(root, 'type'),
    required: textOf(root, 'required') === 'true',
    referenceTo: textOf(root, 'referenceTo') || undefined,
    relationshipName: textOf(root, 'relationshipName') || undefined,
    valueSetName: textOf(valueSet, 'valueSetName') || undefined,
    values: definition ? all(definition, 'value').map((v) => textOf(v, 'fullName')) : undefined
  };
}

/** Whether an object exists: defined in force-app (with an object file) or a known standard object. */
export function objectExists(project: Project, object: string): boolean {
  if (STANDARD_OBJECTS[object]) return true;
  const info = project.objects.get(object);
  // A folder objects/<Standard>/fields holds package fields of a standard object that exists in every org.
  return Boolean(info && (info.file || info.kind === 'standard'));
}

function standardField(project: Project, object: string, field: string): StandardField | undefined {
  const standard = STANDARD_OBJECTS[object]?.fields[field];
  if (standard) return standard;
  const info = project.objects.get(object);
  if (!info?.file) return undefined;
  if (info.kind === 'platformEvent') return PLATFORM_EVENT_FIELDS[field];
  const detail = [...info.fields.values()].some((f) => f.type === 'MasterDetail');
  if (detail && field === 'OwnerId') return undefined;
  return CUSTOM_OBJECT_FIELDS[field];
}

/** Finds a field on an object: a custom field in force-app or a known standard field. */
export function resolveField(project: Project, object: string, field: string): ResolvedField | undefined {
  const info = project.objects.get(object)?.fields.get(field);
  if (info) {
    const fls = !info.required && info.type !== 'MasterDetail' && !object.endsWith('__e');
    return { object, name: field, custom: true, fls, referenceTo: info.referenceTo, info };
  }
  const standard = standardField(project, object, field);
  if (standard) return { object, name: field, custom: false, fls: standard.fls, referenceTo: standard.referenceTo };
  return undefined;
}

/**
 * Resolves a dotted field path from an object (`Station__r.Name` from Lead): every segment
 * but the last is a relationship (`X__r` for a custom lookup X__c, `Account` for AccountId).
 * Returns the reason when it does not resolve.
 */
export function resolvePath(project: Project, object: string, path: string): { ok: true; field: ResolvedField } | { ok: false; reason: string } {
  const segments = path.split('.');
  let current = object;
  for (let i = 0; i < segments.length - 1; i += 1) {
    const relationship = segments[i] as string;
    const lookupName = relationship.endsWith('__r') ? `${relationship.slice(0, -3)}__c` : `${relationship}Id`;
    const lookup = resolveField(project, current, lookupName);
    if (!lookup?.referenceTo) return { ok: false, reason: `${current} has no relationship ${relationship} (no lookup field ${lookupName})` };
    current = lookup.referenceTo;
  }
  const last = segments[segments.length - 1] as string;
  const field = resolveField(project, current, last);
  if (!field) return { ok: false, reason: `${current}.${last} does not exist (not in force-app, not a known standard field)` };
  return { ok: true, field };
}
