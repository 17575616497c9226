import type {
  DeleteRuleRequest, DescribeRuleRequest, DisableRuleRequest, EnableRuleRequest, ListRuleNamesByTargetRequest, ListRulesRequest,
  ListTargetsByRuleRequest, PutRuleRequest, PutTargetsRequest, RemoveTargetsRequest, Target, TestEventPatternRequest,
} from '../../generated/events.ts';
import { matchPattern } from '../../events/pattern.ts';
import { nextFire, parseSchedule, ScheduleError } from '../../events/schedule.ts';
import type { RequestContext } from '../framework/define.ts';
import { resolveBus } from './buses.ts';
import { notFound, validation } from './errors.ts';
import { compiled } from './patterns.ts';
import { routeToTargets } from './dispatch.ts';
import { ruleArn, ruleKey, storeFor, type EventsStore, type RuleRecord } from './store.ts';
import { checkPath, checkTransformer } from './transform.ts';

type Scope = { clock: RequestContext['clock']; account: string; region: string };

export function getRule(ctx: Scope, name: string, busName?: string): RuleRecord {
  const bus = resolveBus(ctx, busName);
  const r = storeFor(ctx).rules.get(ruleKey(bus.account, bus.region, bus.name, name));
  if (!r) throw notFound(`Rule ${name} does not exist on EventBus ${bus.name}.`);
  return r;
}

function checkSchedule(expr: string): void {
  try {
    parseSchedule(expr);
  } catch (err) {
    if (err instanceof ScheduleError) throw validation('Parameter ScheduleExpression is not valid.');
    throw err;
  }
}

export function PutRule(input: PutRuleRequest, ctx: RequestContext) {
  const bus = resolveBus(ctx, input.EventBusName);
  if (!input.EventPattern && !input.ScheduleExpression) throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  if (input.EventPattern) compiled(input.EventPattern);
  if (input.ScheduleExpression) {
    if (bus.name !== 'default') throw validation('ScheduleExpression is supported only on the default event bus.');
    checkSchedule(input.ScheduleExpression);
  }
  const store = storeFor(ctx);
  const key = ruleKey(bus.account, bus.region, bus.name, input.Name);
  const old = store.rules.get(key);
  const rec: RuleRecord = {
    arn: ruleArn(bus.account, bus.region, bus.name, input.Name), name: input.Name, bus: bus.name, account: bus.account, region: bus.region,
    created: old?.created ?? ctx.clock.now(), state: input.State ?? old?.state ?? 'ENABLED', targets: old?.targets ?? [],
    tags: { ...old?.tags, ...Object.fromEntries((input.Tags ?? []).map((t) => [t.Key, t.Value])) },
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(input.EventPattern ? { eventPattern: input.EventPattern } : {}),
    ...(input.ScheduleExpression ? { scheduleExpression: input.ScheduleExpression } : {}),
    ...(input.RoleArn ? { roleArn: input.RoleArn } : {}),
  };
  store.rules.put(key, rec);
  armRule(store, rec);
  return { RuleArn: rec.arn };
}

function describe(r: RuleRecord) {
  return {
    Name: r.name, Arn: r.arn, State: r.state, EventBusName: r.bus,
    ...(r.eventPattern ? { EventPattern: r.eventPattern } : {}), ...(r.scheduleExpression ? { ScheduleExpression: r.scheduleExpression } : {}),
    ...(r.description !== undefined ? { Description: r.description } : {}), ...(r.roleArn ? { RoleArn: r.roleArn } : {}),
    ...(r.managedBy ? { ManagedBy: r.managedBy } : {}),
  };
}

export function DescribeRule(input: DescribeRuleRequest, ctx: RequestContext) {
  const r = getRule(ctx, input.Name, input.EventBusName);
  return { ...describe(r), CreatedBy: r.account };
}

