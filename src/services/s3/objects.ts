/** Objects: put (streamed, checksummed, conditional), get / head (ranges, parts, conditions), delete, batch delete. */
import type { Readable } from 'node:stream';
import type {
  DeleteObjectOutput, DeleteObjectRequest, DeleteObjectsOutput, DeleteObjectsRequest, GetObjectOutput, GetObjectRequest,
  HeadObjectOutput, HeadObjectRequest, PutObjectOutput, PutObjectRequest,
} from '../../generated/s3.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { grantsFromHeaders } from './acl.ts';
import { bytesInMemory, checkContentMd5, checkPayloadHash, collect, ingest, payloadHash, readAll, readRange, SMALL_BODY } from './bodies.ts';
import { checksumMembers, checksumRequest, verifyChecksum } from './checksums.ts';
import { checkReadConditions, checkWriteConditions, etagMatches } from './conditions.ts';
import { entityTooLarge, invalidRequest, malformedXml, missingContentLength, noSuchKey, notImplemented, preconditionFailed } from './errors.ts';
import { expirationOf } from './lifecycle.ts';
import { notifyObject } from './notify.ts';
import { checkDeletable, defaultLock } from './object-lock.ts';
import {
  archived, checkCustomerKey, checkKey, contentHeaders, invalidObjectState, lockFor, objectMembers, sseFor, sseMembers, storageClass,
} from './object-headers.ts';
import { parseRange } from './range.ts';
import { currentObject, getBucket, release, type BucketRecord, type ObjectRecord, type StoredChecksum } from './store.ts';
import { parseTaggingHeader } from './tagging.ts';
import { checkVersionId, commitVersion, deleteMarkerDraft, findObject, lookup, removeVersion, shownVersionId, type Draft } from './versioning.ts';

export const MAX_PUT_SIZE = 5 * 1024 ** 3;

