import type {
  CreateTopicInput, DeleteTopicInput, GetDataProtectionPolicyInput, GetTopicAttributesInput, ListTagsForResourceRequest,
  ListTopicsInput, PutDataProtectionPolicyInput, SetTopicAttributesInput, TagResourceRequest, UntagResourceRequest,
} from '../../generated/sns.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { invalidParameter, notFound, topicNotFound } from './errors.ts';
import { storeFor, topicArn, type TopicRecord } from './store.ts';
import { checkDeliveryPolicy } from './subscription-attributes.ts';

const TOPIC_ATTRIBUTES = new Set([
  'DeliveryPolicy', 'DisplayName', 'Policy', 'KmsMasterKeyId', 'SignatureVersion', 'TracingConfig', 'FifoTopic',
  'ContentBasedDeduplication', 'ArchivePolicy', 'FifoThroughputScope', 'DataProtectionPolicy',
  'HTTPSuccessFeedbackRoleArn', 'HTTPSuccessFeedbackSampleRate', 'HTTPFailureFeedbackRoleArn',
  'SQSSuccessFeedbackRoleArn', 'SQSSuccessFeedbackSampleRate', 'SQSFailureFeedbackRoleArn',
  'LambdaSuccessFeedbackRoleArn', 'LambdaSuccessFeedbackSampleRate', 'LambdaFailureFeedbackRoleArn',
  'ApplicationSuccessFeedbackRoleArn', 'ApplicationSuccessFeedbackSampleRate', 'ApplicationFailureFeedbackRoleArn',
  'FirehoseSuccessFeedbackRoleArn', 'FirehoseSuccessFeedbackSampleRate', 'FirehoseFailureFeedbackRoleArn',
]);

export function getTopic(ctx: { clock: RequestContext['clock'] }, arn: string | undefined): TopicRecord {
  const t = arn ? storeFor(ctx).tables.topics.get(arn) : undefined;
  if (!t) throw topicNotFound();
  return t;
}

export const isFifo = (t: TopicRecord) => t.attrs.FifoTopic === 'true';

function defaultPolicy(arn: string, account: string): string {
  return JSON.stringify({
    Version: '2008-10-17', Id: '__default_policy_ID',
    Statement: [{
      Sid: '__default_statement_ID', Effect: 'Allow', Principal: { AWS: '*' },
      Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic',
        'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
      Resource: arn, Condition: { StringEquals: { 'AWS:SourceOwner': account } },
    }],
  });
}

function checkAttribute(name: string, value: string, fifo: boolean): void {
  if (!TOPIC_ATTRIBUTES.has(name)) throw invalidParameter(`AttributeName`);
  if ((name === 'FifoTopic' || name === 'ContentBasedDeduplication') && value !== 'true' && value !== 'false') {
    throw invalidParameter(`Attributes Reason: ${name} must be true or false`);
  }
  if (name === 'ContentBasedDeduplication' && value === 'true' && !fifo) {
    throw invalidParameter('Attributes Reason: Content based deduplication can only be set for FIFO topics');
  }
  if (name === 'SignatureVersion' && value !== '1' && value !== '2') throw invalidParameter('Attributes Reason: SignatureVersion must be 1 or 2');
  if (name === 'DeliveryPolicy') checkDeliveryPolicy(value);
  if (name === 'Policy' || name === 'DataProtectionPolicy') {
    try {
      JSON.parse(value);
    } catch {
      throw invalidParameter(`${name}: failed to parse JSON.`);
    }
  }
}

export function CreateTopic(input: CreateTopicInput, ctx: RequestContext) {
  const name = input.Name ?? '';
  const attrs = { ...input.Attributes };
  const fifo = attrs.FifoTopic === 'true';
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(fifo ? name.replace(/\.fifo$/, '') : name) || name.length > 256 || (fifo && !name.endsWith('.fifo'))) {
    throw invalidParameter('Topic Name');
  }
  if (!fifo && name.endsWith('.fifo')) throw invalidParameter('Topic Name');
  for (const [k, v] of Object.entries(attrs)) checkAttribute(k, v, fifo);
  const store = storeFor(ctx);
  const arn = topicArn(ctx.account, ctx.region, name);
  const existing = store.tables.topics.get(arn);
  if (existing) {
    for (const [k, v] of Object.entries(attrs)) {
      if ((existing.attrs[k] ?? '') !== v) throw invalidParameter('Attributes Reason: Topic already exists with different attributes');
    }
    return { TopicArn: arn };
  }
  const tags = Object.fromEntries((input.Tags ?? []).map((t) => [t.Key, t.Value]));
  if (input.DataProtectionPolicy !== undefined) checkAttribute('DataProtectionPolicy', input.DataProtectionPolicy, fifo);
  store.tables.topics.put(arn, {
    arn, account: ctx.account, region: ctx.region, name, tags,
    attrs: { Policy: defaultPolicy(arn, ctx.account), DisplayName: '', ...(fifo ? { ContentBasedDeduplication: 'false' } : {}), ...attrs },
    ...(input.DataProtectionPolicy !== undefined ? { dataProtectionPolicy: input.DataProtectionPolicy } : {}),
  });
  return { TopicArn: arn };
}

