/**
 * The forecast on the demo floor, held against the floor's ground truth (issue 6, "demo
 * floor"). For each seed it generates a floor in an in-process local org (in memory), reads
 * the history through the engine's own org adapter (SOQL over HTTP, exactly as from a real
 * org), and reports:
 *
 * 1. the rolling-origin monthly backtest of the model and its baselines on the floor's history
 *    (as of the first of each of the last `--months` months; leakage self-test included);
 * 2. the oracle comparison standing on the floor's as-of date: the generator's truth store
 *    knows, for every deal open then, its true win probability, when its close clock started
 *    and the outcome and close date it drew. The oracle knows the odds, not the draws: for each
 *    month and quarter ahead it expects sum(amount x true win probability x true probability
 *    of closing in the period), the latter from the generator's own close-date distribution
 *    (log-normal cycle of the segment from the clock's start, 30% pulled into the last ten
 *    days of their quarter; deals.ts drawClose) given that the deal is still open on the
 *    as-of date. The model's figure is its open-pipeline expectation for the same open deals.
 *    Both are scored against what the generator drew (won amount of the open deals truly
 *    closing in the period). Deals not created yet are left out of both: the truth store does
 *    not know them. (An oracle that knew each deal's drawn close date would know half the
 *    outcome; `oracleKnowingDates` reports it for reference.)
 *
 * The engine never reads the truth store; this script (outside the engine) does, as the oracle.
 *
 *   tsx scripts/bench/forecast-demo.ts [--seeds 5] [--leads 5000] [--as-of 2026-11-16]
 *                                      [--months 12] [--draws 10000] [--no-leakage-check] [--json]
 * `asl backtest --demo` runs this script with the same flags.
 */
import path from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { loadBehaviourModel } from '../../services/local-org/demo-floor/behaviourModel';
import { quarterOf } from '../../services/local-org/demo-floor/campaigns';
import { QUARTER_END_PULL } from '../../services/local-org/demo-floor/deals';
import { generateDemoFloor } from '../../services/local-org/demo-floor/generate';
import { StoreSink } from '../../services/local-org/demo-floor/storeSink';
import { MemoryTruth, type OpportunityTruth } from '../../services/local-org/demo-floor/truth';
import { createLocalOrg } from '../../services/local-org/server';
import { localOrgConfig } from '../../services/engine/cli/orgOption';
import {
  forecast,
  runBacktest,
  METHODS,
  type OpportunityHistory,
  type Backtest,
  type MethodName
} from '../../services/engine/core/forecast';
import { inverseNormal } from '../../services/engine/core/forecast/montecarlo';
import { createRng } from '../../services/engine/core/random';
import { readOrgHistory } from '../../services/engine/features/forecast/orgHistory';
import { connectOrg } from '../../services/engine/org/connection';

const ROOT = path.resolve(__dirname, '..', '..');

const FlagsSchema = z.object({
  seeds: z.coerce.number().int().min(1).max(200),
  leads: z.coerce.number().int().min(500).max(1_000_000),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '--as-of must be YYYY-MM-DD'),
  months: z.coerce.number().int().min(1).max(24),
  draws: z.coerce.number().int().min(100).max(1_000_000),
  leakageCheck: z.boolean(),
  /** false: stays in a stage are memoryless (the model before the stage clock), for comparison. */
  stageClock: z.boolean(),
  json: z.boolean()
});
type Flags = z.infer<typeof FlagsSchema>;

