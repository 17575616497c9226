/**
 * An event's way through a bus: archived when an archive's pattern matches, then handed to the
 * targets of every enabled rule whose pattern matches, through the delivery queue.
 */
import type { PutEventsRequest, PutEventsRequestEntry, PutEventsResultEntry, Target as RuleTarget } from '../../generated/events.ts';
import { matchPattern } from '../../events/pattern.ts';
import { EVENTS_DEFAULT, type AgeRetryPolicy } from '../../events/policy.ts';
import type { Target } from '../../events/targets.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { resolveBus } from './buses.ts';
import { validation } from './errors.ts';
import { compiled } from './patterns.ts';
import { apiDestinationTarget } from './connections.ts';
import { storeFor, type BusRecord, type EventsStore, type RuleRecord } from './store.ts';
import { targetInput } from './transform.ts';

const MAX_BYTES = 256 * 1024;
const SENDER = 'AIDAEVENTBRIDGE0000000';

export type EventDoc = Record<string, unknown> & { id: string; time: string };

function entrySize(e: PutEventsRequestEntry): number {
  let n = (e.Time ? 14 : 0) + Buffer.byteLength(e.Source ?? '') + Buffer.byteLength(e.DetailType ?? '') + Buffer.byteLength(e.Detail ?? '');
  for (const r of e.Resources ?? []) n += Buffer.byteLength(r);
  return n;
}

function entryError(code: string, message: string): PutEventsResultEntry {
  return { ErrorCode: code, ErrorMessage: message };
}

export function PutEvents(input: PutEventsRequest, ctx: RequestContext) {
  const entries = input.Entries ?? [];
  if (entries.length > 10) throw validation('1 validation error detected: Value at \'entries\' failed to satisfy constraint: Member must have length less than or equal to 10');
  if (entries.reduce((n, e) => n + entrySize(e), 0) > MAX_BYTES) throw validation('Total size of the entries in the request is over the limit.');
  const store = storeFor(ctx);
  const Entries = entries.map((e) => accept(store, ctx, e));
  return { FailedEntryCount: Entries.filter((e) => e.ErrorCode).length, Entries };
}

function accept(store: EventsStore, ctx: RequestContext, e: PutEventsRequestEntry): PutEventsResultEntry {
  if (!e.Source) return entryError('InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.');
  if (!e.DetailType) return entryError('InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.');
  if (e.Detail === undefined) return entryError('InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.');
  let detail: unknown;
  try {
    detail = JSON.parse(e.Detail);
  } catch {
    return entryError('MalformedDetail', 'Detail is malformed.');
  }
  if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return entryError('MalformedDetail', 'Detail is malformed.');
  if (e.Source.startsWith('aws.')) return entryError('NotAuthorizedForSourceException', 'Not authorized for the source.');
  let bus: BusRecord;
  try {
    bus = resolveBus(ctx, e.EventBusName);
  } catch (err) {
    if (err instanceof AwsError) return entryError('ResourceNotFoundException', err.message);
    throw err;
  }
  const id = ctx.ids.uuid();
  const time = e.Time ? new Date(e.Time).getTime() : ctx.clock.now();
  const event: EventDoc = {
    version: '0', id, 'detail-type': e.DetailType, source: e.Source, account: ctx.account,
    time: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'), region: ctx.region, resources: e.Resources ?? [], detail,
  };
  ingest(store, bus, event);
  return { EventId: id };
}

/** Every enabled rule of the bus whose pattern matches, and every archive of it. */
export function ingest(store: EventsStore, bus: BusRecord, event: EventDoc, replay?: { name: string; filterArns?: string[] }): void {
  if (!replay) archive(store, bus, event);
  const doc = replay ? { ...event, 'replay-name': replay.name } : event;
  for (const [, rule] of store.rules.entries({ prefix: `${bus.account}/${bus.region}/${bus.name}/` })) {
    if (rule.state !== 'ENABLED' || !rule.eventPattern) continue;
    if (replay?.filterArns?.length && !replay.filterArns.includes(rule.arn)) continue;
    if (matchPattern(compiled(rule.eventPattern), doc)) routeToTargets(store, rule, doc);
  }
}

