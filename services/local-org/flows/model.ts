/**
 * The compiled form of a record-triggered flow and the interview state its steps run
 * against. Compiling (compile.ts) resolves every reference, formula and field once when the
 * org starts; running (interview.ts) only follows connectors.
 */
import type { FormulaScope } from '../store/formula';
import type { SObjectDef } from '../schema/types';
import type { OrgSchema } from '../schema/types';
import type { Store } from '../store/store';
import type { FlowRecord, FlowValue, RecordReader } from './records';

/** What a running flow reaches outside itself. */
export interface FlowEnvironment {
  readonly store: Store;
  readonly schema: OrgSchema;
  readonly reader: RecordReader;
}

/** One interview: one flow run for one saved record. */
export interface InterviewState {
  readonly flow: CompiledFlow;
  readonly env: FlowEnvironment;
  /** $Record: the record being saved (before save: the values about to be saved). */
  readonly record: FlowRecord;
  /** $Record__Prior: the stored values before this save; null on create. */
  readonly prior: FlowRecord | null;
  readonly isNew: boolean;
  /** The user whose save started the flow ($User); flows still run in system context. */
  readonly userId: string;
  /** The save's time: $Flow.CurrentDateTime, and the time of the flow's own writes. */
  readonly now: Date;
  /** The save emits no change events, so neither do the flow's writes. */
  readonly silent: boolean;
  /** Variables and element outputs by lower-case name. */
  readonly values: Map<string, FlowValue>;
  /** $Flow.FaultMessage: the error of the element whose fault connector was taken last. */
  faultMessage: string | null;
  readonly formulaScope: FormulaScope;
  /** The running user's record, read once ($User.<field>). */
  user(): FlowRecord | null;
  /** The org's record ($Organization.<field>). */
  organization(): FlowRecord | null;
}

/** A compiled reference: how to read it, and how to read it on $Record__Prior (ISCHANGED). */
export interface Ref {
  get(iv: InterviewState): FlowValue;
  getPrior?(iv: InterviewState): FlowValue;
  /** Set for references that hold records: their object, and whether a collection. */
  records?: { def: SObjectDef; collection: boolean };
}

/** An element: runs, then answers the next element's key (null ends the interview). */
export type Step = (iv: InterviewState) => string | null;

export type Timing = 'before' | 'after';

export interface CompiledFlow {
  apiName: string;
  label: string;
  /** The file it came from, as shown in warnings. */
  file: string;
  object: SObjectDef;
  timing: Timing;
  onCreate: boolean;
  onUpdate: boolean;
  /** Flow Trigger Explorer's trigger order; flows without one run after, by API name. */
  order: number;
  /** The entry conditions against an interview's $Record (always true when there are none). */
  entry(iv: InterviewState): boolean;
  /** "Only when a record is updated to meet the condition requirements". */
  onlyWhenChangedToMeet: boolean;
  startAt: string | null;
  steps: ReadonlyMap<string, Step>;
  /** Variable initial values (by lower-case name), set when an interview starts. */
  initial: ReadonlyMap<string, (iv: InterviewState) => FlowValue>;
  /** Compiled references by lower-case text, used by formulas through the scope. */
  refs: ReadonlyMap<string, Ref>;
}

/** Executed elements per interview before it is stopped: a guard against connector cycles. */
export const MAX_STEPS = 2000;
export const MAX_STEPS_REASON = `The flow ran more than ${MAX_STEPS} elements; it may loop through its connectors.`;

/** Nested interviews (a flow's write starting another flow) before the save fails, like Apex's trigger depth of 16. */
export const MAX_DEPTH = 16;

/** An error a flow element raises: taken by its fault connector, or failing the save. */
export class FlowFault extends Error {
  constructor(
    message: string,
    readonly element: string,
  ) {
    super(message);
    this.name = 'FlowFault';
  }
}
