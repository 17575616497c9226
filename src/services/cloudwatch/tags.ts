import type { ListTagsForResourceInput, TagResourceInput, UntagResourceInput } from '../../generated/cloudwatch.ts';
import type { RequestContext } from '../framework/define.ts';
import { tagsToMap } from './alarms.ts';
import { badParameter, notFound } from './errors.ts';
import { scopeOf, type Scope } from './store.ts';

/** Tags of alarms (`arn:...:alarm:<name>`) and dashboards (`arn:...::<account>:dashboard/<name>`). */

interface Taggable {
  tags: Record<string, string>;
  set(tags: Record<string, string>): void;
}

function resource(scope: Scope, arn: string): Taggable {
  const alarm = /^arn:[^:]+:cloudwatch:([^:]*):(\d{12}):alarm:(.+)$/.exec(arn);
  if (alarm) {
    const a = alarm[1] === scope.region && alarm[2] === scope.account ? scope.alarms.get(alarm[3]!) : undefined;
    if (!a) throw notFound(`Alarm ${alarm[3]} not found`);
    return { tags: a.tags, set: (tags) => scope.alarms.put(a.name, { ...a, tags }) };
  }
  const dash = /^arn:[^:]+:cloudwatch::(\d{12}):dashboard\/(.+)$/.exec(arn);
  if (dash) {
    const d = dash[1] === scope.account ? scope.dashboards.get(dash[2]!) : undefined;
    if (!d) throw notFound(`Dashboard ${dash[2]} not found`);
    return { tags: d.tags, set: (tags) => scope.dashboards.put(d.name, { ...d, tags }) };
  }
  throw badParameter(arn, 'ResourceARN');
}

export function TagResource(input: TagResourceInput, ctx: RequestContext) {
  const r = resource(scopeOf(ctx), input.ResourceARN);
  r.set(tagsToMap(input.Tags, r.tags));
  return {};
}

export function UntagResource(input: UntagResourceInput, ctx: RequestContext) {
  const r = resource(scopeOf(ctx), input.ResourceARN);
  r.set(Object.fromEntries(Object.entries(r.tags).filter(([k]) => !input.TagKeys.includes(k))));
  return {};
}

export function ListTagsForResource(input: ListTagsForResourceInput, ctx: RequestContext) {
  const r = resource(scopeOf(ctx), input.ResourceARN);
  return { Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })) };
}
