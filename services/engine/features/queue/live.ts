import { z } from 'zod';
import type { Clock } from '../../core/clock';
import {
  QUEUE_DEFAULTS,
  planSdr,
  rankQueue,
  rerankAfterDisposition,
  upsertLead,
  type AssetMove,
  type DispositionRecordInput,
  type FieldUpdate,
  type QueueDefaults,
  type QueueEntry,
  type QueueState,
  type RerankResult,
  type SdrQueue
} from '../../core/queue';
import type { OrgClient } from '../../org/connection';
import { changeEventHeaderSchema, type StreamingMessage } from '../../org/streaming';
import { writeRecords, type WriteOp, type WriteReport } from '../../org/writes';
import { IdBatcher, type BatchFailure } from '../../jobs/batcher';
import { Lane } from '../../jobs/lane';
import { EntryLedger, type ClosedStatus, type EntryRecord } from './entries';
import { orgNames, type OrgNames } from '../../org/names';
import { readFloor, readLeads } from './reads';

/**
 * The queue of a running engine: the live core state (core/queue) of the SDR station, kept in
 * step with the org. A full ranking reads the floor and writes every SDR's top entries; a
 * disposition re-plans only its SDR and writes, in one composite call, the lead's attempt
 * fields, the changed Queue_Entry__c rows, the withdrawals and one RERANKED signal per SDR.
 * Work is serialized (one ranking, disposition or lead re-plan at a time) so the state never
 * sees two writers; lead changes that arrive meanwhile are coalesced into one re-plan.
 */
export const queueOptionsSchema = z.object({
  stationKey: z.string().min(1).default('SDR_CALL'),
  /** Entries written per SDR: the console shows the top of the queue, the rest waits in memory. */
  topN: z.number().int().positive().max(1000).default(50),
  /** Disposition history read to fit the odds. */
  historyDays: z.number().int().positive().default(365)
});
export type QueueOptions = z.infer<typeof queueOptionsSchema>;
export type QueueOptionsInput = z.input<typeof queueOptionsSchema>;

export interface RerankReport {
  dispositionId: string | null;
  sdrIds: string[];
  entriesWritten: number;
  leadUpdates: number;
  apiCalls: number;
  /** Wall-clock ms from receiving the event to the end of the write. */
  elapsedMs: number;
  skipped?: string;
  failed: number;
}

export interface RankReport {
  rankedAt: string;
  sdrs: number;
  queued: number;
  moved: number;
  closed: number;
  unassigned: number;
  entriesWritten: number;
  leadUpdates: number;
  apiCalls: number;
  failed: Array<{ key: string; errorCode?: string; message?: string }>;
  queues: SdrQueue[];
  moves: AssetMove[];
  dryRun: boolean;
}

export interface LiveQueueHooks {
  clock?: Clock;
  defaults?: QueueDefaults;
  /** Called after each handled disposition (benchmarks, logs). */
  onRerank?: (report: RerankReport) => void;
  /** Called after each coalesced re-plan of changed leads (benchmarks, tests). */
  onLeadsReplanned?: (report: LeadsReplanReport) => void;
}

export interface LeadsReplanReport {
  /** Every lead id the re-plan covered: those of all the events coalesced into it. */
  leadIds: string[];
  sdrIds: string[];
  entriesWritten: number;
  leadUpdates: number;
  apiCalls: number;
  elapsedMs: number;
  failed: number;
}

const dispositionPayload = z.object({
  Lead__c: z.string().nullish(),
  Account__c: z.string().nullish(),
  Rep__c: z.string().nullish(),
  Station__c: z.string().nullish(),
  Queue_Entry__c: z.string().nullish(),
  Purpose__c: z.string().nullish(),
  Outcome__c: z.string(),
  Attempt_Number__c: z.number().nullish(),
  Next_Action_At__c: z.string().nullish(),
  Duration_Seconds__c: z.number().nullish(),
  CreatedDate: z.string().nullish()
});
export type DispositionPayload = z.infer<typeof dispositionPayload> & { Id: string };

/** Lead changes that can change the lead's queue task (not our own attempt-field writes). */
const LEAD_FIELDS_THAT_MATTER = new Set(['OwnerId', 'Bin__c', 'Station__c', 'DoNotCall', 'IsConverted', 'Inbound__c', 'Time_Zone__c', 'Booked_By__c', 'LeadSource', 'Segment__c']);

