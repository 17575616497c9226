import type { ServiceRuntime } from '../framework/define.ts';
import type { Clock, Table } from '../../state/types.ts';
import { DeliveryQueue } from '../../events/queue.ts';

export interface TopicRecord {
  arn: string;
  account: string;
  region: string;
  name: string;
  attrs: Record<string, string>;
  tags: Record<string, string>;
  dataProtectionPolicy?: string;
}

export interface SubscriptionRecord {
  arn: string;
  topicArn: string;
  account: string;
  region: string;
  protocol: string;
  endpoint: string;
  attrs: Record<string, string>;
  /** Until confirmed (HTTP/S, email): the token ConfirmSubscription must present. */
  token?: string;
}

/** What email, SMS and application endpoints received: kumo sends none of them anywhere. */
export interface RecordedMessage {
  id: string;
  at: number;
  account: string;
  region: string;
  protocol: string;
  endpoint: string;
  topicArn?: string;
  subscriptionArn?: string;
  subject?: string;
  message: string;
  attributes?: Record<string, unknown>;
}

export interface Tables {
  topics: Table<TopicRecord>;
  subs: Table<SubscriptionRecord>;
  recorded: Table<RecordedMessage>;
  /** FIFO deduplication: `topicArn|dedupId` -> expiry and the first message's ids. */
  dedup: Table<{ exp: number; messageId: string; seq: string }>;
  /** Per-account/region settings: SMS attributes, opted-out numbers, platform apps and endpoints. */
  misc: Table<unknown>;
}

/** SNS's state in one kumo: unscoped tables (keys start with ARNs) and the delivery queue. */
export class SnsStore {
  readonly tables: Tables;
  readonly deliveries: DeliveryQueue;
  seq = 0n;

  constructor(readonly rt: ServiceRuntime) {
    const t = <V>(n: string) => rt.state.table<V>(n);
    this.tables = { topics: t('topics'), subs: t('subscriptions'), recorded: t('recorded'), dedup: t('dedup'), misc: t('misc') };
    this.deliveries = new DeliveryQueue(rt);
  }

  private recorded = 0;

  /** Keys order recorded messages by time, then by arrival (the clock may stand still). */
  record(m: RecordedMessage): void {
    this.tables.recorded.put(`${String(m.at).padStart(15, '0')}-${String(this.recorded++).padStart(9, '0')}-${m.id}`, m);
  }

  subscriptionsOf(topicArn: string): SubscriptionRecord[] {
    return [...this.tables.subs.entries({ prefix: `${topicArn}:` })].map(([, s]) => s);
  }
}

const stores = new WeakMap<Clock, SnsStore>();

export function storeFor(owner: { clock: Clock }): SnsStore {
  const s = stores.get(owner.clock);
  if (!s) throw new Error('SNS state is not loaded');
  return s;
}

export function installStore(rt: ServiceRuntime): SnsStore {
  stores.get(rt.clock)?.deliveries.close();
  const store = new SnsStore(rt);
  stores.set(rt.clock, store);
  store.deliveries.load();
  return store;
}

export function topicArn(account: string, region: string, name: string): string {
  return `arn:aws:sns:${region}:${account}:${name}`;
}

/** `arn:aws:sns:region:account:name[:subscription-id]`. */
export function parseArn(arn: string): { region: string; account: string; name: string; sub?: string } | undefined {
  const m = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]+)(?::([0-9a-f-]{36}))?$/.exec(arn);
  return m ? { region: m[1]!, account: m[2]!, name: m[3]!, ...(m[4] ? { sub: m[4] } : {}) } : undefined;
}
