/**
 * What an object carries besides its bytes: content headers and user metadata (with S3's
 * limits), storage class, server-side encryption settings (echoed, SSE-C keys checked), object
 * lock headers, and the response members built from a stored version.
 */
import { createHash } from 'node:crypto';
import type { GetObjectOutput, ServerSideEncryptionConfiguration } from '../../generated/s3.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { checksumMembers } from './checksums.ts';
import { invalidArgument, invalidRequest } from './errors.ts';
import { configKey, utf8Length } from './keys.ts';
import { tables, type BucketRecord, type ContentHeaders, type LockInfo, type ObjectRecord, type SseInfo } from './store.ts';
import { shownVersionId } from './versioning.ts';

const MAX_KEY_BYTES = 1024;
const MAX_METADATA_BYTES = 2048;

export function checkKey(key: string): void {
  const size = utf8Length(key);
  if (size > MAX_KEY_BYTES) throw new AwsError('KeyTooLongError', 'Your key is too long', 400, { Size: size, MaxSizeAllowed: MAX_KEY_BYTES });
}

interface ContentInput {
  ContentType?: string;
  ContentEncoding?: string;
  ContentDisposition?: string;
  ContentLanguage?: string;
  CacheControl?: string;
  Expires?: string;
  WebsiteRedirectLocation?: string;
  Metadata?: Record<string, string>;
}

/** The content headers and user metadata a write stores. `aws-chunked` is transfer framing, not content. */
export function contentHeaders(input: ContentInput): ContentHeaders {
  const out: ContentHeaders = {};
  if (input.ContentType !== undefined) out.contentType = input.ContentType;
  if (input.ContentEncoding !== undefined) {
    const codings = input.ContentEncoding.split(',').map((c) => c.trim()).filter((c) => c && c.toLowerCase() !== 'aws-chunked');
    if (codings.length) out.contentEncoding = codings.join(',');
  }
  if (input.ContentDisposition !== undefined) out.contentDisposition = input.ContentDisposition;
  if (input.ContentLanguage !== undefined) out.contentLanguage = input.ContentLanguage;
  if (input.CacheControl !== undefined) out.cacheControl = input.CacheControl;
  if (input.Expires !== undefined) out.expires = input.Expires;
  if (input.WebsiteRedirectLocation !== undefined) {
    const loc = input.WebsiteRedirectLocation;
    if (!loc.startsWith('/') && !/^https?:\/\//.test(loc)) {
      throw invalidArgument('The website redirect location must have a prefix of \'http://\' or \'https://\' or \'/\'.', 'x-amz-website-redirect-location', loc);
    }
    out.websiteRedirect = loc;
  }
  if (input.Metadata && Object.keys(input.Metadata).length) {
    let size = 0;
    for (const [k, v] of Object.entries(input.Metadata)) size += utf8Length(k) + utf8Length(v);
    if (size > MAX_METADATA_BYTES) {
      throw new AwsError('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.', 400, { Size: size, MaxSizeAllowed: MAX_METADATA_BYTES });
    }
    out.metadata = { ...input.Metadata };
  }
  return out;
}

const STORAGE_CLASSES = new Set([
  'STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR',
  'OUTPOSTS', 'SNOW', 'EXPRESS_ONEZONE', 'FSX_OPENZFS', 'FSX_ONTAP',
]);

export function storageClass(raw: string | undefined): string {
  if (raw === undefined) return 'STANDARD';
  if (!STORAGE_CLASSES.has(raw)) throw new AwsError('InvalidStorageClass', 'The storage class you specified is not valid', 400, { StorageClassRequested: raw });
  return raw;
}

/** Objects in these classes must be restored before their bytes can be read. */
export function archived(rec: ObjectRecord, now: number): boolean {
  return (rec.storageClass === 'GLACIER' || rec.storageClass === 'DEEP_ARCHIVE') && !(rec.restoreExpiry !== undefined && rec.restoreExpiry > now);
}

export function invalidObjectState(rec: ObjectRecord): AwsError {
  return new AwsError('InvalidObjectState', "The operation is not valid for the object's storage class", 403, { StorageClass: rec.storageClass });
}

