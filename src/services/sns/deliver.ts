/**
 * Fan-out of one published message: the filter policy of each confirmed subscription decides,
 * then the message goes out in the shape its protocol gets (JSON envelope, raw body, Lambda
 * event, recorded email/SMS) through the delivery queue.
 */
import { compilePattern, matchPattern, parsePattern, type CompiledPattern } from '../../events/pattern.ts';
import type { MessageAttribute, Target } from '../../events/targets.ts';
import { retryPolicyFor } from './subscription-attributes.ts';
import { sign } from './signing.ts';
import type { SnsStore, SubscriptionRecord, TopicRecord } from './store.ts';

export interface Published {
  messageId: string;
  message: string;
  /** MessageStructure=json: the message per protocol. */
  perProtocol?: Record<string, string>;
  subject?: string;
  attributes?: Record<string, MessageAttribute>;
  groupId?: string;
  dedupId?: string;
  sequenceNumber?: string;
  timestamp: number;
  /** Signatures already computed for this message, by signature version and per-protocol text. */
  signatures?: Map<string, string>;
}

const SNS_PRINCIPAL = 'AIDAIT2UOQQY3AUEKVGXU';

export function kumoUrl(store: SnsStore, endpoint: string | undefined, path: string, params: Record<string, string>): string {
  return `${endpoint || store.rt.endpoint()}/kumo/sns/${path}?${new URLSearchParams(params)}`;
}

function envelopeAttributes(attrs: Record<string, MessageAttribute> | undefined) {
  if (!attrs || Object.keys(attrs).length === 0) return undefined;
  return Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, {
    Type: v.DataType,
    Value: v.DataType.startsWith('Binary') ? Buffer.from(v.BinaryValue ?? []).toString('base64') : v.StringValue,
  }]));
}

/** The JSON document AWS delivers to SQS (non-raw), HTTP/S and email-json endpoints, keys in AWS's order. */
export function envelope(store: SnsStore, topic: TopicRecord, sub: SubscriptionRecord, m: Published, message: string, endpoint?: string) {
  const version = topic.attrs.SignatureVersion ?? '1';
  const doc: Record<string, unknown> = {
    Type: 'Notification',
    MessageId: m.messageId,
    ...(m.sequenceNumber !== undefined ? { SequenceNumber: m.sequenceNumber } : {}),
    TopicArn: topic.arn,
    ...(m.subject !== undefined ? { Subject: m.subject } : {}),
    Message: message,
    Timestamp: new Date(m.timestamp).toISOString(),
    SignatureVersion: version,
  };
  // Every subscription gets the same signed fields: one signature per message and version.
  const cacheKey = `${version}\n${message}`;
  let signature = m.signatures?.get(cacheKey);
  if (!signature) {
    signature = sign(doc, version);
    (m.signatures ??= new Map()).set(cacheKey, signature);
  }
  doc.Signature = signature;
  doc.SigningCertURL = kumoUrl(store, endpoint, 'signing-cert', {});
  doc.UnsubscribeURL = kumoUrl(store, endpoint, 'unsubscribe', { SubscriptionArn: sub.arn });
  const attrs = envelopeAttributes(m.attributes);
  if (attrs) doc.MessageAttributes = attrs;
  return doc;
}

function filterValue(attrs: Record<string, MessageAttribute> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v.DataType.startsWith('Number')) out[k] = Number(v.StringValue);
    else if (v.DataType === 'String.Array') {
      try {
        out[k] = JSON.parse(v.StringValue ?? '');
      } catch {
        out[k] = v.StringValue;
      }
    } else if (v.DataType.startsWith('String')) out[k] = v.StringValue;
  }
  return out;
}

const compiledPolicies = new Map<string, CompiledPattern>();

/** Policies were validated when set; compiled once per text. */
function compiledPolicy(text: string): CompiledPattern {
  let c = compiledPolicies.get(text);
  if (!c) {
    c = compilePattern(parsePattern(text));
    if (compiledPolicies.size > 10_000) compiledPolicies.clear();
    compiledPolicies.set(text, c);
  }
  return c;
}

export function passesFilter(sub: SubscriptionRecord, m: Published): boolean {
  const policy = sub.attrs.FilterPolicy;
  if (!policy) return true;
  const compiled = compiledPolicy(policy);
  if (sub.attrs.FilterPolicyScope === 'MessageBody') {
    let body: unknown;
    try {
      body = JSON.parse(m.message);
    } catch {
      return false;
    }
    return matchPattern(compiled, body);
  }
  return matchPattern(compiled, filterValue(m.attributes));
}

function raw(sub: SubscriptionRecord): boolean {
  return sub.attrs.RawMessageDelivery?.toLowerCase() === 'true';
}

export function fanOut(store: SnsStore, topic: TopicRecord, m: Published, endpoint: string | undefined): void {
  for (const sub of store.subscriptionsOf(topic.arn)) {
    if (sub.token !== undefined || !passesFilter(sub, m)) continue;
    const message = m.perProtocol?.[sub.protocol] ?? m.perProtocol?.default ?? m.message;
    const target = targetFor(store, topic, sub, m, message, endpoint);
    if (!target) continue;
    const dlq = sub.attrs.RedrivePolicy ? JSON.parse(sub.attrs.RedrivePolicy).deadLetterTargetArn as string : undefined;
    store.deliveries.enqueue({
      account: sub.account, region: sub.region, target, senderId: SNS_PRINCIPAL, source: sub.arn,
      policy: retryPolicyFor(sub.protocol, sub.attrs.DeliveryPolicy, topic.attrs.DeliveryPolicy),
      ...(dlq ? { dlq: { arn: dlq, ...(raw(sub) && m.attributes ? { attributes: m.attributes } : {}) } } : {}),
    });
  }
}