export function DeleteRule(input: DeleteRuleRequest, ctx: RequestContext) {
  const bus = resolveBus(ctx, input.EventBusName);
  const store = storeFor(ctx);
  const key = ruleKey(bus.account, bus.region, bus.name, input.Name);
  const r = store.rules.get(key);
  if (!r) return {};
  if (r.targets.length) throw validation('Rule can\'t be deleted since it has targets.');
  store.rules.delete(key);
  store.ruleTimers.get(r.arn)?.cancel();
  store.ruleTimers.delete(r.arn);
  return {};
}

function setState(input: EnableRuleRequest, ctx: RequestContext, state: string) {
  const r = getRule(ctx, input.Name, input.EventBusName);
  const store = storeFor(ctx);
  const next = { ...r, state };
  store.rules.put(ruleKey(r.account, r.region, r.bus, r.name), next);
  armRule(store, next);
  return {};
}

export const EnableRule = (input: EnableRuleRequest, ctx: RequestContext) => setState(input, ctx, 'ENABLED');
export const DisableRule = (input: DisableRuleRequest, ctx: RequestContext) => setState(input, ctx, 'DISABLED');

function paged<T>(all: T[], token: string | undefined, limit = 100) {
  const start = token ? Number(token) : 0;
  if (!Number.isInteger(start) || start < 0) throw validation('The nextToken provided is invalid.');
  return { page: all.slice(start, start + limit), next: start + limit < all.length ? String(start + limit) : undefined };
}

export function ListRules(input: ListRulesRequest, ctx: RequestContext) {
  const bus = resolveBus(ctx, input.EventBusName);
  const all = [...storeFor(ctx).rules.entries({ prefix: `${bus.account}/${bus.region}/${bus.name}/` })].map(([, r]) => r)
    .filter((r) => !input.NamePrefix || r.name.startsWith(input.NamePrefix));
  const { page, next } = paged(all, input.NextToken, input.Limit);
  return { Rules: page.map(describe), ...(next ? { NextToken: next } : {}) };
}

export function ListRuleNamesByTarget(input: ListRuleNamesByTargetRequest, ctx: RequestContext) {
  const bus = resolveBus(ctx, input.EventBusName);
  const all = [...storeFor(ctx).rules.entries({ prefix: `${bus.account}/${bus.region}/${bus.name}/` })].map(([, r]) => r)
    .filter((r) => r.targets.some((t) => t.Arn === input.TargetArn)).map((r) => r.name);
  const { page, next } = paged(all, input.NextToken, input.Limit);
  return { RuleNames: page, ...(next ? { NextToken: next } : {}) };
}

const TARGET_ARN = /^arn:aws[a-z-]*:(sqs|sns|lambda|events|logs|kinesis|firehose|states|ecs|batch|ssm|codebuild|codepipeline|redshift|sagemaker|apigateway|execute-api|inspector):[a-z0-9-]*:\d{12}:.+$/;

function checkTarget(t: Target): void {
  if (!TARGET_ARN.test(t.Arn)) throw validation(`Parameter ${t.Arn} is not valid. Reason: Provided Arn is not in correct format.`);
  const given = [t.Input !== undefined, t.InputPath !== undefined, t.InputTransformer !== undefined].filter(Boolean).length;
  if (given > 1) throw validation('Only one of Input, InputPath, or InputTransformer must be provided.');
  if (t.Input !== undefined) {
    try {
      JSON.parse(t.Input);
    } catch {
      throw validation('Target Input must be valid JSON text.');
    }
  }
  if (t.InputPath !== undefined) checkPath(t.InputPath, 'InputPath');
  if (t.InputTransformer) checkTransformer(t.InputTransformer);
  if (t.Arn.startsWith('arn:aws:sqs:') && t.Arn.endsWith('.fifo') && !t.SqsParameters?.MessageGroupId) {
    throw validation('Parameter(s) SqsParameters must be specified for target: ' + t.Id + '.');
  }
  if (t.RetryPolicy?.MaximumEventAgeInSeconds !== undefined && (t.RetryPolicy.MaximumEventAgeInSeconds < 60 || t.RetryPolicy.MaximumEventAgeInSeconds > 86_400)) {
    throw validation('MaximumEventAgeInSeconds must be between 60 and 86400.');
  }
  if (t.RetryPolicy?.MaximumRetryAttempts !== undefined && (t.RetryPolicy.MaximumRetryAttempts < 0 || t.RetryPolicy.MaximumRetryAttempts > 185)) {
    throw validation('MaximumRetryAttempts must be between 0 and 185.');
  }
  if (t.DeadLetterConfig?.Arn && !/^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:.+$/.test(t.DeadLetterConfig.Arn)) {
    throw validation('DeadLetterConfig Arn must be an SQS queue ARN.');
  }
}