interface SseInput {
  ServerSideEncryption?: string;
  SSEKMSKeyId?: string;
  SSEKMSEncryptionContext?: string;
  BucketKeyEnabled?: boolean;
  SSECustomerAlgorithm?: string;
  SSECustomerKey?: string;
  SSECustomerKeyMD5?: string;
}

/** SSE-C: AES256 with a 256-bit key whose MD5 the client sends along. */
export function customerKey(algorithm: string | undefined, key: string | undefined, keyMd5: string | undefined, prefix = 'x-amz-server-side-encryption-customer'): string | undefined {
  if (algorithm === undefined && key === undefined && keyMd5 === undefined) return undefined;
  if (algorithm !== 'AES256') {
    throw invalidArgument('The requested encryption algorithm is not valid, must be AES256.', `${prefix}-algorithm`, algorithm);
  }
  if (key === undefined) throw invalidArgument('Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.', `${prefix}-key`, undefined);
  const raw = Buffer.from(key, 'base64');
  if (raw.length !== 32) throw invalidArgument('The secret key was invalid for the specified algorithm.', `${prefix}-key`, undefined);
  const md5 = createHash('md5').update(raw).digest('base64');
  if (keyMd5 !== undefined && keyMd5 !== md5) {
    throw invalidArgument('The calculated MD5 hash of the key did not match the hash that was provided.', `${prefix}-key-MD5`, undefined);
  }
  return md5;
}

/** The encryption a write gets: what it asks for, else the bucket's default (SSE-S3 unless configured). */
export function sseFor(ctx: RequestContext, bucket: BucketRecord, input: SseInput): SseInfo {
  const customerMd5 = customerKey(input.SSECustomerAlgorithm, input.SSECustomerKey, input.SSECustomerKeyMD5);
  if (customerMd5) {
    if (input.ServerSideEncryption !== undefined) throw invalidRequest('Server Side Encryption with Customer provided key is incompatible with the encryption method specified');
    return { customerAlgorithm: 'AES256', customerKeyMd5: customerMd5 };
  }
  let algorithm = input.ServerSideEncryption;
  let kmsKeyId = input.SSEKMSKeyId;
  let bucketKey = input.BucketKeyEnabled;
  if (algorithm === undefined) {
    if (kmsKeyId !== undefined) {
      throw invalidArgument('Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms', 'x-amz-server-side-encryption', undefined);
    }
    const conf = tables.configs(ctx.state).get(configKey(bucket.name, 'encryption')) as ServerSideEncryptionConfiguration | undefined;
    const rule = conf?.Rules?.[0];
    algorithm = rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ?? 'AES256';
    kmsKeyId = rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID;
    bucketKey ??= rule?.BucketKeyEnabled;
  }
  if (algorithm !== 'AES256' && algorithm !== 'aws:kms' && algorithm !== 'aws:kms:dsse') {
    throw invalidArgument('The encryption method specified is not supported', 'x-amz-server-side-encryption', algorithm);
  }
  const sse: SseInfo = { algorithm };
  if (algorithm.startsWith('aws:kms')) {
    sse.kmsKeyId = kmsKeyId ?? `arn:aws:kms:${bucket.region}:${bucket.account}:alias/aws/s3`;
    if (input.SSEKMSEncryptionContext !== undefined) sse.context = input.SSEKMSEncryptionContext;
  }
  if (bucketKey) sse.bucketKeyEnabled = true;
  return sse;
}

/** Reading an SSE-C object (or adding parts to an SSE-C upload) takes the key it was written with. */
export function checkCustomerKey(sse: SseInfo | undefined, input: SseInput): void {
  const given = customerKey(input.SSECustomerAlgorithm, input.SSECustomerKey, input.SSECustomerKeyMD5);
  const stored = sse?.customerKeyMd5;
  if (stored === undefined) {
    if (given !== undefined) throw invalidRequest('The encryption parameters are not applicable to this object.');
    return;
  }
  if (given === undefined) {
    throw invalidRequest('The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.');
  }
  if (given !== stored) throw new AwsError('AccessDenied', 'Access Denied', 403);
}

