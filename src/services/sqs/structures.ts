/**
 * Compact in-memory structures for a queue's derived state. A queue may hold a million
 * messages: these keep numbers in typed arrays rather than one object per message.
 */

/** A ring buffer of fixed-width numeric tuples (FIFO order). */
export class TupleDeque {
  private buf: Float64Array;
  private head = 0;
  private count = 0;

  constructor(readonly width: number, capacity = 16) {
    this.buf = new Float64Array(capacity * width);
  }

  get length(): number {
    return this.count;
  }

  push(a: number, b = 0, c = 0): void {
    const w = this.width;
    const cap = this.buf.length / w;
    if (this.count === cap) this.grow();
    const at = ((this.head + this.count) % (this.buf.length / w)) * w;
    this.buf[at] = a;
    if (w > 1) this.buf[at + 1] = b;
    if (w > 2) this.buf[at + 2] = c;
    this.count++;
  }

  /** Field `field` of the `i`-th tuple from the front. */
  get(i: number, field = 0): number {
    const cap = this.buf.length / this.width;
    return this.buf[((this.head + i) % cap) * this.width + field]!;
  }

  shift(): void {
    if (this.count === 0) return;
    this.head = (this.head + 1) % (this.buf.length / this.width);
    this.count--;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  private grow(): void {
    const w = this.width;
    const cap = this.buf.length / w;
    const next = new Float64Array(cap * 2 * w);
    for (let i = 0; i < this.count; i++) {
      const from = ((this.head + i) % cap) * w;
      next.set(this.buf.subarray(from, from + w), i * w);
    }
    this.buf = next;
    this.head = 0;
  }
}

/** A FIFO of arbitrary values with amortized O(1) shift. */
export class Deque<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(v: T): void {
    this.items.push(v);
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const v = this.items[this.head]!;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return v;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

/** A binary min-heap of (at, seq, gen) ordered by `at`, then `seq`. */
export class TimeHeap {
  private buf = new Float64Array(3 * 16);
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** Earliest `at`, or Infinity when empty. */
  get top(): number {
    return this.count ? this.buf[0]! : Infinity;
  }

  topSeq(): number {
    return this.buf[1]!;
  }

  topGen(): number {
    return this.buf[2]!;
  }

  push(at: number, seq: number, gen: number): void {
    if ((this.count + 1) * 3 > this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    let i = this.count++;
    this.set(i, at, seq, gen);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  pop(): void {
    if (this.count === 0) return;
    this.count--;
    if (this.count === 0) return;
    const b = this.buf;
    const last = this.count * 3;
    this.set(0, b[last]!, b[last + 1]!, b[last + 2]!);
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.count && this.less(l, m)) m = l;
      if (r < this.count && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }

  clear(): void {
    this.count = 0;
  }

  private set(i: number, at: number, seq: number, gen: number): void {
    this.buf[i * 3] = at;
    this.buf[i * 3 + 1] = seq;
    this.buf[i * 3 + 2] = gen;
  }

  private less(i: number, j: number): boolean {
    const b = this.buf;
    const ai = b[i * 3]!;
    const aj = b[j * 3]!;
    return ai < aj || (ai === aj && b[i * 3 + 1]! < b[j * 3 + 1]!);
  }

  private swap(i: number, j: number): void {
    const b = this.buf;
    for (let k = 0; k < 3; k++) {
      const t = b[i * 3 + k]!;
      b[i * 3 + k] = b[j * 3 + k]!;
      b[j * 3 + k] = t;
    }
  }
}