/** The size a write declares: the decoded length of aws-chunked bodies, else Content-Length. */
export function declaredLength(headers: Readonly<Record<string, string>>): number {
  const chunked = (headers['content-encoding'] ?? '').toLowerCase().includes('aws-chunked') || (headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
  const raw = chunked ? headers['x-amz-decoded-content-length'] : headers['content-length'];
  if (raw === undefined || !/^\d+$/.test(raw.trim())) throw missingContentLength();
  return Number(raw);
}

export async function PutObject(input: PutObjectRequest, ctx: RequestContext): Promise<PutObjectOutput> {
  let bucket = getBucket(ctx, input.Bucket);
  checkKey(input.Key);
  const headers = ctx.rawRequest?.headers ?? {};
  if (input.WriteOffsetBytes !== undefined) throw notImplemented('x-amz-write-offset-bytes (appends are for directory buckets)');
  const declared = declaredLength(headers);
  if (declared > MAX_PUT_SIZE) throw entityTooLarge(declared, MAX_PUT_SIZE);
  const base = writeAttributes(ctx, bucket, input);
  const cks = checksumRequest(input as unknown as Record<string, unknown>, headers);
  checkContentMd5(input.ContentMD5, undefined);
  const conditional = input.IfMatch !== undefined || input.IfNoneMatch !== undefined;
  if (conditional) checkWriteConditions(input.Key, currentObject(ctx.state, bucket.name, input.Key), input.IfMatch, input.IfNoneMatch);
  const expectedSha = payloadHash(headers);
  const got = await ingest(ctx.state, input.Body, {
    algorithms: cks.algorithm ? [cks.algorithm] : [], maxSize: MAX_PUT_SIZE, sha256: expectedSha !== undefined, expected: declared,
  });
  let checksum: StoredChecksum | undefined;
  let current: ObjectRecord | undefined;
  try {
    checkPayloadHash(expectedSha, got);
    checkContentMd5(input.ContentMD5, got.md5);
    const value = verifyChecksum(cks, got.checksums, ctx.trailers);
    if (value !== undefined) checksum = { algorithm: cks.algorithm!, value, type: 'FULL_OBJECT' };
    // The body took time to arrive: the bucket and the key may have changed meanwhile.
    bucket = getBucket(ctx, input.Bucket);
    current = currentObject(ctx.state, bucket.name, input.Key);
    checkWriteConditions(input.Key, current, input.IfMatch, input.IfNoneMatch);
  } catch (err) {
    release(ctx.state, [got.blob]);
    throw err;
  }
  const draft: Draft = { ...base, size: got.size, etag: `"${got.md5.toString('hex')}"`, segments: [got.blob], checksum };
  const rec = commitVersion(ctx.state, ctx.ids, bucket, draft, { current });
  notifyObject(ctx, bucket, 'ObjectCreated:Put', rec);
  const out: PutObjectOutput = { ETag: rec.etag, VersionId: bucket.versioning ? shownVersionId(bucket, rec) : undefined, Expiration: expirationOf(ctx.state, bucket, rec) };
  if (checksum) Object.assign(out, checksumMembers(checksum));
  return Object.assign(out, sseMembers(rec.sse));
}

interface WriteInput {
  Key: string;
  ContentType?: string;
  ContentEncoding?: string;
  ContentDisposition?: string;
  ContentLanguage?: string;
  CacheControl?: string;
  Expires?: string;
  WebsiteRedirectLocation?: string;
  Metadata?: Record<string, string>;
  StorageClass?: string;
  Tagging?: string;
  ACL?: string;
  GrantFullControl?: string;
  GrantRead?: string;
  GrantReadACP?: string;
  GrantWriteACP?: string;
  ServerSideEncryption?: string;
  SSEKMSKeyId?: string;
  SSEKMSEncryptionContext?: string;
  BucketKeyEnabled?: boolean;
  SSECustomerAlgorithm?: string;
  SSECustomerKey?: string;
  SSECustomerKeyMD5?: string;
  ObjectLockMode?: string;
  ObjectLockRetainUntilDate?: Date;
  ObjectLockLegalHoldStatus?: string;
}

/** Everything a new version takes from the request's headers (checked before the body is read). */
export function writeAttributes(ctx: RequestContext, bucket: BucketRecord, input: WriteInput): Omit<Draft, 'size' | 'etag' | 'segments'> {
  const now = ctx.clock.now();
  const draft: Omit<Draft, 'size' | 'etag' | 'segments'> = {
    key: input.Key,
    lastModified: now,
    owner: ctx.account,
    headers: contentHeaders(input),
    storageClass: storageClass(input.StorageClass),
    sse: sseFor(ctx, bucket, input),
  };
  if (input.Tagging !== undefined && input.Tagging !== '') draft.tags = parseTaggingHeader(input.Tagging);
  const acl = grantsFromHeaders(input, ctx.account, bucket);
  if (acl) draft.acl = acl;
  const lock = lockFor(bucket, input, defaultLock(ctx, bucket, now));
  if (lock) draft.lock = lock;
  return draft;
}

export async function GetObject(input: GetObjectRequest, ctx: RequestContext): Promise<GetObjectOutput> {
  const out = read(input, ctx, false);
  // A small body goes out in one write with its headers, which a stream cannot do.
  if (out.ContentLength! <= SMALL_BODY && !Buffer.isBuffer(out.Body)) out.Body = await collect(out.Body as Readable);
  return out;
}

export function HeadObject(input: HeadObjectRequest, ctx: RequestContext): HeadObjectOutput {
  return read(input, ctx, true) as HeadObjectOutput;
}

function read(input: GetObjectRequest, ctx: RequestContext, head: boolean): GetObjectOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const { record: rec } = findObject(ctx, bucket, input.Key, input.VersionId, head ? 'HEAD' : 'GET');
  const now = ctx.clock.now();
  checkCustomerKey(rec.sse, input);
  if (!head && archived(rec, now)) throw invalidObjectState(rec);
  checkReadConditions(rec, input, now);
  const out = objectMembers(bucket, rec, { checksumMode: input.ChecksumMode === 'ENABLED', tagCount: !head, expiration: expirationOf(ctx.state, bucket, rec) });
  if (input.PartNumber !== undefined && input.Range !== undefined) throw invalidRequest('Cannot specify both Range header and partNumber query parameter');
  let range: { start: number; end: number } | undefined;
  if (input.PartNumber !== undefined) {
    range = partRange(rec, input.PartNumber);
    const partsCount = rec.parts?.length;
    if (partsCount !== undefined) {
      out.PartsCount = partsCount;
      if (out.ChecksumType === 'COMPOSITE') {
        const algorithm = rec.checksum!.algorithm;
        (out as Record<string, unknown>)[`Checksum${algorithm}`] = rec.parts![input.PartNumber - 1]!.checksum;
      }
    }
  } else {
    range = parseRange(input.Range, rec.size);
  }
  if (range) {
    out.StatusCode = 206;
    out.ContentRange = `bytes ${range.start}-${range.end}/${rec.size}`;
    out.ContentLength = range.end - range.start + 1;
    // A checksum covers the whole object (or part), not an arbitrary range.
    if (input.PartNumber === undefined) for (const k of Object.keys(checksumMembers(rec.checksum))) delete (out as Record<string, unknown>)[k];
  }
  if (input.ResponseContentType !== undefined) out.ContentType = input.ResponseContentType;
  if (input.ResponseContentLanguage !== undefined) out.ContentLanguage = input.ResponseContentLanguage;
  if (input.ResponseContentDisposition !== undefined) out.ContentDisposition = input.ResponseContentDisposition;
  if (input.ResponseContentEncoding !== undefined) out.ContentEncoding = input.ResponseContentEncoding;
  if (input.ResponseCacheControl !== undefined) out.CacheControl = input.ResponseCacheControl;
  if (input.ResponseExpires !== undefined) out.Expires = input.ResponseExpires.toUTCString();
  if (!head) {
    const start = range?.start ?? 0;
    const end = range?.end ?? rec.size - 1;
    out.Body = bytesInMemory(ctx.state, rec.segments, start, end)
      ?? (range ? readRange(ctx.state, rec.segments, start, end) : readAll(ctx.state, rec.segments, rec.size));
  }
  return out;
}

