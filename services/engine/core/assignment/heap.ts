/**
 * A binary min-heap of small integer items keyed by integer keys, on typed arrays: the
 * draw path runs a million times in the benchmark, so it allocates nothing per operation.
 */
export class MinHeap {
  private readonly items: Int32Array;
  private readonly keys: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.items = new Int32Array(Math.max(1, capacity));
    this.keys = new Float64Array(Math.max(1, capacity));
  }

  push(item: number, key: number): void {
    let i = this.size;
    this.size += 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((this.keys[parent] as number) <= key) break;
      this.items[i] = this.items[parent] as number;
      this.keys[i] = this.keys[parent] as number;
      i = parent;
    }
    this.items[i] = item;
    this.keys[i] = key;
  }

  peek(): number {
    return this.items[0] as number;
  }

  pop(): void {
    this.size -= 1;
    if (this.size > 0) this.siftDown(this.items[this.size] as number, this.keys[this.size] as number);
  }

  /** Replaces the smallest item with (item, key) and restores the heap. */
  replaceTop(item: number, key: number): void {
    this.siftDown(item, key);
  }

  private siftDown(item: number, key: number): void {
    let i = 0;
    const half = this.size >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      const right = child + 1;
      if (right < this.size && (this.keys[right] as number) < (this.keys[child] as number)) child = right;
      if ((this.keys[child] as number) >= key) break;
      this.items[i] = this.items[child] as number;
      this.keys[i] = this.keys[child] as number;
      i = child;
    }
    this.items[i] = item;
    this.keys[i] = key;
  }
}
