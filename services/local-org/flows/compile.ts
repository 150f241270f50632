/**
 * Compiles a record-triggered flow (Metadata API: "Flow"; Flow Builder: "Record-Triggered
 * Flows") into steps the interviewer runs. Everything is resolved here, once: references
 * (`$Record.Station__r.Name`, `Get_Open_Event.Entered_At__c`, `$User.Id`), formulas (with
 * the store's formula evaluator), fields and connectors. Whatever the local org cannot run
 * exactly is reported as a problem and the flow is not run at all, the policy the store
 * already applies to validation rules: a flow runs exactly or not at all.
 *
 * Supported: start (object, recordTriggerType Create/Update/CreateAndUpdate, triggerType
 * RecordBeforeSave/RecordAfterSave, entry filters with filterLogic or filterFormula,
 * doesRequireRecordChangedToMeetCriteria), assignments, decisions, formulas, variables,
 * constants, recordLookups, recordUpdates, recordCreates, connectors and fault connectors.
 */
import { compileFormula, UnsupportedFormula, type FormulaValue } from '../store/formula';
import { formatDateTime } from '../store/values';
import type { FieldDef, OrgSchema, SObjectDef } from '../schema/types';
import type { SaveResult, SObjectInput } from '../store/types';
import { SalesforceError } from '../errors';
import { evaluateLogic, LogicError, parseLogic, type Logic } from './logic';
import type { ConditionXml, FlowFile, FlowValueXml, RecordFilterXml, StartXml } from './metadata';
import { FlowFault, type CompiledFlow, type InterviewState, type Ref, type Step, type Timing } from './model';
import { FILTER_OPERATORS, FilterValueError, FlowRecord, type FilterOperator, type FlowValue, type RecordFilter } from './records';
import { compareValues, isBlank, literal, sameValue, toDataType, toFieldValue, toFormulaValue } from './values';

export type CompileResult =
  /** Runs on saves of its object. */
  | { kind: 'flow'; flow: CompiledFlow }
  /** Would run on a real org but not here: the problems say why. */
  | { kind: 'skipped'; problems: string[] }
  /** Does not run on saves anywhere (inactive, screen or autolaunched without a trigger). */
  | { kind: 'ignored' };

/** Rows a Get Records returns at most (Salesforce: 50,000 rows per transaction). */
const LOOKUP_LIMIT = 50_000;

const RECORD_TRIGGER_TYPES: Record<string, { onCreate: boolean; onUpdate: boolean }> = {
  Create: { onCreate: true, onUpdate: false },
  Update: { onCreate: false, onUpdate: true },
  CreateAndUpdate: { onCreate: true, onUpdate: true },
};

const CONDITION_OPERATORS = new Set([...FILTER_OPERATORS, 'IsBlank', 'IsEmpty', 'IsChanged']);
const ASSIGN_OPERATORS = new Set(['Assign', 'Add', 'Subtract']);
const SCALAR_TYPES = new Set(['String', 'Number', 'Currency', 'Boolean', 'Date', 'DateTime', 'Picklist', 'Multipicklist']);

export function compileFlow(file: FlowFile, schema: OrgSchema, displayPath: string): CompileResult {
  if (file.status !== 'Active') return { kind: 'ignored' };
  // Process Builder processes also run on saves in Salesforce; they must not be skipped silently.
  if (file.processType === 'Workflow') return { kind: 'skipped', problems: ['processType Workflow (a Process Builder process) is not run by the local org'] };
  const start = file.start;
  if (start === null || start.triggerType === undefined) return { kind: 'ignored' };
  if (start.triggerType !== 'RecordBeforeSave' && start.triggerType !== 'RecordAfterSave') {
    return { kind: 'skipped', problems: [`start: triggerType ${start.triggerType} is not run by the local org (it runs before-save and after-save record-triggered flows only)`] };
  }
  return new FlowCompiler(file, schema, displayPath, start, start.triggerType === 'RecordBeforeSave' ? 'before' : 'after').compile();
}

interface Resource {
  kind: 'variable' | 'formula' | 'constant' | 'lookup' | 'create';
  dataType?: string;
  records?: { def: SObjectDef; collection: boolean };
}

class FlowCompiler {
  private readonly problems: string[] = [];
  private readonly resources = new Map<string, Resource>();
  private readonly refs = new Map<string, Ref>();
  private readonly formulaValues = new Map<string, (iv: InterviewState) => FlowValue>();
  private readonly formulaDeps = new Map<string, Set<string>>();
  private readonly elementNames = new Set<string>();
  private object: SObjectDef | undefined;