function targetFor(store: SnsStore, topic: TopicRecord, sub: SubscriptionRecord, m: Published, message: string, endpoint: string | undefined): Target | undefined {
  const env = () => envelope(store, topic, sub, m, message, endpoint);
  switch (sub.protocol) {
    case 'sqs':
      return {
        kind: 'sqs', arn: sub.endpoint, body: raw(sub) ? message : JSON.stringify(env()),
        ...(raw(sub) && m.attributes ? { attributes: m.attributes } : {}),
        ...(m.groupId !== undefined ? { groupId: m.groupId } : {}),
        ...(m.dedupId !== undefined ? { dedupId: m.dedupId } : {}),
      };
    case 'lambda': {
      const e = env();
      const record = {
        EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: sub.arn,
        Sns: {
          Type: e.Type, MessageId: e.MessageId, TopicArn: e.TopicArn, Subject: e.Subject ?? null, Message: e.Message, Timestamp: e.Timestamp,
          SignatureVersion: e.SignatureVersion, Signature: e.Signature, SigningCertUrl: e.SigningCertURL, UnsubscribeUrl: e.UnsubscribeURL,
          MessageAttributes: e.MessageAttributes ?? {},
        },
      };
      return { kind: 'lambda', arn: sub.endpoint, payload: JSON.stringify({ Records: [record] }) };
    }
    case 'http':
    case 'https':
      return {
        kind: 'http', url: sub.endpoint, method: 'POST', body: raw(sub) ? message : JSON.stringify(env()),
        headers: {
          'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification', 'x-amz-sns-message-id': m.messageId,
          'x-amz-sns-topic-arn': topic.arn, 'x-amz-sns-subscription-arn': sub.arn, ...(raw(sub) ? { 'x-amz-sns-rawdelivery': 'true' } : {}),
        },
      };
    default:
      store.record({
        id: m.messageId, at: m.timestamp, account: sub.account, region: sub.region, protocol: sub.protocol, endpoint: sub.endpoint,
        topicArn: topic.arn, subscriptionArn: sub.arn, ...(m.subject !== undefined ? { subject: m.subject } : {}),
        message: sub.protocol === 'email-json' ? JSON.stringify(env()) : message,
        ...(m.attributes ? { attributes: envelopeAttributes(m.attributes) } : {}),
      });
      return undefined;
  }
}

/** HTTP/S: POSTs the SubscriptionConfirmation; email: records it. */
export function sendConfirmation(store: SnsStore, sub: SubscriptionRecord, endpoint: string): void {
  const text = `You have chosen to subscribe to the topic ${sub.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`;
  const doc = confirmationDoc(store, 'SubscriptionConfirmation', sub, sub.token!, text, endpoint);
  if (sub.protocol === 'http' || sub.protocol === 'https') {
    postConfirmation(store, sub, doc, {});
    return;
  }
  store.record({
    id: doc.MessageId as string, at: store.rt.clock.now(), account: sub.account, region: sub.region, protocol: sub.protocol, endpoint: sub.endpoint,
    topicArn: sub.topicArn, subscriptionArn: sub.arn, subject: 'AWS Notification - Subscription Confirmation', message: JSON.stringify(doc),
  });
}

/** HTTP/S only, as AWS: tells the endpoint it was unsubscribed; the token restores the subscription. */
export function sendUnsubscribeConfirmation(store: SnsStore, sub: SubscriptionRecord, token: string, endpoint: string): void {
  const text = `You have chosen to deactivate subscription ${sub.arn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;
  postConfirmation(store, sub, confirmationDoc(store, 'UnsubscribeConfirmation', sub, token, text, endpoint), { 'x-amz-sns-subscription-arn': sub.arn });
}

/** SubscriptionConfirmation and UnsubscribeConfirmation, keys in AWS's order, signed per the topic's SignatureVersion. */
function confirmationDoc(store: SnsStore, type: string, sub: SubscriptionRecord, token: string, message: string, endpoint: string): Record<string, unknown> {
  const version = store.tables.topics.get(sub.topicArn)?.attrs.SignatureVersion ?? '1';
  const doc: Record<string, unknown> = {
    Type: type,
    MessageId: store.rt.ids.uuid(),
    Token: token,
    TopicArn: sub.topicArn,
    Message: message,
    SubscribeURL: kumoUrl(store, endpoint, 'confirm-subscription', { TopicArn: sub.topicArn, Token: token }),
    Timestamp: new Date(store.rt.clock.now()).toISOString(),
    SignatureVersion: version,
  };
  doc.Signature = sign(doc, version);
  doc.SigningCertURL = kumoUrl(store, endpoint, 'signing-cert', {});
  return doc;
}

function postConfirmation(store: SnsStore, sub: SubscriptionRecord, doc: Record<string, unknown>, headers: Record<string, string>): void {
  store.deliveries.enqueue({
    account: sub.account, region: sub.region, senderId: SNS_PRINCIPAL, source: sub.arn, policy: retryPolicyFor(sub.protocol),
    target: {
      kind: 'http', url: sub.endpoint, method: 'POST', body: JSON.stringify(doc),
      headers: {
        'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': doc.Type as string, 'x-amz-sns-message-id': doc.MessageId as string,
        'x-amz-sns-topic-arn': sub.topicArn, ...headers,
      },
    },
  });
}