export function DeleteTopic(input: DeleteTopicInput, ctx: RequestContext) {
  const store = storeFor(ctx);
  const arn = input.TopicArn;
  if (!store.tables.topics.has(arn)) return {};
  for (const s of store.subscriptionsOf(arn)) store.tables.subs.delete(s.arn);
  store.tables.topics.delete(arn);
  return {};
}

export function GetTopicAttributes(input: GetTopicAttributesInput, ctx: RequestContext) {
  const t = getTopic(ctx, input.TopicArn);
  const subs = storeFor(ctx).subscriptionsOf(t.arn);
  const pending = subs.filter((s) => s.token !== undefined).length;
  return {
    Attributes: {
      ...t.attrs,
      TopicArn: t.arn,
      Owner: t.account,
      SubscriptionsConfirmed: String(subs.length - pending),
      SubscriptionsPending: String(pending),
      SubscriptionsDeleted: '0',
      EffectiveDeliveryPolicy: t.attrs.DeliveryPolicy ?? JSON.stringify({
        http: { defaultHealthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' }, disableSubscriptionOverrides: false, defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' } },
      }),
    },
  };
}

export function SetTopicAttributes(input: SetTopicAttributesInput, ctx: RequestContext) {
  const t = getTopic(ctx, input.TopicArn);
  if (input.AttributeName === 'FifoTopic') throw invalidParameter('AttributeName');
  checkAttribute(input.AttributeName, input.AttributeValue ?? '', isFifo(t));
  storeFor(ctx).tables.topics.put(t.arn, { ...t, attrs: { ...t.attrs, [input.AttributeName]: input.AttributeValue ?? '' } });
  return {};
}

export function ListTopics(input: ListTopicsInput, ctx: RequestContext) {
  const prefix = `arn:aws:sns:${ctx.region}:${ctx.account}:`;
  const all = [...storeFor(ctx).tables.topics.keys({ prefix, ...(input.NextToken ? { after: input.NextToken } : {}) })];
  const page = all.slice(0, 100);
  return { Topics: page.map((TopicArn) => ({ TopicArn })), ...(all.length > 100 ? { NextToken: page[page.length - 1] } : {}) };
}

export function PutDataProtectionPolicy(input: PutDataProtectionPolicyInput, ctx: RequestContext) {
  const t = getTopic(ctx, input.ResourceArn);
  checkAttribute('DataProtectionPolicy', input.DataProtectionPolicy, false);
  storeFor(ctx).tables.topics.put(t.arn, { ...t, dataProtectionPolicy: input.DataProtectionPolicy });
  return {};
}

export function GetDataProtectionPolicy(input: GetDataProtectionPolicyInput, ctx: RequestContext) {
  const t = getTopic(ctx, input.ResourceArn);
  return t.dataProtectionPolicy !== undefined ? { DataProtectionPolicy: t.dataProtectionPolicy } : {};
}

function taggable(ctx: RequestContext, arn: string): TopicRecord {
  const t = storeFor(ctx).tables.topics.get(arn);
  if (!t) throw notFound('Resource does not exist');
  return t;
}

export function TagResource(input: TagResourceRequest, ctx: RequestContext) {
  const t = taggable(ctx, input.ResourceArn);
  const tags = { ...t.tags, ...Object.fromEntries(input.Tags.map((x) => [x.Key, x.Value])) };
  if (Object.keys(tags).length > 50) throw new AwsError('TagLimitExceededException', 'Could not complete request: tag quota of per resource exceeded');
  storeFor(ctx).tables.topics.put(t.arn, { ...t, tags });
  return {};
}

export function UntagResource(input: UntagResourceRequest, ctx: RequestContext) {
  const t = taggable(ctx, input.ResourceArn);
  const tags = { ...t.tags };
  for (const k of input.TagKeys) delete tags[k];
  storeFor(ctx).tables.topics.put(t.arn, { ...t, tags });
  return {};
}

export function ListTagsForResource(input: ListTagsForResourceRequest, ctx: RequestContext) {
  const t = taggable(ctx, input.ResourceArn);
  return { Tags: Object.entries(t.tags).map(([Key, Value]) => ({ Key, Value })) };
}