const HANDLED_REMEMBERED = 50_000;

export class LiveQueue {
  readonly options: QueueOptions;
  private readonly names: OrgNames;
  private readonly clock: Clock;
  private state: QueueState | null = null;
  private stationId: string | null = null;
  private ruledOutcomes = new Set<string>();
  private readonly ledger = new EntryLedger();
  /** Dispositions handled lately: a replayed event is skipped (older ones by Last_Attempt_At__c). */
  private readonly handled = new Set<string>();
  /** What the last RERANKED signal told each SDR's console (entries shown, open tasks). */
  private readonly signalled = new Map<string, string>();
  private readonly lane = new Lane();
  private readonly leadBatches = new IdBatcher<number>((ids) => this.lane.run(() => this.replanLeads(ids)));

  constructor(
    private readonly client: OrgClient,
    options: QueueOptionsInput = {},
    private readonly hooks: LiveQueueHooks = {}
  ) {
    this.options = queueOptionsSchema.parse(options);
    this.names = orgNames(client);
    this.clock = hooks.clock ?? (() => new Date());
  }

  get rules(): QueueDefaults['rules'] {
    return (this.hooks.defaults ?? QUEUE_DEFAULTS).rules;
  }

  /** The live state (after the first ranking), for `asl queue show` and tests. */
  current(): QueueState | null {
    return this.state;
  }

  /** Reads the floor, refits the odds, ranks every SDR and (unless dry) writes their top entries. */
  rankAll(options: { sdrId?: string; dryRun?: boolean } = {}): Promise<RankReport> {
    return this.lane.run(() => this.rankAllNow(options));
  }

  private async rankAllNow(options: { sdrId?: string; dryRun?: boolean }): Promise<RankReport> {
    const before = this.client.apiCalls();
    const now = this.clock();
    const floor = await readFloor(this.client, { stationKey: this.options.stationKey, rules: this.rules, now, historyDays: this.options.historyDays });
    const ranked = rankQueue(floor.input, this.clock, { limit: this.options.topN, ...(this.hooks.defaults ? { defaults: this.hooks.defaults } : {}) });
    const queues = options.sdrId ? ranked.queues.filter((queue) => queue.sdrId === options.sdrId) : ranked.queues;
    const base = {
      rankedAt: ranked.rankedAt,
      sdrs: ranked.queues.length,
      queued: ranked.state.tasks.size,
      moved: ranked.moves.length,
      closed: ranked.closed.length,
      unassigned: ranked.unassigned.length,
      queues,
      moves: ranked.moves,
      dryRun: options.dryRun === true
    };
    if (options.dryRun) return { ...base, entriesWritten: 0, leadUpdates: 0, apiCalls: this.client.apiCalls() - before, failed: [] };
    this.state = ranked.state;
    this.stationId = floor.stationId;
    this.ruledOutcomes = floor.ruledOutcomes;
    this.ledger.seed(floor.openEntries);
    const moves = options.sdrId ? ranked.moves.filter((move) => this.ownerOf(move.assetId) === options.sdrId) : ranked.moves;
    this.absorbMoves(moves);
    const replanned = queues.map((queue) => planSdr(ranked.state, queue.sdrId, this.clock, this.options.topN));
    const written = await this.write(replanned, [], moves, new Map(), ranked.rankedAt);
    return { ...base, ...written, apiCalls: this.client.apiCalls() - before };
  }

  /**
   * A lead the queue moves to Nurture stays the SDR's, as a check-back due at its re-entry
   * time: put that task in the state now, as the next full ranking will read it from the org.
   */
  private absorbMoves(moves: readonly AssetMove[]): void {
    const state = this.state;
    if (!state) return;
    for (const move of moves) {
      const info = state.leads.get(move.assetId);
      if (move.assetType !== 'Lead' || !info || Object.keys(move.fields).length === 0) continue;
      const lead = {
        Id: info.id,
        OwnerId: info.ownerId,
        CreatedDate: info.arrivedAt,
        LeadSource: info.source,
        Inbound__c: info.inbound,
        Segment__c: info.segment,
        Time_Zone__c: info.timeZone,
        Booked_By__c: info.bookedBy,
        Station__c: this.stationId,
        ...move.fields
      };
      upsertLead(state, lead as never, this.clock, { limit: 0 });
    }
  }

