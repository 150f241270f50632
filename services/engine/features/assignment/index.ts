import { z } from 'zod';
import type { JobContext, JobHandler, JobType } from '../../jobs/types';
import type { OrgClient } from '../../org/connection';
import type { StreamingMessage } from '../../org/streaming';
import type { EngineFeature } from '../../service';
import { auditFromOrg, auditResultJson } from './audit';
import { writeRecords } from '../../org/writes';
import { runAssignment, type AssignRunOptions, type AssignRunResult, type LedgerCache } from './assignRun';
import { catchUpSweep, rebalance, reentry } from './jobs';
import { orgNames } from '../../org/names';
import { moveCustomers, processDispositions, type MovementResult } from './movementRun';
import { IdBatcher } from '../../jobs/batcher';
import { Lane } from '../../jobs/lane';
import { Coalescer } from './runs';
import { EventLatency } from './latency';

/**
 * Assignment and movement in real time. Lead CREATE change events start an assignment run at
 * the entry station; Disposition__c CREATE events move their assets (and assign them where
 * the rule says Assign). Runs coalesce (see runs.ts), so a burst of events costs a few runs.
 * On start, and as the "Catch Up Sweep" job, everything missed while the engine was down is
 * processed. "Rebalance" and "Re-entry" jobs are handled here too.
 */
export interface AssignmentFeatureOptions {
  /** Stations whose waiting leads the sweep assigns (default: the entry station). */
  stations?: string[];
  /** Where new leads (no Station__c yet) and re-entering leads go. */
  entryStation?: string;
  /** The engine's clock (tests pass a fixed working-day time). */
  clock?: () => Date;
  /** Called after every run, for metrics and tests. */
  onAssigned?: (result: AssignRunResult) => void;
  onMoved?: (result: MovementResult) => void;
  /** Seconds from a new lead's commit in the org to its assignment (the latency histogram). */
  onEventAssigned?: (station: string, seconds: number) => void;
}

const accountChange = z.object({ ChangeEventHeader: z.object({ changeType: z.string(), recordIds: z.array(z.string()), changedFields: z.array(z.string()).default([]) }) });
const changeHeader = z.object({ ChangeEventHeader: z.object({ changeType: z.string(), recordIds: z.array(z.string()) }) });

export class AssignmentEngine {
  private readonly caches = new Map<string, LedgerCache>();
  private readonly latency: EventLatency;
  private readonly runs = new Map<string, Coalescer<AssignRunResult>>();
  private readonly turns = new Map<string, Lane>();
  /**
   * Every run that moves assets between stations and bins (dispositions, customers, re-entry)
   * takes this lane. Each reads an asset's place and writes the whole of its new place, so two
   * at once (the hourly Catch Up Sweep during live moves) could write a place read before the
   * other's move: a lead closed as Do Not Call put back in its working bin.
   */
  private readonly moving = new Lane();
  private arrivalFailure: unknown;
  private readonly moveBatches = new IdBatcher<MovementResult[]>((ids) => this.moveInChunks(ids));
  readonly entryStation: string;
  readonly stations: string[];
  private readonly clock: () => Date;

  constructor(
    readonly client: OrgClient,
    private readonly options: AssignmentFeatureOptions = {}
  ) {
    this.entryStation = options.entryStation ?? 'SDR_CALL';
    this.stations = options.stations ?? [this.entryStation];
    this.clock = options.clock ?? (() => new Date());
    this.latency = new EventLatency(options.onEventAssigned);
  }

  get unassignedOwnerId(): string {
    const id = this.client.userId;
    if (!id) throw new Error('the org session did not name its user: the engine cannot tell unassigned leads (owned by the integration user) apart');
    return id;
  }

  /** A coalesced assignment run at a station (the normal path). */
  assign(station: string): Promise<AssignRunResult> {
    let runner = this.runs.get(station);
    if (!runner) {
      runner = new Coalescer(() => this.assignNow(station));
      this.runs.set(station, runner);
    }
    return runner.request();
  }

  /**
   * One run now, not coalesced (rebalance passes its own assets). Runs at one station take
   * turns: two at once (a rebalance job during a burst of new leads) would continue the same
   * open blocks from the same ledger state and write the same draw positions twice.
   */
  assignNow(station: string, extra: Partial<AssignRunOptions> = {}): Promise<AssignRunResult> {
    let turns = this.turns.get(station);
    if (!turns) {
      turns = new Lane();
      this.turns.set(station, turns);
    }
    return turns.run(() => this.runAt(station, extra));
  }

  private async runAt(station: string, extra: Partial<AssignRunOptions>): Promise<AssignRunResult> {
    let cache = this.caches.get(station);
    if (!cache) {
      cache = { rows: new Map() };
      this.caches.set(station, cache);
    }
    try {
      const result = await runAssignment(this.client, {
        station,
        now: this.clock(),
        unassignedOwnerId: this.unassignedOwnerId,
        takesUnstationed: station === this.entryStation,
        cache,
        ...extra
      });
      this.options.onAssigned?.(result);
      this.latency.observe(result);
      return result;
    } catch (error) {
      // A failed run may have written part of its rows: rebuild from the ledger next time.
      cache.rows.clear();
      cache.complete = false;
      cache.window = undefined;
      throw error;
    }
  }