  constructor(
    private readonly file: FlowFile,
    private readonly schema: OrgSchema,
    private readonly displayPath: string,
    private readonly start: StartXml,
    private readonly timing: Timing,
  ) {}

  compile(): CompileResult {
    const triggers = RECORD_TRIGGER_TYPES[this.start.recordTriggerType ?? ''];
    if (triggers === undefined) this.problem(`start: recordTriggerType ${this.start.recordTriggerType ?? '(none)'} is not run by the local org (Create, Update and CreateAndUpdate are)`);
    this.object = this.start.object === undefined ? undefined : this.schema.find(this.start.object);
    if (this.object === undefined || this.object.isPlatformEvent) this.problem(`start: object ${this.start.object ?? '(none)'} is not an object of this org`);
    for (const path of this.start.scheduledPaths) this.problem(`start: scheduled path "${path.name ?? '?'}" (scheduledPaths) is not run by the local org`);
    for (const other of this.file.otherElements) this.problem(`element "${other.name}" (${other.kind}) is not supported by the local org`);
    if (this.problems.length > 0 || this.object === undefined || triggers === undefined) return { kind: 'skipped', problems: this.problems };
    this.registerResources();
    const flow = this.build(this.object, triggers);
    this.checkFormulaCycles();
    return this.problems.length > 0 ? { kind: 'skipped', problems: this.problems } : { kind: 'flow', flow };
  }

  private build(object: SObjectDef, triggers: { onCreate: boolean; onUpdate: boolean }): CompiledFlow {
    const steps = new Map<string, Step>();
    const initial = new Map<string, (iv: InterviewState) => FlowValue>();
    for (const variable of this.file.variables) {
      const value = this.value(variable.value, `variable "${variable.name}"`);
      const dataType = variable.dataType;
      initial.set(variable.name.toLowerCase(), variable.isCollection ? () => [] : (iv) => toDataType(value(iv), dataType));
    }
    for (const formula of this.file.formulas) this.compileFormulaResource(formula.name, formula.expression, formula.dataType, formula.scale);
    for (const item of this.file.assignments) steps.set(item.name.toLowerCase(), this.assignment(item.name, item.assignmentItems, this.next(item.connector, item.name)));
    for (const item of this.file.decisions) steps.set(item.name.toLowerCase(), this.decision(item.name, item.rules, this.next(item.defaultConnector, item.name)));
    for (const item of this.file.recordLookups) steps.set(item.name.toLowerCase(), this.guarded(item.name, item.faultConnector, this.lookup(item), this.next(item.connector, item.name)));
    for (const item of this.file.recordUpdates) steps.set(item.name.toLowerCase(), this.guarded(item.name, item.faultConnector, this.update(item), this.next(item.connector, item.name)));
    for (const item of this.file.recordCreates) steps.set(item.name.toLowerCase(), this.guarded(item.name, item.faultConnector, this.create(item), this.next(item.connector, item.name)));
    if (this.timing === 'before') {
      for (const item of [...this.file.recordUpdates, ...this.file.recordCreates]) this.problem(`element "${item.name}": a before-save flow cannot create or update records (Flow Builder offers only fast field updates there)`);
    }
    return {
      apiName: this.file.apiName,
      label: this.file.label,
      file: this.displayPath,
      object,
      timing: this.timing,
      onCreate: triggers.onCreate,
      onUpdate: triggers.onUpdate,
      order: this.file.triggerOrder ?? Number.POSITIVE_INFINITY,
      entry: this.entryConditions(),
      onlyWhenChangedToMeet: this.start.doesRequireRecordChangedToMeetCriteria,
      startAt: this.next(this.start.connector, 'start'),
      steps,
      initial,
      refs: this.refs,
    };
  }

  private problem(message: string): void {
    this.problems.push(message);
  }

  // ------------------------------------------------------------------ resources

