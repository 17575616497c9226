import { parseRedrivePolicy } from './attributes.ts';
import { sequenceNumber } from './fifo.ts';
import type { QueueRuntime } from './queue.ts';
import type { MessageRecord } from './records.ts';
import { parseQueueArn } from './urls.ts';

/** The dead-letter queue a source queue's RedrivePolicy names, when it exists. */
export function deadLetterQueueOf(q: QueueRuntime): { dlq: QueueRuntime; maxReceiveCount: number } | undefined {
  const policy = parseRedrivePolicy(q.attr('RedrivePolicy'));
  if (!policy) return undefined;
  const ref = parseQueueArn(policy.deadLetterTargetArn);
  const dlq = ref && q.store.find(ref);
  return dlq ? { dlq, maxReceiveCount: Number(policy.maxReceiveCount) } : undefined;
}

export type DeadLetterTarget = NonNullable<ReturnType<typeof deadLetterQueueOf>>;

/** Moves a message that has been received maxReceiveCount times to the dead-letter queue. */
export function moveToDeadLetter(q: QueueRuntime, target: DeadLetterTarget, seq: number, r: MessageRecord, now: number): void {
  q.remove(seq, r);
  moveInto(target.dlq, r, now, { src: q.arn });
}

/**
 * Re-enqueues a message elsewhere keeping its identity (id, body, attributes, sent time).
 * Dead-lettering keeps its receive history and marks the source; a redrive back starts afresh.
 * Retention keeps counting from the original enqueue on standard queues and restarts on FIFO
 * queues, as SQS documents.
 */
export function moveInto(dest: QueueRuntime, r: MessageRecord, now: number, how: { src?: string; fresh?: boolean }): void {
  dest.tick();
  dest.insert((seq) => ({
    id: r.id,
    body: r.body,
    md5: r.md5,
    attrs: r.attrs,
    md5Attrs: r.md5Attrs,
    sys: r.sys,
    md5Sys: r.md5Sys,
    sender: r.sender,
    sent: r.sent,
    enq: dest.fifo ? now : r.enq,
    vis: now,
    gen: 0,
    rc: how.fresh ? 0 : r.rc,
    first: how.fresh ? undefined : r.first,
    group: r.group,
    dedup: r.dedup,
    sqn: dest.fifo ? sequenceNumber(seq) : undefined,
    src: how.src,
  }));
}