  async move(ids?: readonly string[]): Promise<MovementResult> {
    const result = await this.moving.run(() => processDispositions(this.client, { ...(ids ? { ids } : {}), now: this.clock(), unassignedOwnerId: this.unassignedOwnerId }));
    this.options.onMoved?.(result);
    await Promise.all(result.assignAt.map((station) => this.assign(station)));
    return result;
  }

  /**
   * Hands new dispositions to the coalesced movement without waiting for it: the channel
   * delivers one event at a time, so waiting here would give every event a run of its own and
   * a floor logging five dispositions a second would fall behind. Moves are crash safe anyway:
   * a disposition is stamped processed only once its move is written, and the Catch Up Sweep
   * (at start and as a job) moves whatever is left. A failed batch is retried with the next,
   * and reported through the engine's event-error log with the next event.
   */
  acceptDispositions(ids: readonly string[]): void {
    if (ids.length > 0) this.moveBatches.add(ids).catch(() => undefined);
    const failure = this.moveBatches.takeFailure();
    if (failure) {
      const retried = failure.ids.length - failure.gaveUp.length;
      const reason = failure.error instanceof Error ? failure.error.message : String(failure.error);
      throw new Error(`movement: moving the assets of ${failure.ids.length} dispositions failed (${reason}); ${retried} retried, ${failure.gaveUp.length} left to the Catch Up Sweep (job or restart)`);
    }
  }

  /**
   * A new lead: asks for a coalesced run at the entry station without waiting for it, for the
   * same reason as `acceptDispositions`. Waiting gave every lead event a whole run of its own,
   * so at five new leads a second the channel fell behind and its backlog grew in memory (the
   * leads were still assigned on time: each run takes every lead waiting). A run reads every
   * waiting lead from the org, so an event whose run failed is not lost: the next run or the
   * Catch Up Sweep takes its lead. A failure is reported with the next event.
   */
  acceptArrival(message: StreamingMessage): void {
    this.latency.note(message);
    this.assign(this.entryStation).catch((error: unknown) => {
      this.arrivalFailure = error;
    });
    const failure = this.arrivalFailure;
    this.arrivalFailure = undefined;
    if (failure !== undefined) {
      const reason = failure instanceof Error ? failure.message : String(failure);
      throw new Error(`assignment: a run at ${this.entryStation} failed (${reason}); its leads wait for the next run or the Catch Up Sweep`);
    }
  }

  private async moveInChunks(ids: readonly string[]): Promise<MovementResult[]> {
    const results: MovementResult[] = [];
    // processDispositions reads at most 1,000 dispositions a run.
    for (let at = 0; at < ids.length; at += 1000) results.push(await this.move(ids.slice(at, at + 1000)));
    return results;
  }

  sweep(): ReturnType<typeof catchUpSweep> {
    return catchUpSweep(this.client, {
      now: this.clock(),
      stations: this.stations,
      unassignedOwnerId: this.unassignedOwnerId,
      assignAt: (station, extra) => (extra ? this.assignNow(station, extra) : this.assign(station)),
      moving: (work) => this.moving.run(work)
    });
  }

  /** Resolves once the dispositions handed in are moved and no assignment run is going or asked for. */
  async idle(): Promise<void> {
    await this.moveBatches.idle();
    await Promise.all([...this.runs.values()].map((runner) => runner.idle()));
  }

