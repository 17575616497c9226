import type {
  AssociateKmsKeyRequest, CreateLogGroupRequest, DeleteLogGroupRequest, DeleteRetentionPolicyRequest, DescribeLogGroupsRequest,
  DescribeLogGroupsResponse, DisassociateKmsKeyRequest, ListLogGroupsRequest, ListLogGroupsResponse, LogGroup,
  PutLogGroupDeletionProtectionRequest, PutRetentionPolicyRequest,
} from '../../generated/logs.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { alreadyExists, groupNotFound, invalidParameter } from './errors.ts';
import { groupArn, groupNameOf, identifierToName, page } from './names.ts';
import type { GroupRecord } from './records.ts';
import { scopeOf, storeFor, type Scope } from './store.ts';
import { mergeTags } from './tags.ts';

const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const CLASSES = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'];

export function groupOf(scope: Scope, name: string): GroupRecord {
  const g = scope.groups.get(name);
  if (!g) throw groupNotFound();
  return g;
}

export function newGroup(name: string, now: number, input: Partial<CreateLogGroupRequest> = {}): GroupRecord {
  const g: GroupRecord = { name, created: now, cls: input.logGroupClass ?? 'STANDARD', tags: mergeTags({}, input.tags), storedBytes: 0 };
  if (input.kmsKeyId !== undefined) g.kmsKeyId = input.kmsKeyId;
  if (input.deletionProtectionEnabled) g.deletionProtection = true;
  // AWS gives DELIVERY-class groups a fixed two-day retention.
  if (g.cls === 'DELIVERY') g.retention = 2;
  return g;
}

export function CreateLogGroup(input: CreateLogGroupRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  if (input.logGroupClass !== undefined && !CLASSES.includes(input.logGroupClass)) {
    throw invalidParameter(`1 validation error detected: Value '${input.logGroupClass}' at 'logGroupClass' failed to satisfy constraint: Member must satisfy enum value set: [${CLASSES.join(', ')}]`);
  }
  if (scope.groups.has(input.logGroupName)) throw alreadyExists('The specified log group already exists');
  const g = newGroup(input.logGroupName, ctx.clock.now(), input);
  scope.groups.put(g.name, g);
  if (g.retention !== undefined) storeFor(ctx).sweep(scope, g.name);
  return {};
}

export function DeleteLogGroup(input: DeleteLogGroupRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const g = groupOf(scope, input.logGroupName);
  if (g.deletionProtection) {
    throw new AwsError('ValidationException', 'Cannot delete log group with deletion protection enabled. Disable deletion protection first.');
  }
  deleteGroup(ctx, scope, g.name);
  return {};
}

export function deleteGroup(ctx: RequestContext, scope: Scope, name: string): void {
  const prefix = `${name}:`;
  for (const t of [scope.events, scope.streams, scope.metricFilters, scope.subscriptions] as const) {
    for (const k of [...t.keys({ prefix })]) t.delete(k);
  }
  scope.groups.delete(name);
  storeFor(ctx).forget(scope, name);
}

export function describeGroup(scope: Scope, g: GroupRecord): LogGroup {
  const arn = groupArn(scope, g.name);
  let metricFilterCount = 0;
  for (const _ of scope.metricFilters.keys({ prefix: `${g.name}:` })) metricFilterCount++;
  const out: LogGroup = {
    logGroupName: g.name,
    creationTime: g.created,
    metricFilterCount,
    arn: `${arn}:*`,
    storedBytes: g.storedBytes,
    logGroupClass: g.cls as LogGroup['logGroupClass'],
    logGroupArn: arn,
    deletionProtectionEnabled: g.deletionProtection ?? false,
  };
  if (g.retention !== undefined) out.retentionInDays = g.retention;
  if (g.kmsKeyId !== undefined) out.kmsKeyId = g.kmsKeyId;
  return out;
}

export function DescribeLogGroups(input: DescribeLogGroupsRequest, ctx: RequestContext): DescribeLogGroupsResponse {
  const scope = scopeOf(ctx);
  if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined) {
    throw invalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
  }
  const ids = input.logGroupIdentifiers?.map(identifierToName);
  const pattern = input.logGroupNamePattern?.toLowerCase();
  const groups: LogGroup[] = [];
  for (const [, g] of scope.groups.entries(input.logGroupNamePrefix ? { prefix: input.logGroupNamePrefix } : undefined)) {
    if (pattern !== undefined && !g.name.toLowerCase().includes(pattern)) continue;
    if (ids && !ids.includes(g.name)) continue;
    if (input.logGroupClass !== undefined && g.cls !== input.logGroupClass) continue;
    groups.push(describeGroup(scope, g));
  }
  const p = page(groups, input.limit, 50, input.nextToken);
  return p.nextToken ? { logGroups: p.items, nextToken: p.nextToken } : { logGroups: p.items };
}

export function ListLogGroups(input: ListLogGroupsRequest, ctx: RequestContext): ListLogGroupsResponse {
  const scope = scopeOf(ctx);
  const pattern = input.logGroupNamePattern;
  const re = pattern ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') : undefined;
  const groups = [...scope.groups.entries()].map(([, g]) => g)
    .filter((g) => (!re || re.test(g.name)) && (input.logGroupClass === undefined || g.cls === input.logGroupClass))
    .map((g) => ({ logGroupName: g.name, logGroupArn: groupArn(scope, g.name), logGroupClass: g.cls as LogGroup['logGroupClass'] }));
  const p = page(groups, input.limit, 1000, input.nextToken);
  return p.nextToken ? { logGroups: p.items, nextToken: p.nextToken } : { logGroups: p.items };
}

export function PutRetentionPolicy(input: PutRetentionPolicyRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  if (!RETENTION_DAYS.includes(input.retentionInDays)) {
    throw invalidParameter(`1 validation error detected: Value '${input.retentionInDays}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`);
  }
  const g = groupOf(scope, input.logGroupName);
  if (g.cls === 'DELIVERY') throw invalidParameter('Retention policy cannot be changed for log groups of the DELIVERY class.');
  scope.groups.put(g.name, { ...g, retention: input.retentionInDays });
  storeFor(ctx).sweep(scope, g.name);
  return {};
}

export function DeleteRetentionPolicy(input: DeleteRetentionPolicyRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const g = groupOf(scope, input.logGroupName);
  const { retention: _, ...rest } = g;
  scope.groups.put(g.name, rest);
  storeFor(ctx).forget(scope, g.name);
  return {};
}

export function AssociateKmsKey(input: AssociateKmsKeyRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  if (input.logGroupName === undefined) throw invalidParameter('Should provide logGroupName.');
  const g = groupOf(scope, input.logGroupName);
  scope.groups.put(g.name, { ...g, kmsKeyId: input.kmsKeyId });
  return {};
}

export function DisassociateKmsKey(input: DisassociateKmsKeyRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  if (input.logGroupName === undefined) throw invalidParameter('Should provide logGroupName.');
  const g = groupOf(scope, input.logGroupName);
  const { kmsKeyId: _, ...rest } = g;
  scope.groups.put(g.name, rest);
  return {};
}

export function PutLogGroupDeletionProtection(input: PutLogGroupDeletionProtectionRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const name = identifierToName(input.logGroupIdentifier);
  const g = groupOf(scope, name);
  scope.groups.put(g.name, { ...g, deletionProtection: input.deletionProtectionEnabled });
  return {};
}