  private registerResources(): void {
    const all = [
      ...this.file.assignments,
      ...this.file.decisions,
      ...this.file.recordLookups,
      ...this.file.recordUpdates,
      ...this.file.recordCreates,
    ];
    for (const element of all) this.elementNames.add(element.name.toLowerCase());
    for (const variable of this.file.variables) {
      if (variable.dataType === 'SObject') {
        const def = variable.objectType === undefined ? undefined : this.schema.find(variable.objectType);
        if (def === undefined) this.problem(`variable "${variable.name}": object ${variable.objectType ?? '(none)'} is not an object of this org`);
        else this.resources.set(variable.name.toLowerCase(), { kind: 'variable', dataType: 'SObject', records: { def, collection: variable.isCollection } });
      } else if (!SCALAR_TYPES.has(variable.dataType)) {
        this.problem(`variable "${variable.name}": data type ${variable.dataType} is not supported by the local org`);
      } else {
        this.resources.set(variable.name.toLowerCase(), { kind: 'variable', dataType: variable.isCollection ? `${variable.dataType}[]` : variable.dataType });
      }
    }
    for (const formula of this.file.formulas) this.resources.set(formula.name.toLowerCase(), { kind: 'formula', dataType: formula.dataType });
    for (const constant of this.file.constants) this.resources.set(constant.name.toLowerCase(), { kind: 'constant', dataType: constant.dataType });
    for (const lookup of this.file.recordLookups) {
      const def = this.schema.find(lookup.object);
      if (def !== undefined && lookup.storeOutputAutomatically) this.resources.set(lookup.name.toLowerCase(), { kind: 'lookup', records: { def, collection: !lookup.getFirstRecordOnly } });
    }
    for (const create of this.file.recordCreates) {
      if (create.storeOutputAutomatically && create.inputReference === undefined) this.resources.set(create.name.toLowerCase(), { kind: 'create', dataType: 'String' });
    }
  }

  private compileFormulaResource(name: string, expression: string, dataType: string, scaleText: string | undefined): void {
    const scale = scaleText === undefined ? undefined : Number(scaleText);
    const deps = new Set<string>();
    const evaluate = this.formula(expression, `formula "${name}"`, deps);
    this.formulaDeps.set(name.toLowerCase(), deps);
    if (evaluate !== undefined) this.formulaValues.set(name.toLowerCase(), (iv) => toDataType(evaluate(iv), dataType, scale));
  }

