import type { Tag, TagResourceRequest, UntagResourceRequest } from '../../generated/secretsmanager.ts';
import type { RequestContext } from '../framework/define.ts';
import { invalidParameter, validation } from './errors.ts';
import { liveSecret, secrets } from './names.ts';

const MAX_TAGS = 50;

export function checkTags(tags: Tag[]): { Key: string; Value: string }[] {
  const out = new Map<string, string>();
  for (const t of tags) {
    if (t.Key === undefined || t.Key.length === 0) throw invalidParameter('Tag keys must not be empty.');
    if (t.Key.startsWith('aws:')) throw validation('Tag keys prefixed with aws: are reserved for AWS use.');
    out.set(t.Key, t.Value ?? '');
  }
  if (out.size > MAX_TAGS) throw validation(`A secret can have at most ${MAX_TAGS} tags.`);
  return [...out].map(([Key, Value]) => ({ Key, Value }));
}

export function TagResource(input: TagResourceRequest, ctx: RequestContext): Record<string, never> {
  const s = liveSecret(ctx, input.SecretId);
  secrets(ctx).put(s.name, { ...s, tags: checkTags([...s.tags, ...input.Tags]) });
  return {};
}

export function UntagResource(input: UntagResourceRequest, ctx: RequestContext): Record<string, never> {
  const s = liveSecret(ctx, input.SecretId);
  const drop = new Set(input.TagKeys);
  secrets(ctx).put(s.name, { ...s, tags: s.tags.filter((t) => !drop.has(t.Key)) });
  return {};
}
