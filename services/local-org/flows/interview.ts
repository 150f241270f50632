/**
 * One flow interview: the state of one compiled flow run for one saved record, and the loop
 * that follows its connectors from the start element until an element has no next one.
 */
import type { FormulaScope } from '../store/formula';
import { FlowFault, MAX_STEPS, MAX_STEPS_REASON, type CompiledFlow, type FlowEnvironment, type InterviewState } from './model';
import { FlowRecord, type FlowValue } from './records';
import { toFormulaValue } from './values';

export interface InterviewInput {
  record: FlowRecord;
  prior: FlowRecord | null;
  isNew: boolean;
  userId: string;
  now: Date;
  silent: boolean;
}

export class Interview implements InterviewState {
  readonly values = new Map<string, FlowValue>();
  faultMessage: string | null = null;
  readonly formulaScope: FormulaScope;
  readonly record: FlowRecord;
  readonly prior: FlowRecord | null;
  readonly isNew: boolean;
  readonly userId: string;
  readonly now: Date;
  readonly silent: boolean;
  private userRecord: FlowRecord | null | undefined;
  private orgRecord: FlowRecord | null | undefined;

  constructor(
    readonly flow: CompiledFlow,
    readonly env: FlowEnvironment,
    input: InterviewInput,
  ) {
    this.record = input.record;
    this.prior = input.prior;
    this.isNew = input.isNew;
    this.userId = input.userId;
    this.now = input.now;
    this.silent = input.silent;
    const refs = flow.refs;
    this.formulaScope = {
      value: (name) => toFormulaValue(refs.get(name)?.get(this) ?? null),
      prior: (name) => {
        const ref = refs.get(name);
        return toFormulaValue((ref?.getPrior ?? ref?.get)?.(this) ?? null);
      },
      hasField: (name) => refs.has(name.toLowerCase()),
      isNew: this.isNew,
      now: this.now,
    };
  }

  /** Whether the record meets the flow's entry conditions as this interview sees it. */
  meetsEntryConditions(): boolean {
    return this.flow.entry(this);
  }

  /** Runs from the start element; throws FlowFault when an element fails without a fault connector. */
  run(): void {
    for (const [key, initial] of this.flow.initial) this.values.set(key, initial(this));
    let at = this.flow.startAt;
    let executed = 0;
    while (at !== null) {
      executed += 1;
      if (executed > MAX_STEPS) throw new FlowFault(MAX_STEPS_REASON, at);
      const step = this.flow.steps.get(at);
      if (step === undefined) throw new FlowFault(`The flow has no element named ${at}.`, at);
      at = step(this);
    }
  }

  user(): FlowRecord | null {
    if (this.userRecord === undefined) {
      const def = this.env.schema.find('User');
      this.userRecord = def === undefined ? null : this.env.reader.byId(def, this.userId);
    }
    return this.userRecord;
  }

  organization(): FlowRecord | null {
    if (this.orgRecord === undefined) {
      const def = this.env.schema.find('Organization');
      this.orgRecord = def === undefined ? null : this.env.reader.byId(def, this.env.store.orgId);
    }
    return this.orgRecord;
  }
}