  private checkFormulaCycles(): void {
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string, chain: string[]): void => {
      if (state.get(name) === 'done') return;
      if (state.get(name) === 'visiting') {
        this.problem(`formula "${name}" refers to itself through ${chain.join(' -> ')}`);
        return;
      }
      state.set(name, 'visiting');
      for (const dep of this.formulaDeps.get(name) ?? []) visit(dep, [...chain, dep]);
      state.set(name, 'done');
    };
    for (const name of this.formulaDeps.keys()) visit(name, [name]);
  }

  // ------------------------------------------------------------------ references

  /** A reference, or the reason it cannot be resolved. */
  private resolve(text: string): Ref | string {
    const segments = text.trim().split('.');
    const head = (segments[0] ?? '').toLowerCase();
    const rest = segments.slice(1);
    const object = this.object as SObjectDef;
    switch (head) {
      case '$record':
        return this.recordPath(object, (iv) => iv.record, rest, (iv) => iv.prior);
      case '$record__prior':
        return this.recordPath(object, (iv) => iv.prior, rest);
      case '$flow':
        return flowGlobal(rest);
      case '$globalconstant':
        return globalConstant(rest);
      case '$user':
        if (rest.length === 1 && rest[0]?.toLowerCase() === 'id') return { get: (iv) => iv.userId };
        return rest.length === 0 ? 'use $User.<field>' : this.recordPath(this.schema.find('User') as SObjectDef, (iv) => iv.user(), rest);
      case '$organization':
        return rest.length === 0 ? 'use $Organization.<field>' : this.recordPath(this.schema.find('Organization') as SObjectDef, (iv) => iv.organization(), rest);
    }
    if (head.startsWith('$')) return `the global ${segments[0]} is not supported by the local org`;
    return this.resourceRef(head, segments[0] ?? '', rest);
  }

  private resourceRef(key: string, name: string, rest: string[]): Ref | string {
    const resource = this.resources.get(key);
    if (resource === undefined) return this.elementNames.has(key) ? `element ${name} has no output to refer to` : `${name} is not a resource of this flow`;
    if (resource.kind === 'formula') {
      if (rest.length > 0) return `formula ${name} has no fields`;
      return { get: (iv) => (this.formulaValues.get(key) ?? (() => null))(iv) };
    }
    if (resource.kind === 'constant') {
      const constant = this.file.constants.find((item) => item.name.toLowerCase() === key);
      const value = this.value(constant?.value, `constant "${name}"`);
      return rest.length > 0 ? `constant ${name} has no fields` : { get: value };
    }
    const read = (iv: InterviewState): FlowValue => iv.values.get(key) ?? null;
    if (resource.records === undefined) return rest.length > 0 ? `${name} is not a record` : { get: read };
    if (resource.records.collection) return rest.length > 0 ? `${name} is a collection; its records have no fields to refer to directly` : { get: read, records: resource.records };
    return this.recordPath(resource.records.def, (iv) => {
      const value = read(iv);
      return value instanceof FlowRecord ? value : null;
    }, rest);
  }

  /** `record` or `record.Field` or `record.Parent__r.Field` (any depth of lookups). */
  private recordPath(def: SObjectDef, base: (iv: InterviewState) => FlowRecord | null, path: string[], prior?: (iv: InterviewState) => FlowRecord | null): Ref | string {
    if (path.length === 0) return { get: base, records: { def, collection: false } };
    const problem = this.checkPath(def, path);
    if (problem !== undefined) return problem;
    const schema = this.schema;
    return {
      get: (iv) => readPath(iv, schema, base(iv), path),
      ...(prior === undefined ? {} : { getPrior: (iv: InterviewState) => readPath(iv, schema, prior(iv), path) }),
    };
  }

  private checkPath(start: SObjectDef, path: string[]): string | undefined {
    let defs: SObjectDef[] = [start];
    for (const [index, segment] of path.entries()) {
      const last = index === path.length - 1;
      if (last) {
        return defs.some((def) => this.schema.field(def, segment) !== undefined) ? undefined : `${segment} is not a field of ${defs.map((def) => def.name).join(' or ')}`;
      }
      const lookups = defs.map((def) => this.schema.relationship(def, segment)).filter((f): f is FieldDef => f !== undefined);
      if (lookups.length === 0) return `${segment} is not a relationship of ${defs.map((def) => def.name).join(' or ')}`;
      defs = lookups.flatMap((lookup) => lookup.referenceTo.map((name) => this.schema.find(name)).filter((def): def is SObjectDef => def !== undefined));
    }
    return undefined;
  }

  private ref(text: string, where: string): Ref | undefined {
    const key = text.trim().toLowerCase();
    const known = this.refs.get(key);
    if (known !== undefined) return known;
    const resolved = this.resolve(text);
    if (typeof resolved === 'string') {
      this.problem(`${where}: reference {!${text}} cannot be resolved: ${resolved}`);
      return undefined;
    }
    this.refs.set(key, resolved);
    return resolved;
  }

  private value(xml: FlowValueXml | undefined, where: string): (iv: InterviewState) => FlowValue {
    const fixed = literal(xml);
    if (fixed !== undefined) return () => fixed.value;
    const ref = this.ref(xml?.elementReference ?? '', where);
    return ref === undefined ? () => null : (iv) => ref.get(iv);
  }

  private formula(expression: string, where: string, deps?: Set<string>): ((iv: InterviewState) => FormulaValue) | undefined {
    let why = '';
    const known = (name: string): boolean => {
      const key = name.trim().toLowerCase();
      const resolved = this.refs.get(key) ?? this.resolve(name);
      if (typeof resolved === 'string') {
        why = resolved;
        return false;
      }
      if (resolved.records !== undefined) {
        why = `${name} is a record; a formula uses its fields`;
        return false;
      }
      this.refs.set(key, resolved);
      if (this.resources.get(key)?.kind === 'formula') deps?.add(key);
      return true;
    };
    try {
      const evaluate = compileFormula(expression, known, { references: 'paths' });
      return (iv) => {
        try {
          return evaluate(iv.formulaScope);
        } catch (error) {
          if (error instanceof UnsupportedFormula) throw new FlowFault(`The formula in ${where} could not be evaluated: ${error.message}`, where);
          throw error;
        }
      };
    } catch (error) {
      if (!(error instanceof UnsupportedFormula)) throw error;
      this.problem(`${where}: formula "${expression}" is not supported by the local org: ${why === '' ? error.message : why}`);
      return undefined;
    }
  }

  // ------------------------------------------------------------------ conditions

  private entryConditions(): (iv: InterviewState) => boolean {
    const start = this.start;
    if (start.filterFormula !== undefined) {
      const evaluate = this.formula(start.filterFormula, 'start: entry formula');
      return evaluate === undefined ? () => false : (iv) => evaluate(iv) === true;
    }
    if (start.filters.length === 0) return () => true;
    const conditions = start.filters.map((filter) => this.condition({ leftValueReference: `$Record.${filter.field}`, operator: filter.operator, rightValue: filter.value }, 'start: entry conditions'));
    const logic = this.logic(start.filterLogic, conditions.length, 'start: entry conditions');
    return (iv) => evaluateLogic(logic, (index) => (conditions[index] as (iv: InterviewState) => boolean)(iv));
  }

  private logic(source: string | undefined, count: number, where: string): Logic {
    try {
      return parseLogic(source, count);
    } catch (error) {
      if (!(error instanceof LogicError)) throw error;
      this.problem(`${where}: ${error.message}`);
      return parseLogic('and', count);
    }
  }

  private condition(xml: ConditionXml, where: string): (iv: InterviewState) => boolean {
    if (!CONDITION_OPERATORS.has(xml.operator)) {
      this.problem(`${where}: condition operator ${xml.operator} is not supported by the local org`);
      return () => false;
    }
    const left = this.ref(xml.leftValueReference, where);
    const right = this.value(xml.rightValue, where);
    if (left === undefined) return () => false;
    if (xml.operator === 'IsChanged') {
      const prior = left.getPrior;
      if (prior === undefined) {
        this.problem(`${where}: IsChanged applies to fields of $Record, not to {!${xml.leftValueReference}}`);
        return () => false;
      }
      // Like ISCHANGED(), a new record has no prior value to differ from.
      return (iv) => (!iv.isNew && !sameValue(left.get(iv), prior(iv))) === (right(iv) === true);
    }
    return (iv) => test(xml.operator, left.get(iv), right(iv));
  }

  // ------------------------------------------------------------------ elements

  private next(connector: { targetReference: string } | undefined, from: string): string | null {
    if (connector === undefined) return null;
    const key = connector.targetReference.toLowerCase();
    if (!this.elementNames.has(key)) this.problem(`element "${from}": its connector goes to "${connector.targetReference}", which is not an element of this flow`);
    return key;
  }

  private assignment(name: string, items: Array<{ assignToReference: string; operator: string; value?: FlowValueXml }>, next: string | null): Step {
    const where = `element "${name}"`;
    const actions = items.map((item) => {
      if (!ASSIGN_OPERATORS.has(item.operator)) this.problem(`${where}: assignment operator ${item.operator} is not supported by the local org`);
      const value = this.value(item.value, where);
      const target = this.target(item.assignToReference, where);
      const current = item.operator === 'Assign' ? undefined : this.ref(item.assignToReference, where);
      const operator = item.operator;
      const numeric = this.isNumeric(item.assignToReference);
      return (iv: InterviewState): void => target(iv, combine(operator, current?.get(iv) ?? null, value(iv), numeric));
    });
    return (iv) => {
      for (const action of actions) action(iv);
      return next;
    };
  }

  /** Whether an assignment target holds a number (Add and Subtract then do arithmetic, else Add appends). */
  private isNumeric(text: string): boolean {
    const segments = text.trim().split('.');
    const head = (segments[0] ?? '').toLowerCase();
    const records = head === '$record' ? { def: this.object as SObjectDef } : this.resources.get(head)?.records;
    if (segments.length === 2 && records !== undefined) {
      const type = this.schema.field(records.def, segments[1] as string)?.type;
      return type === 'double' || type === 'int' || type === 'currency' || type === 'percent';
    }
    const dataType = this.resources.get(head)?.dataType;
    return segments.length === 1 && (dataType === 'Number' || dataType === 'Currency');
  }

  /** Where an assignment writes: `$Record.Field`, a variable, or a field of a record variable. */
  private target(text: string, where: string): (iv: InterviewState, value: FlowValue) => void {
    const segments = text.trim().split('.');
    const head = (segments[0] ?? '').toLowerCase();
    const none = (): void => undefined;
    if (head === '$record' && segments.length === 2) {
      const field = this.schema.field(this.object as SObjectDef, segments[1] as string);
      if (field === undefined || field.calculated || !(field.createable || field.updateable)) {
        this.problem(`${where}: {!${text}} is not a field a flow can set`);
        return none;
      }
      return (iv, value) => iv.record.set(field, toFieldValue(field, value));
    }
    const resource = this.resources.get(head);
    if (resource?.kind !== 'variable') {
      this.problem(`${where}: {!${text}} is not a variable or a field of $Record that an assignment can set`);
      return none;
    }
    if (segments.length === 1) {
      const dataType = (resource.dataType ?? 'String').replace(/\[\]$/, '');
      const collection = resource.records?.collection === true || (resource.dataType ?? '').endsWith('[]');
      return (iv, value) => iv.values.set(head, collection || resource.records !== undefined ? value : toDataType(value, dataType));
    }
    const records = resource.records;
    const field = records === undefined || records.collection || segments.length !== 2 ? undefined : this.schema.field(records.def, segments[1] as string);
    if (records === undefined || field === undefined) {
      this.problem(`${where}: {!${text}} is not a field of a record variable`);
      return none;
    }
    return (iv, value) => {
      let record = iv.values.get(head);
      if (!(record instanceof FlowRecord)) {
        record = new FlowRecord(records.def);
        iv.values.set(head, record);
      }
      record.set(field, toFieldValue(field, value));
    };
  }

  private decision(name: string, rules: Array<{ name: string; conditionLogic: string; conditions: ConditionXml[]; connector?: { targetReference: string } }>, fallback: string | null): Step {
    const where = `element "${name}"`;
    const compiled = rules.map((rule) => {
      const conditions = rule.conditions.map((condition) => this.condition(condition, `${where} outcome "${rule.name}"`));
      return { logic: this.logic(rule.conditionLogic, conditions.length, `${where} outcome "${rule.name}"`), conditions, next: this.next(rule.connector, name) };
    });
    return (iv) => {
      for (const rule of compiled) {
        if (evaluateLogic(rule.logic, (index) => (rule.conditions[index] as (iv: InterviewState) => boolean)(iv))) return rule.next;
      }
      return fallback;
    };
  }

  /** An element whose failure takes its fault connector, or fails the whole save without one. */
  private guarded(name: string, fault: { targetReference: string } | undefined, action: (iv: InterviewState) => void, next: string | null): Step {
    const faultNext = fault === undefined ? undefined : this.next(fault, name);
    return (iv) => {
      try {
        action(iv);
        return next;
      } catch (error) {
        const message = faultMessage(error);
        if (message === undefined) throw error;
        if (faultNext === undefined) throw new FlowFault(message, name);
        iv.faultMessage = message;
        return faultNext;
      }
    };
  }

  private filters(def: SObjectDef, filters: RecordFilterXml[], where: string): (iv: InterviewState) => RecordFilter[] {
    const compiled = filters.map((filter) => {
      const field = this.schema.field(def, filter.field);
      if (field === undefined) this.problem(`${where}: ${filter.field} is not a field of ${def.name}`);
      if (!FILTER_OPERATORS.has(filter.operator)) this.problem(`${where}: filter operator ${filter.operator} is not supported by the local org`);
      return { field, operator: filter.operator as FilterOperator, value: this.value(filter.value, where) };
    });
    return (iv) => compiled.map((filter) => ({ field: filter.field as FieldDef, operator: filter.operator, value: filter.value(iv) }));
  }

  private objectOf(name: string | undefined, where: string): SObjectDef | undefined {
    const def = name === undefined ? undefined : this.schema.find(name);
    if (def === undefined) this.problem(`${where}: object ${name ?? '(none)'} is not an object of this org`);
    return def;
  }

  private lookup(item: FlowFile['recordLookups'][number]): (iv: InterviewState) => void {
    const where = `element "${item.name}"`;
    const def = this.objectOf(item.object, where);
    if (def === undefined) return () => undefined;
    if (def.isPlatformEvent) this.problem(`${where}: platform events cannot be looked up`);
    const filters = this.filters(def, item.filters, where);
    const logic = this.logic(item.filterLogic, item.filters.length, where);
    const sortField = item.sortField === undefined ? undefined : this.schema.field(def, item.sortField);
    if (item.sortField !== undefined && sortField === undefined) this.problem(`${where}: sort field ${item.sortField} is not a field of ${def.name}`);
    const output = this.lookupOutput(item, def, where);
    const first = item.getFirstRecordOnly;
    return (iv) => {
      const records = iv.env.reader.find({
        def,
        filters: filters(iv),
        logic,
        ...(sortField === undefined ? {} : { sort: { field: sortField, descending: item.sortOrder === 'Desc' } }),
        limit: first ? 1 : LOOKUP_LIMIT,
      });
      output(iv, records);
    };
  }

  private lookupOutput(item: FlowFile['recordLookups'][number], def: SObjectDef, where: string): (iv: InterviewState, records: FlowRecord[]) => void {
    const first = item.getFirstRecordOnly;
    const shaped = (records: FlowRecord[]): FlowValue => (first ? (records[0] ?? null) : records.length === 0 ? null : records);
    if (item.storeOutputAutomatically) {
      const key = item.name.toLowerCase();
      return (iv, records) => void iv.values.set(key, shaped(records));
    }
    if (item.outputReference !== undefined) {
      const target = this.target(item.outputReference, where);
      return (iv, records) => target(iv, shaped(records));
    }
    const assignments = item.outputAssignments.map((assignment) => {
      const field = this.schema.field(def, assignment.field);
      if (field === undefined) this.problem(`${where}: ${assignment.field} is not a field of ${def.name}`);
      return { field, target: this.target(assignment.assignToReference, where) };
    });
    return (iv, records) => {
      const record = records[0];
      if (record === undefined && !item.assignNullValuesIfNoRecordsFound) return;
      for (const { field, target } of assignments) target(iv, record === undefined || field === undefined ? null : record.get(field));
    };
  }

  private update(item: FlowFile['recordUpdates'][number]): (iv: InterviewState) => void {
    const where = `element "${item.name}"`;
    if (item.inputReference !== undefined) {
      const ref = this.ref(item.inputReference, where);
      if (ref !== undefined && ref.records === undefined) this.problem(`${where}: {!${item.inputReference}} is not a record or a record collection`);
      return (iv) => {
        const value = ref?.get(iv) ?? null;
        const records = value instanceof FlowRecord ? [value] : Array.isArray(value) ? value.filter((r): r is FlowRecord => r instanceof FlowRecord) : [];
        if (records.length === 0) return;
        dml(iv, 'update', records[0]?.def as SObjectDef, records.map((record) => record.toInput('update')));
      };
    }
    const def = this.objectOf(item.object, where);
    if (def === undefined) return () => undefined;
    const filters = this.filters(def, item.filters, where);
    const logic = this.logic(item.filterLogic, item.filters.length, where);
    const fields = this.fieldValues(def, item.inputAssignments, 'update', where);
    return (iv) => {
      const ids = iv.env.reader.findIds({ def, filters: filters(iv), logic });
      if (ids.length === 0) return;
      const values = fields(iv);
      dml(iv, 'update', def, ids.map((id) => ({ ...values, Id: id })));
    };
  }

  private create(item: FlowFile['recordCreates'][number]): (iv: InterviewState) => void {
    const where = `element "${item.name}"`;
    const assignId = item.assignRecordIdToReference === undefined ? undefined : this.target(item.assignRecordIdToReference, where);
    if (item.inputReference !== undefined) {
      const ref = this.ref(item.inputReference, where);
      if (ref !== undefined && ref.records === undefined) this.problem(`${where}: {!${item.inputReference}} is not a record or a record collection`);
      return (iv) => {
        const value = ref?.get(iv) ?? null;
        const records = value instanceof FlowRecord ? [value] : Array.isArray(value) ? value.filter((r): r is FlowRecord => r instanceof FlowRecord) : [];
        if (records.length === 0) return;
        const def = records[0]?.def as SObjectDef;
        const ids = dml(iv, 'create', def, records.map((record) => record.toInput('create')));
        const idField = this.schema.field(def, 'Id');
        records.forEach((record, index) => idField !== undefined && record.set(idField, ids[index] ?? null));
      };
    }
    const def = this.objectOf(item.object, where);
    if (def === undefined) return () => undefined;
    const fields = this.fieldValues(def, item.inputAssignments, 'create', where);
    const key = item.name.toLowerCase();
    const keep = item.storeOutputAutomatically;
    return (iv) => {
      const [id] = dml(iv, 'create', def, [fields(iv)]);
      if (keep) iv.values.set(key, id ?? null);
      assignId?.(iv, id ?? null);
    };
  }

  private fieldValues(def: SObjectDef, assignments: Array<{ field: string; value?: FlowValueXml }>, mode: 'create' | 'update', where: string): (iv: InterviewState) => SObjectInput {
    const compiled = assignments.map((assignment) => {
      const field = this.schema.field(def, assignment.field);
      if (field === undefined) this.problem(`${where}: ${assignment.field} is not a field of ${def.name}`);
      else if (!(mode === 'create' ? field.createable : field.updateable)) this.problem(`${where}: ${def.name}.${field.name} cannot be ${mode === 'create' ? 'set on create' : 'updated'}`);
      return { field, value: this.value(assignment.value, where) };
    });
    return (iv) => {
      const input: SObjectInput = {};
      for (const { field, value } of compiled) if (field !== undefined) input[field.name] = toFieldValue(field, value(iv));
      return input;
    };
  }
}