  private ownerOf(assetId: string): string | null {
    return this.state?.leads.get(assetId)?.ownerId ?? null;
  }

  private async ensureState(): Promise<QueueState> {
    if (!this.state) await this.rankAllNow({});
    return this.state as unknown as QueueState;
  }

  /** The Disposition__c change-event listener: CREATE events only (a disposition is a fact, never edited). */
  async onDispositionEvent(message: StreamingMessage): Promise<RerankReport | null> {
    const receivedAt = Date.now();
    const payload = this.names.strip(message.payload);
    const header = changeEventHeaderSchema.parse(payload.ChangeEventHeader);
    if (header.changeType !== 'CREATE' || header.recordIds.length === 0) return null;
    const parsed = dispositionPayload.safeParse(payload);
    if (!parsed.success) return null;
    const createdAt = parsed.data.CreatedDate ?? new Date(header.commitTimestamp).toISOString();
    return this.applyDisposition({ ...parsed.data, CreatedDate: createdAt, Id: header.recordIds[0] as string }, receivedAt);
  }

  /** Applies one disposition (from an event, or from a sweep) once; a repeat changes nothing. */
  applyDisposition(disposition: DispositionPayload, receivedAt = Date.now()): Promise<RerankReport | null> {
    return this.lane.run(async () => {
      const report = await this.applyNow(disposition, receivedAt);
      if (report) this.hooks.onRerank?.(report);
      return report;
    });
  }

  /**
   * Bounded, oldest forgotten first: a long-running engine must not keep every disposition id
   * it ever saw. Replays come from the event bus's retention window, and a forgotten one is
   * still caught by the Last_Attempt_At__c check above.
   */
  private remember(dispositionId: string): void {
    this.handled.add(dispositionId);
    if (this.handled.size <= HANDLED_REMEMBERED) return;
    const oldest = this.handled.values().next().value;
    if (oldest !== undefined) this.handled.delete(oldest);
  }

  private skip(disposition: DispositionPayload, reason: string, receivedAt: number): RerankReport {
    return { dispositionId: disposition.Id, sdrIds: [], entriesWritten: 0, leadUpdates: 0, apiCalls: 0, elapsedMs: Date.now() - receivedAt, skipped: reason, failed: 0 };
  }

  private async applyNow(disposition: DispositionPayload, receivedAt: number): Promise<RerankReport | null> {
    if (this.handled.has(disposition.Id)) return this.skip(disposition, 'already handled', receivedAt);
    if (!disposition.Lead__c && !disposition.Account__c) return this.skip(disposition, 'no lead or account', receivedAt);
    const before = this.client.apiCalls();
    const state = await this.ensureState();
    const created = Date.parse(disposition.CreatedDate ?? '');
    const task = state.tasks.get(disposition.Lead__c ? `L:${disposition.Lead__c}` : `A:${disposition.Account__c}`);
    // After a restart the state is read back from the org: a disposition whose call is already
    // in Last_Attempt_At__c was applied before (its replayed event must not count twice).
    if (task?.lastAttemptAt !== null && task?.lastAttemptAt !== undefined && Number.isFinite(created) && task.lastAttemptAt >= created && disposition.Purpose__c !== 'Confirm Demo') {
      this.remember(disposition.Id);
      return this.skip(disposition, 'already applied (Last_Attempt_At__c)', receivedAt);
    }
    // The core parses it again (zod) and names any outcome or purpose outside the picklists.
    const input = { ...disposition, CreatedDate: disposition.CreatedDate ?? this.clock().toISOString() } as unknown as DispositionRecordInput;
    let result: RerankResult = rerankAfterDisposition(state, input, this.clock, { limit: this.options.topN });
    if (result.unknownAsset) {
      const [lead] = await readLeads(this.client, this.stationId as string, this.rules, [result.unknownAsset]);
      if (lead) {
        upsertLead(state, this.names.strip(lead) as never, this.clock, { limit: 0 });
        result = rerankAfterDisposition(state, input, this.clock, { limit: this.options.topN });
      }
    }
    this.remember(disposition.Id);
    // The movement feature moves the asset when the station has a rule for this outcome: then
    // it owns the lead's place and Next_Action_At__c, and the queue must not move it again.
    const ruled = this.ruledOutcomes.has(disposition.Outcome__c);
    const fieldUpdates = result.fieldUpdates.map((update) => (ruled ? withoutNextAction(update) : update));
    const moves = ruled ? [] : result.moves;
    this.absorbMoves(moves);
    if (moves.length > 0) result.queues = result.queues.map((queue) => planSdr(state, queue.sdrId, this.clock, this.options.topN));
    const closed = new Map<string, ClosedStatus>(result.withdrawn.map((key) => [key, 'Done']));
    const calledKey = disposition.Queue_Entry__c ? this.ledger.keyOfId(disposition.Queue_Entry__c) : undefined;
    if (calledKey) closed.set(calledKey, 'Done');
    const written = await this.write(result.queues, fieldUpdates, moves, closed, this.clock().toISOString());
    return {
      dispositionId: disposition.Id,
      sdrIds: result.queues.map((queue) => queue.sdrId),
      entriesWritten: written.entriesWritten,
      leadUpdates: written.leadUpdates,
      apiCalls: this.client.apiCalls() - before,
      elapsedMs: Date.now() - receivedAt,
      failed: written.failed.length
    };
  }

