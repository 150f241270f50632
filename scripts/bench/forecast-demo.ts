/**
 * The forecast on the demo floor, held against the floor's ground truth (issue 6, "demo
 * floor"). For each seed it generates a floor in an in-process local org (in memory), reads
 * the history through the engine's own org adapter (SOQL over HTTP, exactly as from a real
 * org), and reports:
 *
 * 1. the rolling-origin monthly backtest of the model and its baselines on the floor's history
 *    (as of the first of each of the last `--months` months; leakage self-test included);
 * 2. the oracle comparison standing on the floor's as-of date: the generator's truth store
 *    knows, for every deal open then, its true win probability, its true close date and the
 *    outcome it drew. For each month and quarter ahead, the oracle expects
 *    sum(amount x true probability) over the open deals truly closing in it; the model's
 *    open-pipeline part is its expectation for the same deals; both are scored against the
 *    drawn outcome. Deals not created yet are left out of both: the truth store does not
 *    know them.
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
import { generateDemoFloor } from '../../services/local-org/demo-floor/generate';
import { StoreSink } from '../../services/local-org/demo-floor/storeSink';
import { MemoryTruth } from '../../services/local-org/demo-floor/truth';
import { createLocalOrg } from '../../services/local-org/server';
import { localOrgConfig } from '../../services/engine/cli/orgOption';
import {
  forecast,
  runBacktest,
  METHODS,
  type Backtest,
  type MethodName
} from '../../services/engine/core/forecast';
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
  json: z.boolean()
});
type Flags = z.infer<typeof FlagsSchema>;

interface OracleRow {
  seed: string;
  period: string;
  openDeals: number;
  realized: number;
  oracle: number;
  model: number;
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
    wapeModel: number | null;
    wapeOracle: number | null;
    ratio: number | null;
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
      options: { draws: flags.draws }
    });
    const f = forecast(history, {
      asOf: flags.asOf,
      rng: createRng(1),
      options: { draws: flags.draws, horizon: { months: 3, quarters: 2, years: 0 } },
      dimensions: ['Total']
    });
    const open = truth.rows.filter((t) => t.open);
    const oracle = f.explanations.map((e) => {
      const start = e.period.start > flags.asOf ? e.period.start : flags.asOf;
      const deals = open.filter((t) => within(t.trueCloseDate, start, e.period.end));
      return {
        seed,
        period: e.period.label,
        openDeals: deals.length,
        realized: deals.reduce((s, t) => s + (t.willWin ? t.amount : 0), 0),
        oracle: deals.reduce((s, t) => s + t.winProbability * t.amount, 0),
        model: e.openPipeline.expected
      };
    });
    return { backtest, opportunities: history.opportunities.length, oracle };
  } finally {
    await org.close();
  }
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
  const wapeModel = wape(oracleRows, (r) => r.model);
  const wapeOracle = wape(oracleRows, (r) => r.oracle);
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
      wapeModel,
      wapeOracle,
      ratio: wapeModel !== null && wapeOracle ? wapeModel / wapeOracle : null
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
    '| seed | period | open deals closing in it | realized | oracle | model (open pipeline) |',
    '| ---- | ------ | -----------------------: | -------: | -----: | --------------------: |'
  );
  for (const r of result.oracle.rows)
    out.push(
      `| ${r.seed} | ${r.period} | ${r.openDeals} | ${money(r.realized)} | ${money(r.oracle)} | ${money(r.model)} |`
    );
  out.push(
    '',
    `WAPE against the realized outcome, pooled: model ${pct(result.oracle.wapeModel)}, oracle ${pct(result.oracle.wapeOracle)}, ratio ${result.oracle.ratio === null ? '-' : result.oracle.ratio.toFixed(2)} (target <= 1.2).`,
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