// ------------------------------------------------------------------ runtime helpers

function flowGlobal(rest: string[]): Ref | string {
  switch ((rest[0] ?? '').toLowerCase()) {
    case 'currentdatetime':
    case 'interviewstarttime':
      return { get: (iv) => formatDateTime(iv.now) };
    case 'currentdate':
      return { get: (iv) => localDate(iv.now, iv.env.store.userTimeZone(iv.userId)) };
    case 'faultmessage':
      return { get: (iv) => iv.faultMessage };
  }
  return `$Flow.${rest.join('.')} is not supported by the local org ($Flow.CurrentDateTime, CurrentDate, InterviewStartTime and FaultMessage are)`;
}

function globalConstant(rest: string[]): Ref | string {
  switch ((rest[0] ?? '').toLowerCase()) {
    case 'true':
      return { get: () => true };
    case 'false':
      return { get: () => false };
    case 'emptystring':
      return { get: () => '' };
  }
  return `$GlobalConstant.${rest.join('.')} does not exist`;
}

/** The calendar date at an instant in a time zone (`$Flow.CurrentDate` is the running user's today). */
function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Reads `Field` or `Parent__r.Field` from a record, following lookups as stored (null when unset). */
function readPath(iv: InterviewState, schema: OrgSchema, start: FlowRecord | null, path: string[]): FlowValue {
  let record = start;
  for (let index = 0; index < path.length - 1; index += 1) {
    if (record === null) return null;
    const lookup = schema.relationship(record.def, path[index] as string);
    const id = lookup === undefined ? null : record.get(lookup);
    const target = typeof id === 'string' ? schema.byKeyPrefix(id.slice(0, 3)) : undefined;
    record = target === undefined ? null : iv.env.reader.byId(target, id as string);
  }
  if (record === null) return null;
  const field = schema.field(record.def, path[path.length - 1] as string);
  return field === undefined ? null : record.get(field);
}

