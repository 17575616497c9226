import type {
  DeleteDestinationRequest, DeleteResourcePolicyRequest, DescribeDestinationsRequest, DescribeResourcePoliciesRequest, Destination,
  PutDestinationPolicyRequest, PutDestinationRequest, PutResourcePolicyRequest, ResourcePolicy,
} from '../../generated/logs.ts';
import type { RequestContext } from '../framework/define.ts';
import { invalidParameter, limitExceeded, notFound } from './errors.ts';
import { page } from './names.ts';
import type { DestinationRecord, PolicyRecord } from './records.ts';
import { scopeOf, type Scope } from './store.ts';
import { mergeTags } from './tags.ts';

/** Account-level resource policies and cross-account destinations: stored and described. */

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
