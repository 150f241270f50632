import { Lane } from './lane';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('Lane', () => {
  it('runs one piece at a time, in the order handed in', async () => {
    const lane = new Lane();
    const log: string[] = [];
    const piece = (name: string, steps: number) => async () => {
      log.push(`${name} starts`);
      for (let step = 0; step < steps; step += 1) await tick();
      log.push(`${name} ends`);
      return name;
    };
    const results = await Promise.all([lane.run(piece('a', 3)), lane.run(piece('b', 1)), lane.run(piece('c', 2))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a starts', 'a ends', 'b starts', 'b ends', 'c starts', 'c ends']);
  });

  it('gives a failure to its caller and goes on with the next piece', async () => {
    const lane = new Lane();
    const failed = lane.run(async () => {
      await tick();
      throw new Error('org refused');
    });
    const next = lane.run(async () => 'next ran');
    await expect(failed).rejects.toThrow('org refused');
    await expect(next).resolves.toBe('next ran');
  });
});
