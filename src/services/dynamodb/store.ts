/**
 * State of the DynamoDB service. Persisted (per account and region): `tables` (definitions,
 * tags, TTL) and `items` (keyed `<table>\0<encoded key>`, so a table's items are one ordered
 * range), plus the stream log (streams/log.ts) and backups. Derived and rebuilt on init:
 * per-table item counts and sizes, and one ordered tree per secondary index mapping index key ->
 * item storage key, so Query never scans a table.
 */
import type { ServiceRuntime } from '../framework/define.ts';
import { newTree, type BTree } from '../../state/btree.ts';
import { rangeEntries } from '../../state/range.ts';
import { scopedTable, type Clock, type Ids, type RangeOptions, type ServiceState, type Table } from '../../state/index.ts';
import { itemSize, type Item } from './attribute-value.ts';
import { resourceNotFound } from './errors.ts';
import { encodeKeyValue } from './key-encoding.ts';
import { storageKey, type IndexRecord, type TableRecord } from './schema.ts';
import { recordChange } from './pitr-log.ts';
import { appendChange, type ChangeCause } from './streams/log.ts';

export class IndexTree {
  tree: BTree<string> = newTree<string>();
  version = 0;
  count = 0;
  bytes = 0;

  constructor(readonly def: IndexRecord) {}

  /** The index's key for an item, or undefined when the item lacks an index key (sparse). */
  keyFor(item: Item, itemKey: string): string | undefined {
    const h = item[this.def.key.hash];
    if (!h) return undefined;
    if (this.def.key.range === undefined) return encodeKeyValue(h) + itemKey;
    const r = item[this.def.key.range];
    return r ? encodeKeyValue(h) + encodeKeyValue(r) + itemKey : undefined;
  }

  update(itemKey: string, before: Item | undefined, after: Item | undefined): void {
    const old = before && this.keyFor(before, itemKey);
    const next = after && this.keyFor(after, itemKey);
    if (old !== undefined) {
      this.tree.delete(old);
      this.count--;
      this.bytes -= itemSize(before!);
    }
    if (next !== undefined) {
      this.tree.set(next, itemKey);
      this.count++;
      this.bytes += itemSize(after!);
    }
    this.version++;
  }

  entries(range: RangeOptions): IterableIterator<[string, string]> {
    return rangeEntries(this, range);
  }
}

export interface Derived {
  count: number;
  bytes: number;
  indexes: Map<string, IndexTree>;
}

const registry = new WeakMap<ServiceState, Map<string, Derived>>();

function derivedMap(state: ServiceState): Map<string, Derived> {
  let m = registry.get(state);
  if (!m) {
    m = new Map();
    registry.set(state, m);
  }
  return m;
}

function emptyDerived(rec: TableRecord): Derived {
  return { count: 0, bytes: 0, indexes: new Map(rec.indexes.map((i) => [i.name, new IndexTree(i)])) };
}

/** Rebuilds counts and index trees from the persisted tables (start, reset, snapshot load). */
export function rebuild(rt: ServiceRuntime): void {
  const map = derivedMap(rt.state);
  map.clear();
  const items = rt.state.table<Item>('items');
  for (const [scopedName, rec] of rt.state.table<TableRecord>('tables').entries()) {
    const d = emptyDerived(rec);
    map.set(scopedName, d);
    const prefix = scopedName + '\u0000';
    for (const [k, item] of items.entries({ prefix })) {
      const itemKey = k.slice(prefix.length);
      d.count++;
      d.bytes += itemSize(item);
      for (const idx of d.indexes.values()) idx.update(itemKey, undefined, item);
    }
  }
}

/** The derived structures of a table, by its scoped name (`account/region/table`). */
export function derivedFor(state: ServiceState, scopedName: string, rec: TableRecord): Derived {
  const map = derivedMap(state);
  let d = map.get(scopedName);
  if (!d) {
    d = emptyDerived(rec);
    map.set(scopedName, d);
  }
  return d;
}

/** What a Store needs: a request context or a service runtime plus the scope it works in. */
export interface StoreEnv {
  account: string;
  region: string;
  state: ServiceState;
  clock: Clock;
  ids: Ids;
}

/** The service state of one (account, region), as a request or a background sweep sees it. */
export class Store {
  readonly scope: string;

  constructor(readonly env: StoreEnv) {
    this.scope = `${env.account}/${env.region}/`;
  }

  /** One of the service's tables, scoped to this account and region. */
  table<V>(name: string): Table<V> {
    return scopedTable(this.env.state.table<V>(name), this.scope);
  }

  get tables(): Table<TableRecord> {
    return this.table<TableRecord>('tables');
  }

  tableRecord(name: string): TableRecord | undefined {
    return this.tables.get(name);
  }

  requireTable(name: string): TableRecord {
    const rec = this.tableRecord(name);
    if (!rec) throw resourceNotFound();
    return rec;
  }

  items(name: string): Table<Item> {
    return scopedTable(this.table<Item>('items'), name + '\u0000');
  }

  derived(rec: TableRecord): Derived {
    return derivedFor(this.env.state, this.scope + rec.name, rec);
  }

  dropDerived(name: string): void {
    derivedMap(this.env.state).delete(this.scope + name);
  }

  /** Adds an index to a live table, filling it from the table's items. */
  addIndex(rec: TableRecord, def: IndexRecord): void {
    const tree = new IndexTree(def);
    for (const [k, item] of this.items(rec.name).entries()) tree.update(k, undefined, item);
    this.derived(rec).indexes.set(def.name, tree);
  }

  getItem(rec: TableRecord, key: Item): Item | undefined {
    return this.items(rec.name).get(storageKey(rec.key, key));
  }

  /**
   * Stores (or, with `after` undefined, deletes) an item, keeping derived structures current and
   * appending the change to the table's stream and point-in-time log in the same write.
   */
  writeItem(rec: TableRecord, itemKey: string, before: Item | undefined, after: Item | undefined, cause: ChangeCause = 'user'): void {
    const items = this.items(rec.name);
    if (after) items.put(itemKey, after);
    else if (before) items.delete(itemKey);
    const d = this.derived(rec);
    if (before) {
      d.count--;
      d.bytes -= itemSize(before);
    }
    if (after) {
      d.count++;
      d.bytes += itemSize(after);
    }
    for (const idx of d.indexes.values()) idx.update(itemKey, before, after);
    if (rec.stream?.enabled) appendChange(this, rec, before, after, cause);
    if (rec.pitr?.enabled) recordChange(this, rec, itemKey, before);
  }
}