  jobs(): Partial<Record<JobType, JobHandler>> {
    const stationsOf = (context: JobContext): string[] => {
      const scope = z.object({ stations: z.array(z.string().min(1)).optional(), station: z.string().min(1).optional() }).safeParse(context.job.scope);
      if (!scope.success) throw new Error(`Engine_Job__c(${context.job.name}).Scope__c: ${scope.error.issues[0]?.message}; expected {"stations": ["SDR_CALL"]}`);
      return scope.data.stations ?? (scope.data.station ? [scope.data.station] : this.stations);
    };
    const assignAt = (station: string, extra?: Partial<AssignRunOptions>) => (extra ? this.assignNow(station, extra) : this.assign(station));
    return {
      'Catch Up Sweep': async () => {
        const result = await this.sweep();
        return { recordsTouched: result.touched, summary: result.summary, partial: result.partial };
      },
      'Re-entry': async (context) => {
        const [station = this.entryStation] = stationsOf(context);
        const result = await reentry(this.client, { now: this.clock(), station, unassignedOwnerId: this.unassignedOwnerId, assignAt, moving: (work) => this.moving.run(work) });
        return { recordsTouched: result.touched, summary: result.summary };
      },
      Audit: async (context) => {
        // Scope: {"station": "SDR_CALL", "days": 7} audits the last 7 days (default) of a station.
        const scope = z
          .object({ station: z.string().min(1).optional(), days: z.number().positive().max(366).default(7) })
          .safeParse(context.job.scope);
        if (!scope.success) throw new Error(`Engine_Job__c(${context.job.name}).Scope__c: ${scope.error.issues[0]?.message}; expected {"station": "SDR_CALL", "days": 7}`);
        // The period ends now, inclusive: SOQL compares date-times to the second, so the
        // bound is the next whole second.
        const to = new Date(Math.floor(this.clock().getTime() / 1000) * 1000 + 1000);
        const from = new Date(to.getTime() - scope.data.days * 86_400_000);
        const audit = await auditFromOrg(this.client, { from, to, ...(scope.data.station ? { station: scope.data.station } : {}), seed: context.runKey.replace(/[^A-Za-z0-9]/g, '').slice(-20) || 'audit' });
        const names = orgNames(this.client);
        const [report] = await writeRecords(this.client, [
          { kind: 'upsert', sobject: names.api('Job_Run__c'), externalIdField: names.api('Run_Key__c'), records: [names.record({ Run_Key__c: context.runKey, Result__c: auditResultJson(audit, { station: scope.data.station, from, to }) })] }
        ]);
        if (report?.failed.length) throw new Error(`could not write Job_Run__c.Result__c: ${report.failed[0]?.errorCode} ${report.failed[0]?.message ?? ''}`);
        const verdict = audit.report.replay.reproduced ? 'reproduced' : `NOT reproduced (${audit.report.replay.problems.length} problem(s))`;
        const smallest = Math.min(...audit.report.equality.tests.map((t) => t.pHolm));
        return {
          recordsTouched: audit.rows,
          partial: !audit.report.replay.reproduced,
          summary: `${audit.rows} ledger row(s): ${verdict}; ${audit.report.equality.equal ? 'no difference in lead quality between reps' : 'lead quality differs between reps'}${Number.isFinite(smallest) ? ` (smallest Holm p ${smallest.toFixed(4)})` : ''}`
        };
      },
      Rebalance: async (context) => {
        let touched = 0;
        let partial = false;
        const summaries: string[] = [];
        for (const station of stationsOf(context)) {
          const result = await rebalance(this.client, { now: this.clock(), station, unassignedOwnerId: this.unassignedOwnerId, assignAt });
          touched += result.touched;
          partial ||= result.partial;
          summaries.push(result.summary);
        }
        return { recordsTouched: touched, summary: summaries.join('; '), partial };
      }
    };
  }

  listeners(): Array<{ channel: string; handle: (message: StreamingMessage) => Promise<void> }> {
    const names = orgNames(this.client);
    const creates = (message: StreamingMessage): string[] | undefined => {
      const parsed = changeHeader.safeParse(message.payload);
      return parsed.success && parsed.data.ChangeEventHeader.changeType === 'CREATE' ? parsed.data.ChangeEventHeader.recordIds : undefined;
    };
    // Change Data Capture channels: /data/LeadChangeEvent for a standard object,
    // /data/<Object>__ChangeEvent for a custom one (Change Data Capture Developer Guide,
    // "Subscription Channels").
    const dispositionChannel = `/data/${names.api('Disposition__c').replace(/__c$/, '__ChangeEvent')}`;
    return [
      {
        channel: '/data/LeadChangeEvent',
        handle: async (message) => {
          if (creates(message)) this.acceptArrival(message);
        }
      },
      {
        // An account whose Type becomes "Customer - ..." leaves the sales line at once.
        channel: '/data/AccountChangeEvent',
        handle: async (message) => {
          const parsed = accountChange.safeParse(message.payload);
          if (!parsed.success) return;
          const header = parsed.data.ChangeEventHeader;
          if (header.changeType === 'CREATE' || (header.changeType === 'UPDATE' && header.changedFields.includes('Type'))) await this.moving.run(() => moveCustomers(this.client, { ids: header.recordIds }));
        }
      },
      {
        channel: dispositionChannel,
        handle: async (message) => this.acceptDispositions(creates(message) ?? [])
      }
    ];
  }
}

export function assignmentFeature(options: AssignmentFeatureOptions = {}): EngineFeature & { engines: Map<OrgClient, AssignmentEngine> } {
  const engines = new Map<OrgClient, AssignmentEngine>();
  const engineFor = (client: OrgClient): AssignmentEngine => {
    let engine = engines.get(client);
    if (!engine) {
      engine = new AssignmentEngine(client, options);
      engines.set(client, engine);
    }
    return engine;
  };
  return {
    name: 'assignment',
    engines,
    jobs: (client) => engineFor(client).jobs(),
    listeners: (client) => engineFor(client).listeners(),
    onStart: async (client) => {
      await engineFor(client).sweep();
    },
    // Dispositions accepted from events but not yet moved are moved, and the runs asked for
    // by new leads finish, before the engine stops.
    onStop: async (client) => {
      await engines.get(client)?.idle();
    }
  };
}
