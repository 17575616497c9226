import { AwsError, type RequestContext } from '../framework/define.ts';
import type {
  CreateQueueRequest, CreateQueueResult, DeleteQueueRequest, GetQueueAttributesRequest, GetQueueAttributesResult,
  GetQueueUrlRequest, GetQueueUrlResult, ListDeadLetterSourceQueuesRequest, ListDeadLetterSourceQueuesResult,
  ListQueuesRequest, ListQueuesResult, PurgeQueueRequest, SetQueueAttributesRequest,
} from '../../generated/sqs.ts';
import {
  applyAttributes, checkAttributeNames, COMPUTED, FIFO_DEFAULTS, parseRedrivePolicy, STANDARD_DEFAULTS, type QueueLookup, type Target,
} from './attributes.ts';
import { invalidAttributeValue, invalidParameterValue, missingParameter, queueDoesNotExist, unknownAttribute } from './errors.ts';
import { queueOf, urlOf } from './context.ts';
import type { QueueRuntime } from './queue.ts';
import type { QueueRecord } from './records.ts';
import { storeFor, type SqsStore } from './store.ts';
import { checkTags } from './tags.ts';
import { queueUrl } from './urls.ts';
import { checkQueueName, intParam, requireString } from './validation.ts';

const PURGE_INTERVAL_MS = 60_000;

