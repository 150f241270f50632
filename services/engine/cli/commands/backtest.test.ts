import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { DEFAULT_SYNTHETIC, generateSynthetic } from '../../core/forecast';
import { createRng } from '../../core/random';
import { register as registerBacktest } from './backtest';
import { register as registerForecast } from './forecast';

/** Runs `asl <args>` with the forecasting commands registered and returns what it printed. */
async function run(args: string[]): Promise<string> {
  const program = new Command('asl').exitOverride();
  registerBacktest(program);
  registerForecast(program);
  let out = '';
  const spy = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
  try {
    await program.parseAsync(['node', 'asl', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('asl backtest and asl forecast (RevOps tries the forecast on an export before installing)', () => {
  let dir: string;
  let historyFile: string;
  let csvFile: string;
  let mappingFile: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'asl-forecast-'));
    const world = generateSynthetic(createRng('cli'), {
      ...DEFAULT_SYNTHETIC,
      months: 18,
      arrivalsPerDay: 3
    });
    historyFile = path.join(dir, 'history.json');
    writeFileSync(historyFile, JSON.stringify(world.history));
    // The same opportunities as a CRM export with its own column names and US dates.
    const us = (iso: string | null): string =>
      iso ? `${Number(iso.slice(5, 7))}/${Number(iso.slice(8, 10))}/${iso.slice(0, 4)}` : '';
    const lines = ['Opportunity ID,Owner,Stage,Created Date,Close Date,Amount,Product Family'];
    for (const o of world.history.opportunities) {
      lines.push(
        [
          o.id,
          o.rep,
          o.stage,
          us(o.createdDate),
          us(o.closeDate),
          o.isClosed ? String(o.amount) : '',
          o.product
        ].join(',')
      );
    }
    csvFile = path.join(dir, 'opportunities.csv');
    writeFileSync(csvFile, `${lines.join('\n')}\n`);
    mappingFile = path.join(dir, 'mapping.json');
    writeFileSync(
      mappingFile,
      JSON.stringify({
        columns: {
          id: 'Opportunity ID',
          rep: 'Owner',
          stage: 'Stage',
          createdDate: 'Created Date',
          closeDate: 'Close Date',
          amount: 'Amount',
          product: 'Product Family'
        },
        wonStages: ['Closed Won'],
        lostStages: ['Closed Lost'],
        dateFormat: 'MM/DD/YYYY'
      })
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the backtest table with every baseline, WAPE, bias, coverage and the leakage self-test', async () => {
    const text = await run([
      'backtest',
      '--history',
      historyFile,
      '--from',
      '2016-03-01',
      '--to',
      '2016-05-01',
      '--draws',
      '500'
    ]);
    expect(text).toMatch(
      /^period\s+as-of\s+actual\s+model\s+last period\s+trailing 3\s+seasonal naive\s+stage-weighted\s+model P10-P90\s+in range$/m
    );
    expect(text).toMatch(/^2016-03\s+2016-03-01\s/m);
    expect(text).toMatch(/^seasonal naive\s+[\d.]+%\s+-?[\d.]+%\s+3$/m);
    expect(text).toMatch(/P10-P90 coverage \(model\): \d of 3 periods/);
    expect(text).toMatch(/Leakage self-test: passed at all 3 as-of dates/);
  });

  it('reads a CSV export through a mapping file, and gives JSON with --json', async () => {
    const bt = JSON.parse(
      await run([
        'backtest',
        '--csv',
        csvFile,
        '--mapping',
        mappingFile,
        '--from',
        '2016-04-01',
        '--to',
        '2016-04-01',
        '--draws',
        '500',
        '--no-leakage-check',
        '--json'
      ])
    );
    expect(bt.rows).toHaveLength(1);
    expect(bt.scores.map((s: { method: string }) => s.method)).toEqual([
      'model',
      'lastPeriod',
      'trailing3',
      'seasonalNaive',
      'stageWeighted'
    ]);
    expect(bt.leakage).toEqual([]);
    // The CSV hides open deals' amounts, the history JSON has them in stage history: same actuals.
    const fromJson = JSON.parse(
      await run([
        'backtest',
        '--history',
        historyFile,
        '--from',
        '2016-04-01',
        '--to',
        '2016-04-01',
        '--draws',
        '500',
        '--no-leakage-check',
        '--json'
      ])
    );
    expect(bt.rows[0].actual).toBe(fromJson.rows[0].actual);
  });

  it('forecasts by dimension with P10/P50/P90 and emits Forecast__c records', async () => {
    const text = await run([
      'forecast',
      '--history',
      historyFile,
      '--as-of',
      '2016-05-10',
      '--months',
      '1',
      '--quarters',
      '1',
      '--years',
      '0',
      '--draws',
      '500',
      '--top',
      '3'
    ]);
    expect(text).toMatch(/^2016-05: expected [\d,]+ \(80% range [\d,]+ to [\d,]+\)/m);
    expect(text).toMatch(/^2016-Q2 by rep:$/m);
    expect(text).toMatch(/^\s+Rep\s+expected\s+P10\s+P50\s+P90\s+won so far$/m);
    expect(text).toMatch(/\.\.\. 9 more \(--top 0 shows all\)/);
    const records = JSON.parse(
      await run([
        'forecast',
        '--history',
        historyFile,
        '--as-of',
        '2016-05-10',
        '--months',
        '1',
        '--quarters',
        '0',
        '--years',
        '0',
        '--draws',
        '500',
        '--records',
        '--namespace',
        'asl'
      ])
    );
    expect(records.forecasts).toHaveLength(1);
    expect(records.forecasts[0].asl__Period_Type__c).toBe('Month');
    expect(records.lines.length).toBeGreaterThan(10);
  });

  it('names the flag and the fix when a flag is wrong', async () => {
    await expect(
      run([
        'backtest',
        '--history',
        historyFile,
        '--from',
        '2016-03-01',
        '--to',
        '2016-05-01',
        '--period',
        'week'
      ])
    ).rejects.toThrow(/--period: --period is month or quarter/);
    await expect(run(['forecast', '--csv', csvFile])).rejects.toThrow(
      /--csv needs --mapping <file.json> or --preset <name>/
    );
    await expect(run(['forecast', '--history', path.join(dir, 'missing.json')])).rejects.toThrow(
      /no such file/
    );
  });
});
