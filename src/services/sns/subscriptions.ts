import type {
  ConfirmSubscriptionInput, GetSubscriptionAttributesInput, ListSubscriptionsByTopicInput, ListSubscriptionsInput,
  SetSubscriptionAttributesInput, SubscribeInput, UnsubscribeInput,
} from '../../generated/sns.ts';
import type { RequestContext } from '../framework/define.ts';
import { invalidParameter, notFound } from './errors.ts';
import { sendConfirmation, sendUnsubscribeConfirmation } from './deliver.ts';
import { storeFor, type SnsStore, type SubscriptionRecord } from './store.ts';
import { checkDeliveryPolicy, checkRedrivePolicy, compileFilterPolicy, SUBSCRIPTION_ATTRIBUTES } from './subscription-attributes.ts';
import { getTopic, isFifo } from './topics.ts';

const PROTOCOLS = new Set(['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'lambda', 'application', 'firehose']);
/** Protocols whose endpoint owner must confirm before deliveries start. */
const NEEDS_CONFIRMATION = new Set(['http', 'https', 'email', 'email-json']);

function checkEndpoint(protocol: string, endpoint: string, fifoTopic: boolean): void {
  // AWS repeats the prefix in this message.
  const bad = (reason: string) => invalidParameter(`Invalid parameter: Endpoint Reason: ${reason}`);
  switch (protocol) {
    case 'http':
    case 'https':
      if (!endpoint.toLowerCase().startsWith(`${protocol}://`)) throw invalidParameter(`Endpoint must match the specified protocol`);
      try {
        new URL(endpoint);
      } catch {
        throw invalidParameter('Endpoint');
      }
      return;
    case 'sqs': {
      if (!/^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$/.test(endpoint)) throw invalidParameter('SQS endpoint ARN');
      const fifoQueue = endpoint.endsWith('.fifo');
      if (fifoQueue && !fifoTopic) throw bad('FIFO SQS Queues can not be subscribed to standard SNS topics');
      return;
    }
    case 'lambda':
      if (!/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:.+$/.test(endpoint)) throw invalidParameter('Lambda endpoint ARN');
      return;
    case 'email':
    case 'email-json':
      if (!/^[^@\s]+@[^@\s]+$/.test(endpoint)) throw invalidParameter('Email address');
      return;
    case 'sms':
      if (!/^\+?[0-9]{5,15}$/.test(endpoint.replace(/[\s()-]/g, ''))) throw invalidParameter('SMS endpoint');
      return;
  }
}

function checkSubscriptionAttribute(name: string, value: string): void {
  if (!SUBSCRIPTION_ATTRIBUTES.has(name)) throw invalidParameter('Attributes Reason: Unknown attribute');
  if (name === 'RawMessageDelivery' && !['true', 'false'].includes(value.toLowerCase())) throw invalidParameter('Attributes Reason: RawMessageDelivery: Invalid value [' + value + ']. Must be true or false.');
  if (name === 'FilterPolicyScope' && value !== 'MessageAttributes' && value !== 'MessageBody') {
    throw invalidParameter('Attributes Reason: FilterPolicyScope: Invalid value [' + value + ']. Please use either MessageBody or MessageAttributes');
  }
  if (name === 'FilterPolicy' && value !== '') compileFilterPolicy(value);
  if (name === 'RedrivePolicy' && value !== '') checkRedrivePolicy(value);
  if (name === 'DeliveryPolicy') checkDeliveryPolicy(value);
}

export function Subscribe(input: SubscribeInput, ctx: RequestContext) {
  const topic = getTopic(ctx, input.TopicArn);
  const protocol = (input.Protocol ?? '').toLowerCase();
  if (!PROTOCOLS.has(protocol)) throw invalidParameter('Amazon SNS does not support this protocol string: ' + input.Protocol);
  const endpoint = input.Endpoint ?? '';
  checkEndpoint(protocol, endpoint, isFifo(topic));
  if (isFifo(topic) && protocol !== 'sqs') throw invalidParameter('Invalid protocol type: ' + protocol);
  const attrs = { ...input.Attributes };
  for (const [k, v] of Object.entries(attrs)) checkSubscriptionAttribute(k, v);
  const store = storeFor(ctx);
  const same = store.subscriptionsOf(topic.arn).find((s) => s.protocol === protocol && s.endpoint === endpoint);
  if (same) {
    for (const [k, v] of Object.entries(attrs)) {
      if ((same.attrs[k] ?? '') !== v) throw invalidParameter('Attributes Reason: Subscription already exists with different attributes');
    }
    return { SubscriptionArn: same.token === undefined || input.ReturnSubscriptionArn ? same.arn : 'pending confirmation' };
  }
  const arn = `${topic.arn}:${ctx.ids.uuid()}`;
  const pending = NEEDS_CONFIRMATION.has(protocol);
  const sub: SubscriptionRecord = {
    arn, topicArn: topic.arn, account: ctx.account, region: ctx.region, protocol, endpoint,
    attrs: { RawMessageDelivery: 'false', ...(attrs.FilterPolicy ? { FilterPolicyScope: 'MessageAttributes' } : {}), ...attrs },
    ...(pending ? { token: ctx.ids.hex(64) } : {}),
  };
  store.tables.subs.put(arn, sub);
  if (pending) sendConfirmation(store, sub, ctx.endpoint);
  return { SubscriptionArn: pending && !input.ReturnSubscriptionArn ? 'pending confirmation' : arn };
}

/** Confirms the subscription the token was issued for; shared with the SubscribeURL route. */
export function confirm(ctx: { clock: RequestContext['clock'] }, topicArnValue: string, token: string): string {
  const store = storeFor(ctx);
  getTopic(ctx, topicArnValue);
  const sub = store.subscriptionsOf(topicArnValue).find((s) => s.token === token);
  if (!sub) {
    const done = store.subscriptionsOf(topicArnValue).find((s) => s.attrs.ConfirmationToken === token);
    if (done) return done.arn;
    const removed = store.tables.misc.get(`unsubscribed|${token}`) as SubscriptionRecord | undefined;
    if (removed?.topicArn !== topicArnValue) throw invalidParameter('Token');
    store.tables.misc.delete(`unsubscribed|${token}`);
    store.tables.subs.put(removed.arn, removed);
    return removed.arn;
  }
  const { token: _, ...rest } = sub;
  store.tables.subs.put(sub.arn, { ...rest, attrs: { ...sub.attrs, ConfirmationToken: token } });
  return sub.arn;
}

export function ConfirmSubscription(input: ConfirmSubscriptionInput, ctx: RequestContext) {
  return { SubscriptionArn: confirm(ctx, input.TopicArn, input.Token) };
}

function getSubscription(ctx: RequestContext, arn: string): SubscriptionRecord {
  const s = storeFor(ctx).tables.subs.get(arn);
  if (!s) throw notFound('Subscription does not exist');
  return s;
}

/**
 * Deletes a subscription. A confirmed HTTP/S endpoint gets an UnsubscribeConfirmation whose
 * token (ConfirmSubscription or its SubscribeURL) restores the subscription as it was.
 */
export function unsubscribe(store: SnsStore, arn: string, endpoint: string): void {
  const sub = store.tables.subs.get(arn);
  if (!sub) return;
  store.tables.subs.delete(arn);
  if (sub.token !== undefined || (sub.protocol !== 'http' && sub.protocol !== 'https')) return;
  const token = store.rt.ids.hex(64);
  store.tables.misc.put(`unsubscribed|${token}`, sub);
  sendUnsubscribeConfirmation(store, sub, token, endpoint);
}

export function Unsubscribe(input: UnsubscribeInput, ctx: RequestContext) {
  unsubscribe(storeFor(ctx), input.SubscriptionArn, ctx.endpoint);
  return {};
}

export function GetSubscriptionAttributes(input: GetSubscriptionAttributesInput, ctx: RequestContext) {
  const s = getSubscription(ctx, input.SubscriptionArn);
  const { ConfirmationToken: _, ...attrs } = s.attrs;
  return {
    Attributes: {
      ...attrs, SubscriptionArn: s.arn, TopicArn: s.topicArn, Owner: s.account, Protocol: s.protocol, Endpoint: s.endpoint,
      PendingConfirmation: String(s.token !== undefined), ConfirmationWasAuthenticated: String(s.token === undefined),
    },
  };
}

export function SetSubscriptionAttributes(input: SetSubscriptionAttributesInput, ctx: RequestContext) {
  const s = getSubscription(ctx, input.SubscriptionArn);
  const value = input.AttributeValue ?? '';
  checkSubscriptionAttribute(input.AttributeName, value);
  const attrs = { ...s.attrs, [input.AttributeName]: value };
  if (input.AttributeName === 'FilterPolicy' && !attrs.FilterPolicyScope) attrs.FilterPolicyScope = 'MessageAttributes';
  storeFor(ctx).tables.subs.put(s.arn, { ...s, attrs });
  return {};
}

function summary(s: SubscriptionRecord) {
  return { SubscriptionArn: s.token === undefined ? s.arn : 'PendingConfirmation', Owner: s.account, Protocol: s.protocol, Endpoint: s.endpoint, TopicArn: s.topicArn };
}

function page(all: SubscriptionRecord[], token: string | undefined) {
  const start = token ? Number(token) : 0;
  if (!Number.isInteger(start) || start < 0) throw invalidParameter('NextToken');
  const slice = all.slice(start, start + 100);
  return { Subscriptions: slice.map(summary), ...(start + 100 < all.length ? { NextToken: String(start + 100) } : {}) };
}

export function ListSubscriptions(input: ListSubscriptionsInput, ctx: RequestContext) {
  const prefix = `arn:aws:sns:${ctx.region}:${ctx.account}:`;
  return page([...storeFor(ctx).tables.subs.entries({ prefix })].map(([, s]) => s), input.NextToken);
}

export function ListSubscriptionsByTopic(input: ListSubscriptionsByTopicInput, ctx: RequestContext) {
  const topic = getTopic(ctx, input.TopicArn);
  return page(storeFor(ctx).subscriptionsOf(topic.arn), input.NextToken);
}
