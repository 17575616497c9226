import type { Target } from '../../generated/scheduler.ts';
import type { ServiceRuntime } from '../framework/define.ts';
import type { Clock, Table, TimerHandle } from '../../state/types.ts';
import { DeliveryQueue } from '../../events/queue.ts';

export interface GroupRecord {
  arn: string;
  name: string;
  account: string;
  region: string;
  created: number;
  modified: number;
  tags: Record<string, string>;
}

export interface ScheduleRecord {
  arn: string;
  name: string;
  group: string;
  account: string;
  region: string;
  created: number;
  modified: number;
  expression: string;
  timezone: string;
  state: string;
  window: { Mode: string; MaximumWindowInMinutes?: number };
  target: Target;
  afterCompletion: string;
  start?: number;
  end?: number;
  description?: string;
  kmsKeyArn?: string;
  /** The last scheduled time fired, so a restart neither repeats nor skips ahead of it. */
  lastFired?: number;
}

export class SchedulerStore {
  readonly groups: Table<GroupRecord>;
  readonly schedules: Table<ScheduleRecord>;
  readonly deliveries: DeliveryQueue;
  readonly timers = new Map<string, TimerHandle>();

  constructor(readonly rt: ServiceRuntime) {
    this.groups = rt.state.table('groups');
    this.schedules = rt.state.table('schedules');
    this.deliveries = new DeliveryQueue(rt);
  }

  dispose(): void {
    this.deliveries.close();
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }
}

const stores = new WeakMap<Clock, SchedulerStore>();

export function storeFor(owner: { clock: Clock }): SchedulerStore {
  const s = stores.get(owner.clock);
  if (!s) throw new Error('Scheduler state is not loaded');
  return s;
}

export function installStore(rt: ServiceRuntime): SchedulerStore {
  stores.get(rt.clock)?.dispose();
  const store = new SchedulerStore(rt);
  stores.set(rt.clock, store);
  store.deliveries.load();
  return store;
}

export const groupKey = (account: string, region: string, name: string) => `${account}/${region}/${name}`;
export const scheduleKey = (account: string, region: string, group: string, name: string) => `${account}/${region}/${group}/${name}`;
