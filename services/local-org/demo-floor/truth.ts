/**
 * The generator's ground truth: what it knows about each opportunity's future (its true win
 * probability, true close date and drawn outcome) for an oracle forecast to be scored against.
 * It lives beside the org's database in its own SQLite file, never in the org, so nothing the
 * engine reads can leak it.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export const TRUTH_FILE = 'demo-floor-truth.sqlite';

export interface OpportunityTruth {
  opportunityId: string;
  /** Open at asOf: the forecastable ones. Closed ones are kept for backtests. */
  open: boolean;
  segment: string;
  stage: string;
  amount: number;
  /** Probability, at asOf, that the deal will be won (exact once the demo is held). */
  winProbability: number;
  /** The close date the generator drew (YYYY-MM-DD). */
  trueCloseDate: string;
  willWin: boolean;
  /**
   * When the close clock of an open deal started (ISO date-time): its true close date was
   * drawn from here with the segment's cycle and the end-of-quarter pull (deals.ts, drawClose),
   * so an oracle can know the close date's distribution rather than the draw.
   */
  cycleStart: string;
}

export interface FloorManifest {
  seed: string;
  leads: number;
  asOf: string;
  generatedAt: string;
  modelVersion: number;
  counts: Record<string, number>;
}

export interface TruthSink {
  add(rows: readonly OpportunityTruth[]): void;
  setManifest(manifest: FloorManifest): void;
  close(): void;
}

export class MemoryTruth implements TruthSink {
  readonly rows: OpportunityTruth[] = [];
  manifest: FloorManifest | null = null;
  add(rows: readonly OpportunityTruth[]): void {
    this.rows.push(...rows);
  }
  setManifest(manifest: FloorManifest): void {
    this.manifest = manifest;
  }
  close(): void {}
}

/** Ground truth in `<dataDir>/demo-floor-truth.sqlite`. */
export class SqliteTruth implements TruthSink {
  private readonly db: DatabaseSync;
  private readonly insert;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, TRUTH_FILE);
    rmSync(file, { force: true });
    this.db = new DatabaseSync(file);
    this.db.exec(`
      PRAGMA journal_mode = WAL;
      CREATE TABLE opportunity_truth (
        opportunity_id TEXT PRIMARY KEY,
        open INTEGER NOT NULL,
        segment TEXT NOT NULL,
        stage TEXT NOT NULL,
        amount REAL NOT NULL,
        win_probability REAL NOT NULL,
        true_close_date TEXT NOT NULL,
        will_win INTEGER NOT NULL,
        cycle_start TEXT NOT NULL
      );
      CREATE TABLE manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    this.insert = this.db.prepare(
      'INSERT INTO opportunity_truth VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'
    );
  }

  add(rows: readonly OpportunityTruth[]): void {
    this.db.exec('BEGIN');
    try {
      for (const row of rows) {
        this.insert.run(
          row.opportunityId,
          row.open ? 1 : 0,
          row.segment,
          row.stage,
          row.amount,
          row.winProbability,
          row.trueCloseDate,
          row.willWin ? 1 : 0,
          row.cycleStart
        );
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  setManifest(manifest: FloorManifest): void {
    this.db
      .prepare('INSERT OR REPLACE INTO manifest VALUES (?, ?)')
      .run('floor', JSON.stringify(manifest));
  }

  close(): void {
    this.db.close();
  }
}

/** Reads the ground truth of a data dir (for oracle forecasts and tests). */
export function readTruth(dataDir: string): {
  manifest: FloorManifest | null;
  opportunities: OpportunityTruth[];
} {
  const db = new DatabaseSync(path.join(dataDir, TRUTH_FILE), { readOnly: true });
  try {
    const manifestRow = db.prepare("SELECT value FROM manifest WHERE key = 'floor'").get() as
      { value: string } | undefined;
    const rows = db
      .prepare('SELECT * FROM opportunity_truth ORDER BY opportunity_id')
      .all() as Array<Record<string, string | number>>;
    return {
      manifest: manifestRow === undefined ? null : (JSON.parse(manifestRow.value) as FloorManifest),
      opportunities: rows.map((row) => ({
        opportunityId: String(row.opportunity_id),
        open: row.open === 1,
        segment: String(row.segment),
        stage: String(row.stage),
        amount: Number(row.amount),
        winProbability: Number(row.win_probability),
        trueCloseDate: String(row.true_close_date),
        willWin: row.will_win === 1,
        cycleStart: String(row.cycle_start)
      }))
    };
  } finally {
    db.close();
  }
}
