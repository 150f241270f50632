import type { Day } from './dates';
import type { KnownDeals } from './known';
import type { WinTree } from './winTree';

/**
 * Decay-weighted sums over closed deals for many origins in one pass. The weight of a close
 * at origin o is 2^((close - o + 1) / h) = 2^((close - ref) / h) * 2^((ref - o + 1) / h), so
 * running sums of 2^((close - ref) / h) over deals closed before o, scaled once per origin,
 * give every origin's sums without rescanning a million deals each time.
 */
export class ClosedSweep {
  private cursor = 0;
  private origin = -Infinity;
  readonly leafClosed: Float64Array;
  readonly leafWins: Float64Array;
  readonly leafClosed2: Float64Array;
  readonly valueW: Float64Array;
  readonly valueX: Float64Array;
  readonly valueXX: Float64Array;

  constructor(
    private readonly k: KnownDeals,
    private readonly tree: WinTree,
    private readonly halfLifeDays: number,
    private readonly valueHalfLifeDays: number
  ) {
    this.leafClosed = new Float64Array(tree.nodeCount);
    this.leafWins = new Float64Array(tree.nodeCount);
    this.leafClosed2 = new Float64Array(tree.nodeCount);
    const products = k.dict.product.length;
    this.valueW = new Float64Array(products);
    this.valueX = new Float64Array(products);
    this.valueXX = new Float64Array(products);
  }

  /** Adds the deals closed before `origin`; origins must come in ascending order. */
  advanceTo(origin: Day): void {
    if (origin < this.origin)
      throw new Error(`sweep origins must ascend: ${origin} after ${this.origin}`);
    this.origin = origin;
    const { close, won, amount, product } = this.k.closed;
    const leaves = this.tree.leafOfClosed;
    const ref = this.k.asOf;
    const h = this.halfLifeDays;
    const hv = this.valueHalfLifeDays;
    let j = this.cursor;
    for (; j < close.length; j += 1) {
      const day = close[j] as number;
      if (day >= origin) break;
      const w = Math.pow(2, (day - ref) / h);
      const leaf = leaves[j] as number;
      this.leafClosed[leaf] = (this.leafClosed[leaf] as number) + w;
      this.leafClosed2[leaf] = (this.leafClosed2[leaf] as number) + w * w;
      if (won[j]) {
        this.leafWins[leaf] = (this.leafWins[leaf] as number) + w;
        const x = amount[j] as number;
        if (!Number.isNaN(x)) {
          const p = product[j] as number;
          const wv = Math.pow(2, (day - ref) / hv);
          this.valueW[p] = (this.valueW[p] as number) + wv;
          this.valueX[p] = (this.valueX[p] as number) + wv * x;
          this.valueXX[p] = (this.valueXX[p] as number) + wv * x * x;
        }
      }
    }
    this.cursor = j;
  }

  private readonly scratch = {
    closed: new Float64Array(0),
    wins: new Float64Array(0),
    closed2: new Float64Array(0)
  };

  /**
   * Leaf sums at the current origin in node-sized scratch arrays (the tree fit sums them up
   * the tree in place); they are overwritten by the next call.
   */
  treeSums(): { closed: Float64Array; wins: Float64Array; closed2: Float64Array } {
    const scale = Math.pow(2, (this.k.asOf - this.origin + 1) / this.halfLifeDays);
    const n = this.leafClosed.length;
    if (this.scratch.closed.length !== n) {
      this.scratch.closed = new Float64Array(n);
      this.scratch.wins = new Float64Array(n);
      this.scratch.closed2 = new Float64Array(n);
    }
    const { closed, wins, closed2 } = this.scratch;
    for (let i = 0; i < n; i += 1) {
      closed[i] = (this.leafClosed[i] as number) * scale;
      wins[i] = (this.leafWins[i] as number) * scale;
      closed2[i] = (this.leafClosed2[i] as number) * scale * scale;
    }
    return this.scratch;
  }

  valueSums(): { w: Float64Array; sx: Float64Array; sxx: Float64Array } {
    const scale = Math.pow(2, (this.k.asOf - this.origin + 1) / this.valueHalfLifeDays);
    return {
      w: this.valueW.map((x) => x * scale),
      sx: this.valueX.map((x) => x * scale),
      sxx: this.valueXX.map((x) => x * scale)
    };
  }
}
