/**
 * Reads flow definitions (`*.flow-meta.xml`, Metadata API Developer Guide: "Flow") into
 * typed shapes, validated with zod at this boundary. Only the parts the local org can run
 * are typed; every other top-level element kind is kept by name so the compiler can report
 * it instead of ignoring it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';

/** Repeating child elements below the root (the root's own children are always lists). */
const NESTED_LISTS = new Set([
  'assignmentItems',
  'rules',
  'conditions',
  'filters',
  'inputAssignments',
  'outputAssignments',
  'queriedFields',
  'scheduledPaths',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  // Text values keep their spaces (`<stringValue>attempt </stringValue>`); the whitespace
  // between elements arrives as '#text' keys, which the schemas drop.
  trimValues: false,
  isArray: (name, jPath) => NESTED_LISTS.has(name) || (/^Flow\.[^.]+$/.test(String(jPath)) && !name.startsWith('#')),
});

const text = z.string();
const flag = z.string().transform((value) => value.trim() === 'true');
const connector = z.object({ targetReference: text }).optional();

/** FlowElementReferenceOrValue: one literal or a reference. An empty `<value/>` is an empty string. */
const valueObject = z.object({
  stringValue: text.optional(),
  numberValue: text.optional(),
  booleanValue: text.optional(),
  dateTimeValue: text.optional(),
  dateValue: text.optional(),
  elementReference: text.optional(),
});
export type FlowValueXml = z.infer<typeof valueObject>;
export const flowValueSchema: z.ZodType<FlowValueXml, unknown> = z.union([valueObject, z.literal('').transform((): FlowValueXml => ({ stringValue: '' }))]);

const conditionSchema = z.object({
  leftValueReference: text,
  operator: text,
  rightValue: flowValueSchema.optional(),
});
export type ConditionXml = z.infer<typeof conditionSchema>;

/** Record filters (Get/Update Records, the start's entry conditions): a field of the object. */
const recordFilterSchema = z.object({ field: text, operator: text, value: flowValueSchema.optional() });
export type RecordFilterXml = z.infer<typeof recordFilterSchema>;

const fieldValueSchema = z.object({ field: text, value: flowValueSchema.optional() });

const base = { name: text, label: text.optional(), connector, faultConnector: connector };

export const assignmentSchema = z.object({
  ...base,
  assignmentItems: z.array(z.object({ assignToReference: text, operator: text, value: flowValueSchema.optional() })).default([]),
});

export const decisionSchema = z.object({
  name: text,
  label: text.optional(),
  defaultConnector: connector,
  rules: z
    .array(
      z.object({
        name: text,
        label: text.optional(),
        conditionLogic: text.default('and'),
        conditions: z.array(conditionSchema).default([]),
        connector,
      }),
    )
    .default([]),
});

export const formulaSchema = z.object({ name: text, dataType: text, expression: text, scale: text.optional() });

export const variableSchema = z.object({
  name: text,
  dataType: text,
  isCollection: flag.default(false),
  objectType: text.optional(),
  value: flowValueSchema.optional(),
});

export const constantSchema = z.object({ name: text, dataType: text, value: flowValueSchema.optional() });

export const recordLookupSchema = z.object({
  ...base,
  object: text,
  filterLogic: text.optional(),
  filters: z.array(recordFilterSchema).default([]),
  getFirstRecordOnly: flag.default(false),
  sortField: text.optional(),
  sortOrder: z.enum(['Asc', 'Desc']).optional(),
  storeOutputAutomatically: flag.default(false),
  outputReference: text.optional(),
  outputAssignments: z.array(z.object({ assignToReference: text, field: text })).default([]),
  assignNullValuesIfNoRecordsFound: flag.default(false),
  queriedFields: z.array(text).default([]),
});

export const recordUpdateSchema = z.object({
  ...base,
  object: text.optional(),
  inputReference: text.optional(),
  filterLogic: text.optional(),
  filters: z.array(recordFilterSchema).default([]),
  inputAssignments: z.array(fieldValueSchema).default([]),
});

export const recordCreateSchema = z.object({
  ...base,
  object: text.optional(),
  inputReference: text.optional(),
  inputAssignments: z.array(fieldValueSchema).default([]),
  storeOutputAutomatically: flag.default(false),
  assignRecordIdToReference: text.optional(),
});

export const startSchema = z.object({
  connector,
  object: text.optional(),
  recordTriggerType: text.optional(),
  triggerType: text.optional(),
  filterLogic: text.optional(),
  filters: z.array(recordFilterSchema).default([]),
  filterFormula: text.optional(),
  doesRequireRecordChangedToMeetCriteria: flag.default(false),
  scheduledPaths: z.array(z.object({ name: text.optional() }).catch({})).default([]),
});

export type AssignmentXml = z.infer<typeof assignmentSchema>;
export type DecisionXml = z.infer<typeof decisionSchema>;
export type FormulaXml = z.infer<typeof formulaSchema>;
export type VariableXml = z.infer<typeof variableSchema>;
export type ConstantXml = z.infer<typeof constantSchema>;
export type RecordLookupXml = z.infer<typeof recordLookupSchema>;
export type RecordUpdateXml = z.infer<typeof recordUpdateSchema>;
export type RecordCreateXml = z.infer<typeof recordCreateSchema>;
export type StartXml = z.infer<typeof startSchema>;

