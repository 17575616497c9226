import type {
  DeleteMetricFilterRequest, DeleteSubscriptionFilterRequest, DescribeMetricFiltersRequest, DescribeMetricFiltersResponse,
  DescribeSubscriptionFiltersRequest, DescribeSubscriptionFiltersResponse, MetricFilter, PutMetricFilterRequest,
  PutSubscriptionFilterRequest, SubscriptionFilter, TestMetricFilterRequest, TestMetricFilterResponse,
} from '../../generated/logs.ts';
import type { RequestContext } from '../framework/define.ts';
import { invalidParameter, limitExceeded, notFound } from './errors.ts';
import { compileFilterPattern, FilterPatternError, type FilterPattern } from './filter-pattern.ts';
import { groupOf } from './groups.ts';
import { page } from './names.ts';
import type { MetricFilterRecord, SubscriptionRecord } from './records.ts';
import { scopeOf, storeFor } from './store.ts';
import { sendControlMessage } from './subscription-delivery.ts';

/** Metric and subscription filters: their definitions, and the compiled patterns every ingest uses (delivery: subscription-delivery.ts). */

const cache = new Map<string, FilterPattern>();

export function compiled(pattern: string | undefined): FilterPattern {
  const key = pattern ?? '';
  let p = cache.get(key);
  if (!p) {
    try {
      p = compileFilterPattern(key);
    } catch (e) {
      if (e instanceof FilterPatternError) throw invalidParameter(`Invalid filter pattern: ${e.message}`);
      throw e;
    }
    if (cache.size > 1000) cache.clear();
    cache.set(key, p);
  }
  return p;
}

const MAX_METRIC_FILTERS = 100;
const MAX_SUBSCRIPTIONS = 2;