export function sseMembers(sse: SseInfo | undefined): Partial<GetObjectOutput> {
  if (!sse) return {};
  return {
    ServerSideEncryption: sse.algorithm as GetObjectOutput['ServerSideEncryption'],
    SSEKMSKeyId: sse.kmsKeyId,
    BucketKeyEnabled: sse.bucketKeyEnabled,
    SSECustomerAlgorithm: sse.customerAlgorithm,
    SSECustomerKeyMD5: sse.customerKeyMd5,
  };
}

interface LockInput {
  ObjectLockMode?: string;
  ObjectLockRetainUntilDate?: Date;
  ObjectLockLegalHoldStatus?: string;
}

/** Object lock headers of a write; only buckets with object lock accept them. */
export function lockFor(bucket: BucketRecord, input: LockInput, defaultLock: LockInfo | undefined): LockInfo | undefined {
  const mode = input.ObjectLockMode;
  const until = input.ObjectLockRetainUntilDate;
  const hold = input.ObjectLockLegalHoldStatus;
  if (mode === undefined && until === undefined && hold === undefined) return defaultLock;
  if (!bucket.objectLock) throw invalidRequest('Bucket is missing Object Lock Configuration');
  if ((mode === undefined) !== (until === undefined)) {
    throw invalidArgument('x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied', 'x-amz-object-lock-mode', mode);
  }
  if (mode !== undefined && mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE') throw invalidArgument('Unknown wormMode directive.', 'x-amz-object-lock-mode', mode);
  if (hold !== undefined && hold !== 'ON' && hold !== 'OFF') throw invalidArgument("Legal Hold must be either of 'ON' or 'OFF'", 'x-amz-object-lock-legal-hold', hold);
  const lock: LockInfo = { ...defaultLock };
  if (mode !== undefined) {
    lock.mode = mode;
    lock.retainUntil = until!.getTime();
  }
  if (hold !== undefined) lock.legalHold = hold;
  return lock;
}

interface OutputOptions {
  checksumMode: boolean;
  /** GetObject shows the tag count; HeadObject does not. */
  tagCount: boolean;
  expiration?: string;
}

/** The response members describing a stored version (GetObject, HeadObject). */
export function objectMembers(bucket: BucketRecord, rec: ObjectRecord, opts: OutputOptions): GetObjectOutput {
  const h = rec.headers;
  const out: GetObjectOutput = {
    AcceptRanges: 'bytes',
    ETag: rec.etag,
    LastModified: new Date(rec.lastModified),
    ContentLength: rec.size,
    ContentType: h.contentType ?? 'binary/octet-stream',
    ContentEncoding: h.contentEncoding,
    ContentDisposition: h.contentDisposition,
    ContentLanguage: h.contentLanguage,
    CacheControl: h.cacheControl,
    Expires: h.expires,
    WebsiteRedirectLocation: h.websiteRedirect,
    Metadata: h.metadata,
    StorageClass: rec.storageClass === 'STANDARD' ? undefined : (rec.storageClass as GetObjectOutput['StorageClass']),
    VersionId: shownVersionId(bucket, rec),
    Expiration: opts.expiration,
    // Spelled out rather than spread from sseMembers: one object shape on every read.
    ServerSideEncryption: rec.sse?.algorithm as GetObjectOutput['ServerSideEncryption'],
    SSEKMSKeyId: rec.sse?.kmsKeyId,
    BucketKeyEnabled: rec.sse?.bucketKeyEnabled,
    SSECustomerAlgorithm: rec.sse?.customerAlgorithm,
    SSECustomerKeyMD5: rec.sse?.customerKeyMd5,
  };
  if (opts.tagCount && rec.tags?.length) out.TagCount = rec.tags.length;
  if (rec.lock?.mode) {
    out.ObjectLockMode = rec.lock.mode as GetObjectOutput['ObjectLockMode'];
    out.ObjectLockRetainUntilDate = new Date(rec.lock.retainUntil!);
  }
  if (rec.lock?.legalHold) out.ObjectLockLegalHoldStatus = rec.lock.legalHold as GetObjectOutput['ObjectLockLegalHoldStatus'];
  if (rec.restoreExpiry !== undefined) out.Restore = `ongoing-request="false", expiry-date="${new Date(rec.restoreExpiry).toUTCString()}"`;
  if (opts.checksumMode) Object.assign(out, checksumMembers(rec.checksum));
  return out;
}
