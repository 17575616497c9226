import { AwsError, type RequestContext } from '../framework/define.ts';
import type {
  SendMessageBatchRequest, SendMessageBatchRequestEntry, SendMessageBatchResult, SendMessageRequest, SendMessageResult,
  BatchResultErrorEntry, SendMessageBatchResultEntry,
} from '../../generated/sqs.ts';
import { invalidParameterValue, missingParameter, notValidForQueueType } from './errors.ts';
import { contentDedupId, findDuplicate, rememberSend, sequenceNumber } from './fifo.ts';
import { md5Hex, md5OfAttributes, type Attributes } from './md5.ts';
import { queueOf } from './context.ts';
import type { QueueRuntime } from './queue.ts';
import { checkBatch, checkBody, checkDelaySeconds, checkFifoId, checkMessageAttributes, MAX_MESSAGE_SIZE } from './validation.ts';

/** A message ready to enqueue: checked, digested, sized. */
export interface Outgoing {
  body: string;
  md5: string;
  attrs?: Attributes;
  md5Attrs?: string;
  sys?: Attributes;
  md5Sys?: string;
  size: number;
  delay?: number;
  group?: string;
  dedup?: string;
}

type Entry = Pick<SendMessageRequest, 'MessageBody' | 'DelaySeconds' | 'MessageAttributes' | 'MessageSystemAttributes' | 'MessageGroupId' | 'MessageDeduplicationId'>;

/** Checks one message the way SendMessage does; a batch reports size errors in its own words. */
export function prepare(q: QueueRuntime, e: Entry, batch: boolean): Outgoing {
  const body = checkBody(e.MessageBody);
  const user = checkMessageAttributes(e.MessageAttributes, 'user');
  const sys = checkMessageAttributes(e.MessageSystemAttributes as Attributes | undefined, 'system');
  const size = Buffer.byteLength(body) + user.size;
  const max = q.num('MaximumMessageSize');
  if (size > max) {
    throw invalidParameterValue(`One or more parameters ${batch ? 'cannot be validated' : 'are invalid'}. Reason: Message must be shorter than ${max} bytes.`);
  }
  const delay = checkDelaySeconds(e.DelaySeconds);
  const group = checkFifoId(e.MessageGroupId, 'MessageGroupId');
  const dedup = checkFifoId(e.MessageDeduplicationId, 'MessageDeduplicationId');
  if (q.fifo) {
    if (delay !== undefined && delay !== 0) throw notValidForQueueType(delay, 'DelaySeconds');
    checkFifoFields(q, group, dedup, batch);
  } else if (dedup !== undefined) {
    throw notValidForQueueType(dedup, 'MessageDeduplicationId');
  }
  return {
    body,
    md5: md5Hex(body),
    attrs: user.attrs,
    md5Attrs: md5OfAttributes(user.attrs),
    sys: sys.attrs,
    md5Sys: md5OfAttributes(sys.attrs),
    size,
    delay,
    group,
    dedup,
  };
}

