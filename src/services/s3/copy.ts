/**
 * CopyObject and the copy source shared with UploadPartCopy: `x-amz-copy-source` parsing,
 * source conditions, metadata and tagging directives, copies onto themselves. A copy shares
 * the source's blobs (reference counted) instead of duplicating bytes.
 */
import type { CopyObjectOutput, CopyObjectRequest } from '../../generated/s3.ts';
import { percentDecode } from '../../protocol/rest-bindings.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { readAll } from './bodies.ts';
import { checksumMembers, isCrc, fullObjectCrc, parseAlgorithm, running, type Algorithm } from './checksums.ts';
import { checkCopySourceConditions, checkWriteConditions, type CopySourceConditions } from './conditions.ts';
import { invalidArgument, invalidRequest, noSuchKey, noSuchVersion } from './errors.ts';
import { expirationOf } from './lifecycle.ts';
import { notifyObject } from './notify.ts';
import { archived, checkKey, contentHeaders, customerKey, sseMembers } from './object-headers.ts';
import { writeAttributes } from './objects.ts';
import { currentObject, getBucket, type BucketRecord, type ObjectRecord, type StoredChecksum } from './store.ts';
import { parseTaggingHeader } from './tagging.ts';
import { checkVersionId, commitVersion, lookup, shownVersionId, type Draft } from './versioning.ts';

export interface CopySource {
  bucket: BucketRecord;
  record: ObjectRecord;
  /** The version id to report as x-amz-copy-source-version-id (versioned source buckets). */
  versionId?: string;
}

interface SourceInput extends CopySourceConditions {
  CopySource: string;
  CopySourceSSECustomerAlgorithm?: string;
  CopySourceSSECustomerKey?: string;
  CopySourceSSECustomerKeyMD5?: string;
}

function badSource(raw: string): AwsError {
  return invalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 'x-amz-copy-source', raw);
}

/** `[/]bucket/key[?versionId=id]`, URL-encoded. */
function parseCopySource(raw: string): { bucket: string; key: string; versionId?: string } {
  let s = raw.startsWith('/') ? raw.slice(1) : raw;
  let versionId: string | undefined;
  const q = s.indexOf('?');
  if (q >= 0) {
    const params = new URLSearchParams(s.slice(q + 1));
    versionId = params.get('versionId') ?? undefined;
    s = s.slice(0, q);
  }
  const slash = s.indexOf('/');
  if (slash <= 0 || slash === s.length - 1) throw badSource(raw);
  return { bucket: percentDecode(s.slice(0, slash)), key: percentDecode(s.slice(slash + 1)), versionId };
}

/** The version a copy reads, after its conditions and (SSE-C) key are checked. */
export function resolveCopySource(ctx: RequestContext, input: SourceInput): CopySource {
  const src = parseCopySource(input.CopySource);
  const bucket = getBucket(ctx, src.bucket);
  checkVersionId(src.versionId);
  const found = lookup(ctx.state, bucket.name, src.key, src.versionId);
  if (!found) throw src.versionId === undefined ? noSuchKey(src.key) : noSuchVersion(src.key, src.versionId);
  const rec = found.record;
  if (rec.deleteMarker) {
    if (src.versionId !== undefined) throw invalidRequest('The source of a copy request may not specifically refer to a delete marker by version id.');
    throw noSuchKey(src.key);
  }
  const now = ctx.clock.now();
  if (archived(rec, now)) {
    throw new AwsError('ObjectNotInActiveTierError', 'The source object of the COPY operation is not in the active tier and is only stored in Amazon Glacier.', 403);
  }
  const given = customerKey(input.CopySourceSSECustomerAlgorithm, input.CopySourceSSECustomerKey, input.CopySourceSSECustomerKeyMD5, 'x-amz-copy-source-server-side-encryption-customer');
  if (rec.sse?.customerKeyMd5 !== undefined && given !== rec.sse.customerKeyMd5) {
    if (given === undefined) throw invalidRequest('The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.');
    throw new AwsError('AccessDenied', 'Access Denied', 403);
  }
  checkCopySourceConditions(rec, input, now);
  return { bucket, record: rec, versionId: bucket.versioning ? shownVersionId(bucket, rec) : undefined };
}

