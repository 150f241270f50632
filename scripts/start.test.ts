import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsforce from 'jsforce';
import { readTruth } from '../services/local-org/demo-floor/truth';
import { FLOOR_MARKER, start, type StartOptions } from './start';

const ROOT = path.resolve(__dirname, '..');
const quiet = (): void => undefined;
// Each test starts the org (and the engine) several times: allow minutes on a busy machine.
jest.setTimeout(180_000);

describe('npm start (scripts/start.ts)', () => {
  let dataDir: string;
  const options = (extra: Partial<StartOptions> = {}): StartOptions => ({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    leads: 300,
    seed: 'start-test',
    reset: false,
    ...extra
  });

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'asl-start-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('generates the floor on first start, loads it on the second, and regenerates with --reset', async () => {
    const first = await start(options(), quiet);
    const conn = new jsforce.Connection({ loginUrl: first.url });
    await conn.login(first.summary.logins.manager as string, 'local-org');
    const before = await conn.query<{ Id: string }>('SELECT Id FROM Lead ORDER BY Id LIMIT 5');
    expect((await conn.query('SELECT COUNT() FROM Lead')).totalSize).toBe(300);
    const ids = before.records.map((lead) => lead.Id);
    await conn.sobject('Lead').update({ Id: ids[0] as string, Title: 'Edited before restart' });
    await first.stop();
    const marker = readFileSync(path.join(dataDir, FLOOR_MARKER), 'utf8');

    // A second start with other flags loads what is saved: same records, same marker, the edit kept.
    const second = await start(options({ leads: 999, seed: 'other' }), quiet);
    const again = new jsforce.Connection({ loginUrl: second.url });
    await again.login(second.summary.logins.manager as string, 'local-org');
    expect((await again.query('SELECT COUNT() FROM Lead')).totalSize).toBe(300);
    const after = await again.query<{ Id: string; Title: string }>(
      'SELECT Id, Title FROM Lead ORDER BY Id LIMIT 5'
    );
    expect(after.records.map((lead) => lead.Id)).toEqual(ids);
    expect(after.records[0]?.Title).toBe('Edited before restart');
    expect(readFileSync(path.join(dataDir, FLOOR_MARKER), 'utf8')).toBe(marker);
    await second.stop();

    const third = await start(options({ leads: 120, reset: true }), quiet);
    expect(third.summary.manifest.leads).toBe(120);
    await third.stop();
    expect(readTruth(dataDir).manifest?.leads).toBe(120);
  });

  it('regenerates a floor whose generation never finished (no marker)', async () => {
    const first = await start(options({ leads: 50 }), quiet);
    await first.stop();
    rmSync(path.join(dataDir, FLOOR_MARKER));
    const lines: string[] = [];
    const second = await start(options({ leads: 60 }), (text) => lines.push(text));
    expect(lines.join('')).toContain('unfinished floor');
    expect(second.summary.manifest.leads).toBe(60);
    await second.stop();
  });

  it('stops gracefully on SIGTERM, keeping the data for the next start', async () => {
    const child = spawn(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['scripts/start.ts', '--port', '0', '--data-dir', dataDir, '--leads', '40'],
      { cwd: ROOT }
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => output.includes('Stop with Ctrl+C') && resolve());
      child.on('exit', (code) =>
        reject(new Error(`npm start exited early (${String(code)}): ${output}`))
      );
    });
    expect(output).toMatch(/local org: http:\/\/127\.0\.0\.1:\d+/);
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code))
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('Stopped. The data is saved.');
    expect(existsSync(path.join(dataDir, FLOOR_MARKER))).toBe(true);
    const restarted = await start(options({ leads: 40 }), quiet);
    const conn = new jsforce.Connection({ loginUrl: restarted.url });
    await conn.login(restarted.summary.logins.manager as string, 'local-org');
    expect((await conn.query('SELECT COUNT() FROM Lead')).totalSize).toBe(40);
    await restarted.stop();
  });
});