/** Decision and entry-condition operators (Flow Builder: "Flow Condition Operators"). */
function test(operator: string, left: FlowValue, right: FlowValue): boolean {
  switch (operator) {
    case 'EqualTo':
      return sameValue(left, right);
    case 'NotEqualTo':
      return !sameValue(left, right);
    case 'IsNull':
      return (left === null) === (right === true);
    case 'IsBlank':
    case 'IsEmpty':
      return isBlank(left) === (right === true);
    case 'StartsWith':
      return typeof left === 'string' && left.startsWith(String(right ?? ''));
    case 'EndsWith':
      return typeof left === 'string' && left.endsWith(String(right ?? ''));
    case 'Contains':
      return Array.isArray(left) ? left.some((item) => sameValue(item, right)) : typeof left === 'string' && left.includes(String(right ?? ''));
  }
  const order = compareValues(left, right);
  if (order === null) return false;
  switch (operator) {
    case 'GreaterThan':
      return order > 0;
    case 'GreaterThanOrEqualTo':
      return order >= 0;
    case 'LessThan':
      return order < 0;
    default:
      return order <= 0;
  }
}

/** Assignment operators (Flow Builder: "Flow Operators in Assignment Elements"). */
function combine(operator: string, current: FlowValue, value: FlowValue, numeric: boolean): FlowValue {
  if (operator === 'Assign') return value;
  if (Array.isArray(current)) {
    const items = Array.isArray(value) ? value : [value];
    return operator === 'Add' ? ([...current, ...items] as FlowValue) : (current.filter((item) => !items.some((other) => sameValue(item, other))) as FlowValue);
  }
  if (numeric) {
    // A blank number stays blank, as Flow leaves an unset number unchanged by Add.
    if (current === null || value === null) return current;
    return operator === 'Add' ? Number(current) + Number(value) : Number(current) - Number(value);
  }
  if (operator === 'Add') return `${toFormulaValue(current) ?? ''}${toFormulaValue(value) ?? ''}`;
  return current;
}

