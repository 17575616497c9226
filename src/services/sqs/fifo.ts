import { hash } from 'node:crypto';
import type { QueueRuntime } from './queue.ts';
import { ATTEMPTS, DEDUP, type AttemptRecord, type DedupRecord } from './records.ts';

/** SQS's deduplication and receive-attempt window. */
export const FIFO_WINDOW_MS = 5 * 60 * 1000;

const SEQUENCE_BASE = 10n ** 19n;

/** FIFO SequenceNumber: 20 digits, increasing with send order within a queue. */
export function sequenceNumber(seq: number): string {
  return (SEQUENCE_BASE + BigInt(seq)).toString();
}

/** Content-based deduplication id: SHA-256 of the body (attributes are not part of it). */
export function contentDedupId(body: string): string {
  return hash('sha256', body, 'hex');
}

/** The dedup table key: per queue, or per message group with DeduplicationScope=messageGroup. */
function dedupKey(q: QueueRuntime, dedupId: string, group: string): string {
  return q.attr('DeduplicationScope') === 'messageGroup' ? `${q.prefix}g${group.length}:${group}/${dedupId}` : `${q.prefix}q/${dedupId}`;
}

/** The earlier send a message duplicates, when it is inside the window. */
export function findDuplicate(q: QueueRuntime, dedupId: string, group: string, now: number): DedupRecord | undefined {
  q.sweepExpired(now);
  const d = q.store.tables.dedup.get(dedupKey(q, dedupId, group));
  return d && d.exp > now ? d : undefined;
}

export function rememberSend(q: QueueRuntime, dedupId: string, group: string, id: string, sqn: string, now: number): void {
  const key = dedupKey(q, dedupId, group);
  const exp = now + FIFO_WINDOW_MS;
  q.store.tables.dedup.put(key, { id, sqn, exp });
  q.expireLater(DEDUP, key, exp);
}

function attemptKey(q: QueueRuntime, attemptId: string): string {
  return `${q.prefix}${attemptId}`;
}

export function findAttempt(q: QueueRuntime, attemptId: string, now: number): AttemptRecord | undefined {
  q.sweepExpired(now);
  const a = q.store.tables.attempts.get(attemptKey(q, attemptId));
  return a && a.exp > now ? a : undefined;
}

export function rememberAttempt(q: QueueRuntime, attemptId: string, seqs: number[], rcs: number[], now: number): void {
  const key = attemptKey(q, attemptId);
  const exp = now + FIFO_WINDOW_MS;
  q.store.tables.attempts.put(key, { exp, seqs, rcs });
  q.expireLater(ATTEMPTS, key, exp);
}