/** The byte range of part `n` (an object that was not uploaded in parts is one part). */
function partRange(rec: ObjectRecord, n: number): { start: number; end: number } {
  const sizes = rec.parts ? rec.parts.map((p) => p.size) : [rec.size];
  if (!Number.isInteger(n) || n < 1 || n > 10000) {
    throw new AwsError('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', 400, { ArgumentName: 'partNumber', ArgumentValue: String(n) });
  }
  if (n > sizes.length) {
    throw new AwsError('InvalidPartNumber', 'The requested partnumber is not satisfiable', 416, { PartNumberRequested: n, ActualPartCount: sizes.length });
  }
  let start = 0;
  for (let i = 0; i < n - 1; i++) start += sizes[i]!;
  return { start, end: start + sizes[n - 1]! - 1 };
}

interface DeleteOptions {
  ifMatch?: string;
  ifMatchLastModified?: Date;
  ifMatchSize?: number;
  bypassGovernance?: boolean;
}

interface DeleteResult {
  DeleteMarker?: boolean;
  VersionId?: string;
}

/** Deletes one key or version with S3's versioning semantics. */
function deleteOne(ctx: RequestContext, bucket: BucketRecord, key: string, versionId: string | undefined, opts: DeleteOptions): DeleteResult {
  const now = ctx.clock.now();
  if (versionId !== undefined) {
    checkVersionId(versionId);
    const found = lookup(ctx.state, bucket.name, key, versionId);
    if (!found) return { VersionId: versionId };
    if (!found.record.deleteMarker) checkDeletable(found.record, opts.bypassGovernance === true, now);
    removeVersion(ctx.state, bucket.name, found);
    notifyObject(ctx, bucket, 'ObjectRemoved:Delete', found.record);
    return { VersionId: versionId, DeleteMarker: found.record.deleteMarker ? true : undefined };
  }
  const current = currentObject(ctx.state, bucket.name, key);
  const live = current && !current.deleteMarker ? current : undefined;
  if (opts.ifMatch !== undefined || opts.ifMatchLastModified !== undefined || opts.ifMatchSize !== undefined) {
    if (!live) throw noSuchKey(key);
    if (opts.ifMatch !== undefined && !etagMatches(opts.ifMatch, live.etag)) throw preconditionFailed('If-Match');
    if (opts.ifMatchLastModified !== undefined && Math.floor(live.lastModified / 1000) !== Math.floor(opts.ifMatchLastModified.getTime() / 1000)) {
      throw preconditionFailed('x-amz-if-match-last-modified-time');
    }
    if (opts.ifMatchSize !== undefined && live.size !== opts.ifMatchSize) throw preconditionFailed('x-amz-if-match-size');
  }
  if (!bucket.versioning) {
    if (current) {
      removeVersion(ctx.state, bucket.name, { record: current, current: true });
      notifyObject(ctx, bucket, 'ObjectRemoved:Delete', current);
    }
    return {};
  }
  const marker = commitVersion(ctx.state, ctx.ids, bucket, deleteMarkerDraft(key, ctx.account, now));
  notifyObject(ctx, bucket, 'ObjectRemoved:DeleteMarkerCreated', marker);
  return { DeleteMarker: true, VersionId: shownVersionId(bucket, marker) };
}

