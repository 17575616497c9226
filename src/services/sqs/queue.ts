import type { TimerHandle } from '../../state/types.ts';
import { scopedTable } from '../../state/index.ts';
import { seqKey, type MessageRecord, type QueueRecord } from './records.ts';
import type { SqsStore } from './store.ts';
import { Deque, TimeHeap, TupleDeque } from './structures.ts';
import { queueArn } from './urls.ts';

/** A long poll parked on a queue: `poll` tries to fill it and reports whether it is done. */
export interface Waiter {
  poll(): boolean;
  /** Ends the wait with no messages (queue deleted, state reset). */
  cancel(): void;
}

interface Group {
  seqs: TupleDeque;
  /** In `available` already. */
  queued: boolean;
}

export type MessageState = 'visible' | 'inflight' | 'delayed';

/** A dedup or receive-attempt entry that expires after SQS's 5-minute window. */
interface Expiry {
  table: string;
  key: string;
  exp: number;
}

const RETENTION_BATCH = 1000;
const SEQ_RESERVE = 1024;

/**
 * One queue's derived state, rebuilt from the tables on load: which messages can be received
 * next (standard: a ready list; FIFO: per-group lists and the groups whose head is visible), a
 * heap of messages waiting to become visible (delays, visibility timeouts) driven by one
 * scheduler timer, message counts, long-poll waiters and expiry timers.
 *
 * A message's state is read from its record against `processed`, the latest clock time the
 * heap has been drained to: visible when `vis <= processed`. Entries in the ready list and the
 * heap carry the record's `gen`; a later visibility change bumps it, so stale entries are
 * skipped when met instead of being searched for and removed.
 */
export class QueueRuntime {
  rec: QueueRecord;
  readonly key: string;
  readonly prefix: string;
  readonly arn: string;
  nextSeq = 0;
  readonly ready = new TupleDeque(2);
  readonly groups = new Map<string, Group>();
  readonly available = new Deque<string>();
  readonly pending = new TimeHeap();
  readonly waiters: Waiter[] = [];
  readonly expiring = new Deque<Expiry>();
  visible = 0;
  inflight = 0;
  delayed = 0;
  processed = 0;
  deleted = false;
  private timer?: TimerHandle;
  private retention?: TimerHandle;
  private wakeQueued = false;

  constructor(
    readonly store: SqsStore,
    rec: QueueRecord,
  ) {
    this.rec = rec;
    this.key = `${rec.account}/${rec.region}/${rec.name}`;
    this.prefix = `${this.key}/`;
    this.arn = queueArn(rec.region, rec.account, rec.name);
    this.nextSeq = rec.seqMark;
    this.processed = store.clock.now();
  }

  get fifo(): boolean {
    return this.rec.fifo;
  }

  attr(name: string): string | undefined {
    return this.rec.attrs[name];
  }

  num(name: string): number {
    return Number(this.rec.attrs[name] ?? 0);
  }

  setRecord(rec: QueueRecord): void {
    this.rec = rec;
    this.store.tables.queues.put(this.key, rec);
  }

  msgKey(seq: number): string {
    return this.prefix + seqKey(seq);
  }

  get(seq: number): MessageRecord | undefined {
    return this.store.tables.messages.get(this.msgKey(seq));
  }

  /** Drains due visibility changes; every operation on the queue starts here. */
  tick(): number {
    const now = this.store.clock.now();
    if (now > this.processed) this.processed = now;
    const t = this.processed;
    const heap = this.pending;
    while (heap.top <= t) {
      const at = heap.top;
      const seq = heap.topSeq();
      const gen = heap.topGen();
      heap.pop();
      const r = this.get(seq);
      if (!r || r.gen !== gen || r.vis !== at) continue;
      if (r.rc > 0) this.inflight--;
      else this.delayed--;
      this.visible++;
      this.makeAvailable(seq, r);
    }
    this.arm();
    return now;
  }

  stateOf(r: MessageRecord): MessageState {
    if (r.vis <= this.processed) return 'visible';
    return r.rc > 0 ? 'inflight' : 'delayed';
  }

  private count(state: MessageState, delta: number): void {
    if (state === 'visible') this.visible += delta;
    else if (state === 'inflight') this.inflight += delta;
    else this.delayed += delta;
  }

  /** Sequence numbers are reserved in blocks so that restarts never reuse one. */
  private allocSeq(): number {
    const seq = this.nextSeq++;
    if (seq >= this.rec.seqMark) this.setRecord({ ...this.rec, seqMark: seq + SEQ_RESERVE });
    return seq;
  }

  /** Stores a new message and indexes it. */
  insert(build: (seq: number) => MessageRecord): { seq: number; rec: MessageRecord } {
    const seq = this.allocSeq();
    const rec = build(seq);
    this.store.tables.messages.put(this.msgKey(seq), rec);
    this.index(seq, rec);
    if (!this.retention) this.scheduleRetention();
    return { seq, rec };
  }

  /** Adds a stored message to the derived structures (insert and load). */
  index(seq: number, r: MessageRecord): void {
    if (r.group !== undefined && this.fifo) {
      let g = this.groups.get(r.group);
      if (!g) {
        g = { seqs: new TupleDeque(1, 4), queued: false };
        this.groups.set(r.group, g);
      }
      g.seqs.push(seq);
    }
    const state = this.stateOf(r);
    this.count(state, 1);
    if (state === 'visible') this.makeAvailable(seq, r);
    else this.schedule(seq, r);
  }

