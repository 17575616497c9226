/**
 * The change log behind point-in-time recovery: while PITR is enabled on a table, every item
 * write records the item as it was (`pitr-log`: `<table>/<table id>\0<counter>` -> Change), so a
 * restore to time T takes the current items and undoes every change made after T. Entries older
 * than the recovery period are dropped by the background sweep.
 */
import type { ServiceState, Table } from '../../state/index.ts';
import type { Item } from './attribute-value.ts';
import type { TableRecord } from './schema.ts';
import type { Store } from './store.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;

interface Change {
  at: number;
  key: string;
  /** The item before the change; absent when the change created it. */
  old?: Item;
}

const counters = new WeakMap<ServiceState, Map<string, number>>();

function log(store: Store): Table<Change> {
  return store.table<Change>('pitr-log');
}

function prefix(rec: TableRecord): string {
  return `${rec.name}/${rec.id}\u0000`;
}

function counterKey(store: Store, rec: TableRecord): string {
  return store.scope + prefix(rec);
}

function nextCounter(store: Store, rec: TableRecord): number {
  let map = counters.get(store.env.state);
  if (!map) {
    map = new Map();
    counters.set(store.env.state, map);
  }
  const k = counterKey(store, rec);
  let last = map.get(k);
  if (last === undefined) {
    last = 0;
    for (const key of log(store).keys({ prefix: prefix(rec), reverse: true })) {
      last = Number(key.slice(prefix(rec).length));
      break;
    }
  }
  map.set(k, last + 1);
  return last + 1;
}

export function recordChange(store: Store, rec: TableRecord, key: string, before: Item | undefined): void {
  const n = nextCounter(store, rec);
  log(store).put(prefix(rec) + String(n).padStart(16, '0'), { at: store.env.clock.now(), key, ...(before ? { old: before } : {}) });
}

/** The restorable window [earliest, latest] of a table with PITR enabled, on kumo's clock. */
export function restorableWindow(store: Store, rec: TableRecord): { earliest: number; latest: number } {
  const now = store.env.clock.now();
  return { earliest: Math.max(rec.pitr!.since, now - rec.pitr!.days * DAY_MS), latest: now };
}

/** The table's items as they were at `at`: current items with every later change undone. */
export function itemsAt(store: Store, rec: TableRecord, at: number): Map<string, Item> {
  const items = new Map<string, Item>(store.items(rec.name).entries());
  const undo = new Map<string, Item | undefined>();
  for (const [, c] of log(store).entries({ prefix: prefix(rec), reverse: true })) {
    if (c.at <= at) break;
    undo.set(c.key, c.old);
  }
  for (const [key, old] of undo) {
    if (old) items.set(key, old);
    else items.delete(key);
  }
  return items;
}

/** Drops the whole log of a table (PITR disabled, table deleted). */
export function dropLog(store: Store, rec: TableRecord): void {
  const t = log(store);
  for (const k of [...t.keys({ prefix: prefix(rec) })]) t.delete(k);
  counters.get(store.env.state)?.delete(counterKey(store, rec));
}

/** Drops entries no restore within the recovery period can need. */
export function trimLog(store: Store, rec: TableRecord): void {
  const horizon = store.env.clock.now() - rec.pitr!.days * DAY_MS;
  const t = log(store);
  for (const [k, c] of t.entries({ prefix: prefix(rec) })) {
    if (c.at >= horizon) break;
    t.delete(k);
  }
}

export function resetPitrCounters(state: ServiceState): void {
  counters.delete(state);
}
