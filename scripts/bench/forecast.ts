/**
 * Forecast benchmark (issue 6): 1,000,000 closed and 100,000 open opportunities, 10,000
 * Monte Carlo draws, target <= 5 s and <= 2 GB. Generates a seeded synthetic history (500
 * reps in 50 teams, 20 products, 5 sources, 3 segments, five years), then times one full
 * forecast: known-table, calibration replays (12 months, 8 quarters, 3 years), the fit, and
 * P10/P50/P90 for total, every rep, team and product over 3 months, 2 quarters and a year.
 *
 *   tsx scripts/bench/forecast.ts [--closed 1000000] [--open 100000] [--draws 10000] [--json]
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  forecast,
  isoFromDay,
  dayFromIso,
  type OpportunityHistory,
  type OpportunityHistoryRow
} from '../../services/engine/core/forecast';
import { createRng, type Rng } from '../../services/engine/core/random';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const CLOSED = flag('closed', 1_000_000);
const OPEN_DEALS = flag('open', 100_000);
const DRAWS = flag('draws', 10_000);
const AS_OF = '2025-01-01';

function weibull(rng: Rng, scale: number, shape: number): number {
  return scale * Math.pow(-Math.log(1 - rng.next()), 1 / shape);
}

function generate(rng: Rng): OpportunityHistory {
  const start = dayFromIso('2020-01-01');
  const asOf = dayFromIso(AS_OF);
  const reps = Array.from({ length: 500 }, (_, i) => `Rep ${String(i + 1).padStart(3, '0')}`);
  const products = Array.from({ length: 20 }, (_, i) => ({
    name: `Product ${i + 1}`,
    price: 1_000 * (1 + (i % 7) * 3)
  }));
  const sources = ['Web', 'Referral', 'Partner', 'Outbound', 'Event'];
  const segments = ['SMB', 'Mid-Market', 'Enterprise'];
  const scale = [30, 60, 110];
  const rows: OpportunityHistoryRow[] = [];
  const make = (i: number, open: boolean): OpportunityHistoryRow => {
    const rep = rng.int(0, reps.length - 1);
    const product = products[rng.int(0, products.length - 1)] as { name: string; price: number };
    const segment = rng.int(0, 2);
    let created: number;
    let close: number | null = null;
    if (open) {
      created =
        rng.next() < 0.7 ? asOf - 1 - rng.int(0, 119) : start + rng.int(0, asOf - start - 1);
    } else {
      do {
        created = start + rng.int(0, asOf - start - 1);
        close = created + Math.floor(weibull(rng, scale[segment] as number, 1.3));
      } while (close >= asOf);
    }
    const won = !open && rng.next() < 0.45 + 0.1 * (segment === 0 ? 1 : 0);
    return {
      id: `B${i}`,
      rep: reps[rep] as string,
      team: `Team ${(rep % 50) + 1}`,
      product: product.name,
      source: sources[rng.int(0, sources.length - 1)] as string,
      segment: segments[segment] as string,
      account: null,
      stage: open ? 'Negotiation' : won ? 'Closed Won' : 'Closed Lost',
      amount: Math.round(product.price * (0.6 + 0.8 * rng.next())),
      createdDate: isoFromDay(created),
      closeDate: close === null ? null : isoFromDay(close),
      isClosed: !open,
      isWon: won
    };
  };
  for (let i = 0; i < CLOSED; i += 1) rows.push(make(i, false));
  for (let i = 0; i < OPEN_DEALS; i += 1) rows.push(make(CLOSED + i, true));
  return { snapshotDate: AS_OF, opportunities: rows };
}

function main(): void {
  const t0 = performance.now();
  const history = generate(createRng('bench:forecast'));
  const generated = performance.now();
  const baseRss = process.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  const result = forecast(history, { asOf: AS_OF, rng: createRng(42), options: { draws: DRAWS } });
  const done = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const total = result.lines.find(
    (line) => line.dimension === 'Total' && line.periodType === 'quarter'
  );
  const report = {
    closed: CLOSED,
    open: OPEN_DEALS,
    draws: DRAWS,
    lines: result.lines.length,
    periods: result.periods.map((p) => p.label),
    generateSeconds: +((generated - t0) / 1000).toFixed(2),
    forecastSeconds: +((done - generated) / 1000).toFixed(2),
    forecastCpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
    loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
    peakRssMb: Math.round(maxRssMb),
    rssBeforeForecastMb: Math.round(baseRss / 1024 / 1024),
    quarterTotal: total
      ? {
          expected: Math.round(total.expected),
          p10: Math.round(total.p10),
          p90: Math.round(total.p90)
        }
      : null,
    targets: { seconds: 5, megabytes: 2048 },
    node: process.version
  };
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(
      `forecast bench: ${CLOSED.toLocaleString('en-US')} closed + ${OPEN_DEALS.toLocaleString('en-US')} open, ${DRAWS.toLocaleString('en-US')} draws, ${report.lines} lines\n` +
        `  forecast ${report.forecastSeconds} s wall, ${report.forecastCpuSeconds} s CPU (target <= 5 s; load average ${report.loadAverage.join(' ')}), peak RSS ${report.peakRssMb} MB (target <= 2048 MB; ${report.rssBeforeForecastMb} MB held by the generated history)\n`
    );
  }
  process.exitCode = report.forecastSeconds <= 5 && report.peakRssMb <= 2048 ? 0 : 1;
}

main();
