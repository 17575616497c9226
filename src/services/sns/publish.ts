import { createHash } from 'node:crypto';
import type { MessageAttributeValue, PublishBatchInput, PublishInput } from '../../generated/sns.ts';
import type { MessageAttribute } from '../../events/targets.ts';
import type { Clock, Ids } from '../../state/types.ts';
import type { RequestContext } from '../framework/define.ts';
import { batchError, invalidParameter, notFound } from './errors.ts';
import { fanOut, type Published } from './deliver.ts';
import { parseArn, storeFor, type SnsStore, type TopicRecord } from './store.ts';
import { getTopic, isFifo } from './topics.ts';

const MAX_BYTES = 262_144;
const DEDUP_WINDOW_MS = 5 * 60_000;

export interface PublishRequest {
  Message: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: Record<string, MessageAttributeValue | MessageAttribute>;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
}

function attributesSize(attrs: PublishRequest['MessageAttributes']): number {
  let n = 0;
  for (const [k, v] of Object.entries(attrs ?? {})) {
    n += Buffer.byteLength(k) + Buffer.byteLength(v.DataType) + Buffer.byteLength(v.StringValue ?? '') + (v.BinaryValue?.length ?? 0);
  }
  return n;
}

function checkAttributes(attrs: PublishRequest['MessageAttributes']): Record<string, MessageAttribute> | undefined {
  if (!attrs || Object.keys(attrs).length === 0) return undefined;
  if (Object.keys(attrs).length > 10) throw invalidParameter('MessageAttributes: Number of message attributes [' + Object.keys(attrs).length + '] exceeds the allowed maximum [10].');
  const out: Record<string, MessageAttribute> = {};
  for (const [name, v] of Object.entries(attrs)) {
    const type = v.DataType ?? '';
    const base = type.split('.')[0];
    if (!['String', 'Number', 'Binary'].includes(base!)) {
      throw invalidParameterValue(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    if (base === 'Binary' ? v.BinaryValue === undefined : v.StringValue === undefined) {
      throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
    }
    if (base === 'Number' && !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v.StringValue!.trim())) {
      throw invalidParameterValue(`Could not cast message attribute '${name}' value to number.`);
    }
    if (type === 'String.Array') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(v.StringValue!);
      } catch {
        parsed = undefined;
      }
      if (!Array.isArray(parsed)) throw invalidParameterValue(`The message attribute '${name}' with type 'String.Array' has an invalid value.`);
    }
    out[name] = { DataType: type, ...(v.StringValue !== undefined ? { StringValue: v.StringValue } : {}), ...(v.BinaryValue !== undefined ? { BinaryValue: Buffer.from(v.BinaryValue) } : {}) };
  }
  return out;
}

