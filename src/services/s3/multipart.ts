/**
 * Multipart uploads: create, upload part (streamed, checksummed), upload part copy (ranges),
 * list parts and uploads, complete (order, sizes, ETags and checksums checked; the parts' blobs
 * become the object's segments, nothing is copied), abort. Uploads and parts live in tables,
 * so in durable mode an upload in progress survives a restart.
 */
import { createHash } from 'node:crypto';
import type {
  AbortMultipartUploadRequest, CompleteMultipartUploadOutput, CompleteMultipartUploadRequest, CreateMultipartUploadOutput,
  CreateMultipartUploadRequest, ListMultipartUploadsOutput, ListMultipartUploadsRequest, ListPartsOutput, ListPartsRequest,
  MultipartUpload, Part, UploadPartCopyOutput, UploadPartCopyRequest, UploadPartOutput, UploadPartRequest,
} from '../../generated/s3.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import type { ServiceState } from '../../state/types.ts';
import { ownerOf } from './acl.ts';
import { checkContentMd5, checkPayloadHash, ingest, payloadHash, readRange } from './bodies.ts';
import {
  ALGORITHMS, badChecksum, checksumMembers, checksumRequest, compositeChecksum, fullObjectCrc, isCrc, memberName, parseAlgorithm, verifyChecksum,
  type Algorithm,
} from './checksums.ts';
import { checkWriteConditions } from './conditions.ts';
import { resolveCopySource } from './copy.ts';
import { entityTooLarge, invalidArgument, invalidRequest, malformedXml, noSuchUpload, preconditionFailed } from './errors.ts';
import { AFTER_ALL, bucketPrefix, decodeKey, encodeKey, partKey, splitKey, uploadKey } from './keys.ts';
import { expirationOf } from './lifecycle.ts';
import { urlEncode } from './listing.ts';
import { notifyObject } from './notify.ts';
import { checkCustomerKey, checkKey, sseMembers } from './object-headers.ts';
import { declaredLength, writeAttributes } from './objects.ts';
import { parseCopyRange } from './range.ts';
import { currentObject, getBucket, release, retain, tables, type PartInfo, type PartRecord, type StoredChecksum, type UploadRecord } from './store.ts';
import { commitVersion, shownVersionId, type Draft } from './versioning.ts';

const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PART_SIZE = 5 * 1024 ** 3;
const MAX_PARTS = 10000;

