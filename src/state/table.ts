import type { BTree } from './btree.ts';
import { deepFreeze } from './freeze.ts';
import { rangeEntries, type LiveTree } from './range.ts';
import { CLEAR, CLEAR_PREFIX, DELETE, PUT, deletePrefix, type JournalRecord } from './records.ts';
import type { RangeOptions, Table } from './types.ts';

/** What a table needs from its service: journaling (a no-op in memory mode) and the freeze policy. */
export interface TableOwner {
  write(rec: JournalRecord): void;
  readonly freezeValues: boolean;
}

/** A table backed by a B+ tree; every write is journaled before it is applied. */
export class StoredTable<V> implements Table<V>, LiveTree<V> {
  version = 0;

  constructor(
    readonly name: string,
    public tree: BTree<V>,
    private readonly owner: TableOwner,
  ) {}

  get(key: string): V | undefined {
    return typeof key === 'string' ? this.tree.get(key) : undefined;
  }

  has(key: string): boolean {
    return typeof key === 'string' && this.tree.has(key);
  }

  put(key: string, value: V): void {
    checkKey(key);
    if (this.owner.freezeValues) deepFreeze(value);
    this.owner.write([PUT, this.name, key, value]);
    this.tree.set(key, value);
    this.version++;
  }

  delete(key: string): boolean {
    if (!this.has(key)) return false;
    this.owner.write([DELETE, this.name, key]);
    this.tree.delete(key);
    this.version++;
    return true;
  }

  get size(): number {
    return this.tree.size;
  }

  entries(range?: RangeOptions): IterableIterator<[string, V]> {
    return rangeEntries(this, range);
  }

  *keys(range?: RangeOptions): IterableIterator<string> {
    for (const [key] of rangeEntries(this, range)) yield key;
  }

  clear(): void {
    if (this.tree.size === 0) return;
    this.owner.write([CLEAR, this.name]);
    this.tree.clear();
    this.version++;
  }

  /** Deletes every key starting with `prefix`, journaled as one record. */
  clearPrefix(prefix: string): void {
    if (prefix === '') return this.clear();
    this.owner.write([CLEAR_PREFIX, this.name, prefix]);
    deletePrefix(this.tree, prefix);
    this.version++;
  }

  /** Installs a whole new tree (reset, snapshot load). */
  swap(tree: BTree<V>): void {
    this.tree = tree;
    this.version++;
  }
}

function checkKey(key: unknown): void {
  if (typeof key !== 'string') throw new TypeError(`table keys are strings, got ${typeof key}`);
}
