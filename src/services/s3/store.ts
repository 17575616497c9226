/**
 * State of the S3 service. Bucket names are global, so every table is unscoped:
 *   buckets   name -> BucketRecord
 *   objects   `<bucket>/<encoded key>` -> the current version (a delete marker in versioned buckets)
 *   versions  `<bucket>/<encoded key>\0<inverted seq>` -> noncurrent versions, newest first
 *   uploads   `<bucket>/<encoded key>\0<upload id>` -> in-progress multipart uploads
 *   parts     `<upload id>/<part number>` -> uploaded parts
 *   configs   `<bucket>/<kind>` -> bucket configurations (cors, lifecycle, policy, ...)
 * A key has noncurrent versions only while it has a current one. Bodies are blobs; a blob may
 * be shared (CopyObject), so a derived reference count, rebuilt on init, decides when to release it.
 */
import type { RequestContext } from '../framework/define.ts';
import type { BlobRef, ServiceState, Table } from '../../state/types.ts';
import type { Grant, Tag } from '../../generated/s3.ts';
import { noSuchBucket } from './errors.ts';
import { objectKey } from './keys.ts';

export type Versioning = 'Enabled' | 'Suspended';
export type Ownership = 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';

export interface BucketRecord {
  name: string;
  account: string;
  region: string;
  created: number;
  versioning?: Versioning;
  mfaDelete?: 'Enabled' | 'Disabled';
  objectLock?: boolean;
  /** Absent once DeleteBucketOwnershipControls removed it (ACLs then behave as ObjectWriter). */
  ownership?: Ownership;
  acl: Grant[];
}

export interface StoredChecksum {
  algorithm: string;
  /** Base64; composite multipart checksums end in `-<parts>`. */
  value: string;
  type: 'FULL_OBJECT' | 'COMPOSITE';
}

export interface PartInfo {
  size: number;
  /** Quoted MD5 hex of the part. */
  etag: string;
  checksum?: string;
}

export interface ContentHeaders {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
  websiteRedirect?: string;
  metadata?: Record<string, string>;
}

export interface SseInfo {
  algorithm?: string;
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
  context?: string;
  customerAlgorithm?: string;
  customerKeyMd5?: string;
}

export interface LockInfo {
  mode?: string;
  retainUntil?: number;
  legalHold?: string;
}

export interface ObjectRecord {
  key: string;
  /** null: the "null" version of unversioned and suspended buckets. */
  versionId: string | null;
  /** Orders the versions of a key (noncurrent versions are keyed by it). */
  seq: number;
  deleteMarker?: boolean;
  lastModified: number;
  owner: string;
  size: number;
  etag: string;
  /** The body: one blob, or one per part of a completed multipart upload. */
  segments: BlobRef[];
  parts?: PartInfo[];
  headers: ContentHeaders;
  storageClass: string;
  tags?: Tag[];
  checksum?: StoredChecksum;
  sse?: SseInfo;
  acl?: Grant[];
  lock?: LockInfo;
  restoreExpiry?: number;
}

export interface UploadRecord {
  bucket: string;
  key: string;
  uploadId: string;
  initiated: number;
  owner: string;
  headers: ContentHeaders;
  storageClass: string;
  tags?: Tag[];
  checksumAlgorithm?: string;
  checksumType?: 'FULL_OBJECT' | 'COMPOSITE';
  sse?: SseInfo;
  acl?: Grant[];
  lock?: LockInfo;
}

export interface PartRecord {
  partNumber: number;
  size: number;
  etag: string;
  lastModified: number;
  blob: BlobRef;
  /** Checksums by algorithm (base64), as uploaded or computed. */
  checksums: Record<string, string>;
}

export const tables = {
  buckets: (s: ServiceState) => s.table<BucketRecord>('buckets'),
  objects: (s: ServiceState) => s.table<ObjectRecord>('objects'),
  versions: (s: ServiceState) => s.table<ObjectRecord>('versions'),
  uploads: (s: ServiceState) => s.table<UploadRecord>('uploads'),
  parts: (s: ServiceState) => s.table<PartRecord>('parts'),
  configs: (s: ServiceState) => s.table<unknown>('configs'),
};

export function getBucket(ctx: RequestContext | { state: ServiceState }, name: string): BucketRecord {
  const bucket = tables.buckets(ctx.state).get(name);
  if (!bucket) throw noSuchBucket(name);
  return bucket;
}

export function currentObject(state: ServiceState, bucket: string, key: string): ObjectRecord | undefined {
  return tables.objects(state).get(objectKey(bucket, key));
}

// ---- blob references ----

const refCounts = new WeakMap<ServiceState, Map<string, number>>();

function counts(state: ServiceState): Map<string, number> {
  let m = refCounts.get(state);
  if (!m) {
    m = new Map();
    refCounts.set(state, m);
  }
  return m;
}

export function retain(state: ServiceState, refs: readonly BlobRef[]): void {
  const m = counts(state);
  for (const ref of refs) m.set(ref.id, (m.get(ref.id) ?? 0) + 1);
}

/** Drops one reference to each blob; a blob nothing references any more is released. */
export function release(state: ServiceState, refs: readonly BlobRef[]): void {
  const m = counts(state);
  for (const ref of refs) {
    const n = (m.get(ref.id) ?? 1) - 1;
    if (n > 0) m.set(ref.id, n);
    else {
      m.delete(ref.id);
      state.blobs.release(ref);
    }
  }
}

/** Recounts references from the tables (start, reset, snapshot load). */
export function rebuildRefs(state: ServiceState): void {
  const m = new Map<string, number>();
  refCounts.set(state, m);
  const add = (ref: BlobRef) => m.set(ref.id, (m.get(ref.id) ?? 0) + 1);
  for (const table of [tables.objects(state), tables.versions(state)] as Table<ObjectRecord>[]) {
    for (const [, rec] of table.entries()) rec.segments.forEach(add);
  }
  for (const [, part] of tables.parts(state).entries()) add(part.blob);
}