  /** Marks a message received: in flight for `vtSeconds`, one more receive. */
  receive(seq: number, r: MessageRecord, vtSeconds: number, now: number): MessageRecord {
    const next: MessageRecord = { ...r, rc: r.rc + 1, first: r.first ?? now, vis: now + vtSeconds * 1000, gen: r.gen + 1 };
    this.store.tables.messages.put(this.msgKey(seq), next);
    this.count(this.stateOf(r), -1);
    this.placeAfterChange(seq, next);
    return next;
  }

  setVisibility(seq: number, r: MessageRecord, vis: number): MessageRecord {
    const next: MessageRecord = { ...r, vis, gen: r.gen + 1 };
    this.store.tables.messages.put(this.msgKey(seq), next);
    this.count(this.stateOf(r), -1);
    this.placeAfterChange(seq, next);
    return next;
  }

  private placeAfterChange(seq: number, next: MessageRecord): void {
    const state = this.stateOf(next);
    this.count(state, 1);
    if (state === 'visible') this.makeAvailable(seq, next);
    else this.schedule(seq, next);
  }

  remove(seq: number, r: MessageRecord): void {
    this.store.tables.messages.delete(this.msgKey(seq));
    this.count(this.stateOf(r), -1);
    if (this.fifo && r.group !== undefined) this.refreshGroup(r.group);
  }

  private schedule(seq: number, r: MessageRecord): void {
    this.pending.push(r.vis, seq, r.gen);
    this.arm();
  }

  private makeAvailable(seq: number, r: MessageRecord): void {
    if (this.fifo && r.group !== undefined) this.refreshGroup(r.group);
    else this.ready.push(seq, r.gen);
    this.queueWake();
  }

  /** Drops deleted messages from the group's front and offers the group when its head is visible. */
  refreshGroup(id: string): void {
    const g = this.groups.get(id);
    if (!g) return;
    let head: MessageRecord | undefined;
    while (g.seqs.length > 0 && !(head = this.get(g.seqs.get(0)))) g.seqs.shift();
    if (!head) {
      this.groups.delete(id);
      return;
    }
    if (!g.queued && head.vis <= this.processed) {
      g.queued = true;
      this.available.push(id);
      this.queueWake();
    }
  }

  group(id: string): Group | undefined {
    return this.groups.get(id);
  }

  private arm(): void {
    const top = this.pending.top;
    if (top === Infinity) {
      this.timer?.cancel();
      this.timer = undefined;
      return;
    }
    if (this.timer && this.timer.at <= top) return;
    this.timer?.cancel();
    this.timer = this.store.scheduler.at(top, () => {
      this.timer = undefined;
      if (!this.deleted) this.tick();
    });
  }

  hasCandidates(): boolean {
    return this.fifo ? this.available.length > 0 : this.ready.length > 0;
  }

  private queueWake(): void {
    if (this.wakeQueued || this.waiters.length === 0) return;
    this.wakeQueued = true;
    queueMicrotask(() => {
      this.wakeQueued = false;
      this.wake();
    });
  }

  /** Lets parked long polls take what became available, oldest first. */
  wake(): void {
    while (this.waiters.length > 0 && !this.deleted && this.hasCandidates()) {
      if (!this.waiters[0]!.poll()) break;
      this.waiters.shift();
    }
  }

  removeWaiter(w: Waiter): void {
    const i = this.waiters.indexOf(w);
    if (i >= 0) this.waiters.splice(i, 1);
  }

  /** Drops FIFO dedup and receive-attempt entries whose 5-minute window has passed. */
  sweepExpired(now: number): void {
    for (let e = this.expiring.peek(); e && e.exp <= now; e = this.expiring.peek()) {
      this.expiring.shift();
      const table = this.store.state.table<{ exp: number }>(e.table);
      const cur = table.get(e.key);
      if (cur && cur.exp <= now) table.delete(e.key);
    }
  }

  expireLater(table: string, key: string, exp: number): void {
    this.expiring.push({ table, key, exp });
  }

  retentionMs(): number {
    return this.num('MessageRetentionPeriod') * 1000;
  }

  /** Arms the retention timer for the oldest message. */
  scheduleRetention(): void {
    this.retention?.cancel();
    this.retention = undefined;
    const first = this.store.tables.messages.entries({ prefix: this.prefix }).next();
    if (first.done) return;
    this.retention = this.store.scheduler.at(first.value[1].enq + this.retentionMs(), () => {
      this.retention = undefined;
      if (!this.deleted) this.sweepRetention();
    });
  }

  private sweepRetention(): void {
    const now = this.tick();
    const limit = now - this.retentionMs();
    const expired: [number, MessageRecord][] = [];
    for (const [key, r] of this.store.tables.messages.entries({ prefix: this.prefix })) {
      if (r.enq > limit || expired.length === RETENTION_BATCH) break;
      expired.push([Number(key.slice(this.prefix.length)), r]);
    }
    for (const [seq, r] of expired) this.remove(seq, r);
    this.scheduleRetention();
  }

  /** Deletes every message (PurgeQueue, DeleteQueue). */
  clearMessages(): void {
    scopedTable(this.store.tables.messages, this.prefix).clear();
    this.ready.clear();
    this.groups.clear();
    this.available.clear();
    this.pending.clear();
    this.visible = this.inflight = this.delayed = 0;
    this.arm();
    this.scheduleRetention();
  }

  /** Stops timers and ends waits (queue deleted, service state replaced). */
  dispose(): void {
    this.deleted = true;
    this.timer?.cancel();
    this.retention?.cancel();
    this.timer = this.retention = undefined;
    for (const w of this.waiters.splice(0)) w.cancel();
  }
}