/** Root elements that carry no behaviour (labels, builder layout, documentation). */
const DESCRIPTIVE = new Set([
  'apiVersion',
  'areMetricsLoggedToDataCloud',
  'description',
  'environments',
  'interviewLabel',
  'label',
  'processMetadataValues',
  'processType',
  'status',
  'runInMode',
  'triggerOrder',
  'isTemplate',
  'isAdditionalPermissionRequiredToRun',
  'customProperties',
  'sourceTemplate',
  'timeZoneSidKey',
  'migratedFromWorkflowRuleName',
  'isOverridable',
  'overriddenFlow',
  'fullName',
  'start',
  'assignments',
  'decisions',
  'formulas',
  'variables',
  'constants',
  'recordLookups',
  'recordUpdates',
  'recordCreates',
]);

export interface FlowFile {
  /** The flow's API name (file name without `.flow-meta.xml`). */
  apiName: string;
  path: string;
  label: string;
  status: string;
  processType: string | null;
  triggerOrder: number | null;
  start: StartXml | null;
  assignments: AssignmentXml[];
  decisions: DecisionXml[];
  formulas: FormulaXml[];
  variables: VariableXml[];
  constants: ConstantXml[];
  recordLookups: RecordLookupXml[];
  recordUpdates: RecordUpdateXml[];
  recordCreates: RecordCreateXml[];
  /** Other element kinds present, with their element names: the compiler refuses them. */
  otherElements: Array<{ kind: string; name: string }>;
}

export class FlowFileError extends Error {}

type Xml = Record<string, unknown>;

function first(node: Xml, key: string): unknown {
  const value = node[key];
  return Array.isArray(value) ? value[0] : value;
}

function scalar(node: Xml, key: string): string | null {
  const value = first(node, key);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function listOf<T>(node: Xml, key: string, schema: z.ZodType<T>, path: string): T[] {
  const value = node[key];
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.map((item, index) => {
    const parsed = schema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const name = typeof item === 'object' && item !== null ? String((item as Xml).name ?? index) : String(index);
      throw new FlowFileError(`${path}: <${key}> "${name}" is malformed at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data;
  });
}

/** Parses one flow file; throws FlowFileError naming the file and element when it is malformed. */
export function parseFlowFile(path: string, xml: string = readFileSync(path, 'utf8')): FlowFile {
  const root = (parser.parse(xml) as Xml).Flow;
  if (root === undefined || typeof root !== 'object' || root === null) throw new FlowFileError(`${path}: expected a <Flow> document`);
  const node = root as Xml;
  const startNode = first(node, 'start');
  const start = startNode === undefined || startNode === '' ? null : listOf({ start: startNode }, 'start', startSchema, path)[0] ?? null;
  const triggerOrder = scalar(node, 'triggerOrder');
  const otherElements = Object.keys(node)
    .filter((kind) => !DESCRIPTIVE.has(kind) && !kind.startsWith('#'))
    .flatMap((kind) => {
      const items = Array.isArray(node[kind]) ? (node[kind] as unknown[]) : [node[kind]];
      return items.map((item) => ({ kind, name: typeof item === 'object' && item !== null && typeof (item as Xml).name === 'string' ? ((item as Xml).name as string) : kind }));
    });
  return {
    apiName: basename(path).replace(/\.flow-meta\.xml$|\.flow$/, ''),
    path,
    label: scalar(node, 'label') ?? basename(path),
    status: scalar(node, 'status') ?? 'Active',
    processType: scalar(node, 'processType'),
    triggerOrder: triggerOrder === null ? null : Number(triggerOrder),
    start,
    assignments: listOf(node, 'assignments', assignmentSchema, path),
    decisions: listOf(node, 'decisions', decisionSchema, path),
    formulas: listOf(node, 'formulas', formulaSchema, path),
    variables: listOf(node, 'variables', variableSchema, path),
    constants: listOf(node, 'constants', constantSchema, path),
    recordLookups: listOf(node, 'recordLookups', recordLookupSchema, path),
    recordUpdates: listOf(node, 'recordUpdates', recordUpdateSchema, path),
    recordCreates: listOf(node, 'recordCreates', recordCreateSchema, path),
    otherElements,
  };
}

/** Every `*.flow-meta.xml` in `flows` folders under the package directory, sorted by path. */
export function findFlowFiles(forceAppDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === '__tests__') continue;
      const path = join(dir, entry.name);
      if (entry.name === 'flows') {
        for (const file of readdirSync(path)) if (file.endsWith('.flow-meta.xml')) found.push(join(path, file));
      } else {
        walk(path);
      }
    }
  };
  if (existsSync(forceAppDir) && statSync(forceAppDir).isDirectory()) walk(forceAppDir);
  return found.sort();
}
