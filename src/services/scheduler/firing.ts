/**
 * Schedules fire on the engine clock: one timer per enabled schedule, at its next time (plus a
 * random offset inside a flexible window), re-armed after each firing and by init.
 */
import { EVENTS_DEFAULT } from '../../events/policy.ts';
import { nextFire, parseSchedule } from '../../events/schedule.ts';
import type { Target } from '../../events/targets.ts';
import { scheduleKey, type ScheduleRecord, type SchedulerStore } from './store.ts';

const SENDER = 'AIDASCHEDULER000000000';

export function disarm(store: SchedulerStore, arn: string): void {
  store.timers.get(arn)?.cancel();
  store.timers.delete(arn);
}

/** The next scheduled time strictly after `after`, within the start and end dates. */
export function nextTime(rec: ScheduleRecord, after: number): number | undefined {
  const s = parseSchedule(rec.expression, true);
  const from = rec.start !== undefined && s.kind !== 'at' ? Math.max(after, rec.start - 1) : after;
  const t = nextFire(s, from, rec.start ?? rec.created, rec.timezone);
  if (t === undefined || (rec.end !== undefined && s.kind !== 'at' && t > rec.end)) return undefined;
  return t;
}

export function arm(store: SchedulerStore, rec: ScheduleRecord): void {
  disarm(store, rec.arn);
  if (rec.state !== 'ENABLED') return;
  const at = nextTime(rec, Math.max(store.rt.clock.now(), rec.lastFired ?? -Infinity));
  if (at === undefined) return;
  const window = rec.window.Mode === 'FLEXIBLE' ? (rec.window.MaximumWindowInMinutes ?? 0) * 60_000 : 0;
  const offset = window > 0 ? store.rt.ids.bytes(4).readUInt32BE(0) % window : 0;
  store.timers.set(rec.arn, store.rt.scheduler.at(at + offset, () => fire(store, rec.arn, scheduleKey(rec.account, rec.region, rec.group, rec.name), at)));
}

function fire(store: SchedulerStore, arn: string, key: string, scheduled: number): void {
  store.timers.delete(arn);
  const rec = store.schedules.get(key);
  if (!rec || rec.arn !== arn || rec.state !== 'ENABLED') return;
  const executionId = store.rt.ids.uuid();
  const t = rec.target;
  const input = contextAttributes(t.Input ?? '{}', rec, scheduled, executionId);
  const str = (v: string) => ({ DataType: 'String', StringValue: v });
  store.deliveries.enqueue({
    account: rec.account, region: rec.region, target: deliveryTarget(rec, input), senderId: SENDER, source: rec.arn,
    policy: {
      kind: 'age',
      maxRetries: t.RetryPolicy?.MaximumRetryAttempts ?? EVENTS_DEFAULT.maxRetries,
      maxAgeSeconds: t.RetryPolicy?.MaximumEventAgeInSeconds ?? EVENTS_DEFAULT.maxAgeSeconds,
    },
    ...(t.DeadLetterConfig?.Arn ? { dlq: { arn: t.DeadLetterConfig.Arn, attributes: { EXECUTION_ID: str(executionId), TARGET_ARN: str(t.Arn), SCHEDULE_ARN: str(rec.arn) } } } : {}),
  });
  const fired = { ...rec, lastFired: scheduled };
  if (nextTime(fired, scheduled) === undefined && rec.afterCompletion === 'DELETE') {
    store.schedules.delete(key);
    return;
  }
  store.schedules.put(key, fired);
  arm(store, fired);
}

/** `<aws.scheduler.*>` placeholders Scheduler fills in a target's input. */
function contextAttributes(input: string, rec: ScheduleRecord, scheduled: number, executionId: string): string {
  const values: Record<string, string> = {
    'aws.scheduler.schedule-arn': rec.arn,
    'aws.scheduler.scheduled-time': new Date(scheduled).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws.scheduler.execution-id': executionId,
    'aws.scheduler.attempt-number': '1',
  };
  return input.replace(/<(aws\.scheduler\.[a-z-]+)>/g, (m, name: string) => values[name] ?? m);
}

/** Universal targets (`arn:aws:scheduler:::aws-sdk:sqs:sendMessage`): the input is the API call's parameters. */
function universalTarget(rec: ScheduleRecord, input: string): Target {
  const [, , , , , , service, action] = rec.target.Arn.split(':');
  let params: Record<string, unknown>;
  try {
    params = JSON.parse(input);
  } catch {
    params = {};
  }
  const str = (k: string) => (typeof params[k] === 'string' ? params[k] as string : undefined);
  if (service === 'sqs' && action === 'sendMessage') {
    const url = str('QueueUrl') ?? '';
    const [account, name] = url.split('/').slice(-2);
    return {
      kind: 'sqs', arn: `arn:aws:sqs:${rec.region}:${account}:${name}`, body: str('MessageBody') ?? '',
      ...(str('MessageGroupId') ? { groupId: str('MessageGroupId') } : {}), ...(str('MessageDeduplicationId') ? { dedupId: str('MessageDeduplicationId') } : {}),
    };
  }
  if (service === 'sns' && action === 'publish') {
    return { kind: 'sns', arn: str('TopicArn') ?? '', message: str('Message') ?? '', ...(str('Subject') ? { subject: str('Subject') } : {}) };
  }
  return { kind: 'unsupported', arn: rec.target.Arn, body: input };
}

function deliveryTarget(rec: ScheduleRecord, input: string): Target {
  const t = rec.target;
  if (t.Arn.startsWith('arn:aws:scheduler:::aws-sdk:')) return universalTarget(rec, input);
  const service = t.Arn.split(':')[2];
  switch (service) {
    case 'sqs':
      return { kind: 'sqs', arn: t.Arn, body: input, ...(t.SqsParameters?.MessageGroupId ? { groupId: t.SqsParameters.MessageGroupId } : {}) };
    case 'sns':
      return { kind: 'sns', arn: t.Arn, message: input };
    case 'lambda':
      return { kind: 'lambda', arn: t.Arn, payload: input };
    case 'events':
      return {
        kind: 'events', arn: t.Arn,
        entry: { Source: t.EventBridgeParameters?.Source ?? 'aws.scheduler', DetailType: t.EventBridgeParameters?.DetailType ?? 'Scheduled Event', Detail: input, Resources: [rec.arn] },
      };
    default:
      return { kind: 'unsupported', arn: t.Arn, body: input };
  }
}