interface OracleRow {
  seed: string;
  period: string;
  openDeals: number;
  realized: number;
  oracle: number;
  /** The first oracle, which used each deal's base odds whatever its stage (reported for comparison). */
  oracleIgnoringStage: number;
  /** The unfair reference: sum(amount x true probability) over the deals truly closing in it. */
  oracleKnowingDates: number;
  model: number;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Quantile points of the cycle's log-normal: the close-date distribution is exact to 1/N. */
const CYCLE_POINTS = 2000;

/**
 * Every close time the generator's drawClose can give a deal whose clock started at `startMs`,
 * with its probability: close = start + max(1, LN(median, sigma)) days (at CYCLE_POINTS quantile
 * points); with probability QUARTER_END_PULL it is moved to max(close, quarter end - U{1..10}
 * days + 15 h).
 */
function eachClose(
  startMs: number,
  cycle: { median: number; sigmaLog: number },
  visit: (closeMs: number, weight: number) => void
): void {
  for (let j = 0; j < CYCLE_POINTS; j += 1) {
    const z = inverseNormal((j + 0.5) / CYCLE_POINTS);
    const days = Math.max(1, Math.exp(Math.log(cycle.median) + cycle.sigmaLog * z));
    const natural = Math.floor((startMs + days * DAY_MS) / 60_000) * 60_000;
    const w = 1 / CYCLE_POINTS;
    visit(natural, w * (1 - QUARTER_END_PULL));
    const quarterEnd = quarterOf(natural).endMs;
    for (let u = 1; u <= 10; u += 1) {
      const pulled = Math.max(natural, quarterEnd - u * DAY_MS + 15 * HOUR_MS);
      visit(Math.floor(pulled / 60_000) * 60_000, (w * QUARTER_END_PULL) / 10);
    }
  }
}

/**
 * P(close date in each period | still open at asOf) of a deal whose close clock started at
 * `startMs`, from the generator's drawClose: close = start + max(1, LN(median, sigma)) days; with
 * probability QUARTER_END_PULL it is moved to max(close, quarter end - U{1..10} days + 15 h).
 */
function closeShares(
  startMs: number,
  cycle: { median: number; sigmaLog: number },
  asOfMs: number,
  periods: Array<{ startMs: number; endMs: number }>
): number[] {
  const mass = periods.map(() => 0);
  let open = 0;
  const add = (closeMs: number, weight: number): void => {
    // The close date is the UTC day of the close (truthOf: isoDate of trueCloseMs).
    const day = Math.floor(closeMs / DAY_MS) * DAY_MS;
    if (closeMs < asOfMs) return;
    open += weight;
    periods.forEach((p, i) => {
      if (day >= p.startMs && day < p.endMs) mass[i] = (mass[i] as number) + weight;
    });
  };
  eachClose(startMs, cycle, add);
  return mass.map((m) => (open > 0 ? m / open : 0));
}

/** The stage the generator's events give a deal at `atMs` (deals.ts runToClose: NA, Proposal, Negotiation). */
function stageOfRun(
  demoMs: number,
  proposalMs: number,
  negotiationMs: number | null,
  atMs: number
): string {
  // Events apply in time order; at equal times in the order runToClose lists them.
  let stage = 'Qualification';
  let latest = -Infinity;
  const events: Array<[number, string]> = [
    [demoMs + HOUR_MS, 'Needs Analysis'],
    [proposalMs, 'Proposal/Price Quote']
  ];
  if (negotiationMs !== null) events.push([negotiationMs, 'Negotiation/Review']);
  for (const [at, name] of events) {
    if (at <= atMs && at >= latest) {
      stage = name;
      latest = at;
    }
  }
  return stage;
}

/**
 * The oracle for a deal whose demo was held (runToClose): its base odds `win` are exact only
 * before anything else is seen, because the generator ties the stages to the outcome: every
 * winner, and half of the losers, enter Negotiation/Review min(10 days, a quarter of the cycle)
 * before the close. Standing at asOf the oracle knows the deal is still open and which stage
 * it is in, so it weighs every way the generator could have drawn the deal (cycle quantile,
 * quarter-end pull, the 3-7 days to the proposal, the loser's coin) by how well it matches
 * what is seen: P(won and closing in each period | open, stage).
 */
function stageAwareShares(
  startMs: number,
  cycle: { median: number; sigmaLog: number },
  win: number,
  stage: string,
  asOfMs: number,
  periods: Array<{ startMs: number; endMs: number }>
): number[] {
  const wonIn = periods.map(() => 0);
  let seen = 0;
  const add = (closeMs: number, weight: number): void => {
    if (closeMs < asOfMs) return;
    const cycleMs = closeMs - startMs;
    const negotiationMs = closeMs - Math.min(10 * DAY_MS, 0.25 * cycleMs);
    const day = Math.floor(closeMs / DAY_MS) * DAY_MS;
    for (let delay = 3; delay <= 7; delay += 1) {
      const proposalMs = startMs + Math.min(delay * DAY_MS, 0.4 * cycleMs);
      const withNegotiation =
        stageOfRun(startMs, proposalMs, negotiationMs, asOfMs) === stage ? 1 : 0;
      const without = stageOfRun(startMs, proposalMs, null, asOfMs) === stage ? 1 : 0;
      const w = weight / 5;
      const winning = w * win * withNegotiation;
      seen += winning + w * (1 - win) * (0.5 * withNegotiation + 0.5 * without);
      if (winning === 0) continue;
      periods.forEach((p, i) => {
        if (day >= p.startMs && day < p.endMs) wonIn[i] = (wonIn[i] as number) + winning;
      });
    }
  };
  eachClose(startMs, cycle, add);
  return wonIn.map((m) => (seen > 0 ? m / seen : 0));
}

/** Stages a deal reaches only once its demo is held (runToClose). */
const AFTER_DEMO = new Set(['Needs Analysis', 'Proposal/Price Quote', 'Negotiation/Review']);

/** WAPE against the drawn outcome: months ahead pooled, quarters ahead pooled apart. */
export interface OracleScore {
  wapeModel: number | null;
  wapeOracle: number | null;
  ratio: number | null;
  quarters: { wapeModel: number | null; wapeOracle: number | null; ratio: number | null };
  /** The oracle that also knew each deal's drawn close date (months), for reference. */
  wapeOracleKnowingDates: number | null;
  /** The first oracle, blind to what the stage says of the outcome: months, quarters. */
  ignoringStage: { months: number | null; quarters: number | null };
}

function oracleScore(rows: OracleRow[]): OracleScore {
  const months = rows.filter((r) => !r.period.includes('Q'));
  const quarters = rows.filter((r) => r.period.includes('Q'));
  const ratio = (a: number | null, b: number | null): number | null =>
    a !== null && b ? a / b : null;
  const wapeModel = wape(months, (r) => r.model);
  const wapeOracle = wape(months, (r) => r.oracle);
  const qModel = wape(quarters, (r) => r.model);
  const qOracle = wape(quarters, (r) => r.oracle);
  return {
    wapeModel,
    wapeOracle,
    ratio: ratio(wapeModel, wapeOracle),
    quarters: { wapeModel: qModel, wapeOracle: qOracle, ratio: ratio(qModel, qOracle) },
    wapeOracleKnowingDates: wape(months, (r) => r.oracleKnowingDates),
    ignoringStage: {
      months: wape(months, (r) => r.oracleIgnoringStage),
      quarters: wape(quarters, (r) => r.oracleIgnoringStage)
    }
  };
}

export interface DemoResult {
  flags: Flags;
  backtests: Array<{ seed: string; opportunities: number; backtest: Backtest }>;
  pooled: {
    scores: Array<{ method: MethodName; wape: number | null; bias: number | null }>;
    covered: number;
    periods: number;
  };
  oracle: {
    rows: OracleRow[];
    /** Over every deal open on the as-of date. */
    all: OracleScore;
  };
  leakagePassed: boolean;
  seconds: number;
}

/** Adds one day to YYYY-MM-DD. */
const within = (date: string, start: string, end: string): boolean => date >= start && date < end;

async function oneSeed(
  seed: string,
  flags: Flags
): Promise<{ backtest: Backtest; opportunities: number; oracle: OracleRow[] }> {
  const org = createLocalOrg({
    dataDir: ':memory:',
    forceAppDir: path.join(ROOT, 'force-app/main/default')
  });
  const truth = new MemoryTruth();
  // The floor stands at midnight UTC, so "open on the as-of date" means the same to the
  // generator and to the forecast (which counts the as-of date as the start of the day).
  await generateDemoFloor(
    new StoreSink(org.store),
    { leads: flags.leads, seed, asOf: `${flags.asOf}T00:00:00.000Z` },
    truth
  );
  const { url } = await org.listen(0, '127.0.0.1');
  try {
    const client = await connectOrg(localOrgConfig(url, {}));
    const { history } = await readOrgHistory(client, { snapshotDate: flags.asOf });
    const [y, m] = flags.asOf.split('-').map(Number) as [number, number];
    const monthStart = (offset: number): string => {
      const index = y * 12 + (m - 1) + offset;
      return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
    };
    const backtest = runBacktest(history, {
      period: 'month',
      from: monthStart(-flags.months),
      to: monthStart(-1),
      seed: 1,
      leakageCheck: flags.leakageCheck,
      options: { draws: flags.draws, ...(flags.stageClock ? {} : { dwellBandsDays: [] }) }
    });
    const oracle = compareWithOracle(seed, flags, history, truth.rows);
    return { backtest, opportunities: history.opportunities.length, oracle };
  } finally {
    await org.close();
  }
}

/** Oracle, model and realized per period ahead, over the open deals of `truthRows`. */
function compareWithOracle(
  seed: string,
  flags: Flags,
  history: OpportunityHistory,
  truthRows: readonly OpportunityTruth[]
): OracleRow[] {
  const f = forecast(history, {
    asOf: flags.asOf,
    rng: createRng(1),
    options: {
      draws: flags.draws,
      horizon: { months: 3, quarters: 2, years: 0 },
      ...(flags.stageClock ? {} : { dwellBandsDays: [] })
    },
    dimensions: ['Total']
  });
  const open = truthRows.filter((t) => t.open);
  const model = loadBehaviourModel();
  const asOfMs = Date.parse(`${flags.asOf}T00:00:00.000Z`);
  const spans = f.explanations.map((e) => ({
    startMs: Math.max(Date.parse(`${e.period.start}T00:00:00.000Z`), asOfMs),
    endMs: Date.parse(`${e.period.end}T00:00:00.000Z`)
  }));
  const expected = spans.map(() => 0);
  const ignoringStage = spans.map(() => 0);
  for (const t of open) {
    const cycle = model.daysToClose[t.segment] ?? { median: 60, sigmaLog: 0.5 };
    const shares = closeShares(Date.parse(t.cycleStart), cycle, asOfMs, spans);
    shares.forEach((share, i) => {
      ignoringStage[i] = (ignoringStage[i] as number) + share * t.winProbability * t.amount;
    });
    // Before the demo the stage says nothing the odds do not hold already.
    const won = AFTER_DEMO.has(t.stage)
      ? stageAwareShares(Date.parse(t.cycleStart), cycle, t.winProbability, t.stage, asOfMs, spans)
      : shares.map((share) => share * t.winProbability);
    won.forEach((share, i) => {
      expected[i] = (expected[i] as number) + share * t.amount;
    });
  }
  return f.explanations.map((e, i) => {
    const start = e.period.start > flags.asOf ? e.period.start : flags.asOf;
    const closing = open.filter((t) => within(t.trueCloseDate, start, e.period.end));
    return {
      seed,
      period: e.period.label,
      openDeals: closing.length,
      realized: closing.reduce((sum, t) => sum + (t.willWin ? t.amount : 0), 0),
      oracle: expected[i] as number,
      oracleIgnoringStage: ignoringStage[i] as number,
      oracleKnowingDates: closing.reduce((sum, t) => sum + t.winProbability * t.amount, 0),
      model: e.openPipeline.expected
    };
  });
}

function wape(rows: OracleRow[], pick: (r: OracleRow) => number): number | null {
  const actual = rows.reduce((s, r) => s + r.realized, 0);
  return actual > 0 ? rows.reduce((s, r) => s + Math.abs(pick(r) - r.realized), 0) / actual : null;
}

export async function runDemo(flags: Flags): Promise<DemoResult> {
  const started = process.hrtime.bigint();
  const backtests: DemoResult['backtests'] = [];
  const oracleRows: OracleRow[] = [];
  for (let i = 1; i <= flags.seeds; i += 1) {
    const seed = `demo-${i}`;
    const one = await oneSeed(seed, flags);
    backtests.push({ seed, opportunities: one.opportunities, backtest: one.backtest });
    oracleRows.push(...one.oracle);
  }
  const rows = backtests.flatMap((b) => b.backtest.rows);
  const totalActual = rows.reduce((s, r) => s + r.actual, 0);
  const scores = METHODS.map((method) => {
    const usable = rows.filter((r) => r.forecasts[method] !== null);
    const actual = usable.reduce((s, r) => s + r.actual, 0);
    return {
      method,
      wape:
        actual > 0
          ? usable.reduce((s, r) => s + Math.abs(r.errors[method] as number), 0) / actual
          : null,
      bias:
        actual > 0 ? usable.reduce((s, r) => s + (r.errors[method] as number), 0) / actual : null
    };
  });
  return {
    flags,
    backtests,
    pooled: {
      scores: totalActual > 0 ? scores : [],
      covered: rows.filter((r) => r.covered).length,
      periods: rows.length
    },
    oracle: {
      rows: oracleRows,
      all: oracleScore(oracleRows)
    },
    leakagePassed: backtests.every((b) => b.backtest.leakage.every((l) => l.passed)),
    seconds: Number(process.hrtime.bigint() - started) / 1e9
  };
}

const money = (x: number | null): string =>
  x === null ? '-' : Math.round(x).toLocaleString('en-US');
const pct = (x: number | null): string => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);