export function PutTargets(input: PutTargetsRequest, ctx: RequestContext) {
  const r = getRule(ctx, input.Rule, input.EventBusName);
  const targets = [...r.targets];
  const FailedEntries: Array<{ TargetId: string; ErrorCode: string; ErrorMessage: string }> = [];
  for (const t of input.Targets) {
    checkTarget(t);
    const i = targets.findIndex((x) => x.Id === t.Id);
    if (i >= 0) targets[i] = t;
    else if (targets.length >= 5) FailedEntries.push({ TargetId: t.Id, ErrorCode: 'LimitExceededException', ErrorMessage: 'The requested resource exceeds the maximum number allowed.' });
    else targets.push(t);
  }
  storeFor(ctx).rules.put(ruleKey(r.account, r.region, r.bus, r.name), { ...r, targets });
  return { FailedEntryCount: FailedEntries.length, FailedEntries };
}

export function RemoveTargets(input: RemoveTargetsRequest, ctx: RequestContext) {
  const r = getRule(ctx, input.Rule, input.EventBusName);
  const ids = new Set(input.Ids);
  storeFor(ctx).rules.put(ruleKey(r.account, r.region, r.bus, r.name), { ...r, targets: r.targets.filter((t) => !ids.has(t.Id)) });
  return { FailedEntryCount: 0, FailedEntries: [] };
}

export function ListTargetsByRule(input: ListTargetsByRuleRequest, ctx: RequestContext) {
  const r = getRule(ctx, input.Rule, input.EventBusName);
  const { page, next } = paged(r.targets, input.NextToken, input.Limit);
  return { Targets: page, ...(next ? { NextToken: next } : {}) };
}

export function TestEventPattern(input: TestEventPatternRequest) {
  const pattern = compiled(input.EventPattern);
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(input.Event);
  } catch {
    throw validation('Parameter Event is not valid.');
  }
  for (const f of ['id', 'account', 'source', 'time', 'region', 'detail-type']) {
    if (!(f in event)) throw validation(`Parameter Event is not valid. Reason: Provided Event is missing required field ${f}.`);
  }
  return { Result: matchPattern(pattern, event) };
}

/** (Re)arms the timer of a scheduled rule; disabled and pattern rules have none. */
export function armRule(store: EventsStore, r: RuleRecord): void {
  store.ruleTimers.get(r.arn)?.cancel();
  store.ruleTimers.delete(r.arn);
  if (!r.scheduleExpression || r.state !== 'ENABLED') return;
  const schedule = parseSchedule(r.scheduleExpression);
  const now = store.rt.clock.now();
  const at = nextFire(schedule, now, r.created);
  if (at === undefined) return;
  store.ruleTimers.set(r.arn, store.rt.scheduler.at(at, () => {
    const current = store.rules.get(ruleKey(r.account, r.region, r.bus, r.name));
    if (!current) return;
    const time = store.rt.clock.now();
    routeToTargets(store, current, {
      version: '0', id: store.rt.ids.uuid(), 'detail-type': 'Scheduled Event', source: 'aws.events', account: r.account,
      time: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'), region: r.region, resources: [r.arn], detail: {},
    });
    armRule(store, current);
  }));
}
