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
import { getBucket, tables, type BucketRecord } from './store.ts';

let events: Set<string> | undefined;

function knownEvent(e: string): boolean {
  events ??= new Set(loadModel('s3').shapes.Event?.enum ?? []);
  return events.has(e);
}

const ARN = /^arn:aws[a-z-]*:(sqs|sns|lambda):([a-z0-9-]+):\d{12}:.+$/;
const OVERLAP = 'Configurations overlap. Configurations on the same bucket cannot share a common event type.';
const AMBIGUOUS = 'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.';

interface Destination {
  Id?: string;
  Events: string[];
  Filter?: { Key?: { FilterRules?: FilterRule[] } };
}

function invalid(message: string): AwsError {
  return new AwsError('InvalidArgument', message, 400);
}

/** `s3:ObjectCreated:*` includes `s3:ObjectCreated:Put`. */
function includes(pattern: string, event: string): boolean {
  return pattern === event || (pattern.endsWith(':*') && event.startsWith(pattern.slice(0, -1)));
}

function eventsOverlap(a: readonly string[], b: readonly string[]): boolean {
  return a.some((x) => b.some((y) => includes(x, y) || includes(y, x)));
}

function filterValue(d: Destination, name: string): string {
  return d.Filter?.Key?.FilterRules?.find((r) => r.Name === name)?.Value ?? '';
}

interface Check {
  bucket: BucketRecord;
  ids: Set<string>;
  newId: () => string;
}

function checkDestination(d: Destination, arn: string | undefined, service: string, argument: string, c: Check): Destination {
  if (!arn || !d.Events?.length) throw malformedXml();
  const m = ARN.exec(arn);
  if (!m || m[1] !== service) throw invalidArgument('The ARN is not well formed', argument, arn);
  if (m[2] !== c.bucket.region) throw invalidArgument('The notification destination service region is not valid for the bucket location constraint', argument, arn);
  if (service === 'sqs' && arn.endsWith('.fifo')) throw invalidArgument('FIFO SQS queues are not supported.', argument, arn);
  d.Events.forEach((e, i) => {
    if (!knownEvent(e)) throw invalidArgument('The event is not supported for notifications', 'Event', e);
    if (d.Events.slice(0, i).some((p) => includes(p, e) || includes(e, p))) throw invalid(OVERLAP);
  });
  const seen = new Set<string>();
  const rules = (d.Filter?.Key?.FilterRules ?? []).map((rule) => {
    const name = (rule.Name ?? '').toLowerCase();
    if (name !== 'prefix' && name !== 'suffix') throw invalidArgument('filter rule name must be either prefix or suffix', 'FilterRule.Name', rule.Name);
    if (seen.has(name)) throw invalidArgument(`Cannot specify more than one ${name} rule in a filter.`, 'FilterRule.Name', rule.Name);
    if (Buffer.byteLength(rule.Value ?? '') > 1024) throw invalid('Size of filter rule value cannot exceed 1024 bytes in UTF-8 representation');
    seen.add(name);
    // S3 answers the names capitalized, whatever the case they were put in.
    return { Name: (name === 'prefix' ? 'Prefix' : 'Suffix') as FilterRule['Name'], Value: rule.Value ?? '' };
  });
  if (d.Id !== undefined && d.Id.length > 255) throw invalid('ID length exceeded allowed limit of 255');
  const id = d.Id ?? c.newId();
  if (c.ids.has(id)) throw invalid('Same ID used for multiple configurations. IDs must be unique.');
  c.ids.add(id);
  const { Filter: _filter, ...rest } = d;
  return { ...rest, Id: id, ...(rules.length ? { Filter: { Key: { FilterRules: rules } } } : {}) };
}

/** Two configurations may share an event type only when their key filters cannot both match a key. */
function checkOverlaps(all: Destination[]): void {
  all.forEach((d, i) => {
    const prefix = filterValue(d, 'Prefix');
    const suffix = filterValue(d, 'Suffix');
    for (const other of all.slice(0, i)) {
      if (!eventsOverlap(d.Events, other.Events)) continue;
      const p = filterValue(other, 'Prefix');
      const s = filterValue(other, 'Suffix');
      if ((prefix.startsWith(p) || p.startsWith(prefix)) && (suffix.endsWith(s) || s.endsWith(suffix))) {
        throw invalid(!d.Filter && !other.Filter ? OVERLAP : AMBIGUOUS);
      }
    }
  });
}

export function PutBucketNotificationConfiguration(input: PutBucketNotificationConfigurationRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  const conf = input.NotificationConfiguration ?? {};
  // Generated ids are base64 of a UUID, as S3's.
  const c: Check = { bucket, ids: new Set(), newId: () => Buffer.from(ctx.ids.uuid()).toString('base64') };
  const stored: NotificationConfiguration = {};
  if (conf.TopicConfigurations?.length) {
    stored.TopicConfigurations = conf.TopicConfigurations.map((t) => ({ ...checkDestination(t, t.TopicArn, 'sns', 'Topic', c), TopicArn: t.TopicArn }) as typeof t);
  }
  if (conf.QueueConfigurations?.length) {
    stored.QueueConfigurations = conf.QueueConfigurations.map((q) => ({ ...checkDestination(q, q.QueueArn, 'sqs', 'Queue', c), QueueArn: q.QueueArn }) as typeof q);
  }
  if (conf.LambdaFunctionConfigurations?.length) {
    stored.LambdaFunctionConfigurations = conf.LambdaFunctionConfigurations.map(
      (l) => ({ ...checkDestination(l, l.LambdaFunctionArn, 'lambda', 'CloudFunction', c), LambdaFunctionArn: l.LambdaFunctionArn }) as typeof l,
    );
  }
  checkOverlaps([...stored.TopicConfigurations ?? [], ...stored.QueueConfigurations ?? [], ...stored.LambdaFunctionConfigurations ?? []] as Destination[]);
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
