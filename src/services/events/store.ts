import type { Target } from '../../generated/events.ts';
import type { ServiceRuntime } from '../framework/define.ts';
import type { Clock, Table, TimerHandle } from '../../state/types.ts';
import { DeliveryQueue } from '../../events/queue.ts';

export interface BusRecord {
  arn: string;
  name: string;
  account: string;
  region: string;
  created: number;
  description?: string;
  policy?: string;
  deadLetterArn?: string;
  kmsKey?: string;
  tags: Record<string, string>;
}

export interface RuleRecord {
  arn: string;
  name: string;
  bus: string;
  account: string;
  region: string;
  created: number;
  state: string;
  description?: string;
  eventPattern?: string;
  scheduleExpression?: string;
  roleArn?: string;
  managedBy?: string;
  targets: Target[];
  tags: Record<string, string>;
}

export interface ConnectionRecord {
  arn: string;
  name: string;
  account: string;
  region: string;
  created: number;
  modified: number;
  description?: string;
  authorizationType: string;
  /** As given (secrets included): applied to API destination calls, never returned. */
  auth: Record<string, any>;
}

export interface ApiDestinationRecord {
  arn: string;
  name: string;
  account: string;
  region: string;
  created: number;
  modified: number;
  description?: string;
  connectionArn: string;
  endpoint: string;
  method: string;
  rateLimit?: number;
}

export interface ArchiveRecord {
  arn: string;
  name: string;
  account: string;
  region: string;
  created: number;
  sourceArn: string;
  description?: string;
  eventPattern?: string;
  retentionDays: number;
  eventCount: number;
  sizeBytes: number;
}

export interface ReplayRecord {
  arn: string;
  name: string;
  account: string;
  region: string;
  sourceArn: string;
  destination: { Arn: string; FilterArns?: string[] };
  start: number;
  end: number;
  description?: string;
  state: string;
  replayStart: number;
  replayEnd?: number;
  lastReplayed?: number;
}

export interface ArchivedEvent {
  at: number;
  event: Record<string, unknown>;
}

/** One matched event handed to a rule target, for `/kumo/events/delivered-events`. */
export interface DeliveredEvent {
  at: number;
  eventId: string;
  eventBusName: string;
  ruleArn: string;
  targetId: string;
  targetArn: string;
  input: string;
  deliveryId: string;
}

export class EventsStore {
  readonly buses: Table<BusRecord>;
  readonly rules: Table<RuleRecord>;
  readonly connections: Table<ConnectionRecord>;
  readonly destinations: Table<ApiDestinationRecord>;
  readonly archives: Table<ArchiveRecord>;
  readonly archived: Table<ArchivedEvent>;
  readonly replays: Table<ReplayRecord>;
  readonly deliveries: DeliveryQueue;
  readonly delivered: DeliveredEvent[] = [];
  readonly ruleTimers = new Map<string, TimerHandle>();
  seq = 0;

  constructor(readonly rt: ServiceRuntime) {
    const t = <V>(n: string) => rt.state.table<V>(n);
    this.buses = t('buses');
    this.rules = t('rules');
    this.connections = t('connections');
    this.destinations = t('api-destinations');
    this.archives = t('archives');
    this.archived = t('archived-events');
    this.replays = t('replays');
    this.deliveries = new DeliveryQueue(rt);
  }

  dispose(): void {
    this.deliveries.close();
    for (const t of this.ruleTimers.values()) t.cancel();
    this.ruleTimers.clear();
  }
}

const stores = new WeakMap<Clock, EventsStore>();

export function storeFor(owner: { clock: Clock }): EventsStore {
  const s = stores.get(owner.clock);
  if (!s) throw new Error('EventBridge state is not loaded');
  return s;
}

export function installStore(rt: ServiceRuntime): EventsStore {
  stores.get(rt.clock)?.dispose();
  const store = new EventsStore(rt);
  stores.set(rt.clock, store);
  store.deliveries.load();
  return store;
}

export const busArn = (account: string, region: string, name: string) => `arn:aws:events:${region}:${account}:event-bus/${name}`;

export function ruleArn(account: string, region: string, bus: string, name: string): string {
  return `arn:aws:events:${region}:${account}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;
}

/** Rules are keyed by bus so that a bus's rules are one prefix scan. */
export const ruleKey = (account: string, region: string, bus: string, name: string) => `${account}/${region}/${bus}/${name}`;