  /**
   * The leads a Lead change event concerns: new leads and changes of owner, bin, station,
   * do-not-call, zone or source (not the attempt fields the queue writes itself).
   */
  leadIdsOf(message: StreamingMessage): string[] {
    const payload = this.names.strip(message.payload);
    const header = changeEventHeaderSchema.parse(payload.ChangeEventHeader);
    const relevant =
      header.changeType === 'CREATE' ||
      header.changeType === 'UNDELETE' ||
      (header.changeType === 'UPDATE' && header.changedFields.some((field) => LEAD_FIELDS_THAT_MATTER.has(this.unprefixed(field))));
    return relevant ? header.recordIds : [];
  }

  /** The Lead change-event listener: settles once the re-plan that covers the event is written. */
  onLeadEvent(message: StreamingMessage): Promise<number> {
    const ids = this.leadIdsOf(message);
    return ids.length === 0 ? Promise.resolve(0) : this.leadsChanged(ids);
  }

  /**
   * Re-reads these leads and re-plans their SDRs (exported for the assignment feature, which
   * may call it right after writing owners so that a new lead is ranked without waiting for
   * its change event). Calls made while a re-plan runs are coalesced: the next re-plan covers
   * all their leads at once. Resolves with the entries written by the re-plan that covered them.
   */
  leadsChanged(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return Promise.resolve(0);
    return this.leadBatches.add(ids);
  }

  /** Resolves once every lead handed to `leadsChanged` has been re-planned (or given up). */
  leadsSettled(): Promise<void> {
    return this.leadBatches.idle();
  }

  /** The last failed lead re-plan since the previous call (its leads are retried, then left to the full ranking). */
  takeLeadFailure(): BatchFailure | undefined {
    return this.leadBatches.takeFailure();
  }

  private async replanLeads(ids: readonly string[]): Promise<number> {
    const started = Date.now();
    const before = this.client.apiCalls();
    const state = await this.ensureState();
    const rows = await readLeads(this.client, this.stationId as string, this.rules, ids);
    const found = new Set(rows.map((row) => String(row.Id)));
    const sdrs = new Set<string>();
    const moves: AssetMove[] = [];
    const absorb = (result: RerankResult) => {
      for (const queue of result.queues) sdrs.add(queue.sdrId);
      moves.push(...result.moves);
    };
    // limit 0: classify each lead without planning; each SDR concerned is planned once below.
    for (const row of rows) absorb(upsertLead(state, row as never, this.clock, { limit: 0 }));
    // A lead that left the queue's bins or station is no longer in the query: close its task.
    for (const leadId of ids) {
      const task = state.tasks.get(`L:${leadId}`);
      if (!found.has(leadId) && task) absorb(upsertLead(state, { Id: leadId, CreatedDate: task.arrivedAt, IsConverted: true }, this.clock, { limit: 0 }));
    }
    const queues = [...sdrs].map((sdrId) => planSdr(state, sdrId, this.clock, this.options.topN));
    const written = await this.write(queues, [], moves, new Map(), this.clock().toISOString());
    this.hooks.onLeadsReplanned?.({
      leadIds: [...ids],
      sdrIds: [...sdrs],
      entriesWritten: written.entriesWritten,
      leadUpdates: written.leadUpdates,
      apiCalls: this.client.apiCalls() - before,
      elapsedMs: Date.now() - started,
      failed: written.failed.length
    });
    return written.entriesWritten;
  }

