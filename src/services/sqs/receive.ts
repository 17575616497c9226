import type { RequestContext } from '../framework/define.ts';
import type { Message, MessageAttributeValue, ReceiveMessageRequest, ReceiveMessageResult } from '../../generated/sqs.ts';
import { notValidForQueueType } from './errors.ts';
import { findAttempt, rememberAttempt } from './fifo.ts';
import { encodeReceipt } from './handles.ts';
import { md5OfAttributes, type Attributes } from './md5.ts';
import { queueOf } from './context.ts';
import type { QueueRuntime, Waiter } from './queue.ts';
import type { MessageRecord } from './records.ts';
import { deadLetterQueueOf, moveToDeadLetter } from './redrive.ts';
import { checkAttemptId, checkVisibilityTimeout, intParam } from './validation.ts';

interface ReceiveOptions {
  max: number;
  /** Visibility timeout in seconds. */
  vt: number;
  /** Requested system attribute names (`All` included as given). */
  system: ReadonlySet<string>;
  user: readonly string[];
  attemptId?: string;
}

interface Taken {
  seq: number;
  rec: MessageRecord;
}

/** Takes up to `max` receivable messages, marking them in flight (the core of ReceiveMessage). */
function collect(q: QueueRuntime, o: ReceiveOptions): Taken[] {
  const now = q.tick();
  if (o.attemptId !== undefined) {
    const replay = replayAttempt(q, o, now);
    if (replay) return replay;
  }
  const out = q.fifo ? collectFifo(q, o, now) : collectStandard(q, o, now);
  if (o.attemptId !== undefined && out.length > 0) {
    rememberAttempt(q, o.attemptId, out.map((t) => t.seq), out.map((t) => t.rec.rc), now);
  }
  return out;
}

function expired(q: QueueRuntime, r: MessageRecord, now: number): boolean {
  return r.enq + q.retentionMs() <= now;
}

function collectStandard(q: QueueRuntime, o: ReceiveOptions, now: number): Taken[] {
  const out: Taken[] = [];
  const taken = new Set<number>();
  const ready = q.ready;
  const dl = deadLetterQueueOf(q);
  while (out.length < o.max && ready.length > 0) {
    const seq = ready.get(0, 0);
    const gen = ready.get(0, 1);
    ready.shift();
    if (taken.has(seq)) {
      // Received with a zero visibility timeout earlier in this call: leave it for the next one.
      ready.push(seq, gen);
      break;
    }
    const r = q.get(seq);
    if (!r || r.gen !== gen) continue;
    if (expired(q, r, now)) {
      q.remove(seq, r);
      continue;
    }
    if (dl && r.rc >= dl.maxReceiveCount) {
      moveToDeadLetter(q, dl, seq, r, now);
      continue;
    }
    taken.add(seq);
    out.push({ seq, rec: q.receive(seq, r, o.vt, now) });
  }
  return out;
}

/**
 * FIFO: serves groups whose head is visible, each from its head in order, stopping at the first
 * message of the group that is in flight (a group is blocked while its head is).
 */
function collectFifo(q: QueueRuntime, o: ReceiveOptions, now: number): Taken[] {
  const out: Taken[] = [];
  const taken = new Set<number>();
  const dl = deadLetterQueueOf(q);
  let budget = q.available.length;
  while (out.length < o.max && budget-- > 0) {
    const id = q.available.shift()!;
    const g = q.group(id);
    if (!g) continue;
    g.queued = false;
    const drop: Taken[] = [];
    for (let i = 0; i < g.seqs.length && out.length < o.max; i++) {
      const seq = g.seqs.get(i);
      const r = q.get(seq);
      if (!r) continue;
      if (taken.has(seq) || r.vis > q.processed) break;
      if (expired(q, r, now) || (dl && r.rc >= dl.maxReceiveCount)) {
        drop.push({ seq, rec: r });
        continue;
      }
      taken.add(seq);
      out.push({ seq, rec: q.receive(seq, r, o.vt, now) });
    }
    // Dropped after the walk: removing a group's head re-indexes the list being walked.
    for (const { seq, rec } of drop) {
      if (dl && !expired(q, rec, now)) moveToDeadLetter(q, dl, seq, rec, now);
      else q.remove(seq, rec);
    }
    q.refreshGroup(id);
  }
  return out;
}

/**
 * A FIFO retry with the same ReceiveRequestAttemptId inside the window gets the same messages
 * and receipt handles back, with their visibility timeout restarted, while they are unchanged.
 */
function replayAttempt(q: QueueRuntime, o: ReceiveOptions, now: number): Taken[] | undefined {
  const prior = findAttempt(q, o.attemptId!, now);
  if (!prior) return undefined;
  const recs: MessageRecord[] = [];
  for (let i = 0; i < prior.seqs.length; i++) {
    const r = q.get(prior.seqs[i]!);
    if (!r || r.rc !== prior.rcs[i] || r.vis <= q.processed) return undefined;
    recs.push(r);
  }
  return recs.map((r, i) => {
    const seq = prior.seqs[i]!;
    return { seq, rec: q.setVisibility(seq, r, now + o.vt * 1000) };
  });
}

const SYSTEM_NAMES = [
  'SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp',
  'SequenceNumber', 'MessageDeduplicationId', 'MessageGroupId', 'AWSTraceHeader', 'DeadLetterQueueSourceArn',
] as const;