function checkFifoFields(q: QueueRuntime, group: string | undefined, dedup: string | undefined, batch: boolean): void {
  if (group === undefined) throw batch ? invalidParameterValue('The request must contain the parameter MessageGroupId.') : missingParameter('MessageGroupId');
  if (dedup === undefined && q.attr('ContentBasedDeduplication') !== 'true') {
    throw invalidParameterValue('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  }
}

export interface Sent {
  MessageId: string;
  SequenceNumber?: string;
}

/**
 * Enqueues a checked message. FIFO queues answer a duplicate inside the deduplication window
 * with the original message's id and sequence number, and do not enqueue it again.
 */
export function enqueue(q: QueueRuntime, m: Outgoing, sender: string): Sent {
  const store = q.store;
  const now = q.tick();
  const group = m.group;
  let dedupId: string | undefined;
  if (q.fifo) {
    dedupId = m.dedup ?? contentDedupId(m.body);
    const dup = findDuplicate(q, dedupId, group!, now);
    if (dup) return { MessageId: dup.id, SequenceNumber: dup.sqn };
  }
  const id = store.ids.uuid();
  const delay = q.fifo || m.delay === undefined ? q.num('DelaySeconds') : m.delay;
  const { rec } = q.insert((seq) => ({
    id,
    body: m.body,
    md5: m.md5,
    attrs: m.attrs,
    md5Attrs: m.md5Attrs,
    sys: m.sys,
    md5Sys: m.md5Sys,
    sender,
    sent: now,
    enq: now,
    vis: now + delay * 1000,
    gen: 0,
    rc: 0,
    first: undefined,
    group,
    dedup: dedupId,
    sqn: q.fifo ? sequenceNumber(seq) : undefined,
    src: undefined,
  }));
  if (q.fifo) {
    rememberSend(q, dedupId!, group!, id, rec.sqn!, now);
    return { MessageId: id, SequenceNumber: rec.sqn };
  }
  return { MessageId: id };
}

function senderOf(ctx: RequestContext): string {
  return ctx.account;
}

export function SendMessage(input: SendMessageRequest, ctx: RequestContext): SendMessageResult {
  if (input.MessageBody === undefined || input.MessageBody === '') throw missingParameter('MessageBody');
  const { q } = queueOf(ctx, input.QueueUrl);
  const m = prepare(q, input, false);
  const sent = enqueue(q, m, senderOf(ctx));
  return {
    MessageId: sent.MessageId,
    MD5OfMessageBody: m.md5,
    MD5OfMessageAttributes: m.md5Attrs,
    MD5OfMessageSystemAttributes: m.md5Sys,
    SequenceNumber: sent.SequenceNumber,
  };
}

/** The code a batch result entry reports: the legacy query code, as SQS does in both protocols. */
function batchCode(err: AwsError): string {
  switch (err.code) {
    case 'InvalidParameterValueException':
      return 'InvalidParameterValue';
    case 'MissingRequiredParameterException':
      return 'MissingParameter';
    default:
      return err.code;
  }
}

export function failure(id: string, err: unknown): BatchResultErrorEntry {
  if (!(err instanceof AwsError)) throw err;
  return { Id: id, SenderFault: err.sender, Code: batchCode(err), Message: err.message };
}

export function SendMessageBatch(input: SendMessageBatchRequest, ctx: RequestContext): SendMessageBatchResult {
  const { q } = queueOf(ctx, input.QueueUrl);
  const entries = checkBatch<SendMessageBatchRequestEntry>(input.Entries, 'SendMessageBatchRequestEntry');
  let total = 0;
  for (const e of entries) {
    total += typeof e.MessageBody === 'string' ? Buffer.byteLength(e.MessageBody) : 0;
    for (const [name, v] of Object.entries(e.MessageAttributes ?? {})) {
      total += Buffer.byteLength(name) + Buffer.byteLength(v?.DataType ?? '') + (v?.BinaryValue?.length ?? Buffer.byteLength(v?.StringValue ?? ''));
    }
  }
  if (total > MAX_MESSAGE_SIZE) {
    throw new AwsError('BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_MESSAGE_SIZE} bytes. You have sent ${total} bytes.`);
  }
  if (q.fifo) {
    for (const e of entries) checkFifoFields(q, checkFifoId(e.MessageGroupId, 'MessageGroupId'), checkFifoId(e.MessageDeduplicationId, 'MessageDeduplicationId'), true);
  }
  const Successful: SendMessageBatchResultEntry[] = [];
  const Failed: BatchResultErrorEntry[] = [];
  const sender = senderOf(ctx);
  for (const e of entries) {
    try {
      if (e.MessageBody === undefined || e.MessageBody === '') throw missingParameter('MessageBody');
      const m = prepare(q, e, true);
      const sent = enqueue(q, m, sender);
      Successful.push({
        Id: e.Id,
        MessageId: sent.MessageId,
        MD5OfMessageBody: m.md5,
        MD5OfMessageAttributes: m.md5Attrs,
        MD5OfMessageSystemAttributes: m.md5Sys,
        SequenceNumber: sent.SequenceNumber,
      });
    } catch (err) {
      Failed.push(failure(e.Id, err));
    }
  }
  return { Successful, Failed };
}
