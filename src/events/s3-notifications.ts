/**
 * S3 event notifications as AWS shapes them: the `Records[]` document for SQS, SNS and Lambda
 * destinations, the `aws.s3` event for EventBridge, and the `s3:TestEvent` a new configuration
 * sends. S3 builds an `S3ObjectEvent` after each durable object change and enqueues what
 * `s3Deliveries` returns on a DeliveryQueue kept in its own tables.
 */
import { EVENTS_DEFAULT } from './policy.ts';
import type { Delivery } from './queue.ts';
import type { Caller, Target } from './targets.ts';

interface FilterRule {
  Name?: string;
  Value?: string;
}

interface Destination {
  Id?: string;
  Events?: string[];
  Filter?: { Key?: { FilterRules?: FilterRule[] } };
}

/** The stored NotificationConfiguration (S3's generated type is structurally this). */
export interface NotificationConfig {
  TopicConfigurations?: Array<Destination & { TopicArn?: string }>;
  QueueConfigurations?: Array<Destination & { QueueArn?: string }>;
  LambdaFunctionConfigurations?: Array<Destination & { LambdaFunctionArn?: string }>;
  EventBridgeConfiguration?: Record<string, never>;
}

export interface S3ObjectEvent {
  account: string;
  region: string;
  bucket: string;
  /** Without the `s3:` prefix: `ObjectCreated:Put`, `ObjectRemoved:DeleteMarkerCreated`, ... */
  eventName: string;
  key: string;
  size?: number;
  eTag?: string;
  versionId?: string;
  /** Hex, increasing per key: later events of a key sort after earlier ones. */
  sequencer: string;
  requestId: string;
  hostId: string;
  sourceIp: string;
  /** The requester's principal id (`AWS:AIDA...`) or account. */
  principalId: string;
  time: number;
  /** ObjectRestore events: when the restored copy expires, and the archived storage class. */
  restore?: { expiry: number; storageClass: string };
}

const SENDER = 'AIDAS3NOTIFICATIONS000';

/** `s3:ObjectCreated:*` covers every ObjectCreated event. */
function wants(d: Destination, eventName: string): boolean {
  const full = `s3:${eventName}`;
  return (d.Events ?? []).some((e) => e === full || (e.endsWith(':*') && full.startsWith(e.slice(0, -1))));
}

/** S3 wants special characters in filter values URL-encoded (`my+folder/`, `%3D`): they match the decoded key. */
function filterText(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

function passesFilter(d: Destination, key: string): boolean {
  for (const r of d.Filter?.Key?.FilterRules ?? []) {
    const name = (r.Name ?? '').toLowerCase();
    if (name === 'prefix' && !key.startsWith(filterText(r.Value ?? ''))) return false;
    if (name === 'suffix' && !key.endsWith(filterText(r.Value ?? ''))) return false;
  }
  return true;
}

/**
 * Keys appear form-encoded in S3 events as Java's URLEncoder writes them: spaces as `+`,
 * `!'()~` escaped, `*` kept; slashes stay as they are.
 */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');
}

/** AWS documents 2.2 for replication, 2.3 for lifecycle, tiering, ACL, tagging and restore-expiry events. */
function eventVersionOf(eventName: string): string {
  if (eventName.startsWith('Replication')) return '2.2';
  if (/^(Lifecycle|IntelligentTiering|ObjectAcl|ObjectTagging)/.test(eventName) || eventName === 'ObjectRestore:Delete') return '2.3';
  return '2.1';
}

