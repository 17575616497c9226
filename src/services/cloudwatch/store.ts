import type { RequestContext, ServiceRuntime, InternalServices } from '../framework/define.ts';
import { scopedTable } from '../../state/index.ts';
import type { Clock, Ids, Scheduler, ServiceState, Table, TimerHandle } from '../../state/types.ts';
import {
  ALARMS, DASHBOARDS, HISTORY, METRICS, POINTS,
  type AlarmRecord, type DashboardRecord, type HistoryRecord, type MetricRecord, type PointRecord,
} from './records.ts';

export interface Scope {
  account: string;
  region: string;
  metrics: Table<MetricRecord>;
  points: Table<PointRecord>;
  alarms: Table<AlarmRecord>;
  history: Table<HistoryRecord>;
  dashboards: Table<DashboardRecord>;
}

/** CloudWatch's derived state: one evaluation timer per metric alarm, rebuilt by init. */
export class CloudWatchStore {
  readonly timers = new Map<string, TimerHandle>();
  private historySeq = 0;

  constructor(
    readonly state: ServiceState, readonly clock: Clock, readonly scheduler: Scheduler, readonly ids: Ids, readonly services: InternalServices,
  ) {}

  scope(account: string, region: string): Scope {
    const prefix = `${account}/${region}/`;
    const t = <V>(name: string) => scopedTable(this.state.table<V>(name), prefix);
    return { account, region, metrics: t(METRICS), points: t(POINTS), alarms: t(ALARMS), history: t(HISTORY), dashboards: t(DASHBOARDS) };
  }

  /** Every scope that has alarms: `[account, region]`. */
  alarmScopes(): Array<[string, string]> {
    const seen = new Set<string>();
    for (const key of this.state.table<AlarmRecord>(ALARMS).keys()) {
      const [a, r] = key.split('/', 2) as [string, string];
      seen.add(`${a}/${r}`);
    }
    return [...seen].map((s) => s.split('/') as [string, string]);
  }

  nextHistorySeq(): number {
    if (this.historySeq === 0) {
      for (const key of this.state.table(HISTORY).keys()) this.historySeq = Math.max(this.historySeq, Number(key.slice(key.lastIndexOf('\u0001') + 1)) || 0);
    }
    return ++this.historySeq;
  }

  cancel(id: string): void {
    this.timers.get(id)?.cancel();
    this.timers.delete(id);
  }

  dispose(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }
}

const stores = new WeakMap<Clock, CloudWatchStore>();

export function storeFor(owner: { clock: Clock }): CloudWatchStore {
  const s = stores.get(owner.clock);
  if (!s) throw new Error('CloudWatch state is not loaded');
  return s;
}

export function installStore(rt: ServiceRuntime): CloudWatchStore {
  stores.get(rt.clock)?.dispose();
  const store = new CloudWatchStore(rt.state, rt.clock, rt.scheduler, rt.ids, rt.services);
  stores.set(rt.clock, store);
  return store;
}

export function scopeOf(ctx: RequestContext): Scope {
  return storeFor(ctx).scope(ctx.account, ctx.region);
}
