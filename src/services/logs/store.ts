import type { RequestContext, ServiceRuntime } from '../framework/define.ts';
import { scopedTable } from '../../state/index.ts';
import type { Clock, Scheduler, ServiceState, Table, TimerHandle } from '../../state/types.ts';
import {
  DAY_MS, DESTINATIONS, EVENTS, EXPORTS, GROUPS, METRIC_FILTERS, POLICIES, QUERIES, STREAMS, SUBSCRIPTIONS, eventPosition,
  type DestinationRecord, type EventRecord, type ExportRecord, type GroupRecord, type MetricFilterRecord, type PolicyRecord,
  type QueryRecord, type StreamRecord, type SubscriptionRecord,
} from './records.ts';

/** One account+region's tables. */
export interface Scope {
  account: string;
  region: string;
  groups: Table<GroupRecord>;
  streams: Table<StreamRecord>;
  events: Table<EventRecord>;
  metricFilters: Table<MetricFilterRecord>;
  subscriptions: Table<SubscriptionRecord>;
  policies: Table<PolicyRecord>;
  destinations: Table<DestinationRecord>;
  exports: Table<ExportRecord>;
  queries: Table<QueryRecord>;
}

/**
 * Logs' derived state: one retention sweep timer per log group with a retention policy, due
 * when its oldest event expires. Rebuilt from the tables by init.
 */
export class LogsStore {
  private readonly timers = new Map<string, TimerHandle>();

  constructor(readonly state: ServiceState, readonly clock: Clock, readonly scheduler: Scheduler) {}

  scope(account: string, region: string): Scope {
    const prefix = `${account}/${region}/`;
    const t = <V>(name: string) => scopedTable(this.state.table<V>(name), prefix);
    return {
      account, region,
      groups: t(GROUPS), streams: t(STREAMS), events: t(EVENTS), metricFilters: t(METRIC_FILTERS), subscriptions: t(SUBSCRIPTIONS),
      policies: t(POLICIES), destinations: t(DESTINATIONS), exports: t(EXPORTS), queries: t(QUERIES),
    };
  }

  load(): void {
    for (const [key, g] of this.state.table<GroupRecord>(GROUPS).entries()) {
      if (g.retention === undefined) continue;
      const [account, region] = key.split('/', 2) as [string, string];
      this.sweep(this.scope(account, region), g.name);
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  /** Deletes the group's events older than its retention and schedules the next sweep. */
  sweep(scope: Scope, group: string): void {
    const id = `${scope.account}/${scope.region}/${group}`;
    this.timers.get(id)?.cancel();
    this.timers.delete(id);
    const g = scope.groups.get(group);
    if (!g || g.retention === undefined) return;
    const keep = g.retention * DAY_MS;
    const cutoff = this.clock.now() - keep;
    let oldest = Infinity;
    let freed = 0;
    for (const [key, e] of scope.events.entries({ prefix: `${group}:` })) {
      const { ts } = eventPosition(key);
      if (ts <= cutoff) {
        scope.events.delete(key);
        freed += Buffer.byteLength(e.m);
      } else if (ts < oldest) oldest = ts;
    }
    if (freed) scope.groups.put(group, { ...g, storedBytes: Math.max(0, g.storedBytes - freed) });
    if (oldest !== Infinity) this.expireAt(scope, group, oldest + keep);
  }

  /** Makes sure a sweep runs by `at` (an event written now expires then). */
  expireAt(scope: Scope, group: string, at: number): void {
    const id = `${scope.account}/${scope.region}/${group}`;
    const current = this.timers.get(id);
    if (current && current.at <= at) return;
    current?.cancel();
    this.timers.set(id, this.scheduler.at(Math.max(at, this.clock.now()), () => {
      this.timers.delete(id);
      this.sweep(scope, group);
    }));
  }

  forget(scope: Scope, group: string): void {
    const id = `${scope.account}/${scope.region}/${group}`;
    this.timers.get(id)?.cancel();
    this.timers.delete(id);
  }
}

const stores = new WeakMap<Clock, LogsStore>();

export function storeFor(owner: { clock: Clock }): LogsStore {
  const s = stores.get(owner.clock);
  if (!s) throw new Error('CloudWatch Logs state is not loaded');
  return s;
}

export function installStore(rt: ServiceRuntime): LogsStore {
  stores.get(rt.clock)?.dispose();
  const store = new LogsStore(rt.state, rt.clock, rt.scheduler);
  stores.set(rt.clock, store);
  store.load();
  return store;
}

export function scopeOf(ctx: RequestContext): Scope {
  return storeFor(ctx).scope(ctx.account, ctx.region);
}