function newUploadId(ctx: RequestContext): string {
  // Time first, so that a key's uploads list in the order they were initiated.
  const time = ctx.clock.now().toString(16).padStart(12, '0');
  return time + ctx.ids.base64(36).replace(/\+/g, '-').replace(/\//g, '_');
}

function getUpload(state: ServiceState, bucket: string, key: string, uploadId: string): UploadRecord {
  const upload = tables.uploads(state).get(uploadKey(bucket, key, uploadId));
  if (!upload) throw noSuchUpload(uploadId);
  return upload;
}

function checkPartNumber(n: number | undefined): number {
  if (n === undefined || !Number.isInteger(n) || n < 1 || n > MAX_PARTS) {
    throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', n);
  }
  return n;
}

function* partsOf(state: ServiceState, uploadId: string): Generator<[string, PartRecord]> {
  yield* tables.parts(state).entries({ prefix: `${uploadId}/` });
}

function dropUpload(state: ServiceState, upload: UploadRecord): void {
  const parts = tables.parts(state);
  for (const [k, part] of [...partsOf(state, upload.uploadId)]) {
    parts.delete(k);
    release(state, [part.blob]);
  }
  tables.uploads(state).delete(uploadKey(upload.bucket, upload.key, upload.uploadId));
}

/** Aborts every upload of a bucket (the bucket is being deleted). */
export function abortUploadsOf(state: ServiceState, bucket: string): void {
  for (const [, upload] of [...tables.uploads(state).entries({ prefix: bucketPrefix(bucket) })]) dropUpload(state, upload);
}

/** Lifecycle's AbortIncompleteMultipartUpload. */
export function abortUpload(state: ServiceState, upload: UploadRecord): void {
  dropUpload(state, upload);
}

export function CreateMultipartUpload(input: CreateMultipartUploadRequest, ctx: RequestContext): CreateMultipartUploadOutput {
  const bucket = getBucket(ctx, input.Bucket);
  checkKey(input.Key);
  const algorithm = parseAlgorithm(input.ChecksumAlgorithm);
  let type = input.ChecksumType;
  if (type !== undefined && !algorithm) throw invalidRequest('The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.');
  if (type !== undefined && type !== 'COMPOSITE' && type !== 'FULL_OBJECT') throw invalidArgument('Invalid checksum type', 'x-amz-checksum-type', type);
  if (algorithm) {
    type ??= algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE';
    if ((type === 'FULL_OBJECT' && !isCrc(algorithm)) || (type === 'COMPOSITE' && algorithm === 'CRC64NVME')) {
      throw invalidRequest(`The ${type} checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`);
    }
  }
  const attrs = writeAttributes(ctx, bucket, input);
  const upload: UploadRecord = {
    bucket: bucket.name,
    key: input.Key,
    uploadId: newUploadId(ctx),
    initiated: attrs.lastModified,
    owner: ctx.account,
    headers: attrs.headers,
    storageClass: attrs.storageClass,
    tags: attrs.tags,
    sse: attrs.sse,
    acl: attrs.acl,
    lock: attrs.lock,
    checksumAlgorithm: algorithm,
    checksumType: algorithm ? type : undefined,
  };
  tables.uploads(ctx.state).put(uploadKey(bucket.name, input.Key, upload.uploadId), upload);
  return {
    Bucket: bucket.name,
    Key: input.Key,
    UploadId: upload.uploadId,
    ChecksumAlgorithm: algorithm,
    ChecksumType: upload.checksumType,
    ...(sseMembers(upload.sse) as Partial<CreateMultipartUploadOutput>),
  };
}

/** Stores a part, replacing (and releasing) any earlier part with its number. */
function storePart(state: ServiceState, upload: UploadRecord, part: PartRecord): void {
  const parts = tables.parts(state);
  const key = partKey(upload.uploadId, part.partNumber);
  const old = parts.get(key);
  parts.put(key, part);
  retain(state, [part.blob]);
  if (old) release(state, [old.blob]);
}

/** The upload's checksum of a part, for the response. */
function partChecksum(upload: UploadRecord, part: PartRecord): Record<string, string> {
  const a = upload.checksumAlgorithm;
  if (a) return { [memberName(a)]: part.checksums[a]! };
  const [given] = Object.entries(part.checksums);
  return given ? { [memberName(given[0])]: given[1] } : {};
}

function checkSameAlgorithm(upload: UploadRecord, given: Algorithm | undefined): void {
  const expected = upload.checksumAlgorithm;
  if (expected && given && given !== expected) {
    throw invalidRequest(`Checksum Type mismatch occurred, expected checksum Type: ${expected.toLowerCase()}, actual checksum Type: ${given.toLowerCase()}`);
  }
}

export async function UploadPart(input: UploadPartRequest, ctx: RequestContext): Promise<UploadPartOutput> {
  const bucket = getBucket(ctx, input.Bucket);
  const partNumber = checkPartNumber(input.PartNumber);
  const upload = getUpload(ctx.state, bucket.name, input.Key, input.UploadId);
  const headers = ctx.rawRequest?.headers ?? {};
  const declared = declaredLength(headers);
  if (declared > MAX_PART_SIZE) throw entityTooLarge(declared, MAX_PART_SIZE);
  checkCustomerKey(upload.sse, input);
  const cks = checksumRequest(input as unknown as Record<string, unknown>, headers);
  checkSameAlgorithm(upload, cks.algorithm);
  checkContentMd5(input.ContentMD5, undefined);
  const algorithms = [upload.checksumAlgorithm, cks.algorithm].filter((a): a is Algorithm => a !== undefined);
  const expectedSha = payloadHash(headers);
  const got = await ingest(ctx.state, input.Body, { algorithms, maxSize: MAX_PART_SIZE, sha256: expectedSha !== undefined, expected: declared });
  try {
    checkPayloadHash(expectedSha, got);
    checkContentMd5(input.ContentMD5, got.md5);
    verifyChecksum(cks, got.checksums, ctx.trailers);
    getUpload(ctx.state, bucket.name, input.Key, input.UploadId);
  } catch (err) {
    release(ctx.state, [got.blob]);
    throw err;
  }
  const part: PartRecord = {
    partNumber, size: got.size, etag: `"${got.md5.toString('hex')}"`, lastModified: ctx.clock.now(), blob: got.blob, checksums: got.checksums,
  };
  storePart(ctx.state, upload, part);
  return { ETag: part.etag, ...(partChecksum(upload, part) as Partial<UploadPartOutput>), ...(sseMembers(upload.sse) as Partial<UploadPartOutput>) };
}

export async function UploadPartCopy(input: UploadPartCopyRequest, ctx: RequestContext): Promise<UploadPartCopyOutput> {
  const bucket = getBucket(ctx, input.Bucket);
  const partNumber = checkPartNumber(input.PartNumber);
  const upload = getUpload(ctx.state, bucket.name, input.Key, input.UploadId);
  checkCustomerKey(upload.sse, input);
  const source = resolveCopySource(ctx, input);
  const src = source.record;
  const range = input.CopySourceRange !== undefined ? parseCopyRange(input.CopySourceRange, src.size) : { start: 0, end: src.size - 1 };
  const size = range.end - range.start + 1;
  if (size > MAX_PART_SIZE) throw entityTooLarge(size, MAX_PART_SIZE);
  const body = size > 0 ? readRange(ctx.state, src.segments, range.start, range.end) : undefined;
  const got = await ingest(ctx.state, body, { algorithms: upload.checksumAlgorithm ? [upload.checksumAlgorithm as Algorithm] : [], maxSize: MAX_PART_SIZE });
  try {
    getUpload(ctx.state, bucket.name, input.Key, input.UploadId);
  } catch (err) {
    release(ctx.state, [got.blob]);
    throw err;
  }
  const part: PartRecord = {
    partNumber, size: got.size, etag: `"${got.md5.toString('hex')}"`, lastModified: ctx.clock.now(), blob: got.blob, checksums: got.checksums,
  };
  storePart(ctx.state, upload, part);
  return {
    CopyPartResult: { ETag: part.etag, LastModified: new Date(part.lastModified), ...partChecksum(upload, part) },
    CopySourceVersionId: source.versionId,
    ...(sseMembers(upload.sse) as Partial<UploadPartCopyOutput>),
  };
}

function normalizeEtag(etag: string): string {
  const t = etag.trim();
  return t.startsWith('"') ? t : `"${t}"`;
}

export function CompleteMultipartUpload(input: CompleteMultipartUploadRequest, ctx: RequestContext): CompleteMultipartUploadOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const upload = getUpload(ctx.state, bucket.name, input.Key, input.UploadId);
  checkCustomerKey(upload.sse, input);
  const requested = input.MultipartUpload?.Parts;
  if (!requested || requested.length === 0) throw malformedXml();
  if (input.ChecksumType !== undefined && upload.checksumType !== undefined && input.ChecksumType !== upload.checksumType) {
    throw invalidRequest(`The upload was created using the ${upload.checksumType} checksum mode. The complete request must use the same checksum mode.`);
  }
  checkWriteConditions(input.Key, currentObject(ctx.state, bucket.name, input.Key), input.IfMatch, input.IfNoneMatch);
  const parts = tables.parts(ctx.state);
  const chosen: PartRecord[] = [];
  const algorithm = upload.checksumAlgorithm as Algorithm | undefined;
  let previous = 0;
  for (const p of requested) {
    const n = checkPartNumber(p.PartNumber);
    if (n <= previous) throw new AwsError('InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order by part number.', 400, { UploadId: upload.uploadId });
    previous = n;
    const part = parts.get(partKey(upload.uploadId, n));
    if (!part || p.ETag === undefined || normalizeEtag(p.ETag) !== part.etag) throw invalidPart(upload.uploadId, n, p.ETag);
    for (const a of ALGORITHMS) {
      const given = (p as Record<string, unknown>)[memberName(a)] as string | undefined;
      if (given !== undefined && given !== part.checksums[a]) throw invalidPart(upload.uploadId, n, p.ETag);
    }
    if (algorithm && upload.checksumType === 'COMPOSITE' && (p as Record<string, unknown>)[memberName(algorithm)] === undefined) {
      throw invalidRequest(`The upload was created using a ${algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${n} in the request.`);
    }
    chosen.push(part);
  }
  for (let i = 0; i < chosen.length - 1; i++) {
    const part = chosen[i]!;
    if (part.size < MIN_PART_SIZE) {
      throw new AwsError('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', 400, {
        ProposedSize: part.size, MinSizeAllowed: MIN_PART_SIZE, PartNumber: part.partNumber, ETag: part.etag,
      });
    }
  }
  const size = chosen.reduce((sum, p) => sum + p.size, 0);
  if (input.MpuObjectSize !== undefined && input.MpuObjectSize !== size) {
    throw invalidRequest(`The provided 'x-amz-mp-object-size' header value ${input.MpuObjectSize} does not match what was computed: ${size}`);
  }
  let checksum: StoredChecksum | undefined;
  if (algorithm) {
    const values = chosen.map((p) => ({ value: p.checksums[algorithm]!, size: p.size }));
    checksum = upload.checksumType === 'FULL_OBJECT' && isCrc(algorithm)
      ? { algorithm, value: fullObjectCrc(algorithm, values), type: 'FULL_OBJECT' }
      : { algorithm, value: compositeChecksum(algorithm, values.map((v) => v.value)), type: 'COMPOSITE' };
    const expected = (input as unknown as Record<string, unknown>)[memberName(algorithm)] as string | undefined;
    if (expected !== undefined && expected !== checksum.value) throw badChecksum(algorithm.toLowerCase());
  }
  const md5s = createHash('md5');
  for (const p of chosen) md5s.update(Buffer.from(p.etag.slice(1, -1), 'hex'));
  const etag = `"${md5s.digest('hex')}-${chosen.length}"`;
  const partInfo: PartInfo[] = chosen.map((p) => {
    const info: PartInfo = { size: p.size, etag: p.etag };
    if (algorithm) info.checksum = p.checksums[algorithm];
    return info;
  });
  const draft: Draft = {
    key: upload.key,
    lastModified: ctx.clock.now(),
    owner: upload.owner,
    size,
    etag,
    segments: chosen.map((p) => p.blob),
    parts: partInfo,
    headers: upload.headers,
    storageClass: upload.storageClass,
    tags: upload.tags,
    checksum,
    sse: upload.sse,
    acl: upload.acl,
    lock: upload.lock,
  };
  const rec = commitVersion(ctx.state, ctx.ids, bucket, draft);
  notifyObject(ctx, bucket, 'ObjectCreated:CompleteMultipartUpload', rec);
  // The chosen parts' blobs now belong to the object: drop the parts' own references.
  dropUpload(ctx.state, upload);
  return {
    Location: `${ctx.endpoint}/${bucket.name}/${encodeURI(upload.key)}`,
    Bucket: bucket.name,
    Key: upload.key,
    ETag: etag,
    VersionId: bucket.versioning ? shownVersionId(bucket, rec) : undefined,
    Expiration: expirationOf(ctx.state, bucket, rec),
    ...(checksumMembers(checksum) as Partial<CompleteMultipartUploadOutput>),
    ...(sseMembers(upload.sse) as Partial<CompleteMultipartUploadOutput>),
  };
}

