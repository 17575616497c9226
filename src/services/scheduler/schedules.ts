import type {
  CreateScheduleInput, DeleteScheduleInput, GetScheduleInput, ListSchedulesInput, UpdateScheduleInput,
} from '../../generated/scheduler.ts';
import { parseSchedule, ScheduleError, validTimeZone } from '../../events/schedule.ts';
import type { RequestContext } from '../framework/define.ts';
import { conflict, notFound, validation } from './errors.ts';
import { arm, disarm } from './firing.ts';
import { getGroup } from './groups.ts';
import { scheduleKey, storeFor, type ScheduleRecord } from './store.ts';

const TARGET_ARN = /^arn:aws[a-z-]*:(sqs|sns|lambda|events|kinesis|firehose|states|ecs|sagemaker|scheduler):[a-z0-9-]*:\d{0,12}:.+$/;

function check(input: CreateScheduleInput): void {
  try {
    parseSchedule(input.ScheduleExpression, true);
  } catch (err) {
    if (err instanceof ScheduleError) throw validation(`Invalid Schedule Expression ${input.ScheduleExpression}.`);
    throw err;
  }
  if (input.ScheduleExpressionTimezone && !validTimeZone(input.ScheduleExpressionTimezone)) {
    throw validation(`Invalid time zone: ${input.ScheduleExpressionTimezone}.`);
  }
  const w = input.FlexibleTimeWindow;
  if (w?.Mode === 'FLEXIBLE' && (w.MaximumWindowInMinutes === undefined || w.MaximumWindowInMinutes < 1 || w.MaximumWindowInMinutes > 1440)) {
    throw validation('MaximumWindowInMinutes must be between 1 and 1440 when Mode is FLEXIBLE.');
  }
  if (w?.Mode === 'OFF' && w.MaximumWindowInMinutes !== undefined) throw validation('MaximumWindowInMinutes is not allowed when Mode is OFF.');
  if (input.StartDate && input.EndDate && new Date(input.StartDate) >= new Date(input.EndDate)) {
    throw validation('The StartDate must come before the EndDate.');
  }
  if (!TARGET_ARN.test(input.Target.Arn)) throw validation(`Invalid target arn ${input.Target.Arn}.`);
  if (input.Target.Arn.split(':')[2] === 'sqs' && input.Target.Arn.endsWith('.fifo') && !input.Target.SqsParameters?.MessageGroupId) {
    throw validation('SqsParameters.MessageGroupId is required for FIFO queue targets.');
  }
  if (input.Target.Arn.split(':')[2] === 'events' && !input.Target.EventBridgeParameters) {
    throw validation('EventBridgeParameters is required for EventBridge targets.');
  }
  const r = input.Target.RetryPolicy;
  if (r?.MaximumRetryAttempts !== undefined && (r.MaximumRetryAttempts < 0 || r.MaximumRetryAttempts > 185)) throw validation('MaximumRetryAttempts must be between 0 and 185.');
  if (r?.MaximumEventAgeInSeconds !== undefined && (r.MaximumEventAgeInSeconds < 60 || r.MaximumEventAgeInSeconds > 86_400)) throw validation('MaximumEventAgeInSeconds must be between 60 and 86400.');
}

function build(input: CreateScheduleInput, ctx: RequestContext, old?: ScheduleRecord): ScheduleRecord {
  const group = getGroup(ctx, input.GroupName);
  const now = ctx.clock.now();
  return {
    arn: `arn:aws:scheduler:${ctx.region}:${ctx.account}:schedule/${group.name}/${input.Name}`, name: input.Name, group: group.name,
    account: ctx.account, region: ctx.region, created: old?.created ?? now, modified: now, expression: input.ScheduleExpression,
    timezone: input.ScheduleExpressionTimezone ?? 'UTC', state: input.State ?? 'ENABLED', window: { ...input.FlexibleTimeWindow },
    target: input.Target, afterCompletion: input.ActionAfterCompletion ?? 'NONE',
    ...(input.StartDate ? { start: new Date(input.StartDate).getTime() } : {}), ...(input.EndDate ? { end: new Date(input.EndDate).getTime() } : {}),
    ...(input.Description !== undefined ? { description: input.Description } : {}), ...(input.KmsKeyArn ? { kmsKeyArn: input.KmsKeyArn } : {}),
  };
}

