/**
 * Pending deliveries of one service, kept in that service's own table so a restart resumes
 * them (and their retry schedule) where they were. Each attempt runs on the engine scheduler,
 * never inline in the request that caused it: the originating write is durable first.
 */
import type { InternalServices } from '../services/framework/define.ts';
import type { Clock, Ids, Scheduler, ServiceState, Table, TimerHandle } from '../state/types.ts';
import { nextDelay, type RetryPolicy } from './policy.ts';
import { deliver, PermanentError, type MessageAttribute, type Target } from './targets.ts';

export interface DeadLetter {
  /** SQS queue ARN. */
  arn: string;
  /** Message attributes describing the failure are added to these. */
  attributes?: Record<string, MessageAttribute>;
}

export interface Delivery {
  account: string;
  region: string;
  target: Target;
  policy: RetryPolicy;
  dlq?: DeadLetter;
  /** SenderId the target sees (SQS), e.g. the service principal. */
  senderId: string;
  /** What caused it (subscription ARN, rule ARN + target id), for inspection and DLQ attributes. */
  source: string;
}

export interface DeliveryRecord extends Delivery {
  id: string;
  first: number;
  due: number;
  attempts: number;
  lastError?: string;
}

export interface Outcome {
  id: string;
  source: string;
  target: Target;
  status: 'delivered' | 'dead-lettered' | 'dropped';
  attempts: number;
  at: number;
  error?: string;
}

interface Runtime {
  state: ServiceState;
  clock: Clock;
  scheduler: Scheduler;
  ids: Ids;
  services: InternalServices;
}

const OUTCOMES_KEPT = 1000;

export class DeliveryQueue {
  private readonly table: Table<DeliveryRecord>;
  private readonly timers = new Map<string, TimerHandle>();
  private readonly running = new Set<string>();
  /** Recent final outcomes, newest last (inspection only: not persisted). */
  readonly outcomes: Outcome[] = [];
  private seq = 0;
  /** Set when kumo stops: attempts still in flight must not write to a closed engine. */
  private closed = false;

  constructor(private readonly rt: Runtime, tableName = 'deliveries') {
    this.table = rt.state.table(tableName);
  }

  /** Re-arms every pending delivery (init after start, reset or snapshot load). */
  load(): void {
    this.dispose();
    for (const [id, rec] of this.table.entries()) this.arm(id, rec.due);
  }

  dispose(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  /** Stops for good: an attempt in flight leaves its record pending, to be retried after a restart. */
  close(): void {
    this.closed = true;
    this.dispose();
  }

  get pending(): DeliveryRecord[] {
    return [...this.table.entries()].map(([, r]) => r);
  }

  enqueue(d: Delivery, delayMs = 0): string {
    const now = this.rt.clock.now();
    const id = `${String(now).padStart(15, '0')}-${String(this.seq++).padStart(6, '0')}-${this.rt.ids.hex(4)}`;
    const rec: DeliveryRecord = { ...d, id, first: now, due: now + delayMs, attempts: 0 };
    this.table.put(id, rec);
    this.arm(id, rec.due);
    return id;
  }

  private arm(id: string, due: number): void {
    this.timers.get(id)?.cancel();
    this.timers.set(id, this.rt.scheduler.at(due, () => {
      this.timers.delete(id);
      void this.attempt(id);
    }));
  }

  private async attempt(id: string): Promise<void> {
    const rec = this.table.get(id);
    if (!rec || this.running.has(id)) return;
    this.running.add(id);
    try {
      await deliver(this.caller(rec), rec.target, rec.senderId);
      if (this.closed) return;
      this.finish(rec, 'delivered', rec.attempts + 1);
    } catch (err) {
      if (!this.closed) await this.failed(rec, err);
    } finally {
      this.running.delete(id);
    }
  }

  private caller(rec: DeliveryRecord) {
    return { clock: this.rt.clock, account: rec.account, region: rec.region, services: this.rt.services };
  }

  private async failed(rec: DeliveryRecord, err: unknown): Promise<void> {
    const attempts = rec.attempts + 1;
    const message = (err as Error).message ?? String(err);
    const now = this.rt.clock.now();
    const delay = err instanceof PermanentError ? undefined : nextDelay(rec.policy, attempts, now - rec.first);
    if (!this.table.has(rec.id)) return;
    if (delay !== undefined) {
      const next: DeliveryRecord = { ...rec, attempts, due: now + delay, lastError: message };
      this.table.put(rec.id, next);
      this.arm(rec.id, next.due);
      return;
    }
    if (rec.dlq) {
      const code = err instanceof PermanentError ? err.code : 'RetriesExhausted';
      const dlq: Target = {
        kind: 'sqs', arn: rec.dlq.arn, body: bodyOf(rec.target),
        attributes: { ...rec.dlq.attributes, ERROR_CODE: str(code), ERROR_MESSAGE: str(message.slice(0, 1000)) },
      };
      // A DLQ that is gone too drops the message, as AWS does.
      const sent = await deliver(this.caller(rec), dlq, rec.senderId).then(() => true, () => false);
      if (this.closed) return;
      if (sent) return this.finish(rec, 'dead-lettered', attempts, message);
    }
    this.finish(rec, 'dropped', attempts, message);
  }

  private finish(rec: DeliveryRecord, status: Outcome['status'], attempts: number, error?: string): void {
    this.table.delete(rec.id);
    this.outcomes.push({ id: rec.id, source: rec.source, target: rec.target, status, attempts, at: this.rt.clock.now(), ...(error ? { error } : {}) });
    if (this.outcomes.length > OUTCOMES_KEPT) this.outcomes.splice(0, this.outcomes.length - OUTCOMES_KEPT);
  }
}

function str(v: string): MessageAttribute {
  return { DataType: 'String', StringValue: v };
}

function bodyOf(t: Target): string {
  switch (t.kind) {
    case 'sqs': return t.body;
    case 'lambda': return t.payload;
    case 'sns': return t.message;
    case 'events': return t.entry.Detail;
    case 'logs': return t.message;
    case 'http': return t.body;
    case 'unsupported': return t.body;
  }
}
