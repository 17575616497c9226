import type { ListTagsForResourceInput, TagResourceInput, UntagResourceInput } from '../../generated/scheduler.ts';
import type { RequestContext } from '../framework/define.ts';
import { notFound } from './errors.ts';
import { groupKey, storeFor, type GroupRecord } from './store.ts';

/** Only schedule groups carry tags in Scheduler. */
function group(ctx: RequestContext, arn: string): { key: string; g: GroupRecord } {
  const m = /^arn:aws[a-z-]*:scheduler:([a-z0-9-]+):(\d{12}):schedule-group\/(.+)$/.exec(arn);
  const key = m ? groupKey(m[2]!, m[1]!, m[3]!) : '';
  const g = m ? storeFor(ctx).groups.get(key) : undefined;
  if (!g) throw notFound(`Resource ${arn} does not exist.`);
  return { key, g };
}

export function TagResource(input: TagResourceInput, ctx: RequestContext) {
  const { key, g } = group(ctx, input.ResourceArn);
  storeFor(ctx).groups.put(key, { ...g, tags: { ...g.tags, ...Object.fromEntries(input.Tags.map((t) => [t.Key, t.Value])) } });
  return {};
}

export function UntagResource(input: UntagResourceInput, ctx: RequestContext) {
  const { key, g } = group(ctx, input.ResourceArn);
  const tags = { ...g.tags };
  for (const k of input.TagKeys) delete tags[k];
  storeFor(ctx).groups.put(key, { ...g, tags });
  return {};
}

export function ListTagsForResource(input: ListTagsForResourceInput, ctx: RequestContext) {
  return { Tags: Object.entries(group(ctx, input.ResourceArn).g.tags).map(([Key, Value]) => ({ Key, Value })) };
}