export function CreateSchedule(input: CreateScheduleInput, ctx: RequestContext) {
  check(input);
  const store = storeFor(ctx);
  const group = getGroup(ctx, input.GroupName);
  const key = scheduleKey(ctx.account, ctx.region, group.name, input.Name);
  if (store.schedules.has(key)) throw conflict(`Schedule ${input.Name} already exists.`);
  const rec = build(input, ctx);
  store.schedules.put(key, rec);
  arm(store, rec);
  return { ScheduleArn: rec.arn };
}

function getSchedule(ctx: RequestContext, name: string, groupName?: string): ScheduleRecord {
  const group = getGroup(ctx, groupName);
  const s = storeFor(ctx).schedules.get(scheduleKey(ctx.account, ctx.region, group.name, name));
  if (!s) throw notFound(`Schedule ${name} does not exist.`);
  return s;
}

export function UpdateSchedule(input: UpdateScheduleInput, ctx: RequestContext) {
  const old = getSchedule(ctx, input.Name, input.GroupName);
  check(input);
  const rec = build(input, ctx, old);
  const store = storeFor(ctx);
  store.schedules.put(scheduleKey(rec.account, rec.region, rec.group, rec.name), rec);
  arm(store, rec);
  return { ScheduleArn: rec.arn };
}

export function GetSchedule(input: GetScheduleInput, ctx: RequestContext) {
  const s = getSchedule(ctx, input.Name, input.GroupName);
  return {
    Arn: s.arn, Name: s.name, GroupName: s.group, ScheduleExpression: s.expression, ScheduleExpressionTimezone: s.timezone, State: s.state,
    FlexibleTimeWindow: s.window, Target: s.target, ActionAfterCompletion: s.afterCompletion,
    CreationDate: new Date(s.created), LastModificationDate: new Date(s.modified),
    ...(s.start !== undefined ? { StartDate: new Date(s.start) } : {}), ...(s.end !== undefined ? { EndDate: new Date(s.end) } : {}),
    ...(s.description !== undefined ? { Description: s.description } : {}), ...(s.kmsKeyArn ? { KmsKeyArn: s.kmsKeyArn } : {}),
  };
}

export function DeleteSchedule(input: DeleteScheduleInput, ctx: RequestContext) {
  const s = getSchedule(ctx, input.Name, input.GroupName);
  const store = storeFor(ctx);
  disarm(store, s.arn);
  store.schedules.delete(scheduleKey(s.account, s.region, s.group, s.name));
  return {};
}

export function ListSchedules(input: ListSchedulesInput, ctx: RequestContext) {
  const prefix = input.GroupName ? `${ctx.account}/${ctx.region}/${getGroup(ctx, input.GroupName).name}/` : `${ctx.account}/${ctx.region}/`;
  const all = [...storeFor(ctx).schedules.entries({ prefix })].map(([, s]) => s)
    .filter((s) => (!input.NamePrefix || s.name.startsWith(input.NamePrefix)) && (!input.State || s.state === input.State));
  const start = input.NextToken ? Number(input.NextToken) : 0;
  const max = input.MaxResults ?? 100;
  return {
    Schedules: all.slice(start, start + max).map((s) => ({
      Arn: s.arn, Name: s.name, GroupName: s.group, State: s.state, Target: { Arn: s.target.Arn },
      CreationDate: new Date(s.created), LastModificationDate: new Date(s.modified),
    })),
    ...(start + max < all.length ? { NextToken: String(start + max) } : {}),
  };
}
