import type { Attributes } from './md5.ts';

/**
 * What SQS keeps in tables. Keys carry the scope (`account/region/`) so that one table holds
 * every account's queues and cross-account queue URLs resolve without a second lookup path.
 */

export const QUEUES = 'queues';
export const MESSAGES = 'messages';
export const DEDUP = 'dedup';
export const ATTEMPTS = 'attempts';
export const TASKS = 'tasks';

export interface QueueRecord {
  /** Random per queue instance: receipt handles of a deleted queue never match its successor. */
  uid: string;
  name: string;
  account: string;
  region: string;
  fifo: boolean;
  /** Every settable attribute with its current value (defaults filled in at creation). */
  attrs: Record<string, string>;
  tags: Record<string, string>;
  /** Epoch seconds, as the attributes report them. */
  created: number;
  modified: number;
  /** Epoch ms of the last PurgeQueue (its 60 s rule). */
  purgedAt?: number;
  /** Message sequence numbers below this may have been used: a restart resumes above it. */
  seqMark: number;
}

export interface MessageRecord {
  id: string;
  body: string;
  md5: string;
  attrs?: Attributes;
  md5Attrs?: string;
  sys?: Attributes;
  md5Sys?: string;
  sender: string;
  /** Epoch ms the message was sent (SentTimestamp). */
  sent: number;
  /** Epoch ms retention counts from (a FIFO dead-letter queue restarts it). */
  enq: number;
  /** Epoch ms the message is (or becomes) visible. */
  vis: number;
  /** Bumped on every visibility change: timer and ready entries of older generations are stale. */
  gen: number;
  /** Receive count; also the identity of the latest receipt handle. */
  rc: number;
  first?: number;
  group?: string;
  dedup?: string;
  /** FIFO SequenceNumber. */
  sqn?: string;
  /** ARN of the queue a dead-lettered message came from. */
  src?: string;
}

export interface DedupRecord {
  id: string;
  sqn: string;
  exp: number;
}

export interface AttemptRecord {
  exp: number;
  seqs: number[];
  rcs: number[];
}

export type TaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

export interface TaskRecord {
  id: string;
  source: string;
  dest?: string;
  rate?: number;
  started: number;
  status: TaskStatus;
  moved: number;
  toMove: number;
  failure?: string;
}

/** Fixed width keeps the table's byte order equal to send order. */
export function seqKey(seq: number): string {
  return seq.toString().padStart(16, '0');
}
