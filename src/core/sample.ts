/**
 * An evenly spread, deterministic sample of a stream whose length is unknown until
 * it ends (the recipient list is read once, and only then is its row count known).
 *
 * Every `stride`-th item is kept; when more than twice the target are kept, the
 * stride doubles and every other kept item is dropped. At the end between `target`
 * and `2 × target` items remain (fewer only when the stream was shorter), spread
 * evenly over the whole stream, and `target` of them are picked at even intervals.
 * Memory is O(target); the per-item cost is one modulo for items that are not kept.
 * The same input always gives the same sample, so findings are reproducible.
 */
export class StrideSampler<T> {
  private stride = 1;
  private kept: { position: number; item: T }[] = [];

  constructor(readonly target: number) {
    if (!Number.isInteger(target) || target < 1) throw new RangeError('sample target must be a positive integer');
  }

  /** Whether the item at this 0-based position would be kept: lets callers build the item only when it is. */
  wants(position: number): boolean {
    return position % this.stride === 0;
  }

  /** Offers the item at this 0-based position; positions must increase. */
  offer(position: number, make: () => T): void {
    if (position % this.stride !== 0) return;
    this.kept.push({ position, item: make() });
    if (this.kept.length > 2 * this.target) {
      this.stride *= 2;
      this.kept = this.kept.filter((entry) => entry.position % this.stride === 0);
    }
  }

  /** At most `target` items, in stream order. */
  result(): T[] {
    const count = this.kept.length;
    if (count <= this.target) return this.kept.map((entry) => entry.item);
    const picked: T[] = [];
    for (let index = 0; index < this.target; index++) {
      const entry = this.kept[Math.floor((index * count) / this.target)];
      if (entry) picked.push(entry.item);
    }
    return picked;
  }
}