function perProtocol(message: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidParameter('Message Structure - JSON message body failed to parse');
  const out = parsed as Record<string, unknown>;
  if (typeof out.default !== 'string') throw invalidParameter('Message Structure - No default entry in JSON message body');
  return Object.fromEntries(Object.entries(out).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}

/** Checks and delivers one message; shared by Publish, PublishBatch and other services (CloudWatch alarms, EventBridge). */
export function publishTo(store: SnsStore, topic: TopicRecord, req: PublishRequest, ids: Ids, clock: Clock, endpoint?: string): { MessageId: string; SequenceNumber?: string } {
  if (req.Message === undefined || req.Message === '') throw invalidParameter('Empty message');
  if (Buffer.byteLength(req.Message) + attributesSize(req.MessageAttributes) > MAX_BYTES) throw invalidParameter('Message too long');
  if (req.Subject !== undefined && (req.Subject.length === 0 || req.Subject.length > 100 || /[\r\n]/.test(req.Subject) || !/^[\x20-\x7e]*$/.test(req.Subject))) {
    throw invalidParameter('Subject');
  }
  if (req.MessageStructure !== undefined && req.MessageStructure !== 'json') throw invalidParameter('MessageStructure');
  const attributes = checkAttributes(req.MessageAttributes);
  const m: Published = {
    messageId: ids.uuid(), message: req.Message, timestamp: clock.now(),
    ...(req.MessageStructure === 'json' ? { perProtocol: perProtocol(req.Message) } : {}),
    ...(req.Subject !== undefined ? { subject: req.Subject } : {}),
    ...(attributes ? { attributes } : {}),
  };
  if (isFifo(topic)) {
    if (!req.MessageGroupId) throw invalidParameter('The MessageGroupId parameter is required for FIFO topics');
    let dedup = req.MessageDeduplicationId;
    if (!dedup) {
      if (topic.attrs.ContentBasedDeduplication !== 'true') {
        throw invalidParameter('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
      }
      dedup = createHash('sha256').update(req.Message).digest('hex');
    }
    const key = `${topic.arn}|${dedup}`;
    const seen = store.tables.dedup.get(key);
    if (seen && seen.exp > m.timestamp) return { MessageId: seen.messageId, SequenceNumber: seen.seq };
    store.seq = store.seq === 0n ? BigInt(m.timestamp) * 1_000_000n : store.seq + 1n;
    m.sequenceNumber = store.seq.toString().padStart(20, '0');
    m.groupId = req.MessageGroupId;
    m.dedupId = dedup;
    store.tables.dedup.put(key, { exp: m.timestamp + DEDUP_WINDOW_MS, messageId: m.messageId, seq: m.sequenceNumber });
  } else if (req.MessageGroupId !== undefined && topic.attrs.FifoTopic !== 'true' && req.MessageDeduplicationId !== undefined) {
    throw invalidParameter('MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
  }
  fanOut(store, topic, m, endpoint);
  return { MessageId: m.messageId, ...(m.sequenceNumber ? { SequenceNumber: m.sequenceNumber } : {}) };
}

function invalidParameterValue(message: string) {
  return batchError('InvalidParameterValueException', message);
}

export function Publish(input: PublishInput, ctx: RequestContext) {
  const store = storeFor(ctx);
  if (input.PhoneNumber !== undefined) {
    if (input.TopicArn || input.TargetArn) throw invalidParameter('Topic or TargetArn should not be set when PhoneNumber is set');
    if (!/^\+?[0-9]{5,15}$/.test(input.PhoneNumber)) throw invalidParameter('PhoneNumber Reason: ' + input.PhoneNumber + ' is not valid to publish to');
    const id = ctx.ids.uuid();
    const now = ctx.clock.now();
    store.record({
      id, at: now, account: ctx.account, region: ctx.region, protocol: 'sms', endpoint: input.PhoneNumber, message: input.Message,
      ...(input.MessageAttributes ? { attributes: input.MessageAttributes } : {}),
    });
    return { MessageId: id };
  }
  const arn = input.TopicArn ?? input.TargetArn;
  if (!arn) throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
  if (input.TargetArn && /:endpoint\//.test(input.TargetArn)) return publishToEndpoint(ctx, input);
  if (!parseArn(arn)) throw invalidParameter('TopicArn');
  return publishTo(store, getTopic(ctx, arn), input, ctx.ids, ctx.clock, ctx.endpoint);
}

function publishToEndpoint(ctx: RequestContext, input: PublishInput) {
  const store = storeFor(ctx);
  const ep = store.tables.misc.get(`endpoint|${input.TargetArn}`) as { attrs: Record<string, string> } | undefined;
  if (!ep) throw notFound('Endpoint does not exist');
  if (ep.attrs.Enabled === 'false') throw batchError('EndpointDisabledException', 'Endpoint is disabled');
  const id = ctx.ids.uuid();
  const now = ctx.clock.now();
  store.record({
    id, at: now, account: ctx.account, region: ctx.region, protocol: 'application', endpoint: input.TargetArn!, message: input.Message,
  });
  return { MessageId: id };
}

export function PublishBatch(input: PublishBatchInput, ctx: RequestContext) {
  const entries = input.PublishBatchRequestEntries ?? [];
  const store = storeFor(ctx);
  const topic = getTopic(ctx, input.TopicArn);
  if (entries.length === 0) throw batchError('EmptyBatchRequestException', 'The batch request doesn\'t contain any entries.');
  if (entries.length > 10) throw batchError('TooManyEntriesInBatchRequestException', 'The batch request contains more entries than permissible.');
  const ids = new Set<string>();
  for (const e of entries) {
    if (ids.has(e.Id)) throw batchError('BatchEntryIdsNotDistinctException', 'Two or more batch entries in the request have the same Id.');
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(e.Id)) throw batchError('InvalidBatchEntryIdException', 'The Id of a batch entry in a batch request doesn\'t abide by the specification.');
    ids.add(e.Id);
  }
  const total = entries.reduce((n, e) => n + Buffer.byteLength(e.Message ?? '') + attributesSize(e.MessageAttributes), 0);
  if (total > MAX_BYTES) throw batchError('BatchRequestTooLongException', 'The length of all the messages put together is more than the limit.');
  const Successful: Array<{ Id: string; MessageId: string; SequenceNumber?: string }> = [];
  const Failed: Array<{ Id: string; Code: string; Message: string; SenderFault: boolean }> = [];
  for (const e of entries) {
    try {
      Successful.push({ Id: e.Id, ...publishTo(store, topic, e, ctx.ids, ctx.clock, ctx.endpoint) });
    } catch (err) {
      const x = err as { code?: string; message: string };
      Failed.push({ Id: e.Id, Code: (x.code ?? 'InternalError').replace(/Exception$/, ''), Message: x.message, SenderFault: true });
    }
  }
  return { Successful, Failed };
}

/** Internal API: what CloudWatch alarms, EventBridge and Scheduler targets call. Throws AwsError. */
export function publish(caller: { clock: Clock; account?: string }, arn: string, req: PublishRequest): { MessageId: string; SequenceNumber?: string } {
  const store = storeFor(caller);
  const topic = store.tables.topics.get(arn);
  if (!topic) throw notFound('Topic does not exist');
  return publishTo(store, topic, req, store.rt.ids, caller.clock);
}

export function topicExists(caller: { clock: Clock }, arn: string): boolean {
  return storeFor(caller).tables.topics.has(arn);
}
