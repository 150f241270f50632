import { Command } from 'commander';
import { register as registerCampaign } from './campaign';

/** Runs `asl <args>` with only these commands registered and returns what it printed. */
async function run(args: string[]): Promise<string> {
  const program = new Command('asl').exitOverride();
  registerCampaign(program);
  let out = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
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

describe('asl campaign (Marketing checks its stopping rule)', () => {
  it('aa-sim prints the false-positive rates of the rule and of naive peeking', async () => {
    const text = await run(['campaign', 'aa-sim', '--runs', '400', '--per-arm', '300', '--seed', '3']);
    expect(text).toMatch(/A\/A simulation: 400 runs/);
    expect(text).toMatch(/stopping rule \(obrien-fleming, Lan-DeMets\)\s+5\s+\d+/);
    expect(text).toMatch(/naive peeking at \|Z\| >= 1\.96\s+20/);
  });

  it('aa-sim --json gives the same numbers for the same seed', async () => {
    const a = JSON.parse(await run(['campaign', 'aa-sim', '--runs', '200', '--per-arm', '100', '--json']));
    const b = JSON.parse(await run(['campaign', 'aa-sim', '--runs', '200', '--per-arm', '100', '--json']));
    expect(a.rules).toEqual(b.rules);
    expect(a.rules).toHaveLength(4);
  });

  it('sample-size prints the planned sample, and rejects bad flags by name', async () => {
    expect(await run(['campaign', 'sample-size', '--baseline', '0.1', '--lift', '0.02', '--looks', '1'])).toMatch(/^3841 members per variant, 7682 in all/);
    await expect(run(['campaign', 'aa-sim', '--rate', '2'])).rejects.toThrow(/--rate must be below 1/);
  });
});
