/**
 * `/kumo/sns/*` routes: recorded email/SMS/push messages, pending deliveries, and the URLs SNS
 * puts in its messages (SubscribeURL, UnsubscribeURL, SigningCertURL) — those point back here
 * because an unsigned GET on kumo's root is S3's.
 */
import { InspectionFile, type ServiceRuntime } from '../framework/define.ts';
import { invalidParameter } from './errors.ts';
import { SIGNING_CERT_PEM } from './signing.ts';
import { storeFor } from './store.ts';
import { confirm, unsubscribe as remove } from './subscriptions.ts';

export function recordedMessages(query: URLSearchParams, rt: ServiceRuntime) {
  const want = (k: string, v: string | undefined) => !query.has(k) || query.get(k) === v;
  const messages = [...storeFor(rt).tables.recorded.entries()].map(([, m]) => m)
    .filter((m) => want('protocol', m.protocol) && want('endpoint', m.endpoint) && want('topicArn', m.topicArn) && want('account', m.account) && want('region', m.region));
  return { messages: messages.map((m) => ({ ...m, at: new Date(m.at).toISOString() })) };
}

export function deliveries(_query: URLSearchParams, rt: ServiceRuntime) {
  const q = storeFor(rt).deliveries;
  return { pending: q.pending, outcomes: q.outcomes };
}

export function confirmSubscription(query: URLSearchParams, rt: ServiceRuntime) {
  const topic = query.get('TopicArn');
  const token = query.get('Token');
  if (!topic || !token) throw invalidParameter('TopicArn and Token are required');
  return { ConfirmSubscriptionResult: { SubscriptionArn: confirm(rt, topic, token) } };
}

export function unsubscribe(query: URLSearchParams, rt: ServiceRuntime) {
  const arn = query.get('SubscriptionArn');
  if (!arn) throw invalidParameter('SubscriptionArn');
  remove(storeFor(rt), arn, '');
  return { UnsubscribeResult: {} };
}

/** The PEM certificate, with the content type AWS's SigningCertURL answers with. */
export function signingCert() {
  return new InspectionFile('application/x-x509-ca-cert', SIGNING_CERT_PEM);
}
