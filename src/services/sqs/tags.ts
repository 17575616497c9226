import type { RequestContext } from '../framework/define.ts';
import type { ListQueueTagsRequest, ListQueueTagsResult, TagQueueRequest, UntagQueueRequest } from '../../generated/sqs.ts';
import { invalidParameterValue, missingParameter } from './errors.ts';
import { queueOf } from './context.ts';

const MAX_TAGS = 50;

/** Checks a tag map as SQS does: at most 50 per queue, keys 1-128 and values up to 256 characters. */
export function checkTags(tags: Record<string, string>, queueName: string, existing: Record<string, string> = {}): Record<string, string> {
  const merged = { ...existing };
  for (const [k, v] of Object.entries(tags)) {
    if (k.length === 0 || k.length > 128) throw invalidParameterValue(`Tag key must be between 1 and 128 characters long.`);
    if (typeof v !== 'string' || v.length > 256) throw invalidParameterValue(`Tag value must be at most 256 characters long.`);
    merged[k] = v;
  }
  if (Object.keys(merged).length > MAX_TAGS) throw invalidParameterValue(`Too many tags added for queue ${queueName}.`);
  return merged;
}

export function TagQueue(input: TagQueueRequest, ctx: RequestContext): Record<string, never> {
  const { q } = queueOf(ctx, input.QueueUrl);
  if (!input.Tags || Object.keys(input.Tags).length === 0) throw missingParameter('Tags');
  q.setRecord({ ...q.rec, tags: checkTags(input.Tags, q.rec.name, q.rec.tags) });
  return {};
}

export function UntagQueue(input: UntagQueueRequest, ctx: RequestContext): Record<string, never> {
  const { q } = queueOf(ctx, input.QueueUrl);
  if (!input.TagKeys || input.TagKeys.length === 0) throw missingParameter('TagKeys');
  const tags = { ...q.rec.tags };
  for (const k of input.TagKeys) delete tags[k];
  q.setRecord({ ...q.rec, tags });
  return {};
}

export function ListQueueTags(input: ListQueueTagsRequest, ctx: RequestContext): ListQueueTagsResult {
  const { q } = queueOf(ctx, input.QueueUrl);
  return Object.keys(q.rec.tags).length > 0 ? { Tags: { ...q.rec.tags } } : {};
}
