/**
 * Time to live: a sweep on kumo's scheduler deletes items whose TTL attribute (a Number of
 * epoch seconds) is in the past, as DynamoDB's background process does. Moving kumo's clock
 * forward therefore expires items without waiting.
 */
import type { ServiceRuntime } from '../framework/define.ts';
import type { ServiceState, TimerHandle } from '../../state/index.ts';
import { itemSize, type Item } from './attribute-value.ts';
import { compareNumbers } from './decimal.ts';
import type { TableRecord } from './schema.ts';
import { derivedFor } from './store.ts';

const SWEEP_MS = 60_000;
const timers = new WeakMap<ServiceState, TimerHandle>();

/** True when the item's TTL attribute names a time at or before `nowMs`. */
export function expired(item: Item, attribute: string, nowMs: number): boolean {
  const v = item[attribute];
  if (v?.N === undefined) return false;
  return compareNumbers(v.N, String(Math.floor(nowMs / 1000))) <= 0;
}

export function sweep(rt: ServiceRuntime): void {
  const now = rt.clock.now();
  const items = rt.state.table<Item>('items');
  for (const [scopedName, rec] of rt.state.table<TableRecord>('tables').entries()) {
    if (!rec.ttl?.enabled) continue;
    const prefix = scopedName + '\u0000';
    const derived = derivedFor(rt.state, scopedName, rec);
    for (const [k, item] of items.entries({ prefix })) {
      if (!expired(item, rec.ttl.attribute, now)) continue;
      items.delete(k);
      derived.count--;
      derived.bytes -= itemSize(item);
      for (const idx of derived.indexes.values()) idx.update(k.slice(prefix.length), item, undefined);
    }
  }
}

export function scheduleSweeps(rt: ServiceRuntime): void {
  timers.get(rt.state)?.cancel();
  const tick = () => {
    sweep(rt);
    timers.set(rt.state, rt.scheduler.after(SWEEP_MS, tick));
  };
  timers.set(rt.state, rt.scheduler.after(SWEEP_MS, tick));
}