function checkValueRef(ref: string, what: string): void {
  if (!/^\$(\.|\[|[A-Za-z_])/.test(ref)) throw invalidParameter(`Invalid ${what}: ${ref}. It must be a field reference such as $.field or $field.`);
}

export function PutMetricFilter(input: PutMetricFilterRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const g = groupOf(scope, input.logGroupName);
  compiled(input.filterPattern);
  const key = `${g.name}:${input.filterName}`;
  const existing = scope.metricFilters.get(key);
  if (!existing && [...scope.metricFilters.keys({ prefix: `${g.name}:` })].length >= MAX_METRIC_FILTERS) throw limitExceeded();
  for (const t of input.metricTransformations) {
    if (!/^-?\d+(\.\d+)?$/.test(t.metricValue)) checkValueRef(t.metricValue, 'metric value');
    for (const v of Object.values(t.dimensions ?? {})) checkValueRef(v, 'dimension value');
    if (t.dimensions && t.defaultValue !== undefined) throw invalidParameter('Metric filters with dimensions cannot have a default value.');
  }
  const rec: MetricFilterRecord = {
    group: g.name, name: input.filterName, pattern: input.filterPattern, created: existing?.created ?? ctx.clock.now(),
    transformations: input.metricTransformations.map((t) => ({ ...t })),
  };
  scope.metricFilters.put(key, rec);
  return {};
}

function describeMetricFilter(f: MetricFilterRecord): MetricFilter {
  return {
    filterName: f.name, filterPattern: f.pattern, logGroupName: f.group, creationTime: f.created,
    metricTransformations: f.transformations as MetricFilter['metricTransformations'],
  };
}

export function DescribeMetricFilters(input: DescribeMetricFiltersRequest, ctx: RequestContext): DescribeMetricFiltersResponse {
  const scope = scopeOf(ctx);
  if ((input.metricName === undefined) !== (input.metricNamespace === undefined)) {
    throw invalidParameter('If you specify metricName you must also specify metricNamespace, and vice versa.');
  }
  if (input.filterNamePrefix !== undefined && input.logGroupName === undefined) {
    throw invalidParameter('If you specify filterNamePrefix you must also specify logGroupName.');
  }
  if (input.logGroupName !== undefined) groupOf(scope, input.logGroupName);
  const prefix = input.logGroupName !== undefined ? `${input.logGroupName}:${input.filterNamePrefix ?? ''}` : '';
  const found = [...scope.metricFilters.entries({ prefix })].map(([, f]) => f).filter((f) =>
    input.metricName === undefined || f.transformations.some((t) => t.metricName === input.metricName && t.metricNamespace === input.metricNamespace));
  const p = page(found.map(describeMetricFilter), input.limit, 50, input.nextToken);
  return p.nextToken ? { metricFilters: p.items, nextToken: p.nextToken } : { metricFilters: p.items };
}

export function DeleteMetricFilter(input: DeleteMetricFilterRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  groupOf(scope, input.logGroupName);
  if (!scope.metricFilters.delete(`${input.logGroupName}:${input.filterName}`)) throw notFound('The specified metric filter does not exist.');
  return {};
}

export function TestMetricFilter(input: TestMetricFilterRequest): TestMetricFilterResponse {
  const pattern = compiled(input.filterPattern);
  const matches = [];
  for (let i = 0; i < input.logEventMessages.length; i++) {
    const m = pattern.match(input.logEventMessages[i]!);
    if (m) matches.push({ eventNumber: i + 1, eventMessage: input.logEventMessages[i], extractedValues: m.fields() });
  }
  return { matches };
}

type FunctionExists = (caller: unknown, arn: string) => boolean;

/**
 * AWS checks a destination when the filter is put: kumo has no Kinesis or Firehose, so those
 * fail as a missing stream does in AWS; a Lambda function must exist.
 */
function checkDestination(ctx: RequestContext, arn: string): string {
  let target = arn;
  const dest = /^arn:[^:]+:logs:([^:]+):(\d{12}):destination:(.+)$/.exec(arn);
  if (dest) {
    const d = storeFor(ctx).scope(dest[2]!, dest[1]!).destinations.get(dest[3]!);
    if (!d) throw notFound('The specified destination does not exist.');
    target = d.targetArn;
  }
  const service = /^arn:[^:]+:([^:]+):/.exec(target)?.[1];
  if (service === 'kinesis') throw invalidParameter('Could not deliver test message to specified Kinesis stream. Check if the given kinesis stream is in ACTIVE state.');
  if (service === 'firehose') throw invalidParameter('Could not deliver test message to specified Firehose stream. Check if the given Firehose stream is in ACTIVE state.');
  const exists = ctx.services.lambda?.functionExists as FunctionExists | undefined;
  if (service !== 'lambda' || !exists?.(ctx, target)) {
    throw invalidParameter('Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.');
  }
  return target;
}

export function PutSubscriptionFilter(input: PutSubscriptionFilterRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const g = groupOf(scope, input.logGroupName);
  compiled(input.filterPattern);
  if (!/^arn:[^:]+:(lambda|kinesis|firehose|logs):/.test(input.destinationArn)) {
    throw invalidParameter(`Invalid destinationArn: ${input.destinationArn}`);
  }
  if (input.distribution !== undefined && input.distribution !== 'ByLogStream' && input.distribution !== 'Random') {
    throw invalidParameter(`1 validation error detected: Value '${input.distribution}' at 'distribution' failed to satisfy constraint: Member must satisfy enum value set: [Random, ByLogStream]`);
  }
  const key = `${g.name}:${input.filterName}`;
  const existing = scope.subscriptions.get(key);
  if (!existing && [...scope.subscriptions.keys({ prefix: `${g.name}:` })].length >= MAX_SUBSCRIPTIONS) throw limitExceeded();
  const functionArn = checkDestination(ctx, input.destinationArn);
  const rec: SubscriptionRecord = {
    group: g.name, name: input.filterName, pattern: input.filterPattern, destinationArn: input.destinationArn,
    distribution: input.distribution ?? 'ByLogStream', created: existing?.created ?? ctx.clock.now(),
  };
  if (input.roleArn !== undefined) rec.roleArn = input.roleArn;
  scope.subscriptions.put(key, rec);
  if (existing?.destinationArn !== input.destinationArn) sendControlMessage(ctx, scope, functionArn, key);
  return {};
}

export function DescribeSubscriptionFilters(input: DescribeSubscriptionFiltersRequest, ctx: RequestContext): DescribeSubscriptionFiltersResponse {
  const scope = scopeOf(ctx);
  groupOf(scope, input.logGroupName);
  const found: SubscriptionFilter[] = [...scope.subscriptions.entries({ prefix: `${input.logGroupName}:${input.filterNamePrefix ?? ''}` })]
    .map(([, s]) => ({
      filterName: s.name, logGroupName: s.group, filterPattern: s.pattern, destinationArn: s.destinationArn,
      distribution: s.distribution as SubscriptionFilter['distribution'], creationTime: s.created, ...(s.roleArn ? { roleArn: s.roleArn } : {}),
    }));
  const p = page(found, input.limit, 50, input.nextToken);
  return p.nextToken ? { subscriptionFilters: p.items, nextToken: p.nextToken } : { subscriptionFilters: p.items };
}

export function DeleteSubscriptionFilter(input: DeleteSubscriptionFilterRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  groupOf(scope, input.logGroupName);
  if (!scope.subscriptions.delete(`${input.logGroupName}:${input.filterName}`)) throw notFound('The specified subscription filter does not exist.');
  return {};
}