export function DeleteObject(input: DeleteObjectRequest, ctx: RequestContext): DeleteObjectOutput {
  const bucket = getBucket(ctx, input.Bucket);
  return deleteOne(ctx, bucket, input.Key, input.VersionId, {
    ifMatch: input.IfMatch,
    ifMatchLastModified: input.IfMatchLastModifiedTime,
    ifMatchSize: input.IfMatchSize,
    bypassGovernance: input.BypassGovernanceRetention,
  });
}

export function DeleteObjects(input: DeleteObjectsRequest, ctx: RequestContext): DeleteObjectsOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const headers = ctx.rawRequest?.headers ?? {};
  const hasChecksum = Object.keys(headers).some((h) => h === 'content-md5' || h.startsWith('x-amz-checksum-') && h !== 'x-amz-checksum-type' && h !== 'x-amz-checksum-algorithm');
  if (!hasChecksum) throw invalidRequest('Missing required header for this request: Content-MD5');
  const objects = input.Delete?.Objects;
  if (!objects || objects.length === 0 || objects.length > 1000) throw malformedXml();
  const deleted: NonNullable<DeleteObjectsOutput['Deleted']> = [];
  const errors: NonNullable<DeleteObjectsOutput['Errors']> = [];
  for (const o of objects) {
    if (o.Key === undefined) throw malformedXml();
    try {
      const r = deleteOne(ctx, bucket, o.Key, o.VersionId, { ifMatch: o.ETag, ifMatchLastModified: o.LastModifiedTime, ifMatchSize: o.Size, bypassGovernance: input.BypassGovernanceRetention });
      if (input.Delete.Quiet) continue;
      if (o.VersionId !== undefined) {
        deleted.push({ Key: o.Key, VersionId: o.VersionId, DeleteMarker: r.DeleteMarker, DeleteMarkerVersionId: r.DeleteMarker ? o.VersionId : undefined });
      } else if (r.DeleteMarker) {
        deleted.push({ Key: o.Key, DeleteMarker: true, DeleteMarkerVersionId: r.VersionId });
      } else {
        deleted.push({ Key: o.Key });
      }
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      errors.push({ Key: o.Key, VersionId: o.VersionId, Code: err.code, Message: err.message });
    }
  }
  return { Deleted: deleted.length ? deleted : undefined, Errors: errors.length ? errors : undefined };
}