export function eventRecord(e: S3ObjectEvent, configurationId: string) {
  const removed = e.eventName.startsWith('ObjectRemoved') || e.eventName.startsWith('LifecycleExpiration');
  return {
    eventVersion: eventVersionOf(e.eventName),
    eventSource: 'aws:s3',
    awsRegion: e.region,
    eventTime: new Date(e.time).toISOString(),
    eventName: e.eventName,
    userIdentity: { principalId: e.principalId },
    requestParameters: { sourceIPAddress: e.sourceIp },
    responseElements: { 'x-amz-request-id': e.requestId, 'x-amz-id-2': e.hostId },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId,
      bucket: { name: e.bucket, ownerIdentity: { principalId: e.account }, arn: `arn:aws:s3:::${e.bucket}` },
      object: {
        key: encodeEventKey(e.key),
        ...(!removed && e.size !== undefined ? { size: e.size } : {}),
        ...(!removed && e.eTag !== undefined ? { eTag: e.eTag.replace(/"/g, '') } : {}),
        ...(e.versionId !== undefined ? { versionId: e.versionId } : {}),
        sequencer: e.sequencer,
      },
    },
    // Only the completion of a restore carries its expiry.
    ...(e.eventName === 'ObjectRestore:Completed' && e.restore ? {
      glacierEventData: {
        restoreEventData: { lifecycleRestorationExpiryTime: new Date(e.restore.expiry).toISOString(), lifecycleRestoreStorageClass: e.restore.storageClass },
      },
    } : {}),
  };
}

/** EventBridge detail types, by full event name first, then by kind. */
const DETAIL_TYPES: Record<string, string> = {
  'ObjectTagging:Delete': 'Object Tags Deleted',
  'ObjectRestore:Completed': 'Object Restore Completed',
  'ObjectRestore:Delete': 'Object Restore Expired',
  ObjectCreated: 'Object Created',
  ObjectRemoved: 'Object Deleted',
  ObjectRestore: 'Object Restore Initiated',
  ObjectTagging: 'Object Tags Added',
  ObjectAcl: 'Object ACL Updated',
  LifecycleExpiration: 'Object Deleted',
  LifecycleTransition: 'Object Storage Class Changed',
  Replication: 'Object Replication Completed',
  IntelligentTiering: 'Object Access Tier Changed',
};

/** The event EventBridge receives when the bucket has EventBridge notifications on. */
export function eventBridgeEntry(e: S3ObjectEvent) {
  const [kind, reason] = e.eventName.split(':') as [string, string | undefined];
  const lifecycle = kind === 'LifecycleExpiration';
  const removed = kind === 'ObjectRemoved' || lifecycle;
  const restoreDone = e.eventName === 'ObjectRestore:Completed';
  return {
    Source: 'aws.s3',
    DetailType: DETAIL_TYPES[e.eventName] ?? DETAIL_TYPES[kind] ?? kind,
    Resources: [`arn:aws:s3:::${e.bucket}`],
    Detail: JSON.stringify({
      version: '0',
      bucket: { name: e.bucket },
      object: {
        key: e.key,
        ...(!removed && e.size !== undefined ? { size: e.size } : {}),
        ...(!removed && e.eTag !== undefined ? { etag: e.eTag.replace(/"/g, '') } : {}),
        ...(e.versionId !== undefined ? { 'version-id': e.versionId } : {}),
        sequencer: e.sequencer,
      },
      'request-id': e.requestId,
      requester: e.account,
      ...(restoreDone ? {} : { 'source-ip-address': e.sourceIp }),
      ...(restoreDone && e.restore ? { 'restore-expiry-time': new Date(e.restore.expiry).toISOString() } : {}),
      ...(kind === 'ObjectRestore' && e.restore ? { 'source-storage-class': e.restore.storageClass } : {}),
      ...(kind === 'ObjectCreated' || removed ? { reason: lifecycle ? 'Lifecycle Expiration' : removed ? 'DeleteObject' : reasonOf(reason) } : {}),
      ...(removed ? { 'deletion-type': reason === 'DeleteMarkerCreated' ? 'Delete Marker Created' : 'Permanently Deleted' } : {}),
    }),
  };
}

function reasonOf(reason: string | undefined): string {
  switch (reason) {
    case 'Put': return 'PutObject';
    case 'Post': return 'POST Object';
    case 'Copy': return 'CopyObject';
    case 'CompleteMultipartUpload': return 'CompleteMultipartUpload';
    default: return reason ?? '';
  }
}

function delivery(e: { account: string; region: string }, target: Target, source: string): Delivery {
  return { account: e.account, region: e.region, target, senderId: SENDER, source, policy: EVENTS_DEFAULT };
}

/** What one object change sends: one delivery per matching destination, plus EventBridge. */
export function s3Deliveries(config: NotificationConfig | undefined, e: S3ObjectEvent): Delivery[] {
  if (!config) return [];
  const out: Delivery[] = [];
  const body = (d: Destination) => JSON.stringify({ Records: [eventRecord(e, d.Id ?? '')] });
  for (const q of config.QueueConfigurations ?? []) {
    if (q.QueueArn && wants(q, e.eventName) && passesFilter(q, e.key)) out.push(delivery(e, { kind: 'sqs', arn: q.QueueArn, body: body(q) }, q.Id ?? ''));
  }
  for (const t of config.TopicConfigurations ?? []) {
    if (t.TopicArn && wants(t, e.eventName) && passesFilter(t, e.key)) {
      out.push(delivery(e, { kind: 'sns', arn: t.TopicArn, message: body(t), subject: 'Amazon S3 Notification' }, t.Id ?? ''));
    }
  }
  for (const l of config.LambdaFunctionConfigurations ?? []) {
    if (l.LambdaFunctionArn && wants(l, e.eventName) && passesFilter(l, e.key)) {
      out.push(delivery(e, { kind: 'lambda', arn: l.LambdaFunctionArn, payload: body(l) }, l.Id ?? ''));
    }
  }
  if (config.EventBridgeConfiguration) {
    out.push(delivery(e, { kind: 'events', arn: `arn:aws:events:${e.region}:${e.account}:event-bus/default`, entry: eventBridgeEntry(e) }, 'EventBridge'));
  }
  return out;
}

/** The `s3:TestEvent` S3 sends to each SQS and SNS destination when a configuration is put. */
export function s3TestDeliveries(
  config: NotificationConfig, scope: { account: string; region: string; bucket: string; requestId: string; hostId: string; time: number },
): Delivery[] {
  const body = JSON.stringify({
    Service: 'Amazon S3', Event: 's3:TestEvent', Time: new Date(scope.time).toISOString(), Bucket: scope.bucket,
    RequestId: scope.requestId, HostId: scope.hostId,
  });
  return [
    ...(config.QueueConfigurations ?? []).filter((q) => q.QueueArn).map((q) => delivery(scope, { kind: 'sqs', arn: q.QueueArn!, body }, 's3:TestEvent')),
    ...(config.TopicConfigurations ?? []).filter((t) => t.TopicArn).map((t) => delivery(scope, { kind: 'sns', arn: t.TopicArn!, message: body, subject: 'Amazon S3 Notification' }, 's3:TestEvent')),
  ];
}

export interface Unreachable {
  arn: string;
  /** What S3 says of it (the ArgumentValue next to the ARN). */
  reason: string;
}

/**
 * Destinations S3 cannot validate (queue or topic missing). S3 answers PutBucketNotificationConfiguration
 * with InvalidArgument "Unable to validate the following destination configurations" naming them.
 * Lambda destinations are checked only when Lambda offers `functionExists`.
 */
export function unreachableDestinations(caller: Caller, config: NotificationConfig): Unreachable[] {
  const bad: Unreachable[] = [];
  const sqs = caller.services.sqs?.queueExists as ((c: Caller, arn: string) => boolean) | undefined;
  for (const q of config.QueueConfigurations ?? []) {
    if (q.QueueArn && !sqs?.(caller, q.QueueArn)) bad.push({ arn: q.QueueArn, reason: 'The destination queue does not exist' });
  }
  const topicExists = caller.services.sns?.topicExists as ((c: Caller, arn: string) => boolean) | undefined;
  for (const t of config.TopicConfigurations ?? []) {
    if (t.TopicArn && !topicExists?.(caller, t.TopicArn)) bad.push({ arn: t.TopicArn, reason: 'The destination topic does not exist' });
  }
  const fnExists = caller.services.lambda?.functionExists as ((c: Caller, arn: string) => boolean) | undefined;
  for (const l of config.LambdaFunctionConfigurations ?? []) {
    if (l.LambdaFunctionArn && fnExists && !fnExists(caller, l.LambdaFunctionArn)) {
      bad.push({ arn: l.LambdaFunctionArn, reason: `Not authorized to invoke function [${l.LambdaFunctionArn}]` });
    }
  }
  return bad;
}
