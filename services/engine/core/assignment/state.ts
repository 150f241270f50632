import { rateCap } from './eligibility';
import { parseInstant } from './instant';
import { z } from 'zod';
import { stratumStateSchema, type AssignmentState, type LedgerRow, type Station, type StratumState } from './model';

/**
 * How far back a station's draws count against the hourly cap: an hour, or one handling time
 * when a task takes longer (rateCap). Overrides are per hour.
 */
export function rateWindowMs(station: Pick<Station, 'handlingMinutes'>): number {
  return Math.max(60, rateCap({ handlingMinutes: station.handlingMinutes, hourlyCapOverride: null }).windowMinutes) * 60_000;
}

/**
 * Rebuilds the assignment state of a station from ledger rows alone. The org layer passes
 * the rows of each stratum's latest block plus every row of the last rate window (a few
 * hours at most); older rows change nothing. Rows of other stations or of methods that do
 * not draw (Return To Booker, Override) are ignored.
 */
export function rebuildState(station: Pick<Station, 'key' | 'handlingMinutes' | 'hourlyCapOverride'>, rows: readonly LedgerRow[], now: Date): AssignmentState {
  const strata: Record<string, StratumState> = {};
  const draws: Array<{ repId: string; at: number }> = [];
  let lastText = '';
  let lastTime = 0;
  for (const row of rows) {
    if (!isStationDraw(row, station.key)) continue;
    if (row.stratum === null || row.block === null || row.seed === null || row.blockSize === null) continue;
    const current = strata[row.stratum];
    if (!current || row.block > current.block) {
      strata[row.stratum] = { stratum: row.stratum, block: row.block, seed: row.seed, size: row.blockSize, used: { [row.repId]: 1 } };
    } else if (row.block === current.block) {
      current.used[row.repId] = (current.used[row.repId] ?? 0) + 1;
    }
    // A run's rows share one time: parsed once.
    if (row.assignedAt !== lastText) {
      lastText = row.assignedAt;
      lastTime = parseInstant(row.assignedAt);
    }
    draws.push({ repId: row.repId, at: lastTime });
  }
  return { station: station.key, strata, recentDraws: recentDrawsOf(station, draws, now) };
}

/** A row that drew an asset at this station (the methods that use blocks and count against caps). */
export function isStationDraw(row: Pick<LedgerRow, 'station' | 'method'>, stationKey: string): boolean {
  return row.station === stationKey && (row.method === 'Permuted Block' || row.method === 'Rebalance');
}

/**
 * Each rep's draws inside the station's rate window, for the hourly caps: epoch milliseconds,
 * oldest first. The caller passes draws of this station only (`at`: epoch milliseconds).
 */
export function recentDrawsOf(station: Pick<Station, 'handlingMinutes'>, draws: Iterable<{ repId: string; at: number }>, now: Date): Record<string, number[]> {
  const recentDraws: Record<string, number[]> = {};
  const nowMs = now.getTime();
  const windowMs = rateWindowMs(station);
  for (const draw of draws) {
    if (draw.at > nowMs - windowMs && draw.at <= nowMs) (recentDraws[draw.repId] ??= []).push(draw.at);
  }
  for (const times of Object.values(recentDraws)) times.sort((a, b) => a - b);
  return recentDraws;
}

/** The blocks of the state, for the org layer to fetch their rows: `Stratum__c` and `Block__c`. */
export function openBlocks(state: AssignmentState): Array<{ stratum: string; block: number }> {
  return Object.values(state.strata).map((s) => ({ stratum: s.stratum, block: s.block }));
}

/**
 * The open blocks kept on the station record (Station__c.Engine_State__c), so that a run can
 * continue them without reading their ledger rows first: with the Composite limit of 5
 * queries per call, the blocks' rows would cost a second read call on every cold start.
 * The ledger stays the truth: the state is used only when the ledger proves it current.
 */
export const engineStateSchema = z.object({
  v: z.literal(1),
  station: z.string(),
  /** The run that wrote it: its time, and how many drawing ledger rows it wrote at that time. */
  asOf: z.string(),
  drawn: z.number().int().min(0),
  strata: z.record(z.string(), stratumStateSchema)
});
export type EngineState = z.infer<typeof engineStateSchema>;

/** Station__c.Engine_State__c is a Long Text Area(131072). */
export const ENGINE_STATE_MAX_CHARS = 131_072;

/**
 * The station's drawing rows in the second of `at`. The ledger proves a stored state current
 * by the rows at its second (SOQL compares date-times to the second), so a state written at
 * `at` must count the draws of earlier runs in that same second too: the running engine can
 * run several times a second, and a state counting only its own run's rows would look stale
 * to the next run, which would then read the whole rate window again.
 */
export function drawsInSecondOf(rows: readonly LedgerRow[], stationKey: string, at: Date): number {
  const target = second(at.getTime());
  return rows.filter((row) => isStationDraw(row, stationKey) && second(parseInstant(row.assignedAt)) === target).length;
}

/** The text to store after a run, or null when it does not fit (the next run reads the ledger instead). */
export function encodeEngineState(state: AssignmentState, asOf: Date, drawn: number): string | null {
  const text = JSON.stringify({ v: 1, station: state.station, asOf: asOf.toISOString(), drawn, strata: state.strata } satisfies EngineState);
  return text.length <= ENGINE_STATE_MAX_CHARS ? text : null;
}

/** The stored state of this station, or null when absent, unreadable or another station's. */
export function parseEngineState(text: unknown, stationKey: string): EngineState | null {
  if (typeof text !== 'string' || text === '') return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = engineStateSchema.safeParse(raw);
  return parsed.success && parsed.data.station === stationKey && !Number.isNaN(parseInstant(parsed.data.asOf)) ? parsed.data : null;
}

const second = (ms: number): number => Math.floor(ms / 1000);

/**
 * The state is current when the ledger holds, inside the window the caller read (rows
 * assigned at or after `since`), exactly the drawing rows its run wrote at its time and none
 * later. A later run whose state write failed, or a ledger write that failed, shows up as a
 * difference, and the caller rebuilds from the ledger. Compared to the second: DateTime
 * fields are not promised to keep milliseconds.
 */
export function engineStateIsCurrent(state: EngineState, recentRows: readonly LedgerRow[], since: Date): boolean {
  const asOf = second(parseInstant(state.asOf));
  if (asOf < second(since.getTime())) return false;
  let atAsOf = 0;
  for (const row of recentRows) {
    if (!isStationDraw(row, state.station)) continue;
    const at = second(parseInstant(row.assignedAt));
    if (at > asOf) return false;
    if (at === asOf) atAsOf += 1;
  }
  return atAsOf === state.drawn;
}

/** The assignment state from a current stored state plus the rate window's rows (for the hourly caps). */
export function stateFromEngineState(engineState: EngineState, station: Pick<Station, 'key' | 'handlingMinutes' | 'hourlyCapOverride'>, recentRows: readonly LedgerRow[], now: Date): AssignmentState {
  return { station: station.key, strata: engineState.strata, recentDraws: rebuildState(station, recentRows, now).recentDraws };
}
