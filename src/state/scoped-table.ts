import { StoredTable } from './table.ts';
import type { RangeOptions, Table } from './types.ts';

/**
 * A view of `table` holding only the keys under `prefix` (e.g. `${account}/${region}/`), with
 * the prefix added on the way in and stripped on the way out. Range bounds are relative to the
 * view. `size` counts the scope's keys (O(keys in scope)).
 */
export function scopedTable<V>(table: Table<V>, prefix: string): Table<V> {
  if (table instanceof ScopedTable) return new ScopedTable<V>(table.base as Table<V>, table.prefix + prefix);
  return new ScopedTable(table, prefix);
}

class ScopedTable<V> implements Table<V> {
  constructor(
    readonly base: Table<V>,
    readonly prefix: string,
  ) {}

  get(key: string): V | undefined {
    return this.base.get(this.prefix + key);
  }

  has(key: string): boolean {
    return this.base.has(this.prefix + key);
  }

  put(key: string, value: V): void {
    this.base.put(this.prefix + key, value);
  }

  delete(key: string): boolean {
    return this.base.delete(this.prefix + key);
  }

  get size(): number {
    let n = 0;
    for (const _ of this.base.keys({ prefix: this.prefix })) n++;
    return n;
  }

  *entries(range: RangeOptions = {}): IterableIterator<[string, V]> {
    const cut = this.prefix.length;
    for (const [key, value] of this.base.entries(this.baseRange(range))) yield [key.slice(cut), value];
  }

  *keys(range: RangeOptions = {}): IterableIterator<string> {
    const cut = this.prefix.length;
    for (const key of this.base.keys(this.baseRange(range))) yield key.slice(cut);
  }

  clear(): void {
    if (this.base instanceof StoredTable) return this.base.clearPrefix(this.prefix);
    for (const key of [...this.base.keys({ prefix: this.prefix })]) this.base.delete(key);
  }

  private baseRange(range: RangeOptions): RangeOptions {
    const p = this.prefix;
    return {
      prefix: p + (range.prefix ?? ''),
      start: range.start === undefined ? undefined : p + range.start,
      after: range.after === undefined ? undefined : p + range.after,
      end: range.end === undefined ? undefined : p + range.end,
      reverse: range.reverse,
    };
  }
}
