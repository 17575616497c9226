import type { ListResourceTagsRequest, ListResourceTagsResponse, Tag, TagResourceRequest, UntagResourceRequest } from '../../generated/kms.ts';
import type { RequestContext } from '../framework/define.ts';
import { pendingDeletion, tagError } from './errors.ts';
import { page } from './paging.ts';
import type { TagEntry } from './records.ts';
import { findKey, putKey, requestScope } from './scope.ts';

const MAX_TAGS = 50;

/** Tags as stored: one per key, the last value given for a key winning. */
export function checkTags(tags: Tag[]): TagEntry[] {
  const out = new Map<string, string>();
  for (const t of tags) {
    if (t.TagKey.startsWith('aws:')) throw tagError('Tags beginning with aws: are reserved');
    out.set(t.TagKey, t.TagValue);
  }
  if (out.size > MAX_TAGS) throw tagError(`Too many tags: a key may have at most ${MAX_TAGS}`);
  return [...out].map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
}

export function TagResource(input: TagResourceRequest, ctx: RequestContext): Record<string, never> {
  const scope = requestScope(ctx);
  const key = findKey(scope, input.KeyId, false);
  if (key.state === 'PendingDeletion') throw pendingDeletion(key.arn);
  putKey(scope, { ...key, tags: checkTags([...key.tags, ...input.Tags]) });
  return {};
}

export function UntagResource(input: UntagResourceRequest, ctx: RequestContext): Record<string, never> {
  const scope = requestScope(ctx);
  const key = findKey(scope, input.KeyId, false);
  if (key.state === 'PendingDeletion') throw pendingDeletion(key.arn);
  const drop = new Set(input.TagKeys);
  putKey(scope, { ...key, tags: key.tags.filter((t) => !drop.has(t.TagKey)) });
  return {};
}

export function ListResourceTags(input: ListResourceTagsRequest, ctx: RequestContext): ListResourceTagsResponse {
  const key = findKey(requestScope(ctx), input.KeyId, false);
  const sorted = [...key.tags].sort((a, b) => (a.TagKey < b.TagKey ? -1 : 1));
  const p = page(sorted, (t) => t.TagKey, input.Limit, input.Marker, 50);
  return { Tags: p.items, Truncated: p.Truncated, ...(p.NextMarker ? { NextMarker: p.NextMarker } : {}) };
}