function invalidPart(uploadId: string, partNumber: number, etag: string | undefined): AwsError {
  return new AwsError(
    'InvalidPart',
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    400,
    { UploadId: uploadId, PartNumber: partNumber, ETag: etag },
  );
}

export function AbortMultipartUpload(input: AbortMultipartUploadRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  const upload = getUpload(ctx.state, bucket.name, input.Key, input.UploadId);
  if (input.IfMatchInitiatedTime !== undefined && Math.floor(input.IfMatchInitiatedTime.getTime() / 1000) !== Math.floor(upload.initiated / 1000)) {
    throw preconditionFailed('x-amz-if-match-initiated-time');
  }
  dropUpload(ctx.state, upload);
  return {};
}

export function ListParts(input: ListPartsRequest, ctx: RequestContext): ListPartsOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const upload = getUpload(ctx.state, bucket.name, input.Key, input.UploadId);
  const max = input.MaxParts ?? 1000;
  if (!Number.isInteger(max) || max < 0 || max > 2147483647) throw invalidArgument('Argument max-parts must be an integer between 0 and 2147483647', 'max-parts', max);
  const marker = input.PartNumberMarker ?? 0;
  if (!Number.isInteger(marker) || marker < 0) throw invalidArgument('Argument part-number-marker must be an integer between 0 and 2147483647', 'part-number-marker', marker);
  const out: Part[] = [];
  let truncated = false;
  const after = marker > 0 ? partKey(upload.uploadId, Math.min(marker, MAX_PARTS)) : undefined;
  for (const [, part] of tables.parts(ctx.state).entries({ prefix: `${upload.uploadId}/`, after })) {
    if (out.length === Math.min(max, 1000)) {
      truncated = true;
      break;
    }
    out.push({ PartNumber: part.partNumber, LastModified: new Date(part.lastModified), ETag: part.etag, Size: part.size, ...partChecksum(upload, part) });
  }
  const owner = ownerOf(upload.owner);
  return {
    Bucket: bucket.name,
    Key: upload.key,
    UploadId: upload.uploadId,
    PartNumberMarker: marker,
    NextPartNumberMarker: out.length ? out[out.length - 1]!.PartNumber : undefined,
    MaxParts: max,
    IsTruncated: truncated,
    Parts: out.length ? out : undefined,
    Initiator: owner,
    Owner: owner,
    StorageClass: upload.storageClass as ListPartsOutput['StorageClass'],
    ChecksumAlgorithm: upload.checksumAlgorithm as ListPartsOutput['ChecksumAlgorithm'],
    ChecksumType: upload.checksumType,
  };
}