  /** One composite call for a small change: lead fields, queue entries, then the signals. */
  private async write(
    queues: readonly SdrQueue[],
    fieldUpdates: readonly FieldUpdate[],
    moves: readonly AssetMove[],
    closed: ReadonlyMap<string, ClosedStatus>,
    rankedAt: string
  ): Promise<{ entriesWritten: number; leadUpdates: number; failed: RankReport['failed'] }> {
    const plans = new Map<string, readonly QueueEntry[]>(queues.map((queue) => [queue.sdrId, queue.entries.slice(0, this.options.topN)]));
    const entries = this.ledger.changes(plans, rankedAt, closed);
    const assets = assetUpdates(fieldUpdates, moves);
    const { api, record } = this.names;
    const ops: WriteOp[] = [];
    for (const type of ['Lead', 'Account'] as const) {
      const rows = assets.filter((row) => row.type === type).map((row) => record(row.fields));
      if (rows.length > 0) ops.push({ kind: 'update', sobject: type, records: rows });
    }
    if (entries.length > 0) ops.push({ kind: 'upsert', sobject: api('Queue_Entry__c'), externalIdField: api('Entry_Key__c'), records: entries.map((row) => record(row)) });
    // The console re-reads on the signal: send it when rows changed, or when the SDR's open
    // task count it shows changed (a new lead below the top entries changes no row).
    const told = (queue: SdrQueue) => `${Math.min(queue.entries.length, this.options.topN)}:${queue.openTasks}`;
    const signalled = entries.length > 0 || assets.length > 0 ? queues : queues.filter((queue) => this.signalled.get(queue.sdrId) !== told(queue));
    if (signalled.length > 0) {
      const signals = signalled.map((queue) =>
        record({ Kind__c: 'RERANKED', Record_Id__c: queue.sdrId, Payload__c: JSON.stringify({ rankedAt, entries: Math.min(queue.entries.length, this.options.topN), openTasks: queue.openTasks }) })
      );
      ops.push({ kind: 'create', sobject: api('Engine_Signal__e'), records: signals });
    }
    if (ops.length === 0) return { entriesWritten: 0, leadUpdates: 0, failed: [] };
    const reports = await writeRecords(this.client, ops);
    for (const queue of signalled) this.signalled.set(queue.sdrId, told(queue));
    const entryReport = reports.find((report) => report.sobject === api('Queue_Entry__c'));
    this.ledger.commit(entries, succeededKeys(entryReport));
    return {
      entriesWritten: entryReport?.succeeded.length ?? 0,
      leadUpdates: assets.length,
      failed: reports.flatMap((report) => report.failed.map((failure) => ({ ...failure, key: `${report.sobject}:${failure.key}` })))
    };
  }

  private unprefixed(field: string): string {
    return Object.keys(this.names.strip({ [field]: true }))[0] ?? field;
  }
}

function withoutNextAction(update: FieldUpdate): FieldUpdate {
  const { Next_Action_At__c: _next, ...fields } = update.fields;
  return { ...update, fields };
}

function succeededKeys(report: WriteReport | undefined): Map<string, string | undefined> {
  return new Map((report?.succeeded ?? []).map((outcome) => [outcome.key, outcome.id]));
}

/**
 * One update per asset: the attempt fields of a disposition and the fields of a queue move
 * (attempt limit reached or bad number -> Nurture - Check Back Quarterly with its re-entry
 * time; Do-Not-Call flag -> the move names the outcome, whose station rule the movement
 * feature applies, so it carries no fields here).
 */
function assetUpdates(
  fieldUpdates: readonly FieldUpdate[],
  moves: readonly AssetMove[]
): Array<{ type: 'Lead' | 'Account'; fields: EntryRecord }> {
  const byAsset = new Map<string, { type: 'Lead' | 'Account'; fields: EntryRecord }>();
  const add = (assetId: string, type: 'Lead' | 'Account', fields: Record<string, string | number | null>) => {
    if (Object.keys(fields).length === 0) return;
    const known = byAsset.get(assetId) ?? { type, fields: { Id: assetId } };
    Object.assign(known.fields, fields);
    byAsset.set(assetId, known);
  };
  for (const update of fieldUpdates) add(update.assetId, update.assetType, update.fields);
  for (const move of moves) add(move.assetId, move.assetType, move.fields);
  return [...byAsset.values()];
}