function systemValue(name: (typeof SYSTEM_NAMES)[number], r: MessageRecord, fifo: boolean): string | undefined {
  switch (name) {
    case 'SenderId':
      return r.sender;
    case 'SentTimestamp':
      return String(r.sent);
    case 'ApproximateReceiveCount':
      return String(r.rc);
    case 'ApproximateFirstReceiveTimestamp':
      return r.first === undefined ? undefined : String(r.first);
    case 'SequenceNumber':
      return fifo ? r.sqn : undefined;
    case 'MessageDeduplicationId':
      return fifo ? r.dedup : undefined;
    case 'MessageGroupId':
      return r.group;
    case 'AWSTraceHeader':
      return r.sys?.AWSTraceHeader?.StringValue;
    case 'DeadLetterQueueSourceArn':
      return r.src;
  }
}

function userAttributes(attrs: Attributes | undefined, names: readonly string[]): Attributes | undefined {
  if (!attrs || names.length === 0) return undefined;
  if (names.includes('All') || names.includes('.*')) return attrs;
  const out: Attributes = {};
  let any = false;
  for (const [name, v] of Object.entries(attrs)) {
    const wanted = names.some((n) => (n.endsWith('.*') ? name.startsWith(n.slice(0, -2)) : n === name));
    if (wanted) {
      out[name] = v;
      any = true;
    }
  }
  return any ? out : undefined;
}

function formatMessage(q: QueueRuntime, seq: number, r: MessageRecord, o: Pick<ReceiveOptions, 'system' | 'user'>): Message {
  const m: Message = { MessageId: r.id, ReceiptHandle: encodeReceipt(q, seq, r.rc), MD5OfBody: r.md5, Body: r.body };
  if (o.system.size > 0) {
    const all = o.system.has('All');
    const attrs: Record<string, string> = {};
    let any = false;
    for (const name of SYSTEM_NAMES) {
      if (!all && !o.system.has(name)) continue;
      const v = systemValue(name, r, q.fifo);
      if (v !== undefined) {
        attrs[name] = v;
        any = true;
      }
    }
    if (any) m.Attributes = attrs;
  }
  const user = userAttributes(r.attrs, o.user);
  if (user) {
    m.MessageAttributes = user as Record<string, MessageAttributeValue>;
    m.MD5OfMessageAttributes = user === r.attrs ? r.md5Attrs : md5OfAttributes(user);
  }
  return m;
}

function respond(q: QueueRuntime, taken: Taken[], o: ReceiveOptions): ReceiveMessageResult {
  return taken.length === 0 ? {} : { Messages: taken.map((t) => formatMessage(q, t.seq, t.rec, o)) };
}

function receiveOptions(q: QueueRuntime, input: ReceiveMessageRequest): ReceiveOptions {
  const max = intParam(input.MaxNumberOfMessages, 'MaxNumberOfMessages', 1, 10, 'Must be between 1 and 10, if provided.') ?? 1;
  const vt = checkVisibilityTimeout(input.VisibilityTimeout) ?? q.num('VisibilityTimeout');
  let attemptId: string | undefined;
  if (input.ReceiveRequestAttemptId !== undefined && input.ReceiveRequestAttemptId !== null) {
    if (!q.fifo) throw notValidForQueueType(input.ReceiveRequestAttemptId, 'ReceiveRequestAttemptId');
    attemptId = checkAttemptId(input.ReceiveRequestAttemptId);
  }
  const system = new Set<string>([...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])]);
  const user = (input.MessageAttributeNames ?? []).filter((n): n is string => typeof n === 'string');
  return { max, vt, system, user, attemptId };
}

/**
 * Receives for another service (Lambda's SQS poller): up to `max` messages with every system
 * and user attribute, the queue's own visibility timeout unless `visibilityTimeout` (seconds)
 * is given; receive counts and redrive as ReceiveMessage. Never waits.
 */
export function receiveFrom(q: QueueRuntime, max: number, visibilityTimeout?: number): Message[] {
  const o: ReceiveOptions = { max, vt: visibilityTimeout ?? q.num('VisibilityTimeout'), system: new Set(['All']), user: ['All'] };
  return respond(q, collect(q, o), o).Messages ?? [];
}

export function ReceiveMessage(input: ReceiveMessageRequest, ctx: RequestContext): ReceiveMessageResult | Promise<ReceiveMessageResult> {
  const { store, q } = queueOf(ctx, input.QueueUrl);
  const o = receiveOptions(q, input);
  const wait = intParam(input.WaitTimeSeconds, 'WaitTimeSeconds', 0, 20, 'Must be >= 0 and <= 20, if provided.') ?? q.num('ReceiveMessageWaitTimeSeconds');
  const first = collect(q, o);
  if (first.length > 0 || wait === 0) return respond(q, first, o);
  return new Promise((resolve) => {
    const waiter: Waiter = {
      poll() {
        const got = collect(q, o);
        if (got.length === 0) return false;
        timer.cancel();
        resolve(respond(q, got, o));
        return true;
      },
      cancel() {
        timer.cancel();
        resolve({});
      },
    };
    const timer = store.scheduler.after(wait * 1000, () => {
      q.removeWaiter(waiter);
      resolve({});
    });
    q.waiters.push(waiter);
  });
}
