/**
 * Event notifications as S3 sends them: each durable object change is turned into the
 * deliveries its bucket's notification configuration asks for and put on S3's own
 * DeliveryQueue (kept in the `notification-deliveries` table, so pending deliveries and their
 * retries survive a restart with a data dir). The request that caused them is durable first.
 */
import { DeliveryQueue } from '../../events/queue.ts';
import { s3Deliveries, s3TestDeliveries, type NotificationConfig, type S3ObjectEvent } from '../../events/s3-notifications.ts';
import type { RequestContext, ServiceRuntime } from '../framework/define.ts';
import type { Clock, Ids } from '../../state/types.ts';
import { getConfig } from './configs.ts';
import type { BucketRecord, ObjectRecord } from './store.ts';
import { shownVersionId } from './versioning.ts';

interface Notifier {
  queue: DeliveryQueue;
  /** Orders events with the same clock reading (the sequencer must grow per key). */
  counter: number;
  last: number;
}

const notifiers = new WeakMap<Clock, Notifier>();

export function installNotifier(rt: ServiceRuntime): void {
  notifiers.get(rt.clock)?.queue.close();
  const queue = new DeliveryQueue(rt, 'notification-deliveries');
  notifiers.set(rt.clock, { queue, counter: 0, last: 0 });
  queue.load();
}

export function closeNotifier(rt: ServiceRuntime): void {
  notifiers.get(rt.clock)?.queue.close();
}

export function notificationQueue(owner: { clock: Clock }): DeliveryQueue | undefined {
  return notifiers.get(owner.clock)?.queue;
}

/** Who caused an event: the request's ids and requester, or S3 itself (lifecycle rules). */
interface Origin {
  requestId: string;
  hostId: string;
  principalId: string;
  sourceIp: string;
}

/** The x-amz-id-2 S3's responses carry (the rest-xml codec derives it from the request id the same way). */
function hostIdOf(requestId: string): string {
  return Buffer.from(`kumo/${requestId}`).toString('base64');
}

function originOf(ctx: RequestContext): Origin {
  const forwarded = ctx.rawRequest?.headers['x-forwarded-for']?.split(',')[0]?.trim();
  return {
    requestId: ctx.requestId,
    hostId: hostIdOf(ctx.requestId),
    principalId: ctx.caller ? `AWS:${ctx.caller.userId}` : ctx.account,
    sourceIp: forwarded || '127.0.0.1',
  };
}

/** Lifecycle actions are S3's own: AWS names the service as requester and source. */
function lifecycleOrigin(ids: Ids): Origin {
  const requestId = ids.hex(8).toUpperCase();
  return { requestId, hostId: hostIdOf(requestId), principalId: 's3.amazonaws.com', sourceIp: 's3.amazonaws.com' };
}

interface Emitter {
  clock: Clock;
  state: ServiceRuntime['state'];
  ids: Ids;
}

function sequencer(n: Notifier, now: number): string {
  if (now !== n.last) {
    n.last = now;
    n.counter = 0;
  }
  return `${now.toString(16).padStart(12, '0')}${(n.counter++).toString(16).padStart(6, '0')}`.toUpperCase();
}

/** Enqueues what the bucket's configuration wants for one change a request made to one object version. */
export function notifyObject(ctx: RequestContext, bucket: BucketRecord, eventName: string, rec: ObjectRecord): void {
  emit(ctx, bucket, eventName, rec, () => originOf(ctx));
}

/** The same for a change a lifecycle rule made. */
export function notifyLifecycle(rt: Emitter, bucket: BucketRecord, eventName: string, rec: ObjectRecord): void {
  emit(rt, bucket, eventName, rec, () => lifecycleOrigin(rt.ids));
}

/** Most buckets have no configuration: the origin is only worked out when something is sent. */
function emit(src: Emitter, bucket: BucketRecord, eventName: string, rec: ObjectRecord, originFn: () => Origin): void {
  const config = getConfig<NotificationConfig>(src.state, bucket.name, 'notification');
  const n = notifiers.get(src.clock);
  if (!config || !n) return;
  const origin = originFn();
  const now = src.clock.now();
  const event: S3ObjectEvent = {
    account: bucket.account,
    region: bucket.region,
    bucket: bucket.name,
    eventName,
    key: rec.key,
    ...(rec.deleteMarker ? {} : { size: rec.size, eTag: rec.etag }),
    versionId: bucket.versioning ? shownVersionId(bucket, rec) : undefined,
    sequencer: sequencer(n, now),
    requestId: origin.requestId,
    hostId: origin.hostId,
    sourceIp: origin.sourceIp,
    principalId: origin.principalId,
    time: now,
    ...(eventName.startsWith('ObjectRestore') && rec.restoreExpiry !== undefined ? { restore: { expiry: rec.restoreExpiry, storageClass: rec.storageClass } } : {}),
  };
  for (const d of s3Deliveries(config, event)) n.queue.enqueue(d);
}

/** The s3:TestEvent for destinations a new configuration adds. */
export function notifyTest(ctx: RequestContext, bucket: BucketRecord, added: NotificationConfig): void {
  const n = notifiers.get(ctx.clock);
  if (!n) return;
  const scope = {
    account: bucket.account, region: bucket.region, bucket: bucket.name, requestId: ctx.requestId, hostId: hostIdOf(ctx.requestId), time: ctx.clock.now(),
  };
  for (const d of s3TestDeliveries(added, scope)) n.queue.enqueue(d);
}