export function formatDemo(result: DemoResult): string {
  const { flags } = result;
  const out: string[] = [
    `Demo floor: ${flags.seeds} seeds (demo-1..demo-${flags.seeds}), ${flags.leads.toLocaleString('en-US')} leads each, as of ${flags.asOf}; ${flags.draws.toLocaleString('en-US')} draws.`,
    '',
    `Rolling-origin monthly backtest (the last ${flags.months} months before the as-of date, per seed):`,
    '| seed | month | actual | model | P10-P90 | in range | seasonal naive | stage-weighted |',
    '| ---- | ----- | -----: | ----: | ------- | -------- | -------------: | -------------: |'
  ];
  for (const b of result.backtests) {
    for (const r of b.backtest.rows) {
      out.push(
        `| ${b.seed} | ${r.period} | ${money(r.actual)} | ${money(r.forecasts.model)} | ${money(r.p10)}-${money(r.p90)} | ${r.covered ? 'yes' : 'no'} | ${money(r.forecasts.seasonalNaive)} | ${money(r.forecasts.stageWeighted)} |`
      );
    }
  }
  out.push('', '| method (pooled over seeds) | WAPE | bias |', '| --- | ---: | ---: |');
  for (const s of result.pooled.scores)
    out.push(`| ${s.method} | ${pct(s.wape)} | ${pct(s.bias)} |`);
  out.push(
    '',
    `P10-P90 coverage (model): ${result.pooled.covered} of ${result.pooled.periods} months (${pct(result.pooled.periods ? result.pooled.covered / result.pooled.periods : null)}).`,
    `Leakage self-test: ${flags.leakageCheck ? (result.leakagePassed ? 'passed at every as-of date' : 'FAILED') : 'skipped (--no-leakage-check)'}.`,
    '',
    `Oracle comparison, open pipeline on ${flags.asOf} (deals open then; realized = the outcome the generator drew):`,
    '| seed | period | open deals closing in it | realized | oracle | model (open pipeline) | oracle knowing close dates | oracle blind to the stage |',
    '| ---- | ------ | -----------------------: | -------: | -----: | --------------------: | -------------------------: | ----------------------: |'
  );
  for (const r of result.oracle.rows)
    out.push(
      `| ${r.seed} | ${r.period} | ${r.openDeals} | ${money(r.realized)} | ${money(r.oracle)} | ${money(r.model)} | ${money(r.oracleKnowingDates)} | ${money(r.oracleIgnoringStage)} |`
    );
  const ratio = (x: number | null): string => (x === null ? '-' : x.toFixed(2));
  const scoreLines = (label: string, o: OracleScore): string[] => [
    `${label}: months ahead pooled: model ${pct(o.wapeModel)}, oracle ${pct(o.wapeOracle)}, ratio ${ratio(o.ratio)} (target <= 1.2); quarters ahead pooled: model ${pct(o.quarters.wapeModel)}, oracle ${pct(o.quarters.wapeOracle)}, ratio ${ratio(o.quarters.ratio)}; an oracle that also knew each deal's drawn close date: ${pct(o.wapeOracleKnowingDates)} (months); the first oracle, blind to what a deal's stage says of its outcome: ${pct(o.ignoringStage.months)} (months), ${pct(o.ignoringStage.quarters)} (quarters).`
  ];
  out.push(
    '',
    'WAPE against the realized outcome:',
    ...scoreLines('Every open deal', result.oracle.all),
    `Run time: ${result.seconds.toFixed(1)} s.`
  );
  return `${out.join('\n')}\n`;
}

async function main(): Promise<void> {
  const program = new Command()
    .option('--seeds <n>', 'floors generated, seeds demo-1..demo-n', '5')
    .option('--leads <n>', 'leads per floor', '5000')
    .option('--as-of <date>', 'the floor stands at midnight UTC of this date', '2026-11-16')
    .option('--months <n>', 'months backtested before the as-of date', '12')
    .option('--draws <n>', 'Monte Carlo draws', '10000')
    .option('--no-leakage-check', 'skip the leakage self-test')
    .option(
      '--no-stage-clock',
      'stays in a stage memoryless (the model without dwell bands), for comparison'
    )
    .option('--json', 'print the result as JSON', false)
    .parse(process.argv);
  const parsed = FlagsSchema.safeParse(program.opts());
  if (!parsed.success) {
    process.stderr.write(
      `${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n')}\n`
    );
    process.exitCode = 2;
    return;
  }
  const result = await runDemo(parsed.data);
  process.stdout.write(
    parsed.data.json ? `${JSON.stringify(result, null, 2)}\n` : formatDemo(result)
  );
  if (!result.leakagePassed) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
    );
    process.exitCode = 1;
  });
}
