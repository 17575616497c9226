/** Object and bucket tags: S3's limits and messages, the x-amz-tagging header, tagging operations. */
import type {
  DeleteBucketTaggingRequest, DeleteObjectTaggingOutput, DeleteObjectTaggingRequest, GetBucketTaggingOutput, GetBucketTaggingRequest,
  GetObjectTaggingOutput, GetObjectTaggingRequest, PutBucketTaggingRequest, PutObjectTaggingOutput, PutObjectTaggingRequest, Tag,
} from '../../generated/s3.ts';
import { parseQuery } from '../../protocol/rest-bindings.ts';
import type { RequestContext } from '../framework/define.ts';
import { invalidTag, malformedXml, missingConfig } from './errors.ts';
import { configKey } from './keys.ts';
import { notifyObject } from './notify.ts';
import { getBucket, tables } from './store.ts';
import { findObject, replaceVersion, shownVersionId } from './versioning.ts';

const ALLOWED = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function validateTags(tags: Tag[], max: number): void {
  if (tags.length > max) throw invalidTag(max === 10 ? 'Object tags cannot be greater than 10' : `Bucket tag count cannot be greater than ${max}`);
  const seen = new Set<string>();
  for (const t of tags) {
    if (t.Key === undefined || t.Value === undefined) throw malformedXml();
    if (t.Key.length === 0 || !ALLOWED.test(t.Key)) throw invalidTag('The TagKey you have provided is invalid');
    if (t.Key.length > 128) throw invalidTag('The TagKey you have provided is too long, max 128');
    if (!ALLOWED.test(t.Value)) throw invalidTag('The TagValue you have provided is invalid');
    if (t.Value.length > 256) throw invalidTag('The TagValue you have provided is too long, max 256');
    if (t.Key.toLowerCase().startsWith('aws:')) throw invalidTag('Your TagKey cannot be prefixed with aws:');
    if (seen.has(t.Key)) throw invalidTag('Cannot provide multiple Tags with the same key');
    seen.add(t.Key);
  }
}

/** The x-amz-tagging header: a URL-encoded query string `k1=v1&k2=v2`. */
export function parseTaggingHeader(raw: string): Tag[] {
  const tags: Tag[] = [];
  for (const [key, values] of parseQuery(raw)) {
    if (values.length > 1) throw invalidTag('Cannot provide multiple Tags with the same key');
    tags.push({ Key: key, Value: values[0]! });
  }
  validateTags(tags, 10);
  return tags;
}

export function GetObjectTagging(input: GetObjectTaggingRequest, ctx: RequestContext): GetObjectTaggingOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const { record } = findObject(ctx, bucket, input.Key, input.VersionId, 'GET');
  return { VersionId: shownVersionId(bucket, record), TagSet: record.tags ?? [] };
}

export function PutObjectTagging(input: PutObjectTaggingRequest, ctx: RequestContext): PutObjectTaggingOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const tags = input.Tagging?.TagSet;
  if (!tags) throw malformedXml();
  validateTags(tags, 10);
  const found = findObject(ctx, bucket, input.Key, input.VersionId, 'PUT');
  const updated = { ...found.record, tags: tags.map((t) => ({ Key: t.Key, Value: t.Value })) };
  replaceVersion(ctx.state, bucket.name, found, updated);
  notifyObject(ctx, bucket, 'ObjectTagging:Put', updated);
  return { VersionId: shownVersionId(bucket, found.record) };
}

export function DeleteObjectTagging(input: DeleteObjectTaggingRequest, ctx: RequestContext): DeleteObjectTaggingOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const found = findObject(ctx, bucket, input.Key, input.VersionId, 'DELETE');
  const { tags: _dropped, ...rest } = found.record;
  replaceVersion(ctx.state, bucket.name, found, rest);
  notifyObject(ctx, bucket, 'ObjectTagging:Delete', rest);
  return { VersionId: shownVersionId(bucket, found.record) };
}

export function GetBucketTagging(input: GetBucketTaggingRequest, ctx: RequestContext): GetBucketTaggingOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const stored = tables.configs(ctx.state).get(configKey(bucket.name, 'tagging')) as GetBucketTaggingOutput | undefined;
  if (!stored) throw missingConfig('NoSuchTagSet', 'The TagSet does not exist', bucket.name);
  return stored;
}

export function PutBucketTagging(input: PutBucketTaggingRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  const tags = input.Tagging?.TagSet;
  if (!tags) throw malformedXml();
  validateTags(tags, 50);
  tables.configs(ctx.state).put(configKey(bucket.name, 'tagging'), { TagSet: tags.map((t) => ({ Key: t.Key, Value: t.Value })) });
  return {};
}

export function DeleteBucketTagging(input: DeleteBucketTaggingRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  tables.configs(ctx.state).delete(configKey(bucket.name, 'tagging'));
  return {};
}
