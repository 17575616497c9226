/** A pending timer; `index` is its slot in the heap (-1 once fired or cancelled). */
export interface TimerEntry {
  at: number;
  seq: number;
  fn: () => void;
  index: number;
  owner: string | undefined;
}

/**
 * Binary min-heap of timers ordered by (at, seq), with O(log n) removal so cancelled timers
 * (every SQS visibility change cancels one) do not pile up.
 */
export class TimerHeap {
  private readonly items: TimerEntry[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): TimerEntry | undefined {
    return this.items[0];
  }

  push(entry: TimerEntry): void {
    entry.index = this.items.length;
    this.items.push(entry);
    this.up(entry.index);
  }

  pop(): TimerEntry | undefined {
    const top = this.items[0];
    if (top) this.remove(top);
    return top;
  }

  remove(entry: TimerEntry): void {
    const i = entry.index;
    if (i < 0 || this.items[i] !== entry) return;
    const last = this.items.pop()!;
    entry.index = -1;
    if (last === entry) return;
    this.items[i] = last;
    last.index = i;
    this.down(i);
    this.up(last.index);
  }

  /** Entries in no particular order (for cancelling a service's timers). */
  all(): readonly TimerEntry[] {
    return this.items;
  }

  private less(a: TimerEntry, b: TimerEntry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private up(i: number): void {
    const items = this.items;
    const entry = items[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(entry, items[parent]!)) break;
      items[i] = items[parent]!;
      items[i]!.index = i;
      i = parent;
    }
    items[i] = entry;
    entry.index = i;
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const entry = items[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && this.less(items[r]!, items[l]!) ? r : l;
      if (!this.less(items[child]!, entry)) break;
      items[i] = items[child]!;
      items[i]!.index = i;
      i = child;
    }
    items[i] = entry;
    entry.index = i;
  }
}