function archive(store: EventsStore, bus: BusRecord, event: EventDoc): void {
  for (const [, a] of store.archives.entries()) {
    if (a.sourceArn !== bus.arn) continue;
    if (a.eventPattern && !matchPattern(compiled(a.eventPattern), event)) continue;
    const now = store.rt.clock.now();
    store.archived.put(`${a.arn}|${String(now).padStart(15, '0')}|${event.id}`, { at: now, event });
    store.archives.put(a.arn, { ...a, eventCount: a.eventCount + 1, sizeBytes: a.sizeBytes + JSON.stringify(event).length });
  }
}

function retryPolicy(t: RuleTarget): AgeRetryPolicy {
  return {
    kind: 'age',
    maxRetries: t.RetryPolicy?.MaximumRetryAttempts ?? EVENTS_DEFAULT.maxRetries,
    maxAgeSeconds: t.RetryPolicy?.MaximumEventAgeInSeconds ?? EVENTS_DEFAULT.maxAgeSeconds,
  };
}

export function routeToTargets(store: EventsStore, rule: RuleRecord, event: Record<string, unknown>): void {
  const ingestion = store.rt.clock.now();
  for (const t of rule.targets) {
    const input = targetInput(t, event, { ruleArn: rule.arn, ruleName: rule.name, ingestionTime: ingestion });
    const target = deliveryTarget(store, t, input, event);
    const str = (v: string) => ({ DataType: 'String', StringValue: v });
    const deliveryId = store.deliveries.enqueue({
      account: rule.account, region: rule.region, target, senderId: SENDER, source: `${rule.arn}|${t.Id}`, policy: retryPolicy(t),
      ...(t.DeadLetterConfig?.Arn ? { dlq: { arn: t.DeadLetterConfig.Arn, attributes: { RULE_ARN: str(rule.arn), TARGET_ARN: str(t.Arn) } } } : {}),
    });
    store.delivered.push({
      at: ingestion, eventId: String(event.id), eventBusName: rule.bus, ruleArn: rule.arn, targetId: t.Id, targetArn: t.Arn, input, deliveryId,
    });
    if (store.delivered.length > 1000) store.delivered.splice(0, store.delivered.length - 1000);
  }
}

function deliveryTarget(store: EventsStore, t: RuleTarget, input: string, event: Record<string, unknown>): Target {
  const service = t.Arn.split(':')[2];
  switch (service) {
    case 'sqs':
      return {
        kind: 'sqs', arn: t.Arn, body: input,
        ...(t.SqsParameters?.MessageGroupId ? { groupId: t.SqsParameters.MessageGroupId, dedupId: String(event.id) } : {}),
      };
    case 'sns':
      return { kind: 'sns', arn: t.Arn, message: input, ...(t.Arn.endsWith('.fifo') ? { groupId: String(event.id), dedupId: String(event.id) } : {}) };
    case 'lambda':
      return { kind: 'lambda', arn: t.Arn, payload: input };
    case 'logs':
      return { kind: 'logs', arn: t.Arn, stream: String(event.id), message: input };
    case 'events':
      if (t.Arn.includes(':api-destination/')) return apiDestinationTarget(store, t, input);
      return {
        kind: 'events', arn: t.Arn,
        entry: { Source: String(event.source), DetailType: String(event['detail-type']), Detail: JSON.stringify(event.detail ?? {}), Resources: (event.resources as string[]) ?? [] },
      };
    default:
      return { kind: 'unsupported', arn: t.Arn, body: input };
  }
}

/** Internal API: another bus (or Scheduler) puts an event on this bus; throws when it does not exist. */
export function putEvent(
  caller: { clock: RequestContext['clock']; account: string; region: string },
  busArnOrName: string,
  entry: { Source: string; DetailType: string; Detail: string; Resources?: string[] },
): { EventId: string } {
  const store = storeFor(caller);
  const bus = resolveBus(caller, busArnOrName);
  const id = store.rt.ids.uuid();
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    detail = {};
  }
  ingest(store, bus, {
    version: '0', id, 'detail-type': entry.DetailType, source: entry.Source, account: bus.account,
    time: new Date(caller.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'), region: bus.region, resources: entry.Resources ?? [], detail,
  });
  return { EventId: id };
}