/** The destination's checksum: the source's when it fits, else computed (CRCs of parts combined, or read). */
async function copiedChecksum(ctx: RequestContext, rec: ObjectRecord, requested: Algorithm | undefined): Promise<StoredChecksum | undefined> {
  const algorithm = requested ?? (rec.checksum?.algorithm as Algorithm | undefined);
  if (!algorithm) return undefined;
  if (rec.checksum?.algorithm === algorithm && rec.checksum.type === 'FULL_OBJECT') return rec.checksum;
  if (rec.checksum?.algorithm === algorithm && isCrc(algorithm) && rec.parts?.every((p) => p.checksum !== undefined)) {
    const parts = rec.parts.map((p) => ({ value: p.checksum!, size: p.size }));
    return { algorithm, value: fullObjectCrc(algorithm, parts), type: 'FULL_OBJECT' };
  }
  const r = running(algorithm);
  for await (const chunk of readAll(ctx.state, rec.segments, rec.size)) r.update(chunk as Uint8Array);
  return { algorithm, value: r.digest().toString('base64'), type: 'FULL_OBJECT' };
}

export async function CopyObject(input: CopyObjectRequest, ctx: RequestContext): Promise<CopyObjectOutput> {
  const bucket = getBucket(ctx, input.Bucket);
  checkKey(input.Key);
  const directive = input.MetadataDirective ?? 'COPY';
  if (directive !== 'COPY' && directive !== 'REPLACE') throw invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  const tagging = input.TaggingDirective ?? 'COPY';
  if (tagging !== 'COPY' && tagging !== 'REPLACE') throw invalidArgument('Unknown tagging directive.', 'x-amz-tagging-directive', tagging);
  const source = resolveCopySource(ctx, input);
  const src = source.record;
  const requested = parseAlgorithm(input.ChecksumAlgorithm);
  const sameObject = source.bucket.name === bucket.name && src.key === input.Key && lookup(ctx.state, bucket.name, input.Key, undefined)?.record === src;
  const changesSomething = directive === 'REPLACE' || input.StorageClass !== undefined || input.WebsiteRedirectLocation !== undefined ||
    input.ServerSideEncryption !== undefined || input.SSECustomerAlgorithm !== undefined || input.SSEKMSKeyId !== undefined || requested !== undefined;
  if (sameObject && !changesSomething) {
    throw invalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
  }
  checkWriteConditions(input.Key, currentObject(ctx.state, bucket.name, input.Key), input.IfMatch, input.IfNoneMatch);
  const attrs = writeAttributes(ctx, bucket, { ...input, Tagging: undefined });
  if (directive === 'COPY') {
    attrs.headers = { ...src.headers };
    if (input.WebsiteRedirectLocation !== undefined) attrs.headers.websiteRedirect = contentHeaders(input).websiteRedirect;
  }
  if (tagging === 'REPLACE') {
    if (input.Tagging) attrs.tags = parseTaggingHeader(input.Tagging);
  } else if (src.tags) {
    attrs.tags = src.tags;
  }
  const checksum = await copiedChecksum(ctx, src, requested);
  // The source may have been deleted while its checksum was computed; its blobs must still be live.
  const still = lookup(ctx.state, source.bucket.name, src.key, src.versionId ?? 'null');
  if (!still || still.record.segments !== src.segments) throw noSuchKey(src.key);
  const draft: Draft = { ...attrs, size: src.size, etag: src.etag, segments: src.segments, parts: src.parts, checksum };
  const target = getBucket(ctx, input.Bucket);
  const rec = commitVersion(ctx.state, ctx.ids, target, draft);
  notifyObject(ctx, target, 'ObjectCreated:Copy', rec);
  return {
    CopyObjectResult: { ETag: rec.etag, LastModified: new Date(rec.lastModified), ...(checksumMembers(checksum) as object) },
    VersionId: target.versioning ? shownVersionId(target, rec) : undefined,
    CopySourceVersionId: source.versionId,
    Expiration: expirationOf(ctx.state, target, rec),
    ...(sseMembers(rec.sse) as Partial<CopyObjectOutput>),
  };
}
