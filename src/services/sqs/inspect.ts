import { AwsError, type ServiceRuntime } from '../framework/define.ts';
import type { QueueRuntime } from './queue.ts';
import type { Attributes } from './md5.ts';
import { storeFor } from './store.ts';
import { parseQueueUrl } from './urls.ts';

type JsonAttributes = Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;

function jsonAttributes(attrs: Attributes | undefined): JsonAttributes | undefined {
  if (!attrs) return undefined;
  const out: JsonAttributes = {};
  for (const [name, v] of Object.entries(attrs)) {
    out[name] = v.BinaryValue !== undefined
      ? { DataType: v.DataType, BinaryValue: Buffer.from(v.BinaryValue).toString('base64') }
      : { DataType: v.DataType, StringValue: v.StringValue };
  }
  return out;
}

function findQueue(query: URLSearchParams, rt: ServiceRuntime): QueueRuntime {
  const url = query.get('QueueUrl');
  if (!url) throw new AwsError('MissingParameter', 'The request must contain the parameter QueueUrl.');
  const ref = parseQueueUrl(url, '', query.get('Region') ?? '');
  if (!ref || !ref.account) throw new AwsError('InvalidAddress', `The address ${url} is not valid for this endpoint.`);
  const store = storeFor(rt);
  if (ref.region) {
    const q = store.find(ref);
    if (q) return q;
  } else {
    const matches = [...store.queues.values()].filter((q) => q.rec.account === ref.account && q.rec.name === ref.name);
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) throw new AwsError('InvalidParameterValue', `Queue ${ref.name} exists in several regions: add Region=<region> to the query.`);
  }
  throw new AwsError('QueueDoesNotExist', 'The specified queue does not exist.', 404);
}

/**
 * `GET /kumo/sqs/messages?QueueUrl=...[&Region=...]`: every message of a queue in send order
 * with its state, without receiving it (visibility and receive counts are untouched).
 */
export function peekMessages(query: URLSearchParams, rt: ServiceRuntime): unknown {
  const q = findQueue(query, rt);
  q.tick();
  const messages = [];
  for (const [key, r] of q.store.tables.messages.entries({ prefix: q.prefix })) {
    const attributes: Record<string, string> = {
      SenderId: r.sender,
      SentTimestamp: String(r.sent),
      ApproximateReceiveCount: String(r.rc),
    };
    if (r.first !== undefined) attributes.ApproximateFirstReceiveTimestamp = String(r.first);
    if (r.group !== undefined) attributes.MessageGroupId = r.group;
    if (q.fifo) {
      attributes.MessageDeduplicationId = r.dedup!;
      attributes.SequenceNumber = r.sqn!;
    }
    if (r.src !== undefined) attributes.DeadLetterQueueSourceArn = r.src;
    const trace = r.sys?.AWSTraceHeader?.StringValue;
    if (trace !== undefined) attributes.AWSTraceHeader = trace;
    messages.push({
      MessageId: r.id,
      Body: r.body,
      MD5OfBody: r.md5,
      MessageAttributes: jsonAttributes(r.attrs),
      MD5OfMessageAttributes: r.md5Attrs,
      Attributes: attributes,
      State: q.stateOf(r),
      VisibleAt: new Date(r.vis).toISOString(),
      Sequence: Number(key.slice(q.prefix.length)),
    });
  }
  return {
    QueueArn: q.arn,
    ApproximateNumberOfMessages: q.visible,
    ApproximateNumberOfMessagesNotVisible: q.inflight,
    ApproximateNumberOfMessagesDelayed: q.delayed,
    /** ReceiveMessage calls parked in a long poll right now. */
    WaitingReceives: q.waiters.length,
    Messages: messages,
  };
}
