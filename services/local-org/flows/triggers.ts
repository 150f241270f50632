/**
 * Runs the compiled record-triggered flows from the store's write path, with Salesforce's
 * semantics (Salesforce Help: "Record-Triggered Flows", "Record-Triggered Flow
 * Considerations"; Apex Developer Guide: "Triggers and Order of Execution"):
 *
 * - Before save: after the request's values are loaded and before system validation,
 *   validation rules and the write. Assignments to $Record change the record being saved
 *   (fast field updates), with no write of their own.
 * - After save: once the record is written, in the same transaction. Their Create/Update
 *   Records writes go through the store like any save (validation, the target's own flows);
 *   an element failure takes its fault connector, and without one the whole save fails with
 *   CANNOT_EXECUTE_FLOW_TRIGGER and rolls back, the record and every write of its flows.
 * - Which flows: the object's active flows whose trigger (Create, Update, CreateAndUpdate)
 *   matches, and whose entry conditions hold for $Record (with "only when a record is
 *   updated to meet the condition requirements": hold now and did not hold for
 *   $Record__Prior). Order: trigger order, then API name.
 * - System context: the flows read and write every record, whoever saves; $User is still
 *   the saving user, who also owns what the flows create.
 * - Recursion: when an after-save flow saves the record it runs for (directly or through
 *   other records' flows), that save is a recursive save: before-save flows, validation and
 *   the write happen again, after-save flows do not ("During a recursive save, Salesforce
 *   skips steps 9 through 17", which hold the after-save flows). Flows started by other
 *   records' saves nest at most MAX_DEPTH deep, so a loop of creates fails instead of
 *   running forever.
 *
 * Interviews run per record in the order of the batch; Salesforce bulkifies a batch of 200
 * into shared queries and writes, which gives the same records in the end.
 */
import { SalesforceError } from '../errors';
import type { RecordTriggers, TriggerContext } from '../store/store';
import type { WriteState } from '../store/behaviors';
import { toDb } from '../store/values';
import { Interview } from './interview';
import { FlowFault, MAX_DEPTH, type CompiledFlow, type FlowEnvironment } from './model';
import { FlowRecord } from './records';

interface ObjectFlows {
  before: CompiledFlow[];
  after: CompiledFlow[];
}

export class FlowTriggers implements RecordTriggers {
  private readonly byObject = new Map<string, ObjectFlows>();
  private depth = 0;
  /** Records whose after-save flows are running: saving one of them again is a recursive save. */
  private readonly inAfterSave = new Set<string>();

  constructor(
    flows: readonly CompiledFlow[],
    private readonly env: FlowEnvironment,
  ) {
    const ordered = [...flows].sort((a, b) => a.order - b.order || a.apiName.localeCompare(b.apiName));
    for (const flow of ordered) {
      const entry = this.byObject.get(flow.object.name) ?? { before: [], after: [] };
      entry[flow.timing].push(flow);
      this.byObject.set(flow.object.name, entry);
    }
  }

  hasAfterSave(objectName: string): boolean {
    return (this.byObject.get(objectName)?.after.length ?? 0) > 0;
  }

  beforeSave(state: WriteState, ctx: TriggerContext): void {
    const flows = this.byObject.get(state.def.name)?.before;
    if (flows === undefined || flows.length === 0) return;
    const record = new FlowRecord(state.def, state.row);
    const prior = state.prior === null ? null : new FlowRecord(state.def, state.prior);
    for (const flow of flows) this.runIfEntered(flow, record, prior, ctx);
    for (const { field, value } of record.changes()) {
      // A value the field cannot hold fails the save with the field's own error, as at validation.
      state.row[field.name] = toDb(field, value);
      state.provided.add(field.name);
    }
  }

  afterSave(state: WriteState, ctx: TriggerContext): void {
    const flows = this.byObject.get(state.def.name)?.after;
    const id = state.row.Id;
    if (flows === undefined || flows.length === 0 || typeof id !== 'string' || this.inAfterSave.has(id)) return;
    this.inAfterSave.add(id);
    try {
      const record = new FlowRecord(state.def, state.row);
      const prior = state.prior === null ? null : new FlowRecord(state.def, state.prior);
      for (const flow of flows) this.runIfEntered(flow, record, prior, ctx);
    } finally {
      this.inAfterSave.delete(id);
    }
  }

  private runIfEntered(flow: CompiledFlow, record: FlowRecord, prior: FlowRecord | null, ctx: TriggerContext): void {
    const isNew = prior === null;
    if (isNew ? !flow.onCreate : !flow.onUpdate) return;
    const common = { userId: ctx.userId, now: ctx.now, silent: ctx.silent };
    const interview = new Interview(flow, this.env, { ...common, record, prior, isNew });
    if (!interview.meetsEntryConditions()) return;
    if (flow.onlyWhenChangedToMeet && prior !== null) {
      const before = new Interview(flow, this.env, { ...common, record: prior, prior, isNew: false });
      if (before.meetsEntryConditions()) return;
    }
    this.run(interview);
  }

  private run(interview: Interview): void {
    if (this.depth >= MAX_DEPTH) throw cannotExecute(interview.flow, `Maximum trigger depth exceeded: flows started by flows nest at most ${MAX_DEPTH} deep.`);
    this.depth += 1;
    try {
      interview.run();
    } catch (error) {
      if (error instanceof FlowFault) throw cannotExecute(interview.flow, error.message);
      throw error;
    } finally {
      this.depth -= 1;
    }
  }
}

/** The error of a save whose flow failed without a fault connector (its documented wording). */
function cannotExecute(flow: CompiledFlow, details: string): SalesforceError {
  return new SalesforceError(
    'CANNOT_EXECUTE_FLOW_TRIGGER',
    `We can't save this record because the “${flow.label}” process failed. Give your Salesforce admin these details. ${details}`,
    400,
    [],
  );
}
