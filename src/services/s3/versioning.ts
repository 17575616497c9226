/**
 * Versioning: how writes and deletes change a key's versions in each bucket state
 * (unversioned, Enabled, Suspended), delete markers, lookups by version id, and the
 * versioning configuration itself.
 */
import type { GetBucketVersioningOutput, GetBucketVersioningRequest, PutBucketVersioningRequest } from '../../generated/s3.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import type { Ids, ServiceState } from '../../state/types.ts';
import { invalidVersionId, malformedXml, methodNotAllowed, noSuchKey, noSuchVersion } from './errors.ts';
import { objectKey, versionKey, versionsPrefix } from './keys.ts';
import { getBucket, release, retain, tables, type BucketRecord, type ObjectRecord } from './store.ts';

const VERSION_ID = /^[A-Za-z0-9._]{32}$/;

function newVersionId(ids: Ids): string {
  return ids.base64(24).replace(/\+/g, '.').replace(/\//g, '_');
}

/** The version id S3 shows for a record: none in buckets that never had versioning. */
export function shownVersionId(bucket: BucketRecord, rec: ObjectRecord): string | undefined {
  if (rec.versionId !== null) return rec.versionId;
  return bucket.versioning ? 'null' : undefined;
}

export function checkVersionId(versionId: string | undefined): void {
  if (versionId !== undefined && versionId !== 'null' && !VERSION_ID.test(versionId)) throw invalidVersionId(versionId);
}

function sameVersion(rec: ObjectRecord, versionId: string): boolean {
  return versionId === 'null' ? rec.versionId === null : rec.versionId === versionId;
}

/** Noncurrent versions of a key, newest first, with their table keys. */
export function* noncurrent(state: ServiceState, bucket: string, key: string): Generator<[string, ObjectRecord]> {
  const prefix = versionsPrefix(bucket, key);
  const width = prefix.length + 15;
  for (const entry of tables.versions(state).entries({ prefix })) {
    // A longer table key belongs to another object key that merely starts with this one's bytes.
    if (entry[0].length === width) yield entry;
  }
}

export interface Found {
  record: ObjectRecord;
  current: boolean;
}

/** A version by id (or the current version), or undefined. */
export function lookup(state: ServiceState, bucket: string, key: string, versionId: string | undefined): Found | undefined {
  const current = tables.objects(state).get(objectKey(bucket, key));
  if (versionId === undefined) return current && { record: current, current: true };
  if (current && sameVersion(current, versionId)) return { record: current, current: true };
  if (!current) return undefined;
  for (const [, rec] of noncurrent(state, bucket, key)) if (sameVersion(rec, versionId)) return { record: rec, current: false };
  return undefined;
}

/**
 * The object a read or metadata operation addresses; delete markers answer as S3 does:
 * NoSuchKey (with x-amz-delete-marker) for the current version, MethodNotAllowed by version id.
 */
export function findObject(ctx: RequestContext, bucket: BucketRecord, key: string, versionId: string | undefined, method: string): Found {
  checkVersionId(versionId);
  const found = lookup(ctx.state, bucket.name, key, versionId);
  if (!found) throw versionId === undefined ? noSuchKey(key) : noSuchVersion(key, versionId);
  if (found.record.deleteMarker) {
    const headers: Record<string, string> = { 'x-amz-delete-marker': 'true', 'x-amz-version-id': shownVersionId(bucket, found.record) ?? 'null' };
    if (versionId === undefined) throw noSuchKey(key, headers);
    headers['last-modified'] = new Date(found.record.lastModified).toUTCString();
    headers['allow'] = 'DELETE';
    throw methodNotAllowed(method, 'DeleteMarker', headers);
  }
  return found;
}

/** Stores a changed copy of a version in place (tags, ACL, retention). */
export function replaceVersion(state: ServiceState, bucket: string, found: Found, updated: ObjectRecord): void {
  if (found.current) tables.objects(state).put(objectKey(bucket, updated.key), updated);
  else tables.versions(state).put(versionKey(bucket, updated.key, updated.seq), updated);
}

export type Draft = Omit<ObjectRecord, 'versionId' | 'seq'>;

/**
 * Makes `draft` the current version of its key. Enabled buckets keep the previous current
 * version as noncurrent; unversioned buckets replace it; suspended buckets replace the "null"
 * version wherever it is. Blobs of replaced versions are released; the new record's retained.
 */
export function commitVersion(state: ServiceState, ids: Ids, bucket: BucketRecord, draft: Draft, known?: { current: ObjectRecord | undefined }): ObjectRecord {
  const objects = tables.objects(state);
  const ok = objectKey(bucket.name, draft.key);
  const current = known ? known.current : objects.get(ok);
  const versionId = bucket.versioning === 'Enabled' ? newVersionId(ids) : null;
  const rec = versionRecord(draft, versionId, (current?.seq ?? 0) + 1);
  retain(state, rec.segments);
  if (current) {
    if (!bucket.versioning || (bucket.versioning === 'Suspended' && current.versionId === null)) release(state, current.segments);
    else tables.versions(state).put(versionKey(bucket.name, draft.key, current.seq), current);
  }
  if (bucket.versioning === 'Suspended') dropNullNoncurrent(state, bucket.name, draft.key);
  objects.put(ok, rec);
  return rec;
}

/** The record of a new version, its fields always in one order (one hidden class for the common case). */
function versionRecord(d: Draft, versionId: string | null, seq: number): ObjectRecord {
  const rec: ObjectRecord = {
    key: d.key, versionId, seq, lastModified: d.lastModified, owner: d.owner, size: d.size, etag: d.etag, segments: d.segments, headers: d.headers, storageClass: d.storageClass,
  };
  if (d.deleteMarker !== undefined) rec.deleteMarker = d.deleteMarker;
  if (d.parts !== undefined) rec.parts = d.parts;
  if (d.tags !== undefined) rec.tags = d.tags;
  if (d.checksum !== undefined) rec.checksum = d.checksum;
  if (d.sse !== undefined) rec.sse = d.sse;
  if (d.acl !== undefined) rec.acl = d.acl;
  if (d.lock !== undefined) rec.lock = d.lock;
  if (d.restoreExpiry !== undefined) rec.restoreExpiry = d.restoreExpiry;
  return rec;
}

function dropNullNoncurrent(state: ServiceState, bucket: string, key: string): void {
  const versions = tables.versions(state);
  for (const [tk, rec] of noncurrent(state, bucket, key)) {
    if (rec.versionId === null) {
      versions.delete(tk);
      release(state, rec.segments);
    }
  }
}

/**
 * Permanently removes one version. When it was the current one, the newest noncurrent version
 * (possibly a delete marker) becomes current.
 */
export function removeVersion(state: ServiceState, bucket: string, found: Found): void {
  const rec = found.record;
  if (found.current) {
    const objects = tables.objects(state);
    const ok = objectKey(bucket, rec.key);
    const next = noncurrent(state, bucket, rec.key).next();
    if (next.done) objects.delete(ok);
    else {
      tables.versions(state).delete(next.value[0]);
      objects.put(ok, next.value[1]);
    }
  } else {
    tables.versions(state).delete(versionKey(bucket, rec.key, rec.seq));
  }
  release(state, rec.segments);
}

export function deleteMarkerDraft(key: string, owner: string, now: number): Draft {
  return { key, deleteMarker: true, lastModified: now, owner, size: 0, etag: '', segments: [], headers: {}, storageClass: 'STANDARD' };
}

/** Whether a bucket holds any version or delete marker. */
export function bucketHasObjects(state: ServiceState, bucket: string): boolean {
  const prefix = `${bucket}/`;
  return !tables.objects(state).keys({ prefix }).next().done || !tables.versions(state).keys({ prefix }).next().done;
}

export function GetBucketVersioning(input: GetBucketVersioningRequest, ctx: RequestContext): GetBucketVersioningOutput {
  const bucket = getBucket(ctx, input.Bucket);
  return { Status: bucket.versioning, MFADelete: bucket.mfaDelete };
}

export function PutBucketVersioning(input: PutBucketVersioningRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  const conf = input.VersioningConfiguration;
  if (!conf) throw malformedXml();
  const status = conf.Status;
  if (status !== undefined && status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
  if (conf.MFADelete !== undefined && conf.MFADelete !== 'Enabled' && conf.MFADelete !== 'Disabled') throw malformedXml();
  if (status === 'Suspended' && bucket.objectLock) {
    throw new AwsError('InvalidBucketState', 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.', 409);
  }
  if (conf.MFADelete !== undefined && !input.MFA) {
    throw new AwsError('AccessDenied', 'Mfa Authentication must be used for this request', 403);
  }
  const next: BucketRecord = { ...bucket };
  if (status) next.versioning = status;
  if (conf.MFADelete) next.mfaDelete = conf.MFADelete;
  tables.buckets(ctx.state).put(bucket.name, next);
  return {};
}
