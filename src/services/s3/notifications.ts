/**
 * Bucket notification configurations, validated as S3 does (event names, destination ARNs,
 * key filter rules, destinations that must exist) and stored; each SQS and SNS destination the
 * configuration adds gets the s3:TestEvent. `notify.ts` delivers the events themselves.
 */
import type {
  FilterRule, GetBucketNotificationConfigurationRequest, NotificationConfiguration, PutBucketNotificationConfigurationRequest,
} from '../../generated/s3.ts';
import { loadModel } from '../../protocol/models.ts';
import type { RequestContext } from '../framework/define.ts';
import type { ServiceState } from '../../state/types.ts';
import { unreachableDestinations, type NotificationConfig } from '../../events/s3-notifications.ts';
import { AwsError } from '../framework/define.ts';
import { getConfig } from './configs.ts';
import { invalidArgument, malformedXml } from './errors.ts';
import { configKey } from './keys.ts';
import { notifyTest } from './notify.ts';
import { getBucket, tables } from './store.ts';

let events: Set<string> | undefined;

function knownEvent(e: string): boolean {
  events ??= new Set(loadModel('s3').shapes.Event?.enum ?? []);
  return events.has(e);
}

const ARN = /^arn:aws[a-z-]*:(sqs|sns|lambda):[a-z0-9-]+:\d{12}:.+$/;

interface Destination {
  Id?: string;
  Events: string[];
  Filter?: { Key?: { FilterRules?: FilterRule[] } };
}

function checkDestination(d: Destination, arn: string | undefined, service: string, argument: string, id: () => string): Destination {
  if (!arn || !d.Events?.length) throw malformedXml();
  const m = ARN.exec(arn);
  if (!m || m[1] !== service) throw invalidArgument('The ARN is not well formed', argument, arn);
  for (const e of d.Events) if (!knownEvent(e)) throw invalidArgument('The event is not supported for notifications', 'Event', e);
  const seen = new Set<string>();
  for (const rule of d.Filter?.Key?.FilterRules ?? []) {
    const name = (rule.Name ?? '').toLowerCase();
    if (name !== 'prefix' && name !== 'suffix') throw invalidArgument('filter rule name must be either prefix or suffix', 'FilterRule.Name', rule.Name);
    if (seen.has(name)) throw invalidArgument(`Cannot specify more than one ${name} rule in a filter.`, 'FilterRule.Name', rule.Name);
    seen.add(name);
  }
  return { ...d, Id: d.Id ?? id() };
}

export function PutBucketNotificationConfiguration(input: PutBucketNotificationConfigurationRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  const conf = input.NotificationConfiguration ?? {};
  const id = () => ctx.ids.uuid();
  const stored: NotificationConfiguration = {};
  if (conf.TopicConfigurations?.length) {
    stored.TopicConfigurations = conf.TopicConfigurations.map((t) => ({ ...checkDestination(t, t.TopicArn, 'sns', 'Topic', id), TopicArn: t.TopicArn }) as typeof t);
  }
  if (conf.QueueConfigurations?.length) {
    stored.QueueConfigurations = conf.QueueConfigurations.map((q) => ({ ...checkDestination(q, q.QueueArn, 'sqs', 'Queue', id), QueueArn: q.QueueArn }) as typeof q);
  }
  if (conf.LambdaFunctionConfigurations?.length) {
    stored.LambdaFunctionConfigurations = conf.LambdaFunctionConfigurations.map(
      (l) => ({ ...checkDestination(l, l.LambdaFunctionArn, 'lambda', 'CloudFunction', id), LambdaFunctionArn: l.LambdaFunctionArn }) as typeof l,
    );
  }
  if (conf.EventBridgeConfiguration) stored.EventBridgeConfiguration = {};
  const bad = input.SkipDestinationValidation ? [] : unreachableDestinations(ctx, stored as NotificationConfig);
  if (bad.length) {
    const fields: Record<string, string> = {};
    bad.forEach((b, i) => {
      fields[`ArgumentName${i + 1}`] = b.arn;
      fields[`ArgumentValue${i + 1}`] = b.reason;
    });
    throw new AwsError('InvalidArgument', 'Unable to validate the following destination configurations', 400, fields);
  }
  const before = notificationConfiguration(ctx.state, bucket.name) ?? {};
  const configs = tables.configs(ctx.state);
  if (Object.keys(stored).length) configs.put(configKey(bucket.name, 'notification'), stored);
  else configs.delete(configKey(bucket.name, 'notification'));
  notifyTest(ctx, bucket, added(before, stored));
  return {};
}

/** The SQS and SNS destinations `next` has that `prev` did not: only those are sent a test event. */
function added(prev: NotificationConfiguration, next: NotificationConfiguration): NotificationConfig {
  const queues = new Set((prev.QueueConfigurations ?? []).map((q) => q.QueueArn));
  const topics = new Set((prev.TopicConfigurations ?? []).map((t) => t.TopicArn));
  const newQueues = [...new Set((next.QueueConfigurations ?? []).map((q) => q.QueueArn).filter((a) => !queues.has(a)))];
  const newTopics = [...new Set((next.TopicConfigurations ?? []).map((t) => t.TopicArn).filter((a) => !topics.has(a)))];
  return {
    QueueConfigurations: newQueues.map((QueueArn) => ({ QueueArn, Events: [] })),
    TopicConfigurations: newTopics.map((TopicArn) => ({ TopicArn, Events: [] })),
  };
}

export function GetBucketNotificationConfiguration(input: GetBucketNotificationConfigurationRequest, ctx: RequestContext): NotificationConfiguration {
  const bucket = getBucket(ctx, input.Bucket);
  return notificationConfiguration(ctx.state, bucket.name) ?? {};
}

/** The stored configuration of a bucket, for whatever delivers its events. */
export function notificationConfiguration(state: ServiceState, bucket: string): NotificationConfiguration | undefined {
  return getConfig<NotificationConfiguration>(state, bucket, 'notification');
}