function lookup(store: SqsStore): QueueLookup {
  return (ref) => store.find(ref)?.rec;
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

export function CreateQueue(input: CreateQueueRequest, ctx: RequestContext): CreateQueueResult {
  const requested = input.Attributes ?? {};
  const fifoAttr = requested.FifoQueue;
  const fifo = typeof fifoAttr === 'string' && fifoAttr.toLowerCase() === 'true';
  const name = checkQueueName(input.QueueName, fifo);
  if (fifoAttr !== undefined && !fifo) {
    throw fifoAttr.toLowerCase() === 'false' ? unknownAttribute('FifoQueue') : invalidAttributeValue('FifoQueue');
  }
  const store = storeFor(ctx);
  const target: Target = { name, account: ctx.account, region: ctx.region, fifo };
  const attrs = applyAttributes(fifo ? FIFO_DEFAULTS : STANDARD_DEFAULTS, requested, target, true, lookup(store));
  const existing = store.find(target);
  if (existing) {
    for (const key of Object.keys(requested)) {
      if ((existing.rec.attrs[key] ?? '') !== (attrs[key] ?? '')) {
        throw new AwsError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${key}`);
      }
    }
    return { QueueUrl: urlOf(ctx, existing) };
  }
  const tags = checkTags(input.tags ?? {}, name);
  const now = seconds(store.clock.now());
  const rec: QueueRecord = {
    uid: store.ids.hex(8),
    name,
    account: ctx.account,
    region: ctx.region,
    fifo,
    attrs,
    tags,
    created: now,
    modified: now,
    seqMark: 0,
  };
  return { QueueUrl: urlOf(ctx, store.add(rec)) };
}

export function DeleteQueue(input: DeleteQueueRequest, ctx: RequestContext): Record<string, never> {
  const { store, q } = queueOf(ctx, input.QueueUrl);
  store.drop(q);
  return {};
}

export function GetQueueUrl(input: GetQueueUrlRequest, ctx: RequestContext): GetQueueUrlResult {
  const name = requireString(input.QueueName, 'QueueName');
  const account = input.QueueOwnerAWSAccountId ?? ctx.account;
  const q = storeFor(ctx).find({ account, region: ctx.region, name });
  if (!q) throw queueDoesNotExist(ctx.protocol);
  return { QueueUrl: urlOf(ctx, q) };
}

/** Pages through queue names in key order; the token is the last name returned. */
function page(
  names: Iterable<string>,
  max: number | undefined,
): { names: string[]; next?: string } {
  const limit = max ?? 1000;
  const out: string[] = [];
  for (const n of names) {
    if (out.length === limit) return { names: out, next: max === undefined ? undefined : Buffer.from(out[out.length - 1]!, 'utf8').toString('base64') };
    out.push(n);
  }
  return { names: out };
}

function afterToken(token: unknown): string | undefined {
  if (token === undefined || token === null || token === '') return undefined;
  const name = typeof token === 'string' ? Buffer.from(token, 'base64').toString('utf8') : '';
  if (!/^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(name)) throw invalidParameterValue('Invalid NextToken value.');
  return name;
}

function* namesIn(store: SqsStore, scope: string, prefix: string, after: string | undefined): Iterable<string> {
  const cut = scope.length;
  const range = { prefix: scope + prefix, after: after === undefined ? undefined : scope + after };
  for (const key of store.tables.queues.keys(range)) yield key.slice(cut);
}

export function ListQueues(input: ListQueuesRequest, ctx: RequestContext): ListQueuesResult {
  const max = intParam(input.MaxResults, 'MaxResults', 1, 1000, 'MaxResults must be an integer between 1 and 1000.');
  const store = storeFor(ctx);
  const scope = `${ctx.account}/${ctx.region}/`;
  const { names, next } = page(namesIn(store, scope, input.QueueNamePrefix ?? '', afterToken(input.NextToken)), max);
  const out: ListQueuesResult = {};
  if (names.length > 0) out.QueueUrls = names.map((n) => queueUrl(ctx.endpoint, ctx.account, n));
  if (next) out.NextToken = next;
  return out;
}

export function ListDeadLetterSourceQueues(input: ListDeadLetterSourceQueuesRequest, ctx: RequestContext): ListDeadLetterSourceQueuesResult {
  const { store, q } = queueOf(ctx, input.QueueUrl);
  const max = intParam(input.MaxResults, 'MaxResults', 1, 1000, 'MaxResults must be an integer between 1 and 1000.');
  const scope = `${q.rec.account}/${q.rec.region}/`;
  const sources = (function* () {
    for (const name of namesIn(store, scope, '', afterToken(input.NextToken))) {
      const source = store.find({ account: q.rec.account, region: q.rec.region, name });
      if (source && parseRedrivePolicy(source.attr('RedrivePolicy'))?.deadLetterTargetArn === q.arn) yield name;
    }
  })();
  const { names, next } = page(sources, max);
  const out: ListDeadLetterSourceQueuesResult = { queueUrls: names.map((n) => queueUrl(ctx.endpoint, q.rec.account, n)) };
  if (next) out.NextToken = next;
  return out;
}

function computed(q: QueueRuntime, name: (typeof COMPUTED)[number]): string {
  switch (name) {
    case 'QueueArn':
      return q.arn;
    case 'ApproximateNumberOfMessages':
      return String(q.visible);
    case 'ApproximateNumberOfMessagesNotVisible':
      return String(q.inflight);
    case 'ApproximateNumberOfMessagesDelayed':
      return String(q.delayed);
    case 'CreatedTimestamp':
      return String(q.rec.created);
    case 'LastModifiedTimestamp':
      return String(q.rec.modified);
  }
}

/** Every attribute a queue reports for `All`, computed ones first, as SQS lists them. */
function queueAttributes(q: QueueRuntime): Record<string, string> {
  q.tick();
  const out: Record<string, string> = {};
  for (const name of COMPUTED) out[name] = computed(q, name);
  for (const [name, value] of Object.entries(q.rec.attrs)) out[name] = value;
  return out;
}

export function GetQueueAttributes(input: GetQueueAttributesRequest, ctx: RequestContext): GetQueueAttributesResult {
  const { q } = queueOf(ctx, input.QueueUrl);
  const names = input.AttributeNames ?? [];
  checkAttributeNames(names);
  if (names.length === 0) return {};
  const all = queueAttributes(q);
  if (names.includes('All')) return { Attributes: all };
  const out: Record<string, string> = {};
  for (const n of names) if (all[n] !== undefined) out[n] = all[n]!;
  return Object.keys(out).length > 0 ? { Attributes: out } : {};
}

export function SetQueueAttributes(input: SetQueueAttributesRequest, ctx: RequestContext): Record<string, never> {
  const { store, q } = queueOf(ctx, input.QueueUrl);
  if (input.Attributes === undefined) throw missingParameter('Attribute.1.Name');
  const target: Target = { name: q.rec.name, account: q.rec.account, region: q.rec.region, fifo: q.fifo };
  const attrs = applyAttributes(q.rec.attrs, input.Attributes, target, false, lookup(store));
  const retentionChanged = attrs.MessageRetentionPeriod !== q.rec.attrs.MessageRetentionPeriod;
  q.setRecord({ ...q.rec, attrs, modified: seconds(store.clock.now()) });
  if (retentionChanged) q.scheduleRetention();
  return {};
}

export function PurgeQueue(input: PurgeQueueRequest, ctx: RequestContext): Record<string, never> {
  const { store, q } = queueOf(ctx, input.QueueUrl);
  const now = q.tick();
  if (q.rec.purgedAt !== undefined && now - q.rec.purgedAt < PURGE_INTERVAL_MS) {
    throw new AwsError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${q.rec.name} is allowed every 60 seconds.`);
  }
  q.clearMessages();
  q.setRecord({ ...q.rec, purgedAt: store.clock.now() });
  return {};
}
