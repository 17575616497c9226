import type {
  ListTagsForResourceRequest, ListTagsLogGroupRequest, TagLogGroupRequest, TagResourceRequest, UntagLogGroupRequest, UntagResourceRequest,
} from '../../generated/logs.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { invalidParameter, notFound } from './errors.ts';
import { groupOf } from './groups.ts';
import { scopeOf, type Scope } from './store.ts';

/** Tags of log groups (by name or ARN) and destinations (by ARN). */

const MAX_TAGS = 50;

export function mergeTags(existing: Record<string, string>, add: Record<string, string> | undefined): Record<string, string> {
  const merged = { ...existing, ...(add ?? {}) };
  if (Object.keys(merged).length > MAX_TAGS) throw new AwsError('TooManyTagsException', `A resource can have no more than ${MAX_TAGS} tags.`);
  return merged;
}

function without(tags: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([k]) => !keys.includes(k)));
}

interface Taggable {
  tags(): Record<string, string>;
  set(tags: Record<string, string>): void;
}

function resource(scope: Scope, arn: string): Taggable {
  const m = /^arn:[^:]+:logs:([^:]*):(\d{12}):(log-group|destination):([^:]+)(:\*)?$/.exec(arn);
  if (!m) throw invalidParameter(`Invalid resource arn: ${arn}`);
  if (m[1] !== scope.region || m[2] !== scope.account) throw notFound(`The specified resource does not exist.`);
  const name = m[4]!;
  if (m[3] === 'log-group') {
    const g = scope.groups.get(name);
    if (!g) throw notFound('The specified log group does not exist.');
    return { tags: () => g.tags, set: (tags) => scope.groups.put(name, { ...g, tags }) };
  }
  const d = scope.destinations.get(name);
  if (!d) throw notFound('The specified destination does not exist.');
  return { tags: () => d.tags, set: (tags) => scope.destinations.put(name, { ...d, tags }) };
}

export function TagResource(input: TagResourceRequest, ctx: RequestContext) {
  const r = resource(scopeOf(ctx), input.resourceArn);
  r.set(mergeTags(r.tags(), input.tags));
  return {};
}

export function UntagResource(input: UntagResourceRequest, ctx: RequestContext) {
  const r = resource(scopeOf(ctx), input.resourceArn);
  r.set(without(r.tags(), input.tagKeys));
  return {};
}

export function ListTagsForResource(input: ListTagsForResourceRequest, ctx: RequestContext) {
  return { tags: resource(scopeOf(ctx), input.resourceArn).tags() };
}

export function TagLogGroup(input: TagLogGroupRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const g = groupOf(scope, input.logGroupName);
  scope.groups.put(g.name, { ...g, tags: mergeTags(g.tags, input.tags) });
  return {};
}

export function UntagLogGroup(input: UntagLogGroupRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const g = groupOf(scope, input.logGroupName);
  scope.groups.put(g.name, { ...g, tags: without(g.tags, input.tags) });
  return {};
}

export function ListTagsLogGroup(input: ListTagsLogGroupRequest, ctx: RequestContext) {
  return { tags: groupOf(scopeOf(ctx), input.logGroupName).tags };
}
