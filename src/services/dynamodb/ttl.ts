/**
 * Background work on kumo's scheduler, once a minute of kumo time: the time-to-live sweep deletes
 * items whose TTL attribute (a Number of epoch seconds) is in the past, as DynamoDB's background
 * process does, emitting each deletion to the table's stream as a service-principal removal; the
 * stream log drops records past their 24 hours, the point-in-time log changes past the recovery
 * period. Moving kumo's clock forward therefore expires
 * items and stream records without waiting.
 */
import type { ServiceRuntime } from '../framework/define.ts';
import type { ServiceState, TimerHandle } from '../../state/index.ts';
import type { Item } from './attribute-value.ts';
import { compareNumbers } from './decimal.ts';
import { trimLog } from './pitr-log.ts';
import { Store } from './store.ts';
import { streamsTable, trimStreams } from './streams/log.ts';

const SWEEP_MS = 60_000;
const timers = new WeakMap<ServiceState, TimerHandle>();

/** True when the item's TTL attribute names a time at or before `nowMs`. */
export function expired(item: Item, attribute: string, nowMs: number): boolean {
  const v = item[attribute];
  if (v?.N === undefined) return false;
  return compareNumbers(v.N, String(Math.floor(nowMs / 1000))) <= 0;
}

/** Every (account, region) holding tables or streams. */
function scopes(rt: ServiceRuntime): Store[] {
  const seen = new Map<string, Store>();
  for (const name of ['tables', 'streams']) {
    for (const key of rt.state.table(name).keys()) {
      const [account, region] = key.split('/');
      const scope = `${account}/${region}`;
      if (!seen.has(scope)) seen.set(scope, new Store({ account: account!, region: region!, state: rt.state, clock: rt.clock, ids: rt.ids }));
    }
  }
  return [...seen.values()];
}

export function sweep(rt: ServiceRuntime): void {
  const now = rt.clock.now();
  for (const store of scopes(rt)) {
    for (const [, rec] of store.tables.entries()) {
      if (rec.pitr?.enabled) trimLog(store, rec);
      if (!rec.ttl?.enabled) continue;
      const items = store.items(rec.name);
      for (const [k, item] of items.entries()) {
        if (expired(item, rec.ttl.attribute, now)) store.writeItem(rec, k, item, undefined, 'ttl');
      }
    }
    if (streamsTable(store).size) trimStreams(store);
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
