import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * The only source of randomness in core: a seeded generator passed in as an argument, so
 * every draw (assignment, simulation, Monte Carlo) can be replayed from its logged seed.
 * xoroshiro128+ from pure-rand: fast, well tested, and jumpable for independent streams.
 */
export interface Rng {
  /** Integer in [min, max], both inclusive, without modulo bias. */
  int(min: number, max: number): number;
  /** Float in [0, 1) with 53 bits of precision. */
  next(): number;
  /** An independent generator derived from this one (for parallel streams). */
  fork(): Rng;
}

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/** A seed as logged in the ledger: any 32-bit integer, or a string hashed to one. */
export function seedFrom(seed: number | string): number {
  if (typeof seed === 'number') return seed | 0;
  // FNV-1a: stable across platforms, so a seed written as text replays identically.
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i += 1) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

export function createRng(seed: number | string): Rng {
  return wrap(xoroshiro128plus(seedFrom(seed)));
}

function wrap(generator: ReturnType<typeof xoroshiro128plus>): Rng {
  return {
    int: (min, max) => uniformInt(generator, min, max),
    next: () => {
      const high = uniformInt(generator, 0, TWO_POW_26 - 1);
      const low = uniformInt(generator, 0, TWO_POW_26 * 2 - 1);
      return (high * TWO_POW_26 * 2 + low) / TWO_POW_53;
    },
    fork: () => {
      // The fork starts 2^64 steps ahead; the parent jumps twice so successive forks differ.
      const jumped = generator.clone();
      jumped.jump();
      generator.jump();
      generator.jump();
      return wrap(jumped);
    }
  };
}

/** Fisher-Yates shuffle in place, driven by the seeded generator. */
export function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = rng.int(0, i);
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}