export function ListMultipartUploads(input: ListMultipartUploadsRequest, ctx: RequestContext): ListMultipartUploadsOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const encodeUrl = input.EncodingType === 'url';
  if (input.EncodingType !== undefined && !encodeUrl) throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', input.EncodingType);
  const enc = (s: string | undefined) => (s === undefined || !encodeUrl ? s : urlEncode(s));
  const max = input.MaxUploads ?? 1000;
  if (!Number.isInteger(max) || max < 0 || max > 2147483647) throw invalidArgument('Argument max-uploads must be an integer between 0 and 2147483647', 'max-uploads', max);
  const limit = Math.min(max, 1000);
  const prefix = input.Prefix ?? '';
  const delimiter = input.Delimiter === '' ? undefined : input.Delimiter;
  const base = bucketPrefix(bucket.name);
  const range: { prefix: string; start?: string; after?: string } = { prefix: base + encodeKey(prefix) };
  const keyMarker = input.KeyMarker === '' ? undefined : input.KeyMarker;
  if (keyMarker !== undefined) {
    const k = encodeKey(keyMarker);
    // Upload id markers resume within the marker key; without one, after all of its uploads.
    if (input.UploadIdMarker) range.after = `${base}${k}\u0000${input.UploadIdMarker}`;
    else range.start = `${base}${k}\u0001`;
  }
  const uploads: MultipartUpload[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let nextKey: string | undefined;
  let nextUpload: string | undefined;
  const table = tables.uploads(ctx.state);
  scanning: for (;;) {
    for (const [tk, u] of table.entries(range)) {
      const [encoded] = splitKey(tk.slice(base.length));
      const key = decodeKey(encoded);
      const i = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      if (uploads.length + prefixes.length === limit && limit > 0) {
        truncated = true;
        break scanning;
      }
      if (limit === 0) break scanning;
      if (i >= 0) {
        const cp = key.slice(0, i + delimiter!.length);
        prefixes.push(cp);
        nextKey = cp;
        nextUpload = undefined;
        range.start = base + encodeKey(cp) + AFTER_ALL;
        delete range.after;
        continue scanning;
      }
      const owner = ownerOf(u.owner);
      uploads.push({
        UploadId: u.uploadId, Key: enc(key), Initiated: new Date(u.initiated), StorageClass: u.storageClass as MultipartUpload['StorageClass'],
        Owner: owner, Initiator: owner, ChecksumAlgorithm: u.checksumAlgorithm as MultipartUpload['ChecksumAlgorithm'], ChecksumType: u.checksumType,
      });
      nextKey = key;
      nextUpload = u.uploadId;
    }
    break;
  }
  return {
    Bucket: bucket.name,
    KeyMarker: enc(input.KeyMarker ?? ''),
    UploadIdMarker: input.UploadIdMarker ?? '',
    NextKeyMarker: truncated ? enc(nextKey) : undefined,
    NextUploadIdMarker: truncated ? nextUpload : undefined,
    Prefix: enc(prefix),
    Delimiter: enc(input.Delimiter),
    MaxUploads: max,
    IsTruncated: truncated,
    Uploads: uploads.length ? uploads : undefined,
    CommonPrefixes: prefixes.length ? prefixes.map((p) => ({ Prefix: enc(p) })) : undefined,
    EncodingType: input.EncodingType,
  };
}