/** A flow's Create/Update Records: one all-or-none write as the running user, in the save's transaction. */
function dml(iv: InterviewState, action: 'create' | 'update', def: SObjectDef, inputs: SObjectInput[]): Array<string | null> {
  const options = { allOrNone: true, userId: iv.userId, now: iv.now, silent: iv.silent };
  const results = action === 'create' ? iv.env.store.insertMany(def.name, inputs, options) : iv.env.store.updateMany(def.name, inputs, options);
  const failed = firstFailure(results);
  if (failed !== undefined) throw new FlowFault(dmlFaultMessage(action, failed.statusCode, failed.message), '');
  return results.map((result) => result.id);
}

function firstFailure(results: SaveResult[]): { statusCode: string; message: string } | undefined {
  const errors = results.filter((result) => !result.success).map((result) => result.errors[0]).filter((error) => error !== undefined);
  return errors.find((error) => error.statusCode !== 'ALL_OR_NONE_OPERATION_ROLLED_BACK') ?? errors[0];
}

/** `$Flow.FaultMessage` as Salesforce words it for a failed data element. */
export function dmlFaultMessage(action: 'create' | 'update' | 'look up', statusCode: string, message: string): string {
  return `This error occurred when the flow tried to ${action} records: ${statusCode}: ${message}. You can look up ExceptionCode values in the SOAP API Developer Guide.`;
}

function faultMessage(error: unknown): string | undefined {
  if (error instanceof FlowFault) return error.message;
  if (error instanceof FilterValueError) return dmlFaultMessage('look up', 'INVALID_QUERY_FILTER_OPERATOR', error.message);
  if (error instanceof SalesforceError) return dmlFaultMessage('look up', error.errorCode, error.message);
  return undefined;
}
