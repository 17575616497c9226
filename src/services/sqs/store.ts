import type { ServiceRuntime } from '../framework/define.ts';
import type { Clock, Ids, Scheduler, ServiceState, Table } from '../../state/types.ts';
import { QueueRuntime } from './queue.ts';
import {
  ATTEMPTS, DEDUP, MESSAGES, QUEUES, TASKS,
  type AttemptRecord, type DedupRecord, type MessageRecord, type QueueRecord, type TaskRecord,
} from './records.ts';
import type { QueueRef } from './urls.ts';

export interface Tables {
  queues: Table<QueueRecord>;
  messages: Table<MessageRecord>;
  dedup: Table<DedupRecord>;
  attempts: Table<AttemptRecord>;
  tasks: Table<TaskRecord>;
}

/**
 * SQS's state in one kumo: the tables (unscoped: keys start with `account/region/`) and the
 * derived per-queue runtimes. Built by the service's init hook; found again from any request
 * context or runtime through the engine's clock, which is one object per kumo.
 */
export class SqsStore {
  readonly tables: Tables;
  readonly queues = new Map<string, QueueRuntime>();
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly ids: Ids;
  readonly state: ServiceState;
  /** Move-task continuations, cancelled with the store. */
  readonly taskTimers = new Map<string, { cancel(): void }>();

  constructor(rt: ServiceRuntime) {
    this.state = rt.state;
    this.clock = rt.clock;
    this.scheduler = rt.scheduler;
    this.ids = rt.ids;
    this.tables = {
      queues: rt.state.table(QUEUES),
      messages: rt.state.table(MESSAGES),
      dedup: rt.state.table(DEDUP),
      attempts: rt.state.table(ATTEMPTS),
      tasks: rt.state.table(TASKS),
    };
  }

  /** Rebuilds every queue's derived state from the tables. */
  load(): void {
    for (const [, rec] of this.tables.queues.entries()) this.queues.set(`${rec.account}/${rec.region}/${rec.name}`, new QueueRuntime(this, rec));
    let q: QueueRuntime | undefined;
    for (const [key, r] of this.tables.messages.entries()) {
      const slash = key.lastIndexOf('/');
      const queueKey = key.slice(0, slash);
      if (q?.key !== queueKey) q = this.queues.get(queueKey);
      if (!q) continue;
      const seq = Number(key.slice(slash + 1));
      if (seq >= q.nextSeq) q.nextSeq = seq + 1;
      q.index(seq, r);
    }
    const expiring: { q: QueueRuntime; table: string; key: string; exp: number }[] = [];
    for (const [table, t] of [[DEDUP, this.tables.dedup], [ATTEMPTS, this.tables.attempts]] as const) {
      for (const [key, v] of t.entries()) {
        const owner = this.queues.get(queueKeyOf(key));
        if (owner) expiring.push({ q: owner, table, key, exp: v.exp });
      }
    }
    expiring.sort((a, b) => a.exp - b.exp);
    for (const e of expiring) e.q.expireLater(e.table, e.key, e.exp);
    for (const queue of this.queues.values()) queue.scheduleRetention();
  }

  dispose(): void {
    for (const q of this.queues.values()) q.dispose();
    for (const t of this.taskTimers.values()) t.cancel();
    this.taskTimers.clear();
  }

  find(ref: QueueRef): QueueRuntime | undefined {
    return this.queues.get(`${ref.account}/${ref.region}/${ref.name}`);
  }

  add(rec: QueueRecord): QueueRuntime {
    const q = new QueueRuntime(this, rec);
    this.queues.set(q.key, q);
    this.tables.queues.put(q.key, rec);
    return q;
  }

  drop(q: QueueRuntime): void {
    q.clearMessages();
    q.dispose();
    this.tables.queues.delete(q.key);
    this.queues.delete(q.key);
    for (const table of [this.tables.dedup, this.tables.attempts, this.tables.tasks] as Table<unknown>[]) {
      for (const k of [...table.keys({ prefix: q.prefix })]) table.delete(k);
    }
  }
}

/** `account/region/name` of a key that starts with a queue's. */
function queueKeyOf(key: string): string {
  let i = -1;
  for (let n = 0; n < 3; n++) {
    i = key.indexOf('/', i + 1);
    if (i < 0) return key;
  }
  return key.slice(0, i);
}

const stores = new WeakMap<Clock, SqsStore>();

export function storeFor(owner: { clock: Clock }): SqsStore {
  const s = stores.get(owner.clock);
  if (!s) throw new Error('SQS state is not loaded');
  return s;
}

export function installStore(rt: ServiceRuntime): SqsStore {
  stores.get(rt.clock)?.dispose();
  const store = new SqsStore(rt);
  stores.set(rt.clock, store);
  store.load();
  return store;
}
