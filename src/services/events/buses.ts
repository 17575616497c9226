import type {
  CreateEventBusRequest, DeleteEventBusRequest, DescribeEventBusRequest, ListEventBusesRequest, PutPermissionRequest,
  RemovePermissionRequest, UpdateEventBusRequest,
} from '../../generated/events.ts';
import type { RequestContext } from '../framework/define.ts';
import { alreadyExists, notFound, validation } from './errors.ts';
import { busArn, storeFor, type BusRecord } from './store.ts';

type Scope = { clock: RequestContext['clock']; account: string; region: string };

/** The bus a name or ARN denotes; `default` exists in every account and region. */
export function resolveBus(ctx: Scope, nameOrArn: string | undefined): BusRecord {
  let name = nameOrArn || 'default';
  let account = ctx.account;
  let region = ctx.region;
  const m = /^arn:aws[a-z-]*:events:([a-z0-9-]+):(\d{12}):event-bus\/(.+)$/.exec(name);
  if (m) [region, account, name] = [m[1]!, m[2]!, m[3]!];
  const arn = busArn(account, region, name);
  const rec = storeFor(ctx).buses.get(arn);
  if (rec) return rec;
  if (name === 'default') return { arn, name, account, region, created: 0, tags: {} };
  throw notFound(`Event bus ${name} does not exist.`);
}

function describe(b: BusRecord) {
  return {
    Name: b.name, Arn: b.arn, ...(b.description !== undefined ? { Description: b.description } : {}),
    ...(b.policy ? { Policy: b.policy } : {}), ...(b.kmsKey ? { KmsKeyIdentifier: b.kmsKey } : {}),
    ...(b.deadLetterArn ? { DeadLetterConfig: { Arn: b.deadLetterArn } } : {}),
    ...(b.created ? { CreationTime: new Date(b.created), LastModifiedTime: new Date(b.created) } : {}),
  };
}

export function CreateEventBus(input: CreateEventBusRequest, ctx: RequestContext) {
  const name = input.Name;
  if (name === 'default') throw validation('Event bus name default is reserved.');
  if (name.startsWith('aws.partner/') && !input.EventSourceName) throw validation('Event source name must be specified for partner event buses.');
  if (!name.startsWith('aws.partner/') && name.includes('/')) throw validation(`Event bus name ${name} is not valid.`);
  const arn = busArn(ctx.account, ctx.region, name);
  const store = storeFor(ctx);
  if (store.buses.has(arn)) throw alreadyExists(`Event bus ${name} already exists.`);
  store.buses.put(arn, {
    arn, name, account: ctx.account, region: ctx.region, created: ctx.clock.now(),
    tags: Object.fromEntries((input.Tags ?? []).map((t) => [t.Key, t.Value])),
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(input.DeadLetterConfig?.Arn ? { deadLetterArn: input.DeadLetterConfig.Arn } : {}),
    ...(input.KmsKeyIdentifier ? { kmsKey: input.KmsKeyIdentifier } : {}),
  });
  return { EventBusArn: arn, ...(input.Description !== undefined ? { Description: input.Description } : {}) };
}

export function UpdateEventBus(input: UpdateEventBusRequest, ctx: RequestContext) {
  const b = resolveBus(ctx, input.Name);
  const next: BusRecord = {
    ...b, created: b.created || ctx.clock.now(),
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(input.DeadLetterConfig?.Arn ? { deadLetterArn: input.DeadLetterConfig.Arn } : {}),
    ...(input.KmsKeyIdentifier ? { kmsKey: input.KmsKeyIdentifier } : {}),
  };
  storeFor(ctx).buses.put(b.arn, next);
  return { Arn: b.arn, Name: b.name, ...(next.description !== undefined ? { Description: next.description } : {}) };
}

export function DeleteEventBus(input: DeleteEventBusRequest, ctx: RequestContext) {
  if (input.Name === 'default') throw validation('Cannot delete event bus default.');
  const store = storeFor(ctx);
  const arn = busArn(ctx.account, ctx.region, input.Name);
  const prefix = `${ctx.account}/${ctx.region}/${input.Name}/`;
  for (const k of [...store.rules.keys({ prefix })]) store.rules.delete(k);
  store.buses.delete(arn);
  return {};
}

export function DescribeEventBus(input: DescribeEventBusRequest, ctx: RequestContext) {
  return describe(resolveBus(ctx, input.Name));
}

export function ListEventBuses(input: ListEventBusesRequest, ctx: RequestContext) {
  const prefix = busArn(ctx.account, ctx.region, '');
  const all = [resolveBus(ctx, 'default'), ...[...storeFor(ctx).buses.entries({ prefix })].map(([, b]) => b).filter((b) => b.name !== 'default')]
    .filter((b) => !input.NamePrefix || b.name.startsWith(input.NamePrefix));
  const start = input.NextToken ? Number(input.NextToken) : 0;
  const limit = input.Limit ?? 100;
  const page = all.slice(start, start + limit);
  return { EventBuses: page.map(describe), ...(start + limit < all.length ? { NextToken: String(start + limit) } : {}) };
}

export function PutPermission(input: PutPermissionRequest, ctx: RequestContext) {
  const b = resolveBus(ctx, input.EventBusName);
  let policy: { Version: string; Statement: Array<Record<string, unknown>> };
  if (input.Policy) {
    try {
      policy = JSON.parse(input.Policy);
    } catch {
      throw validation('Policy is not valid JSON.');
    }
  } else {
    if (!input.StatementId || !input.Principal) throw validation('Parameter StatementId and Principal are required.');
    policy = b.policy ? JSON.parse(b.policy) : { Version: '2012-10-17', Statement: [] };
    policy.Statement = policy.Statement.filter((s) => s.Sid !== input.StatementId);
    policy.Statement.push({
      Sid: input.StatementId, Effect: 'Allow',
      Principal: input.Principal === '*' ? '*' : { AWS: `arn:aws:iam::${input.Principal}:root` },
      Action: input.Action ?? 'events:PutEvents', Resource: b.arn,
      ...(input.Condition ? { Condition: { StringEquals: { [input.Condition.Key]: input.Condition.Value } } } : {}),
    });
  }
  storeFor(ctx).buses.put(b.arn, { ...b, created: b.created || ctx.clock.now(), policy: JSON.stringify(policy) });
  return {};
}

export function RemovePermission(input: RemovePermissionRequest, ctx: RequestContext) {
  const b = resolveBus(ctx, input.EventBusName);
  if (input.RemoveAllPermissions || !b.policy) {
    storeFor(ctx).buses.put(b.arn, { ...b, policy: undefined });
    return {};
  }
  const policy = JSON.parse(b.policy);
  const before = policy.Statement.length;
  policy.Statement = policy.Statement.filter((s: { Sid?: string }) => s.Sid !== input.StatementId);
  if (policy.Statement.length === before) throw notFound('Statement with the provided id does not exist.');
  storeFor(ctx).buses.put(b.arn, { ...b, policy: JSON.stringify(policy) });
  return {};
}
