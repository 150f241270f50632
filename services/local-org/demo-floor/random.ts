/**
 * The demo floor's seeded generator. The local org never imports the engine, so it keeps
 * its own: sfc32 (Chris Doty-Humphrey's small fast counter generator, 128-bit state), which
 * passes PractRand and is several times faster than a BigInt-based generator, which matters
 * when a 1,000,000-lead floor draws tens of millions of numbers.
 */
export interface FloorRng {
  /** Float in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One item, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** A standard normal draw (Box-Muller). */
  normal(): number;
  /** Log-normal with the given median and sigma of the log. */
  logNormal(median: number, sigmaLog: number): number;
  /** An independent generator for a sub-stream (users, leads, accounts...). */
  fork(label: string): FloorRng;
}

/** FNV-1a: a stable hash so a text seed replays identically on every platform. */
export function hashSeed(seed: number | string): number {
  const text = String(seed);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function createFloorRng(seed: number | string): FloorRng {
  const base = hashSeed(seed);
  let a = base;
  let b = 0x9e3779b9;
  let c = 0x243f6a88;
  let d = 1;
  const nextUint = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Warm-up: sfc32 states that differ in one word need a few rounds to decorrelate.
  for (let i = 0; i < 15; i += 1) nextUint();

  let spareNormal: number | null = null;
  const rng: FloorRng = {
    next: () => nextUint() / 4294967296,
    int: (min, max) => min + Math.floor(rng.next() * (max - min + 1)),
    chance: (p) => rng.next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick() needs at least one item');
      return items[Math.floor(rng.next() * items.length)] as T;
    },
    normal: () => {
      if (spareNormal !== null) {
        const value = spareNormal;
        spareNormal = null;
        return value;
      }
      let u = rng.next();
      while (u <= Number.MIN_VALUE) u = rng.next();
      const v = rng.next();
      const radius = Math.sqrt(-2 * Math.log(u));
      spareNormal = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
    logNormal: (median, sigmaLog) => Math.exp(Math.log(median) + sigmaLog * rng.normal()),
    fork: (label) => createFloorRng(`${base}:${label}`)
  };
  return rng;
}

/** A weighted choice table built once and drawn many times. */
export interface Weighted<T> {
  draw(rng: FloorRng): T;
  readonly values: readonly T[];
}

export function weighted<T>(entries: ReadonlyArray<readonly [T, number]>): Weighted<T> {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  if (!(total > 0)) throw new Error('weighted() needs a positive total weight');
  const values = entries.map(([value]) => value);
  const cumulative: number[] = [];
  let running = 0;
  for (const [, weight] of entries) {
    running += weight / total;
    cumulative.push(running);
  }
  return {
    values,
    draw: (rng) => {
      const u = rng.next();
      for (let i = 0; i < cumulative.length; i += 1) {
        if (u < (cumulative[i] as number)) return values[i] as T;
      }
      return values[values.length - 1] as T;
    }
  };
}
