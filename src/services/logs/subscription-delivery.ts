/**
 * Subscription filters deliver: the events of one PutLogEvents batch that match a filter go,
 * as one gzipped, base64-encoded DATA_MESSAGE, to the filter's Lambda function (directly or
 * through a Logs destination), invoked asynchronously. Deliveries wait in a persisted queue
 * (src/events/queue.ts) and run on the engine scheduler after the write that caused them,
 * retried for up to 24 hours as AWS does for retryable errors.
 */
import { gzipSync } from 'node:zlib';
import { DeliveryQueue } from '../../events/queue.ts';
import type { AgeRetryPolicy } from '../../events/policy.ts';
import type { ServiceRuntime } from '../framework/define.ts';
import type { Clock } from '../../state/types.ts';
import type { Caller } from './events.ts';
import { compiled } from './filters.ts';
import type { Ingested } from './delivery.ts';
import type { SubscriptionRecord } from './records.ts';
import { storeFor, type Scope } from './store.ts';

const RETRY: AgeRetryPolicy = { kind: 'age', maxRetries: 1000, maxAgeSeconds: 24 * 3600 };
const TABLE = 'subscriptionDeliveries';

const queues = new WeakMap<Clock, DeliveryQueue>();

/** Creates (or re-arms after reset and snapshot load) the delivery queue of this kumo's logs service. */
export function installSubscriptionDeliveries(rt: ServiceRuntime): void {
  queues.get(rt.clock)?.close();
  const q = new DeliveryQueue(rt, TABLE);
  queues.set(rt.clock, q);
  q.load();
}

export function closeSubscriptionDeliveries(rt: ServiceRuntime): void {
  queues.get(rt.clock)?.close();
  queues.delete(rt.clock);
}

/** The function a subscription's destination ARN leads to: a Lambda ARN, or a Logs destination whose target is one. */
export function subscriptionFunction(caller: { clock: Clock }, destinationArn: string): string | undefined {
  if (/^arn:[^:]+:lambda:/.test(destinationArn)) return destinationArn;
  const m = /^arn:[^:]+:logs:([^:]+):(\d{12}):destination:(.+)$/.exec(destinationArn);
  if (!m) return undefined;
  const target = storeFor(caller).scope(m[2]!, m[1]!).destinations.get(m[3]!)?.targetArn;
  return target && /^arn:[^:]+:lambda:/.test(target) ? target : undefined;
}

interface LogEvent {
  id: string;
  timestamp: number;
  message: string;
  extractedFields?: Record<string, string>;
}

function awslogs(message: Record<string, unknown>): string {
  return JSON.stringify({ awslogs: { data: gzipSync(JSON.stringify(message)).toString('base64') } });
}

/** A 56-digit event id like FilterLogEvents': timestamp, the stream's place in its group, sequence. */
function eventId(ts: number, streamIndex: number, seq: number): string {
  return `${String(ts).padStart(20, '0')}${String(streamIndex).padStart(16, '0')}${String(seq).padStart(20, '0')}`;
}

function enqueue(caller: { clock: Clock }, scope: Scope, functionArn: string, payload: string, source: string): void {
  const q = queues.get(caller.clock);
  if (!q) return;
  q.enqueue({
    account: scope.account, region: scope.region, target: { kind: 'lambda', arn: functionArn, payload },
    policy: RETRY, senderId: 'logs.amazonaws.com', source,
  });
}

/** The message AWS sends when a subscription filter is created, to check its destination. */
export function sendControlMessage(caller: { clock: Clock }, scope: Scope, functionArn: string, source: string): void {
  enqueue(caller, scope, functionArn, awslogs({
    messageType: 'CONTROL_MESSAGE', owner: 'CloudwatchLogs', logGroup: '', logStream: '', subscriptionFilters: [],
    logEvents: [{ id: '', timestamp: caller.clock.now(), message: 'CWL CONTROL MESSAGE: Checking health of destination Lambda function.' }],
  }), source);
}

/** Queues one DATA_MESSAGE per subscription filter of the group that matches any of the stored events. */
export function feedSubscriptions(caller: Caller, scope: Scope, group: string, stream: string, events: Ingested[]): void {
  if (events.length === 0) return;
  let streamIndex: number | undefined;
  for (const [, s] of scope.subscriptions.entries({ prefix: `${group}:` })) {
    const functionArn = subscriptionFunction(caller, s.destinationArn);
    if (!functionArn) continue;
    const matched = matching(s, events);
    if (matched.length === 0) continue;
    streamIndex ??= [...scope.streams.keys({ prefix: `${group}:` })].indexOf(`${group}:${stream}`);
    const logEvents: LogEvent[] = matched.map(({ e, fields }) => ({
      id: eventId(e.timestamp, Math.max(0, streamIndex!), e.seq), timestamp: e.timestamp, message: e.message,
      ...(fields ? { extractedFields: fields } : {}),
    }));
    enqueue(caller, scope, functionArn, awslogs({
      messageType: 'DATA_MESSAGE', owner: scope.account, logGroup: group, logStream: stream, subscriptionFilters: [s.name], logEvents,
    }), `${group}:${s.name}`);
  }
}

function matching(s: SubscriptionRecord, events: Ingested[]): Array<{ e: Ingested; fields?: Record<string, string> }> {
  const pattern = compiled(s.pattern);
  const out: Array<{ e: Ingested; fields?: Record<string, string> }> = [];
  for (const e of events) {
    const m = pattern.match(e.message);
    if (!m) continue;
    const named = Object.entries(m.fields());
    out.push(named.length ? { e, fields: Object.fromEntries(named.map(([k, v]) => [k.replace(/^\$/, ''), v])) } : { e });
  }
  return out;
}
