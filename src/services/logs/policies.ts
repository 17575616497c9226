import type {
  CancelExportTaskRequest, CreateExportTaskRequest, DeleteDestinationRequest, DeleteResourcePolicyRequest, DescribeDestinationsRequest,
  DescribeExportTasksRequest, DescribeResourcePoliciesRequest, Destination, ExportTask, PutDestinationPolicyRequest, PutDestinationRequest,
  PutResourcePolicyRequest, ResourcePolicy,
} from '../../generated/logs.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { invalidParameter, limitExceeded, notFound } from './errors.ts';
import { groupOf } from './groups.ts';
import { page } from './names.ts';
import type { DestinationRecord, ExportRecord, PolicyRecord } from './records.ts';
import { scopeOf, type Scope } from './store.ts';
import { mergeTags } from './tags.ts';

/** Account-level resource policies, cross-account destinations and export tasks: stored and described. */

const MAX_POLICIES = 10;

function checkJson(document: string): void {
  try {
    JSON.parse(document);
  } catch {
    throw invalidParameter('Policy document must be valid JSON.');
  }
}

function describePolicy(p: PolicyRecord): ResourcePolicy {
  return { policyName: p.name, policyDocument: p.document, lastUpdatedTime: p.updated, policyScope: 'ACCOUNT' };
}

export function PutResourcePolicy(input: PutResourcePolicyRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  if (input.policyName === undefined || input.policyDocument === undefined) throw invalidParameter('policyName and policyDocument are required.');
  checkJson(input.policyDocument);
  if (!scope.policies.has(input.policyName) && scope.policies.size >= MAX_POLICIES) {
    throw limitExceeded('Resource limit exceeded.');
  }
  const rec: PolicyRecord = { name: input.policyName, document: input.policyDocument, updated: ctx.clock.now() };
  scope.policies.put(rec.name, rec);
  return { resourcePolicy: describePolicy(rec) };
}

export function DescribeResourcePolicies(input: DescribeResourcePoliciesRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const p = page([...scope.policies.entries()].map(([, r]) => describePolicy(r)), input.limit, 50, input.nextToken);
  return p.nextToken ? { resourcePolicies: p.items, nextToken: p.nextToken } : { resourcePolicies: p.items };
}

export function DeleteResourcePolicy(input: DeleteResourcePolicyRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const name = input.policyName ?? '';
  if (!scope.policies.delete(name)) throw notFound(`Policy with name [${name}] does not exist`);
  return {};
}

function destinationArn(scope: Scope, name: string): string {
  return `arn:aws:logs:${scope.region}:${scope.account}:destination:${name}`;
}

function describeDestination(scope: Scope, d: DestinationRecord): Destination {
  const out: Destination = { destinationName: d.name, targetArn: d.targetArn, roleArn: d.roleArn, arn: destinationArn(scope, d.name), creationTime: d.created };
  if (d.accessPolicy !== undefined) out.accessPolicy = d.accessPolicy;
  return out;
}

export function PutDestination(input: PutDestinationRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  if (!/^arn:[^:]+:(kinesis|firehose|lambda|logs):/.test(input.targetArn)) throw invalidParameter(`Invalid targetArn: ${input.targetArn}`);
  const existing = scope.destinations.get(input.destinationName);
  const rec: DestinationRecord = {
    ...(existing ?? { created: ctx.clock.now(), tags: {} }),
    name: input.destinationName, targetArn: input.targetArn, roleArn: input.roleArn,
  };
  if (input.tags) rec.tags = mergeTags(rec.tags, input.tags);
  scope.destinations.put(rec.name, rec);
  return { destination: describeDestination(scope, rec) };
}

export function PutDestinationPolicy(input: PutDestinationPolicyRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const d = scope.destinations.get(input.destinationName);
  if (!d) throw notFound('The specified destination does not exist.');
  checkJson(input.accessPolicy);
  scope.destinations.put(d.name, { ...d, accessPolicy: input.accessPolicy });
  return {};
}

export function DescribeDestinations(input: DescribeDestinationsRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const all = [...scope.destinations.entries({ prefix: input.DestinationNamePrefix ?? '' })].map(([, d]) => describeDestination(scope, d));
  const p = page(all, input.limit, 50, input.nextToken);
  return p.nextToken ? { destinations: p.items, nextToken: p.nextToken } : { destinations: p.items };
}

export function DeleteDestination(input: DeleteDestinationRequest, ctx: RequestContext) {
  if (!scopeOf(ctx).destinations.delete(input.destinationName)) throw notFound('The specified destination does not exist.');
  return {};
}

function describeExport(e: ExportRecord): ExportTask {
  const out: ExportTask = {
    taskId: e.id, logGroupName: e.group, from: e.from, to: e.to, destination: e.destination, destinationPrefix: e.destinationPrefix,
    status: { code: e.status as NonNullable<ExportTask['status']>['code'], ...(e.message ? { message: e.message } : {}) },
    executionInfo: { creationTime: e.created, ...(e.completed !== undefined ? { completionTime: e.completed } : {}) },
  };
  if (e.name !== undefined) out.taskName = e.name;
  return out;
}

/**
 * Export tasks are recorded but not run: kumo's S3 has no internal API to write objects
 * through yet, so a task stays PENDING until cancelled.
 */
export function CreateExportTask(input: CreateExportTaskRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  groupOf(scope, input.logGroupName);
  if (input.from > input.to) throw invalidParameter('The value of parameter "from" must be less than or equal to the value of parameter "to".');
  for (const [, e] of scope.exports.entries()) {
    if (e.status === 'PENDING' || e.status === 'RUNNING') throw limitExceeded('Resource limit exceeded.');
  }
  const rec: ExportRecord = {
    id: ctx.ids.uuid(), group: input.logGroupName, from: input.from, to: input.to, destination: input.destination,
    destinationPrefix: input.destinationPrefix ?? 'exportedlogs', status: 'PENDING', created: ctx.clock.now(),
  };
  if (input.taskName !== undefined) rec.name = input.taskName;
  if (input.logStreamNamePrefix !== undefined) rec.streamPrefix = input.logStreamNamePrefix;
  scope.exports.put(rec.id, rec);
  return { taskId: rec.id };
}

export function DescribeExportTasks(input: DescribeExportTasksRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const all = [...scope.exports.entries()].map(([, e]) => e)
    .filter((e) => (input.taskId === undefined || e.id === input.taskId) && (input.statusCode === undefined || e.status === input.statusCode))
    .sort((a, b) => b.created - a.created)
    .map(describeExport);
  const p = page(all, input.limit, 50, input.nextToken);
  return p.nextToken ? { exportTasks: p.items, nextToken: p.nextToken } : { exportTasks: p.items };
}

export function CancelExportTask(input: CancelExportTaskRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const e = scope.exports.get(input.taskId);
  if (!e) throw notFound('The specified export task does not exist.');
  if (e.status !== 'PENDING' && e.status !== 'RUNNING') {
    throw new AwsError('InvalidOperationException', `The specified export task has already finished (${e.status}).`);
  }
  scope.exports.put(e.id, { ...e, status: 'CANCELLED', message: 'Cancelled by user', completed: ctx.clock.now() });
  return {};
}
